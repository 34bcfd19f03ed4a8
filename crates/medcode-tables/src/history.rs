//! Validity over time: which codes were valid on which dates, which releases
//! there were, and which codes replaced deleted ones. Written at build time
//! next to the code tables, read at run time.
//!
//! - the history map: an FST from code (no dot, upper case) to its validity
//!   span packed by [`encode_span`];
//! - the releases text: one line per release, `yyyymmdd<TAB>name`, oldest first;
//! - the replacements text: `old<TAB>new<TAB>yyyymmdd` lines sorted by old code.

use crate::date::{Span, OPEN_END};

/// Packs a span into an FST value: start in the high 32 bits, end in the low.
///
/// ```
/// use medcode_tables::{date::Span, history::{decode_span, encode_span}};
/// let s = Span { start: 20151001, end: 20260930 };
/// assert_eq!(decode_span(encode_span(s)), s);
/// ```
pub fn encode_span(s: Span) -> u64 {
    u64::from(s.start) << 32 | u64::from(s.end)
}

/// Unpacks a value written by [`encode_span`].
pub fn decode_span(v: u64) -> Span {
    Span {
        start: (v >> 32) as u32,
        end: v as u32,
    }
}

/// One release of a code system: the first day it applies and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release<'a> {
    /// First day the release applies, `yyyymmdd`.
    pub start: u32,
    /// Its name, e.g. `FY2027` or `FY2026 April 2026 update`.
    pub name: &'a str,
}

/// Reads the releases text (lines that do not parse are skipped).
pub fn parse_releases(text: &str) -> Vec<Release<'_>> {
    text.lines()
        .filter_map(|line| {
            let (date, name) = line.split_once('\t')?;
            Some(Release {
                start: date.parse().ok()?,
                name,
            })
        })
        .collect()
}

/// The release in force on `date`: the newest one starting on or before it.
///
/// ```
/// use medcode_tables::history::{parse_releases, release_on};
/// let r = parse_releases("20251001\tFY2026\n20260401\tFY2026 April 2026 update\n20261001\tFY2027\n");
/// assert_eq!(release_on(&r, 20260415).map(|r| r.name), Some("FY2026 April 2026 update"));
/// assert_eq!(release_on(&r, 20250101), None);
/// ```
pub fn release_on<'r, 'a>(releases: &'r [Release<'a>], date: u32) -> Option<&'r Release<'a>> {
    let i = releases.partition_point(|r| r.start <= date);
    i.checked_sub(1).map(|i| &releases[i])
}

/// Month names, January first (release names are written with them).
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of an ICD-10 (CM or PCS) release starting on `start`: federal
/// fiscal years begin on October 1; other starts are updates within a year.
///
/// ```
/// use medcode_tables::history::fiscal_release_name;
/// assert_eq!(fiscal_release_name(20261001), "FY2027");
/// assert_eq!(fiscal_release_name(20260401), "FY2026 April 2026 update");
/// assert_eq!(fiscal_release_name(20210101), "FY2021 January 2021 update");
/// ```
pub fn fiscal_release_name(start: u32) -> String {
    let (y, m, d) = (start / 10_000, start / 100 % 100, start % 100);
    if m == 10 && d == 1 {
        return format!("FY{}", y + 1);
    }
    let fy = if m >= 10 { y + 1 } else { y };
    let month = MONTHS.get(m.wrapping_sub(1) as usize).unwrap_or(&"?");
    if d == 1 {
        format!("FY{fy} {month} {y} update")
    } else {
        format!("FY{fy} update of {month} {d} {y}")
    }
}

/// The first days of every release the spans imply: each span's start and
/// the day after each closed span's end, sorted, without repeats.
pub fn release_starts<'a>(spans: impl IntoIterator<Item = &'a Span>) -> Vec<u32> {
    let mut starts: Vec<u32> = Vec::new();
    for s in spans {
        starts.push(s.start);
        if s.end != OPEN_END {
            starts.push(crate::date::next_day(s.end));
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// One replacement: `old` was replaced by `new` from `date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replacement<'a> {
    /// The deleted (or revised) code.
    pub old: &'a str,
    /// The code that took its place.
    pub new: &'a str,
    /// First day of `new`, `yyyymmdd`.
    pub date: u32,
}

/// Reads the replacements text (lines that do not parse are skipped).
pub fn parse_replacements(text: &str) -> Vec<Replacement<'_>> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            Some(Replacement {
                old: f.next()?,
                new: f.next()?,
                date: f.next()?.parse().ok()?,
            })
        })
        .collect()
}

/// Builds the history map from code → span (keys already normalized).
#[cfg(feature = "compile")]
pub fn compile_map<'a>(
    spans: impl IntoIterator<Item = (&'a String, &'a Span)>,
) -> Result<Vec<u8>, fst::Error> {
    let mut builder = fst::MapBuilder::memory();
    for (code, span) in spans {
        builder.insert(code, encode_span(*span))?;
    }
    builder.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_starts_come_from_starts_and_ends() {
        let spans = [
            Span {
                start: 20151001,
                end: 20160930,
            },
            Span {
                start: 20151001,
                end: OPEN_END,
            },
            Span {
                start: 20220401,
                end: OPEN_END,
            },
        ];
        assert_eq!(release_starts(spans.iter()), [20151001, 20161001, 20220401]);
    }

    #[test]
    fn release_names_of_every_cm_start() {
        assert_eq!(fiscal_release_name(20151001), "FY2016");
        assert_eq!(fiscal_release_name(20200801), "FY2020 August 2020 update");
        assert_eq!(
            fiscal_release_name(20200415),
            "FY2020 update of April 15 2020"
        );
    }
}
