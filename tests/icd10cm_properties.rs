//! Property tests over the embedded ICD-10-CM: answers never depend on case,
//! dot or spaces; normalization is idempotent; every code of the official
//! files is found and no other code-shaped string is; `prefix` equals a scan
//! of the sorted official keys; no input panics.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use medcode::normalize::{dotted, normalize};
use medcode::CodeSet;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Billable codes valid on 2026-04-01 per the MCE table.
fn official() -> &'static BTreeSet<String> {
    static SET: OnceLock<BTreeSet<String>> = OnceLock::new();
    SET.get_or_init(|| common::mce_icd10cm_valid_on(20260401))
}

/// Every category and code key (headers included) per the official files.
fn official_keys() -> &'static BTreeSet<String> {
    static SET: OnceLock<BTreeSet<String>> = OnceLock::new();
    SET.get_or_init(common::official_code_keys)
}

/// What `lookup` finds: the tabular's keys and every code valid at some time FY2016–FY2027.
fn lookup_keys() -> &'static BTreeSet<String> {
    static SET: OnceLock<BTreeSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        official_keys()
            .iter()
            .cloned()
            .chain(common::mce_icd10cm_all_codes())
            .collect()
    })
}

fn nth_key(set: &BTreeSet<String>, i: usize) -> &String {
    set.iter()
        .nth(i % set.len())
        .unwrap_or_else(|| unreachable!("{i}"))
}

/// Each `<diag>` of the tabular XML (key) by its place in document order:
/// the book's order, depth first.
fn document_order() -> &'static std::collections::HashMap<String, usize> {
    static ORDER: OnceLock<std::collections::HashMap<String, usize>> = OnceLock::new();
    ORDER.get_or_init(|| {
        let xml = common::tabular_xml();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("diag"))
            .filter_map(|n| n.children().find(|c| c.has_tag_name("name"))?.text())
            .enumerate()
            .map(|(i, name)| (name.replace('.', ""), i))
            .collect()
    })
}

/// The codes FY2027 adds that the tabular does not list (MCE table): the
/// listings show them among the tabular's, in key order.
fn added_keys() -> BTreeSet<String> {
    let before = common::mce_icd10cm_valid_on(20260401);
    common::mce_icd10cm_valid_on(20261001)
        .into_iter()
        .filter(|k| !before.contains(k) && !official_keys().contains(k))
        .collect()
}

/// Every official key in tabular order (a code made with a 7th character
/// right after its leaf), and the codes FY2027 adds each right after the
/// official key before it in key order, sorted once.
fn tabular_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let order = document_order();
        let place = |k: &str| {
            (1..=k.len())
                .rev()
                .find_map(|n| order.get(&k[..n]).copied())
                .unwrap_or(usize::MAX)
        };
        let added = added_keys();
        // The module's list (from the transcribed addenda) is the MCE table's.
        let module: BTreeSet<String> = CodeSet::icd10cm()
            .added_keys()
            .iter()
            .map(|k| k.to_string())
            .collect();
        assert!(!added.is_empty() && module == added);
        let mut keys: Vec<(usize, String)> = official_keys()
            .iter()
            .map(|k| (place(k), k.clone()))
            .chain(added.iter().map(|k| {
                let before = official_keys().range(..k.clone()).next_back();
                (before.map_or(usize::MAX, |b| place(b)), k.clone())
            }))
            .collect();
        keys.sort();
        keys.into_iter().map(|(_, k)| k).collect()
    })
}

/// The official keys starting with `key`, in tabular order, at most `limit`, dotted.
fn scan(key: &str, limit: usize) -> Vec<String> {
    tabular_keys()
        .iter()
        .filter(|k| k.starts_with(key))
        .take(limit)
        .map(|k| dotted(k))
        .collect()
}

#[test]
fn every_official_key_is_found() {
    let cm = CodeSet::icd10cm();
    let keys = official_keys();
    assert!(keys.len() > official().len(), "{}", keys.len());
    let newest = common::mce_icd10cm_valid_on(20261001);
    for key in keys {
        let c = cm.lookup(key).unwrap();
        let c = c.unwrap_or_else(|| panic!("{key} is in the official files but not found"));
        assert_eq!(c.code, dotted(key));
        // Without a date, billable means billable in the newest release (FY2027).
        assert_eq!(c.billable, newest.contains(key), "{key}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn code_shaped_strings_are_valid_exactly_when_official(code in "[A-Z][0-9][0-9A-Z]([0-9A-Z]{0,4})") {
        prop_assert_eq!(CodeSet::icd10cm().is_valid_on(&code, 20260401), official().contains(&code));
    }

    #[test]
    fn code_shaped_strings_are_found_exactly_when_official(code in "[A-Z][0-9][0-9A-Z]([0-9A-Z]{0,4})") {
        let found = CodeSet::icd10cm().lookup(&code).unwrap();
        prop_assert_eq!(found.is_some(), lookup_keys().contains(&code), "{}", code);
    }

    #[test]
    fn case_dot_and_spaces_never_change_an_answer(i in 0usize..200_000, lower: bool, pad in "[ \t]{0,2}") {
        let code = nth_key(official_keys(), i);
        let shown = dotted(code);
        let typed = format!("{pad}{}{pad}", if lower { shown.to_lowercase() } else { shown.clone() });
        let cm = CodeSet::icd10cm();
        prop_assert_eq!(cm.is_valid_on(&typed, 20260401), official().contains(code));
        prop_assert_eq!(cm.is_valid(&typed), cm.is_valid(code));
        prop_assert_eq!(cm.lookup(&typed).unwrap(), cm.lookup(code).unwrap());
        prop_assert_eq!(cm.validate(&typed).display, cm.validate(code).display);
        prop_assert_eq!(cm.children(&typed).unwrap(), cm.children(code).unwrap());
        prop_assert_eq!(cm.prefix(&typed, 5).unwrap(), cm.prefix(code, 5).unwrap());
    }

    #[test]
    fn normalization_is_idempotent(s in "[ \ta-zA-Z0-9.\\-]{0,12}|\\PC{0,20}") {
        if let Ok(k) = normalize(&s) {
            prop_assert_eq!(normalize(k.as_str()), Ok(k));
            prop_assert_eq!(normalize(&k.dotted()), Ok(k));
            let cm = CodeSet::icd10cm();
            prop_assert_eq!(cm.lookup(&k.dotted()).unwrap(), cm.lookup(&s).unwrap());
        }
    }

    #[test]
    fn prefix_equals_a_scan_of_the_sorted_official_keys(i in 0usize..200_000, cut in 1usize..8, limit in 0usize..60) {
        let key = nth_key(official_keys(), i);
        let p = &key[..cut.min(key.len())];
        let got: Vec<String> = CodeSet::icd10cm().prefix(p, limit).unwrap().into_iter().map(|c| c.code).collect();
        prop_assert_eq!(got, scan(p, limit), "prefix {}", p);
    }

    #[test]
    fn prefix_of_any_code_shaped_string_equals_the_scan(p in "[A-Z][0-9A-Z]{0,6}", lower: bool, limit in 0usize..30) {
        let typed = if lower { p.to_lowercase() } else { p.clone() };
        let got: Vec<String> = CodeSet::icd10cm().prefix(&typed, limit).unwrap().into_iter().map(|c| c.code).collect();
        prop_assert_eq!(got, scan(&p, limit), "prefix {}", p);
    }

    /// `isValidMany` reads its batch in one pass (`pack_line`); each answer
    /// must be the one `isValid` gives the line.
    #[test]
    fn a_batch_answers_each_line_as_is_valid_does(
        lines in prop::collection::vec(
            (0usize..200_000, "[ \t]{0,2}", 0u8..3, 0usize..9, "[ a-zA-Z0-9.\\-]{0,11}|\\PC{0,12}"),
            1..12,
        ),
    ) {
        let cm = CodeSet::icd10cm();
        let typed: Vec<String> = lines
            .iter()
            .map(|(i, pad, kind, at, junk)| {
                let code = dotted(nth_key(official_keys(), *i)).to_lowercase();
                match kind {
                    0 => format!("{pad}{code}{pad}"),
                    // A code with a stray character: a dot, a space, a dash.
                    1 => {
                        let at = at % (code.len() + 1);
                        let stray = [".", " ", "-"][at % 3];
                        format!("{pad}{}{stray}{}", &code[..at], &code[at..])
                    }
                    _ => junk.replace('\n', " "),
                }
            })
            .collect();
        // The one-pass path answers from the hash set, once it is built.
        cm.prepare_validity();
        let mut answers = Vec::new();
        cm.is_valid_lines(typed.join("\n").as_bytes(), &mut answers);
        let expected: Vec<u8> = typed.iter().map(|t| u8::from(cm.is_valid(t))).collect();
        prop_assert_eq!(answers, expected, "{:?}", typed);
    }

    #[test]
    fn any_string_gets_an_answer_without_panicking(s in "\\PC{0,24}") {
        let cm = CodeSet::icd10cm();
        let v = cm.validate(&s);
        prop_assert_eq!(v.result, cm.is_valid(&s));
        prop_assert!(v.result || !v.issues.is_empty());
        let _ = (cm.lookup(&s), cm.children(&s), cm.ancestors(&s), cm.prefix(&s, 5));
    }
}

#[test]
fn every_embedded_fst_map_verifies() {
    // The FSTs the crate embeds: the code map, the history map and the word
    // map inside the search index; each row count matches the fingerprint.
    let rows = |table: &str| -> usize {
        medcode::fingerprint::tables()
            .find(|t| t.table == table)
            .map_or(0, |t| t.rows as usize)
    };
    let cm = CodeSet::icd10cm();
    let map = cm.map();
    map.as_fst()
        .verify()
        .expect("checksum of the embedded ICD-10-CM FST");
    assert_eq!(map.len(), rows("icd10cm.codes.fst"));
    let history = cm.history().expect("ICD-10-CM has a history").map();
    history
        .as_fst()
        .verify()
        .expect("checksum of the history FST");
    assert_eq!(history.len(), rows("icd10cm.history.fst"));
    let search = medcode::fingerprint::table_bytes("icd10cm.search.bin").expect("search index");
    let index = medcode_tables::search::SearchIndex::new(search).expect("search index opens");
    index
        .words()
        .as_fst()
        .verify()
        .expect("checksum of the search word FST");
    assert!(index.words().len() > 10_000, "{}", index.words().len());
}
