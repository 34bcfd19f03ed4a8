//! ICD-10-CM instructional notes of a code, with those it inherits.
//!
//! A code's notes are the ones written at it and at each level above it —
//! subcategory, category, block (and the heading block above it), chapter —
//! nearest first, each level in tabular order, every note naming where it is
//! written (`from`). What is inherited follows the tabular's conventions:
//!
//! - includes, excludes1, excludes2, code first, use additional code, code
//!   also and notes apply to every code below the node they are written at;
//! - inclusion terms belong to their own code (a code made with a 7th
//!   character shows those of its tabular leaf);
//! - 7th-character notes and definitions come from the nearest node that has
//!   them; for a code that takes a 7th character only the characters it
//!   takes are listed (the tabular withdraws some, e.g. `S06` with 6th
//!   character 7 or 8), for a code made with one only its own.
//!
//! Code references in a note (`E11.9`, `S72.0-`, `E08-E13`) are given as
//! `refs` when every code they name is in the release; others stay text.
//!
//! ```
//! let cm = medcode::CodeSet::icd10cm();
//! let notes = medcode::checks::notes::Notes::icd10cm().of(cm, "E11.9", true).unwrap().unwrap();
//! assert!(notes.iter().any(|n| n.kind.as_str() == "excludes1" && n.from == "E11"));
//! assert!(notes.iter().any(|n| n.from == "4"));
//! ```

use crate::codeset::CodeSet;
use crate::normalize::{dotted, normalize, InputError};
use medcode_tables::layout::Kind;
use medcode_tables::notes::{refs, NoteKind, NoteTable, NotesError, RawNote};
use std::sync::OnceLock;

/// One note as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What kind of note.
    pub kind: NoteKind,
    /// The note as the tabular writes it (whitespace collapsed).
    pub text: String,
    /// Where it is written: a code (`E11`), a block (`E08-E13`) or a chapter (`4`).
    pub from: String,
    /// For a 7th-character definition: the character.
    pub seventh: Option<char>,
    /// The code references in the text that name codes of the release.
    pub refs: Vec<Ref>,
}

/// A code reference inside a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// The reference as written (`E08-E13`, `S72.0-`).
    pub text: String,
    /// The code, or the first code of a range, dotted.
    pub code: String,
    /// The last code of a range, dotted.
    pub through: Option<String>,
    /// The block whose range this is, when there is one (`E08-E13`).
    pub block: Option<String>,
    /// Written with a dash: a code under `code` is meant.
    pub incomplete: bool,
}

/// The embedded notes table.
#[derive(Debug)]
pub struct Notes {
    table: NoteTable<'static>,
}

impl Notes {
    /// Opens a notes table.
    pub fn new(bytes: &'static [u8]) -> Result<Notes, NotesError> {
        Ok(Notes {
            table: NoteTable::new(bytes)?,
        })
    }

    /// The embedded ICD-10-CM FY2026 (April 1 2026 update) notes.
    pub fn icd10cm() -> &'static Notes {
        static NOTES: OnceLock<Notes> = OnceLock::new();
        NOTES.get_or_init(|| match Notes::new(crate::data::icd10cm::NOTES) {
            Ok(notes) => notes,
            // The table was checked when it was built and is covered by tests.
            Err(e) => unreachable!("embedded notes table: {e}"),
        })
    }

    /// The table, for tests and tools.
    pub fn table(&self) -> &NoteTable<'static> {
        &self.table
    }

    /// The notes of a code as typed (`Ok(None)`: well-formed but not in
    /// `set`): with `inherited`, also those of every level above it (see the
    /// module doc); without, only those written at it (for a code made with a
    /// 7th character: at its tabular leaf, its character's definition only).
    pub fn of(
        &self,
        set: &CodeSet,
        input: &str,
        inherited: bool,
    ) -> Result<Option<Vec<Note>>, InputError> {
        let key = normalize(input)?;
        let Some(entry) = set.entry(key.as_bytes()) else {
            return Ok(None);
        };
        // The characters whose 7th-character definitions are shown (`None`: all).
        let sevenths: Option<Vec<u8>> = if entry.is_expanded() {
            key.as_bytes().last().map(|&c| vec![c])
        } else if entry.takes_seventh().is_some() {
            Some(
                set.seventh_options(&entry)
                    .iter()
                    .map(|(c, _)| *c as u8)
                    .collect(),
            )
        } else if matches!(entry.kind, Kind::Category | Kind::Code)
            && set.child_keys(key.as_str(), &entry).is_empty()
        {
            // A complete code that takes no 7th character.
            Some(Vec::new())
        } else {
            None
        };
        let mut lineage = set.lineage(key.as_str().to_owned(), entry);
        if entry.is_expanded() {
            // Notes are written at the tabular leaf of a code made with a 7th character.
            lineage.next();
        }
        let mut out = Vec::new();
        let mut seventh_found = false;
        for (level, (node, _)) in lineage.enumerate() {
            let own = level == 0;
            let raw = self.table.notes(&node);
            let has_seventh = raw.iter().any(|n| is_seventh(n.kind));
            for note in raw {
                let show = match note.kind {
                    NoteKind::InclusionTerm => own,
                    NoteKind::SevenChrNote => {
                        !seventh_found && sevenths.as_ref().is_none_or(|c| !c.is_empty())
                    }
                    NoteKind::SevenChrDef => {
                        !seventh_found
                            && match (&sevenths, note.seventh) {
                                (Some(chars), Some(c)) => chars.contains(&c),
                                _ => true,
                            }
                    }
                    _ => true,
                };
                if show {
                    out.push(self.note(set, &node, &note));
                }
            }
            seventh_found |= has_seventh;
            if !inherited {
                break;
            }
        }
        Ok(Some(out))
    }

    fn note(&self, set: &CodeSet, node: &str, raw: &RawNote) -> Note {
        let mut text = String::new();
        self.table.write_text(raw.text, &mut text);
        let contains = |k: &str| set.map().contains_key(k);
        let refs = refs::scan(&text)
            .into_iter()
            .filter(|r| r.resolves(contains))
            .map(|r| Ref {
                text: text[r.start..r.end].to_owned(),
                code: dotted(&r.first),
                through: r.last.as_deref().map(dotted),
                block: r.block_key().filter(|b| contains(b)),
                incomplete: r.incomplete,
            })
            .collect();
        Note {
            kind: raw.kind,
            from: dotted(node),
            seventh: raw.seventh.map(char::from),
            refs,
            text,
        }
    }
}

fn is_seventh(kind: NoteKind) -> bool {
    matches!(kind, NoteKind::SevenChrNote | NoteKind::SevenChrDef)
}
