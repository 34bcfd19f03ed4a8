//! Search that takes what coders type: words of titles and inclusion terms
//! ([`query`]), codes with did-you-mean ([`suggest`]) and one box that
//! decides between them ([`CodeSet::find`]).
//!
//! The index (`medcode_tables::search`, compiled by `build.rs`) maps each
//! word to the tabular codes (with the codes newer releases' addenda add)
//! and 7th-character meanings it appears in. On
//! first use the module lists the tabular codes in key order (the index's
//! document ids) with their entries and title lengths, and the 7th-character
//! meanings; where the index leaves out what the titles repeat (ICD-10-CM,
//! HCPCS), it also reads the titles' postings from the title store
//! (`medcode_tables::postings`). The ICD-10-CM module's memory grows to
//! 8.6 MB on the first search (5.7 MB while the index shipped whole).

#[cfg(all(test, feature = "icd10cm"))]
mod compiled_ahead;
mod query;
#[cfg(all(test, feature = "icd10pcs", feature = "hcpcs"))]
mod shipped_index;
mod suggest;
mod typo;

pub use query::{Expansion, Hit};

use crate::codeset::{CodeSet, ADDED_ENTRY};
use crate::normalize::normalize;
use medcode_tables::layout::{Entry, Kind};
use medcode_tables::postings::{PostingLists, NO_TITLE};
use medcode_tables::search::SearchIndex;
use medcode_tables::words::distinct_words;

/// Title words that do not make a code more specific than the query: the
/// joining words and the words of the unspecified codes (`Pneumonia,
/// unspecified organism` says no more than `pneumonia`, while `Typhoid
/// pneumonia` and `Other pneumonia, unspecified organism`, a residual code
/// for specified kinds, do). `accidental (unintentional)` is the intent
/// that a poisoning, toxic effect or external cause of unstated intent is
/// coded with (ICD-10-CM Official Guidelines I.C.19.e.5.b and I.C.20.h.1),
/// so `aspirin poisoning` finds T39.011 before the assault code.
const GENERIC_WORDS: &[&str] = &[
    "accidental",
    "and",
    "as",
    "at",
    "by",
    "complications",
    "for",
    "from",
    "in",
    "into",
    "nos",
    "not",
    "of",
    "on",
    "or",
    "organism",
    "site",
    "the",
    "to",
    "uncomplicated",
    "unintentional",
    "unspecified",
    "without",
];

/// A tabular code: a document of the index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Doc {
    /// The key, upper case without dot, zero padded (a custom table's
    /// codes have up to [`medcode_tables::layout::MAX_CODE_LEN`] characters).
    key: [u8; medcode_tables::layout::MAX_CODE_LEN],
    entry: Entry,
    /// Words in its title that say more than a general code's
    /// (see [`GENERIC_WORDS`]): ranking prefers the fewest.
    words: u8,
    /// A code of the tabular that the newest release no longer has: it
    /// ranks after every valid code.
    ended: bool,
    /// A code newer than the tabular, titled by a newer release's addenda
    /// (ICD-10-CM FY2027, transcribed): `entry` is made up for it.
    added: bool,
    /// A code of a chapter kept for one population's records (see
    /// [`crate::profile::Profile::population_chapters`]).
    population: bool,
}

impl Doc {
    /// Its title's id in the title store, [`NO_TITLE`] for a code newer
    /// than the tabular (`medcode_tables::postings::tabular_title_ids` at
    /// build time; the checksum test holds the two equal).
    pub(crate) fn title(&self) -> u32 {
        if self.added {
            NO_TITLE
        } else {
            self.entry.title
        }
    }

    fn key(&self) -> &str {
        std::str::from_utf8(self.key_bytes()).unwrap_or_default()
    }

    fn key_bytes(&self) -> &[u8] {
        let len = self
            .key
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.key.len());
        &self.key[..len]
    }
}

/// A 7th-character meaning: its character. The codes made with it rank by
/// their leaf, then by the character (`A` initial encounter before `D`
/// subsequent and `S` sequela), not by the length of the meaning's text.
#[derive(Debug, Clone, Copy)]
struct Meaning {
    ch: u8,
}

/// The index with what it needs from the code set, built on first use.
pub(crate) struct Searcher {
    index: SearchIndex<'static>,
    /// The postings of each index word (ICD-10-CM: its shipped lists with
    /// the words of its title store; see `medcode_tables::postings`).
    lists: PostingLists<'static>,
    docs: Vec<Doc>,
    meanings: Vec<Meaning>,
    /// Id of the first meaning of each 7th-character definition.
    def_start: Vec<u32>,
    /// Document ids by title length, then id.
    by_length: Vec<u32>,
    /// Per 7th-character definition, the documents that take it, in id order.
    def_docs: Vec<Vec<u32>>,
    /// Abbreviation → expansions, sorted by abbreviation.
    abbreviations: Vec<(&'static str, &'static str)>,
    /// Terms coders type → title words or code families.
    lexicon: medcode_tables::lexicon::Lexicon<'static>,
    /// The lexicon's ICD-10-PCS suffixes (`ectomy`) with their readings
    /// (`resection`, `excision`), longest first.
    suffixes: Vec<(String, Vec<String>)>,
    /// The documents whose tabular `NOS` inclusion term a query can name.
    defaults: Vec<medcode_tables::lexicon::TermDefault>,
    /// Whether codes show with a dot (families are shown so).
    dotted: bool,
}

/// The tabular codes of `set` (categories and codes, not the codes made by
/// adding a 7th character) and the codes newer releases' addenda add (see
/// [`CodeSet::added_keys`]), in key order: the index's documents.
pub(crate) fn tabular_docs(set: &CodeSet) -> Option<Vec<Doc>> {
    let mut docs = Vec::with_capacity(set.map().len());
    let mut ok = true;
    let chapters = set.system().profile.population_chapters;
    let doc = |k: &[u8], entry: Entry, added: bool| {
        let mut key = [0u8; medcode_tables::layout::MAX_CODE_LEN];
        let fits = key
            .get_mut(..k.len())
            .map(|p| p.copy_from_slice(k))
            .is_some();
        fits.then_some(Doc {
            key,
            entry,
            words: 0,
            ended: false,
            added,
            population: k.first().is_some_and(|c| chapters.contains(c)),
        })
    };
    let push = |docs: &mut Vec<Doc>, d: Option<Doc>| d.map(|d| docs.push(d)).is_some();
    let mut added = set.added_keys().iter().peekable();
    crate::fst_walk::for_each_key(set.map(), |k, v| {
        let entry = Entry::decode(v);
        if matches!(entry.kind, Kind::Category | Kind::Code) && !entry.is_expanded() {
            while let Some(a) = added.next_if(|a| a.as_bytes() < k) {
                ok &= push(&mut docs, doc(a.as_bytes(), ADDED_ENTRY, true));
            }
            ok &= push(&mut docs, doc(k, entry, false));
        }
    });
    for a in added {
        ok &= push(&mut docs, doc(a.as_bytes(), ADDED_ENTRY, true));
    }
    ok.then_some(docs)
}

impl CodeSet {
    /// The search index with its document list, built on first use and
    /// kept for the life of the set; `None` if the embedded index does not
    /// fit the code set (tests rule it out).
    pub(crate) fn searcher(&self) -> Option<&Searcher> {
        if !crate::data::SEARCHABLE {
            return None;
        }
        self.derived(|| Searcher::new(self))
            .and_then(Option::as_ref)
    }
}

/// The title id of each search id: of each document of `docs`
/// ([`Doc::title`]), then of each 7th-character meaning, definition by
/// definition (`medcode_tables::postings::tabular_title_ids` at build time).
pub(crate) fn title_ids(set: &CodeSet, docs: &[Doc]) -> Vec<u32> {
    docs.iter()
        .map(Doc::title)
        .chain(set.seventh_defs().iter().flatten().map(|&(_, t)| t))
        .collect()
}

/// Per document (of `docs`), how many different words its title has,
/// counted from its title postings in `lists` (of `words` words).
fn title_words_per_doc(lists: &PostingLists<'_>, words: usize, docs: usize) -> Vec<u8> {
    let mut counts = vec![0u8; docs];
    for w in 0..words as u64 {
        for (id, inclusion) in lists.get(w) {
            if let Some(c) = counts.get_mut(id as usize).filter(|_| !inclusion) {
                *c = c.saturating_add(1);
            }
        }
    }
    counts
}

/// Document ids by title length, then id (a counting sort: lengths are bytes).
fn by_length(docs: &[Doc]) -> Vec<u32> {
    let mut starts = [0usize; 257];
    for d in docs {
        starts[usize::from(d.words) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut out = vec![0u32; docs.len()];
    for (id, d) in docs.iter().enumerate() {
        let slot = &mut starts[usize::from(d.words)];
        if let Some(o) = out.get_mut(*slot) {
            *o = id as u32;
        }
        *slot += 1;
    }
    out
}

impl Searcher {
    /// Lists the documents and meanings; `None` if the index does not fit
    /// the code set (a build defect, covered by tests).
    pub(crate) fn new(set: &CodeSet) -> Option<Searcher> {
        let mut docs = tabular_docs(set)?;
        let index = SearchIndex::new(set.search_bytes()).ok()?;
        let mut meanings = Vec::new();
        let mut def_start = Vec::new();
        for def in set.seventh_defs() {
            def_start.push(meanings.len() as u32);
            for &(ch, _) in def {
                meanings.push(Meaning { ch });
            }
        }
        if docs.len() != index.docs as usize || meanings.len() != index.meanings as usize {
            return None;
        }
        // Different words per title (`distinct_words`): per document as
        // written where the index carries them (titles stored as templates),
        // else per title id, counted in the pass that derives the lists from
        // the store, else (an index of whole titles too large to split ships
        // whole) per document from its title postings.
        let written = index.word_counts();
        let mut per_title = Vec::new();
        let mut per_doc = Vec::new();
        // Indexes of titles stored whole ship without what the titles
        // repeat; the ICD-10-PCS module (templates) leaves the merging out.
        let derives = cfg!(any(
            feature = "icd10cm",
            feature = "hcpcs",
            feature = "cpt",
            feature = "custom"
        ));
        let lists = if derives && index.derived {
            let title_of = title_ids(set, &docs);
            let count = written.is_none();
            PostingLists::with_titles(&index, set.title_store(), &title_of, |words| {
                if count {
                    per_title.push(words);
                }
            })
            .ok()?
        } else {
            let lists = PostingLists::shipped(&index);
            // (Titles stored as templates carry their counts: the ICD-10-PCS
            // module leaves this out.)
            if derives && written.is_none() {
                per_doc = title_words_per_doc(&lists, index.words().len(), docs.len());
            }
            lists
        };
        let per_doc = written.unwrap_or(&per_doc);
        for (id, doc) in docs.iter_mut().enumerate() {
            // A code without a title (newer than the embedded release)
            // ranks after every titled one.
            let n = if doc.added {
                distinct_words(
                    set.untabulated_title(doc.key()).unwrap_or_default(),
                    index.clauses,
                )
            } else if let Some(&n) = per_doc.get(id) {
                n
            } else {
                per_title
                    .get(doc.entry.title as usize)
                    .copied()
                    .unwrap_or(0)
            };
            doc.words = match n {
                0 => u8::MAX,
                n => n,
            };
        }
        // Ranking puts valid codes first, by the newest release: a code
        // ended since never outranks a valid one. A code map marks billable
        // the codes of the release it was compiled from, the newest unless
        // addenda came after it (ICD-10-CM's tabular, older than the FY2027
        // addenda; a flat system's map is its newest release, which
        // `flat_compile` and a test hold): the index lists those that ended
        // (`build.rs`; a test holds the list to the history).
        for id in index.ended() {
            if let Some(d) = docs.get_mut(id as usize).filter(|d| d.entry.billable) {
                d.entry.billable = false;
                d.ended = true;
            }
        }
        // Title words less the generic ones, counted from their postings.
        let map = index.words();
        for w in GENERIC_WORDS {
            let Some(word) = map.get(w) else { continue };
            for (id, inclusion) in lists.get(word) {
                if let Some(doc) = docs.get_mut(id as usize).filter(|_| !inclusion) {
                    doc.words = doc.words.saturating_sub(1);
                }
            }
        }
        let abbreviations = index.abbreviations().collect();
        let mut def_docs = vec![Vec::new(); def_start.len()];
        for (d, doc) in docs.iter().enumerate() {
            if let Some(list) = doc
                .entry
                .takes_seventh()
                .and_then(|def| def_docs.get_mut(def as usize))
            {
                list.push(d as u32);
            }
        }
        let by_length = by_length(&docs);
        let lexicon = set.lexicon().clone();
        let mut suffixes: Vec<(String, Vec<String>)> = lexicon
            .suffixes()
            .into_iter()
            .map(|(form, e)| {
                let words = e
                    .alternatives()
                    .filter_map(|a| match a {
                        medcode_tables::lexicon::Alternative::Words(w) => Some(w.to_owned()),
                        medcode_tables::lexicon::Alternative::Family(_) => None,
                    })
                    .collect();
                (form, words)
            })
            .collect();
        crate::sort::by_key_stable(&mut suffixes, |(form, _)| {
            u32::MAX - crate::sort::saturate(form.len())
        });
        Some(Searcher {
            // Only the ICD-10-CM tabular has `NOS` terms.
            defaults: if cfg!(feature = "icd10cm") {
                lexicon.defaults()
            } else {
                Vec::new()
            },
            lexicon,
            suffixes,
            dotted: set.system().profile.dotted,
            index,
            lists,
            docs,
            meanings,
            def_start,
            def_docs,
            by_length,
            abbreviations,
        })
    }

    /// The expansions of an abbreviation, separated by spaces.
    fn expansions(&self, word: &str) -> Option<&'static str> {
        self.abbreviations
            .binary_search_by(|(a, _)| (*a).cmp(word))
            .ok()
            .map(|i| self.abbreviations[i].1)
    }
}

/// What [`CodeSet::find`] decided the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindMode {
    /// A code of the release: it comes first, then the codes under it.
    Code,
    /// The start of codes: the codes that start with it, in code order.
    Prefix,
    /// Shaped like a code but not one: the codes one edit away, or the
    /// completions of a code missing its 7th character.
    DidYouMean,
    /// Words: a search of titles and inclusion terms.
    Words,
}

impl FindMode {
    /// `code`, `prefix`, `did-you-mean` or `words`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindMode::Code => "code",
            FindMode::Prefix => "prefix",
            FindMode::DidYouMean => "did-you-mean",
            FindMode::Words => "words",
        }
    }
}

/// The answer of [`CodeSet::find`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// How the input was read.
    pub mode: FindMode,
    /// The results, best first.
    pub hits: Vec<Hit>,
}

/// Whether `input` is typed like an ICD-10-CM code rather than words: no
/// inner space, a letter then a digit (or the O/I look-alikes of 0/1), then
/// letters, digits and dots, with at least one digit.
///
/// ```
/// use medcode::search::looks_like_code;
/// assert!(looks_like_code("e11.9") && looks_like_code("S72.00") && looks_like_code("EO1.9") && looks_like_code("E1"));
/// assert!(!looks_like_code("flu") && !looks_like_code("type 2 diabetes") && !looks_like_code("E"));
/// ```
pub fn looks_like_code(input: &str) -> bool {
    let t = input.trim().as_bytes();
    let second_ok = |b: u8| b.is_ascii_digit() || matches!(b, b'O' | b'o' | b'I' | b'l');
    (2..=10).contains(&t.len())
        && t[0].is_ascii_alphabetic()
        && second_ok(t[1])
        && t.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'.')
        && t.iter().any(u8::is_ascii_digit)
}

impl CodeSet {
    /// [`looks_like_code`] for ICD-10-CM; in the systems without dots (PCS
    /// `0DTJ`, HCPCS `E01`, CPT `9921`) one token of 1–16 letters and digits
    /// with at least one digit.
    fn looks_like_own_code(&self, input: &str) -> bool {
        if self.system().profile.dotted {
            return looks_like_code(input);
        }
        let t = input.trim().as_bytes();
        (1..=16).contains(&t.len())
            && t.iter().all(u8::is_ascii_alphanumeric)
            && t.iter().any(u8::is_ascii_digit)
    }

    /// Gets search ready now: lists the documents with their ranks (every
    /// module ships its word index; this takes 10-30 ms in a browser), which
    /// the first search would otherwise do. True if there are titles to search.
    ///
    /// ```
    /// let pcs = medcode::CodeSet::icd10pcs();
    /// assert!(pcs.prepare_search());
    /// assert_eq!(pcs.find("appendectomy", 1).hits[0].code, "0DTJ0ZZ");
    /// ```
    pub fn prepare_search(&self) -> bool {
        self.searcher().is_some_and(|s| !s.docs.is_empty())
    }

    /// One search box: a code goes to lookup (then the codes under it), the
    /// start of a code to prefix, a mistyped code to did-you-mean; words
    /// (or a code-like input that finds nothing) to [`CodeSet::search`].
    ///
    /// ```
    /// use medcode::search::FindMode;
    /// let cm = medcode::CodeSet::icd10cm();
    /// let f = cm.find("e11.9", 5);
    /// assert_eq!((f.mode, f.hits[0].code.as_str()), (FindMode::Code, "E11.9"));
    /// assert_eq!(cm.find("E11.99", 5).mode, FindMode::DidYouMean);
    /// assert_eq!(cm.find("diab mell typ 2", 5).mode, FindMode::Words);
    /// ```
    pub fn find(&self, input: &str, limit: usize) -> Found {
        let limit = limit.min(query::MAX_LIMIT);
        if self.looks_like_own_code(input) {
            if let Ok(key) = normalize(input) {
                let mut hits = Vec::new();
                self.for_each_prefixed(&key, limit, |k, e| {
                    hits.push(self.hit(k, e, Vec::new(), false))
                });
                if hits.is_empty() {
                    // A code newer than the tabular (FY2027 addenda).
                    if let Some(entry) = self.added_entry(key.as_str()) {
                        hits.push(self.hit(key.as_str(), &entry, Vec::new(), false));
                    }
                }
                let exact = hits.first().is_some_and(|h| h.key == key.as_str());
                if !hits.is_empty() {
                    let mode = if exact {
                        FindMode::Code
                    } else {
                        FindMode::Prefix
                    };
                    return Found { mode, hits };
                }
            }
            let hits: Vec<Hit> = self
                .did_you_mean(input)
                .into_iter()
                .take(limit)
                .filter_map(|k| Some(self.hit(&k, &self.entry(k.as_bytes())?, Vec::new(), false)))
                .collect();
            if !hits.is_empty() {
                return Found {
                    mode: FindMode::DidYouMean,
                    hits,
                };
            }
        }
        Found {
            mode: FindMode::Words,
            hits: self.search(input, limit),
        }
    }

    /// A result row for a key and its entry.
    fn hit(&self, key: &str, entry: &Entry, matched: Vec<String>, inclusion: bool) -> Hit {
        let mut display = String::new();
        self.write_display(key, entry, &mut display);
        Hit {
            key: key.to_owned(),
            code: self.code_text(key),
            display,
            kind: entry.kind,
            // The status in the newest release, as `lookup` says: a code
            // ended since the tabular was published is not billable.
            billable: self.billable_now(key, entry),
            matched,
            inclusion,
            expanded: Vec::new(),
            unmatched: Vec::new(),
        }
    }
}

#[cfg(test)]
mod title_words {
    use super::title_words_per_doc;
    use medcode_tables::postings::PostingLists;
    use medcode_tables::search::{build, SearchIndex, SearchSource};
    use medcode_tables::words::distinct_words;

    /// An index that ships whole without word counts still ranks by the
    /// same length as the others: its title postings count the words.
    #[test]
    fn title_postings_count_the_different_words_of_each_title() {
        let titles = [
            "Fall (on)(from) escalator",
            "Unspecified fall",
            "Fracture of shaft of femur",
        ];
        let src = SearchSource {
            docs: titles
                .iter()
                .map(|t| (t.to_string(), vec!["Slip on ice".to_string()]))
                .collect(),
            ..Default::default()
        };
        let bytes = build(&src).unwrap();
        let index = SearchIndex::new(&bytes).unwrap();
        let lists = PostingLists::shipped(&index);
        let counts = title_words_per_doc(&lists, index.words().len(), titles.len());
        let expected: Vec<u8> = titles.iter().map(|t| distinct_words(t, false)).collect();
        assert_eq!(counts, expected);
        assert_eq!(counts, [4, 2, 4]);
    }
}
