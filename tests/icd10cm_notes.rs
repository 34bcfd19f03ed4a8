//! The embedded instructional notes against an independent reading of the
//! committed CDC tabular XML (roxmltree, not the crate's extractor): every
//! note of every node with its kind and text, inheritance down the tree, and
//! code references resolved exactly when the tabular has the codes they name.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{official_code_keys, squash, tabular_xml};
use medcode::checks::notes::{Note, Notes};
use medcode::CodeSet;
use roxmltree::Node;
use std::collections::{BTreeMap, BTreeSet};

/// The tabular elements that hold notes, as the API names their kind.
const KINDS: [(&str, &str); 10] = [
    ("includes", "includes"),
    ("inclusionTerm", "inclusionTerm"),
    ("excludes1", "excludes1"),
    ("excludes2", "excludes2"),
    ("codeFirst", "codeFirst"),
    ("useAdditionalCode", "useAdditionalCode"),
    ("codeAlso", "codeAlso"),
    ("notes", "note"),
    ("sevenChrNote", "sevenChrNote"),
    ("sevenChrDef", "sevenChrDef"),
];

/// Kinds that apply to every code under the node they are written at.
const INHERITED: [&str; 7] = [
    "includes",
    "excludes1",
    "excludes2",
    "codeFirst",
    "useAdditionalCode",
    "codeAlso",
    "notes",
];

/// The key of a chapter, section or diag element as the code map spells it.
fn key_of(n: Node) -> Option<String> {
    let name = || {
        n.children()
            .find(|c| c.has_tag_name("name"))
            .and_then(|c| c.text())
            .map(|t| t.trim().to_owned())
    };
    match n.tag_name().name() {
        "chapter" => name(),
        "diag" => name().map(|c| c.replace('.', "")),
        "section" => n.attribute("id").map(|id| {
            if id.contains('-') {
                id.to_owned()
            } else {
                format!("{id}-{id}")
            }
        }),
        _ => None,
    }
}

/// `(kind, text)` of every note written at `n`, in document order; the
/// items of a `<sevenChrDef>` are its `<extension>`s and `<note>`s.
fn xml_notes(n: Node) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for child in n.children().filter(|c| c.is_element()) {
        let Some(&(_, kind)) = KINDS.iter().find(|(e, _)| child.has_tag_name(*e)) else {
            continue;
        };
        for item in child.children().filter(|c| {
            c.has_tag_name("note") || (kind == "sevenChrDef" && c.has_tag_name("extension"))
        }) {
            let text = squash(item.text().unwrap_or_default());
            if !text.is_empty() {
                out.push((kind, text));
            }
        }
    }
    out
}

fn api(code: &str, inherited: bool) -> Vec<Note> {
    Notes::icd10cm()
        .of(CodeSet::icd10cm(), code, inherited)
        .unwrap_or_else(|e| panic!("{code}: {e}"))
        .unwrap_or_else(|| panic!("{code}: not found"))
}

#[test]
fn every_note_of_every_node_equals_the_xml_and_counts_by_kind_agree() {
    let xml = tabular_xml();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let table = Notes::icd10cm().table();
    let mut xml_counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut xml_nodes = BTreeMap::new();
    for n in doc.descendants() {
        let Some(key) = key_of(n) else { continue };
        let notes = xml_notes(n);
        for (kind, _) in &notes {
            *xml_counts.entry(kind).or_default() += 1;
        }
        if !notes.is_empty() {
            assert!(xml_nodes.insert(key, notes).is_none());
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut nodes = 0;
    table.for_each(|key, raw| {
        nodes += 1;
        let ours: Vec<(&str, String)> = raw
            .iter()
            .map(|n| {
                let mut text = String::new();
                assert!(
                    table.write_text(n.text, &mut text),
                    "{key}: text {}",
                    n.text
                );
                *counts.entry(n.kind.as_str()).or_default() += 1;
                (n.kind.as_str(), text)
            })
            .collect();
        assert_eq!(Some(&ours), xml_nodes.get(key), "{key}");
    });
    assert_eq!(nodes, xml_nodes.len(), "nodes with notes");
    assert_eq!(counts, xml_counts);
    eprintln!("notes by kind (XML = table): {counts:?}; {nodes} nodes");
    let distinct: BTreeSet<&String> = xml_nodes.values().flatten().map(|(_, t)| t).collect();
    assert_eq!(table.texts() as usize, distinct.len(), "distinct texts");
}

#[test]
fn every_code_carries_the_inherited_notes_of_its_xml_ancestors() {
    let xml = tabular_xml();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut checked = 0;
    for diag in doc.descendants().filter(|n| n.has_tag_name("diag")) {
        let code = key_of(diag).unwrap();
        let ours = api(&code, true);
        let has = |from: &str, kind: &str, text: &str| {
            ours.iter()
                .any(|n| n.from == from && n.kind.as_str() == kind && n.text == text)
        };
        for (depth, node) in diag
            .ancestors()
            .filter(|a| key_of(*a).is_some())
            .enumerate()
        {
            let key = key_of(node).unwrap();
            let from = medcode::normalize::dotted(&key);
            for (kind, text) in xml_notes(node) {
                if depth == 0 && kind != "sevenChrDef" && kind != "sevenChrNote" {
                    assert!(has(&from, kind, &text), "{code}: own {kind} {text:?}");
                } else if depth > 0
                    && INHERITED.contains(&(if kind == "note" { "notes" } else { kind }))
                {
                    assert!(has(&from, kind, &text), "{code}: {kind} {text:?} of {from}");
                    checked += 1;
                } else if depth > 0 && kind == "inclusionTerm" {
                    assert!(!has(&from, kind, &text), "{code}: inclusion term of {from}");
                }
            }
        }
        // Without inheritance only the code's own notes remain.
        assert!(api(&code, false)
            .iter()
            .all(|n| n.from == medcode::normalize::dotted(&code)));
    }
    assert!(checked > 100_000, "{checked} inherited notes checked");
    eprintln!("{checked} inherited notes checked");
}

#[test]
fn a_code_inherits_its_category_and_chapter_excludes1() {
    // The first category of the XML that has excludes1 in a chapter that has
    // excludes1 too, and one of its codes.
    let xml = tabular_xml();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let excludes1 = |n: Node| -> Vec<String> {
        xml_notes(n)
            .into_iter()
            .filter(|(k, _)| *k == "excludes1")
            .map(|(_, t)| t)
            .collect()
    };
    let (category, chapter, leaf) = doc
        .descendants()
        .filter(|n| n.has_tag_name("diag") && key_of(*n).is_some_and(|k| k.len() == 3))
        .filter(|n| !excludes1(*n).is_empty())
        .find_map(|cat| {
            let chapter = cat.ancestors().find(|a| a.has_tag_name("chapter"))?;
            let leaf = cat.descendants().rfind(|d| d.has_tag_name("diag"))?;
            (!excludes1(chapter).is_empty() && leaf != cat).then_some((cat, chapter, leaf))
        })
        .expect("a category with excludes1 in a chapter with excludes1");
    let code = key_of(leaf).unwrap();
    let notes = api(&code, true);
    for (node, from) in [
        (category, key_of(category).unwrap()),
        (chapter, key_of(chapter).unwrap()),
    ] {
        for text in excludes1(node) {
            assert!(
                notes
                    .iter()
                    .any(|n| n.kind.as_str() == "excludes1" && n.from == from && n.text == text),
                "{code} lacks excludes1 {text:?} of {from}"
            );
        }
    }
    let order: Vec<&str> = notes.iter().map(|n| n.from.as_str()).collect();
    let at = |f: &str| order.iter().position(|o| *o == f).unwrap();
    let category_key = key_of(category).unwrap();
    let chapter_key = key_of(chapter).unwrap();
    assert!(
        at(&category_key) < at(&chapter_key),
        "nearest first: {order:?}"
    );
}

/// A range as written (`E08-E13`, `B18.0-B18.1`, `F11.-F17.-`) found by
/// splitting the text at anything that is not a letter, digit, dot or dash.
fn xml_ranges(text: &str) -> Vec<(String, String, String)> {
    let shaped = |s: &str| {
        let b = s.as_bytes();
        b.len() >= 3
            && b[0].is_ascii_uppercase()
            && b[1].is_ascii_digit()
            && (b[2].is_ascii_digit() || b[2].is_ascii_uppercase())
    };
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .filter_map(|chunk| {
            let trimmed = chunk.trim_end_matches(['-', '.']);
            let (a, b) = trimmed.split_once('-')?;
            let (a, b) = (a.trim_end_matches('.'), b.trim_end_matches('.'));
            (shaped(a) && shaped(b) && !b.contains('-'))
                .then(|| (trimmed.to_owned(), a.replace('.', ""), b.replace('.', "")))
        })
        .collect()
}

#[test]
fn ranges_resolve_exactly_when_the_tabular_has_both_ends() {
    let xml = tabular_xml();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let official = official_code_keys();
    let (mut resolvable, mut unresolvable) = (0, BTreeSet::new());
    for n in doc.descendants() {
        let Some(key) = key_of(n) else { continue };
        let mine = xml_notes(n);
        if mine.is_empty() {
            continue;
        }
        let ours = api(&key, false);
        for (_, text) in mine {
            for (written, a, b) in xml_ranges(&text) {
                let note = ours.iter().find(|o| o.text == text).unwrap();
                let found = note
                    .refs
                    .iter()
                    .find(|r| r.through.is_some() && r.text.starts_with(&written));
                if official.contains(&a) && official.contains(&b) {
                    let r = found.unwrap_or_else(|| {
                        panic!("{key}: range {written} in {text:?} not resolved")
                    });
                    assert_eq!(r.code, medcode::normalize::dotted(&a));
                    assert_eq!(
                        r.through.as_deref(),
                        Some(medcode::normalize::dotted(&b).as_str())
                    );
                    resolvable += 1;
                } else {
                    assert!(
                        found.is_none(),
                        "{key}: {written} names a code the tabular lacks"
                    );
                    unresolvable.insert(written);
                }
            }
        }
    }
    assert!(resolvable > 1000, "{resolvable}");
    eprintln!("{resolvable} range references resolve; ranges naming a code the tabular lacks: {unresolvable:?}");
}

#[test]
fn every_reference_given_names_codes_of_the_release() {
    let cm = CodeSet::icd10cm();
    let table = Notes::icd10cm().table();
    let mut keys = Vec::new();
    table.for_each(|k, _| keys.push(k.to_owned()));
    let mut refs = 0;
    for key in keys {
        for note in api(&key, false) {
            for r in &note.refs {
                assert!(note.text.contains(&r.text));
                for code in std::iter::once(&r.code).chain(&r.through).chain(&r.block) {
                    assert!(
                        cm.lookup(code).unwrap().is_some(),
                        "{key}: {code} in {:?}",
                        note.text
                    );
                }
                refs += 1;
            }
        }
    }
    assert!(refs > 10_000, "{refs}");
}

#[test]
fn seventh_character_definitions_follow_the_codes_characters() {
    use fst::Streamer;
    let cm = CodeSet::icd10cm();
    let mut stream = cm.map().stream();
    let (mut leaves, mut expanded) = (0, 0);
    while let Some((k, v)) = stream.next() {
        let key = std::str::from_utf8(k).unwrap().to_owned();
        let entry = medcode_tables::layout::Entry::decode(v);
        let chars = || -> BTreeSet<char> {
            api(&key, true)
                .iter()
                .filter(|n| n.kind.as_str() == "sevenChrDef")
                .filter_map(|n| n.seventh)
                .collect()
        };
        if entry.takes_seventh().is_some() {
            let takes: BTreeSet<char> = cm
                .seventh_options(&entry)
                .into_iter()
                .map(|(c, _)| c)
                .collect();
            assert_eq!(chars(), takes, "{key}");
            leaves += 1;
        } else if entry.is_expanded() && key.ends_with(['A', 'S']) && key.starts_with('S') {
            // A sample of the codes made with a 7th character: only their own.
            assert_eq!(
                chars(),
                BTreeSet::from([key.chars().last().unwrap()]),
                "{key}"
            );
            expanded += 1;
        } else if entry.billable && !entry.is_expanded() {
            assert!(
                api(&key, true)
                    .iter()
                    .all(|n| !n.kind.as_str().starts_with("sevenChr")),
                "{key} takes no 7th character"
            );
        }
    }
    assert!(leaves > 1000 && expanded > 1000, "{leaves} {expanded}");
}

#[test]
fn hostile_input_is_an_error_or_none_never_a_panic() {
    let notes = Notes::icd10cm();
    let cm = CodeSet::icd10cm();
    for input in [
        "",
        "   ",
        "E11..9",
        "E 11",
        "É11",
        "E11.9\u{0}",
        "-",
        "A00--A09",
        &"E".repeat(10_000),
    ] {
        assert!(
            matches!(notes.of(cm, input, true), Err(_) | Ok(None)),
            "{input:?}"
        );
    }
    assert_eq!(notes.of(cm, "Z99.999", true), Ok(None));
    assert_eq!(notes.of(cm, "e11.9", true), notes.of(cm, " E119 ", true));
    // Chapters and blocks have notes of their own.
    assert!(api("1", false).iter().all(|n| n.from == "1") && !api("1", false).is_empty());
}
