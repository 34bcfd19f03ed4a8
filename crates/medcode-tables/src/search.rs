//! The search index of one code system: an FST from each word (see
//! [`crate::words`]) to its posting list, the posting lists, and the
//! abbreviation table (see [`crate::abbrev`]).
//!
//! Ids: documents are the system's tabular codes (categories, subcategories
//! and codes, not the codes made by adding a 7th character) numbered in key
//! order, `0..docs`; after them come the 7th-character meanings, numbered
//! definition by definition, character by character, `docs..docs + meanings`.
//! A posting is `id << 1 | inclusion_only`, where `inclusion_only` says the
//! word is in an inclusion term of the code but not in its title, or, in
//! an index whose titles are read with their clauses (ICD-10-CM), in its
//! title only inside a clause of what the code lacks or leaves unknown
//! ([`crate::words::for_each_title_word`]). A list is
//! its length then the gaps between postings, all LEB128 varints.
//!
//! Layout (integers little endian): `b"MCX4"` (format `MCX`, layout 4:
//! [`crate::magic`]), `u32` docs, `u32` meanings,
//! `u32` FST length, `u32` postings length, `u32` abbreviations length,
//! `u32` word-counts length, `u32` readings length (0 unless the lists hold
//! only what the title store cannot give: see [`crate::postings`]), `u32`
//! ended length, `u32` postings of the whole index, `u32` FNV-1a checksum
//! of the whole index's lists, `u32` flags (bit 0: titles read with their
//! clauses, [`SearchSource::clauses`]; layout 3 had no flags), the FST (word → its number), the lists (one
//! per word number, in order), the abbreviations as text
//! (`short<TAB>long long…<LF>`, sorted by short word), per document the
//! number of words of its title as written (one byte, saturating; empty
//! when the runtime counts them from its title store, as it does where
//! titles are stored whole), the readings of the title store's dictionary
//! words ([`crate::postings`]), then the documents billable in the code map
//! that the newest release no longer has ([`with_ended`]), as varint gaps.

use crate::magic::{Magic, MagicError};
use crate::varint;
use crate::CompileError;

const MAGIC: Magic = Magic::new(*b"MCX", 4);
const HEADER: usize = 48;
/// Flags bit: titles read with their clauses.
const CLAUSES: u32 = 1;

/// Why bytes are not a search index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchIndexError {
    /// Wrong magic bytes, or another layout version.
    Magic(MagicError),
    /// Shorter than the header says.
    Truncated,
    /// The word FST does not read.
    Fst(String),
    /// The abbreviation table is not UTF-8.
    Abbreviations,
}

impl std::fmt::Display for SearchIndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchIndexError::Magic(e) => write!(f, "search index: {e}"),
            SearchIndexError::Truncated => f.write_str("search index: truncated"),
            SearchIndexError::Fst(e) => write!(f, "search index: word FST: {e}"),
            SearchIndexError::Abbreviations => f.write_str("search index: abbreviations not UTF-8"),
        }
    }
}

impl std::error::Error for SearchIndexError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SearchIndexError::Magic(e) => Some(e),
            _ => None,
        }
    }
}

/// Reads an index written by [`build`].
#[derive(Clone)]
pub struct SearchIndex<'a> {
    /// Number of documents (tabular codes).
    pub docs: u32,
    /// Number of 7th-character meanings (ids after the documents).
    pub meanings: u32,
    /// Whether the lists hold only the postings a title store cannot give
    /// (see [`crate::postings::PostingLists::with_titles`]).
    pub derived: bool,
    /// The index words of each dictionary word of that title store.
    pub(crate) readings: &'a [u8],
    ended: &'a [u8],
    /// The postings of the whole index (with those derived from titles).
    pub total: u32,
    /// FNV-1a (32 bits) of the whole index's lists as [`build`] writes them.
    pub checksum: u32,
    /// Whether titles were read with their clauses ([`SearchSource::clauses`]).
    pub clauses: bool,
    words: fst::Map<&'a [u8]>,
    postings: &'a [u8],
    abbreviations: &'a str,
    word_counts: &'a [u8],
}

impl<'a> SearchIndex<'a> {
    /// Checks the header and opens the FST.
    pub fn new(bytes: &'a [u8]) -> Result<Self, SearchIndexError> {
        MAGIC.check(bytes).map_err(SearchIndexError::Magic)?;
        let mut sections = crate::sections::Sections::after_header(bytes, HEADER);
        let field = |i: usize| sections.field(i).ok_or(SearchIndexError::Truncated);
        let len = |i: usize| sections.len_field(i).ok_or(SearchIndexError::Truncated);
        let (docs, meanings) = (field(0)?, field(1)?);
        let (fst_len, post_len, abbr_len, counts_len) = (len(2)?, len(3)?, len(4)?, len(5)?);
        let (readings_len, ended_len) = (len(6)?, len(7)?);
        let (total, checksum, flags) = (field(8)?, field(9)?, field(10)?);
        let mut take = |n: usize| sections.take(n).ok_or(SearchIndexError::Truncated);
        let words =
            fst::Map::new(take(fst_len)?).map_err(|e| SearchIndexError::Fst(e.to_string()))?;
        let postings = take(post_len)?;
        let abbreviations =
            std::str::from_utf8(take(abbr_len)?).map_err(|_| SearchIndexError::Abbreviations)?;
        let word_counts = take(counts_len)?;
        let readings = take(readings_len)?;
        let ended = take(ended_len)?;
        Ok(SearchIndex {
            docs,
            meanings,
            derived: !readings.is_empty(),
            readings,
            ended,
            total,
            checksum,
            clauses: flags & CLAUSES != 0,
            words,
            postings,
            abbreviations,
            word_counts,
        })
    }

    /// The FST from word to its number (its rank in word order), which
    /// numbers its list in [`crate::postings::PostingLists`].
    pub fn words(&self) -> &fst::Map<&'a [u8]> {
        &self.words
    }

    /// The documents billable in the code map that the newest release no
    /// longer has (see [`with_ended`]), in id order.
    pub fn ended(&self) -> impl Iterator<Item = u32> + 'a {
        let (bytes, mut at, mut last) = (self.ended, 0usize, 0u32);
        std::iter::from_fn(move || {
            let (gap, next) = varint::read(bytes, at)?;
            at = next;
            last = last.wrapping_add(gap);
            Some(last)
        })
    }

    /// The index with `ended` as its list of documents the newest release
    /// no longer has (ids in increasing order), its other parts as they are.
    ///
    /// ```
    /// use medcode_tables::search::{build, SearchIndex, SearchSource};
    /// let src = SearchSource { docs: vec![("Cholera".into(), vec![]), ("Typhoid".into(), vec![])], ..Default::default() };
    /// let bytes = build(&src).unwrap();
    /// let index = SearchIndex::new(&bytes).unwrap();
    /// assert_eq!(index.ended().count(), 0);
    /// let bytes = index.with_ended(&[1]).unwrap();
    /// assert_eq!(SearchIndex::new(&bytes).unwrap().ended().collect::<Vec<_>>(), [1]);
    /// ```
    pub fn with_ended(&self, ended: &[u32]) -> Result<Vec<u8>, CompileError> {
        if !ended.is_sorted() || ended.last().is_some_and(|&d| d >= self.docs) {
            return Err(CompileError::Order("ended documents out of order or range"));
        }
        let mut bytes = Vec::new();
        let mut last = 0;
        for &d in ended {
            varint::put(&mut bytes, d - last);
            last = d;
        }
        self.rewrite(self.postings, self.readings, &bytes)
    }

    /// This index with other lists, readings and ended documents (the
    /// whole index's count and checksum, FST, abbreviations and word
    /// counts kept).
    pub(crate) fn rewrite(
        &self,
        postings: &[u8],
        readings: &[u8],
        ended: &[u8],
    ) -> Result<Vec<u8>, CompileError> {
        let abbreviations: Vec<(String, Vec<String>)> = self
            .abbreviations()
            .map(|(s, l)| (s.to_owned(), l.split(' ').map(str::to_owned).collect()))
            .collect();
        Lists {
            fst: self.words.as_fst().as_bytes(),
            postings,
            readings,
            ended,
            total: self.total,
            checksum: self.checksum,
            clauses: self.clauses,
        }
        .write(self.docs, self.meanings, &abbreviations, self.word_counts)
    }

    /// The lists as stored, one per word number (see [`SearchIndex::derived`]).
    pub fn list_bytes(&self) -> &'a [u8] {
        self.postings
    }

    /// Per document, the words of its title as written, when the index
    /// carries them ([`SearchSource::words`]).
    pub fn word_counts(&self) -> Option<&'a [u8]> {
        (!self.word_counts.is_empty()).then_some(self.word_counts)
    }

    /// The abbreviation table: `(short, expansions separated by spaces)`, sorted by short word.
    pub fn abbreviations(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.abbreviations
            .lines()
            .filter_map(|l| l.split_once('\t'))
    }
}

/// The postings of one word, in id order.
#[derive(Debug, Clone)]
pub struct Postings<'a> {
    bytes: &'a [u8],
    at: usize,
    left: u32,
    last: u32,
}

impl Iterator for Postings<'_> {
    type Item = (u32, bool);

    fn next(&mut self) -> Option<(u32, bool)> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let Some((gap, at)) = varint::read(self.bytes, self.at) else {
            self.left = 0;
            return None;
        };
        self.at = at;
        self.last = self.last.wrapping_add(gap);
        Some((self.last >> 1, self.last & 1 == 1))
    }

    /// The list's length as stored (fewer only if the bytes are damaged).
    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.left as usize))
    }
}

impl<'a> Postings<'a> {
    /// The list that starts at byte `at` of `bytes` (its length, then the
    /// gaps); empty past the end.
    pub fn at(bytes: &'a [u8], at: usize) -> Self {
        let (left, at) = varint::read(bytes, at).unwrap_or((0, usize::MAX));
        Postings {
            bytes,
            at,
            left,
            last: 0,
        }
    }

    /// How many postings are left, as the list's length says.
    pub fn remaining(&self) -> usize {
        self.left as usize
    }
}

/// What the index is built from.
#[derive(Debug, Clone, Default)]
pub struct SearchSource {
    /// Per document, in id order: its title and its inclusion terms.
    pub docs: Vec<(String, Vec<String>)>,
    /// The 7th-character meanings, in id order.
    pub meanings: Vec<String>,
    /// The abbreviation table (see [`crate::abbrev::derive`]).
    pub abbreviations: Vec<(String, Vec<String>)>,
    /// Per document, the different words of its title as written
    /// ([`crate::words::distinct_words`]; ICD-10-PCS, whose title store holds
    /// templates over axis labels); empty where the runtime counts them from
    /// its title store.
    pub words: Vec<u8>,
    /// Read titles with their clauses ([`crate::words::for_each_title_word`]):
    /// a word only in a clause of what the code lacks or leaves unknown is
    /// posted as an inclusion term's and not counted (ICD-10-CM, whose
    /// `unspecified` codes are the defaults of a record that says no more).
    pub clauses: bool,
}

/// Builds the index bytes.
///
/// ```
/// use medcode_tables::search::{build, SearchIndex, SearchSource};
/// let src = SearchSource {
///     docs: vec![("Cholera".into(), vec!["Classical cholera".into()]), ("Typhoid fever".into(), vec![])],
///     meanings: vec!["initial encounter".into()],
///     abbreviations: vec![("init".into(), vec!["initial".into()])],
///     words: Vec::new(),
///     clauses: false,
/// };
/// let bytes = build(&src).unwrap();
/// let index = SearchIndex::new(&bytes).unwrap();
/// let lists = medcode_tables::postings::PostingLists::shipped(&index);
/// let at = index.words().get("cholera").unwrap();
/// assert_eq!(lists.get(at).collect::<Vec<_>>(), [(0, false)]);
/// let at = index.words().get("classical").unwrap();
/// assert_eq!(lists.get(at).collect::<Vec<_>>(), [(0, true)]);
/// let at = index.words().get("initial").unwrap();
/// assert_eq!(lists.get(at).collect::<Vec<_>>(), [(2, false)]);
/// assert_eq!(index.abbreviations().collect::<Vec<_>>(), [("init", "initial")]);
/// ```
pub fn build(src: &SearchSource) -> Result<Vec<u8>, CompileError> {
    use crate::words::for_each_word;
    let mut b = IndexBuilder {
        clauses: src.clauses,
        ..IndexBuilder::default()
    };
    let (mut own, mut more) = (Vec::new(), Vec::new());
    // With clauses, a title word only in a clause of what the code lacks
    // or leaves unknown is posted as an inclusion term's is.
    let title_words =
        |b: &mut IndexBuilder, title: &str, own: &mut Vec<u32>, more: &mut Vec<u32>| {
            crate::words::for_each_title_word(title, |w, in_clause| {
                let w = b.intern(w);
                if in_clause && src.clauses {
                    more.push(w)
                } else {
                    own.push(w)
                }
            })
        };
    for (title, inclusions) in &src.docs {
        own.clear();
        more.clear();
        title_words(&mut b, title, &mut own, &mut more);
        for t in inclusions {
            for_each_word(t, |w, _| more.push(b.intern(w)));
        }
        b.add_doc(&own, &more)?;
    }
    for meaning in &src.meanings {
        own.clear();
        more.clear();
        title_words(&mut b, meaning, &mut own, &mut more);
        b.add_meaning(&own, &more)?;
    }
    b.finish(&src.abbreviations, &src.words)
}

/// A fast hash for the index's own words (FNV-1a over 8 bytes at a time):
/// the words come from the tables, not from an adversary, and the default
/// SipHash took 6% of the instructions of building the HCPCS index.
#[derive(Debug, Default, Clone, Copy)]
pub struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h ^ v).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29);
        }
        for &b in chunks.remainder() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds an index from documents given as word numbers (see
/// [`IndexBuilder::intern`]), as [`build`] reads them from text. Documents
/// are added in id order, then the 7th-character meanings.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    ids: std::collections::HashMap<String, u32, std::hash::BuildHasherDefault<WordHasher>>,
    /// Per word number: one more than the last id added to its list
    /// (0: none yet), so a word repeated in a document is added once.
    last: Vec<u32>,
    /// Per word number: the length of its list.
    counts: Vec<u32>,
    /// Word number and posting, in the order added (ids ascending): one
    /// flat vector instead of a growing list per word.
    pairs: Vec<(u32, u32)>,
    docs: u32,
    meanings: u32,
    /// Titles read with their clauses ([`SearchSource::clauses`]).
    clauses: bool,
}

impl IndexBuilder {
    /// A builder with room for about `postings` postings.
    pub fn with_capacity(postings: usize) -> Self {
        IndexBuilder {
            pairs: Vec::with_capacity(postings),
            ..IndexBuilder::default()
        }
    }

    /// The number of an index word (one [`crate::words::for_each_word`] gives).
    pub fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.last.len() as u32;
        self.last.push(0);
        self.counts.push(0);
        self.ids.insert(word.to_owned(), id);
        id
    }

    /// Adds the next document: the words of its title (`own`) and of its
    /// inclusion terms (`more`), in any order and with repeats; a word in
    /// both counts as a title word.
    pub fn add_doc(&mut self, own: &[u32], more: &[u32]) -> Result<(), CompileError> {
        if self.meanings > 0 {
            return Err(CompileError::Order("a document added after the meanings"));
        }
        let id = Self::id_of(self.docs)?;
        for &w in own {
            self.add(w, id, false);
        }
        for &w in more {
            self.add(w, id, true);
        }
        self.docs += 1;
        Ok(())
    }

    /// Adds the next 7th-character meaning: its words (`own`) and those
    /// only in a clause of what it lacks (`more`, posted as inclusion-only).
    pub fn add_meaning(&mut self, own: &[u32], more: &[u32]) -> Result<(), CompileError> {
        let id = Self::id_of(self.docs + self.meanings)?;
        for &w in own {
            self.add(w, id, false);
        }
        for &w in more {
            self.add(w, id, true);
        }
        self.meanings += 1;
        Ok(())
    }

    fn id_of(n: u32) -> Result<u32, CompileError> {
        Some(n)
            .filter(|&id| id < 1 << 30)
            .ok_or(CompileError::TooMany("documents"))
    }

    fn add(&mut self, word: u32, id: u32, inclusion: bool) {
        let w = word as usize;
        if let (Some(last), Some(count)) = (self.last.get_mut(w), self.counts.get_mut(w)) {
            if *last != id + 1 {
                *last = id + 1;
                *count += 1;
                self.pairs.push((word, id << 1 | u32::from(inclusion)));
            }
        }
    }

    /// The index bytes, with the abbreviation table and the words per
    /// document as written (empty, or one per document).
    pub fn finish(
        self,
        abbreviations: &[(String, Vec<String>)],
        word_counts: &[u8],
    ) -> Result<Vec<u8>, CompileError> {
        if !word_counts.is_empty() && word_counts.len() != self.docs as usize {
            return Err(CompileError::Order("word counts not one per document"));
        }
        // The lists side by side in word-number order (a counting sort of
        // the pairs, which keeps each list in id order).
        let mut starts = Vec::with_capacity(self.counts.len() + 1);
        let mut at = 0usize;
        for &n in &self.counts {
            starts.push(at);
            at += n as usize;
        }
        starts.push(at);
        let mut next = starts.clone();
        let mut flat = vec![0u32; at];
        for chunk in self.pairs.chunks(4096) {
            scatter(chunk, &mut next, &mut flat);
        }
        drop(self.pairs);
        let mut words: Vec<(&str, u32)> =
            self.ids.iter().map(|(w, &id)| (w.as_str(), id)).collect();
        words.sort_unstable();
        let mut postings = Vec::with_capacity(at * 2);
        let mut fst = fst::MapBuilder::memory();
        let mut number = 0u64;
        for &(word, id) in &words {
            let i = id as usize;
            let list = match (starts.get(i), starts.get(i + 1)) {
                (Some(&a), Some(&b)) => flat.get(a..b).unwrap_or_default(),
                _ => &[],
            };
            // A word interned but never added is left out.
            if list.is_empty() {
                continue;
            }
            fst.insert(word, number)?;
            number += 1;
            write_list(&mut postings, list);
        }
        let fst = fst.into_inner()?;
        let total = u32::try_from(flat.len()).map_err(|_| CompileError::TooMany("postings"))?;
        let lists = Lists {
            fst: &fst,
            postings: &postings,
            readings: &[],
            ended: &[],
            total,
            checksum: fnv1a(&postings),
            clauses: self.clauses,
        };
        lists.write(self.docs, self.meanings, abbreviations, word_counts)
    }
}

/// The parts of an index [`Lists::write`] puts after its header.
pub(crate) struct Lists<'a> {
    pub(crate) fst: &'a [u8],
    pub(crate) postings: &'a [u8],
    pub(crate) readings: &'a [u8],
    pub(crate) ended: &'a [u8],
    pub(crate) total: u32,
    pub(crate) checksum: u32,
    pub(crate) clauses: bool,
}

impl Lists<'_> {
    /// The index bytes: header, FST, lists, abbreviations, word counts.
    pub(crate) fn write(
        &self,
        docs: u32,
        meanings: u32,
        abbreviations: &[(String, Vec<String>)],
        word_counts: &[u8],
    ) -> Result<Vec<u8>, CompileError> {
        let (fst, postings) = (self.fst, self.postings);
        let mut table = String::new();
        for (short, long) in abbreviations {
            if short.contains(['\t', '\n']) || long.iter().any(|l| l.contains(['\t', '\n', ' '])) {
                return Err(CompileError::Separator(format!("abbreviation {short:?}")));
            }
            table.push_str(&format!("{short}\t{}\n", long.join(" ")));
        }
        let mut out = Vec::with_capacity(
            HEADER
                + fst.len()
                + postings.len()
                + table.len()
                + word_counts.len()
                + self.readings.len()
                + self.ended.len(),
        );
        out.extend_from_slice(&MAGIC.bytes());
        for n in [
            docs,
            meanings,
            fst.len() as u32,
            postings.len() as u32,
            table.len() as u32,
            word_counts.len() as u32,
            self.readings.len() as u32,
            self.ended.len() as u32,
            self.total,
            self.checksum,
            u32::from(self.clauses) * CLAUSES,
        ] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(fst);
        out.extend_from_slice(postings);
        out.extend_from_slice(table.as_bytes());
        out.extend_from_slice(word_counts);
        out.extend_from_slice(self.readings);
        out.extend_from_slice(self.ended);
        Ok(out)
    }
}

/// FNV-1a, 32 bits: the checksum of an index's lists, so lists derived at
/// run time can be checked against the ones the compiler saw.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Puts each posting of `pairs` at the next free place of its word's list
/// in `flat`. Out of line and called per chunk (as [`write_list`] is per
/// word): wasm engines optimize a function once it has been called often,
/// and a loop run once would stay in baseline code.
#[inline(never)]
fn scatter(pairs: &[(u32, u32)], next: &mut [usize], flat: &mut [u32]) {
    for &(w, p) in pairs {
        if let Some(slot) = next.get_mut(w as usize) {
            if let Some(f) = flat.get_mut(*slot) {
                *f = p;
            }
            *slot += 1;
        }
    }
}

/// Writes a posting list: its length, then the gaps between postings.
#[inline(never)]
pub(crate) fn write_list(postings: &mut Vec<u8>, list: &[u32]) {
    varint::put(postings, list.len() as u32);
    let mut last = 0;
    for &p in list {
        varint::put(postings, p - last);
        last = p;
    }
}

/// The documents of a tabular system's index, as the runtime lists them
/// (`medcode::search`): the codes of `codes` that are categories or codes
/// (not made by adding a 7th character), each with its entry, and the
/// `added` keys (codes newer than the tabular: no entry), all in key order.
#[cfg(feature = "compile")]
pub fn tabular_docs(
    codes: &fst::Map<&[u8]>,
    added: &[&str],
) -> Vec<(Vec<u8>, Option<crate::layout::Entry>)> {
    use crate::layout::{Entry, Kind};
    use fst::Streamer;
    let mut out = Vec::with_capacity(codes.len());
    let mut added = added.iter().peekable();
    let mut stream = codes.stream();
    while let Some((k, v)) = stream.next() {
        let entry = Entry::decode(v);
        if matches!(entry.kind, Kind::Category | Kind::Code) && !entry.is_expanded() {
            while let Some(a) = added.next_if(|a| a.as_bytes() < k) {
                out.push((a.as_bytes().to_vec(), None));
            }
            out.push((k.to_vec(), Some(entry)));
        }
    }
    out.extend(added.map(|a| (a.as_bytes().to_vec(), None)));
    out
}

/// The search source of a parsed tabular: documents in key order with
/// their titles and inclusion terms, the 7th-character meanings definition
/// by definition, and the abbreviations learned by aligning `short_titles`
/// (code without dot → official short title) with the long titles of the
/// billable codes. `added` are codes newer than the tabular (code without
/// dot, title: a newer release's addenda), which are documents too, in key
/// order among the tabular's (the runtime lists them the same way).
#[cfg(feature = "compile")]
pub fn source_from_tabular(
    tabular: &crate::tabular::Tabular,
    short_titles: &std::collections::BTreeMap<String, String>,
    added: &[(String, String)],
) -> SearchSource {
    use crate::layout::expand;
    let mut diags: Vec<&crate::tabular::Diag> = tabular.diags.iter().collect();
    diags.sort_by(|a, b| a.code.cmp(&b.code));
    let mut docs: Vec<(&str, (String, Vec<String>))> = diags
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                (d.title.clone(), d.inclusion_notes().concat()),
            )
        })
        .chain(
            added
                .iter()
                .map(|(code, title)| (code.as_str(), (title.clone(), Vec::new()))),
        )
        .collect();
    docs.sort_by(|a, b| a.0.cmp(b.0));
    let docs = docs.into_iter().map(|(_, doc)| doc).collect();
    let meanings = tabular
        .seventh_defs
        .iter()
        .flat_map(|d| d.chars.iter().map(|(_, m)| m.clone()))
        .collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for d in &diags {
        if d.has_children {
            continue;
        }
        match d.seventh {
            None => {
                if let Some(short) = short_titles.get(&d.code) {
                    pairs.push((short.clone(), d.title.clone()));
                }
            }
            Some(def) => {
                for (c, meaning) in tabular
                    .seventh_defs
                    .get(def)
                    .map(|x| x.chars.as_slice())
                    .unwrap_or_default()
                {
                    if let Some(short) = short_titles.get(&expand(&d.code, *c)) {
                        pairs.push((short.clone(), format!("{}, {meaning}", d.title)));
                    }
                }
            }
        }
    }
    let abbreviations = crate::abbrev::derive(pairs.iter().map(|(s, l)| (s.as_str(), l.as_str())));
    SearchSource {
        docs,
        meanings,
        abbreviations,
        words: Vec::new(),
        // ICD-10-CM: its `unspecified` codes are the defaults of a record
        // that says no more (see [`SearchSource::clauses`]).
        clauses: true,
    }
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;

    #[test]
    fn damaged_bytes_are_rejected_or_read_safely() {
        assert_eq!(
            SearchIndex::new(b"nope").err(),
            Some(SearchIndexError::Magic(MagicError::OtherFormat))
        );
        let src = SearchSource {
            docs: vec![("Cholera due to Vibrio".into(), vec![])],
            ..Default::default()
        };
        let bytes = build(&src).unwrap();
        assert_eq!(
            SearchIndex::new(&bytes[..bytes.len() - 1]).err(),
            Some(SearchIndexError::Truncated)
        );
        let index = SearchIndex::new(&bytes).unwrap();
        let lists = crate::postings::PostingLists::shipped(&index);
        assert_eq!(lists.get(u64::MAX).count(), 0);
        assert_eq!(lists.get(10_000).count(), 0);
    }
}
