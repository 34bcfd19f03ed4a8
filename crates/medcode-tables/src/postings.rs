//! The posting lists search reads, one per word number of a
//! [`SearchIndex`]: as shipped, or the shipped lists together with the
//! postings the title store gives, sorted into lists once at run time.
//!
//! Where the title store holds each document's title whole (ICD-10-CM),
//! most postings repeat the store: a title's words are its postings. Such
//! an index ships only the rest (words of inclusion terms, documents whose
//! titles the store does not hold) and the *readings* of the store's
//! dictionary: which index words each dictionary word is written with
//! (`Fracture` and `fracture,` → `fracture`; `non-pressure` → `non`,
//! `pressure`). The store's dictionary lists its words, after the most
//! frequent, in the order of the index words they read
//! ([`crate::titles::TitleStoreBuilder::finish_in_word_order`]), so each
//! reading is a small step from the one before and the readings compress
//! to a few kB; the runtime neither tokenizes the dictionary nor looks
//! words up. [`PostingLists::with_titles`] then reads the titles' postings
//! in one pass over the store; in an index read with clauses
//! ([`SearchIndex::clauses`]) it flags a word found only in a title's
//! clause as the compiler did ([`crate::words::for_each_title_word`]), each
//! dictionary word being one token of the titles.
//!
//! Readings: per dictionary word, in dictionary order, a varint count of
//! index words, then per index word its number less the number read before
//! it (the first: less 0), zigzag-coded as a varint.
//!
//! The compiler ([`split_for_titles`]) checks that the store gives no
//! posting the whole index lacks; the reader checks the count of postings,
//! and a test the checksum of the lists, against the ones it recorded.

use crate::search::{fnv1a, write_list, Postings, SearchIndex};
use crate::titles::TitleStore;
use crate::varint;
use crate::words::{Clauses, TokenClass};

/// Marks a search id whose title the title store does not hold.
pub const NO_TITLE: u32 = u32::MAX;

/// Marks, in the pass over titles, a dictionary word that can open a clause
/// ([`TokenClass::opens`]; word numbers are far below it; [`NO_TITLE`], a
/// word of several index words, has it too).
const OPENS: u32 = 1 << 30;

/// Why lists could not be read with a title store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeriveError {
    /// The lists hold another number of postings than the whole index the
    /// compiler wrote.
    Count {
        /// Postings read.
        found: u64,
        /// Postings of the whole index.
        expected: u32,
    },
    /// The readings do not cover the store's dictionary.
    Readings,
    /// More words and ids than a pass can pack ([`split_for_titles`] ships
    /// such an index whole).
    TooLarge,
    /// A title word gives a posting the whole index lacks (compile time).
    NotInIndex {
        /// The index word.
        word: String,
        /// The search id.
        id: u32,
    },
}

impl std::fmt::Display for DeriveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeriveError::Count { found, expected } => write!(
                f,
                "search index: {found} postings with the titles', the index has {expected}"
            ),
            DeriveError::Readings => {
                f.write_str("search index: the readings do not cover the title dictionary")
            }
            DeriveError::TooLarge => {
                f.write_str("search index: too many words and ids to read with the titles")
            }
            DeriveError::NotInIndex { word, id } => write!(
                f,
                "search index: {word:?} of the title of id {id} is not in the index"
            ),
        }
    }
}

impl std::error::Error for DeriveError {}

/// Posting lists by word number.
#[derive(Debug, Clone)]
pub struct PostingLists<'a> {
    /// The lists as shipped (all of them, or what titles cannot give).
    shipped: &'a [u8],
    /// Per word number, where its shipped list starts.
    offsets: Vec<u32>,
    /// The titles' lists: per word number, where its list starts in
    /// `flat` (one more at the end); empty when the index ships whole.
    starts: Vec<u32>,
    /// The titles' lists side by side: `id << 1` in id order.
    flat: Vec<u32>,
}

impl<'a> PostingLists<'a> {
    /// The lists an index ships, read in place (a complete index).
    pub fn shipped(index: &SearchIndex<'a>) -> Self {
        let bytes = index.list_bytes();
        PostingLists {
            shipped: bytes,
            offsets: list_offsets(bytes, index.words().len()),
            starts: Vec::new(),
            flat: Vec::new(),
        }
    }

    /// The whole lists of `index`: for an index that ships only what the
    /// titles cannot give, its lists with the postings of the titles of
    /// `titles`; `title_of[id]` is the title id of search id `id`
    /// (documents, then 7th-character meanings), or [`NO_TITLE`].
    /// `each_title` gets, for every title in title id order, how many
    /// different index words it has (at most 255; 0 for a title no search id
    /// has): the pass counts them anyway, in the unit of
    /// [`crate::words::distinct_words`]. A complete index is read as shipped.
    ///
    /// ```
    /// use medcode_tables::postings::{split_for_titles, PostingLists, NO_TITLE};
    /// use medcode_tables::search::{build, SearchIndex, SearchSource};
    /// use medcode_tables::titles::{TitleStore, TitleStoreBuilder};
    /// let src = SearchSource {
    ///     docs: vec![("Cholera".into(), vec!["Classical cholera".into()]), ("Typhoid fever".into(), vec![])],
    ///     ..Default::default()
    /// };
    /// let whole = build(&src).unwrap();
    /// let mut titles = TitleStoreBuilder::default();
    /// titles.add("Cholera");
    /// let titles = titles.finish();
    /// let titles = TitleStore::new(&titles).unwrap();
    /// // Only document 0's title is in the store.
    /// let title_of = [0, NO_TITLE];
    /// let shipped = split_for_titles(&whole, &titles, &title_of).unwrap();
    /// let index = SearchIndex::new(&shipped).unwrap();
    /// assert!(index.derived);
    /// let lists = PostingLists::with_titles(&index, &titles, &title_of, |_| ()).unwrap();
    /// let cholera = index.words().get("cholera").unwrap();
    /// assert_eq!(lists.get(cholera).collect::<Vec<_>>(), [(0, false)]);
    /// let classical = index.words().get("classical").unwrap();
    /// assert_eq!(lists.get(classical).collect::<Vec<_>>(), [(0, true)]);
    /// let fever = index.words().get("fever").unwrap();
    /// assert_eq!(lists.get(fever).collect::<Vec<_>>(), [(1, false)]);
    /// assert_eq!(lists.checksum(), index.checksum);
    /// ```
    pub fn with_titles(
        index: &SearchIndex<'a>,
        titles: &TitleStore<'_>,
        title_of: &[u32],
        mut each_title: impl FnMut(u8),
    ) -> Result<Self, DeriveError> {
        let mut lists = Self::shipped(index);
        if !index.derived {
            return Ok(lists);
        }
        let readings =
            Readings::read(index.readings, lists.offsets.len()).ok_or(DeriveError::Readings)?;
        (lists.starts, lists.flat) = title_lists(
            &readings,
            lists.offsets.len(),
            index.total,
            titles,
            title_of,
            index.clauses,
            &mut each_title,
        )
        .ok_or(DeriveError::TooLarge)?;
        let shipped: u64 = (0..lists.offsets.len() as u64)
            .map(|w| Postings::at(lists.shipped, lists.offset(w)).remaining() as u64)
            .sum();
        let found = shipped + lists.flat.len() as u64;
        if found != u64::from(index.total) {
            return Err(DeriveError::Count {
                found,
                expected: index.total,
            });
        }
        Ok(lists)
    }

    fn offset(&self, word: u64) -> usize {
        usize::try_from(word)
            .ok()
            .and_then(|w| self.offsets.get(w))
            .map_or(usize::MAX, |&o| o as usize)
    }

    fn title_list(&self, word: u64) -> &[u32] {
        let w = usize::try_from(word).unwrap_or(usize::MAX);
        match (self.starts.get(w), self.starts.get(w.saturating_add(1))) {
            (Some(&a), Some(&b)) => self.flat.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The postings of word number `word` (an FST value): `(id,
    /// inclusion_only)` in id order; empty for a number out of range.
    pub fn get(&self, word: u64) -> WordPostings<'_> {
        let shipped = Postings::at(self.shipped, self.offset(word));
        match self.title_list(word) {
            [] => WordPostings::Shipped(shipped),
            titles => WordPostings::Merged(Merged::new(titles, shipped)),
        }
    }

    /// FNV-1a of the lists written whole, one per word number, as
    /// [`crate::search::build`] writes them: the index's
    /// [`SearchIndex::checksum`] when they are whole and right.
    pub fn checksum(&self) -> u32 {
        let mut bytes = Vec::with_capacity(self.shipped.len() + self.flat.len() * 2);
        let mut list = Vec::new();
        for w in 0..self.offsets.len() as u64 {
            list.clear();
            list.extend(
                self.get(w)
                    .map(|(id, inclusion)| id << 1 | u32::from(inclusion)),
            );
            write_list(&mut bytes, &list);
        }
        fnv1a(&bytes)
    }
}

/// The postings of one word, in id order: its shipped list, merged as it
/// is read with its titles' where it has some.
#[derive(Debug, Clone)]
pub enum WordPostings<'a> {
    /// Only a shipped list (every word of an index that ships whole).
    Shipped(Postings<'a>),
    /// Postings from titles and a shipped list.
    Merged(Merged<'a>),
}

impl Iterator for WordPostings<'_> {
    type Item = (u32, bool);

    #[inline]
    fn next(&mut self) -> Option<(u32, bool)> {
        match self {
            WordPostings::Shipped(p) => p.next(),
            WordPostings::Merged(m) => m.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining()))
    }
}

impl WordPostings<'_> {
    /// How many postings are left, as the lists' lengths say.
    pub fn remaining(&self) -> usize {
        match self {
            WordPostings::Shipped(p) => p.remaining(),
            WordPostings::Merged(m) => {
                m.titles.len() + m.shipped.remaining() + usize::from(m.next.is_some())
            }
        }
    }
}

/// A word's titles' postings (`id << 1 | in_clause`, in id order: see
/// [`crate::words::for_each_title_word`]) and its shipped list, merged as
/// they are read.
#[derive(Debug, Clone)]
pub struct Merged<'a> {
    titles: &'a [u32],
    shipped: Postings<'a>,
    /// The shipped list's next posting, read ahead.
    next: Option<(u32, bool)>,
}

impl<'a> Merged<'a> {
    fn new(titles: &'a [u32], mut shipped: Postings<'a>) -> Self {
        let next = shipped.next();
        Merged {
            titles,
            shipped,
            next,
        }
    }
}

impl Iterator for Merged<'_> {
    type Item = (u32, bool);

    fn next(&mut self) -> Option<(u32, bool)> {
        match (self.titles.split_first(), self.next) {
            (Some((&t, rest)), Some((id, _))) if t >> 1 < id => {
                self.titles = rest;
                Some((t >> 1, t & 1 == 1))
            }
            (_, Some(n)) => {
                self.next = self.shipped.next();
                Some(n)
            }
            (Some((&t, rest)), None) => {
                self.titles = rest;
                Some((t >> 1, t & 1 == 1))
            }
            (None, None) => None,
        }
    }
}

/// Where each of the first `words` lists of `bytes` starts.
fn list_offsets(bytes: &[u8], words: usize) -> Vec<u32> {
    let mut offsets = Vec::with_capacity(words);
    let mut at = 0usize;
    for _ in 0..words {
        offsets.push(u32::try_from(at).unwrap_or(u32::MAX));
        at = skip_list(bytes, at);
    }
    offsets
}

/// Where the list after the one at `at` starts (out of line: see
/// [`title_lists`]).
#[inline(never)]
fn skip_list(bytes: &[u8], at: usize) -> usize {
    let Some((len, mut next)) = varint::read(bytes, at) else {
        return usize::MAX;
    };
    // Skip `len` varints: each ends at a byte under 0x80.
    let mut left = len;
    while left > 0 {
        match bytes.get(next) {
            Some(&b) => {
                next += 1;
                left -= u32::from(b < 0x80);
            }
            None => break,
        }
    }
    next
}

/// The index words of each dictionary word, decoded from the readings.
#[derive(Debug)]
struct Readings {
    /// Per dictionary word, where its index words start (one more at the end).
    at: Vec<u32>,
    /// Per dictionary word, its index word if it reads exactly one, else
    /// [`NO_TITLE`] (most read one: a shortcut past `at`).
    one: Vec<u32>,
    /// The index words' numbers.
    words: Vec<u32>,
}

impl Readings {
    /// Decodes readings of an index of `words` words; `None` if damaged.
    #[inline(never)]
    fn read(bytes: &[u8], words: usize) -> Option<Readings> {
        let mut at = Vec::with_capacity(bytes.len() / 2 + 1);
        let mut out = Vec::with_capacity(bytes.len() / 2 + 16);
        let (mut i, mut last) = (0usize, 0u32);
        while i < bytes.len() {
            at.push(out.len() as u32);
            let (n, j) = varint::read(bytes, i)?;
            i = j;
            for _ in 0..n {
                let (step, j) = varint::read(bytes, i)?;
                i = j;
                // Zigzag: 0, -1, 1, -2, … as 0, 1, 2, 3, …
                let step = (step >> 1) as i32 ^ -((step & 1) as i32);
                last = last.wrapping_add_signed(step);
                if last as usize >= words {
                    return None;
                }
                out.push(last);
            }
        }
        at.push(out.len() as u32);
        let one = at
            .windows(2)
            .map(|w| match out.get(w[0] as usize..w[1] as usize) {
                Some(&[one]) => one,
                _ => NO_TITLE,
            })
            .collect();
        Some(Readings {
            at,
            one,
            words: out,
        })
    }

    fn of(&self, dictionary_word: u32) -> &[u32] {
        let d = dictionary_word as usize;
        match (self.at.get(d), self.at.get(d + 1)) {
            (Some(&a), Some(&b)) => self.words.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// Bits of a word number in a packed `(id, in_clause, word)` posting of
/// [`TitlePostings`], if an index of `words` words over `ids` search ids
/// fits them and the clause flag in 32 bits (every system does by far;
/// [`split_for_titles`] ships an index whole that would not).
fn word_bits(words: usize, ids: usize) -> Option<u32> {
    let bits = |n: usize| usize::BITS - n.saturating_sub(1).leading_zeros();
    let (w, i) = (bits(words).max(1), bits(ids).max(1));
    (w + i < 32).then_some(w)
}

/// The postings the titles of a store give, by word number (`starts`,
/// `flat` as in [`PostingLists`]): one pass over the store collects
/// `(id, word)` pairs packed in a `u32` each, in id order, and a counting
/// sort puts them into lists; `None` if the pairs do not fit (see
/// [`word_bits`]).
///
/// The work per title and per chunk of postings is out of line: wasm
/// engines optimize a function once it has been called often, and a loop
/// run once would stay in baseline code (about twice as slow here, in a
/// profile of the first search).
fn title_lists(
    readings: &Readings,
    words: usize,
    postings: u32,
    titles: &TitleStore<'_>,
    title_of: &[u32],
    clauses: bool,
    each_title: &mut impl FnMut(u8),
) -> Option<(Vec<u32>, Vec<u32>)> {
    let word_bits = word_bits(words, title_of.len())?;
    let mut id_of = vec![NO_TITLE; titles.len() as usize];
    for (id, &t) in title_of.iter().enumerate() {
        if let Some(slot) = id_of.get_mut(t as usize) {
            *slot = id as u32;
        }
    }
    // What each dictionary word (a title token) does to a clause; none
    // does in an index read without clauses.
    let mut dictionary = DictionaryWords {
        one: readings.one.clone(),
        readings,
        classes: Vec::new(),
    };
    if clauses {
        let classes = &mut dictionary.classes;
        titles.for_each_dictionary_word(|w| classes.push(TokenClass::of(w)));
        for (o, c) in dictionary.one.iter_mut().zip(classes.iter()) {
            if c.opens() {
                *o |= OPENS;
            }
        }
    }
    let mut lists = TitlePostings {
        seen: vec![[0u32; 2]; words],
        flagged: false,
        // The whole index's postings bound the titles' (no regrowth).
        pairs: Vec::with_capacity(postings as usize),
        word_bits,
    };
    let mut title = 0usize;
    titles.for_each_in_order(|ws| {
        let id = id_of.get(title).copied().unwrap_or(NO_TITLE);
        title += 1;
        let words = if id != NO_TITLE {
            lists.add(id, ws, &dictionary)
        } else {
            0
        };
        each_title(u8::try_from(words).unwrap_or(u8::MAX));
        true
    });
    let mut starts = Vec::with_capacity(words + 1);
    let mut at = 0u32;
    for &[_, count] in &lists.seen {
        starts.push(at);
        at += count;
    }
    starts.push(at);
    let mut next = starts.clone();
    let mut flat = vec![0u32; lists.pairs.len()];
    for chunk in lists.pairs.chunks(4096) {
        scatter(chunk, word_bits, &mut next, &mut flat);
    }
    Some((starts, flat))
}

/// What the pass over a title store reads each dictionary word as.
struct DictionaryWords<'r> {
    /// Its one index word ([`Readings`]' `one`), marked [`OPENS`] where the
    /// word can open a clause (a title's words before such a word need no
    /// classes).
    one: Vec<u32>,
    /// Its index words, where it has several.
    readings: &'r Readings,
    /// What it does to a clause (empty: an index read without clauses).
    classes: Vec<TokenClass>,
}

/// The titles' postings as they are read, in id order.
struct TitlePostings {
    /// Per word number: one more than the last id added (a word repeated
    /// in a title is added once), and its postings so far.
    seen: Vec<[u32; 2]>,
    /// Whether the title being added has a posting flagged in a clause.
    flagged: bool,
    /// `(id << 1 | in_clause) << word_bits | word` per posting.
    pairs: Vec<u32>,
    word_bits: u32,
}

impl TitlePostings {
    /// Adds the postings of the title of search id `id`, whose dictionary
    /// words are `ws` (read as `dictionary` says); how many different index
    /// words it has outside clauses ([`crate::words::distinct_words`]).
    /// Kept as small as it was without clauses: a wasm engine optimizes a
    /// small function sooner, and the words from one that can open a
    /// clause on are added out of line.
    #[inline(never)]
    fn add(&mut self, id: u32, ws: &[u32], dictionary: &DictionaryWords) -> u32 {
        let (mut words, start) = (0, self.pairs.len());
        self.flagged = false;
        for (i, &d) in ws.iter().enumerate() {
            match dictionary.one.get(d as usize) {
                Some(&w) if w & OPENS == 0 => words += self.add_word(id, w, false, start),
                _ => {
                    let rest = ws.get(i..).unwrap_or_default();
                    return words + self.add_with_clauses(id, rest, dictionary, start);
                }
            }
        }
        words
    }

    /// [`TitlePostings::add`] for the rest `ws` of a title (whose postings
    /// start at `start`), from a word that can open a clause (or reads as
    /// several index words) on.
    #[inline(never)]
    fn add_with_clauses(
        &mut self,
        id: u32,
        ws: &[u32],
        dictionary: &DictionaryWords,
        start: usize,
    ) -> u32 {
        let DictionaryWords {
            one,
            readings,
            classes,
        } = dictionary;
        let mut words = 0;
        let mut clauses = Clauses::default();
        for &d in ws {
            let w = one.get(d as usize).copied().unwrap_or(NO_TITLE);
            // Back outside a clause (`unspecified` seldom opens one), a word
            // that cannot open one changes nothing.
            if w & OPENS == 0 && clauses.outside() {
                words += self.add_word(id, w, false, start);
                continue;
            }
            let in_clause = clauses.step(classes.get(d as usize).copied().unwrap_or_default());
            if w != NO_TITLE {
                words += self.add_word(id, w & !OPENS, in_clause, start);
            } else {
                for &w in readings.of(d) {
                    words += self.add_word(id, w, in_clause, start);
                }
            }
        }
        words
    }

    /// Adds word `w` to `id`'s postings (those of its title start at
    /// `start` in `pairs`) unless it has it; a word met outside a clause
    /// clears the clause flag of one met inside before. 1 when the title
    /// gained a word outside clauses.
    #[inline(always)]
    fn add_word(&mut self, id: u32, w: u32, in_clause: bool, start: usize) -> u32 {
        let Some(seen) = self.seen.get_mut(w as usize) else {
            return 0;
        };
        if seen[0] != id + 1 {
            *seen = [id + 1, seen[1] + 1];
            self.pairs
                .push((id << 1 | u32::from(in_clause)) << self.word_bits | w);
            self.flagged |= in_clause;
            return u32::from(!in_clause);
        }
        if in_clause || !self.flagged {
            return 0;
        }
        self.unflag(w, start)
    }

    /// Seldom: word `w`, met in a clause of the title whose postings start
    /// at `start`, met again outside it: clears its flag; 1 if it was set.
    #[cold]
    #[inline(never)]
    fn unflag(&mut self, w: u32, start: usize) -> u32 {
        let (flag, mask) = (1u32 << self.word_bits, (1u32 << self.word_bits) - 1);
        let title = self.pairs.get_mut(start..).unwrap_or_default();
        match title.iter_mut().rev().find(|p| **p & mask == w) {
            Some(p) if *p & flag != 0 => {
                *p &= !flag;
                1
            }
            _ => 0,
        }
    }
}

/// Puts the posting of each packed pair of `pairs` at the next free place
/// of its word's list in `flat`.
#[inline(never)]
fn scatter(pairs: &[u32], word_bits: u32, next: &mut [u32], flat: &mut [u32]) {
    let mask = (1u32 << word_bits).wrapping_sub(1);
    for &pair in pairs {
        if let Some(slot) = next.get_mut((pair & mask) as usize) {
            if let Some(f) = flat.get_mut(*slot as usize) {
                *f = pair >> word_bits;
            }
            *slot += 1;
        }
    }
}

/// The title id of each search id of a tabular system: of each document of
/// `docs` ([`crate::search::tabular_docs`]) its code's title, [`NO_TITLE`]
/// for a code newer than the tabular; then the 7th-character meanings' of
/// `sevenths`, definition by definition.
#[cfg(feature = "compile")]
pub fn tabular_title_ids(
    docs: &[(Vec<u8>, Option<crate::layout::Entry>)],
    sevenths: &[crate::outline::SeventhChars],
) -> Vec<u32> {
    docs.iter()
        .map(|(_, entry)| entry.map_or(NO_TITLE, |e| e.title))
        .chain(sevenths.iter().flatten().map(|&(_, title)| title))
        .collect()
}

/// The index to ship beside `titles`: the whole index `whole` (as
/// [`crate::search::build`] writes it) with the readings of the store's
/// dictionary, and the lists less the postings the titles give
/// (`title_of` as for [`PostingLists::with_titles`]); `whole` itself if
/// its words and ids are too many to read back ([`word_bits`]). Fails if a
/// title gives a posting the whole index lacks or marks as an inclusion
/// term's.
#[cfg(feature = "compile")]
pub fn split_for_titles(
    whole: &[u8],
    titles: &TitleStore<'_>,
    title_of: &[u32],
) -> Result<Vec<u8>, SplitError> {
    let index = SearchIndex::new(whole).map_err(SplitError::Index)?;
    let mut lists = PostingLists::shipped(&index);
    let n = lists.offsets.len();
    if word_bits(n, title_of.len()).is_none() {
        // Too many words and ids to read at run time: it ships whole.
        return Ok(whole.to_vec());
    }
    let mut readings = Vec::new();
    let mut tokens = Vec::new();
    let mut last = 0i64;
    for word in titles.dictionary() {
        tokens.clear();
        crate::words::for_each_word(word, |t, _| {
            tokens.extend(index.words().get(t));
        });
        varint::put(&mut readings, tokens.len() as u32);
        for &t in &tokens {
            let step = t as i64 - last;
            last = t as i64;
            let zigzag = (step << 1) ^ (step >> 63);
            varint::put(
                &mut readings,
                u32::try_from(zigzag)
                    .map_err(|_| SplitError::Compile(crate::CompileError::TooMany("words")))?,
            );
        }
    }
    let decoded = Readings::read(&readings, n).ok_or(SplitError::Derive(DeriveError::Readings))?;
    (lists.starts, lists.flat) = title_lists(
        &decoded,
        n,
        index.total,
        titles,
        title_of,
        index.clauses,
        &mut |_| (),
    )
    .ok_or(SplitError::Derive(DeriveError::TooLarge))?;
    let mut rest = Vec::with_capacity(index.list_bytes().len() / 4);
    let mut kept = Vec::new();
    for word in 0..n as u64 {
        kept.clear();
        let mut from_titles = lists.title_list(word).iter().copied().peekable();
        for (id, inclusion) in Postings::at(lists.shipped, lists.offset(word)) {
            let p = id << 1 | u32::from(inclusion);
            if from_titles.next_if_eq(&p).is_none() {
                kept.push(p);
            }
        }
        if let Some(p) = from_titles.next() {
            let word = index
                .words()
                .stream()
                .into_str_vec()
                .ok()
                .and_then(|all| all.into_iter().find(|(_, v)| *v == word))
                .map(|(w, _)| w)
                .unwrap_or_default();
            return Err(SplitError::Derive(DeriveError::NotInIndex {
                word,
                id: p >> 1,
            }));
        }
        write_list(&mut rest, &kept);
    }
    index
        .rewrite(&rest, &readings, &[])
        .map_err(SplitError::Compile)
}

/// Why [`split_for_titles`] failed.
#[cfg(feature = "compile")]
#[derive(Debug)]
pub enum SplitError {
    /// The whole index does not read.
    Index(crate::search::SearchIndexError),
    /// The titles give a posting the index lacks.
    Derive(DeriveError),
    /// The index could not be written.
    Compile(crate::CompileError),
}

#[cfg(feature = "compile")]
impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitError::Index(e) => e.fmt(f),
            SplitError::Derive(e) => e.fmt(f),
            SplitError::Compile(e) => write!(f, "search index: {e}"),
        }
    }
}

#[cfg(feature = "compile")]
impl std::error::Error for SplitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SplitError::Index(e) => Some(e),
            SplitError::Derive(e) => Some(e),
            SplitError::Compile(e) => Some(e),
        }
    }
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;
    use crate::search::{build, SearchSource};
    use crate::titles::TitleStoreBuilder;

    fn source() -> SearchSource {
        SearchSource {
            docs: vec![
                ("Fracture of femur".into(), vec!["Broken thigh bone".into()]),
                ("Fracture of tibia, closed".into(), vec![]),
                ("Typhoid fever".into(), vec![]),
            ],
            ..Default::default()
        }
    }

    fn store(titles: &[&str]) -> Vec<u8> {
        let mut b = TitleStoreBuilder::default();
        for t in titles {
            b.add(t);
        }
        b.finish_in_word_order()
    }

    /// Search id → title id of [`split`]: document 2's title is not in
    /// the store, so its words ship.
    const TITLE_OF: [u32; 3] = [0, 1, NO_TITLE];

    /// The whole index of [`source`], the title store of its first two
    /// documents, and the index split for that store.
    fn split() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let whole = build(&source()).unwrap();
        let bytes = store(&["Fracture of femur", "Fracture of tibia, closed"]);
        let titles = TitleStore::new(&bytes).unwrap();
        let shipped = split_for_titles(&whole, &titles, &TITLE_OF).unwrap();
        (whole, bytes, shipped)
    }

    #[test]
    fn lists_read_with_the_titles_equal_the_whole_index() {
        let (whole, bytes, shipped) = split();
        let titles = TitleStore::new(&bytes).unwrap();
        let title_of = TITLE_OF;
        let index = SearchIndex::new(&shipped).unwrap();
        let lists = PostingLists::with_titles(&index, &titles, &title_of, |_| ()).unwrap();
        let original = SearchIndex::new(&whole).unwrap();
        let whole_lists = PostingLists::shipped(&original);
        for word in [
            "fracture", "of", "femur", "tibia", "closed", "broken", "typhoid",
        ] {
            let n = index.words().get(word).unwrap();
            assert_eq!(
                lists.get(n).collect::<Vec<_>>(),
                whole_lists
                    .get(original.words().get(word).unwrap())
                    .collect::<Vec<_>>(),
                "{word}"
            );
        }
        assert_eq!(lists.checksum(), original.checksum);
    }

    /// An index read with clauses gives the words of a title's clauses
    /// flagged, from its titles as from its whole lists, and counts a title
    /// without them; a word also outside a clause is the title's.
    #[test]
    fn a_title_clauses_words_are_flagged_when_read_with_the_titles() {
        let titles = [
            "Hernia without obstruction or gangrene",
            "Hernia with obstruction, without gangrene",
            "Ulcer without ulcer",
        ];
        let src = SearchSource {
            docs: titles.iter().map(|t| (t.to_string(), vec![])).collect(),
            clauses: true,
            ..Default::default()
        };
        let whole = build(&src).unwrap();
        let bytes = store(&titles);
        let store = TitleStore::new(&bytes).unwrap();
        let title_of = [0, 1, 2];
        let shipped = split_for_titles(&whole, &store, &title_of).unwrap();
        let index = SearchIndex::new(&shipped).unwrap();
        assert!(index.clauses);
        let mut counts = Vec::new();
        let lists =
            PostingLists::with_titles(&index, &store, &title_of, |n| counts.push(n)).unwrap();
        let list = |w: &str| lists.get(index.words().get(w).unwrap()).collect::<Vec<_>>();
        assert_eq!(list("obstruction"), [(0, true), (1, false)]);
        assert_eq!(list("gangrene"), [(0, true), (1, true)]);
        assert_eq!(list("ulcer"), [(2, false)]);
        assert_eq!(lists.checksum(), SearchIndex::new(&whole).unwrap().checksum);
        // hernia, without | hernia, with, obstruction, without | ulcer, without
        assert_eq!(counts, [2, 4, 2]);
        let expected: Vec<u8> = titles
            .iter()
            .map(|t| crate::words::distinct_words(t, true))
            .collect();
        assert_eq!(counts, expected);
    }

    #[test]
    fn a_title_word_the_index_lacks_stops_the_split_naming_it() {
        let whole = build(&source()).unwrap();
        // The store says document 2 is titled "Fracture of femur": the
        // whole index has no `femur` posting for it.
        let bytes = store(&["Fracture of femur", "Fracture of tibia, closed"]);
        let titles = TitleStore::new(&bytes).unwrap();
        let err = split_for_titles(&whole, &titles, &[0, 1, 0]).unwrap_err();
        let SplitError::Derive(DeriveError::NotInIndex { word, id: 2 }) = &err else {
            panic!("{err}");
        };
        assert!(
            ["femur", "fracture", "of"].contains(&word.as_str()),
            "{err}"
        );
    }

    #[test]
    fn word_id_and_clause_bits_pack_into_a_u32_while_they_fit() {
        assert_eq!(word_bits(11_513, 47_155), Some(14));
        assert_eq!(word_bits(1, 1), Some(1));
        assert_eq!(word_bits(1 << 16, 1 << 15), Some(16));
        assert_eq!(word_bits(1 << 16, 1 << 16), None);
        assert_eq!(word_bits((1 << 16) + 1, 1 << 15), None);
    }

    #[test]
    fn a_count_that_does_not_add_up_is_an_error_not_wrong_answers() {
        let (_, _, shipped) = split();
        let title_of = TITLE_OF;
        // Another title store beside the index (one title fewer).
        let other = store(&["Fracture of femur"]);
        let other = TitleStore::new(&other).unwrap();
        let index = SearchIndex::new(&shipped).unwrap();
        let err = PostingLists::with_titles(&index, &other, &title_of, |_| ()).unwrap_err();
        assert!(matches!(err, DeriveError::Count { .. }), "{err}");
    }
}
