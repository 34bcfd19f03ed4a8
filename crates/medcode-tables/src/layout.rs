//! How one FST value describes one code: its kind, billability and where its
//! title comes from, packed into a `u64`.
//!
//! | bits  | field |
//! |-------|-------|
//! | 0–1   | [`Kind`] |
//! | 2     | billable |
//! | 3     | expanded: a code made by adding a 7th character to a tabular leaf |
//! | 4–27  | title id (for an expanded code: its tabular leaf's title) |
//! | 28–32 | for an expanded code: index of its 7th character in the definition |
//! | 33–44 | 7th-character definition + 1 (0: none) for a leaf that takes one and for its expansions |

/// What level of the classification an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A chapter, e.g. `1` (A00-B99).
    Chapter,
    /// A block of categories, e.g. `A00-A09`.
    Block,
    /// A three-character category, e.g. `E11`.
    Category,
    /// A subcategory or code below a category, e.g. `E11.9`.
    Code,
}

impl Kind {
    /// The name used in the API: `chapter`, `block`, `category` or `code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Chapter => "chapter",
            Kind::Block => "block",
            Kind::Category => "category",
            Kind::Code => "code",
        }
    }
}

/// The decoded form of an FST value.
///
/// ```
/// use medcode_tables::layout::{Entry, Kind};
/// let e = Entry { kind: Kind::Code, billable: true, title: 7, seventh: Some((3, 2)) };
/// assert_eq!(Entry::decode(e.encode()), e);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The level of the entry.
    pub kind: Kind,
    /// Whether the code may be reported (a leaf of the classification).
    pub billable: bool,
    /// The title id in the title store.
    pub title: u32,
    /// `(definition, Some(index))` for an expanded code, `(definition, None)`
    /// encoded as index 31 for a leaf that takes a 7th character.
    pub seventh: Option<(u16, u8)>,
}

/// Longest code any table may hold (a custom table's, 1-16 ASCII letters or
/// digits, dots not counted): the flat form refuses a longer one at build
/// time, and validity, lookup and search answer every length up to it.
pub const MAX_CODE_LEN: usize = 16;

/// The `seventh.1` value marking a leaf that takes a 7th character (not an expansion).
pub const TAKES_SEVENTH: u8 = 31;
const TITLE_BITS: u32 = 24;
const DEF_BITS: u32 = 12;

/// Largest title id a value can hold.
pub const MAX_TITLE: u32 = (1 << TITLE_BITS) - 1;
/// Largest 7th-character definition number a value can hold.
pub const MAX_DEF: u16 = (1 << DEF_BITS) - 2;

impl Entry {
    /// Packs the entry; fields beyond their bit width are masked (the compiler checks widths first).
    pub fn encode(&self) -> u64 {
        let kind = match self.kind {
            Kind::Chapter => 0,
            Kind::Block => 1,
            Kind::Category => 2,
            Kind::Code => 3,
        };
        let (expanded, ext, def) = match self.seventh {
            None => (0, 0, 0),
            Some((def, TAKES_SEVENTH)) => (0, 0, u64::from(def) + 1),
            Some((def, ext)) => (1, u64::from(ext & 0x1f), u64::from(def) + 1),
        };
        kind | u64::from(self.billable) << 2
            | expanded << 3
            | u64::from(self.title & MAX_TITLE) << 4
            | ext << 28
            | (def & ((1 << DEF_BITS) - 1)) << 33
    }

    /// Unpacks a value written by [`Entry::encode`].
    pub fn decode(v: u64) -> Entry {
        let kind = match v & 3 {
            0 => Kind::Chapter,
            1 => Kind::Block,
            2 => Kind::Category,
            _ => Kind::Code,
        };
        let def = (v >> 33) & ((1 << DEF_BITS) - 1);
        let seventh = match (def, v >> 3 & 1) {
            (0, _) => None,
            (d, 0) => Some((d as u16 - 1, TAKES_SEVENTH)),
            (d, _) => Some((d as u16 - 1, (v >> 28 & 0x1f) as u8)),
        };
        Entry {
            kind,
            billable: v >> 2 & 1 == 1,
            title: (v >> 4) as u32 & MAX_TITLE,
            seventh,
        }
    }

    /// Whether this is a code made by adding a 7th character.
    pub fn is_expanded(&self) -> bool {
        matches!(self.seventh, Some((_, ext)) if ext != TAKES_SEVENTH)
    }

    /// The 7th-character definition a header leaf takes, if any.
    pub fn takes_seventh(&self) -> Option<u16> {
        match self.seventh {
            Some((def, TAKES_SEVENTH)) => Some(def),
            _ => None,
        }
    }
}

/// The key and dotted display of an expanded code: `S72001` + `A` → `S72001A`,
/// `S329` + `A` → `S329XXA` (placeholder X fills positions 5 and 6).
///
/// ```
/// assert_eq!(medcode_tables::layout::expand("S329", b'A'), "S329XXA");
/// assert_eq!(medcode_tables::layout::expand("T360X1", b'D'), "T360X1D");
/// ```
pub fn expand(leaf: &str, seventh: u8) -> String {
    let mut key = String::with_capacity(7);
    key.push_str(leaf);
    while key.len() < 6 {
        key.push('X');
    }
    key.push(seventh as char);
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn encode_decode_round_trips(kind in 0u8..4, billable: bool, title in 0..=MAX_TITLE, def in prop::option::of((0..=MAX_DEF, 0u8..=31))) {
            let kind = [Kind::Chapter, Kind::Block, Kind::Category, Kind::Code][kind as usize];
            let e = Entry { kind, billable, title , seventh: def };
            prop_assert_eq!(Entry::decode(e.encode()), e);
        }
    }
}
