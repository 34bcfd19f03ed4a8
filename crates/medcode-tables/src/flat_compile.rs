//! Compiles a [`FlatTable`] (ICD-10-PCS, HCPCS, a licensee's CPT table, a
//! custom code list) into the same embedded form as the ICD-10-CM tabular:
//! the FST map of entries with its title store, the search index and the
//! history (validity spans, releases, replacements), so one runtime answers
//! every system.
//!
//! Every row becomes a key: headings as [`Kind::Category`] entries that are
//! never billable, codes as [`Kind::Code`] entries, billable when valid in the
//! newest release. The value's title id is the key's ordinal (keys in
//! order, one long title each), which lets the FST share the structure of
//! similar codes (for ICD-10-PCS a sixth of the size of arbitrary ids);
//! short titles sit in a second store under the same ids, written against
//! the long titles ([`crate::shorts`]), and feed the
//! search's abbreviations.

use crate::date::{Span, OPEN_END};
use crate::error::{TableError, TableErrorKind};
use crate::flat::FlatTable;
use crate::layout::{Entry, Kind, MAX_TITLE};
use crate::search::SearchSource;
use crate::shorts::ShortStoreBuilder;
use crate::titles::TitleStoreBuilder;

/// The first day of the span an undated code of a dated table gets.
pub const ALWAYS: u32 = 1000_0101;

/// Longest key a compiled flat system holds: the one limit of the flat form
/// ([`crate::layout::MAX_CODE_LEN`]); validity, lookup and search answer every
/// length up to it.
pub const MAX_KEY: usize = crate::layout::MAX_CODE_LEN;

/// What [`compile`] builds from a flat table.
#[derive(Debug, Clone)]
pub struct CompiledFlat {
    /// FST map bytes: code → [`Entry::encode`].
    pub codes: Vec<u8>,
    /// Title store bytes: the long title of each key, in key order.
    pub titles: Vec<u8>,
    /// Short-title store bytes ([`crate::shorts`]): the short title of each
    /// key (empty when none or equal to the long title), written against
    /// the long titles.
    pub shorts: Vec<u8>,
    /// Keys with a short title.
    pub short_count: usize,
    /// Titles stored as templates over their axis labels ([`compile_with`]).
    pub templates: usize,
    /// Search index bytes ([`crate::search::build`]): the titles (and
    /// short titles, as inclusion terms) of every code in key order; where
    /// titles are stored whole, without the postings they give
    /// ([`crate::postings::split_for_titles`]).
    pub search: Vec<u8>,
    /// Abbreviations the search learned from the short titles.
    pub abbreviations: usize,
    /// History map bytes: code → encoded [`Span`] ([`crate::history::compile_map`]).
    pub history: Vec<u8>,
    /// Codes in the history map.
    pub dated: usize,
    /// Days a code was not valid between its first and last span, as
    /// `code<TAB>start<TAB>end` lines (the history map holds the outer span).
    pub gaps: String,
    /// Codes billable in the newest release.
    pub billable: usize,
    /// Headings (never billable).
    pub headers: usize,
    /// Codes (not headings) in the table, whatever their dates.
    pub codes_total: usize,
}

/// Compiles `table` (normalized: sorted, one row per code). `newest` is the
/// first day of the newest release; a code is billable when one of its spans
/// contains it (or it has no dates). A code with more than one span gets
/// its outer span in the history map and the days between in
/// [`CompiledFlat::gaps`]. `path` names the source in errors.
pub fn compile(path: &str, table: &FlatTable, newest: u32) -> Result<CompiledFlat, TableError> {
    compile_with(path, table, newest, &|_, _| None)
}

/// [`compile`], storing the title of each code as `template(code, title)`
/// where that gives one ([`crate::templates`]: the ICD-10-PCS titles over
/// their axis labels); the short titles are written against what is stored.
pub fn compile_with(
    path: &str,
    table: &FlatTable,
    newest: u32,
    template: &dyn Fn(&str, &str) -> Option<String>,
) -> Result<CompiledFlat, TableError> {
    let err = |kind: TableErrorKind| TableError::new(path, 0, kind);
    let mut titles = TitleStoreBuilder::default();
    let mut shorts = ShortStoreBuilder::default();
    let mut short_count = 0;
    let mut templates = 0;
    let mut builder = fst::MapBuilder::memory();
    let mut spans: Vec<(String, Span)> = Vec::new();
    let mut gaps = String::new();
    let mut docs = Vec::with_capacity(table.rows.len());
    let mut pairs: Vec<(String, String)> = Vec::new();
    let (mut billable, mut headers, mut codes_total) = (0, 0, 0);
    let mut last: Option<&str> = None;
    let dated_table = table.rows.iter().any(|r| !r.spans.is_empty());
    for row in &table.rows {
        if last.is_some_and(|l| l >= row.code.as_str()) {
            return Err(err(TableErrorKind::BadCode(format!(
                "{}: rows are not sorted and unique (normalize the table first)",
                row.code
            ))));
        }
        last = Some(&row.code);
        if row.code.len() > MAX_KEY || !row.code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(err(TableErrorKind::BadCode(format!(
                "{}: a code is 1-{MAX_KEY} letters or digits",
                row.code
            ))));
        }
        let display = row
            .long_title
            .as_deref()
            .or(row.short_title.as_deref())
            .unwrap_or_default();
        let templated = template(&row.code, display);
        templates += usize::from(templated.is_some());
        let stored = templated.as_deref().unwrap_or(display);
        let title = titles.add(stored);
        let short = match (&row.short_title, &row.long_title) {
            (Some(s), Some(l)) if s != l => s.as_str(),
            _ => "",
        };
        // A short title is a template over the same labels where it can be,
        // so it shares the long title's slots.
        let short_templated = (!short.is_empty())
            .then(|| template(&row.code, short))
            .flatten();
        shorts.add(short_templated.as_deref().unwrap_or(short), stored);
        short_count += usize::from(!short.is_empty());
        if titles.len() > MAX_TITLE as usize {
            return Err(err(TableErrorKind::BadCode(
                "too many titles for the value layout".into(),
            )));
        }
        let span = match row.spans.as_slice() {
            // In a dated table an undated code is valid whenever the table is.
            [] if dated_table && !row.header => Some(Span {
                start: ALWAYS,
                end: OPEN_END,
            }),
            [] => None,
            [one] => Some(*one),
            [first, .., end] => {
                for w in row.spans.windows(2) {
                    let (from, to) = (crate::date::next_day(w[0].end), previous_day(w[1].start));
                    if from <= to {
                        gaps.push_str(&format!("{}\t{from}\t{to}\n", row.code));
                    }
                }
                Some(Span {
                    start: first.start,
                    end: end.end,
                })
            }
        };
        let is_billable = !row.header && span.is_none_or(|s| s.contains(newest));
        if !row.header {
            codes_total += 1;
            if let Some(s) = span {
                spans.push((row.code.clone(), s));
            }
        }
        billable += usize::from(is_billable);
        headers += usize::from(row.header);
        let entry = Entry {
            kind: if row.header {
                Kind::Category
            } else {
                Kind::Code
            },
            billable: is_billable,
            title,
            seventh: None,
        };
        builder
            .insert(&row.code, entry.encode())
            .map_err(|e| err(TableErrorKind::BadCode(format!("{}: {e}", row.code))))?;
        let mut also = Vec::new();
        if let (Some(s), Some(l)) = (&row.short_title, &row.long_title) {
            if s != l {
                also.push(s.clone());
                pairs.push((s.clone(), l.clone()));
            }
        }
        docs.push((display.to_owned(), also));
    }
    let codes = builder
        .into_inner()
        .map_err(|e| err(TableErrorKind::Io(e.to_string())))?;
    let abbreviations = crate::abbrev::derive(pairs.iter().map(|(s, l)| (s.as_str(), l.as_str())));
    // The word index ships (built in the page on the first search, it took
    // 100-130 ms for ICD-10-PCS). Titles stored as templates carry their
    // words as written, which the runtime cannot count from its store.
    let words = if templates > 0 {
        docs.iter()
            .map(|(title, _)| crate::words::distinct_words(title, false))
            .collect()
    } else {
        Vec::new()
    };
    let source = SearchSource {
        docs,
        meanings: Vec::new(),
        abbreviations,
        words,
        // Flat systems read their titles without clauses: a HCPCS item
        // `without mattress` is another product, not a less specific one.
        clauses: false,
    };
    let whole = crate::search::build(&source)
        .map_err(|e| err(TableErrorKind::BadCode(format!("search index: {e}"))))?;
    // Titles stored whole (HCPCS, CPT and custom tables, not the PCS
    // templates) give most of the index: it ships without what they repeat
    // (`crate::postings`), the dictionary listed in index-word order.
    let (titles, search) = if templates == 0 {
        let titles = titles.finish_in_word_order();
        let store = crate::titles::TitleStore::new(&titles)
            .map_err(|e| err(TableErrorKind::BadCode(format!("title store: {e}"))))?;
        // Row i is document i, titled by title i.
        let title_of: Vec<u32> = (0..store.len()).collect();
        let search = crate::postings::split_for_titles(&whole, &store, &title_of)
            .map_err(|e| err(TableErrorKind::BadCode(e.to_string())))?;
        (titles, search)
    } else {
        (titles.finish(), whole)
    };
    let history = crate::history::compile_map(spans.iter().map(|(c, s)| (c, s)))
        .map_err(|e| err(TableErrorKind::Io(e.to_string())))?;
    Ok(CompiledFlat {
        codes,
        titles,
        // A system without short titles ships no short-title store.
        shorts: if short_count == 0 {
            Vec::new()
        } else {
            shorts.finish()
        },
        short_count,
        templates,
        search,
        abbreviations: source.abbreviations.len(),
        history,
        dated: spans.len(),
        gaps,
        billable,
        headers,
        codes_total,
    })
}

/// The day before `date` (`yyyymmdd`).
fn previous_day(date: u32) -> u32 {
    let (y, m, d) = (date / 10_000, date / 100 % 100, date % 100);
    if d > 1 {
        return date - 1;
    }
    let (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let last = match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    y * 10_000 + m * 100 + last
}

/// The first day of the newest release the table's spans imply: the latest
/// span start or day after a closed span's end, not after `today_or_horizon`
/// (so a far-future sentinel does not count); `None` for an undated table.
pub fn newest_start(table: &FlatTable, horizon: u32) -> Option<u32> {
    crate::history::release_starts(table.rows.iter().flat_map(|r| r.spans.iter()))
        .into_iter()
        .filter(|&d| d <= horizon && d != OPEN_END)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flat::read_tsv;
    use crate::shorts::ShortStore;
    use crate::titles::TitleStore;

    const TABLE: &str = "code\theader\tlong_title\tshort_title\tstart\tend\n\
        X01\t1\tMade-up heading\t\t\t\n\
        X0101\t0\tMade-up procedure, first\tMade-up proc 1st\t20200101\t\n\
        X0102\t0\tMade-up procedure, retired\tMade-up proc ret\t20200101\t20221231\n";

    #[test]
    fn headings_codes_and_retired_codes_compile() {
        let t = read_tsv("t.tsv", TABLE).unwrap();
        let c = compile("t.tsv", &t, 20250101).unwrap();
        assert_eq!(
            (c.billable, c.headers, c.codes_total, c.dated),
            (1, 1, 2, 2)
        );
        let map = fst::Map::new(c.codes.as_slice()).unwrap();
        let store = TitleStore::new(&c.titles).unwrap();
        let e = Entry::decode(map.get("X0101").unwrap());
        assert!(e.billable && e.kind == Kind::Code);
        assert_eq!(
            store.get(e.title).as_deref(),
            Some("Made-up procedure, first")
        );
        let shorts = ShortStore::new(&c.shorts).unwrap();
        assert_eq!(
            shorts.get(e.title, &store).as_deref(),
            Some("Made-up proc 1st")
        );
        let h = Entry::decode(map.get("X01").unwrap());
        assert!(!h.billable && h.kind == Kind::Category);
        assert_eq!(shorts.get(h.title, &store).as_deref(), Some(""));
        assert_eq!((e.title, h.title), (1, 0), "title ids are the key ordinals");
        assert!(!Entry::decode(map.get("X0102").unwrap()).billable);
        assert_eq!(newest_start(&t, 20991231), Some(20230101));
    }

    #[test]
    fn separate_spans_keep_their_gap() {
        let text = "code\tstart\tend\nA1\t20200101\t20200131\nA1\t20200301\t\n";
        let t = read_tsv("t.tsv", text).unwrap();
        let c = compile("t.tsv", &t, 20250101).unwrap();
        assert_eq!(c.gaps, "A1\t20200201\t20200229\n");
        assert_eq!(previous_day(20210101), 20201231);
    }
}
