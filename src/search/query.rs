//! Word search: every query word matches index words it is a prefix of,
//! equal to, an abbreviation of (the table learned from the short titles)
//! or, failing those, one or two edits away from; all words must match (a
//! word missing is allowed only to fill the list, ranked after); results are
//! ranked by the rule in [`rank_key`].

use super::typo::Within;
use super::{Doc, Searcher};
use crate::codeset::CodeSet;
use crate::normalize::normalize;
use fst::{IntoStreamer, Streamer};
use medcode_tables::layout::{expand, Kind};
use medcode_tables::words::{for_each_word, MAX_WORD};
use std::collections::BinaryHeap;

/// Most results one call returns.
pub const MAX_LIMIT: usize = 1000;
/// Words of a query (stop words aside) beyond this many are ignored.
pub const MAX_QUERY_WORDS: usize = 12;
/// Longest query text read, in bytes (the rest is ignored).
pub const MAX_QUERY_BYTES: usize = 256;

/// Up to this many candidate documents are visited in id order; more, by
/// title length (so the scan can stop early).
const FEW_CANDIDATES: usize = 4096;

/// Words that join others in titles; a query does not require them.
const STOP_WORDS: &[&str] = &[
    "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
];

/// One result of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The key (no dot, upper case).
    pub key: String,
    /// The code with its dot.
    pub code: String,
    /// The official title.
    pub display: String,
    /// Category or code (a block or chapter only when typed exactly).
    pub kind: Kind,
    /// Whether the code may be reported.
    pub billable: bool,
    /// The words of `display`, as written there, that the query matched (for highlighting).
    pub matched: Vec<String>,
    /// Whether some query word matched only an inclusion term of the code, not its title.
    pub inclusion: bool,
}

/// How well an index word matches a query word; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Quality {
    /// The same word, or the word an abbreviation stands for.
    Whole = 0,
    /// The query word is the start of the index word.
    Prefix = 1,
    /// One edit away (two for words of 8 letters or more).
    Typo = 2,
}

/// One word of the query and what it matched.
struct Word {
    /// The word, as the tokenizer reads it.
    text: String,
    /// `7thX`: the code's 7th character is X (the short titles' notation).
    seventh: Option<u8>,
    /// Not a stop word (or the query is only stop words).
    required: bool,
    /// Offsets of the matched index words' lists (their ids), sorted.
    terms: Vec<u64>,
}

/// `7thd` → `D`.
fn seventh_of(word: &str) -> Option<u8> {
    match word.as_bytes() {
        [b'7', b't', b'h', c] if c.is_ascii_alphanumeric() => Some(c.to_ascii_uppercase()),
        _ => None,
    }
}

/// The ranking rule, as one number (smaller ranks first):
/// 1. fewer query words missing (all words matched first);
/// 2. better matches: a whole word or abbreviation before a prefix, a prefix
///    before a typo (summed over the query words);
/// 3. more specific: words found in the title before words found only in an
///    inclusion term;
/// 4. billable codes before headers;
/// 5. shorter titles (in words) first;
/// 6. code order (so the order is stable).
///
/// The exact code, when the query is one, comes before all of these.
#[allow(clippy::too_many_arguments)]
fn rank_key(
    missing: u32,
    penalty: u32,
    inclusion: u32,
    header: bool,
    words: u32,
    doc: u32,
    ch: u8,
) -> u64 {
    u64::from(missing.min(3)) << 46
        | u64::from(penalty.min(63)) << 40
        | u64::from(inclusion.min(7)) << 37
        | u64::from(header) << 36
        | u64::from(words.min(255)) << 28
        | u64::from(doc & 0xF_FFFF) << 8
        | u64::from(ch)
}

/// The `k` smallest keys seen.
struct TopK {
    k: usize,
    heap: BinaryHeap<u64>,
}

impl TopK {
    fn new(k: usize) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    /// Whether a key could still enter.
    fn admits(&self, key: u64) -> bool {
        self.heap.len() < self.k || self.heap.peek().is_some_and(|&worst| key < worst)
    }

    fn push(&mut self, key: u64) {
        if self.heap.len() < self.k {
            self.heap.push(key);
        } else if self.admits(key) {
            self.heap.pop();
            self.heap.push(key);
        }
    }

    fn into_sorted(self) -> Vec<u64> {
        self.heap.into_sorted_vec()
    }
}

/// Per id (documents then meanings) and query word: the best grade, 0 for
/// none, else `1 + 2 × quality + inclusion_only`. Stored id by id, so the
/// grades of one document are next to each other.
struct Grades {
    words: usize,
    grades: Vec<u8>,
    /// Per word, the documents it matched (any order).
    touched: Vec<Vec<u32>>,
    /// Per word, its best grade anywhere (0: none).
    least: Vec<u8>,
    /// Per word, whether it matched a 7th-character meaning.
    by_meaning: Vec<bool>,
}

impl Grades {
    fn get(&self, word: usize, id: usize) -> u8 {
        self.grades
            .get(id * self.words + word)
            .copied()
            .unwrap_or(0)
    }
}

fn grade(quality: Quality, inclusion: bool) -> u8 {
    1 + 2 * quality as u8 + u8::from(inclusion)
}

impl CodeSet {
    /// Searches titles and inclusion terms (see the module doc for how words
    /// match and [`rank_key`] for the order); the exact code comes first when
    /// the query is one. At most `limit` (≤ [`MAX_LIMIT`]) results.
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// let hits = cm.search("diab mell typ 2 w/o compl", 5);
    /// assert_eq!(hits[0].code, "E11.9");
    /// assert!(hits[0].matched.contains(&"diabetes".to_owned()));
    /// ```
    pub fn search(&self, text: &str, limit: usize) -> Vec<Hit> {
        let limit = limit.min(MAX_LIMIT);
        if limit == 0 {
            return Vec::new();
        }
        let Some(s) = self.searcher() else {
            return Vec::new();
        };
        let mut text = text;
        if text.len() > MAX_QUERY_BYTES {
            let mut end = MAX_QUERY_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text = &text[..end];
        }
        let mut out = Vec::new();
        if let Ok(key) = normalize(text) {
            if let Some(entry) = self.entry(key.as_bytes()) {
                out.push(self.hit(key.as_str(), &entry, Vec::new(), false));
            }
        }
        let mut words = s.words(text);
        if words.is_empty() {
            return out;
        }
        let mut grades = s.grades(&mut words, false);
        let required = words.iter().filter(|w| w.required).count();
        let mut keys = s.rank(&words, &grades, 0, limit + out.len());
        if keys.len() < limit && required >= 3 {
            keys = s.rank(&words, &grades, 1, limit + out.len());
        }
        if keys.is_empty() {
            // Nothing with every word: allow typos in every long word.
            grades = s.grades(&mut words, true);
            keys = s.rank(&words, &grades, 0, limit + out.len());
        }
        for k in keys {
            if out.len() >= limit {
                break;
            }
            let doc = ((k >> 8) & 0xF_FFFF) as usize;
            let ch = (k & 0xff) as u8;
            let inclusion = (k >> 37) & 7 > 0;
            let Some(d) = s.docs.get(doc) else { continue };
            let key = if ch == 0 {
                d.key().to_owned()
            } else {
                expand(d.key(), ch)
            };
            if out.first().is_some_and(|h| h.key == key) {
                continue;
            }
            let Some(entry) = self.entry(key.as_bytes()) else {
                continue;
            };
            let mut hit = self.hit(&key, &entry, Vec::new(), inclusion);
            hit.matched = s.matched(&words, &hit.display);
            out.push(hit);
        }
        out
    }
}

impl Searcher {
    /// The query's distinct words (at most [`MAX_QUERY_WORDS`]), nothing matched yet.
    fn words(&self, text: &str) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
        for_each_word(text, |w, _| {
            let counted = words.iter().filter(|x| x.required).count();
            if counted < MAX_QUERY_WORDS && !words.iter().any(|x| x.text == w) {
                words.push(Word {
                    text: w.to_owned(),
                    seventh: seventh_of(w),
                    required: !STOP_WORDS.contains(&w),
                    terms: Vec::new(),
                });
            }
        });
        if words.iter().all(|w| !w.required) {
            for w in &mut words {
                w.required = true;
            }
        }
        words.retain(|w| w.required);
        words
    }

    /// The index words each query word matches, with how well.
    fn matches(&self, word: &Word, typos: bool) -> Vec<(u64, Quality)> {
        let map = self.index.words();
        let text = word.text.as_str();
        let mut found = Vec::new();
        if word.seventh.is_some() {
            return found;
        }
        if let Some(v) = map.get(text) {
            found.push((v, Quality::Whole));
        }
        for expansion in self.expansions(text).unwrap_or_default().split(' ') {
            if let Some(v) = map.get(expansion) {
                found.push((v, Quality::Whole));
            }
        }
        let mut upper = text.as_bytes().to_vec();
        upper.push(0xff);
        let mut stream = map.range().gt(text).lt(&upper).into_stream();
        while let Some((_, v)) = stream.next() {
            found.push((v, Quality::Prefix));
        }
        let letters = text.len();
        if (found.is_empty() || typos) && (4..=MAX_WORD).contains(&letters) {
            let distance = if letters >= 8 { 2 } else { 1 };
            if let Some(automaton) = Within::new(text, distance) {
                let mut stream = map.search(automaton).into_stream();
                while let Some((_, v)) = stream.next() {
                    found.push((v, Quality::Typo));
                }
            }
        }
        found
    }

    /// Fills each word's matched index words and the grades of every id.
    fn grades(&self, words: &mut [Word], typos: bool) -> Grades {
        let ids = (self.index.docs + self.index.meanings) as usize;
        let docs = self.index.docs;
        let n = words.len();
        let mut grades = vec![0u8; ids * n];
        let mut touched = Vec::with_capacity(words.len());
        let mut least = Vec::with_capacity(words.len());
        let mut by_meaning = Vec::with_capacity(words.len());
        for (i, word) in words.iter_mut().enumerate() {
            let mut hit_docs = Vec::new();
            let (mut best, mut meaning) = (0u8, false);
            let mut terms = self.matches(word, typos);
            terms.sort_unstable();
            terms.dedup_by_key(|t| t.0);
            for &(offset, quality) in &terms {
                for (id, inclusion) in self.index.postings(offset) {
                    if let Some(g) = grades.get_mut(id as usize * n + i) {
                        let new = grade(quality, inclusion);
                        meaning |= id >= docs;
                        if best == 0 || new < best {
                            best = new;
                        }
                        if *g == 0 {
                            *g = new;
                            if id < docs {
                                hit_docs.push(id);
                            }
                        } else if new < *g {
                            *g = new;
                        }
                    }
                }
            }
            touched.push(hit_docs);
            least.push(best);
            by_meaning.push(meaning);
            word.terms = terms.into_iter().map(|t| t.0).collect();
        }
        Grades {
            words: n,
            grades,
            touched,
            least,
            by_meaning,
        }
    }

    /// The keys of the best `limit` results with at most `allow_missing`
    /// required words unmatched, best first.
    fn rank(&self, words: &[Word], grades: &Grades, allow_missing: u32, limit: usize) -> Vec<u64> {
        // Words that can be satisfied by a 7th character's meaning.
        let by_meaning: Vec<bool> = words
            .iter()
            .zip(&grades.by_meaning)
            .map(|(w, &m)| w.seventh.is_some() || m)
            .collect();
        // The least penalty the words can bring (each word's best match anywhere).
        let least: u32 = grades
            .least
            .iter()
            .map(|&g| u32::from(g.saturating_sub(1) / 2))
            .sum();
        let mut top = TopK::new(limit);
        // Per word and 7th-character definition: the best grade a meaning of
        // the definition gives the word (0: none), a bound for its codes.
        let docs_n = self.index.docs as usize;
        let ndefs = self.def_start.len();
        let mut def_best = vec![0u8; words.len() * ndefs];
        for (def, &start) in self.def_start.iter().enumerate() {
            let end = self
                .def_start
                .get(def + 1)
                .copied()
                .unwrap_or(self.meanings.len() as u32);
            for m in start..end {
                let ch = self.meanings.get(m as usize).map_or(0, |x| x.ch);
                for (i, w) in words.iter().enumerate() {
                    let g = if w.seventh == Some(ch) {
                        1
                    } else {
                        grades.get(i, docs_n + m as usize)
                    };
                    if let Some(slot) = def_best.get_mut(i * ndefs + def) {
                        if g != 0 && (*slot == 0 || g < *slot) {
                            *slot = g;
                        }
                    }
                }
            }
        }
        // A result (or a code made from it) holds word `i` only if the
        // document does or its definition's meanings do: it misses at most
        // `allow_missing` words, so it is among the candidates of the
        // `allow_missing + 1` words with the fewest.
        let candidates = |i: usize| {
            let own = grades.touched.get(i).map_or(0, Vec::len);
            let by_def: usize = (0..ndefs)
                .filter(|&def| def_best.get(i * ndefs + def).is_some_and(|&g| g != 0))
                .map(|def| self.def_docs.get(def).map_or(0, Vec::len))
                .sum();
            own + by_def
        };
        let mut order: Vec<(usize, usize)> = (0..words.len()).map(|i| (candidates(i), i)).collect();
        order.sort_unstable();
        let drivers = allow_missing as usize + 1;
        // The candidates' lists: each driver's documents and those taking a
        // definition that holds it.
        let def_best_ref = &def_best;
        let lists = || {
            order.iter().take(drivers).flat_map(|&(_, i)| {
                let own = grades.touched.get(i).map(Vec::as_slice).unwrap_or_default();
                let by_def = (0..ndefs)
                    .filter(move |&def| def_best_ref.get(i * ndefs + def).is_some_and(|&g| g != 0))
                    .map(|def| {
                        self.def_docs
                            .get(def)
                            .map(Vec::as_slice)
                            .unwrap_or_default()
                    });
                std::iter::once(own).chain(by_def)
            })
        };
        let total: usize = order.iter().take(drivers).map(|&(n, _)| n).sum();
        let enough = order.len() >= drivers;
        let mut few: Vec<u32> = Vec::new();
        let mut marks: Vec<bool> = Vec::new();
        if enough && total <= FEW_CANDIDATES {
            few.reserve(total);
            for list in lists() {
                few.extend_from_slice(list);
            }
            few.sort_unstable();
            few.dedup();
        } else if enough {
            marks = vec![false; docs_n];
            for list in lists() {
                for &d in list {
                    if let Some(m) = marks.get_mut(d as usize) {
                        *m = true;
                    }
                }
            }
        }
        // Visits document `d`; false once no document with `floor` title
        // words or more can enter the results.
        let mut visit = |d: usize, floor: u8| -> bool {
            if !top.admits(rank_key(0, least, 0, false, floor.into(), 0, 0)) {
                return false;
            }
            let Some(doc) = self.docs.get(d) else {
                return true;
            };
            let def = doc.entry.takes_seventh();
            if def.is_none()
                && !top.admits(rank_key(
                    0,
                    least,
                    0,
                    !doc.entry.billable,
                    doc.words.into(),
                    d as u32,
                    0,
                ))
            {
                return true;
            }
            // The code itself, matched by its title and inclusion terms.
            let (mut missing, mut penalty, mut inclusion, mut hopeless) = (0, 0, 0, false);
            for (i, w) in words.iter().enumerate() {
                match grades.get(i, d) {
                    0 if w.required => {
                        missing += 1;
                        hopeless |= !by_meaning[i];
                    }
                    0 => {}
                    g => {
                        penalty += u32::from((g - 1) / 2);
                        inclusion += u32::from((g - 1) & 1);
                    }
                }
            }
            if missing <= allow_missing {
                top.push(rank_key(
                    missing,
                    penalty,
                    inclusion,
                    !doc.entry.billable,
                    doc.words.into(),
                    d as u32,
                    0,
                ));
            }
            let Some(def) = def else { return true };
            if hopeless && missing > allow_missing {
                return true;
            }
            let shortest = self.def_shortest.get(def as usize).copied().unwrap_or(0);
            // The best its codes can do: each word's better grade from the
            // document or any meaning of the definition.
            let (mut lb_missing, mut lb_penalty) = (0u32, 0u32);
            for (i, w) in words.iter().enumerate() {
                let own = grades.get(i, d);
                let by_def = def_best.get(i * ndefs + def as usize).copied().unwrap_or(0);
                match (own, by_def) {
                    (0, 0) => lb_missing += u32::from(w.required),
                    (0, g) | (g, 0) => lb_penalty += u32::from((g - 1) / 2),
                    (a, b) => lb_penalty += u32::from((a.min(b) - 1) / 2),
                }
            }
            if lb_missing > allow_missing {
                return true;
            }
            let best = rank_key(
                lb_missing,
                lb_penalty,
                0,
                false,
                u32::from(doc.words) + u32::from(shortest),
                d as u32,
                0,
            );
            if top.admits(best) {
                self.expansions_of(d, doc, def, words, grades, allow_missing, &mut |k| {
                    top.push(k)
                });
            }
            true
        };
        if enough && total <= FEW_CANDIDATES {
            for d in few {
                let _ = visit(d as usize, 0);
            }
        } else {
            // Shortest titles first, so the scan stops once no longer
            // title can beat the worst result kept.
            for &d in &self.by_length {
                if enough && !marks.get(d as usize).copied().unwrap_or(false) {
                    continue;
                }
                let doc_words = self.docs.get(d as usize).map_or(0, |x| x.words);
                if !visit(d as usize, doc_words) {
                    break;
                }
            }
        }
        top.into_sorted()
    }

    /// Ranks the codes made from leaf `doc` with each of its 7th characters.
    #[allow(clippy::too_many_arguments)]
    fn expansions_of(
        &self,
        d: usize,
        doc: &Doc,
        def: u16,
        words: &[Word],
        grades: &Grades,
        allow_missing: u32,
        push: &mut impl FnMut(u64),
    ) {
        let docs = self.index.docs as usize;
        let Some(&start) = self.def_start.get(def as usize) else {
            return;
        };
        let end = self
            .def_start
            .get(def as usize + 1)
            .copied()
            .unwrap_or(self.meanings.len() as u32);
        for m in start..end {
            let Some(meaning) = self.meanings.get(m as usize) else {
                break;
            };
            let (mut missing, mut penalty, mut inclusion) = (0, 0, 0);
            for (i, w) in words.iter().enumerate() {
                let g = if w.seventh == Some(meaning.ch) {
                    1
                } else {
                    let own = grades.get(i, d);
                    let from_meaning = grades.get(i, docs + m as usize);
                    match (own, from_meaning) {
                        (0, g) | (g, 0) => g,
                        (a, b) => a.min(b),
                    }
                };
                match g {
                    0 if w.required => missing += 1,
                    0 => {}
                    g => {
                        penalty += u32::from((g - 1) / 2);
                        inclusion += u32::from((g - 1) & 1);
                    }
                }
            }
            if missing <= allow_missing {
                let length = u32::from(doc.words) + u32::from(meaning.words);
                push(rank_key(
                    missing, penalty, inclusion, false, length, d as u32, meaning.ch,
                ));
            }
        }
    }

    /// The words of `display`, as written there, that some query word matched.
    fn matched(&self, words: &[Word], display: &str) -> Vec<String> {
        let map = self.index.words();
        let mut out: Vec<String> = Vec::new();
        for_each_word(display, |w, span| {
            let Some(v) = map.get(w) else { return };
            if words.iter().any(|q| q.terms.binary_search(&v).is_ok()) {
                if let Some(text) = display.get(span) {
                    if !out.iter().any(|x| x == text) {
                        out.push(text.to_owned());
                    }
                }
            }
        });
        out
    }
}
