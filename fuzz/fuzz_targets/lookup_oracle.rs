//! Lookups against a plain `BTreeMap` oracle. The input describes a small
//! classification (chapters, sections, nested codes, 7th-character
//! definitions and their exceptions); it is written as tabular XML, read and
//! compiled exactly as `build.rs` does, opened as a `CodeSet`, and every
//! answer (`lookup`, `is_valid`, `children`, `ancestors`, `prefix`) is
//! compared with what the oracle, built from the description alone, says.

#![no_main]

use arbitrary::Arbitrary;
use fuzz::{push_xml_text, squash, xml_char};
use libfuzzer_sys::fuzz_target;
use medcode::normalize::{dotted, normalize};
use medcode::{CodeSet, Kind};
use medcode_tables::{compile, tabular, TableErrorKind};
use std::collections::{BTreeMap, BTreeSet};

const ALNUM: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

#[derive(Arbitrary, Debug)]
struct Input {
    chapters: Vec<ChapterIn>,
    queries: Vec<String>,
    limit: u8,
}

#[derive(Arbitrary, Debug)]
struct ChapterIn {
    title: String,
    sections: Vec<SectionIn>,
}

#[derive(Arbitrary, Debug)]
struct SectionIn {
    title: String,
    /// A heading section spanning this many of the sections after it (0: an ordinary section).
    heading: u8,
    single_id: bool,
    categories: Vec<NodeIn>,
}

#[derive(Arbitrary, Debug)]
struct NodeIn {
    chars: [u8; 3],
    title: String,
    seventh: Option<Vec<(u8, String)>>,
    exception: Option<(Vec<u8>, Vec<u8>)>,
    children: Vec<NodeIn>,
}

/// What the oracle knows of one key.
#[derive(Debug, Clone)]
struct Want {
    kind: Kind,
    billable: bool,
    display: String,
    parent: Option<String>,
    children: Vec<String>,
}

#[derive(Default)]
struct Model {
    xml: String,
    want: BTreeMap<String, Want>,
    /// Some 7th-character definition has more characters than a value can index.
    too_many_sevenths: bool,
}

fn title(raw: &str, fallback: &str) -> (String, String) {
    let mut xml = String::new();
    push_xml_text(&mut xml, raw);
    let shown = squash(&raw.chars().filter(|&c| xml_char(c)).collect::<String>());
    if shown.is_empty() {
        (fallback.to_owned(), fallback.to_owned())
    } else {
        (xml, shown)
    }
}

struct Exception {
    chars: Vec<u8>,
    sixth: Vec<u8>,
}

impl Model {
    fn insert(&mut self, key: &str, want: Want) {
        let old = self.want.insert(key.to_owned(), want);
        assert!(old.is_none(), "generator made {key} twice");
    }

    /// Writes one diag and its subtree; returns false (writing nothing) if
    /// `code` cannot be used.
    #[allow(clippy::too_many_arguments)]
    fn diag(
        &mut self,
        node: &NodeIn,
        code: String,
        parent: &str,
        def_in_force: Option<&[(u8, String)]>,
        exceptions: &[Exception],
        depth: usize,
    ) {
        let own_def: Option<Vec<(u8, String)>> = node.seventh.as_ref().map(|chars| {
            let mut seen = BTreeSet::new();
            chars
                .iter()
                .filter(|(c, _)| seen.insert(ALNUM[*c as usize % 36]))
                .map(|(c, m)| (ALNUM[*c as usize % 36], m.clone()))
                .collect()
        });
        // A code of 7 characters cannot take a 7th (the reader rejects it).
        let own_def = own_def.filter(|d| !d.is_empty() && code.len() <= 6);
        let def: Option<Vec<(u8, String)>> = own_def.clone().or(def_in_force.map(|d| d.to_vec()));
        let mut exceptions: Vec<Exception> = exceptions
            .iter()
            .map(|e| Exception {
                chars: e.chars.clone(),
                sixth: e.sixth.clone(),
            })
            .collect();
        let own_exception = node.exception.as_ref().and_then(|(chars, sixth)| {
            let pick = |v: &[u8]| -> Vec<u8> {
                let mut out: Vec<u8> = v.iter().take(4).map(|b| ALNUM[*b as usize % 36]).collect();
                out.dedup();
                out
            };
            let (chars, sixth) = (pick(chars), pick(sixth));
            (!chars.is_empty() && !sixth.is_empty()).then_some(Exception { chars, sixth })
        });
        let (title_xml, title_shown) = title(&node.title, &format!("Code {code}"));

        // Children: each extends this code by one character, sometimes after
        // placeholder X's; no sibling extension is a prefix of another.
        let mut child_codes: Vec<(usize, String)> = Vec::new();
        if depth < 4 {
            for (i, child) in node.children.iter().take(5).enumerate() {
                let [a, b, _] = child.chars;
                let xs = if b % 4 == 3 {
                    1 + usize::from(b % 8 == 7)
                } else {
                    0
                };
                let ext = format!("{}{}", "X".repeat(xs), ALNUM[a as usize % 36] as char);
                let c = format!("{code}{ext}");
                let limit = if def.is_some() { 6 } else { 7 };
                let clash = child_codes
                    .iter()
                    .any(|(_, o)| o.starts_with(&c) || c.starts_with(o.as_str()));
                if c.len() <= limit && !clash {
                    child_codes.push((i, c));
                }
            }
        }
        let is_leaf = child_codes.is_empty();

        self.xml.push_str("<diag><name>");
        self.xml.push_str(&dotted(&code));
        self.xml.push_str("</name><desc>");
        self.xml.push_str(&title_xml);
        self.xml.push_str("</desc>");
        if let Some(e) = &own_exception {
            let list = |v: &[u8]| -> String {
                let items: Vec<String> = v.iter().map(|c| (*c as char).to_string()).collect();
                match items.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                }
            };
            let sixth: Vec<String> = e
                .sixth
                .iter()
                .map(|c| format!("{} - meaning", *c as char))
                .collect();
            self.xml.push_str(&format!(
                "<notes><note>7th characters {} do not apply to codes in category {} with 6th character {}.</note></notes>",
                list(&e.chars),
                &code[..3],
                sixth.join(", or ")
            ));
        }
        if let Some(d) = &own_def {
            self.xml.push_str("<sevenChrDef>");
            for (c, m) in d {
                let (m_xml, _) = title(m, &format!("meaning {}", *c as char));
                self.xml.push_str(&format!(
                    "<extension char=\"{}\">{m_xml}</extension>",
                    *c as char
                ));
            }
            self.xml.push_str("</sevenChrDef>");
        }
        if let Some(e) = own_exception {
            exceptions.push(e);
        }

        let mut children = BTreeSet::new();
        let mut billable = is_leaf;
        if is_leaf {
            if let Some(d) = &def {
                billable = false;
                if d.len() > 31 {
                    self.too_many_sevenths = true;
                }
                let sixth = code.as_bytes().get(5).copied();
                let removed: Vec<u8> = exceptions
                    .iter()
                    .filter(|e| sixth.is_some_and(|s| e.sixth.contains(&s)))
                    .flat_map(|e| e.chars.iter().copied())
                    .collect();
                for (c, m) in d.iter().filter(|(c, _)| !removed.contains(c)) {
                    let key = format!("{code:X<6}{}", *c as char);
                    let (_, meaning) = title(m, &format!("meaning {}", *c as char));
                    children.insert(key.clone());
                    self.insert(
                        &key,
                        Want {
                            kind: Kind::Code,
                            billable: true,
                            display: format!("{title_shown}, {meaning}"),
                            parent: Some(code.clone()),
                            children: Vec::new(),
                        },
                    );
                }
            }
        }
        for (_, c) in &child_codes {
            children.insert(c.clone());
        }
        self.insert(
            &code,
            Want {
                kind: if code.len() == 3 {
                    Kind::Category
                } else {
                    Kind::Code
                },
                billable,
                display: title_shown,
                parent: Some(parent.to_owned()),
                children: children.into_iter().collect(),
            },
        );
        for (i, c) in child_codes {
            self.diag(
                &node.children[i],
                c.clone(),
                &code,
                def.as_deref(),
                &exceptions,
                depth + 1,
            );
        }
        self.xml.push_str("</diag>\n");
    }

    fn build(input: &Input) -> Model {
        let mut m = Model::default();
        m.xml.push_str("<ICD10CM.tabular><version>2026</version>\n");
        let mut categories = BTreeSet::new();
        for (n, ch) in input.chapters.iter().take(3).enumerate() {
            let chapter = (n + 1).to_string();
            // Sections and their categories first, so headings know their span.
            let mut sections: Vec<(&SectionIn, Vec<(&NodeIn, String)>)> = Vec::new();
            for s in ch.sections.iter().take(5) {
                let mut cats = Vec::new();
                if s.heading == 0 {
                    for node in s.categories.iter().take(4) {
                        let [a, b, c] = node.chars;
                        let code = String::from_utf8(vec![
                            b'A' + a % 26,
                            ALNUM[b as usize % 36],
                            ALNUM[c as usize % 36],
                        ])
                        .unwrap_or_default();
                        if categories.insert(code.clone()) {
                            cats.push((node, code));
                        }
                    }
                    if cats.is_empty() {
                        continue;
                    }
                }
                sections.push((s, cats));
            }
            let mut ids: Vec<Option<String>> = Vec::new();
            for (i, (s, cats)) in sections.iter().enumerate() {
                let id = if s.heading == 0 {
                    let (first, last) = (&cats[0].1, &cats[cats.len() - 1].1);
                    Some(format!("{first}-{last}"))
                } else {
                    // Spans the ordinary sections among the next `heading` ones.
                    let spanned: Vec<&Vec<(&NodeIn, String)>> = sections[i + 1..]
                        .iter()
                        .take(usize::from(s.heading))
                        .map(|(_, c)| c)
                        .filter(|c| !c.is_empty())
                        .collect();
                    match (spanned.first(), spanned.last()) {
                        (Some(f), Some(l)) if spanned.len() >= 2 => {
                            Some(format!("{}-{}", f[0].1, l[l.len() - 1].1))
                        }
                        _ => None,
                    }
                };
                let taken = ids.iter().flatten().any(|o| Some(o) == id.as_ref());
                ids.push(id.filter(|_| !taken));
            }
            // The oracle's block tree: a block's parent is the innermost earlier
            // heading of the chapter whose category range holds its range.
            let order: BTreeMap<&str, usize> = sections
                .iter()
                .flat_map(|(_, c)| c.iter().map(|(_, code)| code.as_str()))
                .enumerate()
                .map(|(i, c)| (c, i))
                .collect();
            let span = |id: &str| -> (usize, usize) {
                let (f, l) = id.split_once('-').unwrap_or((id, id));
                (order[f], order[l])
            };
            let mut block_parent: Vec<Option<usize>> = vec![None; sections.len()];
            for i in 0..sections.len() {
                let Some(id) = &ids[i] else { continue };
                let (f, l) = span(id);
                block_parent[i] = (0..i).rev().find(|&h| {
                    sections[h].0.heading != 0
                        && ids[h].as_ref().is_some_and(|hid| {
                            let (hf, hl) = span(hid);
                            hf <= f && l <= hl
                        })
                });
            }
            let (title_xml, title_shown) = title(&ch.title, &format!("Chapter {chapter}"));
            m.xml.push_str(&format!(
                "<chapter><name>{chapter}</name><desc>{title_xml}</desc>\n"
            ));
            let top: Vec<String> = (0..sections.len())
                .filter(|&i| ids[i].is_some() && block_parent[i].is_none())
                .filter_map(|i| ids[i].clone())
                .collect();
            m.insert(
                &chapter,
                Want {
                    kind: Kind::Chapter,
                    billable: false,
                    display: title_shown,
                    parent: None,
                    children: top,
                },
            );
            for (i, (s, cats)) in sections.iter().enumerate() {
                let Some(id) = ids[i].clone() else { continue };
                let (title_xml, title_shown) = title(&s.title, &format!("Block {id}"));
                let written = match id.split_once('-') {
                    Some((f, l)) if f == l && s.single_id => f.to_owned(),
                    _ => id.clone(),
                };
                m.xml.push_str(&format!(
                    "<section id=\"{written}\"><desc>{title_xml}</desc>\n"
                ));
                let mut children: Vec<String> = (0..sections.len())
                    .filter(|&j| block_parent[j] == Some(i))
                    .filter_map(|j| ids[j].clone())
                    .collect();
                children.extend(cats.iter().map(|(_, c)| c.clone()));
                let parent = block_parent[i]
                    .and_then(|p| ids[p].clone())
                    .unwrap_or_else(|| chapter.clone());
                m.insert(
                    &id,
                    Want {
                        kind: Kind::Block,
                        billable: false,
                        display: title_shown,
                        parent: Some(parent),
                        children,
                    },
                );
                for (node, code) in cats {
                    m.diag(node, code.clone(), &id, None, &[], 0);
                }
                m.xml.push_str("</section>\n");
            }
            m.xml.push_str("</chapter>\n");
        }
        m.xml.push_str("</ICD10CM.tabular>\n");
        m
    }
}

fn codes(found: Vec<medcode::Concept>) -> Vec<String> {
    found.into_iter().map(|c| c.code).collect()
}

fuzz_target!(|input: Input| {
    let model = Model::build(&input);
    let parsed = tabular::parse("oracle.xml", &model.xml);
    let tab = match parsed {
        Ok(t) => t,
        Err(e) if e.kind == TableErrorKind::Empty("<diag> codes") => {
            assert!(!model
                .want
                .keys()
                .any(|k| k.as_bytes()[0].is_ascii_uppercase() && !k.contains('-')));
            return;
        }
        Err(e) => panic!("{e}\n{}", model.xml),
    };
    let compiled = match compile::compile("oracle.xml", &tab) {
        Ok(c) => c,
        Err(e) if model.too_many_sevenths => {
            assert!(
                matches!(e.kind, TableErrorKind::BadSeventhCharacter(_)),
                "{e}"
            );
            return;
        }
        Err(e) => panic!("{e}\n{}", model.xml),
    };
    assert!(
        !model.too_many_sevenths,
        "more than 31 7th characters compiled\n{}",
        model.xml
    );
    let map = fst::Map::new(compiled.codes.as_slice()).expect("FST opens");
    map.as_fst().verify().expect("FST verifies");
    assert_eq!(map.len(), model.want.len(), "{}", model.xml);
    let want = &model.want;

    fuzz::with_codeset(&compiled, |set: &CodeSet| {
        for (key, w) in want {
            let shown = dotted(key);
            for typed in [
                shown.clone(),
                shown.to_ascii_lowercase(),
                format!(" {key}\t"),
            ] {
                let c = set.lookup(&typed).expect("oracle keys are well formed");
                let c = c.unwrap_or_else(|| panic!("{typed:?} not found\n{}", model.xml));
                assert_eq!(c.code, shown);
                assert_eq!(c.display, w.display, "{key}\n{}", model.xml);
                assert_eq!(c.kind, w.kind, "{key}");
                assert_eq!(c.billable, w.billable, "{key}");
                assert_eq!(set.is_valid(&typed), w.billable, "{typed:?}");
            }
            let children = codes(set.children(key).unwrap().unwrap());
            let expected: Vec<String> = w.children.iter().map(|c| dotted(c)).collect();
            assert_eq!(children, expected, "children of {key}\n{}", model.xml);
            let mut chain = Vec::new();
            let mut at = w.parent.clone();
            while let Some(p) = at {
                chain.push(dotted(&p));
                at = want[&p].parent.clone();
            }
            let ancestors = codes(set.ancestors(key).unwrap().unwrap());
            assert_eq!(ancestors, chain, "ancestors of {key}\n{}", model.xml);
        }
        let limit = usize::from(input.limit % 32);
        let probes = input.queries.iter().take(8).cloned().chain(
            want.keys()
                .flat_map(|k| (1..=k.len()).map(move |n| k[..n].to_owned()))
                .take(64),
        );
        for q in probes {
            let key = normalize(&q);
            let Ok(k) = key else {
                assert!(set.lookup(&q).is_err() && set.prefix(&q, limit).is_err());
                assert!(!set.is_valid(&q));
                continue;
            };
            let w = want.get(k.as_str());
            assert_eq!(
                set.lookup(&q).unwrap().map(|c| c.display),
                w.map(|w| w.display.clone()),
                "{q:?}"
            );
            assert_eq!(set.is_valid(&q), w.is_some_and(|w| w.billable), "{q:?}");
            let scan: Vec<String> = want
                .range(k.as_str().to_owned()..)
                .take_while(|(key, _)| key.starts_with(k.as_str()))
                .filter(|(_, w)| matches!(w.kind, Kind::Category | Kind::Code))
                .take(limit)
                .map(|(key, _)| dotted(key))
                .collect();
            assert_eq!(codes(set.prefix(&q, limit).unwrap()), scan, "prefix {q:?}");
        }
    });
});
