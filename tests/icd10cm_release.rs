//! The embedded ICD-10-CM release checked against the official files: the
//! MCE validity table (billable codes valid on 2026-04-01) and an independent
//! reading of the committed CDC tabular XML.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{mce_icd10cm_valid_on, squash, tabular_xml};
use fst::Streamer;
use medcode::normalize::dotted;
use medcode::{CodeSet, Kind};
use std::collections::{BTreeMap, BTreeSet};

/// First day of the embedded tabular (FY2026, April 1 2026 update).
const TABULAR_DATE: u32 = 20260401;

fn all_keys() -> Vec<(String, medcode_tables::layout::Entry)> {
    let cm = CodeSet::icd10cm();
    let mut out = Vec::new();
    let mut stream = cm.map().stream();
    while let Some((k, v)) = stream.next() {
        out.push((
            String::from_utf8(k.to_vec()).unwrap(),
            medcode_tables::layout::Entry::decode(v),
        ));
    }
    out
}

#[test]
fn billable_codes_equal_the_mce_codes_valid_on_2026_04_01() {
    let official = mce_icd10cm_valid_on(20260401);
    assert_eq!(
        official.len(),
        74_719,
        "the official count for FY2026 (April 2026) is 74,719"
    );
    let ours: BTreeSet<String> = all_keys()
        .into_iter()
        .filter(|(_, e)| e.billable)
        .map(|(k, _)| k)
        .collect();
    let extra: Vec<_> = ours.difference(&official).take(20).collect();
    let missing: Vec<_> = official.difference(&ours).take(20).collect();
    assert!(extra.is_empty() && missing.is_empty(), "billable but not valid per MCE: {extra:?}; valid per MCE but not billable here: {missing:?}");
    let info = CodeSet::icd10cm().info_json();
    assert!(
        info.contains(&format!("\"billable\":{}", official.len())),
        "{info}"
    );
}

#[test]
fn fst_map_verifies() {
    CodeSet::icd10cm()
        .map()
        .as_fst()
        .verify()
        .expect("checksum of the embedded FST");
}

/// Reads every chapter, section and diag of the XML without the crate's parser:
/// lookup input → official title.
fn official_titles() -> BTreeMap<String, String> {
    let xml = tabular_xml();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut titles = BTreeMap::new();
    let text = |n: roxmltree::Node, tag: &str| {
        squash(
            n.children()
                .find(|c| c.has_tag_name(tag))
                .and_then(|c| c.text())
                .unwrap_or(""),
        )
    };
    for node in doc.descendants() {
        if node.has_tag_name("diag") || node.has_tag_name("chapter") {
            titles.insert(text(node, "name"), text(node, "desc"));
        } else if node.has_tag_name("section") {
            // One-category sections (`B10`) are looked up as `B10-B10`.
            let id = node.attribute("id").unwrap();
            let key = if id.contains('-') {
                id.to_owned()
            } else {
                format!("{id}-{id}")
            };
            titles.insert(key, text(node, "desc"));
        }
    }
    titles
}

#[test]
fn every_tabular_entry_has_its_official_title() {
    let cm = CodeSet::icd10cm();
    let titles = official_titles();
    assert!(titles.len() > 47_000, "{}", titles.len());
    // On the tabular's own release day (undated answers use the newest
    // release, FY2027, where the addenda revised 4 titles:
    // tests/icd10cm_addenda.rs).
    for (code, title) in &titles {
        let found = cm.lookup_on(code, Some(20260401)).unwrap();
        let found = found.unwrap_or_else(|| panic!("{code} is in the tabular but not found"));
        assert_eq!(&found.concept.display, title, "title of {code}");
    }
}

#[test]
fn codes_made_with_a_7th_character_read_leaf_title_comma_meaning() {
    let cm = CodeSet::icd10cm();
    let titles = official_titles();
    let mut checked = 0;
    for (key, entry) in all_keys() {
        if key.len() == 7 && entry.billable && !titles.contains_key(&dotted(&key)) {
            let parent = cm.parent_key(&key, &entry).unwrap();
            let leaf = &titles[&dotted(&parent)];
            let c = cm.concept(&key).unwrap();
            let meaning = c
                .display
                .strip_prefix(&format!("{leaf}, "))
                .unwrap_or_else(|| panic!("{key}: {:?}", c.display));
            let parent_entry = cm.entry(parent.as_bytes()).unwrap();
            let seventh = key.chars().last().unwrap();
            assert!(
                cm.seventh_options(&parent_entry)
                    .contains(&(seventh, meaning.to_owned())),
                "{key}: {meaning}"
            );
            checked += 1;
        }
    }
    assert!(checked > 50_000, "{checked}");
}

#[test]
fn every_entry_round_trips_and_sits_in_the_hierarchy() {
    let cm = CodeSet::icd10cm();
    let keys = all_keys();
    let mut children_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, entry) in &keys {
        let shown = dotted(key);
        for input in [shown.clone(), shown.to_lowercase(), format!("  {key} ")] {
            assert_eq!(
                cm.lookup(&input).unwrap().map(|c| c.code),
                Some(shown.clone()),
                "{input:?}"
            );
        }
        assert_eq!(cm.is_valid_on(&shown, TABULAR_DATE), entry.billable);
        match cm.parent_key(key, entry) {
            Some(p) => {
                children_of.entry(p).or_default().insert(key.clone());
            }
            None => assert_eq!(entry.kind, Kind::Chapter, "{key} has no parent"),
        }
    }
    // The codes FY2027 adds are listed under the nearest code above them.
    let tabular_children = children_of.clone();
    for added in cm.added_keys() {
        let parent = cm.parent_key(added, &medcode::codeset::ADDED_ENTRY);
        if let Some(p) = parent {
            children_of.entry(p).or_default().insert(added.to_string());
        }
    }
    let mut headers = 0;
    for (key, entry) in &keys {
        let listed: BTreeSet<String> = cm.child_keys(key, entry).into_iter().collect();
        let expected = children_of.remove(key).unwrap_or_default();
        assert_eq!(listed, expected, "children of {key}");
        assert_eq!(
            entry.billable,
            tabular_children.get(key).is_none_or(BTreeSet::is_empty),
            "{key}: billable in the tabular exactly when it has no children there"
        );
        headers +=
            usize::from(!entry.billable && matches!(entry.kind, Kind::Category | Kind::Code));
    }
    assert!(children_of.is_empty());
    assert!(CodeSet::icd10cm()
        .info_json()
        .contains(&format!("\"headers\":{headers}")));
}

#[test]
fn ancestors_run_from_parent_to_chapter() {
    let cm = CodeSet::icd10cm();
    let chain: Vec<(String, Kind)> = cm
        .ancestors("S72.001A")
        .unwrap()
        .unwrap()
        .into_iter()
        .map(|c| (c.code, c.kind))
        .collect();
    let kinds: Vec<Kind> = chain.iter().map(|c| c.1).collect();
    assert_eq!(
        kinds,
        [
            Kind::Code,
            Kind::Code,
            Kind::Code,
            Kind::Category,
            Kind::Block,
            Kind::Chapter
        ]
    );
    assert_eq!(chain[0].0, "S72.001");
    assert_eq!(chain[3].0, "S72");
}

#[test]
fn prefix_equals_a_sorted_scan() {
    let cm = CodeSet::icd10cm();
    let keys = all_keys();
    for p in ["S72", "E11", "T36.0X", "A0", "Z", "C4A"] {
        let want: Vec<String> = keys
            .iter()
            .filter(|(k, e)| {
                k.starts_with(&p.replace('.', "")) && matches!(e.kind, Kind::Category | Kind::Code)
            })
            .take(50)
            .map(|(k, _)| dotted(k))
            .collect();
        let got: Vec<String> = cm
            .prefix(p, 50)
            .unwrap()
            .into_iter()
            .map(|c| c.code)
            .collect();
        assert_eq!(got, want, "prefix {p}");
    }
}

#[test]
fn validate_header_counts_billable_codes_under_it() {
    let cm = CodeSet::icd10cm();
    let under = cm
        .prefix("E11", 10_000)
        .unwrap()
        .iter()
        .filter(|c| c.billable)
        .count();
    let v = cm.validate("e11");
    assert!(!v.result);
    assert_eq!(v.issues[0].code, "not-selectable");
    assert!(
        v.issues[0]
            .text
            .contains(&format!("{under} billable codes")),
        "{}",
        v.issues[0].text
    );
}

#[test]
fn validate_missing_7th_character_lists_the_allowed_ones() {
    let cm = CodeSet::icd10cm();
    let entry = cm.entry(b"S72001").unwrap();
    let options = cm.seventh_options(&entry);
    let children: Vec<String> = cm
        .children("S72.001")
        .unwrap()
        .unwrap()
        .into_iter()
        .map(|c| c.code)
        .collect();
    assert_eq!(children.len(), options.len());
    let text = &cm.validate("S72.001").issues[0].text;
    for (c, meaning) in &options {
        assert!(text.contains(&format!("{c} ({meaning})")), "{text}");
    }
}

#[test]
fn placeholder_x_missing_is_named() {
    let cm = CodeSet::icd10cm();
    // S32.9 is a tabular leaf that takes a 7th character, so its codes carry XX.
    assert!(cm.is_valid("S32.9XXA"));
    let v = cm.validate("S32.9A");
    assert!(
        v.issues[0]
            .text
            .contains("placeholder X is missing; did you mean S32.9XXA?"),
        "{}",
        v.issues[0].text
    );
}

/// Regression: the one-category block `B10` once shared its key with category B10.
#[test]
fn block_b10_does_not_shadow_category_b10() {
    let cm = CodeSet::icd10cm();
    assert_eq!(cm.lookup("B10").unwrap().unwrap().kind, Kind::Category);
    assert_eq!(cm.lookup("B10-B10").unwrap().unwrap().kind, Kind::Block);
    assert_eq!(cm.ancestors("B10").unwrap().unwrap()[0].code, "B10-B10");
}

/// Regression: the S06 note withdraws 7th characters D and S from codes whose
/// 6th character is 7 or 8 (death before regaining consciousness); 76 codes
/// were once made that the official release does not have.
#[test]
fn s06_death_codes_take_only_the_initial_encounter() {
    let cm = CodeSet::icd10cm();
    assert!(cm.is_valid("S06.1X7A"));
    assert!(!cm.is_valid("S06.1X7D"));
    assert!(!cm.is_valid("S06.1X7S"));
    assert!(cm.is_valid("S06.1X6D"));
}
