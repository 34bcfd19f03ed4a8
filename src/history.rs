//! A code system's history: the validity span of every code that was valid
//! at some time in the covered years, the releases, replacements of deleted
//! codes and titles of codes the current tabular no longer lists (written by
//! `build.rs` with `medcode_tables::history`).

use crate::billable::{pack, unpack, PackedMap, WarmTable};
use fst::{IntoStreamer, Streamer};
use medcode_tables::date::{Span, OPEN_END};
use medcode_tables::history::{
    decode_span, parse_releases, parse_replacements, release_on, Release, Replacement,
};
use std::sync::OnceLock;

/// The embedded tables of one system's history.
pub struct History {
    map: fst::Map<&'static [u8]>,
    releases_text: &'static str,
    replaced_text: &'static str,
    retired_text: &'static str,
    releases: OnceLock<Vec<Release<'static>>>,
    replaced: OnceLock<Vec<Replacement<'static>>>,
    spans: WarmTable<PackedMap>,
    gaps_text: &'static str,
    gaps: OnceLock<Vec<(u64, Span)>>,
    addenda_text: &'static str,
    addenda: OnceLock<Vec<Addendum>>,
}

/// A title a release's addenda give: a code's title from `date` on
/// (`added`: the code is new then; otherwise its title was revised).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addendum {
    /// The key (no dot).
    pub key: &'static str,
    /// First day of the release that gives the title.
    pub date: u32,
    /// Whether the code is new in that release (else retitled).
    pub added: bool,
    /// The title.
    pub title: &'static str,
}

/// The newest addendum of `key` in force on `date` among `addenda` (in key
/// order, as [`History::addenda`] and [`History::addenda_under`] give them).
pub fn addendum_in<'a>(addenda: &'a [Addendum], key: &str, date: u32) -> Option<&'a Addendum> {
    let from = addenda.partition_point(|a| a.key < key);
    addenda
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|a| a.key == key)
        .filter(|a| a.date <= date)
        .last()
}

impl History {
    /// Opens the tables; `map` is the FST of spans.
    pub fn new(
        map: &'static [u8],
        releases: &'static str,
        replaced: &'static str,
        retired: &'static str,
    ) -> Result<History, fst::Error> {
        Ok(History {
            map: fst::Map::new(map)?,
            releases_text: releases,
            replaced_text: replaced,
            retired_text: retired,
            releases: OnceLock::new(),
            replaced: OnceLock::new(),
            spans: WarmTable::new(),
            gaps_text: "",
            gaps: OnceLock::new(),
            addenda_text: "",
            addenda: OnceLock::new(),
        })
    }

    /// Adds the days codes were not valid inside their outer span
    /// (`code<TAB>start<TAB>end` lines; HCPCS has two such codes).
    pub fn with_gaps(mut self, gaps: &'static str) -> History {
        self.gaps_text = gaps;
        self.gaps = OnceLock::new();
        self
    }

    /// Adds the titles of newer releases' addenda
    /// (`A|R<TAB>code<TAB>yyyymmdd<TAB>title` lines, sorted by code then date;
    /// ICD-10-CM FY2027, transcribed).
    pub fn with_addenda(mut self, addenda: &'static str) -> History {
        self.addenda_text = addenda;
        self.addenda = OnceLock::new();
        self
    }

    /// Every addendum, sorted by key then date.
    pub fn addenda(&self) -> &[Addendum] {
        self.addenda.get_or_init(|| {
            self.addenda_text
                .lines()
                .filter_map(|l| {
                    let mut f = l.split('\t');
                    let added = f.next()? == "A";
                    let key = f.next()?;
                    let date = f.next()?.parse().ok()?;
                    let title = f.next()?;
                    Some(Addendum {
                        key,
                        date,
                        added,
                        title,
                    })
                })
                .collect()
        })
    }

    /// The addenda of keys starting with `prefix`, in key order (a listing
    /// under it reads its titles there: see [`addendum_in`]).
    ///
    /// ```
    /// let h = medcode::CodeSet::icd10cm().history().unwrap();
    /// assert!(!h.addenda_under("Z86").is_empty() && h.addenda_under("S72").is_empty());
    /// ```
    pub fn addenda_under(&self, prefix: &str) -> &[Addendum] {
        crate::sort::starting_with(self.addenda(), prefix, |a| a.key)
    }

    /// The title the addenda give `key` on `date`: the newest addendum of
    /// the key in force then (`None`: the tabular's title stands, or the
    /// code is not new yet).
    pub fn addendum_on(&self, key: &str, date: u32) -> Option<&Addendum> {
        addendum_in(self.addenda(), key, date)
    }

    /// The title of a code the addenda add (whatever the date: a code not
    /// valid yet still has its title).
    pub fn added_title(&self, key: &str) -> Option<&'static str> {
        let all = self.addenda();
        let from = all.partition_point(|a| a.key < key);
        all[from..]
            .iter()
            .take_while(|a| a.key == key)
            .find(|a| a.added)
            .map(|a| a.title)
    }

    fn gaps(&self) -> &[(u64, Span)] {
        self.gaps.get_or_init(|| {
            self.gaps_text
                .lines()
                .filter_map(|l| {
                    let mut f = l.split('\t');
                    let code = pack(f.next()?.as_bytes())?;
                    let start = f.next()?.parse().ok()?;
                    let end = f.next()?.parse().ok()?;
                    Some((code, Span { start, end }))
                })
                .collect()
        })
    }

    /// Whether the packed code was out of use on `date` inside its outer span.
    pub fn in_gap_packed(&self, code: u64, date: u32) -> bool {
        self.gaps()
            .iter()
            .any(|(c, s)| *c == code && s.contains(date))
    }

    /// Whether the key (upper case, no dot) was out of use on `date` inside
    /// its outer span; keys too long to pack are read from the gap table.
    pub fn in_gap(&self, key: &[u8], date: u32) -> bool {
        match pack(key) {
            Some(code) => self.in_gap_packed(code, date),
            None => self.gaps_text.lines().any(|l| {
                let mut f = l.split('\t');
                f.next().is_some_and(|k| k.as_bytes() == key)
                    && matches!((f.next().and_then(|s| s.parse().ok()), f.next().and_then(|e| e.parse().ok())),
                        (Some(start), Some(end)) if (Span { start, end }).contains(date))
            }),
        }
    }

    /// Whether the key is valid on `date`: inside its span and not in a gap.
    pub fn valid_on(&self, key: &str, date: u32) -> bool {
        self.span(key).is_some_and(|s| s.contains(date)) && !self.in_gap(key.as_bytes(), date)
    }

    /// A cursor answering [`History::valid_on`] for keys asked in
    /// increasing order, in one pass over the spans (a search lists every
    /// code of the module so).
    pub fn cursor(&self) -> SpanCursor<'_> {
        SpanCursor {
            history: self,
            stream: self.map.stream(),
            key: Vec::new(),
            span: None,
            done: false,
        }
    }

    /// [`History::valid_on`] for a packed code.
    pub fn valid_on_packed(&self, code: u64, date: u32) -> bool {
        self.span_packed(code).is_some_and(|s| s.contains(date)) && !self.in_gap_packed(code, date)
    }

    /// The FST map of spans, for tests and tools.
    pub fn map(&self) -> &fst::Map<&'static [u8]> {
        &self.map
    }

    /// Every release, oldest first.
    pub fn releases(&self) -> &[Release<'static>] {
        self.releases
            .get_or_init(|| parse_releases(self.releases_text))
    }

    /// The newest release (what answers without a date use).
    pub fn newest(&self) -> Option<&Release<'static>> {
        self.releases().last()
    }

    /// The release in force on `date` (`yyyymmdd`), or `None` before the first.
    pub fn release_on(&self, date: u32) -> Option<&Release<'static>> {
        release_on(self.releases(), date)
    }

    /// The validity span of a normalized key: a key that packs through
    /// [`History::span_packed`] (the hash map once many were asked), a
    /// longer one from the FST.
    pub fn span(&self, key: &str) -> Option<Span> {
        match pack(key.as_bytes()) {
            Some(code) => self.span_packed(code),
            None => self.map.get(key).map(decode_span),
        }
    }

    /// The span of an already packed code: from a hash map once many
    /// codes were asked (see [`WarmTable`]), from the FST before.
    pub fn span_packed(&self, code: u64) -> Option<Span> {
        match self.spans.get(|| self.span_map()) {
            Some(map) => map.get(code).map(decode_span),
            None => self.span_from_fst(code),
        }
    }

    /// [`History::span_packed`] read from the FST (out of line, so the hash
    /// map's path stays small).
    #[cold]
    #[inline(never)]
    fn span_from_fst(&self, code: u64) -> Option<Span> {
        let (key, n) = unpack(code)?;
        self.map.get(key.get(..n)?).map(decode_span)
    }

    /// Builds the hash map of spans now (a caller about to ask many dated
    /// questions).
    pub fn prepare_spans(&self) {
        self.spans.built(|| self.span_map());
    }

    /// Every packable key's span, by packed code.
    #[cold]
    #[inline(never)]
    fn span_map(&self) -> PackedMap {
        let mut map = PackedMap::with_capacity_for(self.map.len());
        let mut stream = self.map.stream();
        while let Some((k, v)) = stream.next() {
            if let Some(code) = pack(k) {
                map.insert(code, v);
            }
        }
        map
    }

    /// Codes valid on `date` whose key starts with `key` (its subdivisions),
    /// at most `limit`, in code order.
    pub fn valid_under(&self, key: &str, date: u32, limit: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = self.map.range().ge(key).into_stream();
        while let Some((k, v)) = stream.next() {
            if !k.starts_with(key.as_bytes()) || out.len() >= limit {
                break;
            }
            if k.len() > key.len() && decode_span(v).contains(date) && !self.in_gap(k, date) {
                out.push(String::from_utf8_lossy(k).into_owned());
            }
        }
        out
    }

    /// Codes the conversion table names as replacing `key`, with the day each took effect.
    pub fn replaced_by(&self, key: &str) -> Vec<(&'static str, u32)> {
        let all = self
            .replaced
            .get_or_init(|| parse_replacements(self.replaced_text));
        let from = all.partition_point(|r| r.old < key);
        all[from..]
            .iter()
            .take_while(|r| r.old == key)
            .map(|r| (r.new, r.date))
            .collect()
    }

    /// The abbreviated title of a code the current tabular does not list.
    pub fn retired_title(&self, key: &str) -> Option<&'static str> {
        self.retired_text.lines().find_map(|l| {
            let (code, title) = l.split_once('\t')?;
            (code == key).then_some(title)
        })
    }
}

/// `yyyymmdd` as `yyyy-mm-dd`; the open end as `""`.
///
/// ```
/// assert_eq!(medcode::history::iso(20261001), "2026-10-01");
/// ```
pub fn iso(date: u32) -> String {
    let mut out = String::new();
    push_iso(&mut out, date);
    out
}

/// Appends [`iso`]`(date)` to `out` without formatting machinery (a lookup
/// writes two dates).
///
/// ```
/// let mut out = String::from("from ");
/// medcode::history::push_iso(&mut out, 20251001);
/// assert_eq!(out, "from 2025-10-01");
/// ```
pub fn push_iso(out: &mut String, date: u32) {
    if date == OPEN_END {
        return;
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let year = date / 10_000;
    for n in [year / 1000, year / 100, year / 10, year] {
        out.push(digit(n));
    }
    out.push('-');
    out.push(digit(date / 1000));
    out.push(digit(date / 100));
    out.push('-');
    out.push(digit(date / 10));
    out.push(digit(date));
}

/// See [`History::cursor`].
pub struct SpanCursor<'a> {
    history: &'a History,
    stream: fst::map::Stream<'a>,
    key: Vec<u8>,
    span: Option<Span>,
    done: bool,
}

impl SpanCursor<'_> {
    /// Whether `key` is valid on `date`; keys must come in increasing
    /// order (an earlier key than the last one asked answers false).
    pub fn valid_on(&mut self, key: &str, date: u32) -> bool {
        let k = key.as_bytes();
        while !self.done && (self.span.is_none() || self.key.as_slice() < k) {
            match self.stream.next() {
                Some((next, v)) => {
                    self.key.clear();
                    self.key.extend_from_slice(next);
                    self.span = Some(decode_span(v));
                }
                None => self.done = true,
            }
        }
        self.key.as_slice() == k
            && self.span.is_some_and(|s| s.contains(date))
            && !self.history.in_gap(k, date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use medcode_tables::history::encode_span;

    fn history_of(rows: &[(&str, u32, u32)], gaps: &'static str) -> History {
        let mut b = fst::MapBuilder::memory();
        for &(k, start, end) in rows {
            b.insert(k, encode_span(Span { start, end })).unwrap();
        }
        let bytes: &'static [u8] = Box::leak(b.into_inner().unwrap().into_boxed_slice());
        History::new(bytes, "", "", "").unwrap().with_gaps(gaps)
    }

    /// Regression (issue 15): a gap of a code too long to pack (a custom
    /// table's 11-16 characters) was dropped, so the code read as valid in it.
    #[test]
    fn gap_of_a_code_too_long_to_pack_is_kept() {
        let h = history_of(
            &[
                ("LONGLOCALCODE016", 20200101, OPEN_END),
                ("SHORT1", 20200101, OPEN_END),
            ],
            "LONGLOCALCODE016\t20210101\t20211231\nSHORT1\t20210101\t20211231\n",
        );
        for key in ["LONGLOCALCODE016", "SHORT1"] {
            assert!(h.valid_on(key, 20200601), "{key}");
            assert!(!h.valid_on(key, 20210601), "{key} is in its gap");
            assert!(h.valid_on(key, 20220101), "{key}");
        }
    }
}
