//! Reads the ICD-10-CM tabular XML (`icd10cm-tabular-*.xml`, the CDC/NCHS
//! release format) into chapters, blocks, tabular codes and 7th-character
//! definitions.

use crate::error::{TableError, TableErrorKind};
use crate::line_index::LineIndex;
use roxmltree::{Document, Node};
use std::collections::{HashMap, HashSet};

/// The tabular list of one ICD-10-CM release.
#[derive(Debug, Clone, Default)]
pub struct Tabular {
    /// The `<version>` the file states (e.g. `2026`).
    pub version: String,
    /// Chapters in tabular order.
    pub chapters: Vec<Chapter>,
    /// Blocks (the tabular's sections, e.g. `A00-A09`) in tabular order.
    pub blocks: Vec<Block>,
    /// Every `<diag>`: categories, subcategories and codes, in tabular order.
    pub diags: Vec<Diag>,
    /// Distinct 7th-character definitions, referenced by [`Diag::seventh`].
    pub seventh_defs: Vec<SeventhDef>,
}

/// A chapter, e.g. `1` "Certain infectious and parasitic diseases (A00-B99)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// The chapter number as written (`1` to `22`).
    pub id: String,
    /// The chapter title.
    pub title: String,
}

/// A block of categories (a `<section>`), e.g. `A00-A09`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The section id in `first-last` form, e.g. `A00-A09` or `B10-B10`.
    pub id: String,
    /// The block title.
    pub title: String,
    /// Index into [`Tabular::chapters`].
    pub chapter: usize,
    /// Categories of this block, in tabular order (codes without dot).
    pub categories: Vec<String>,
    /// The enclosing block, for blocks under a heading section such as
    /// `C00-C75` (a section with no codes of its own that spans the next ones).
    pub parent: Option<usize>,
}

/// A category, subcategory or code of the tabular.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// The code without its dot, upper case, e.g. `S72001`.
    pub code: String,
    /// The tabular title (`<desc>`).
    pub title: String,
    /// Index into [`Tabular::blocks`].
    pub block: usize,
    /// Inclusion terms (`<inclusionTerm><note>`): other conditions or
    /// wordings the code is used for, whitespace collapsed.
    pub inclusions: Vec<String>,
    /// The `<includes>` notes written under the code (mostly categories:
    /// K27 "peptic ulcer NOS"), whitespace collapsed.
    pub includes: Vec<String>,
    /// Whether other `<diag>` elements are nested in this one.
    pub has_children: bool,
    /// For a leaf that takes a 7th character: index into
    /// [`Tabular::seventh_defs`] of the nearest definition in force.
    pub seventh: Option<usize>,
    /// 1-based line in the source file.
    pub line: u32,
}

impl Diag {
    /// What the code is used for besides its title: its inclusion terms,
    /// then its includes notes (a category's includes are inclusion terms
    /// of it too: K27 "peptic ulcer NOS").
    pub fn inclusion_notes(&self) -> [&[String]; 2] {
        [&self.inclusions, &self.includes]
    }
}

/// The 7th characters a group of codes takes, with their meanings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SeventhDef {
    /// `(character, meaning)` in the order the tabular lists them.
    pub chars: Vec<(u8, String)>,
}

/// Parses a tabular XML document. `path` names the file in errors.
///
/// ```
/// let xml = r#"<ICD10CM.tabular><version>2026</version>
///   <chapter><name>1</name><desc>Infections (A00-A09)</desc>
///     <section id="A00-A09"><desc>Intestinal (A00-A09)</desc>
///       <diag><name>A00</name><desc>Cholera</desc>
///         <diag><name>A00.0</name><desc>Cholera due to Vibrio cholerae 01, biovar cholerae</desc></diag>
///       </diag>
///     </section></chapter></ICD10CM.tabular>"#;
/// let t = medcode_tables::tabular::parse("tab.xml", xml).unwrap();
/// assert_eq!(t.diags[1].code, "A000");
/// assert!(t.diags[0].has_children);
/// ```
pub fn parse(path: &str, xml: &str) -> Result<Tabular, TableError> {
    let doc = Document::parse(xml)
        .map_err(|e| TableError::new(path, e.pos().row, TableErrorKind::Xml(e.to_string())))?;
    let mut reader = Reader {
        path,
        lines: LineIndex::new(xml),
        tabular: Tabular::default(),
        defs: HashMap::new(),
        seen: HashSet::new(),
    };
    let root = doc.root_element();
    reader.tabular.version = child_text(root, "version").unwrap_or_default();
    for chapter in root.children().filter(|n| n.has_tag_name("chapter")) {
        reader.chapter(chapter)?;
    }
    nest_blocks(&mut reader.tabular);
    if reader.tabular.diags.is_empty() {
        return Err(TableError::new(
            path,
            0,
            TableErrorKind::Empty("<diag> codes"),
        ));
    }
    Ok(reader.tabular)
}

struct Reader<'a> {
    path: &'a str,
    lines: LineIndex,
    tabular: Tabular,
    defs: HashMap<SeventhDef, usize>,
    seen: HashSet<String>,
}

impl Reader<'_> {
    fn line(&self, node: Node) -> u32 {
        self.lines.row(node.range().start)
    }

    fn error(&self, node: Node, kind: TableErrorKind) -> TableError {
        TableError::new(self.path, self.line(node), kind)
    }

    fn required(
        &self,
        node: Node,
        parent: &'static str,
        child: &'static str,
    ) -> Result<String, TableError> {
        child_text(node, child)
            .ok_or_else(|| self.error(node, TableErrorKind::MissingElement { parent, child }))
    }

    fn chapter(&mut self, node: Node) -> Result<(), TableError> {
        let id = self.required(node, "chapter", "name")?;
        if id.contains(char::is_whitespace) {
            return Err(self.error(node, TableErrorKind::BadCode(id)));
        }
        let title = self.required(node, "chapter", "desc")?;
        let chapter = self.tabular.chapters.len();
        self.tabular.chapters.push(Chapter { id, title });
        for section in node.children().filter(|n| n.has_tag_name("section")) {
            let id = section.attribute("id").map(block_key).ok_or_else(|| {
                self.error(
                    section,
                    TableErrorKind::MissingElement {
                        parent: "section",
                        child: "id",
                    },
                )
            })?;
            // The outline text separates ids by whitespace: an id holding any
            // would be read back as other ids (and could list a block under itself).
            if id.is_empty() || id.contains(char::is_whitespace) {
                return Err(self.error(section, TableErrorKind::BadCode(id)));
            }
            let title = self.required(section, "section", "desc")?;
            let block = self.tabular.blocks.len();
            self.tabular.blocks.push(Block {
                id,
                title,
                chapter,
                categories: Vec::new(),
                parent: None,
            });
            for diag in section.children().filter(|n| n.has_tag_name("diag")) {
                let code = self.diag(diag, block, None, None, &[])?;
                self.tabular.blocks[block].categories.push(code);
            }
        }
        Ok(())
    }

    /// Reads one `<diag>` and its descendants; returns its code.
    fn diag(
        &mut self,
        node: Node,
        block: usize,
        parent: Option<&str>,
        inherited: Option<usize>,
        exceptions: &[SeventhException],
    ) -> Result<String, TableError> {
        let name = self.required(node, "diag", "name")?;
        let title = self.required(node, "diag", "desc")?;
        let code = code_without_dot(&name)
            .ok_or_else(|| self.error(node, TableErrorKind::BadCode(name.clone())))?;
        match parent {
            None if code.len() != 3 => return Err(self.error(node, TableErrorKind::BadCode(name))),
            Some(p) if !(code.len() > p.len() && code.starts_with(p)) => {
                return Err(self.error(
                    node,
                    TableErrorKind::NotUnderParent {
                        code: name,
                        parent: p.to_owned(),
                    },
                ))
            }
            _ => {}
        }
        if !self.seen.insert(code.clone()) {
            return Err(self.error(node, TableErrorKind::DuplicateCode(name)));
        }
        let own = match node.children().find(|n| n.has_tag_name("sevenChrDef")) {
            Some(def) => Some(self.seventh_def(def)?),
            None => None,
        };
        let in_force = own.or(inherited);
        let mut exceptions = exceptions.to_vec();
        for note in node
            .children()
            .filter(|n| n.has_tag_name("notes"))
            .flat_map(|n| n.children())
            .filter(|n| n.has_tag_name("note"))
        {
            if let Some(parsed) =
                SeventhException::parse(&normalize_space(note.text().unwrap_or_default()))
            {
                exceptions.push(
                    parsed.map_err(|e| self.error(note, TableErrorKind::BadSeventhCharacter(e)))?,
                );
            }
        }
        let children: Vec<Node> = node.children().filter(|n| n.has_tag_name("diag")).collect();
        let leaf_def = match in_force {
            Some(def) if children.is_empty() => Some(self.restricted(def, &code, &exceptions)),
            _ => None,
        };
        let index = self.tabular.diags.len();
        let line = self.line(node);
        let notes_of = |tag: &str| -> Vec<String> {
            node.children()
                .filter(|n| n.has_tag_name(tag))
                .flat_map(|n| n.children())
                .filter(|n| n.has_tag_name("note"))
                .map(|n| normalize_space(n.text().unwrap_or_default()))
                .filter(|t| !t.is_empty())
                .collect()
        };
        let (inclusions, includes) = (notes_of("inclusionTerm"), notes_of("includes"));
        self.tabular.diags.push(Diag {
            code: code.clone(),
            title,
            inclusions,
            includes,
            block,
            has_children: !children.is_empty(),
            seventh: leaf_def,
            line,
        });
        if self.tabular.diags[index].seventh.is_some() && code.len() > 6 {
            return Err(self.error(
                node,
                TableErrorKind::BadSeventhCharacter(format!("{name} already has 7 characters")),
            ));
        }
        for child in children {
            self.diag(child, block, Some(&code), in_force, &exceptions)?;
        }
        Ok(code)
    }

    /// The definition `def` less the characters an exception removes for `code`.
    fn restricted(&mut self, def: usize, code: &str, exceptions: &[SeventhException]) -> usize {
        let sixth = code.as_bytes().get(5).copied();
        let removed: Vec<u8> = exceptions
            .iter()
            .filter(|e| sixth.is_some_and(|s| e.sixth.contains(&s)))
            .flat_map(|e| e.chars.iter().copied())
            .collect();
        if removed.is_empty() {
            return def;
        }
        let chars = self.tabular.seventh_defs[def]
            .chars
            .iter()
            .filter(|(c, _)| !removed.contains(c))
            .cloned()
            .collect();
        self.intern(SeventhDef { chars })
    }

    fn intern(&mut self, def: SeventhDef) -> usize {
        let next = self.tabular.seventh_defs.len();
        let id = *self.defs.entry(def.clone()).or_insert(next);
        if id == next {
            self.tabular.seventh_defs.push(def);
        }
        id
    }

    fn seventh_def(&mut self, node: Node) -> Result<usize, TableError> {
        let mut chars = Vec::new();
        for ext in node.children().filter(|n| n.has_tag_name("extension")) {
            let c = ext.attribute("char").unwrap_or_default();
            let meaning = normalize_space(ext.text().unwrap_or_default());
            match c.as_bytes() {
                [b] if b.is_ascii_alphanumeric() && !meaning.is_empty() => {
                    chars.push((b.to_ascii_uppercase(), meaning))
                }
                _ => {
                    return Err(self.error(
                        ext,
                        TableErrorKind::BadSeventhCharacter(format!(
                            "extension char {c:?} with meaning {meaning:?}"
                        )),
                    ))
                }
            }
        }
        if chars.is_empty() {
            return Err(self.error(
                node,
                TableErrorKind::BadSeventhCharacter("no <extension>".into()),
            ));
        }
        let mut sorted: Vec<u8> = chars.iter().map(|(c, _)| *c).collect();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != chars.len() {
            return Err(self.error(
                node,
                TableErrorKind::BadSeventhCharacter("a character is defined twice".into()),
            ));
        }
        Ok(self.intern(SeventhDef { chars }))
    }
}

/// Places each block under the innermost heading section (a section with no
/// codes, such as `C00-C75`) whose range, in tabular order, spans it.
fn nest_blocks(t: &mut Tabular) {
    let order: HashMap<&str, usize> = t
        .diags
        .iter()
        .enumerate()
        .filter(|(_, d)| d.code.len() == 3)
        .map(|(i, d)| (d.code.as_str(), i))
        .collect();
    let span = |b: &Block| -> Option<(usize, usize)> {
        let (first, last) = b.id.split_once('-')?;
        Some((*order.get(first)?, *order.get(last)?))
    };
    let spans: Vec<Option<(usize, usize)>> = t.blocks.iter().map(span).collect();
    let mut parents = vec![None; t.blocks.len()];
    for (i, block) in t.blocks.iter().enumerate() {
        let Some((first, last)) = spans[i] else {
            continue;
        };
        // The innermost earlier heading of the same chapter that spans this block.
        parents[i] = (0..i).rev().find(|&h| {
            t.blocks[h].categories.is_empty()
                && t.blocks[h].chapter == block.chapter
                && spans[h].is_some_and(|(f, l)| f <= first && last <= l)
        });
    }
    for (block, parent) in t.blocks.iter_mut().zip(parents) {
        block.parent = parent;
    }
}

/// A tabular note that withdraws 7th characters from some codes, e.g.
/// "7th characters D and S do not apply to codes in category S06 with 6th
/// character 7 - death due to brain injury …, or 8 - death due to other cause …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeventhException {
    /// The 7th characters withdrawn.
    pub chars: Vec<u8>,
    /// The 6th characters of the codes they are withdrawn from.
    pub sixth: Vec<u8>,
}

impl SeventhException {
    /// `None` if the note is not about withdrawn 7th characters; an error if it
    /// is but its wording cannot be read.
    ///
    /// ```
    /// use medcode_tables::tabular::SeventhException;
    /// let e = SeventhException::parse("7th characters D and S do not apply to codes in category S06 with 6th character 7 - death due to brain injury, or 8 - death due to other cause.");
    /// assert_eq!(e, Some(Ok(SeventhException { chars: b"DS".to_vec(), sixth: b"78".to_vec() })));
    /// ```
    pub fn parse(note: &str) -> Option<Result<SeventhException, String>> {
        let rest = note.strip_prefix("7th character")?;
        let (chars, rest) = rest.split_once(" do not apply")?;
        let single = |s: &str| -> Option<u8> {
            match s.trim().as_bytes() {
                [c] if c.is_ascii_alphanumeric() => Some(c.to_ascii_uppercase()),
                _ => None,
            }
        };
        let chars: Option<Vec<u8>> = chars
            .trim_start_matches('s')
            .split([','])
            .flat_map(|p| p.split(" and "))
            .filter(|p| !p.trim().is_empty())
            .map(single)
            .collect();
        let sixth: Option<Vec<u8>> = rest
            .split_once("6th character")
            .map(|(_, r)| {
                r.split(", or ")
                    .map(|p| single(p.trim().split(" - ").next().unwrap_or("")))
                    .collect()
            })
            .unwrap_or(None);
        Some(match (chars, sixth) {
            (Some(c), Some(s)) if !c.is_empty() && !s.is_empty() => {
                Ok(SeventhException { chars: c, sixth: s })
            }
            _ => Err(format!("cannot read the 7th-character exception {note:?}")),
        })
    }
}

/// The text of the first child element named `tag`, whitespace collapsed.
fn child_text(node: Node, tag: &str) -> Option<String> {
    let text = normalize_space(node.children().find(|n| n.has_tag_name(tag))?.text()?);
    (!text.is_empty()).then_some(text)
}

/// A block's key always has the `first-last` form (`B10` → `B10-B10`), so a
/// one-category block never shares its key with its category.
pub fn block_key(id: &str) -> String {
    let id = id.trim();
    if id.contains('-') {
        id.to_owned()
    } else {
        format!("{id}-{id}")
    }
}

/// Collapses runs of whitespace (including tabs and newlines) to one space and trims.
pub fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `A00.0` → `A000`; `None` unless the code is 3 to 7 upper-case letters and
/// digits with at most one dot, placed after the third character.
pub fn code_without_dot(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    let (head, tail) = match bytes.iter().position(|&b| b == b'.') {
        Some(3) => (&bytes[..3], &bytes[4..]),
        Some(_) => return None,
        None => (bytes, &bytes[..0]),
    };
    let code: Vec<u8> = head.iter().chain(tail).copied().collect();
    let ok = (3..=7).contains(&code.len())
        && code[0].is_ascii_uppercase()
        && code
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    ok.then(|| String::from_utf8_lossy(&code).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(diags: &str) -> String {
        format!(
            "<ICD10CM.tabular><version>2026</version>\n<chapter><name>19</name><desc>Injury (S00-T88)</desc>\n<section id=\"S70-S79\"><desc>Injuries to the hip and thigh (S70-S79)</desc>\n{diags}</section></chapter></ICD10CM.tabular>"
        )
    }

    const S72: &str = r#"<diag><name>S72</name><desc>Fracture of femur</desc>
<includes><note>fracture of  hip NOS</note><note>broken thigh bone</note></includes>
<sevenChrDef><extension char="A">initial encounter for closed fracture</extension><note>	initial encounter NOS</note><extension char="D">subsequent encounter</extension></sevenChrDef>
<diag><name>S72.0</name><desc>Fracture of neck of femur</desc>
<diag><name>S72.00</name><desc>Fracture of unspecified part of neck of femur</desc>
<diag><name>S72.001</name><desc>Fracture of unspecified part of neck of right femur</desc></diag>
</diag>
<diag><name>S72.09</name><desc>Other fracture</desc>
<inclusionTerm><note>Fracture of  neck
 of femur NOS</note></inclusionTerm>
<sevenChrDef><extension char="S">sequela</extension></sevenChrDef>
</diag></diag></diag>
<diag><name>S73</name><desc>Dislocation</desc></diag>"#;

    #[test]
    fn seventh_character_definitions_apply_to_leaves_only_and_nearest_wins() {
        let t = parse("t.xml", &wrap(S72)).unwrap();
        let by_code: HashMap<_, _> = t.diags.iter().map(|d| (d.code.as_str(), d)).collect();
        assert_eq!(by_code["S72"].seventh, None);
        assert_eq!(by_code["S72001"].seventh, Some(0));
        assert_eq!(by_code["S7209"].seventh, Some(1));
        assert_eq!(by_code["S73"].seventh, None);
        assert_eq!(
            by_code["S7209"].inclusions,
            vec!["Fracture of neck of femur NOS"]
        );
        assert!(by_code["S72"].inclusions.is_empty());
        // A category's includes notes, read apart from its inclusion terms.
        assert_eq!(
            by_code["S72"].includes,
            vec!["fracture of hip NOS", "broken thigh bone"]
        );
        assert!(by_code["S7209"].includes.is_empty());
        assert_eq!(
            t.seventh_defs[0].chars,
            vec![
                (b'A', "initial encounter for closed fracture".into()),
                (b'D', "subsequent encounter".into())
            ]
        );
        assert_eq!(t.blocks[0].categories, vec!["S72", "S73"]);
    }

    #[test]
    fn malformed_xml_names_file_and_line() {
        let err = parse(
            "bad.xml",
            "<ICD10CM.tabular>\n<chapter>\n</ICD10CM.tabular>",
        )
        .unwrap_err();
        assert_eq!(err.path, "bad.xml");
        assert_eq!(err.line, 3);
        assert!(
            err.to_string().starts_with("bad.xml:3: malformed XML"),
            "{err}"
        );
    }

    #[test]
    fn diag_without_desc_is_an_error_at_its_line() {
        let err = parse("t.xml", &wrap("<diag><name>A00</name></diag>")).unwrap_err();
        assert_eq!(err.to_string(), "t.xml:4: <diag> has no <desc>");
    }

    #[test]
    fn child_that_does_not_extend_parent_is_an_error() {
        let err = parse("t.xml", &wrap("<diag><name>A00</name><desc>x</desc>\n<diag><name>A01.1</name><desc>y</desc></diag></diag>")).unwrap_err();
        assert_eq!(err.line, 5);
        assert!(matches!(err.kind, TableErrorKind::NotUnderParent { .. }));
    }

    #[test]
    fn duplicate_code_is_an_error() {
        let err = parse("t.xml", &wrap("<diag><name>A00</name><desc>x</desc></diag>\n<diag><name>A00</name><desc>y</desc></diag>")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.xml:5: code \"A00\" appears more than once"
        );
    }

    #[test]
    fn code_shapes() {
        assert_eq!(code_without_dot("S72.001").as_deref(), Some("S72001"));
        assert_eq!(code_without_dot("C4A").as_deref(), Some("C4A"));
        assert_eq!(code_without_dot("S7.2001"), None);
        assert_eq!(code_without_dot("s72"), None);
        assert_eq!(code_without_dot("S72.00011"), None);
    }
}
