//! Word search: every query word matches index words it is a prefix of,
//! equal to, an abbreviation of (the table learned from the short titles)
//! or, failing those, one or two edits away from (a transposition is one
//! edit); a word or phrase of the lexicon (`chf`, `heart attack`,
//! `appendectomy`, `lap chole`) also matches what the lexicon reads it as:
//! title words that must all be there, or a code family. All words must
//! match (a word missing is allowed to fill the list, ranked after, and,
//! when nothing has every word, the best partial matches say which words
//! they did not use); results are ranked by the rule in [`rank_key`].

use super::typo::Within;
use super::{Doc, Searcher};
use crate::codeset::CodeSet;
use crate::normalize::normalize;
use fst::{IntoStreamer, Streamer};
use medcode_tables::layout::{expand, Kind};
use medcode_tables::lexicon::Alternative::{self, Family as LexFamily, Words as LexWords};
use medcode_tables::lexicon::Entry;
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

use medcode_tables::words::STOP_WORDS;

/// The most words a lexicon phrase has.
const LONGEST_PHRASE: usize = medcode_tables::lexicon::LONGEST_KEY;

/// Words that join a head word to what it is of or for, in a phrase the
/// lexicon lists head last (`cancer of the breast`: `breast cancer`;
/// `cushion for wheelchair`: `wheelchair cushion`).
const HEAD_JOINS: &[&str] = &["of", "in", "for", "the"];

/// What a word or phrase of the query was read as, from the lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The words as read (`chf`, `heart attack`; a lexicon phrase typed
    /// with a slip as the lexicon writes it: `lumbar puncture`).
    pub from: String,
    /// What they were read as: title words or a code family, alternatives
    /// separated by ` | ` (`congestive heart failure | I50`).
    pub to: String,
}

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
    /// Whether some query word matched only an inclusion term of the code,
    /// not its title, or only a clause of its title naming what the code
    /// lacks or leaves unknown (an index read with clauses: see
    /// [`medcode_tables::words::for_each_title_word`]).
    pub inclusion: bool,
    /// The query's terms this result was found through the lexicon for.
    pub expanded: Vec<Expansion>,
    /// Query words this result does not match (a partial match), as typed.
    pub unmatched: Vec<String>,
}

/// How well an index word matches a query word; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Quality {
    /// A code of the family the lexicon reads the term as.
    Family = 0,
    /// The same word, or the word an abbreviation or the lexicon stands for.
    Whole = 1,
    /// The query word is the start of the index word.
    Prefix = 2,
    /// One edit away (two for words of 8 letters or more).
    Typo = 3,
}

/// One reading of a lexicon term.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reading {
    /// Title words, all required.
    Words(Vec<String>),
    /// The codes whose key starts with this.
    Family(String),
}

/// A set of ids (documents, then meanings) as bits: filled and asked in
/// any order, no sort (a reading can match 40,000 ICD-10-PCS codes).
#[derive(Default)]
struct IdSet {
    bits: Vec<u64>,
}

impl IdSet {
    fn insert(&mut self, id: u32) {
        let (word, bit) = (id as usize / 64, id % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        if let Some(w) = self.bits.get_mut(word) {
            *w |= 1 << bit;
        }
    }

    fn contains(&self, id: u32) -> bool {
        self.bits
            .get(id as usize / 64)
            .is_some_and(|w| w >> (id % 64) & 1 == 1)
    }
}

/// One word (or lexicon phrase) of the query and what it matched.
struct Word {
    /// The word, as the tokenizer reads it; a phrase's words joined by spaces.
    text: String,
    /// A phrase's own words (stop words left out); empty for one word.
    parts: Vec<String>,
    /// What the lexicon reads it as (empty when it is not a term).
    readings: Vec<Reading>,
    /// The readings as shown to the user (`congestive heart failure | I50`).
    reading_text: String,
    /// `7thX`: the code's 7th character is X (the short titles' notation).
    seventh: Option<u8>,
    /// Not a stop word (or the query is only stop words).
    required: bool,
    /// Offsets of the matched index words' lists (their ids), sorted.
    terms: Vec<u64>,
    /// Documents (ids) matched through a reading better than through the
    /// words as typed.
    by_reading: IdSet,
    /// Matched only whole, not as the start of longer words.
    whole_only: bool,
    /// Typed after `without` (or `w/o`) and before any `with`, or right
    /// after `unspecified`: found in a title's clause of what the code
    /// lacks or leaves unknown it is no inclusion match (see
    /// [`medcode_tables::words::for_each_title_word`]).
    negated: bool,
}

impl Word {
    fn plain(text: &str) -> Word {
        Word {
            text: text.to_owned(),
            parts: Vec::new(),
            readings: Vec::new(),
            reading_text: String::new(),
            seventh: seventh_of(text),
            required: !STOP_WORDS.contains(&text),
            negated: false,
            terms: Vec::new(),
            by_reading: IdSet::default(),
            whole_only: false,
        }
    }
}

/// Where `word` can split into a stem and suffix `form`: exactly (no slips)
/// or with one edit in the suffix (`ecomy` for `ectomy`). The stem keeps
/// at least two letters.
fn splits(word: &str, form: &str, slips: u8) -> Vec<usize> {
    let n = word.len();
    let exact = word
        .strip_suffix(form)
        .map(|stem| vec![stem.len()])
        .unwrap_or_default();
    if slips == 0 {
        return exact;
    }
    let f = form.len();
    (f.saturating_sub(1)..=f + 1)
        .filter_map(|tail| n.checked_sub(tail))
        .filter(|&at| at >= 2 && word.is_char_boundary(at))
        .filter(|&at| super::typo::distance(&word.as_bytes()[at..], form.as_bytes()) == 1)
        .chain(exact)
        .collect()
}

/// `due` (of `due to`), the word that links a condition to its cause.
fn is_cause_link(w: &Word) -> bool {
    w.required && w.text == "due"
}

/// A lexicon alternative as a reading.
fn reading(a: Alternative<'_>) -> Reading {
    match a {
        LexWords(w) => Reading::Words(w.split(' ').map(str::to_owned).collect()),
        LexFamily(f) => Reading::Family(f.to_owned()),
    }
}

/// Readings as shown: `congestive heart failure | I50`, a family with its
/// dot in a dotted system (`E11.2`).
fn shown(readings: &[Reading], dotted: bool) -> String {
    readings
        .iter()
        .map(|r| match r {
            Reading::Words(w) => w.join(" "),
            Reading::Family(f) if dotted && f.len() > 3 => format!("{}.{}", &f[..3], &f[3..]),
            Reading::Family(f) => f.clone(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The index words that start with `text` and are longer than it.
fn longer_words<'m>(map: &'m fst::Map<&[u8]>, text: &str) -> fst::map::Stream<'m> {
    let mut upper = text.as_bytes().to_vec();
    upper.push(0xff);
    map.range().gt(text).lt(upper).into_stream()
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
/// 2. codes valid in the newest release before codes ended since;
/// 3. better matches: a code of a lexicon family before a whole word or
///    abbreviation, that before a prefix, a prefix before a typo (summed over
///    the query words);
/// 4. more specific: words found in the title before words found only in an
///    inclusion term;
/// 5. codes of any record before codes kept for one population's (ICD-10-CM
///    chapters O and P: [`crate::profile::Profile::population_chapters`]),
///    among codes that match every word (where a word is missing, it may be
///    the population's: `newborn skin infection` and P39.4 "Neonatal skin
///    infection");
/// 6. billable codes before headers;
/// 7. fewer title words beyond the generic ones (the general code first);
/// 8. found through an earlier reading of a lexicon term (readings are
///    listed best first: `colectomy` → resection before excision);
/// 9. code order (so the order is stable).
///
/// Where every word matched through a lexicon family (a penalty of 0), 8
/// comes before 7, and 8 tells a family of one code (the term's default:
/// `pe` → I26.99, the tabular's "Pulmonary embolism NOS") from broader ones
/// (the rest of I26), which rank among themselves by 7.
///
/// The exact code, when the query is one, comes before all of these.
#[allow(clippy::too_many_arguments)]
fn rank_key(
    missing: u32,
    ended: bool,
    penalty: u32,
    inclusion: u32,
    population: bool,
    header: bool,
    words: u32,
    reading: u32,
    doc: u32,
    ch: u8,
) -> u64 {
    u64::from(missing.min(3)) << MISSING_AT
        | u64::from(ended) << 52
        | u64::from(penalty.min(63)) << 46
        | u64::from(inclusion.min(7)) << INCLUSION_AT
        | u64::from(population && missing == 0) << 42
        | u64::from(header) << 41
        | if penalty == 0 {
            u64::from(reading.min(255)) << 33 | u64::from(words.min(31)) << 28
        } else {
            u64::from(words.min(255)) << 33 | u64::from(reading.min(31)) << 28
        }
        | u64::from(doc & 0xF_FFFF) << 8
        | u64::from(ch)
}

/// Where [`rank_key`] puts the missing words' count (2 bits).
const MISSING_AT: u32 = 53;
/// Where [`rank_key`] puts the inclusion-term matches' count (3 bits).
const INCLUSION_AT: u32 = 43;

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
/// none, else [`read_grade`] (at most 64). Stored id by id, so the
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
    /// The common words' grade tables, kept for the query's other readings.
    tables: WordTables,
}

/// The words that several readings of a query term share, and for each
/// common one (postings at least [`TABLE_AT`]) once used, its best grade by
/// id: so the readings (`… via natural or artificial opening endoscopic`,
/// four readings of `colonoscopy`) walk its long lists once. A word used
/// once is walked beside the candidates (a table costs more then).
type WordTables = Vec<(String, Option<Vec<u8>>)>;

/// A query word's postings in all, the index words it matches (list
/// offset, quality) and the word.
type WordMatches<'w> = (usize, Vec<(u64, Quality)>, &'w str);

/// Sorts index terms by offset, then quality, and keeps the best quality of
/// each offset, through the runtime's one sort (`offset << 2 | quality`;
/// offsets are byte offsets into the index, far below 2^62).
fn sort_terms(terms: &mut Vec<(u64, Quality)>) {
    let mut keys: Vec<u64> = terms.iter().map(|&(o, q)| o << 2 | q as u64).collect();
    crate::sort::keys(&mut keys);
    keys.dedup_by_key(|k| *k >> 2);
    terms.clear();
    terms.extend(keys.into_iter().map(|k| {
        let quality = match k & 3 {
            0 => Quality::Family,
            1 => Quality::Whole,
            2 => Quality::Prefix,
            _ => Quality::Typo,
        };
        (k >> 2, quality)
    }));
}

/// Postings from which a word's grades are kept in a table.
const TABLE_AT: usize = 2048;

impl Grades {
    fn get(&self, word: usize, id: usize) -> u8 {
        self.grades
            .get(id * self.words + word)
            .copied()
            .unwrap_or(0)
    }
}

fn grade(quality: Quality, inclusion: bool) -> u8 {
    read_grade(quality, inclusion, 0)
}

/// The grade of a match through the lexicon's `reading`-th reading of a
/// term (0 the best, and matches of the word as typed):
/// `1 + 16 × quality + 2 × reading + inclusion_only`, so a smaller grade
/// is a better quality, then an earlier reading.
fn read_grade(quality: Quality, inclusion: bool, reading: usize) -> u8 {
    let reading = reading.min(MAX_READING) as u8;
    1 + 16 * quality as u8 + 2 * reading + u8::from(inclusion)
}

/// What a grade adds to the ranking's match penalty (its quality).
fn penalty_of(grade: u8) -> u32 {
    u32::from(grade.saturating_sub(1) / 16)
}

/// Which reading of a lexicon term a grade came through.
fn reading_of(grade: u8) -> u32 {
    u32::from(grade.saturating_sub(1) % 16 / 2)
}

/// Whether a grade was earned in an inclusion term only.
fn inclusion_of(grade: u8) -> u32 {
    u32::from(grade.saturating_sub(1) & 1)
}

/// `grade` (of a match found through the words of a reading) as found
/// through the `reading`-th reading: see [`read_grade`].
fn as_reading(grade: u8, reading: usize) -> u8 {
    grade + 2 * reading.min(MAX_READING) as u8
}

/// Readings after the eighth rank as the eighth.
const MAX_READING: usize = 7;

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
            if let Some(entry) = self.entry_or_added(key.as_str()) {
                out.push(self.hit(key.as_str(), &entry, Vec::new(), false));
            }
        }
        let mut words = s.words(text);
        if words.is_empty() {
            return out;
        }
        let mut grades = s.grades(&mut words, false);
        s.prefer_default(text, &words, &mut grades);
        let mut keys = s.rank(&words, &grades, 0, limit + out.len());
        if keys.is_empty() && words.iter().any(is_cause_link) {
            // "X due to Y" that no title writes whole: two conditions, each
            // coded on its own (`sepsis due to uti`: A41.9 and N39.0). The
            // link word would rank titles that write some other cause
            // (A41.2 "Sepsis due to unspecified staphylococcus") first.
            words = s.words(text);
            words.retain(|w| !is_cause_link(w));
            grades = s.grades(&mut words, false);
            keys = s.rank(&words, &grades, 0, limit + out.len());
        }
        let required = words.iter().filter(|w| w.required).count();
        if keys.len() < limit && required >= 3 {
            keys = s.rank(&words, &grades, 1, limit + out.len());
        }
        if keys.is_empty() {
            // Nothing with every word: allow typos in every long word.
            s.add_typos(&mut words, &mut grades);
            keys = s.rank(&words, &grades, 0, limit + out.len());
        }
        if keys.is_empty() && required >= 2 {
            // Still nothing: the best partial matches, by how many words
            // they match (each result says which words it does not use).
            keys = s.rank(&words, &grades, required as u32 - 1, limit + out.len());
        }
        for k in keys {
            if out.len() >= limit {
                break;
            }
            let doc = ((k >> 8) & 0xF_FFFF) as usize;
            let ch = (k & 0xff) as u8;
            let inclusion = (k >> INCLUSION_AT) & 7 > 0;
            let missing = (k >> MISSING_AT) & 3 > 0;
            let Some(d) = s.docs.get(doc) else { continue };
            let key = if ch == 0 {
                d.key().to_owned()
            } else {
                expand(d.key(), ch)
            };
            if out.first().is_some_and(|h| h.key == key) {
                continue;
            }
            let entry = match self.entry(key.as_bytes()) {
                Some(entry) => entry,
                // A code newer than the tabular (its display and status
                // come from the addenda and the history).
                None if d.added => crate::codeset::ADDED_ENTRY,
                None => continue,
            };
            let mut hit = self.hit(&key, &entry, Vec::new(), inclusion);
            hit.matched = s.matched(&words, &hit.display);
            for (i, w) in words.iter().enumerate() {
                let own = grades.get(i, doc);
                if own != 0 && w.by_reading.contains(doc as u32) {
                    hit.expanded.push(Expansion {
                        from: w.text.clone(),
                        to: w.reading_text.clone(),
                    });
                }
                if missing
                    && own == 0
                    && w.seventh != Some(ch)
                    && !(ch != 0 && grades.by_meaning[i])
                {
                    hit.unmatched.push(w.text.clone());
                }
            }
            out.push(hit);
        }
        out
    }
}

impl Searcher {
    /// The query's distinct words and lexicon phrases (at most
    /// [`MAX_QUERY_WORDS`] required), nothing matched yet. The longest
    /// phrase of the lexicon starting at a word wins (`heart attack` before
    /// `heart`); a word the lexicon lacks may still read as an ICD-10-PCS
    /// root and suffix (`cholecystectomy`).
    fn words(&self, text: &str) -> Vec<Word> {
        let mut tokens: Vec<String> = Vec::new();
        for_each_word(text, |w, _| {
            if tokens.len() < 4 * MAX_QUERY_WORDS {
                tokens.push(w.to_owned());
            }
        });
        let mut words: Vec<Word> = Vec::new();
        let mut i = 0;
        let mut negating = false;
        let mut after_unspecified = false;
        while i < tokens.len() {
            let (mut word, used) = self.read_at(&tokens[i..]);
            i += used.max(1);
            match word.text.as_str() {
                "without" | "wo" => negating = true,
                "with" | "w" => negating = false,
                // `unspecified stage` typed: the title's clause is what was asked.
                _ => word.negated = negating || after_unspecified,
            }
            after_unspecified = word.text == "unspecified";
            let counted = words.iter().filter(|x| x.required).count();
            if counted < MAX_QUERY_WORDS && !words.iter().any(|x| x.text == word.text) {
                words.push(word);
            }
        }
        if words.iter().all(|w| !w.required) {
            for w in &mut words {
                w.required = true;
            }
        }
        words.retain(|w| w.required);
        // A query of single letters (`t&a`, `d c`) is taken whole: one
        // letter starts a twentieth of all words (`t&a` ranked "Thoracolumbar
        // … Anterior" first, after 2 ms). Beside a longer word a letter still
        // starts words (`fx r femur`: the short titles' `r`, `l`).
        if words.iter().all(|w| w.text.len() <= 1) {
            for w in &mut words {
                w.whole_only = true;
            }
        }
        words
    }

    /// The word or lexicon phrase at the start of `tokens`, and how many
    /// tokens it takes.
    fn read_at(&self, tokens: &[String]) -> (Word, usize) {
        let lex = &self.lexicon;
        if !lex.is_empty() && seventh_of(&tokens[0]).is_none() {
            let mut key = String::new();
            let mut best = None;
            for (n, t) in tokens.iter().take(LONGEST_PHRASE).enumerate() {
                if n > 0 {
                    key.push(' ');
                }
                key.push_str(t);
                if let Some(e) = lex.get(&key) {
                    if !matches!(e.kind, "suffix" | "root") {
                        best = Some((n + 1, key.clone(), e));
                    }
                }
                if !lex.has_longer(&key) {
                    break;
                }
            }
            // A phrase written head first (`cancer of breast`) when it
            // takes more of the query than the phrase read as typed.
            let best = match (best, self.head_first_phrase(tokens)) {
                (Some(b), Some(h)) if h.0 > b.0 => Some(h),
                (b, h) => b.or(h),
            };
            // The longest phrase of the lexicon, else one with one slip
            // (`lumbar puncutre`).
            if let Some((used, key, entry)) = best.or_else(|| self.near_phrase(tokens)) {
                return (self.term_word(&key, &tokens[..used], entry), used);
            }
            // A split that finds codes, then a listed term's near miss
            // (`colonscopy` splits as colon + scopy, which no title holds:
            // it is `colonoscopy` mistyped), then a split with a slip.
            let split = self.morphology(&tokens[0], 0);
            let readings = match split {
                Some(r) if self.finds_any(&r) => Some(r),
                split => self
                    .near_term(&tokens[0])
                    .or(split)
                    .or_else(|| self.morphology(&tokens[0], 1)),
            };
            if let Some(readings) = readings {
                let mut word = Word::plain(&tokens[0]);
                word.reading_text = shown(&readings, self.dotted);
                word.readings = readings;
                return (word, 1);
            }
        }
        if let Some(readings) = self.joined(&tokens[0]) {
            let mut word = Word::plain(&tokens[0]);
            word.reading_text = shown(&readings, self.dotted);
            word.readings = readings;
            return (word, 1);
        }
        (Word::plain(&tokens[0]), 1)
    }

    /// A word typed joined that the titles write as two (`preeclampsia`:
    /// "pre-eclampsia"; `nonpressure`: "non-pressure"), read as the first
    /// split into two index words of three letters or more that some code
    /// holds both of; only a word that is no index word, starts none and
    /// is no abbreviation.
    fn joined(&self, word: &str) -> Option<Vec<Reading>> {
        const PART: usize = 3;
        if !(2 * PART..=MAX_WORD).contains(&word.len()) || !word.is_ascii() {
            return None;
        }
        let map = self.index.words();
        if map.get(word).is_some()
            || longer_words(map, word).next().is_some()
            || self.expansions(word).is_some()
        {
            return None;
        }
        (PART..=word.len() - PART).find_map(|at| {
            let (a, b) = word.split_at(at);
            if map.get(a).is_none() || map.get(b).is_none() {
                return None;
            }
            let readings = vec![Reading::Words(vec![a.to_owned(), b.to_owned()])];
            self.finds_any(&readings).then_some(readings)
        })
    }

    /// The query word for the lexicon term `key`, typed as `tokens`: read
    /// as the term's readings; a phrase also matches its own words.
    fn term_word(&self, key: &str, tokens: &[String], entry: Entry<'_>) -> Word {
        let mut word = Word::plain(key);
        if tokens.len() > 1 {
            word.parts = tokens
                .iter()
                .filter(|t| !STOP_WORDS.contains(&t.as_str()))
                .cloned()
                .collect();
            word.required = true;
        }
        word.readings = entry.alternatives().map(reading).collect();
        word.reading_text = shown(&word.readings, self.dotted);
        word
    }

    /// Where the query's words are a tabular `NOS` inclusion term's
    /// (`aspiration pneumonia`: J69.0 includes "Aspiration pneumonia NOS";
    /// `dementia`: F03.90), grades that code in every word as a lexicon
    /// family of one code, so it ranks first: the classification's default
    /// for those words. Only a code that holds every query word already, and
    /// not where the whole query is one lexicon term read as code families
    /// (a curated row names its codes: `kidney infection` → N12).
    fn prefer_default(&self, text: &str, words: &[Word], grades: &mut Grades) {
        let curated =
            matches!(words, [w] if w.readings.iter().any(|r| matches!(r, Reading::Family(_))));
        if !cfg!(feature = "icd10cm") || self.defaults.is_empty() || curated {
            return;
        }
        let Some((count, hash)) = medcode_tables::lexicon::default_key(text) else {
            return;
        };
        let holds_all = |doc: usize| {
            words
                .iter()
                .enumerate()
                .all(|(i, w)| !w.required || grades.get(i, doc) != 0)
        };
        // The named documents that hold every query word (the hash byte
        // alone would let other terms' documents through).
        let named: Vec<(u32, bool)> = self
            .defaults
            .iter()
            .filter(|d| (d.words, d.hash) == (count, hash) && holds_all(d.doc as usize))
            .filter_map(|d| {
                let doc = self.docs.get(d.doc as usize)?;
                let header = !doc.entry.billable && doc.entry.takes_seventh().is_none();
                Some((d.doc, header))
            })
            .collect();
        // A header's term names its codes (S93.40 "Sprain of ankle NOS":
        // the codes under S93.40, which then rank among themselves), unless
        // a code is named too (C88.9 and C88.90 both hold "Immunoproliferative
        // disease NOS": C88.90).
        let codes_named = named.iter().any(|&(_, header)| !header);
        let mut boosted: Vec<usize> = Vec::new();
        for &(d, header) in &named {
            match self.docs.get(d as usize) {
                Some(doc) if header && !codes_named => boosted.extend(
                    self.family(doc.key())
                        .map(|c| c as usize)
                        .filter(|&c| holds_all(c)),
                ),
                _ if header => {}
                _ => boosted.push(d as usize),
            }
        }
        let best = grade(Quality::Family, false);
        for doc in boosted {
            for i in 0..words.len() {
                if grades.get(i, doc) == 0 {
                    continue;
                }
                if let Some(g) = grades.grades.get_mut(doc * grades.words + i) {
                    *g = best;
                }
                if let Some(least) = grades.least.get_mut(i) {
                    *least = best;
                }
            }
        }
    }

    /// The lexicon phrase that `tokens` write head first, joined by `of`,
    /// `in`, `for` or `the`, with the number of tokens it takes: `cancer of breast`
    /// and `cancer of the breast` read as `breast cancer`, `infection of
    /// urinary tract` as `urinary tract infection` (the longest such phrase).
    fn head_first_phrase(&self, tokens: &[String]) -> Option<(usize, String, Entry<'_>)> {
        let head = tokens.first()?;
        let joins = tokens[1..]
            .iter()
            .take(2)
            .take_while(|t| HEAD_JOINS.contains(&t.as_str()))
            .count();
        if joins == 0 {
            return None;
        }
        let rest = &tokens[1 + joins..];
        let mut key = String::new();
        for n in (1..=rest.len().min(LONGEST_PHRASE - 1)).rev() {
            key.clear();
            for t in &rest[..n] {
                key.push_str(t);
                key.push(' ');
            }
            key.push_str(head);
            match self.lexicon.get(&key) {
                Some(e) if !matches!(e.kind, "suffix" | "root") => {
                    return Some((1 + joins + n, key, e));
                }
                _ => {}
            }
        }
        None
    }

    /// The lexicon phrase (two words or more) one edit from the first
    /// tokens, longest first, with the number of tokens it takes: a slip in
    /// a phrase the titles do not use (`lumbar puncutre`). Only phrases of
    /// 8 letters or more; the phrase must keep the first letter.
    fn near_phrase(&self, tokens: &[String]) -> Option<(usize, String, Entry<'_>)> {
        let keys = self.lexicon.keys()?;
        let most = tokens.len().min(LONGEST_PHRASE);
        for n in (2..=most).rev() {
            let typed = tokens[..n].join(" ");
            if typed.len() < 8 {
                continue;
            }
            let Some(within) = Within::anchored(&typed, 1) else {
                continue;
            };
            let mut stream = keys.search(within).into_stream();
            while let Some((k, _)) = stream.next() {
                let Ok(key) = std::str::from_utf8(k) else {
                    continue;
                };
                // The same number of words: a slip inside a word.
                if key.split(' ').count() != n {
                    continue;
                }
                match self.lexicon.get(key) {
                    Some(e) if !matches!(e.kind, "suffix" | "root") => {
                        return Some((n, key.to_owned(), e));
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// Whether some reading finds a code: its words together in a title,
    /// or a family with codes.
    fn finds_any(&self, readings: &[Reading]) -> bool {
        readings.iter().any(|r| match r {
            Reading::Words(ws) => !self
                .all_of(ws, &mut Vec::new(), &mut WordTables::new())
                .is_empty(),
            Reading::Family(f) => !self.family(f).is_empty(),
        })
    }

    /// The readings of the lexicon's one-word term nearest a mistyped word
    /// (`appendectomey` → `appendectomy`) that the titles do not hold: one
    /// edit for words under 8 letters, two from 8.
    fn near_term(&self, word: &str) -> Option<Vec<Reading>> {
        let letters = word.len();
        if !(5..=MAX_WORD).contains(&letters) || self.index.words().get(word).is_some() {
            return None;
        }
        let distance = if letters >= 8 { 2 } else { 1 };
        let keys = self.lexicon.keys()?;
        let mut stream = keys.search(Within::new(word, distance)?).into_stream();
        let mut best: Option<(usize, String)> = None;
        while let Some((k, _)) = stream.next() {
            let Ok(key) = std::str::from_utf8(k) else {
                continue;
            };
            if key.contains([' ', '-']) {
                continue;
            }
            let d = super::typo::distance(key.as_bytes(), word.as_bytes());
            if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, key.to_owned()));
            }
        }
        let (_, key) = best?;
        if let Some(e) = self.lexicon.get(&key) {
            return Some(e.alternatives().map(reading).collect());
        }
        None
    }

    /// An ICD-10-PCS procedure word read as root + suffix (`append` +
    /// `ectomy` → `appendix resection`, `appendix excision`), with or without
    /// a linking vowel (`colon-o-scopy`), and with one slip in the suffix or
    /// the root (`tonsilectomy`, `cholecystecomy`).
    /// `slips`: 0 for an exact suffix and root, 1 for one edit in either.
    fn morphology(&self, word: &str, slips: u8) -> Option<Vec<Reading>> {
        // Only ICD-10-PCS's lexicon has word parts (`build/lexicon.rs`):
        // other modules leave this reading out.
        if !cfg!(feature = "icd10pcs") || self.suffixes.is_empty() || !word.is_ascii() {
            return None;
        }
        for (form, suffix) in &self.suffixes {
            for at in splits(word, form, slips) {
                let stem = &word[..at];
                // One slip in all: an exact suffix lets the root be one off.
                let fuzzy_root = slips == 1 && word.ends_with(form.as_str());
                if let Some(out) = self.read_root(stem, suffix, fuzzy_root) {
                    return Some(out);
                }
            }
        }
        None
    }

    /// `stem` as a root (exactly, or one edit off when `fuzzy`), joined with
    /// each reading of the suffix.
    fn read_root(&self, stem: &str, suffix: &[String], fuzzy: bool) -> Option<Vec<Reading>> {
        let stems = [Some(stem), stem.strip_suffix('o'), stem.strip_suffix('i')];
        for stem in stems.into_iter().flatten().filter(|s| s.len() >= 2) {
            let key = format!("{stem}-");
            let root = self.lexicon.get(&key).or_else(|| {
                if !fuzzy || stem.len() < 4 {
                    return None;
                }
                let keys = self.lexicon.keys()?;
                let mut s = keys.search(Within::new(&key, 1)?).into_stream();
                while let Some((k, _)) = s.next() {
                    if k.ends_with(b"-") {
                        return self.lexicon.get(std::str::from_utf8(k).ok()?);
                    }
                }
                None
            });
            let Some(root) = root else { continue };
            let mut out = Vec::new();
            for r in root.alternatives() {
                let LexWords(r) = r else { continue };
                for s in suffix {
                    let mut w: Vec<String> = r.split(' ').map(str::to_owned).collect();
                    w.extend(s.split(' ').map(str::to_owned));
                    out.push(Reading::Words(w));
                }
            }
            if !out.is_empty() {
                return Some(out);
            }
        }
        None
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
        if !word.whole_only {
            let mut stream = longer_words(map, text);
            while let Some((_, v)) = stream.next() {
                found.push((v, Quality::Prefix));
            }
        }
        let letters = text.len();
        if (found.is_empty() || typos) && (4..=MAX_WORD).contains(&letters) {
            // One edit anywhere; for words of 8 letters or more, two edits
            // after a first letter kept (or swapped with the second).
            let mut walk = |automaton: Option<Within<'_>>| {
                if let Some(a) = automaton {
                    let mut stream = map.search(a).into_stream();
                    while let Some((_, v)) = stream.next() {
                        found.push((v, Quality::Typo));
                    }
                }
            };
            walk(Within::new(text, 1));
            if letters >= 8 {
                walk(Within::anchored(text, 2));
            }
        }
        found
    }

    /// `(id, grade)` of every id the matched index words list, sorted by
    /// id, the best grade per id.
    fn sparse(&self, terms: &[(u64, Quality)]) -> Vec<(u32, u8)> {
        let graded = |&(offset, quality): &(u64, Quality)| {
            self.lists
                .get(offset)
                .map(move |(id, inclusion)| (id, grade(quality, inclusion)))
        };
        let total: usize = terms
            .iter()
            .map(|&(offset, _)| self.lists.get(offset).remaining())
            .sum();
        let ids = (self.index.docs + self.index.meanings) as usize;
        match terms {
            // One list is in id order already.
            [one] => graded(one).collect(),
            // Many postings (a common word and its longer forms): the best
            // grade per id in a table, read out in id order, instead of
            // sorting them (`drainage` alone is 17,000 ICD-10-PCS codes).
            _ if total > ids / 16 => self
                .sparse_table(terms, ids)
                .iter()
                .enumerate()
                .filter(|&(_, &g)| g != 0)
                .map(|(id, &g)| (id as u32, g))
                .collect(),
            _ => {
                // Id and grade packed (`id << 8 | grade`): the order of
                // the pairs, sorted by the runtime's one sort.
                let mut keys: Vec<u64> = Vec::with_capacity(total);
                for t in terms {
                    keys.extend(graded(t).map(|(id, g)| u64::from(id) << 8 | u64::from(g)));
                }
                crate::sort::keys(&mut keys);
                keys.dedup_by_key(|k| *k >> 8);
                keys.into_iter()
                    .map(|k| ((k >> 8) as u32, k as u8))
                    .collect()
            }
        }
    }

    /// The ids holding every one of `words` (each matched whole, else as a
    /// start), graded by the worst of them; their index words go to `terms`.
    ///
    /// The word with the fewest postings gives the candidates; every other
    /// word's lists are walked beside them (lists are in id order), so a
    /// common word (`approach`, 70,000 ICD-10-PCS codes) costs one read of
    /// its list and nothing more; a word of [`TABLE_AT`] postings or more is
    /// read once per query into `tables` and looked up after that.
    fn all_of(
        &self,
        words: &[String],
        terms: &mut Vec<u64>,
        tables: &mut WordTables,
    ) -> Vec<(u32, u8)> {
        // Per word: its postings in all, the index words it matches, the word.
        let mut found: Vec<WordMatches<'_>> = Vec::with_capacity(words.len());
        for w in words.iter().filter(|w| !STOP_WORDS.contains(&w.as_str())) {
            // Whole, through an abbreviation, or as a start (`vein` → `veins`);
            // a single letter (`t and a`, `type 2`) only whole: as a start it
            // reads a twentieth of all words.
            let mut word = Word::plain(w);
            word.whole_only = w.len() <= 1;
            let f = self.matches(&word, false);
            terms.extend(f.iter().map(|t| t.0));
            let total = f
                .iter()
                .map(|&(offset, _)| self.lists.get(offset).remaining())
                .sum();
            found.push((total, f, w.as_str()));
        }
        // Fewest postings first: the candidates only shrink.
        crate::sort::by_key_stable(&mut found, |(total, _, _)| crate::sort::saturate(*total));
        let mut found = found.into_iter();
        let Some((_, first, _)) = found.next() else {
            return Vec::new();
        };
        let mut acc = self.sparse(&first);
        let mut best = Vec::new();
        for (total, word_terms, w) in found {
            if acc.is_empty() {
                break;
            }
            // The best grade this word gives each candidate (0: none).
            best.clear();
            best.resize(acc.len(), 0u8);
            let ids = (self.index.docs + self.index.meanings) as usize;
            let shared = tables.iter_mut().find(|(t, _)| t == w).map(|(_, t)| t);
            if let Some(table) = shared.filter(|_| total >= TABLE_AT) {
                // A common word other readings use too: its grades by id,
                // read once for the query, then looked up.
                let table = table.get_or_insert_with(|| self.sparse_table(&word_terms, ids));
                for (b, &(id, _)) in best.iter_mut().zip(&acc) {
                    *b = table.get(id as usize).copied().unwrap_or(0);
                }
            } else if acc.len().saturating_mul(word_terms.len()) > ids {
                // Many candidates and many lists (a word read as the start of
                // many words): the best grade by id in a table, then looked up.
                let table = self.sparse_table(&word_terms, ids);
                for (b, &(id, _)) in best.iter_mut().zip(&acc) {
                    *b = table.get(id as usize).copied().unwrap_or(0);
                }
            } else {
                self.grade_candidates(&word_terms, &acc, &mut best);
            }
            acc = acc
                .iter()
                .zip(&best)
                .filter(|&(_, &b)| b != 0)
                .map(|(&(id, g), &b)| (id, g.max(b)))
                .collect();
        }
        acc
    }

    /// The best grade `terms` give each of the candidates `acc` (in id
    /// order), into `best`: each list walked beside the candidates.
    fn grade_candidates(&self, terms: &[(u64, Quality)], acc: &[(u32, u8)], best: &mut [u8]) {
        {
            for &(offset, quality) in terms {
                let mut j = 0;
                for (id, inclusion) in self.lists.get(offset) {
                    while acc.get(j).is_some_and(|x| x.0 < id) {
                        j += 1;
                    }
                    match acc.get(j) {
                        Some(&(other, _)) if other == id => {
                            let g = grade(quality, inclusion);
                            if let Some(b) = best.get_mut(j) {
                                if *b == 0 || g < *b {
                                    *b = g;
                                }
                            }
                        }
                        Some(_) => {}
                        None => break,
                    }
                }
            }
        }
    }

    /// The best grade `terms` give each id (0: none), by id.
    fn sparse_table(&self, terms: &[(u64, Quality)], ids: usize) -> Vec<u8> {
        let mut best = vec![0u8; ids];
        for &(offset, quality) in terms {
            for (id, inclusion) in self.lists.get(offset) {
                let g = grade(quality, inclusion);
                if let Some(b) = best.get_mut(id as usize) {
                    if *b == 0 || g < *b {
                        *b = g;
                    }
                }
            }
        }
        best
    }

    /// The documents whose key starts with `family`.
    fn family(&self, family: &str) -> std::ops::Range<u32> {
        let start = self.docs.partition_point(|d| d.key() < family);
        let end = start
            + self.docs[start..]
                .iter()
                .take_while(|d| d.key().starts_with(family))
                .count();
        start as u32..end as u32
    }

    /// Fills each word's matched index words and the grades of every id.
    fn grades(&self, words: &mut [Word], typos: bool) -> Grades {
        let ids = (self.index.docs + self.index.meanings) as usize;
        let n = words.len();
        let mut g = Grades {
            words: n,
            grades: vec![0u8; ids * n],
            touched: vec![Vec::new(); n],
            least: vec![0; n],
            by_meaning: vec![false; n],
            tables: WordTables::new(),
        };
        for (i, word) in words.iter_mut().enumerate() {
            self.grade_word(i, word, typos, &mut g);
        }
        g
    }

    /// Adds the matches with typos to the grades of the first pass: only
    /// the plain words of 4 letters or more can gain any (a term of the
    /// lexicon, a reading or a word part matches as it did).
    fn add_typos(&self, words: &mut [Word], g: &mut Grades) {
        for (i, word) in words.iter_mut().enumerate() {
            if word.parts.is_empty()
                && word.readings.is_empty()
                && (4..=MAX_WORD).contains(&word.text.len())
            {
                self.grade_word(i, word, true, g);
            }
        }
    }

    /// Grades every id word `i` matches into `g` (keeping a better grade it
    /// already holds), and records the word's matched index words.
    fn grade_word(&self, i: usize, word: &mut Word, typos: bool, g: &mut Grades) {
        let docs = self.index.docs;
        let n = g.words;
        let mut tables = std::mem::take(&mut g.tables);
        let Grades {
            grades,
            touched,
            least,
            by_meaning,
            ..
        } = g;
        let (Some(hit_docs), Some(best), Some(meaning)) =
            (touched.get_mut(i), least.get_mut(i), by_meaning.get_mut(i))
        else {
            return;
        };
        let mut by_reading = std::mem::take(&mut word.by_reading);
        // Grades `id` for this word; `reading`: through the lexicon.
        let mut put = |id: u32, new: u8, reading: bool| {
            if let Some(g) = grades.get_mut(id as usize * n + i) {
                *meaning |= id >= docs;
                if *best == 0 || new < *best {
                    *best = new;
                }
                if *g == 0 || new < *g {
                    if *g == 0 && id < docs {
                        hit_docs.push(id);
                    }
                    *g = new;
                    if reading {
                        by_reading.insert(id);
                    }
                }
            }
        };
        let mut offsets: Vec<u64> = std::mem::take(&mut word.terms);
        if !word.parts.is_empty() {
            for (id, g) in self.all_of(&word.parts, &mut offsets, &mut tables) {
                put(id, g, false);
            }
        } else {
            // A lexicon term is taken as typed only as a whole word:
            // `mi` is not the start of every word in `mi`.
            let mut terms = if word.readings.is_empty() {
                self.matches(word, typos)
            } else {
                let map = self.index.words();
                map.get(word.text.as_str())
                    .map(|v| vec![(v, Quality::Whole)])
                    .unwrap_or_default()
            };
            sort_terms(&mut terms);
            for &(offset, quality) in &terms {
                for (id, inclusion) in self.lists.get(offset) {
                    put(id, grade(quality, inclusion), false);
                }
            }
            offsets.extend(terms.iter().map(|t| t.0));
        }
        // Words several readings hold get a table in `all_of`.
        let reading_words = word.readings.iter().filter_map(|r| match r {
            Reading::Words(ws) => Some(ws),
            Reading::Family(_) => None,
        });
        for (k, ws) in reading_words.clone().enumerate() {
            for w in ws {
                let again = reading_words
                    .clone()
                    .skip(k + 1)
                    .any(|other| other.contains(w));
                if again && !tables.iter().any(|(t, _)| t == w) {
                    tables.push((w.clone(), None));
                }
            }
        }
        // Readings are listed best first: after title words (`cabg` →
        // `bypass coronary artery | 021`), a family ranks as the concept
        // only where it holds those words, elsewhere as a plain word match.
        let mut read_before: Option<IdSet> = None;
        for (n, r) in word.readings.iter().enumerate() {
            // Later readings rank after earlier ones of the same quality
            // (`colectomy` → resection before excision of the colon).
            match r {
                Reading::Words(ws) => {
                    let ids = read_before.get_or_insert_with(IdSet::default);
                    for (id, g) in self.all_of(ws, &mut offsets, &mut tables) {
                        put(id, as_reading(g, n), true);
                        ids.insert(id);
                    }
                }
                Reading::Family(f) => {
                    let ids = self.family(f);
                    // A family of one code names the term's default (`pe`
                    // → I26.99, the tabular's "Pulmonary embolism NOS"): it
                    // ranks before the codes of broader families.
                    let broader = usize::from(ids.len() != 1);
                    for id in ids {
                        let concept = read_before.as_ref().is_none_or(|ids| ids.contains(id));
                        let g = if concept {
                            read_grade(Quality::Family, false, broader)
                        } else {
                            read_grade(Quality::Whole, false, n)
                        };
                        put(id, g, true);
                    }
                }
            }
        }
        word.by_reading = by_reading;
        offsets.sort_unstable();
        offsets.dedup();
        word.terms = offsets;
        g.tables = tables;
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
        let least: u32 = grades.least.iter().map(|&g| penalty_of(g)).sum();
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
                        grade(Quality::Whole, false)
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
        // Candidates and word packed (`candidates << 32 | word`), sorted.
        let mut keys: Vec<u64> = (0..words.len())
            .map(|i| u64::from(crate::sort::saturate(candidates(i))) << 32 | i as u64)
            .collect();
        crate::sort::keys(&mut keys);
        let order: Vec<(usize, usize)> = keys
            .iter()
            .map(|&k| ((k >> 32) as usize, (k & u64::from(u32::MAX)) as usize))
            .collect();
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
            let mut keys: Vec<u64> = few.iter().map(|&d| u64::from(d)).collect();
            crate::sort::keys(&mut keys);
            keys.dedup();
            few = keys.into_iter().map(|d| d as u32).collect();
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
            if !top.admits(rank_key(
                0,
                false,
                least,
                0,
                false,
                false,
                floor.into(),
                0,
                0,
                0,
            )) {
                return false;
            }
            let Some(doc) = self.docs.get(d) else {
                return true;
            };
            let def = doc.entry.takes_seventh();
            if def.is_none()
                && !top.admits(rank_key(
                    0,
                    doc.ended,
                    least,
                    0,
                    doc.population,
                    !doc.entry.billable,
                    doc.words.into(),
                    0,
                    d as u32,
                    0,
                ))
            {
                return true;
            }
            // The code itself, matched by its title and inclusion terms.
            let (mut missing, mut penalty, mut reading, mut inclusion, mut hopeless) =
                (0, 0, 0, 0, false);
            for (i, w) in words.iter().enumerate() {
                match grades.get(i, d) {
                    0 if w.required => {
                        missing += 1;
                        hopeless |= !by_meaning[i];
                    }
                    0 => {}
                    g => {
                        penalty += penalty_of(g);
                        reading += reading_of(g);
                        inclusion += inclusion_of(g) * u32::from(!w.negated);
                    }
                }
            }
            if missing <= allow_missing {
                top.push(rank_key(
                    missing,
                    doc.ended,
                    penalty,
                    inclusion,
                    doc.population,
                    !doc.entry.billable,
                    doc.words.into(),
                    reading,
                    d as u32,
                    0,
                ));
            }
            let Some(def) = def else { return true };
            if hopeless && missing > allow_missing {
                return true;
            }
            // The best its codes can do: each word's better grade from the
            // document or any meaning of the definition.
            let (mut lb_missing, mut lb_penalty) = (0u32, 0u32);
            for (i, w) in words.iter().enumerate() {
                let own = grades.get(i, d);
                let by_def = def_best.get(i * ndefs + def as usize).copied().unwrap_or(0);
                match (own, by_def) {
                    (0, 0) => lb_missing += u32::from(w.required),
                    (0, g) | (g, 0) => lb_penalty += penalty_of(g),
                    (a, b) => lb_penalty += penalty_of(a.min(b)),
                }
            }
            if lb_missing > allow_missing {
                return true;
            }
            let best = rank_key(
                lb_missing,
                doc.ended,
                lb_penalty,
                0,
                doc.population,
                false,
                u32::from(doc.words),
                0,
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
            let (mut missing, mut penalty, mut reading, mut inclusion) = (0, 0, 0, 0);
            for (i, w) in words.iter().enumerate() {
                let g = if w.seventh == Some(meaning.ch) {
                    grade(Quality::Whole, false)
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
                        penalty += penalty_of(g);
                        reading += reading_of(g);
                        inclusion += inclusion_of(g) * u32::from(!w.negated);
                    }
                }
            }
            if missing <= allow_missing {
                push(rank_key(
                    missing,
                    doc.ended,
                    penalty,
                    inclusion,
                    doc.population,
                    false,
                    doc.words.into(),
                    reading,
                    d as u32,
                    meaning.ch,
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
