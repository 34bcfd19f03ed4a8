//! Calendar dates as `yyyymmdd` numbers (e.g. `20261001`), the form every
//! CMS and registry source writes them in, and inclusive validity spans.

/// The end of a span that is still open: valid as of the newest release the
/// source knows (sources write it as a far-away sentinel such as `20270331`
/// or `20360331`; the readers map those to this value).
pub const OPEN_END: u32 = 99_991_231;

/// An inclusive range of dates on which a code is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First valid day, `yyyymmdd`.
    pub start: u32,
    /// Last valid day, `yyyymmdd`, or [`OPEN_END`].
    pub end: u32,
}

impl Span {
    /// Whether `date` (`yyyymmdd`) falls in the span.
    pub fn contains(&self, date: u32) -> bool {
        self.start <= date && date <= self.end
    }
}

/// Whether `d` is a real calendar day written `yyyymmdd` (year 1000–9999).
///
/// ```
/// use medcode_tables::date::is_date;
/// assert!(is_date(20240229));
/// assert!(!is_date(20230229));
/// assert!(!is_date(20261301));
/// ```
pub fn is_date(d: u32) -> bool {
    let (y, m, day) = (d / 10_000, d / 100 % 100, d % 100);
    (1000..=9999).contains(&y) && (1..=12).contains(&m) && day >= 1 && day <= days_in(y, m)
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `yyyymmdd` as `yyyy-mm-dd`.
///
/// ```
/// assert_eq!(medcode_tables::date::format_date(20271001), "2027-10-01");
/// ```
pub fn format_date(d: u32) -> String {
    format!("{}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100)
}

/// `yyyy-mm-dd` as `yyyymmdd`, `None` unless it is a real day.
///
/// ```
/// use medcode_tables::date::parse_date;
/// assert_eq!(parse_date("2027-10-01"), Some(20271001));
/// assert_eq!(parse_date("2027-02-30"), None);
/// ```
pub fn parse_date(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let d: u32 = (digits.len() == 8).then(|| digits.parse().ok()).flatten()?;
    is_date(d).then_some(d)
}

/// The day before `d` (`yyyymmdd`), for a date that passes [`is_date`];
/// other input gives an unspecified result.
///
/// ```
/// use medcode_tables::date::previous_day;
/// assert_eq!(previous_day(20261001), 20260930);
/// assert_eq!(previous_day(20260101), 20251231);
/// assert_eq!(previous_day(20240301), 20240229);
/// ```
pub fn previous_day(d: u32) -> u32 {
    let (y, m, day) = (d / 10_000, d / 100 % 100, d % 100);
    if day > 1 {
        return d - 1;
    }
    let (py, pm) = if m <= 1 {
        (y.saturating_sub(1), 12)
    } else {
        (y, m - 1)
    };
    py * 10_000 + pm * 100 + days_in(py, pm)
}

/// The day after `d` (`yyyymmdd`); [`OPEN_END`] stays itself. `d` must satisfy
/// [`is_date`]; other input gives an unspecified but in-range result.
///
/// ```
/// use medcode_tables::date::next_day;
/// assert_eq!(next_day(20250930), 20251001);
/// assert_eq!(next_day(20251231), 20260101);
/// assert_eq!(next_day(20240228), 20240229);
/// ```
pub fn next_day(d: u32) -> u32 {
    if d >= OPEN_END {
        return OPEN_END;
    }
    let (y, m, day) = (d / 10_000, d / 100 % 100, d % 100);
    if day < days_in(y, m) {
        d + 1
    } else if m < 12 {
        y * 10_000 + (m + 1) * 100 + 1
    } else {
        (y + 1) * 10_000 + 101
    }
}

/// Sorts spans and joins those that overlap or touch (one ends the day before
/// the next starts), so equal validity always has one form.
///
/// ```
/// use medcode_tables::date::{merge_spans, Span};
/// let mut s = vec![
///     Span { start: 20251001, end: 20251231 },
///     Span { start: 20250701, end: 20250930 },
///     Span { start: 20260401, end: 20260630 },
/// ];
/// merge_spans(&mut s);
/// assert_eq!(s, [Span { start: 20250701, end: 20251231 }, Span { start: 20260401, end: 20260630 }]);
/// ```
pub fn merge_spans(spans: &mut Vec<Span>) {
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        match out.last_mut() {
            Some(last) if s.start <= next_day(last.end) => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    *spans = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_day_walks_a_leap_year() {
        let mut d = 20240101;
        let mut n = 1;
        while d != 20250101 {
            assert!(is_date(d), "{d}");
            d = next_day(d);
            n += 1;
        }
        assert_eq!(n, 367);
    }

    #[test]
    fn open_end_is_a_date_and_absorbs() {
        assert!(is_date(OPEN_END));
        assert_eq!(next_day(OPEN_END), OPEN_END);
        let mut s = vec![
            Span {
                start: 20200101,
                end: OPEN_END,
            },
            Span {
                start: 20210101,
                end: 20210201,
            },
        ];
        merge_spans(&mut s);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].end, OPEN_END);
    }

    #[test]
    fn gaps_are_kept() {
        let mut s = vec![
            Span {
                start: 20200101,
                end: 20200130,
            },
            Span {
                start: 20200201,
                end: 20200301,
            },
        ];
        merge_spans(&mut s);
        assert_eq!(s.len(), 2);
    }
}
