//! A compact, random-access store of titles.
//!
//! Titles are split at spaces into words; each distinct word is stored once
//! in a dictionary ordered by frequency. Each title is written against the
//! one before it (neighbouring codes have similar titles): the number of
//! leading words and of trailing words it shares with it, then its other
//! word numbers, all as LEB128 varints (the 127 most frequent words take one
//! byte), then a 0 terminator. Every [`SAMPLE`]th title starts afresh and has
//! its offset recorded, so reading one title decodes at most `SAMPLE - 1`
//! others; every `SAMPLE`th word has its offset recorded too.
//!
//! Layout (all integers little endian):
//! `b"MCT2"` (format `MCT`, layout 2: [`crate::magic`]), `u32` title count,
//! `u32` word count, `u32` length of the offsets, `u32` stream length, `u32`
//! dictionary length; the title offsets, then the word offsets (one a
//! sample, each a varint: its distance from the one before), the title
//! stream, then the dictionary (each word's UTF-8 bytes and a 0xFF byte,
//! which UTF-8 never holds).
//!
//! Layout 1 wrote each offset as a `u32` and each word after its varint
//! length. The length bytes between words hid their shared letters from
//! gzip (the ICD-10-CM dictionary: 51.3 kB gzip, 42.8 kB now), and the
//! `u32` offsets took 6.5 kB of ICD-10-CM's titles and about 20 kB of
//! ICD-10-PCS's stores.

use crate::magic::{Magic, MagicError};
use crate::varint;

/// Dictionary words a title writes in one byte each (rank + 1 < 0x80).
pub const ONE_BYTE: usize = 127;
/// How many titles (and words) share one recorded offset.
pub const SAMPLE: usize = 16;
/// Title stores: layout 2.
const MAGIC: Magic = Magic::new(*b"MCT", 2);
/// Words of a long title: the buffers that decode titles start this large.
const TITLE_WORDS: usize = 48;
const HEADER: usize = 24;
/// Ends each word of the dictionary (never a byte of UTF-8).
const WORD_END: u8 = 0xFF;

/// Builds a title store; titles get ids in the order they are added.
///
/// ```
/// use medcode_tables::titles::{TitleStore, TitleStoreBuilder};
/// let mut b = TitleStoreBuilder::default();
/// let a = b.add("Fracture of femur");
/// let c = b.add("Fracture of right femur, initial encounter");
/// let bytes = b.finish();
/// let store = TitleStore::new(&bytes).unwrap();
/// let mut out = String::new();
/// assert!(store.write(c, &mut out));
/// assert_eq!(out, "Fracture of right femur, initial encounter");
/// assert_eq!(store.get(a).as_deref(), Some("Fracture of femur"));
/// ```
#[derive(Debug, Default)]
pub struct TitleStoreBuilder {
    titles: Vec<Vec<u32>>,
    words: Vec<String>,
    word_ids: std::collections::HashMap<String, u32>,
    counts: Vec<u64>,
}

impl TitleStoreBuilder {
    /// Adds a title and returns its id.
    pub fn add(&mut self, title: &str) -> u32 {
        let mut seq = Vec::new();
        for word in title.split(' ') {
            let next = self.words.len() as u32;
            let id = *self.word_ids.entry(word.to_owned()).or_insert(next);
            if id == next {
                self.words.push(word.to_owned());
                self.counts.push(0);
            }
            self.counts[id as usize] += 1;
            seq.push(id);
        }
        self.titles.push(seq);
        (self.titles.len() - 1) as u32
    }

    /// Number of titles added so far.
    pub fn len(&self) -> usize {
        self.titles.len()
    }

    /// Whether no title was added.
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// Serializes the store.
    pub fn finish(self) -> Vec<u8> {
        let order = self.by_frequency();
        self.write(order)
    }

    /// Serializes the store with the words after the [`ONE_BYTE`] most
    /// frequent in the order of their search words ([`crate::words`]), so
    /// a search index can say which index words each dictionary word reads
    /// in a few bytes ([`crate::postings`]); a title's words take as many
    /// bytes as in [`TitleStoreBuilder::finish`].
    pub fn finish_in_word_order(self) -> Vec<u8> {
        let mut order = self.by_frequency();
        if let Some(tail) = order.get_mut(ONE_BYTE..) {
            let key = |w: u32| crate::words::words(&self.words[w as usize]).join(" ");
            let mut keyed: Vec<(String, u32)> = tail.iter().map(|&w| (key(w), w)).collect();
            keyed.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| self.words[a.1 as usize].cmp(&self.words[b.1 as usize]))
            });
            for (slot, (_, w)) in tail.iter_mut().zip(keyed) {
                *slot = w;
            }
        }
        self.write(order)
    }

    /// Word numbers, most frequent first, ties by text, so the output is deterministic.
    fn by_frequency(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.words.len() as u32).collect();
        order.sort_by(|&a, &b| {
            self.counts[b as usize]
                .cmp(&self.counts[a as usize])
                .then_with(|| self.words[a as usize].cmp(&self.words[b as usize]))
        });
        order
    }

    /// The store with the dictionary in `order` (word numbers).
    fn write(self, order: Vec<u32>) -> Vec<u8> {
        let mut rank = vec![0u32; order.len()];
        for (r, &w) in order.iter().enumerate() {
            rank[w as usize] = r as u32;
        }
        let mut stream = Vec::new();
        let mut title_offsets = Vec::new();
        let mut prev: &[u32] = &[];
        for (i, seq) in self.titles.iter().enumerate() {
            if i % SAMPLE == 0 {
                title_offsets.push(stream.len() as u32);
                prev = &[];
            }
            let head = seq.iter().zip(prev).take_while(|(a, b)| a == b).count();
            let tail = seq[head..]
                .iter()
                .rev()
                .zip(prev[head..].iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            varint::put(&mut stream, head as u32);
            varint::put(&mut stream, tail as u32);
            for &w in &seq[head..seq.len() - tail] {
                varint::put(&mut stream, rank[w as usize] + 1);
            }
            stream.push(0);
            prev = seq;
        }
        let words: Vec<&str> = order
            .iter()
            .map(|&w| self.words[w as usize].as_str())
            .collect();
        assemble(MAGIC, self.titles.len(), &title_offsets, &stream, &words)
    }
}

/// Serializes a store: `magic`, the header, the offsets, the title `stream`
/// (with `title_offsets`, one a sample) and the dictionary of `words` in
/// rank order.
pub(crate) fn assemble(
    magic: Magic,
    titles: usize,
    title_offsets: &[u32],
    stream: &[u8],
    words: &[&str],
) -> Vec<u8> {
    let mut dict = Vec::new();
    let mut word_offsets = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if i % SAMPLE == 0 {
            word_offsets.push(dict.len() as u32);
        }
        dict.extend_from_slice(word.as_bytes());
        dict.push(WORD_END);
    }
    let mut offsets = Vec::new();
    put_offsets(&mut offsets, title_offsets);
    put_offsets(&mut offsets, &word_offsets);
    let mut out = Vec::with_capacity(HEADER + offsets.len() + stream.len() + dict.len());
    out.extend_from_slice(&magic.bytes());
    for n in [titles, words.len(), offsets.len(), stream.len(), dict.len()] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    out.extend_from_slice(&offsets);
    out.extend_from_slice(stream);
    out.extend_from_slice(&dict);
    out
}

/// Appends increasing `offsets`, each as a varint of its distance from the
/// one before (the first: from 0).
fn put_offsets(out: &mut Vec<u8>, offsets: &[u32]) {
    let mut last = 0;
    for &o in offsets {
        varint::put(out, o.wrapping_sub(last));
        last = o;
    }
}

/// Reads the offsets [`put_offsets`] wrote, one list after another, into
/// one list; `None` when `bytes` ends first.
fn read_offsets(bytes: &[u8], lists: [usize; 2]) -> Option<Vec<u32>> {
    let mut offsets = Vec::with_capacity(lists[0] + lists[1]);
    let mut at = 0;
    for n in lists {
        let mut last = 0u32;
        for _ in 0..n {
            let (gap, next) = varint::read(bytes, at)?;
            last = last.wrapping_add(gap);
            offsets.push(last);
            at = next;
        }
    }
    Some(offsets)
}

/// Every word of a [`TitleStore`]'s dictionary, checked as UTF-8 once, so
/// writing a title neither scans the dictionary nor checks a word again.
#[derive(Debug, Clone, Default)]
pub struct TitleIndex<'a> {
    words: Vec<&'a str>,
}

/// Where the last decodes of a [`TitleStore`] stopped, so a title of the
/// same sample further on (the next code of a prefix walk, of a code's
/// children or of a sorted file) is decoded from there instead of from the
/// sample's start; two positions, so a code's title and its 7th character's
/// meaning, read in turn, do not push each other out.
///
/// A reader recognises its store by the address and length of the store's
/// bytes: keep one reader per store whose bytes stay where they are (the
/// embedded tables); a new store in another one's place needs a new reader.
///
/// ```
/// use medcode_tables::titles::{TitleReader, TitleStore, TitleStoreBuilder};
/// let mut b = TitleStoreBuilder::default();
/// for t in ["Fracture of femur", "Fracture of right femur", "Fracture of left femur"] {
///     b.add(t);
/// }
/// let bytes = b.finish();
/// let store = TitleStore::new(&bytes).unwrap();
/// let (index, mut reader) = (store.index(), TitleReader::default());
/// let mut out = String::new();
/// for id in [1, 2, 0] {
///     out.clear();
///     assert!(store.write_read(&index, &mut reader, id, &mut out));
///     assert_eq!(Some(out.clone()), store.get(id));
/// }
/// ```
#[derive(Debug, Default, Clone)]
pub struct TitleReader {
    cursors: [TitleCursor; 2],
    /// The cursor used last.
    last: usize,
}

/// One decode position of a [`TitleReader`].
#[derive(Debug, Default, Clone)]
struct TitleCursor {
    /// The store read (its bytes' address and length).
    store: (usize, usize),
    /// The title decoded last and the stream offset after it.
    at: Option<(u32, usize)>,
    words: Vec<u32>,
    prev: Vec<u32>,
}

impl TitleReader {
    /// The word numbers of title `id` of `store`.
    fn words<'r>(&'r mut self, store: &TitleStore<'_>, id: u32) -> Option<&'r [u32]> {
        if id >= store.count {
            return None;
        }
        let key = (store.stream.as_ptr() as usize, store.stream.len());
        let continues = |c: &TitleCursor| {
            c.store == key
                && c.at.is_some_and(|(last, _)| {
                    last <= id && last as usize / SAMPLE == id as usize / SAMPLE
                })
        };
        // The cursor that can go on to `id`, else the one used least recently.
        let i = if continues(&self.cursors[self.last]) {
            self.last
        } else {
            1 - self.last
        };
        self.last = i;
        let c = &mut self.cursors[i];
        let (mut next, mut at) = match c.at {
            Some((last, _)) if last == id && continues(c) => return Some(&c.words),
            Some((last, after)) if continues(c) => (last + 1, after),
            _ => (id - id % SAMPLE as u32, store.sample_offset(id)?),
        };
        c.store = key;
        c.at = None;
        if c.words.capacity() == 0 {
            c.words.reserve(TITLE_WORDS);
            c.prev.reserve(TITLE_WORDS);
        }
        while next <= id {
            std::mem::swap(&mut c.prev, &mut c.words);
            if (next as usize).is_multiple_of(SAMPLE) {
                c.prev.clear();
            }
            at = store.decode(at, &c.prev, &mut c.words)?;
            next += 1;
        }
        c.at = Some((id, at));
        Some(&c.words)
    }
}

/// Why a byte slice is not a title store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleStoreError {
    /// The slice does not start with the store's magic bytes, or is of
    /// another layout version.
    Magic(MagicError),
    /// The slice is shorter than its header says.
    Truncated,
}

impl std::fmt::Display for TitleStoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TitleStoreError::Magic(e) => write!(f, "title store: {e}"),
            TitleStoreError::Truncated => f.write_str("title store: truncated"),
        }
    }
}

impl std::error::Error for TitleStoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TitleStoreError::Magic(e) => Some(e),
            TitleStoreError::Truncated => None,
        }
    }
}

/// Reads titles from bytes written by [`TitleStoreBuilder::finish`].
#[derive(Debug, Clone)]
pub struct TitleStore<'a> {
    count: u32,
    word_count: u32,
    /// The stream offset of each sample's first title, then the dictionary
    /// offset of each sample's first word.
    offsets: Vec<u32>,
    stream: &'a [u8],
    dict: &'a [u8],
}

impl<'a> TitleStore<'a> {
    /// Checks the header and section bounds.
    pub fn new(bytes: &'a [u8]) -> Result<Self, TitleStoreError> {
        Self::parse(bytes, MAGIC)
    }

    /// Reads the header and sections of a store with this layout and `magic`
    /// (the short-title store shares it).
    pub(crate) fn parse(bytes: &'a [u8], magic: Magic) -> Result<Self, TitleStoreError> {
        magic.check(bytes).map_err(TitleStoreError::Magic)?;
        let mut sections = crate::sections::Sections::after_header(bytes, HEADER);
        let field = |i: usize| sections.field(i).ok_or(TitleStoreError::Truncated);
        let len = |i: usize| sections.len_field(i).ok_or(TitleStoreError::Truncated);
        let (count, word_count) = (field(0)?, field(1)?);
        let (offsets_len, stream_len, dict_len) = (len(2)?, len(3)?, len(4)?);
        let mut take = |n: usize| sections.take(n).ok_or(TitleStoreError::Truncated);
        let offsets = take(offsets_len)?;
        let samples = [count, word_count].map(|n| (n as usize).div_ceil(SAMPLE));
        // Each offset takes a byte at least: a count beyond that is damage.
        if samples[0] + samples[1] > offsets.len() {
            return Err(TitleStoreError::Truncated);
        }
        Ok(TitleStore {
            count,
            word_count,
            offsets: read_offsets(offsets, samples).ok_or(TitleStoreError::Truncated)?,
            stream: take(stream_len)?,
            dict: take(dict_len)?,
        })
    }

    /// Number of titles.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether the store holds no title.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Reads the title at stream offset `at` written against `prev` into
    /// `words` (word numbers); the offset after it, or `None` if damaged.
    pub(crate) fn decode(
        &self,
        mut at: usize,
        prev: &[u32],
        words: &mut Vec<u32>,
    ) -> Option<usize> {
        let (head, next) = varint::read(self.stream, at)?;
        let (tail, next) = varint::read(self.stream, next)?;
        let (head, tail) = (head as usize, tail as usize);
        if head.checked_add(tail)? > prev.len() {
            return None;
        }
        at = next;
        words.clear();
        crate::small_copy::extend(words, &prev[..head]);
        loop {
            let (w, next) = varint::read(self.stream, at)?;
            at = next;
            if w == 0 {
                break;
            }
            words.push(w - 1);
        }
        crate::small_copy::extend(words, &prev[prev.len() - tail..]);
        Some(at)
    }

    /// Stream offset of the first title of `id`'s sample.
    pub(crate) fn sample_offset(&self, id: u32) -> Option<usize> {
        self.offsets.get(id as usize / SAMPLE).map(|&o| o as usize)
    }

    /// Number of words in the dictionary.
    pub(crate) fn word_count(&self) -> u32 {
        self.word_count
    }

    /// The title stream.
    pub(crate) fn stream(&self) -> &'a [u8] {
        self.stream
    }

    /// Appends title `id` to `out`; false (and `out` untouched) if there is none.
    pub fn write(&self, id: u32, out: &mut String) -> bool {
        self.write_with(id, out, |w, out| self.write_word(w, out))
    }

    /// Appends title `id`, writing each word with `word`; on damaged data
    /// leaves `out` as it was and returns false.
    fn write_with(
        &self,
        id: u32,
        out: &mut String,
        word: impl Fn(u32, &mut String) -> bool,
    ) -> bool {
        let mut reader = TitleReader::default();
        match reader.words(self, id) {
            Some(words) => write_words(words, out, word),
            None => false,
        }
    }

    /// Title `id` as a new string.
    pub fn get(&self, id: u32) -> Option<String> {
        let mut s = String::new();
        self.write(id, &mut s).then_some(s)
    }

    /// Every word of the dictionary, checked as UTF-8 once, so
    /// [`TitleStore::write_indexed`] reads a title's words without scanning
    /// the dictionary (a string slice a word of memory: 8 bytes in wasm).
    pub fn index(&self) -> TitleIndex<'a> {
        let mut words = Vec::with_capacity(self.word_count as usize);
        let mut rest = self.dict;
        while words.len() < self.word_count as usize {
            // A damaged word ends the index: the words after it are unread.
            let Some((Ok(word), after)) = next_word(rest) else {
                break;
            };
            words.push(word);
            rest = after;
        }
        TitleIndex { words }
    }

    /// The dictionary's words by word number (what [`TitleStore::for_each_in_order`]
    /// gives titles as), read in one pass; stops at damaged data.
    ///
    /// ```
    /// use medcode_tables::titles::{TitleStore, TitleStoreBuilder};
    /// let mut b = TitleStoreBuilder::default();
    /// b.add("Open Approach");
    /// b.add("Open");
    /// let bytes = b.finish();
    /// let store = TitleStore::new(&bytes).unwrap();
    /// let words = store.dictionary();
    /// let mut titles = Vec::new();
    /// store.for_each_in_order(|ws| {
    ///     titles.push(ws.iter().map(|&w| words[w as usize]).collect::<Vec<_>>().join(" "));
    ///     true
    /// });
    /// assert_eq!(titles, ["Open Approach", "Open"]);
    /// ```
    pub fn dictionary(&self) -> Vec<&'a str> {
        let index = self.index();
        (0..self.word_count)
            .map_while(|w| self.indexed_word(&index, w))
            .collect()
    }

    /// Calls `each` with the UTF-8 bytes of every dictionary word, in word
    /// number order, without checking them (see [`TitleStore::dictionary`]);
    /// stops at damaged data.
    pub fn for_each_dictionary_word(&self, mut each: impl FnMut(&'a [u8])) {
        let mut rest = self.dict;
        for _ in 0..self.word_count {
            let Some((word, after)) = next_word_bytes(rest) else {
                return;
            };
            each(word);
            rest = after;
        }
    }

    /// Calls `each` with the word numbers of every title in id order, in one
    /// pass over the stream, until it returns false or the data is damaged.
    pub fn for_each_in_order(&self, mut each: impl FnMut(&[u32]) -> bool) {
        let (mut prev, mut words) = (Vec::new(), Vec::new());
        let mut at = 0;
        for id in 0..self.count as usize {
            if id % SAMPLE == 0 {
                prev.clear();
            }
            let Some(next) = self.decode(at, &prev, &mut words) else {
                return;
            };
            at = next;
            if !each(&words) {
                return;
            }
            std::mem::swap(&mut prev, &mut words);
        }
    }

    /// Every title in id order, decoded in one pass over the stream (for a
    /// small store read often, such as the PCS axis labels); stops at
    /// damaged data.
    ///
    /// ```
    /// use medcode_tables::titles::{TitleStore, TitleStoreBuilder};
    /// let mut b = TitleStoreBuilder::default();
    /// b.add("Open");
    /// b.add("Open Endoscopic");
    /// let bytes = b.finish();
    /// assert_eq!(TitleStore::new(&bytes).unwrap().all(), ["Open", "Open Endoscopic"]);
    /// ```
    pub fn all(&self) -> Vec<String> {
        let index = self.index();
        let mut titles = Vec::with_capacity(self.count as usize);
        self.for_each_in_order(|words| {
            let text: Option<Vec<&str>> = words
                .iter()
                .map(|&w| self.indexed_word(&index, w))
                .collect();
            text.map(|t| titles.push(t.join(" "))).is_some()
        });
        titles
    }

    /// [`TitleStore::write`] through an index built by [`TitleStore::index`].
    pub fn write_indexed(&self, index: &TitleIndex<'a>, id: u32, out: &mut String) -> bool {
        self.write_read(index, &mut TitleReader::default(), id, out)
    }

    /// [`TitleStore::write_indexed`] through `reader`, which keeps where it
    /// stopped: reading titles in id order decodes each title once.
    pub fn write_read(
        &self,
        index: &TitleIndex<'a>,
        reader: &mut TitleReader,
        id: u32,
        out: &mut String,
    ) -> bool {
        match reader.words(self, id) {
            Some(words) => write_words(words, out, |w, out| {
                self.indexed_word(index, w)
                    .map(|t| out.push_str(t))
                    .is_some()
            }),
            None => false,
        }
    }

    /// Word `w` of the dictionary, found through `index`.
    fn indexed_word(&self, index: &TitleIndex<'a>, w: u32) -> Option<&'a str> {
        index.words.get(w as usize).copied()
    }

    pub(crate) fn write_word(&self, word: u32, out: &mut String) -> bool {
        if word >= self.word_count {
            return false;
        }
        let at = (self.count as usize).div_ceil(SAMPLE) + word as usize / SAMPLE;
        let Some(mut rest) = self
            .offsets
            .get(at)
            .and_then(|&o| self.dict.get(o as usize..))
        else {
            return false;
        };
        for _ in 0..(word as usize % SAMPLE) {
            let Some((_, after)) = next_word_bytes(rest) else {
                return false;
            };
            rest = after;
        }
        match next_word(rest) {
            Some((Ok(w), _)) => {
                out.push_str(w);
                true
            }
            _ => false,
        }
    }
}

/// The dictionary word `rest` starts with (checked as UTF-8) and the
/// bytes after its [`WORD_END`]; `None` when no word ends in `rest`.
fn next_word(rest: &[u8]) -> Option<(Result<&str, std::str::Utf8Error>, &[u8])> {
    let (word, after) = next_word_bytes(rest)?;
    Some((std::str::from_utf8(word), after))
}

/// [`next_word`] without the UTF-8 check: the word's bytes and the bytes
/// after its [`WORD_END`].
fn next_word_bytes(rest: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = rest.iter().position(|&b| b == WORD_END)?;
    Some((rest.get(..end)?, rest.get(end + 1..)?))
}

/// Appends `words`, space-separated, each written by `word`; on a word
/// `word` cannot write leaves `out` as it was and returns false.
fn write_words(words: &[u32], out: &mut String, word: impl Fn(u32, &mut String) -> bool) -> bool {
    let start = out.len();
    for (i, &w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if !word(w, out) {
            out.truncate(start);
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_title_round_trips(titles in prop::collection::vec("[a-zA-Z0-9,;()\\[\\]éü' -]{0,80}", 0..80)) {
            let mut b = TitleStoreBuilder::default();
            for t in &titles { b.add(t); }
            let bytes = b.finish();
            let store = TitleStore::new(&bytes).unwrap();
            prop_assert_eq!(store.len() as usize, titles.len());
            let index = store.index();
            for (i, t) in titles.iter().enumerate() {
                prop_assert_eq!(store.get(i as u32), Some(t.clone()));
                let mut indexed = String::new();
                prop_assert!(store.write_indexed(&index, i as u32, &mut indexed));
                prop_assert_eq!(&indexed, t);
            }
            prop_assert_eq!(store.get(titles.len() as u32), None);
            prop_assert_eq!(store.all(), titles);
        }

        /// One reader through any order of ids (runs in id order, jumps
        /// back, repeats, ids past the end) writes what `get` writes.
        #[test]
        fn a_reader_writes_every_title_in_any_order(
            titles in prop::collection::vec("[a-c ,]{0,12}", 1..70),
            ids in prop::collection::vec(0u32..75, 0..120),
        ) {
            let mut b = TitleStoreBuilder::default();
            for t in &titles { b.add(t); }
            let bytes = b.finish();
            let store = TitleStore::new(&bytes).unwrap();
            let (index, mut reader) = (store.index(), TitleReader::default());
            for id in ids {
                let mut out = String::from("kept ");
                let written = store.write_read(&index, &mut reader, id, &mut out);
                match store.get(id) {
                    Some(t) => prop_assert_eq!(out, format!("kept {t}")),
                    None => prop_assert!(!written && out == "kept "),
                }
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), id in 0u32..50) {
            let mut with_magic = MAGIC.bytes().to_vec();
            with_magic.extend_from_slice(&bytes);
            if let Ok(store) = TitleStore::new(&with_magic) {
                let _ = store.get(id);
                let _ = store.write_indexed(&store.index(), id, &mut String::new());
                let mut reader = TitleReader::default();
                for id in [id, id + 1, id / 2] {
                    let _ = store.write_read(&store.index(), &mut reader, id, &mut String::new());
                }
            }
        }
    }

    #[test]
    fn words_longer_than_127_bytes_survive() {
        let long = "é".repeat(300);
        let mut b = TitleStoreBuilder::default();
        b.add(&long);
        let bytes = b.finish();
        assert_eq!(
            TitleStore::new(&bytes).unwrap().get(0).as_deref(),
            Some(long.as_str())
        );
    }

    #[test]
    fn truncated_store_is_rejected() {
        let mut b = TitleStoreBuilder::default();
        b.add("Cholera");
        let bytes = b.finish();
        assert_eq!(
            TitleStore::new(&bytes[..bytes.len() - 1]).unwrap_err(),
            TitleStoreError::Truncated
        );
        assert_eq!(
            TitleStore::new(b"nope").unwrap_err(),
            TitleStoreError::Magic(MagicError::OtherFormat)
        );
        let mut newer = bytes.clone();
        newer[3] = b'3';
        assert_eq!(
            TitleStore::new(&newer).unwrap_err(),
            TitleStoreError::Magic(MagicError::Version { found: 3, reads: 2 })
        );
        assert_eq!(
            TitleStore::new(&newer).unwrap_err().to_string(),
            "title store: written in layout version 3, this reader reads version 2 (rebuild the module)"
        );
    }
}
