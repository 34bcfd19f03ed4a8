//! ICD-10-CM on any date of service FY2016–FY2027, checked against the MCE
//! validity table read independently from `../shared/data/registry` and the
//! official counts CMS publishes for each release.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::mce_icd10cm_valid_on;
use medcode::validate::Reason;
use medcode::CodeSet;
use std::collections::BTreeSet;

/// Every code the history knows, valid on `date` by the embedded tables.
fn embedded_valid_on(date: u32) -> BTreeSet<String> {
    let cm = CodeSet::icd10cm();
    let h = cm.history().expect("ICD-10-CM has a history");
    let mut out = BTreeSet::new();
    let mut stream = h.map().stream();
    use fst::Streamer;
    while let Some((k, _)) = stream.next() {
        let code = String::from_utf8(k.to_vec()).unwrap();
        if cm.is_valid_on(&code, date) {
            out.insert(code);
        }
    }
    out
}

#[test]
fn every_release_date_matches_the_mce_table_code_by_code() {
    let cm = CodeSet::icd10cm();
    let h = cm.history().unwrap();
    let mut dates: Vec<u32> = h.releases().iter().map(|r| r.start).collect();
    // Mid-release days and the day before the first release too.
    dates.extend([20150930, 20160615, 20220331, 20250930, 20270101]);
    for date in dates {
        let official = mce_icd10cm_valid_on(date);
        let ours = embedded_valid_on(date);
        let extra: Vec<_> = ours.difference(&official).take(5).collect();
        let missing: Vec<_> = official.difference(&ours).take(5).collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "{date}: extra {extra:?}, missing {missing:?}"
        );
    }
}

#[test]
fn counts_equal_the_official_figures_of_each_release() {
    // Official counts of valid ICD-10-CM codes (CMS; ../shared/data/README.md).
    for (date, count) in [
        (20231001, 74_044),
        (20241001, 74_260),
        (20251001, 74_719),
        (20260401, 74_719),
        (20261001, 74_879),
    ] {
        assert_eq!(
            mce_icd10cm_valid_on(date).len(),
            count,
            "MCE table on {date}"
        );
        assert_eq!(embedded_valid_on(date).len(), count, "embedded on {date}");
    }
}

#[test]
fn without_a_date_the_newest_release_answers() {
    let cm = CodeSet::icd10cm();
    let newest = cm.history().unwrap().newest().unwrap();
    assert_eq!((newest.start, newest.name), (20261001, "FY2027"));
    let official = mce_icd10cm_valid_on(20261001);
    for code in &official {
        assert!(cm.is_valid(code), "{code}");
    }
    // Codes valid in April 2026 but not in FY2027 are not valid without a date.
    let gone: Vec<_> = mce_icd10cm_valid_on(20260401)
        .difference(&official)
        .cloned()
        .collect();
    assert!(!gone.is_empty());
    for code in &gone {
        assert!(!cm.is_valid(code), "{code}");
        let v = cm.validate(code);
        assert_eq!(v.issues[0].reason, Reason::Deleted, "{code}: {v:?}");
        assert!(
            v.issues[0].text.contains("2026-09-30"),
            "{}",
            v.issues[0].text
        );
        assert_eq!(v.release, Some((20261001, "FY2027")));
    }
}

#[test]
fn codes_new_in_fy2027_are_valid_with_their_addenda_title() {
    let cm = CodeSet::icd10cm();
    let new: Vec<_> = mce_icd10cm_valid_on(20261001)
        .difference(&mce_icd10cm_valid_on(20260401))
        .cloned()
        .collect();
    assert!(new.len() >= 150, "{}", new.len());
    for code in &new {
        let v = cm.validate(code);
        assert!(v.result, "{code}");
        assert!(
            v.display.as_deref().is_some_and(|d| !d.is_empty())
                && !v.issues.iter().any(|i| i.reason == Reason::NoTitle),
            "{code}: {v:?}"
        );
        assert!(!cm.validate_on(code, Some(20260401)).result);
        assert_eq!(
            cm.validate_on(code, Some(20260401)).issues[0].reason,
            Reason::NotYetValid
        );
        let looked = cm.lookup_on(code, None).unwrap().unwrap();
        assert!(looked.concept.billable);
        assert_eq!(looked.span.unwrap().start, 20261001);
    }
}

#[test]
fn deleted_codes_name_when_they_ended_and_what_replaced_them() {
    let cm = CodeSet::icd10cm();
    // Every code valid on 2016-10-01 but not on 2017-10-01 was deleted on 2017-09-30.
    let before = mce_icd10cm_valid_on(20161001);
    let after = mce_icd10cm_valid_on(20171001);
    let deleted: Vec<_> = before.difference(&after).collect();
    assert!(deleted.len() > 100);
    let mut checked = 0;
    for code in deleted {
        let v = cm.validate_on(code, Some(20180101));
        assert!(!v.result);
        assert_eq!(v.issues[0].reason, Reason::Deleted, "{code}");
        assert!(
            v.issues[0].text.contains("to 2017-09-30 (FY2017)"),
            "{}",
            v.issues[0].text
        );
        let next = cm.successors(code, 20180101);
        for s in &next {
            assert!(after.contains(s), "{code} → {s} is not valid in FY2018");
        }
        // Its subdivisions valid in FY2018, read from the MCE table, are all named (up to 12).
        let under: Vec<&String> = after
            .iter()
            .filter(|c| c.starts_with(code.as_str()) && *c != code)
            .take(12)
            .collect();
        for c in &under {
            assert!(
                next.contains(c),
                "{code}: successor {c} missing from {next:?}"
            );
        }
        checked += usize::from(!under.is_empty());
        assert!(
            cm.validate_on(code, Some(20170101)).result,
            "{code} valid in FY2017"
        );
    }
    assert!(checked > 0);
    // A04.7 was split into A04.71 and A04.72 on 2017-10-01.
    assert_eq!(cm.successors("A047", 20180101), ["A0471", "A0472"]);
}

#[test]
fn dates_before_icd10_or_after_the_newest_release_say_so() {
    let cm = CodeSet::icd10cm();
    let v = cm.validate_on("E11.9", Some(20150930));
    assert!(!v.result);
    assert_eq!(v.issues[0].reason, Reason::DateOutOfRange);
    assert!(v.issues[0].text.contains("2015-10-01"));
    // Past FY2027 (the newest release): answered, with a coverage warning
    // (tests/coverage.rs).
    let v = cm.validate_on("E11.9", Some(20290101));
    assert!(v.result);
    assert!(v.issues.iter().any(|i| i.reason == Reason::BeyondCoverage));
}

#[test]
fn every_release_is_named_and_the_validation_names_it() {
    let cm = CodeSet::icd10cm();
    let names: Vec<&str> = cm
        .history()
        .unwrap()
        .releases()
        .iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names.first(), Some(&"FY2016"));
    assert!(names.contains(&"FY2026 April 2026 update"));
    assert_eq!(
        cm.validate_on("E11.9", Some(20260501)).release,
        Some((20260501, "FY2026 April 2026 update"))
    );
}
