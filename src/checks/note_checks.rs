//! ICD-10-CM instructional notes between the diagnoses of one claim:
//! Excludes1 pairs, code-first order and etiology, use-additional partners.
//!
//! Each diagnosis collects the Excludes1, code first and use additional code
//! notes written at it and at every level above it (the same walk as
//! [`crate::checks::notes::Notes::of`]); a note's code references are matched against
//! the other diagnoses by key: a single reference names its code and every
//! code under it, a range every code between its ends (by prefix). The
//! references of each tabular node are scanned once and kept, so checking the
//! same codes again reads no note text; text is decoded only for notes that
//! give a finding.
//!
//! ```
//! use medcode::checks::note_checks::{check, Check};
//! let cm = medcode::CodeSet::icd10cm();
//! let notes = medcode::checks::notes::Notes::icd10cm();
//! // E10 (type 1 diabetes) has an Excludes1 note naming E11 (type 2).
//! let found = check(notes, cm, &["E10.9", "E11.9"], &[false, false]);
//! assert!(found.iter().any(|c| matches!(c, Check::Excludes1 { i: 0, j: 1, .. })));
//! ```

use crate::checks::notes::Notes;
use crate::codeset::CodeSet;
use crate::normalize::{dotted, normalize};
use medcode_tables::notes::{refs, NoteKind};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A note that gives a finding: where it is written (dotted) and its text's
/// id in the notes table ([`text`] reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteText {
    /// The node the note is written at (`E11`, `E08-E13`, `4`).
    pub from: Rc<str>,
    /// The id of `from` ([`from_text`] reads it back).
    pub from_id: u32,
    /// The id of its text ([`text`]).
    pub text: u32,
}

/// The node (dotted) of a [`NoteText::from_id`], if there is one.
pub fn from_text(id: u32) -> Option<Rc<str>> {
    FROMS.with(|f| f.borrow().get(id as usize).cloned())
}

/// The text of note text `id` (as the tabular writes it), decoded once and
/// kept (a text store read decodes up to 15 other texts); empty if unknown.
pub fn text(notes: &Notes, id: u32) -> Rc<str> {
    if id >= notes.table().texts() {
        // Not a text id: answered without growing the cache.
        return Rc::from("");
    }
    TEXTS.with(|m| {
        m.borrow_mut()
            .entry(id)
            .or_insert_with(|| {
                let mut text = String::new();
                notes.table().write_text(id, &mut text);
                Rc::from(text)
            })
            .clone()
    })
}

/// One finding between the diagnoses; `i`, `j` index the list checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Diagnosis `i` has an Excludes1 note naming diagnosis `j`.
    Excludes1 {
        /// The diagnosis whose note it is.
        i: usize,
        /// The diagnosis the note names.
        j: usize,
        /// The note.
        note: NoteText,
    },
    /// Diagnosis `i` has code-first notes and comes before what they name
    /// (`principal`: it is the first diagnosis and nothing they name is on
    /// the list); `notes` are all its code-first notes.
    CodeFirstOrder {
        /// The diagnosis.
        i: usize,
        /// Whether this is the principal-diagnosis case.
        principal: bool,
        /// Its code-first notes.
        notes: Vec<NoteText>,
    },
    /// Nothing on the list is what diagnosis `i`'s code-first notes name
    /// (`manifestation`: the MCE lists it as a manifestation code).
    EtiologyMissing {
        /// The diagnosis.
        i: usize,
        /// Whether the MCE lists it as a manifestation code.
        manifestation: bool,
        /// Its code-first notes.
        notes: Vec<NoteText>,
    },
    /// Diagnosis `i`'s use-additional-code notes name codes none of which is
    /// on the list; `notes` are those notes.
    UseAdditional {
        /// The diagnosis.
        i: usize,
        /// The notes whose partner is absent.
        notes: Vec<NoteText>,
    },
}

/// A key of at most 8 ASCII characters packed big-endian into a `u64`,
/// zero-padded: integer order is the keys' string order, and a prefix of
/// length `n` is the top `n` bytes.
fn pack(key: &str) -> Option<u64> {
    let b = key.as_bytes();
    if b.is_empty() || b.len() > 8 {
        return None;
    }
    let mut bytes = [0u8; 8];
    bytes[..b.len()].copy_from_slice(b);
    Some(u64::from_be_bytes(bytes))
}

/// The top `len` bytes of a packed key (its prefix of that length).
fn head(key: u64, len: u8) -> u64 {
    match len {
        0 => 0,
        1..=7 => key & !(u64::MAX >> (8 * u32::from(len))),
        _ => key,
    }
}

/// A code reference of a note, as packed keys: `lo` alone names `lo` and
/// every code under it; with `hi`, every code from `lo` to `hi` by prefix.
#[derive(Debug)]
struct KeyRef {
    lo: u64,
    /// `hi`, or `lo` for a single code, and its length.
    last: u64,
    last_len: u8,
}

impl KeyRef {
    fn new(lo: &str, hi: Option<&str>) -> Option<KeyRef> {
        let last = hi.unwrap_or(lo);
        Some(KeyRef {
            lo: pack(lo)?,
            last: pack(last)?,
            last_len: last.len() as u8,
        })
    }

    /// The keys of `sorted` (packed, in order) this reference names: a
    /// contiguous run, found by binary search.
    fn names<'a>(&self, sorted: &'a [(u64, usize)]) -> &'a [(u64, usize)] {
        let start = sorted.partition_point(|&(k, _)| k < self.lo);
        let rest = sorted.get(start..).unwrap_or_default();
        let n = rest
            .iter()
            .take_while(|&&(k, _)| head(k, self.last_len) <= self.last)
            .count();
        &rest[..n]
    }
}

/// One note of the three kinds, with the node it is written at.
#[derive(Debug)]
struct Link {
    kind: NoteKind,
    /// The node it is written at, dotted, and its id in `FROMS`.
    from: Rc<str>,
    from_id: u32,
    text: u32,
    refs: Vec<KeyRef>,
}

/// Links written at one node (not inherited ones).
type NodeLinks = Rc<Vec<Link>>;

/// The links of a code and of each level above it, nearest first.
type Chain = Rc<Vec<NodeLinks>>;

thread_local! {
    /// Scanned links per node key; bounded by the tabular's node count.
    static LINKS: RefCell<HashMap<String, NodeLinks>> = RefCell::new(HashMap::new());
    /// Decoded note texts per text id; bounded by the table's text count.
    static TEXTS: RefCell<HashMap<u32, Rc<str>>> = RefCell::new(HashMap::new());
    /// The dotted node of each scanned node, by id (one per node, never cleared).
    static FROMS: RefCell<Vec<Rc<str>>> = const { RefCell::new(Vec::new()) };
    /// Chains per code key, cleared past [`MAX_CHAINS`].
    static CHAINS: RefCell<HashMap<String, Chain>> = RefCell::new(HashMap::new());
}

fn wanted(kind: NoteKind) -> bool {
    matches!(
        kind,
        NoteKind::Excludes1 | NoteKind::CodeFirst | NoteKind::UseAdditionalCode
    )
}

/// The links written at `node`, scanned on first use.
fn links_at(notes: &Notes, set: &CodeSet, node: &str) -> NodeLinks {
    if let Some(found) = LINKS.with(|m| m.borrow().get(node).cloned()) {
        return found;
    }
    let table = notes.table();
    let from: Rc<str> = Rc::from(dotted(node));
    let from_id = FROMS.with(|f| {
        let mut f = f.borrow_mut();
        f.push(from.clone());
        (f.len() - 1) as u32
    });
    let mut list = Vec::new();
    let mut text = String::new();
    for raw in table.notes(node) {
        if !wanted(raw.kind) {
            continue;
        }
        text.clear();
        table.write_text(raw.text, &mut text);
        let contains = |k: &str| set.map().contains_key(k);
        let refs = refs::scan(&text)
            .into_iter()
            .filter(|r| r.resolves(contains))
            .filter_map(|r| KeyRef::new(&r.first, r.last.as_deref()))
            .collect();
        list.push(Link {
            kind: raw.kind,
            from: from.clone(),
            from_id,
            text: raw.text,
            refs,
        });
    }
    let links = Rc::new(list);
    LINKS.with(|m| m.borrow_mut().insert(node.to_owned(), links.clone()));
    links
}

/// The links of a code and of every level above it, nearest first; empty
/// for input that is not a code of `set`.
fn links_of(notes: &Notes, set: &CodeSet, key: &str) -> Chain {
    if let Some(found) = CHAINS.with(|m| m.borrow().get(key).cloned()) {
        return found;
    }
    let chain: Chain = Rc::new(walk(notes, set, key));
    CHAINS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_CHAINS {
            m.clear();
        }
        m.insert(key.to_owned(), chain.clone());
    });
    chain
}

/// Most code chains kept (a claim checker sees far fewer codes).
const MAX_CHAINS: usize = 20_000;

fn walk(notes: &Notes, set: &CodeSet, key: &str) -> Vec<NodeLinks> {
    let Some(entry) = set.entry(key.as_bytes()) else {
        return Vec::new();
    };
    set.lineage(key.to_owned(), entry)
        // A code made with a 7th character has its notes at its tabular leaf.
        .filter(|(_, e)| !e.is_expanded())
        .map(|(node, _)| links_at(notes, set, &node))
        .collect()
}

fn note_text(link: &Link) -> NoteText {
    NoteText {
        from: link.from.clone(),
        from_id: link.from_id,
        text: link.text,
    }
}

/// The note findings between `codes` (diagnoses in claim order, first the
/// principal; each a code of `set`, dotted or not). `manifestation[i]` says
/// whether the MCE lists code `i` as a manifestation code (a code-first note
/// then is an order, not a hint); missing entries count as false.
pub fn check(notes: &Notes, set: &CodeSet, codes: &[&str], manifestation: &[bool]) -> Vec<Check> {
    let keys: Vec<String> = codes
        .iter()
        .map(|c| {
            normalize(c)
                .map(|k| k.as_str().to_owned())
                .unwrap_or_default()
        })
        .collect();
    let links: Vec<Chain> = keys.iter().map(|k| links_of(notes, set, k)).collect();
    let of_kind = |i: usize, kind: NoteKind| {
        links[i]
            .iter()
            .flat_map(|level| level.iter())
            .filter(move |l| l.kind == kind)
    };
    let mut sorted: Vec<(u64, usize)> = keys
        .iter()
        .enumerate()
        .filter_map(|(j, k)| Some((pack(k)?, j)))
        .collect();
    sorted.sort_unstable();
    let matches = |r: &KeyRef| r.names(&sorted).iter().map(|&(_, j)| j);
    let mut out = Vec::new();
    let n = codes.len();
    // Pairs already reported, as an n×n matrix (a claim has few codes).
    let mut reported = vec![false; n * n];
    for i in 0..codes.len() {
        for link in of_kind(i, NoteKind::Excludes1) {
            for r in &link.refs {
                let mut named: Vec<usize> = matches(r).collect();
                named.sort_unstable();
                for j in named {
                    let pair = i.min(j) * n + i.max(j);
                    if j == i || reported[pair] || keys[j] == keys[i] {
                        continue;
                    }
                    reported[pair] = true;
                    out.push(Check::Excludes1 {
                        i,
                        j,
                        note: note_text(link),
                    });
                }
            }
        }
    }
    for i in 0..codes.len() {
        let code_first: Vec<&Link> = of_kind(i, NoteKind::CodeFirst).collect();
        if code_first.is_empty() {
            continue;
        }
        let strong = manifestation.get(i).copied().unwrap_or(false);
        let with_refs = code_first.iter().any(|l| !l.refs.is_empty());
        let (mut before, mut after) = (false, false);
        for r in code_first.iter().flat_map(|l| l.refs.iter()) {
            for j in matches(r) {
                before |= j < i;
                after |= j > i;
            }
        }
        let wrong_order = after && !before;
        let principal = !wrong_order && i == 0 && !strong;
        let missing = !before && !after && (with_refs || strong);
        if !(wrong_order || principal || missing) {
            continue;
        }
        let texts: Vec<NoteText> = code_first.iter().map(|l| note_text(l)).collect();
        if wrong_order || principal {
            out.push(Check::CodeFirstOrder {
                i,
                principal: !wrong_order,
                notes: texts.clone(),
            });
        }
        if missing {
            out.push(Check::EtiologyMissing {
                i,
                manifestation: strong,
                notes: texts,
            });
        }
    }
    for i in 0..codes.len() {
        let absent: Vec<NoteText> = of_kind(i, NoteKind::UseAdditionalCode)
            .filter(|l| !l.refs.is_empty())
            .filter(|l| !l.refs.iter().any(|r| matches(r).any(|j| j != i)))
            .map(note_text)
            .collect();
        if !absent.is_empty() {
            out.push(Check::UseAdditional { i, notes: absent });
        }
    }
    out
}

/// Checks as numbers, for the wasm boundary: the count, then per check its
/// type (0 `excludes1`, 1 `code-first-order`, 2 `etiology-missing`, 3
/// `use-additional-code`), `i`, `j` (`u32::MAX` when none), a flag (the
/// `principal` or `manifestation` of the variant, else 0), the number of
/// notes and each note's `from_id` and text id.
///
/// ```
/// use medcode::checks::note_checks::{check, encode};
/// let found = check(medcode::checks::notes::Notes::icd10cm(), medcode::CodeSet::icd10cm(), &["E10.9", "E11.9"], &[false, false]);
/// let words = encode(&found);
/// assert_eq!(words[0] as usize, found.len());
/// ```
pub fn encode(checks: &[Check]) -> Vec<u32> {
    let mut out = vec![checks.len() as u32];
    for c in checks {
        let (kind, i, j, flag, notes) = match c {
            Check::Excludes1 { i, j, note } => {
                (0, *i, *j as u32, false, std::slice::from_ref(note))
            }
            Check::CodeFirstOrder {
                i,
                principal,
                notes,
            } => (1, *i, u32::MAX, *principal, notes.as_slice()),
            Check::EtiologyMissing {
                i,
                manifestation,
                notes,
            } => (2, *i, u32::MAX, *manifestation, notes.as_slice()),
            Check::UseAdditional { i, notes } => (3, *i, u32::MAX, false, notes.as_slice()),
        };
        out.extend([kind, i as u32, j, u32::from(flag), notes.len() as u32]);
        for n in notes {
            out.extend([n.from_id, n.text]);
        }
    }
    out
}
