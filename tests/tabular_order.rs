//! Tabular order (issue 15 point 5): `children` and `prefix` list codes in
//! the order of the official tabular (I82.A-I82.C before I82.8 and I82.9),
//! not in key order. Expected orders are read from the committed tabular XML.

mod common;

use medcode::CodeSet;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Per parent code (no dot), its `<diag>` children in document order, read
/// with roxmltree (independently of the crate's parser), once.
fn official_children() -> &'static BTreeMap<String, Vec<String>> {
    static CHILDREN: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    CHILDREN.get_or_init(|| {
        let xml = common::tabular_xml();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let name = |n: roxmltree::Node| {
            n.children()
                .find(|c| c.has_tag_name("name"))
                .and_then(|c| c.text())
                .unwrap_or("")
                .replace('.', "")
        };
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for node in doc.descendants().filter(|n| n.has_tag_name("diag")) {
            let kids: Vec<String> = node
                .children()
                .filter(|c| c.has_tag_name("diag"))
                .map(name)
                .collect();
            if !kids.is_empty() {
                out.insert(name(node), kids);
            }
        }
        out
    })
}

fn key(code: &str) -> String {
    code.replace('.', "")
}

#[test]
fn children_follow_the_tabular_order() {
    let cm = CodeSet::icd10cm();
    let official = official_children();
    assert!(official.len() > 10_000, "{}", official.len());
    let mut reordered = 0;
    // Every parent the tabular reorders, and every 10th of the others
    // (children() of all 12,000 parents takes minutes in a debug build).
    let picked = official.iter().enumerate().filter(|(i, (_, kids))| {
        let mut s = (*kids).clone();
        s.sort();
        i % 10 == 0 || &s != *kids
    });
    for (_, (parent, kids)) in picked {
        // The codes FY2027 adds are listed too (`tests/icd10cm_addenda.rs`);
        // the tabular's keep its order.
        let ours: Vec<String> = cm
            .children(parent)
            .unwrap()
            .unwrap()
            .iter()
            .map(|c| key(&c.code))
            .filter(|k| !cm.added_keys().contains(&k.as_str()))
            .collect();
        assert_eq!(&ours, kids, "children of {parent}");
        let mut sorted = kids.clone();
        sorted.sort();
        reordered += usize::from(&sorted != kids);
    }
    // Parents whose tabular order is not key order (I82, Z91, G43, S06.3x…).
    assert!(reordered >= 40, "{reordered}");
}

#[test]
fn i82_lists_i82a_to_i82c_before_i828_as_the_tabular_does() {
    let cm = CodeSet::icd10cm();
    let official = official_children();
    let ours: Vec<String> = cm
        .children("I82")
        .unwrap()
        .unwrap()
        .iter()
        .map(|c| key(&c.code))
        .collect();
    assert_eq!(ours, official["I82"]);
    let a = ours.iter().position(|c| c == "I82A").unwrap();
    let eight = ours.iter().position(|c| c == "I828").unwrap();
    assert!(a < eight, "{ours:?}");
}

#[test]
fn prefix_walks_the_tabular_depth_first_in_its_order() {
    let cm = CodeSet::icd10cm();
    let official = official_children();
    // Every parent whose order differs from key order, and one that does not.
    let mut parents: Vec<&String> = official
        .iter()
        .filter(|(_, kids)| {
            let mut s = (*kids).clone();
            s.sort();
            &s != *kids
        })
        .map(|(p, _)| p)
        .collect();
    parents.push(official.keys().find(|p| p.as_str() == "E11").unwrap());
    for parent in parents {
        // Depth first from the parent, children in tabular order.
        let mut expected = Vec::new();
        let mut todo = vec![parent.clone()];
        while let Some(k) = todo.pop() {
            expected.push(k.clone());
            if let Some(kids) = official.get(&k) {
                todo.extend(kids.iter().rev().cloned());
            }
        }
        let ours: Vec<String> = cm
            .prefix(parent, 100_000)
            .unwrap()
            .iter()
            .map(|c| key(&c.code))
            // Codes made with a 7th character follow their leaf; the
            // tabular does not list them.
            .filter(|k| cm.entry(k.as_bytes()).is_some_and(|e| !e.is_expanded()))
            .collect();
        assert_eq!(ours, expected, "prefix {parent}");
    }
}
