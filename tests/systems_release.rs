//! ICD-10-PCS, HCPCS Level II and CPT (format only) checked code by code
//! against their sources, read here independently of the build: the MCE and
//! I/OCE registry tables (`tables/registry`) on every release date, and the
//! official CMS files (`tables/releases`: the PCS order file, the HCPCS
//! ANWEB file), whose titles every module carries exactly.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use fst::Streamer;
use medcode::validate::Reason;
use medcode::CodeSet;
use std::collections::{BTreeMap, BTreeSet};

/// Every dated code of `set` valid on `date`, by the embedded tables.
fn embedded_valid_on(set: &CodeSet, date: u32) -> BTreeSet<String> {
    let h = set.history().expect("a history");
    let mut out = BTreeSet::new();
    let mut stream = h.map().stream();
    while let Some((k, _)) = stream.next() {
        let code = String::from_utf8(k.to_vec()).unwrap();
        if set.is_valid_on(&code, date) {
            out.insert(code);
        }
    }
    out
}

/// `code<TAB>start<TAB>end…` rows of a registry TSV (header skipped).
fn registry_rows(name: &str) -> Vec<Vec<String>> {
    let text = common::registry_text(name);
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

fn pcs_mce_valid_on(date: u32) -> BTreeSet<String> {
    registry_rows("mce_icd10pcs_validity.tsv")
        .into_iter()
        .filter(|r| {
            let d = |i: usize| r[i].trim().parse::<u32>().unwrap();
            d(1) <= date && date <= d(2)
        })
        .map(|r| r[0].clone())
        .collect()
}

#[test]
fn pcs_every_release_date_matches_the_mce_table_code_by_code() {
    let pcs = CodeSet::icd10pcs();
    let mut dates: Vec<u32> = pcs
        .history()
        .unwrap()
        .releases()
        .iter()
        .map(|r| r.start)
        .collect();
    dates.extend([20150930, 20180615, 20260331, 20270101]);
    let mut counts = BTreeMap::new();
    for date in dates {
        let official = pcs_mce_valid_on(date);
        let ours = embedded_valid_on(pcs, date);
        let extra: Vec<_> = ours.difference(&official).take(5).collect();
        let missing: Vec<_> = official.difference(&ours).take(5).collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "{date}: extra {extra:?}, missing {missing:?}"
        );
        counts.insert(date, ours.len());
    }
    println!("ICD-10-PCS codes valid per release day: {counts:?}");
}

/// The official order file: `(code, header, long title, short title)` per line.
fn order_file() -> Vec<(String, bool, String, String)> {
    let text = common::release_text("icd10pcs-2026-04/icd10pcs_order_2026.txt.gz");
    text.lines()
        .filter(|l| l.len() > 77)
        .map(|l| {
            let code = l[6..13].trim().to_owned();
            let header = &l[14..15] == "0";
            let short = l[16..76].trim_end().to_owned();
            (code, header, l[77..].trim().to_owned(), short)
        })
        .collect()
}

#[test]
fn pcs_order_file_codes_headings_and_titles() {
    let pcs = CodeSet::icd10pcs();
    let rows = order_file();
    let codes = rows.iter().filter(|r| !r.1).count();
    let ours = embedded_valid_on(pcs, 20260401);
    assert_eq!(
        ours.len(),
        codes,
        "codes valid on 2026-04-01 vs the order file"
    );
    let (mut same, mut differ, mut shorts) = (0, Vec::new(), 0);
    for (code, header, title, short) in &rows {
        // Short titles ship written against the long ones: each must read
        // back exactly (none when it equals the long title).
        let want = Some(short.clone()).filter(|s| s != title && !s.is_empty());
        assert_eq!(pcs.short_title(code), want, "{code} short title");
        shorts += 1;
        if *header {
            let c = pcs
                .lookup(code)
                .unwrap()
                .unwrap_or_else(|| panic!("heading {code} missing"));
            assert!(!c.billable && c.kind != medcode::Kind::Code, "{code}");
            assert_eq!(&c.display, title, "{code}");
            continue;
        }
        assert!(pcs.is_valid_on(code, 20260401), "{code}");
        let c = pcs
            .lookup(code)
            .unwrap()
            .unwrap_or_else(|| panic!("{code} unknown"));
        if &c.display == title {
            same += 1;
        } else {
            differ.push(code.clone());
        }
    }
    assert!(
        differ.is_empty(),
        "titles differ from the order file: {:?}",
        &differ[..differ.len().min(5)]
    );
    println!("order file: {codes} codes valid on 2026-04-01, titles equal {same}, short titles compared {shorts}");
}

#[test]
fn pcs_builder_reaches_exactly_the_valid_codes() {
    let pcs = CodeSet::icd10pcs();
    let valid = pcs_mce_valid_on(20261001);
    // Counting through the builder: the codes under each first character add up.
    let first = pcs.next_characters("", None).unwrap();
    let total: usize = first.iter().map(|n| n.codes).sum();
    assert_eq!(total, valid.len());
    assert!(first
        .iter()
        .all(|n| n.position == 1 && n.axis.as_deref() == Some("Section") || n.axis.is_none()));
    // Walking a sample of codes axis by axis: each character is offered.
    for code in valid.iter().step_by(499) {
        assert!(first.iter().any(|n| code.starts_with(n.ch)));
        for i in 1..7 {
            let next = pcs.next_characters(&code[..i], None).unwrap();
            let ch = code[i..].chars().next().unwrap();
            let n = next
                .iter()
                .find(|n| n.ch == ch)
                .unwrap_or_else(|| panic!("{code} at {}", i + 1));
            if i == 6 {
                assert_eq!(n.code.as_deref(), Some(code.as_str()));
            }
        }
    }
    // Section 0 tables carry labels: 0DT (Resection of the gastrointestinal system).
    let labels = pcs.axis_labels("0DTJ0ZZ");
    assert_eq!(labels.len(), 7);
    assert!(
        labels
            .iter()
            .all(|(_, axis, label)| axis.is_some() && label.is_some()),
        "{labels:?}"
    );
    assert!(matches!(
        pcs.next_characters("0DTJ0ZZ", None),
        Err(medcode::systems::icd10pcs::BuilderError::TooLong(7))
    ));
    assert!(pcs.next_characters("0D\u{0}", None).is_err());
}

#[test]
fn pcs_validate_names_the_first_bad_position_and_the_o_i_rule() {
    let pcs = CodeSet::icd10pcs();
    let valid = pcs_mce_valid_on(20261001);
    let mut checked = 0;
    for code in valid.iter().step_by(997) {
        // Change the 5th character to one no valid code continues with.
        let allowed: BTreeSet<char> = pcs
            .next_characters(&code[..4], None)
            .unwrap()
            .iter()
            .map(|n| n.ch)
            .collect();
        let Some(bad) = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
            .chars()
            .find(|c| !allowed.contains(c))
        else {
            continue;
        };
        let wrong = format!("{}{bad}{}", &code[..4], &code[5..]);
        let v = pcs.validate(&wrong);
        assert!(!v.result);
        assert_eq!(
            v.issues[0].reason,
            Reason::BadAxis,
            "{wrong}: {:?}",
            v.issues
        );
        assert!(
            v.issues[0].text.contains("character 5"),
            "{}",
            v.issues[0].text
        );
        checked += 1;
    }
    assert!(checked > 50);
    let v = pcs.validate("0DTJOZZ");
    assert!(v.issues[0].text.contains("O and I"), "{:?}", v.issues);
    assert!(v.suggestions.iter().any(|s| s.code == "0DTJ0ZZ"));
}

/// Quarter start day of each I/OCE version.
fn ioce_quarters() -> BTreeMap<u32, u32> {
    registry_rows("ioce_versions.tsv")
        .into_iter()
        .map(|r| (r[1].parse().unwrap(), r[2].parse().unwrap()))
        .collect()
}

#[test]
fn hcpcs_every_quarter_matches_the_ioce_table_code_by_code() {
    let hcpcs = CodeSet::hcpcs();
    let rows = registry_rows("ioce_hcpcs.tsv");
    let quarters = ioce_quarters();
    let mut counts = BTreeMap::new();
    for (&version, &start) in &quarters {
        let official: BTreeSet<String> = rows
            .iter()
            .filter(|r| {
                r[2].parse::<u32>().unwrap() <= version && version <= r[3].parse::<u32>().unwrap()
            })
            .map(|r| r[0].split('|').next().unwrap().to_owned())
            .collect();
        let ours = embedded_valid_on(hcpcs, start);
        let extra: Vec<_> = ours.difference(&official).take(5).collect();
        let missing: Vec<_> = official.difference(&ours).take(5).collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "{start}: extra {extra:?}, missing {missing:?}"
        );
        counts.insert(start, ours.len());
    }
    for code in &CodeSet::hcpcs().map().stream().into_str_keys().unwrap() {
        assert!(
            code.len() == 5 && !code.starts_with('D') && code.as_bytes()[0].is_ascii_uppercase(),
            "{code}"
        );
    }
    println!("HCPCS codes valid per quarter: {counts:?}");
}

/// HCPCS is far older than its embedded history, which starts with the
/// first I/OCE quarter the registry tables hold. A code valid since that
/// quarter has no known start (lookup gave `validFrom` 2019-07-01 for codes
/// decades older, and FHIR `$lookup` an `effectiveDate` to match); a code
/// added later keeps its start; a date before the history is refused naming
/// the history's start, not as a date before HCPCS took effect.
#[test]
fn hcpcs_start_is_unknown_for_codes_of_the_first_ioce_quarter() {
    let hcpcs = CodeSet::hcpcs();
    let quarters = ioce_quarters();
    let (&first_version, &first_day) = quarters.iter().next().unwrap();
    let newest = quarters.keys().next_back().unwrap().to_string();
    let rows = registry_rows("ioce_hcpcs.tsv");
    let span_start = |code: &str| {
        hcpcs
            .lookup_on(code, None)
            .unwrap()
            .and_then(|d| d.span)
            .map(|s| s.start)
    };
    let since_first = rows
        .iter()
        .find(|r| r[2] == first_version.to_string() && r[3] == newest)
        .map(|r| r[0].split('|').next().unwrap().to_owned())
        .unwrap();
    assert_eq!(span_start(&since_first), Some(first_day), "{since_first}");
    assert_eq!(hcpcs.known_start(first_day), None);
    let (added, version) = rows
        .iter()
        .filter(|r| r[3] == newest && r[2] != first_version.to_string())
        .map(|r| {
            (
                r[0].split('|').next().unwrap().to_owned(),
                r[2].parse::<u32>().unwrap(),
            )
        })
        .find(|(code, _)| {
            rows.iter()
                .filter(|r| r[0].starts_with(code.as_str()))
                .count()
                == 1
        })
        .unwrap();
    let start = quarters[&version];
    assert_eq!(span_start(&added), Some(start), "{added}");
    assert_eq!(hcpcs.known_start(start), Some(start), "{added}");
    // A year before the history's first day.
    let before = hcpcs.validate_on(&since_first, Some(first_day - 10_000));
    assert!(!before.result);
    assert_eq!(before.issues[0].reason, Reason::DateOutOfRange);
    assert!(
        before.issues[0].text.contains("history starts")
            && before.issues[0]
                .text
                .contains(&medcode::history::iso(first_day)),
        "{}",
        before.issues[0].text
    );
    // ICD-10-PCS's history starts when ICD-10 took effect: that start is known.
    let pcs = CodeSet::icd10pcs();
    let pcs_first = pcs.history().unwrap().releases()[0].start;
    assert_eq!(pcs.known_start(pcs_first), Some(pcs_first));
}

#[test]
fn hcpcs_official_october_2025_codes_titles_and_modifiers() {
    let path = "tables/releases/hcpcs-2025-10/hcpcs_2025oct.tsv.gz";
    let text = common::release_text("hcpcs-2025-10/hcpcs_2025oct.tsv.gz");
    let records = medcode_tables::hcpcs::read_anweb_tsv(path, &text).unwrap();
    let hcpcs = CodeSet::hcpcs();
    let (mut active, mut titles) = (0, 0);
    for r in &records {
        if r.record_id == medcode_tables::hcpcs::RECORD_PROCEDURE && r.active_on(20251001) {
            active += 1;
            assert!(
                hcpcs.is_valid_on(&r.code, 20251001),
                "{} is active in the ANWEB file",
                r.code
            );
            assert_eq!(
                hcpcs.lookup(&r.code).unwrap().unwrap().display,
                r.long,
                "{}",
                r.code
            );
            let want = Some(r.short.clone()).filter(|s| *s != r.long && !s.is_empty());
            assert_eq!(hcpcs.short_title(&r.code), want, "{} short title", r.code);
            titles += 1;
        }
        if r.record_id == medcode_tables::hcpcs::RECORD_MODIFIER && r.active_on(20251001) {
            let m = hcpcs
                .modifier(&r.code)
                .unwrap_or_else(|| panic!("modifier {}", r.code));
            assert_eq!(m.display, r.long, "{}", r.code);
        }
    }
    println!("ANWEB October 2025: {active} active procedures all valid on 2025-10-01; {titles} long and short titles compared");
}

/// The search of a flat system takes the billable flag of its code map as
/// the newest release's status (it skips the walk over the history that
/// ICD-10-CM needs): every key of PCS and HCPCS is billable in the map
/// exactly when the history says it is billable in the newest release.
#[test]
fn flat_code_maps_mark_billable_exactly_the_codes_of_the_newest_release() {
    for set in [CodeSet::icd10pcs(), CodeSet::hcpcs()] {
        let mut stream = set.map().stream();
        let mut billable = 0;
        while let Some((k, v)) = stream.next() {
            let entry = medcode_tables::layout::Entry::decode(v);
            let key = std::str::from_utf8(k).unwrap();
            assert_eq!(
                entry.billable,
                set.billable_now(key, &entry),
                "{} {key}: map and history disagree",
                set.system().id
            );
            billable += usize::from(entry.billable);
        }
        assert!(
            billable > 1000,
            "{}: {billable} billable codes",
            set.system().id
        );
    }
}

#[test]
fn cpt_without_a_licensed_table_checks_the_format_only() {
    let cpt = CodeSet::cpt();
    assert!(cpt.is_format_only());
    for (code, ok) in [
        ("99213", true),
        ("1234F", true),
        ("0042T", true),
        ("0001U", true),
        ("9921", false),
        ("99213A", false),
        ("J0570", false),
    ] {
        assert_eq!(cpt.is_valid(code), ok, "{code}");
        let v = cpt.validate(code);
        assert_eq!(v.result, ok, "{code}");
        assert!(v.display.is_none());
        if ok {
            assert_eq!(v.issues[0].reason, Reason::FormatOnly);
            assert!(v.issues[0].text.contains("licensed"));
        }
    }
    assert!(cpt.lookup("99213").unwrap().is_none());
}

#[test]
fn find_takes_the_start_of_a_pcs_or_hcpcs_code_as_a_prefix() {
    // Regression: `find('0DTJ')` was read as words (the ICD-10-CM code shape).
    let pcs = CodeSet::icd10pcs();
    let code = pcs_mce_valid_on(20261001)
        .into_iter()
        .find(|c| c.starts_with("0DTJ"))
        .unwrap();
    let f = pcs.find("0dtj", 20);
    assert_eq!(f.mode, medcode::FindMode::Prefix);
    assert!(f.hits.iter().all(|h| h.code.starts_with("0DTJ")));
    assert!(f.hits.iter().any(|h| h.code == code));
    let f = pcs.find(&code, 5);
    assert_eq!(
        (f.mode, f.hits[0].code.as_str()),
        (medcode::FindMode::Code, code.as_str())
    );
    let hcpcs = CodeSet::hcpcs();
    assert_eq!(hcpcs.find("E011", 5).mode, medcode::FindMode::Prefix);
}

/// A deleted HCPCS code was reported as deleted and, in a second issue, as "a
/// non-billable header; 0 billable codes lie under it": a flat system's
/// deleted code is no header, and the dates say all there is.
#[test]
fn hcpcs_deleted_code_is_not_also_called_a_header() {
    let hcpcs = CodeSet::hcpcs();
    let newest = hcpcs.newest_date().unwrap();
    let keys = hcpcs.map().stream().into_str_keys().unwrap();
    // Codes of the table that are not valid in the newest quarter: deleted.
    let deleted: Vec<&String> = keys
        .iter()
        .filter(|k| !hcpcs.is_valid_on(k, newest))
        .take(50)
        .collect();
    assert!(deleted.len() >= 10, "{deleted:?}");
    for code in deleted {
        let v = hcpcs.validate_on(code, None);
        assert!(!v.result, "{code}");
        assert_eq!(v.issues.len(), 1, "{code}: {:?}", v.issues);
        assert_eq!(
            v.issues[0].reason.as_str(),
            "deleted",
            "{code}: {:?}",
            v.issues
        );
    }
    // An ICD-10-CM code that was billable and is now a header (subdivided)
    // keeps the header issue, which names the billable codes under it.
    let cm = CodeSet::icd10cm();
    let newest = cm.newest_date().unwrap();
    let keys = cm.map().stream().into_str_keys().unwrap();
    let subdivided = keys
        .iter()
        .find(|k| {
            !cm.is_valid_on(k, newest)
                && cm.is_valid_on(k, 20161001)
                && cm
                    .entry(k.as_bytes())
                    .is_some_and(|e| cm.billable_under(k, &e) > 0)
        })
        .expect("a code subdivided since FY2017");
    let v = cm.validate_on(subdivided, None);
    let reasons: Vec<&str> = v.issues.iter().map(|i| i.reason.as_str()).collect();
    assert!(reasons.contains(&"header"), "{subdivided}: {reasons:?}");
}

/// PCS titles ship as templates over their codes' axis labels
/// (`medcode_tables::templates`), and short titles are written against
/// them: every title and short title of the table the build assembles must
/// read back exactly, with no slot byte left.
#[test]
fn pcs_titles_stored_as_templates_read_back_exactly() {
    let pcs = CodeSet::icd10pcs();
    let registry = common::tables_dir().join("registry");
    let (assembled, _) = medcode_tables::systems::icd10pcs(
        &registry,
        &common::releases_dir(),
        &common::tables_dir().join("updates"),
    )
    .unwrap();
    let info = pcs.info_json();
    let templates: usize = info
        .split("\"titleTemplates\":")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("info.json counts titleTemplates");
    assert!(templates > 0, "no PCS title is stored as a template");
    let (mut titles, mut shorts) = (0, 0);
    for row in &assembled.table.rows {
        let want = row.long_title.as_ref().or(row.short_title.as_ref());
        let Some(want) = want else { continue };
        let c = pcs
            .lookup(&row.code)
            .unwrap()
            .unwrap_or_else(|| panic!("{} unknown", row.code));
        assert_eq!(&c.display, want, "{} title", row.code);
        assert!(!c.display.chars().any(char::is_control), "{}", row.code);
        titles += 1;
        let want_short = match (&row.short_title, &row.long_title) {
            (Some(s), Some(l)) if s != l && !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        if want_short.is_some() {
            shorts += 1;
        }
        assert_eq!(
            pcs.short_title(&row.code),
            want_short,
            "{} short title",
            row.code
        );
    }
    println!(
        "PCS titles read back: {titles} titles ({templates} stored as templates), {shorts} short titles"
    );
}

/// The refresh path for an HCPCS workbook (issue 15 point 6): the committed
/// October 2025 ANWEB workbook, named as the July 2026 quarter, merged into
/// the history. Its report must be the difference, computed here from the
/// assembled tables, between the codes valid on 2026-06-30 and the records
/// the workbook has active on 2026-07-01, for procedures and modifiers.
#[test]
fn hcpcs_workbook_merged_as_a_newer_quarter_reports_exactly_its_differences() {
    use medcode_tables::refresh;
    let registry = common::tables_dir().join("registry");
    let releases = common::releases_dir();
    let work = std::env::temp_dir().join(format!("medcode-hcpcs-refresh-{}", std::process::id()));
    let folder = work.join("release");
    let updates = work.join("updates");
    std::fs::create_dir_all(&folder).unwrap();
    let workbook = releases.join("hcpcs-2025-10/HCPC2025_OCT_ANWEB.xlsx");
    std::fs::copy(&workbook, folder.join("HCPC2026_JUL_ANWEB.xlsx")).unwrap();
    let checked = refresh::check_folder(&folder, &updates).unwrap();
    refresh::store(&folder, &checked, &updates).unwrap();
    let (base, base_mods) =
        medcode_tables::systems::hcpcs(&registry, &releases, &work.join("none")).unwrap();
    let (merged, merged_mods) =
        medcode_tables::systems::hcpcs(&registry, &releases, &updates).unwrap();
    let records = medcode_tables::hcpcs::read_anweb_xlsx(&workbook).unwrap();
    let expect = |table: &medcode_tables::flat::FlatTable, record_id: u8| {
        let now: BTreeMap<&str, &str> = records
            .iter()
            .filter(|r| r.record_id == record_id && r.active_on(20260701))
            .map(|r| (r.code.as_str(), r.long.as_str()))
            .collect();
        let before: BTreeMap<&str, Option<&str>> = table
            .valid_on(20260630)
            .map(|r| (r.code.as_str(), r.long_title.as_deref()))
            .collect();
        let added: Vec<String> = now
            .keys()
            .filter(|c| !before.contains_key(*c))
            .map(|c| c.to_string())
            .collect();
        let deleted: Vec<String> = before
            .keys()
            .filter(|c| !now.contains_key(*c))
            .map(|c| c.to_string())
            .collect();
        let retitled: Vec<String> = now
            .iter()
            .filter(|(c, t)| {
                before
                    .get(*c)
                    .is_some_and(|old| old.is_some_and(|o| o != **t))
            })
            .map(|(c, _)| c.to_string())
            .collect();
        (added, deleted, retitled)
    };
    let [report] = merged.updates.as_slice() else {
        panic!("one report: {:?}", merged.updates.len())
    };
    assert_eq!(
        (report.effective, report.release.as_str()),
        (20260701, "July 2026 quarter")
    );
    let (added, deleted, retitled) = expect(&base.table, 3);
    assert!(
        !added.is_empty() || !deleted.is_empty(),
        "the quarters differ"
    );
    assert_eq!(report.codes.added, added);
    assert_eq!(report.codes.deleted, deleted);
    assert_eq!(report.codes.retitled, retitled);
    let (added, deleted, retitled) = expect(&base_mods, 7);
    assert_eq!(report.modifiers.added, added);
    assert_eq!(report.modifiers.deleted, deleted);
    assert_eq!(report.modifiers.retitled, retitled);
    // And the merged table says so by date.
    for code in &report.codes.deleted {
        let row = merged.table.get(code).unwrap();
        assert!(row.valid_on(20260630) && !row.valid_on(20260701), "{code}");
    }
    for code in &report.codes.added {
        assert!(merged.table.get(code).unwrap().valid_on(20260701), "{code}");
    }
    assert_eq!(merged.releases.last().map(|(d, _)| *d), Some(20260701));
    assert!(merged_mods.rows.len() >= base_mods.rows.len());
    let _ = std::fs::remove_dir_all(&work);
}

/// `nextCharacters` counts by one walk over the validity spans (it looked up
/// every code and took 49 ms in wasm); on past dates its counts are still
/// the codes valid then, character by character and under a table.
#[test]
fn pcs_next_characters_on_a_past_date_counts_the_codes_valid_then() {
    let pcs = CodeSet::icd10pcs();
    let count = |prefix: &str, date: u32| -> BTreeMap<char, usize> {
        pcs.next_characters(prefix, Some(date))
            .unwrap()
            .iter()
            .map(|n| (n.ch, n.codes))
            .collect()
    };
    for date in [20151001, 20200101, 20261001] {
        let valid = embedded_valid_on(pcs, date);
        for prefix in ["", "0DT", "0DTJ"] {
            let mut expected: BTreeMap<char, usize> = BTreeMap::new();
            for code in valid.iter().filter(|c| c.starts_with(prefix)) {
                *expected
                    .entry(code[prefix.len()..].chars().next().unwrap())
                    .or_default() += 1;
            }
            assert!(!expected.is_empty(), "{prefix:?} on {date}");
            assert_eq!(count(prefix, date), expected, "{prefix:?} on {date}");
        }
    }
}
