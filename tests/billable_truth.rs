//! One billable truth (issue 15, point 4): `find`, `search` and `children`
//! answer the status in the newest release, as `lookup` and `isValid` do.
//! Regression: the 30 ICD-10-CM codes that ended on 2026-09-30 (D69.1 among
//! them) came back `billable: true` from prefix, find and search, read from
//! the April 2026 tabular's flag. The codes are read from the committed MCE
//! validity table, not typed here.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use medcode::CodeSet;

/// Codes (no dot) whose validity ends on `end` / starts on `start`.
fn ended_and_new() -> (Vec<String>, Vec<String>) {
    let spans = common::mce_icd10cm_spans();
    let ended = spans
        .iter()
        .filter(|(_, &(_, end))| end == 20260930)
        .map(|(c, _)| c.clone())
        .collect();
    let new = spans
        .iter()
        .filter(|(_, &(start, _))| start == 20261001)
        .map(|(c, _)| c.clone())
        .collect();
    (ended, new)
}

#[test]
fn codes_ended_on_2026_09_30_are_never_billable_through_find_search_or_children() {
    let cm = CodeSet::icd10cm();
    let (ended, new) = ended_and_new();
    assert_eq!(
        (ended.len(), new.len()),
        (30, 190),
        "the FY2027 addenda counts"
    );
    for code in &ended {
        assert!(!cm.is_valid(code), "{code}");
        let found = cm.find(code, 5);
        let hit = found
            .hits
            .iter()
            .find(|h| h.key == *code)
            .unwrap_or_else(|| panic!("{code}: not found"));
        assert!(!hit.billable, "find {code}: {hit:?}");
        let c = cm.lookup(code).unwrap().unwrap();
        assert_eq!(hit.billable, c.billable, "{code}: find and lookup disagree");
        for h in cm.search(&c.display, 20) {
            assert_eq!(
                h.billable,
                cm.is_valid(&h.key),
                "search {:?}: {}",
                c.display,
                h.key
            );
        }
        let parent = &code[..code.len() - 1];
        for child in cm.children(parent).unwrap().unwrap_or_default() {
            assert_eq!(
                child.billable,
                cm.is_valid(&child.code),
                "children of {parent}: {}",
                child.code
            );
        }
    }
    // A deleted code never outranks a valid one for its own title's words
    // (among the results that match every word).
    let d691 = cm.lookup("D69.1").unwrap().unwrap();
    let hits: Vec<_> = cm
        .search(&d691.display, 10)
        .into_iter()
        .filter(|h| h.unmatched.is_empty())
        .collect();
    assert!(hits.iter().any(|h| h.code == "D69.1"), "{hits:?}");
    let first_deleted = hits
        .iter()
        .position(|h| !cm.is_valid(&h.key) && h.kind == medcode::Kind::Code);
    let last_valid = hits.iter().rposition(|h| cm.is_valid(&h.key));
    if let (Some(d), Some(v)) = (first_deleted, last_valid) {
        assert!(d > v, "a deleted code ranks above a valid one: {hits:?}");
    }
    // The codes new on 2026-10-01 are billable wherever they are answered.
    // (They are not in the April 2026 tabular, so `find` lists them only
    // once the FY2027 titles are compiled in: issue 15, point 2.)
    for code in &new {
        assert!(cm.is_valid(code), "{code}");
        let c = cm.lookup(code).unwrap().unwrap_or_else(|| panic!("{code}"));
        assert!(c.billable, "lookup {code}: {c:?}");
        for h in cm.find(code, 1).hits {
            assert_eq!(h.billable, cm.is_valid(&h.key), "find {code}: {h:?}");
        }
    }
}
