//! Reads the notes of the tabular XML and writes the notes table.

use super::refs::scan;
use super::{zigzag, NoteKind, HEADER, MAGIC};
use crate::error::{TableError, TableErrorKind};
use crate::line_index::LineIndex;
use crate::tabular::{block_key, code_without_dot, normalize_space};
use crate::titles::TitleStoreBuilder;
use crate::varint;
use roxmltree::{Document, Node};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One note as the tabular writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceNote {
    /// What kind of note.
    pub kind: NoteKind,
    /// The text, whitespace collapsed.
    pub text: String,
    /// The 7th character a [`NoteKind::SevenChrDef`] belongs to.
    pub seventh: Option<u8>,
}

/// The notes written at one chapter, block or code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeNotes {
    /// The node's key: chapter number, block (`A00-A09`), code without dot.
    pub key: String,
    /// 1-based line of the node in the source.
    pub line: u32,
    /// Its notes in tabular order.
    pub notes: Vec<SourceNote>,
}

/// Reads every note of every chapter, section and `<diag>` of a tabular XML
/// document; nodes without notes are left out. `path` names the file in errors.
///
/// ```
/// let xml = r#"<ICD10CM.tabular><chapter><name>4</name><desc>Endocrine</desc>
///   <excludes1><note>transitory endocrine disorders (P70-P74)</note></excludes1>
///   <section id="E08-E13"><desc>Diabetes mellitus</desc>
///     <diag><name>E11</name><desc>Type 2 diabetes mellitus</desc>
///       <useAdditionalCode><note>code to identify control using insulin (Z79.4)</note></useAdditionalCode>
///     </diag></section></chapter></ICD10CM.tabular>"#;
/// let nodes = medcode_tables::notes::extract("tab.xml", xml).unwrap();
/// assert_eq!(nodes.len(), 2);
/// assert_eq!(nodes[1].key, "E11");
/// assert_eq!(nodes[1].notes[0].kind.as_str(), "useAdditionalCode");
/// ```
pub fn extract(path: &str, xml: &str) -> Result<Vec<NodeNotes>, TableError> {
    let doc = Document::parse(xml)
        .map_err(|e| TableError::new(path, e.pos().row, TableErrorKind::Xml(e.to_string())))?;
    let lines = LineIndex::new(xml);
    let line = |n: Node| lines.row(n.range().start);
    let err = |n: Node, kind: TableErrorKind| TableError::new(path, line(n), kind);
    let mut out = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = |parent: &'static str| {
            node.children()
                .find(|c| c.has_tag_name("name"))
                .and_then(|c| c.text())
                .map(str::trim)
                .ok_or_else(|| {
                    err(
                        node,
                        TableErrorKind::MissingElement {
                            parent,
                            child: "name",
                        },
                    )
                })
        };
        let key = match node.tag_name().name() {
            "chapter" => name("chapter")?.to_owned(),
            "section" => node.attribute("id").map(block_key).ok_or_else(|| {
                err(
                    node,
                    TableErrorKind::MissingElement {
                        parent: "section",
                        child: "id",
                    },
                )
            })?,
            "diag" => {
                let n = name("diag")?;
                code_without_dot(n)
                    .ok_or_else(|| err(node, TableErrorKind::BadCode(n.to_owned())))?
            }
            _ => continue,
        };
        let mut notes = Vec::new();
        for child in node.children() {
            let Some(kind) = NoteKind::from_element(child.tag_name().name()) else {
                continue;
            };
            if kind == NoteKind::SevenChrDef {
                seventh_def(child, &mut notes).map_err(|e| err(child, e))?;
                continue;
            }
            for note in child.children().filter(|n| n.has_tag_name("note")) {
                let text = normalize_space(note.text().unwrap_or_default());
                if !text.is_empty() {
                    notes.push(SourceNote {
                        kind,
                        text,
                        seventh: None,
                    });
                }
            }
        }
        if !notes.is_empty() {
            out.push(NodeNotes {
                key,
                line: line(node),
                notes,
            });
        }
    }
    Ok(out)
}

/// The characters of a `<sevenChrDef>`; a `<note>` in it is a term listed
/// under the character before it.
fn seventh_def(def: Node, notes: &mut Vec<SourceNote>) -> Result<(), TableErrorKind> {
    let mut current = None;
    for item in def.children().filter(|n| n.is_element()) {
        let text = normalize_space(item.text().unwrap_or_default());
        match item.tag_name().name() {
            "extension" => {
                let c = item.attribute("char").unwrap_or_default();
                match c.as_bytes() {
                    [b] if b.is_ascii_alphanumeric() && !text.is_empty() => {
                        current = Some(b.to_ascii_uppercase())
                    }
                    _ => {
                        return Err(TableErrorKind::BadSeventhCharacter(format!(
                            "extension char {c:?} with meaning {text:?}"
                        )))
                    }
                }
            }
            "note" if text.is_empty() => continue,
            "note" if current.is_none() => {
                return Err(TableErrorKind::BadSeventhCharacter(format!(
                    "note {text:?} before any <extension>"
                )))
            }
            "note" => {}
            _ => continue,
        }
        notes.push(SourceNote {
            kind: NoteKind::SevenChrDef,
            text,
            seventh: current,
        });
    }
    Ok(())
}

/// Writes the notes table (see the module doc); identical texts are stored once.
pub fn write(path: &str, nodes: &[NodeNotes]) -> Result<Vec<u8>, TableError> {
    let mut store = TitleStoreBuilder::default();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut lists: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    for node in nodes {
        let mut list = Vec::new();
        varint::put(&mut list, node.notes.len() as u32);
        let mut expected: i32 = 0;
        for note in &node.notes {
            let id = *ids
                .entry(note.text.as_str())
                .or_insert_with(|| store.add(&note.text));
            if id >= 1 << 26 {
                return Err(TableError::new(
                    path,
                    node.line,
                    TableErrorKind::Conflict("more than 2^26 distinct note texts".into()),
                ));
            }
            let id = id as i32;
            varint::put(&mut list, zigzag(id - expected) << 4 | note.kind.code());
            expected = id + 1;
            match (note.kind, note.seventh) {
                (NoteKind::SevenChrDef, Some(c)) => list.push(c),
                (NoteKind::SevenChrDef, None) => {
                    return Err(TableError::new(
                        path,
                        node.line,
                        TableErrorKind::BadSeventhCharacter(format!(
                            "{:?} has no character",
                            note.text
                        )),
                    ))
                }
                _ => {}
            }
        }
        if lists.insert(&node.key, list).is_some() {
            return Err(TableError::new(
                path,
                node.line,
                TableErrorKind::DuplicateCode(node.key.clone()),
            ));
        }
    }
    let mut stream = Vec::new();
    let mut index = fst::MapBuilder::memory();
    for (key, list) in &lists {
        index
            .insert(key, stream.len() as u64)
            .map_err(|e| TableError::new(path, 0, TableErrorKind::Conflict(e.to_string())))?;
        stream.extend_from_slice(list);
    }
    let index = index
        .into_inner()
        .map_err(|e| TableError::new(path, 0, TableErrorKind::Conflict(e.to_string())))?;
    let texts = store.finish();
    let mut out = Vec::with_capacity(HEADER + texts.len() + index.len() + stream.len());
    out.extend_from_slice(&MAGIC.bytes());
    out.extend_from_slice(&(texts.len() as u32).to_le_bytes());
    out.extend_from_slice(&(index.len() as u32).to_le_bytes());
    out.extend_from_slice(&texts);
    out.extend_from_slice(&index);
    out.extend_from_slice(&stream);
    Ok(out)
}

/// How the code references in note texts resolved against the code map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefCounts {
    /// References found (counted once per note, not per distinct text).
    pub found: usize,
    /// Of those, the ones whose every code is a key.
    pub resolved: usize,
    /// Ranges found.
    pub ranges: usize,
    /// Ranges whose both ends are keys.
    pub ranges_resolved: usize,
    /// Distinct references (as written) that name no key.
    pub unresolved: BTreeSet<String>,
}

/// The notes table of a tabular and what went into it.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The table's bytes.
    pub bytes: Vec<u8>,
    /// Nodes with notes.
    pub nodes: usize,
    /// Notes in all.
    pub notes: usize,
    /// Distinct note texts.
    pub texts: usize,
    /// Notes per kind.
    pub by_kind: BTreeMap<NoteKind, usize>,
    /// How code references resolved.
    pub refs: RefCounts,
}

/// Reads the notes of a tabular XML document and writes the notes table.
/// `codes` is the compiled code map (FST bytes): every node must be one of
/// its keys, and references are resolved against it.
pub fn compile(path: &str, xml: &str, codes: &[u8]) -> Result<Compiled, TableError> {
    let map = fst::Map::new(codes)
        .map_err(|e| TableError::new(path, 0, TableErrorKind::Conflict(e.to_string())))?;
    let nodes = extract(path, xml)?;
    let mut by_kind = BTreeMap::new();
    let mut refs = RefCounts::default();
    let mut texts = BTreeSet::new();
    for node in &nodes {
        if !map.contains_key(&node.key) {
            return Err(TableError::new(
                path,
                node.line,
                TableErrorKind::Conflict(format!(
                    "notes of {:?}, which is not in the code map",
                    node.key
                )),
            ));
        }
        for note in &node.notes {
            *by_kind.entry(note.kind).or_insert(0) += 1;
            texts.insert(note.text.as_str());
            for r in scan(&note.text) {
                let ok = r.resolves(|k| map.contains_key(k));
                refs.found += 1;
                refs.resolved += usize::from(ok);
                if r.last.is_some() {
                    refs.ranges += 1;
                    refs.ranges_resolved += usize::from(ok);
                }
                if !ok {
                    refs.unresolved.insert(note.text[r.start..r.end].to_owned());
                }
            }
        }
    }
    Ok(Compiled {
        bytes: write(path, &nodes)?,
        nodes: nodes.len(),
        notes: by_kind.values().sum(),
        texts: texts.len(),
        by_kind,
        refs,
    })
}

#[cfg(test)]
mod tests {
    use super::super::NoteTable;
    use super::*;

    const XML: &str = r#"<ICD10CM.tabular><version>2026</version>
<chapter><name>19</name><desc>Injury</desc>
<notes><note>Use secondary code(s) from Chapter 20.</note></notes>
<section id="S70-S79"><desc>Hip and thigh</desc>
<diag><name>S72</name><desc>Fracture of femur</desc>
<excludes1><note>traumatic amputation of hip and thigh (S78.-)</note></excludes1>
<sevenChrNote><note>The appropriate 7th character is to be added:</note></sevenChrNote>
<sevenChrDef><extension char="A">initial encounter for closed fracture</extension>
<note>	initial encounter NOS</note><extension char="d">subsequent encounter</extension></sevenChrDef>
<diag><name>S72.0</name><desc>Neck</desc>
<inclusionTerm><note>Fracture of  hip NOS</note><note/></inclusionTerm>
<excludes1><note>traumatic amputation of hip and thigh (S78.-)</note></excludes1>
</diag></diag></section></chapter></ICD10CM.tabular>"#;

    #[test]
    fn extracts_every_kind_with_seventh_characters_and_dedups_texts() {
        let nodes = extract("t.xml", XML).unwrap();
        let keys: Vec<_> = nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["19", "S72", "S720"]);
        let s72 = &nodes[1].notes;
        let kinds: Vec<_> = s72.iter().map(|n| (n.kind.as_str(), n.seventh)).collect();
        assert_eq!(
            kinds,
            [
                ("excludes1", None),
                ("sevenChrNote", None),
                ("sevenChrDef", Some(b'A')),
                ("sevenChrDef", Some(b'A')),
                ("sevenChrDef", Some(b'D'))
            ]
        );
        assert_eq!(s72[3].text, "initial encounter NOS");
        assert_eq!(nodes[2].notes[0].text, "Fracture of hip NOS");
        assert_eq!(nodes[2].notes.len(), 2, "the empty note is skipped");

        let bytes = write("t.xml", &nodes).unwrap();
        let table = NoteTable::new(&bytes).unwrap();
        assert_eq!(table.nodes(), 3);
        assert_eq!(
            table.texts(),
            7,
            "the repeated excludes1 text is stored once"
        );
        let read = table.notes("S72");
        assert_eq!(read.len(), 5);
        assert_eq!(read[4].seventh, Some(b'D'));
        let mut text = String::new();
        assert!(table.write_text(read[0].text, &mut text));
        assert_eq!(text, "traumatic amputation of hip and thigh (S78.-)");
        assert_eq!(table.notes("S720")[1].text, read[0].text);
        assert!(table.notes("S7200").is_empty());
    }

    #[test]
    fn a_seventh_character_note_before_any_character_names_its_line() {
        let xml = XML.replace(
            "<sevenChrDef><extension",
            "<sevenChrDef>\n<note>x</note><extension",
        );
        let e = extract("t.xml", &xml).unwrap_err();
        assert_eq!(e.line, 8);
        assert!(
            e.to_string().starts_with("t.xml:8: bad 7th-character"),
            "{e}"
        );
    }

    #[test]
    fn a_node_missing_from_the_code_map_is_an_error() {
        let mut b = fst::MapBuilder::memory();
        b.insert("19", 0).unwrap();
        let codes = b.into_inner().unwrap();
        let e = compile("t.xml", XML, &codes).unwrap_err();
        assert!(
            e.to_string().contains("\"S70-S79\"") || e.to_string().contains("\"S72\""),
            "{e}"
        );
    }

    #[test]
    fn truncated_lists_end_early() {
        let nodes = extract("t.xml", XML).unwrap();
        let bytes = write("t.xml", &nodes).unwrap();
        for cut in 0..bytes.len() {
            if let Ok(t) = NoteTable::new(&bytes[..cut]) {
                t.for_each(|_, notes| assert!(notes.len() <= 5));
            }
        }
    }
}
