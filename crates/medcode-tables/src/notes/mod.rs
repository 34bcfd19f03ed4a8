//! ICD-10-CM instructional notes: what the tabular writes at a chapter,
//! block, category or code (includes, inclusion terms, excludes1/2, code
//! first, use additional code, code also, notes, 7th-character notes and
//! definitions), compiled into one table the runtime reads by key.
//!
//! Layout (integers little endian): `b"MCN1"` (format `MCN`, layout 1:
//! [`crate::magic`]), `u32` length of the text
//! store, `u32` length of the index, then the text store (a
//! [`crate::titles`] store of the distinct note texts), the index (an FST map
//! from node key — a chapter number, a block `A00-A09`, a code without dot —
//! to an offset into the lists) and the lists. A list is a varint count, then
//! per note a varint `zigzag(text id - expected) << 4 | kind`
//! ([`NoteKind::code`]), where `expected` is the previous note's text id + 1
//! (0 for the first): texts are numbered in tabular order, so most notes take
//! one byte. A [`NoteKind::SevenChrDef`] is followed by its character byte.
//!
//! Code references in note text are not stored: [`refs::scan`] finds them and
//! the reader checks them against the code map, the same way the compiler
//! counts them (see `compile`).

pub mod refs;
#[cfg(feature = "compile")]
mod write;
#[cfg(feature = "compile")]
pub use write::{compile, extract, write, Compiled, NodeNotes, RefCounts, SourceNote};

use crate::titles::{TitleStore, TitleStoreError};
use crate::varint;

use crate::magic::{Magic, MagicError};

const MAGIC: Magic = Magic::new(*b"MCN", 1);
const HEADER: usize = 12;

/// The kind of an instructional note, named after its tabular element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NoteKind {
    /// `<includes>`: what the chapter, block or category includes.
    Includes,
    /// `<inclusionTerm>`: another condition or wording the code is used for.
    InclusionTerm,
    /// `<excludes1>`: never coded together with this code.
    Excludes1,
    /// `<excludes2>`: not included here, but may be coded together.
    Excludes2,
    /// `<codeFirst>`: the underlying condition to sequence first.
    CodeFirst,
    /// `<useAdditionalCode>`: a further code to add.
    UseAdditionalCode,
    /// `<codeAlso>`: a further code that may be needed, in either order.
    CodeAlso,
    /// `<notes>`: a free note.
    Note,
    /// `<sevenChrNote>`: the lead-in of a 7th-character definition.
    SevenChrNote,
    /// `<sevenChrDef>`: one 7th character and its meaning (or a term listed under it).
    SevenChrDef,
}

/// Every kind, in [`NoteKind::code`] order.
pub const KINDS: [NoteKind; 10] = [
    NoteKind::Includes,
    NoteKind::InclusionTerm,
    NoteKind::Excludes1,
    NoteKind::Excludes2,
    NoteKind::CodeFirst,
    NoteKind::UseAdditionalCode,
    NoteKind::CodeAlso,
    NoteKind::Note,
    NoteKind::SevenChrNote,
    NoteKind::SevenChrDef,
];

impl NoteKind {
    /// The name used in the API: the tabular element's name, except `note`
    /// for an item of `<notes>`.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Includes => "includes",
            NoteKind::InclusionTerm => "inclusionTerm",
            NoteKind::Excludes1 => "excludes1",
            NoteKind::Excludes2 => "excludes2",
            NoteKind::CodeFirst => "codeFirst",
            NoteKind::UseAdditionalCode => "useAdditionalCode",
            NoteKind::CodeAlso => "codeAlso",
            NoteKind::Note => "note",
            NoteKind::SevenChrNote => "sevenChrNote",
            NoteKind::SevenChrDef => "sevenChrDef",
        }
    }

    /// The kind of a tabular element name (`notes` for [`NoteKind::Note`]).
    ///
    /// ```
    /// use medcode_tables::notes::NoteKind;
    /// assert_eq!(NoteKind::from_element("excludes1"), Some(NoteKind::Excludes1));
    /// assert_eq!(NoteKind::from_element("notes"), Some(NoteKind::Note));
    /// assert_eq!(NoteKind::from_element("desc"), None);
    /// ```
    pub fn from_element(name: &str) -> Option<NoteKind> {
        Some(match name {
            "notes" => NoteKind::Note,
            other => *KINDS
                .iter()
                .find(|k| k.as_str() == other && **k != NoteKind::Note)?,
        })
    }

    /// The 4-bit number stored in the lists.
    pub fn code(self) -> u32 {
        KINDS.iter().position(|&k| k == self).unwrap_or(0) as u32
    }

    /// The kind stored as `code`, if any.
    pub fn from_code(code: u32) -> Option<NoteKind> {
        KINDS.get(code as usize).copied()
    }

    /// Whether a note of this kind applies to the codes under the node it is
    /// written at. Inclusion terms belong to their own code; a 7th-character
    /// note or definition applies below until a nearer one replaces it (the
    /// reader handles that); every other kind applies to the whole subtree.
    pub fn inherited(self) -> bool {
        self != NoteKind::InclusionTerm
    }
}

/// One note of a node as stored: its kind, text id and, for a
/// [`NoteKind::SevenChrDef`], its character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawNote {
    /// What kind of note.
    pub kind: NoteKind,
    /// Text id in the table's text store.
    pub text: u32,
    /// The 7th character a [`NoteKind::SevenChrDef`] defines.
    pub seventh: Option<u8>,
}

/// Why bytes are not a notes table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotesError {
    /// The bytes do not start with the table's magic bytes, or are of
    /// another layout version.
    Magic(MagicError),
    /// The bytes are shorter than the header says.
    Truncated,
    /// The text store is damaged.
    Texts(TitleStoreError),
    /// The index is not an FST map.
    Index(String),
}

impl std::fmt::Display for NotesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotesError::Magic(e) => write!(f, "notes table: {e}"),
            NotesError::Truncated => f.write_str("notes table: truncated"),
            NotesError::Texts(e) => write!(f, "notes table: {e}"),
            NotesError::Index(e) => write!(f, "notes table index: {e}"),
        }
    }
}

impl std::error::Error for NotesError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NotesError::Magic(e) => Some(e),
            NotesError::Texts(e) => Some(e),
            _ => None,
        }
    }
}

/// Reads a notes table.
pub struct NoteTable<'a> {
    texts: TitleStore<'a>,
    index: fst::Map<&'a [u8]>,
    lists: &'a [u8],
}

impl std::fmt::Debug for NoteTable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteTable")
            .field("nodes", &self.index.len())
            .field("texts", &self.texts.len())
            .finish()
    }
}

/// `0, 1, 2, 3, …` → `0, -1, 1, -2, …`.
fn unzigzag(v: u32) -> Option<i32> {
    let half = i32::try_from(v >> 1).ok()?;
    Some(if v & 1 == 0 { half } else { -half - 1 })
}

/// The inverse of [`unzigzag`], for the writer.
#[cfg(any(test, feature = "compile"))]
pub(crate) fn zigzag(d: i32) -> u32 {
    ((d << 1) ^ (d >> 31)) as u32
}

impl<'a> NoteTable<'a> {
    /// Checks the header and opens the text store and index.
    pub fn new(bytes: &'a [u8]) -> Result<Self, NotesError> {
        MAGIC.check(bytes).map_err(NotesError::Magic)?;
        let mut sections = crate::sections::Sections::after_header(bytes, HEADER);
        let len = |i: usize| sections.len_field(i).ok_or(NotesError::Truncated);
        let (texts_len, index_len) = (len(0)?, len(1)?);
        let texts = sections.take(texts_len).ok_or(NotesError::Truncated)?;
        let index = sections.take(index_len).ok_or(NotesError::Truncated)?;
        let lists = sections.rest();
        Ok(NoteTable {
            texts: TitleStore::new(texts).map_err(NotesError::Texts)?,
            index: fst::Map::new(index).map_err(|e| NotesError::Index(e.to_string()))?,
            lists,
        })
    }

    /// Number of nodes (chapters, blocks, codes) that have notes.
    pub fn nodes(&self) -> usize {
        self.index.len()
    }

    /// Number of distinct note texts.
    pub fn texts(&self) -> u32 {
        self.texts.len()
    }

    /// The notes written at `key` (a chapter number, a block, a code without
    /// dot), in tabular order; empty when it has none. A damaged list ends
    /// early rather than failing.
    pub fn notes(&self, key: &str) -> Vec<RawNote> {
        match self.index.get(key) {
            Some(offset) => self.list_at(offset as usize),
            None => Vec::new(),
        }
    }

    fn list_at(&self, at: usize) -> Vec<RawNote> {
        let mut out = Vec::new();
        let Some((count, mut at)) = varint::read(self.lists, at) else {
            return out;
        };
        let mut expected: u32 = 0;
        for _ in 0..count {
            let Some((v, next)) = varint::read(self.lists, at) else {
                break;
            };
            at = next;
            let Some(kind) = NoteKind::from_code(v & 0xf) else {
                break;
            };
            let Some(text) = unzigzag(v >> 4).and_then(|d| expected.checked_add_signed(d)) else {
                break;
            };
            expected = text.saturating_add(1);
            let seventh = if kind == NoteKind::SevenChrDef {
                let Some(&c) = self.lists.get(at) else { break };
                at += 1;
                Some(c)
            } else {
                None
            };
            out.push(RawNote {
                kind,
                text,
                seventh,
            });
        }
        out
    }

    /// Appends text `id` to `out`; false if there is none.
    pub fn write_text(&self, id: u32, out: &mut String) -> bool {
        self.texts.write(id, out)
    }

    /// Calls `each(key, notes)` for every node, in key order.
    pub fn for_each(&self, mut each: impl FnMut(&str, Vec<RawNote>)) {
        use fst::Streamer;
        let mut stream = self.index.stream();
        while let Some((k, offset)) = stream.next() {
            each(
                std::str::from_utf8(k).unwrap_or_default(),
                self.list_at(offset as usize),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip_and_fit_four_bits() {
        for k in KINDS {
            assert_eq!(NoteKind::from_code(k.code()), Some(k));
            assert!(k.code() < 16);
            let element = if k == NoteKind::Note {
                "notes"
            } else {
                k.as_str()
            };
            assert_eq!(NoteKind::from_element(element), Some(k));
        }
        assert_eq!(NoteKind::from_element("note"), None);
    }

    #[test]
    fn zigzag_round_trips() {
        for d in [
            0,
            1,
            -1,
            2,
            -2,
            1 << 20,
            -(1 << 20),
            i32::MAX >> 1,
            i32::MIN >> 1,
        ] {
            assert_eq!(unzigzag(zigzag(d)), Some(d), "{d}");
        }
        assert_eq!(zigzag(0), 0);
        assert_eq!(zigzag(-1), 1);
    }

    #[test]
    fn damaged_bytes_are_errors_not_panics() {
        assert_eq!(
            NoteTable::new(b"").unwrap_err(),
            NotesError::Magic(MagicError::OtherFormat)
        );
        assert_eq!(
            NoteTable::new(b"MCNX").unwrap_err(),
            NotesError::Magic(MagicError::OtherFormat)
        );
        assert_eq!(
            NoteTable::new(b"MCN2").unwrap_err(),
            NotesError::Magic(MagicError::Version { found: 2, reads: 1 })
        );
        assert_eq!(
            NoteTable::new(b"MCN1\x01").unwrap_err(),
            NotesError::Truncated
        );
        assert_eq!(
            NoteTable::new(b"MCN1\xff\xff\xff\xff\0\0\0\0").unwrap_err(),
            NotesError::Truncated
        );
    }
}
