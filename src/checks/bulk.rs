//! Bulk checking of CSV or TSV rows (`medcode check`, the offline page's file
//! check): the bytes of many lines in, each line out with five result fields
//! per code column (`valid`, `status`, `reason`, `suggestion`, `title`).
//!
//! This is the fast path of `js/medcode-check.js`, which stays the reference:
//! a line is answered here only when the answer cannot differ from the one
//! the JavaScript checker gives. [`BulkChecker::run`] stops before any other
//! line (a quote, non-ASCII code or date cells, invalid UTF-8, a date cell
//! that is not a date, a missing column, a code cell over 64 bytes) and the
//! caller reads that line itself, then calls `run` again. Answers are kept
//! as written text: a valid code's per release (titles change only when a
//! release starts), a failing code's per date (its reason names the date).

use crate::codeset::CodeSet;
use crate::validate::Severity;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Longest code cell answered here: the JavaScript API calls longer input malformed itself.
const MAX_CODE_CELL: usize = 64;
/// Most answers kept in each cache before it starts over.
const CACHE_LIMIT: usize = 1 << 18;

/// What the file looks like, found by the caller from its first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkConfig {
    /// `b','` or `b'\t'`.
    pub delimiter: u8,
    /// The code columns (0-based), each checked against this set.
    pub columns: Vec<usize>,
    /// The date-of-service column, if any.
    pub date_column: Option<usize>,
    /// The date (`yyyymmdd`) for rows without one; `None`: the newest release.
    pub date: Option<u32>,
}

/// What one [`BulkChecker::run`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Bytes of the input read (whole lines, with their line breaks).
    pub consumed: usize,
    /// Lines answered.
    pub lines: usize,
    /// Whether it stopped before a line it leaves to the caller (at
    /// `consumed`); otherwise it stopped at the end of the complete lines.
    pub stopped: bool,
}

/// Counts over the lines answered so far.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BulkSummary {
    /// Lines answered.
    pub rows: u64,
    /// Code cells that were not empty.
    pub codes: u64,
    /// Lines with a code that is not valid.
    pub failed_rows: u64,
    /// Code cells per status (`valid` or a validation reason), in the order first seen.
    pub statuses: Vec<(&'static str, u64)>,
}

/// A multiply-rotate hasher for the valid-answer cache's integer keys.
#[derive(Default)]
struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// A written answer: the result fields with their delimiters, and its
/// status (its place in [`BulkSummary::statuses`]).
struct Answer {
    text: Box<[u8]>,
    valid: bool,
    status: usize,
}

/// Checks lines of one file against one code set (see the module doc).
pub struct BulkChecker<'a> {
    set: &'a CodeSet,
    config: BulkConfig,
    /// Valid codes' answers by (release start, packed code).
    valid: IntMap<(u32, u64), Answer>,
    /// Failing codes' answers by (date, cell as typed).
    failed: HashMap<(u32, Box<[u8]>), Answer>,
    /// The release of the last date asked.
    last_release: ReleaseOf,
    summary: BulkSummary,
    /// Field bounds of the line being read.
    fields: Vec<(usize, usize)>,
    /// How many fields a line needs to hold every column.
    needed: usize,
}

impl<'a> BulkChecker<'a> {
    /// A checker for lines laid out as `config` says.
    pub fn new(set: &'a CodeSet, config: BulkConfig) -> Self {
        let needed = config
            .columns
            .iter()
            .chain(config.date_column.iter())
            .max()
            .map_or(0, |m| m.saturating_add(1));
        set.prepare_validity();
        BulkChecker {
            set,
            config,
            valid: IntMap::default(),
            failed: HashMap::new(),
            last_release: ReleaseOf::default(),
            summary: BulkSummary::default(),
            fields: Vec::new(),
            needed,
        }
    }

    /// The counts so far.
    pub fn summary(&self) -> &BulkSummary {
        &self.summary
    }

    /// Answers the complete lines of `input` (and, when `last`, the line
    /// without a break at its end), writing each to `out`: the line as read
    /// (without `\r` before its `\n`), its result fields, `\n`. Stops before
    /// a line it leaves to the caller (see the module doc).
    ///
    /// ```
    /// use medcode::checks::bulk::{BulkChecker, BulkConfig};
    /// let cm = medcode::CodeSet::icd10cm();
    /// let config = BulkConfig { delimiter: b',', columns: vec![1], date_column: None, date: None };
    /// let mut checker = BulkChecker::new(cm, config);
    /// let mut out = Vec::new();
    /// let done = checker.run(b"c1,E11.9\nc2,\"E11.9\"\n", false, &mut out);
    /// assert_eq!((done.lines, done.stopped, done.consumed), (1, true, 9));
    /// let text = String::from_utf8(out).unwrap();
    /// assert!(text.starts_with("c1,E11.9,true,valid,,,Type 2 diabetes mellitus without complications"));
    /// ```
    pub fn run(&mut self, input: &[u8], last: bool, out: &mut Vec<u8>) -> Progress {
        let mut progress = Progress::default();
        let mut start = 0;
        while start < input.len() {
            let Some(scan) = self.scan(input, start, last) else {
                break;
            };
            let written = out.len();
            if scan.quote || !self.line(&input[start..scan.end], scan.ascii, out) {
                out.truncate(written);
                progress.stopped = true;
                break;
            }
            progress.lines += 1;
            start = scan.next;
        }
        progress.consumed = start;
        progress
    }

    /// Reads the line at `input[start..]` in one pass: its end, whether it
    /// holds a quote or non-ASCII bytes, and the bounds of its first
    /// `needed` fields (in `self.fields`, from the line's start). `None`
    /// when its line break is not in `input` and `last` is false.
    fn scan(&mut self, input: &[u8], start: usize, last: bool) -> Option<Scan> {
        let delimiter = self.config.delimiter;
        self.fields.clear();
        let (mut from, mut quote, mut ascii) = (start, false, true);
        let mut i = start;
        while i < input.len() {
            let b = input[i];
            if b == b'\n' {
                break;
            }
            if b == delimiter {
                if self.fields.len() < self.needed {
                    self.fields.push((from - start, i - start));
                }
                from = i + 1;
            } else if b == b'"' {
                quote = true;
            } else if b >= 0x80 {
                ascii = false;
            }
            i += 1;
        }
        if i == input.len() && !last {
            return None;
        }
        let next = if i < input.len() { i + 1 } else { i };
        let end = if i > start && input[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        if self.fields.len() < self.needed {
            self.fields.push((from - start, end.max(from) - start));
        }
        Some(Scan {
            end,
            next,
            quote,
            ascii,
        })
    }

    /// Writes one line (split by [`BulkChecker::scan`]) and its answers;
    /// `false` (with `out` to be cut back) for a line left to the caller.
    fn line(&mut self, line: &[u8], ascii: bool, out: &mut Vec<u8>) -> bool {
        if !ascii && std::str::from_utf8(line).is_err() {
            return false;
        }
        let delimiter = self.config.delimiter;
        let date = match self.config.date_column {
            Some(c) => {
                let cell = self.fields.get(c).map_or(&b""[..], |&(a, b)| &line[a..b]);
                if trim(cell).is_empty() {
                    self.config.date
                } else {
                    match read_date(cell) {
                        Some(d) => Some(d),
                        None => return false,
                    }
                }
            }
            None => self.config.date,
        };
        // Every code cell is read before anything is written or counted.
        for &c in &self.config.columns {
            match self.fields.get(c).map(|&(a, b)| &line[a..b]) {
                Some(cell) if cell.len() <= MAX_CODE_CELL && cell.is_ascii() => {}
                _ => return false,
            }
        }
        out.extend_from_slice(line);
        let mut failed = false;
        for k in 0..self.config.columns.len() {
            let (a, b) = self.fields[self.config.columns[k]];
            let cell = &line[a..b];
            if trim(cell).is_empty() {
                for field in ["", "empty", "", "", ""] {
                    push_field(out, field, delimiter);
                }
                continue;
            }
            self.summary.codes += 1;
            let (valid, status) = self.answer(cell, date, out);
            failed |= !valid;
            if let Some((_, n)) = self.summary.statuses.get_mut(status) {
                *n += 1;
            }
        }
        out.push(b'\n');
        self.summary.rows += 1;
        self.summary.failed_rows += u64::from(failed);
        true
    }

    /// Writes the answer for one code cell; returns whether it is valid and
    /// its status's place in the summary.
    fn answer(&mut self, cell: &[u8], date: Option<u32>, out: &mut Vec<u8>) -> (bool, usize) {
        let set = self.set;
        let (valid, packed) = set.is_valid_bytes_packed(cell, date);
        // ASCII was checked by the caller.
        let text = std::str::from_utf8(cell).unwrap_or_default();
        let ask = Ask {
            set,
            date,
            delimiter: self.config.delimiter,
        };
        let statuses = &mut self.summary.statuses;
        if valid {
            let release = date.map_or(0, |d| self.last_release.key(set, d));
            let Some(code) = packed else {
                let answer = ask.valid(text, statuses);
                out.extend_from_slice(&answer.text);
                return (true, answer.status);
            };
            if self.valid.len() >= CACHE_LIMIT {
                self.valid.clear();
            }
            let answer = self
                .valid
                .entry((release, code))
                .or_insert_with(|| ask.valid(text, statuses));
            out.extend_from_slice(&answer.text);
            return (true, answer.status);
        }
        let key = (date.unwrap_or(0), Box::<[u8]>::from(cell));
        if let Some(answer) = self.failed.get(&key) {
            out.extend_from_slice(&answer.text);
            return (answer.valid, answer.status);
        }
        if self.failed.len() >= 4096 {
            self.failed.clear();
        }
        let answer = ask.failed(text, statuses);
        out.extend_from_slice(&answer.text);
        let found = (answer.valid, answer.status);
        self.failed.insert(key, answer);
        found
    }
}

/// What [`BulkChecker::scan`] found of a line.
struct Scan {
    /// Where the line ends (before `\r\n` or `\n`).
    end: usize,
    /// Where the next line starts.
    next: usize,
    /// Whether it holds a quote.
    quote: bool,
    /// Whether it is all ASCII.
    ascii: bool,
}

/// The last date asked and the start of its release (the release's start
/// keys valid codes' answers: titles change only when a release starts).
#[derive(Default)]
struct ReleaseOf {
    date: u32,
    start: u32,
}

impl ReleaseOf {
    /// The start of the release in force on `date` (the date itself before the first).
    fn key(&mut self, set: &CodeSet, date: u32) -> u32 {
        if self.date != date {
            self.start = set
                .history()
                .and_then(|h| h.release_on(date))
                .map_or(date, |r| r.start);
            self.date = date;
        }
        self.start
    }
}

/// The place of `status` in `statuses`, added with count 0 when new.
fn status_index(statuses: &mut Vec<(&'static str, u64)>, status: &'static str) -> usize {
    match statuses.iter().position(|(s, _)| *s == status) {
        Some(i) => i,
        None => {
            statuses.push((status, 0));
            statuses.len() - 1
        }
    }
}

/// The cell without the whitespace JavaScript's `trim` removes (ASCII cells only).
fn trim(cell: &[u8]) -> &[u8] {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let start = cell.iter().position(|b| !space(b)).unwrap_or(cell.len());
    let end = cell
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |e| e + 1);
    &cell[start..end]
}

/// `YYYY-MM-DD` (and anything after it), `M/D/YYYY` or `YYYYMMDD`, a real
/// day of a year 1000–9999, as `yyyymmdd`; `None` otherwise.
///
/// ```
/// use medcode::checks::bulk::read_date;
/// assert_eq!(read_date(b" 2026-02-28T10:00"), Some(20260228));
/// assert_eq!(read_date(b"2/3/2026"), Some(20260203));
/// assert_eq!(read_date(b"20240229"), Some(20240229));
/// assert_eq!(read_date(b"20250229"), None);
/// assert_eq!(read_date(b"1/2/3/2026"), None);
/// assert_eq!(read_date(b"13/01/2026"), None);
/// ```
pub fn read_date(cell: &[u8]) -> Option<u32> {
    let s = trim(cell);
    // Digits of `s` read as one number, skipping the separators at `skip`.
    let number = |s: &[u8], skip: &[usize]| -> Option<u32> {
        let mut n = 0u32;
        for (i, &c) in s.iter().enumerate() {
            if !skip.contains(&i) {
                n = n * 10 + u32::from(c.checked_sub(b'0').filter(|d| *d < 10)?);
            }
        }
        Some(n)
    };
    let date = match (s.len(), s.iter().position(|&b| b == b'/')) {
        (n, _) if n >= 10 && s[4] == b'-' && s[7] == b'-' => number(&s[..10], &[4, 7])?,
        (8, None) => number(s, &[])?,
        (8..=10, Some(first @ 1..=2)) => {
            let second = first + 1 + s[first + 1..].iter().position(|&b| b == b'/')?;
            if !(1..=2).contains(&(second - first - 1)) || s.len() - second - 1 != 4 {
                return None;
            }
            let (m, d) = (
                number(&s[..first], &[])?,
                number(&s[first + 1..second], &[])?,
            );
            number(&s[second + 1..], &[])? * 10_000 + m * 100 + d
        }
        _ => return None,
    };
    medcode_tables::date::is_date(date).then_some(date)
}

/// A result field as CSV or TSV writes it: quoted when it holds the
/// delimiter, a quote or a line break (`quoteField` in `js/medcode-check.js`).
fn push_field(out: &mut Vec<u8>, value: &str, delimiter: u8) {
    out.push(delimiter);
    let needs = value
        .bytes()
        .any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r');
    if !needs {
        out.extend_from_slice(value.as_bytes());
        return;
    }
    out.push(b'"');
    for b in value.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// What an answer is asked for besides the code: the set, the date and the delimiter it is written with.
struct Ask<'a> {
    set: &'a CodeSet,
    date: Option<u32>,
    delimiter: u8,
}

impl Ask<'_> {
    /// The five result fields written out, with the status counted in `statuses`.
    fn answer(
        &self,
        fields: [&str; 5],
        status: &'static str,
        statuses: &mut Vec<(&'static str, u64)>,
    ) -> Answer {
        let mut text = Vec::with_capacity(fields.iter().map(|f| f.len() + 1).sum());
        for field in fields {
            push_field(&mut text, field, self.delimiter);
        }
        Answer {
            text: text.into(),
            valid: status == "valid",
            status: status_index(statuses, status),
        }
    }

    /// The answer for a valid code: `true`, `valid`, no reason or suggestion, its title on the date.
    fn valid(&self, code: &str, statuses: &mut Vec<(&'static str, u64)>) -> Answer {
        let title = match self.set.lookup_on(code, self.date) {
            Ok(Some(found)) => found.concept.display,
            _ => String::new(),
        };
        self.answer(["true", "valid", "", "", &title], "valid", statuses)
    }

    /// The answer for a failing code: `false`, the first error's reason and
    /// words (`invalid` when there is none), up to three suggestions, the title.
    fn failed(&self, code: &str, statuses: &mut Vec<(&'static str, u64)>) -> Answer {
        let v = self.set.validate_on(code, self.date);
        let error = v.issues.iter().find(|i| i.severity == Severity::Error);
        let status = error.map_or("invalid", |e| e.reason.as_str());
        let suggestions: Vec<&str> = v
            .suggestions
            .iter()
            .take(3)
            .map(|s| s.code.as_str())
            .collect();
        let fields = [
            "false",
            status,
            error.map_or("", |e| e.text.as_str()),
            &suggestions.join(" "),
            v.display.as_deref().unwrap_or(""),
        ];
        self.answer(fields, status, statuses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &[u8], config: BulkConfig) -> (String, Progress, BulkSummary) {
        let cm = CodeSet::icd10cm();
        let mut checker = BulkChecker::new(cm, config);
        let mut out = Vec::new();
        let progress = checker.run(input, true, &mut out);
        (
            String::from_utf8(out).unwrap_or_default(),
            progress,
            checker.summary().clone(),
        )
    }

    fn config(columns: Vec<usize>, date_column: Option<usize>) -> BulkConfig {
        BulkConfig {
            delimiter: b',',
            columns,
            date_column,
            date: None,
        }
    }

    #[test]
    fn a_code_is_answered_on_its_row_date() {
        // A04.7 was split into A04.71 and A04.72 on 2017-10-01.
        let (out, progress, summary) = check(
            b"1,2017-01-01,A04.7\r\n2,01/02/2018,A04.7\n",
            config(vec![2], Some(1)),
        );
        assert_eq!(
            progress,
            Progress {
                consumed: 39,
                lines: 2,
                stopped: false
            }
        );
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with("1,2017-01-01,A04.7,true,valid,,,"),
            "{out}"
        );
        assert!(
            lines[1].starts_with("2,01/02/2018,A04.7,false,deleted,"),
            "{out}"
        );
        assert_eq!(summary.statuses, vec![("valid", 1), ("deleted", 1)]);
        assert_eq!(
            (summary.rows, summary.codes, summary.failed_rows),
            (2, 2, 1)
        );
    }

    #[test]
    fn lines_it_cannot_answer_exactly_are_left_to_the_caller() {
        for line in [
            &b"1,2026-13-01,E11.9\n"[..],   // not a date
            b"1,2026-01-01\n",              // no code column
            b"1,2026-01-01,\"E11.9\"\n",    // a quote
            b"1,2026-01-01,E11.\xc3\xa9\n", // a non-ASCII code cell
            b"1,2026-01-01,E11.\xff\n",     // not UTF-8
        ] {
            let (out, progress, _) = check(line, config(vec![2], Some(1)));
            assert_eq!(
                (
                    out.as_str(),
                    progress.lines,
                    progress.stopped,
                    progress.consumed
                ),
                ("", 0, true, 0)
            );
        }
    }

    #[test]
    fn empty_cells_and_titles_with_the_delimiter_are_written_as_the_js_checker_writes_them() {
        let (out, _, summary) = check(b" ,E11.9\n", config(vec![0, 1], None));
        assert_eq!(
            out,
            " ,E11.9,,empty,,,,true,valid,,,Type 2 diabetes mellitus without complications\n"
        );
        assert_eq!(summary.codes, 1);
        let (out, _, _) = check(b"S72.001A\n", config(vec![0], None));
        assert!(
            out.contains(",\"Fracture of unspecified part of neck of right femur, initial"),
            "{out}"
        );
    }
}
