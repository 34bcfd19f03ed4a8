//! FY2027 titles (issue 15 point 2): every ICD-10-CM code valid on
//! 2026-10-01 has a title, and the titles the FY2027 addenda revised read
//! as they were before that day and as revised from it. Expected values
//! come from the committed addenda file (a transcription: see its
//! SOURCE.md) and the MCE validity table, never typed here.

mod common;

use medcode::CodeSet;

const ADDENDA: &str = "icd10cm-2027-addenda-transcribed/icd10cm_codes_addenda_2027.txt.gz";
const FY2027: u32 = 20261001;

fn addenda() -> medcode_tables::addenda::Addenda {
    medcode_tables::addenda::read(ADDENDA, &common::release_text(ADDENDA)).unwrap()
}

#[test]
fn every_code_valid_on_2026_10_01_has_a_title() {
    let cm = CodeSet::icd10cm();
    let valid = common::mce_icd10cm_valid_on(FY2027);
    assert!(valid.len() > 70_000);
    let untitled: Vec<&String> = valid
        .iter()
        .filter(|k| {
            cm.lookup_on(k, Some(FY2027))
                .ok()
                .flatten()
                .is_none_or(|c| c.concept.display.is_empty())
        })
        .collect();
    assert!(
        untitled.is_empty(),
        "{} untitled, e.g. {:?}",
        untitled.len(),
        &untitled[..untitled.len().min(5)]
    );
}

#[test]
fn codes_added_in_fy2027_answer_with_the_addenda_title_everywhere() {
    let cm = CodeSet::icd10cm();
    let a = addenda();
    assert_eq!(a.added.len(), 190);
    for (code, title) in &a.added {
        let c = cm.lookup(code).unwrap().unwrap();
        assert_eq!(&c.display, title, "lookup {code}");
        assert!(c.billable, "{code} is billable in FY2027");
        let v = cm.validate_on(code, Some(FY2027));
        assert!(v.result, "{code}");
        assert_eq!(
            v.display.as_deref(),
            Some(title.as_str()),
            "validate {code}"
        );
        assert!(
            v.issues
                .iter()
                .any(|i| i.text.contains("addenda (transcribed)")),
            "{code}: the answer says where its title comes from: {:?}",
            v.issues
        );
        // Before FY2027 the code is not valid yet, and keeps its title.
        let before = cm.validate_on(code, Some(20260930));
        assert!(!before.result);
        assert_eq!(before.display.as_deref(), Some(title.as_str()));
    }
}

/// Regression: on today's dates (FY2027 in force) search did not know the
/// codes FY2027 added: `hx of c diff` gave Z91.81 History of falling, and
/// `Z86.17` typed in the search box R29.717 NIHSS score 17. The codes the
/// addenda add are now documents of the word index (the build and the
/// module list them alike), ranked like every other code.
#[test]
fn codes_added_in_fy2027_are_found_by_their_title_and_as_typed() {
    let cm = CodeSet::icd10cm();
    let added = addenda().added;
    let mut first = 0;
    for (code, title) in &added {
        let shown = cm.lookup(code).unwrap().unwrap().code;
        let hits = cm.search(title, 10);
        assert!(
            hits.iter()
                .any(|h| h.code == shown && h.billable && &h.display == title),
            "search {title:?}: {:?}",
            hits.iter().map(|h| &h.code).collect::<Vec<_>>()
        );
        first += usize::from(hits[0].code == shown);
        let found = cm.find(&shown, 5).hits;
        assert_eq!(
            found.first().map(|h| (h.code.as_str(), h.billable)),
            Some((shown.as_str(), true)),
            "find {shown}"
        );
    }
    println!(
        "{first} of {} new codes first for their own title",
        added.len()
    );
    // The coder's words for the new history code of C. difficile.
    let (code, _) = added
        .iter()
        .find(|(_, t)| t.starts_with("Personal history of Clostridioides difficile"))
        .expect("the addenda add it");
    let shown = cm.lookup(code).unwrap().unwrap().code;
    let hits = cm.find("history of c diff", 3).hits;
    assert_eq!(hits.first().map(|h| &h.code), Some(&shown));
}

/// Regression: `children('Z86.1')` and `prefix('Z86.1')` left out Z86.17,
/// new on 2026-10-01: a coder browsing the tree on today's date missed the
/// codes FY2027 adds. They are now listed under their parent, in code order.
#[test]
fn codes_added_in_fy2027_are_listed_under_their_parent() {
    let cm = CodeSet::icd10cm();
    let added = addenda().added;
    let mut under_a_parent = 0;
    for (code, title) in &added {
        let found = cm.lookup_on(code, None).unwrap().unwrap();
        let shown = found.concept.code;
        let listed = cm.children(&shown).unwrap();
        assert_eq!(listed.map(|c| c.len()), Some(0), "children of {shown}");
        let Some(parent) = found.parent else { continue };
        let parent = cm.lookup(&parent).unwrap().unwrap().code;
        under_a_parent += 1;
        let above = cm.ancestors(&shown).unwrap().unwrap();
        assert_eq!(
            above.first().map(|c| &c.code),
            Some(&parent),
            "ancestors {shown}"
        );
        let children = cm.children(&parent).unwrap().unwrap();
        let child = children.iter().find(|c| c.code == shown);
        assert!(
            child.is_some_and(|c| c.billable && &c.display == title),
            "children of {parent} lack {shown}"
        );
        let codes: Vec<String> = cm
            .prefix(&parent, 10_000)
            .unwrap()
            .into_iter()
            .map(|c| c.code)
            .collect();
        let at = codes.iter().position(|c| *c == shown);
        let before = at.and_then(|i| i.checked_sub(1)).and_then(|i| codes.get(i));
        assert!(
            before.is_some_and(|b| *b < shown),
            "prefix {parent}: {shown} after {before:?}"
        );
    }
    println!(
        "{under_a_parent} of {} new codes have a parent in the tabular",
        added.len()
    );
    assert!(under_a_parent * 2 > added.len());
    // Typed short, they are listed too (after the book's categories when
    // their category is new).
    for (code, _) in &added {
        let shown = cm.lookup(code).unwrap().unwrap().code;
        let codes: Vec<String> = cm
            .prefix(&shown[..2], 100_000)
            .unwrap()
            .into_iter()
            .map(|c| c.code)
            .collect();
        assert!(
            codes.contains(&shown),
            "prefix {} lacks {shown}",
            &shown[..2]
        );
    }
}

#[test]
fn revised_titles_read_old_before_2026_10_01_and_new_from_it() {
    let cm = CodeSet::icd10cm();
    let a = addenda();
    assert_eq!(a.revised.len(), 4);
    for (code, old, new) in &a.revised {
        let on = |date| {
            cm.lookup_on(code, Some(date))
                .unwrap()
                .unwrap()
                .concept
                .display
        };
        assert_eq!(&on(20260930), old, "{code} before FY2027");
        assert_eq!(&on(FY2027), new, "{code} in FY2027");
        assert_eq!(
            &cm.lookup(code).unwrap().unwrap().display,
            new,
            "{code} undated: the newest release"
        );
        assert_eq!(
            cm.validate_on(code, Some(20251001)).display.as_deref(),
            Some(old.as_str())
        );
        assert_eq!(
            cm.validate_on(code, None).display.as_deref(),
            Some(new.as_str())
        );
        // Lists (prefix, search) show the newest title too.
        let key = code.as_str();
        let hits = cm.find(key, 5).hits;
        assert_eq!(
            hits.first().map(|h| h.display.as_str()),
            Some(new.as_str()),
            "find {code}"
        );
    }
}

#[test]
fn info_says_the_addenda_titles_are_transcribed() {
    let info = CodeSet::icd10cm().info_json();
    let a = addenda();
    for needle in [
        "\"addenda\":{\"file\":\"icd10cm_codes_addenda_2027.txt\"".to_string(),
        "\"transcribed\":true".to_string(),
        format!("\"added\":{}", a.added.len()),
        format!("\"revised\":{}", a.revised.len()),
    ] {
        assert!(info.contains(&needle), "info lacks {needle}: {info}");
    }
}
