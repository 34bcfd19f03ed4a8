//! The flat table: the one intermediate form every code system is read into
//! before it is compiled (ICD-10-PCS, HCPCS, modifiers, a licensee's CPT
//! table, a custom code list), and its TSV form.
//!
//! # TSV format
//!
//! UTF-8, one record per line, fields separated by a tab, `\n` or `\r\n` line
//! ends. Optional leading `# key: value` lines give the table's `system` and
//! `release`; other `#` lines and blank lines are ignored. The first other line
//! names the columns, in any order:
//!
//! | column | required | holds |
//! |---|---|---|
//! | `code` | yes | the code; dots are dropped and letters upper-cased, then 1–16 ASCII letters or digits |
//! | `long_title` (or `title`) | no | the full title |
//! | `short_title` | no | the abbreviated title |
//! | `header` | no | `1` for a heading that is not itself reportable, `0` or empty otherwise |
//! | `start` | no | first valid day `yyyymmdd` |
//! | `end` | no | last valid day `yyyymmdd` (inclusive); empty = still valid |
//!
//! An empty title is no title. A code with more than one validity span is
//! written on one line per span with the same titles; a code without `start`
//! has no dates (valid whenever the table is). Errors read `path:line: what`.
//!
//! For example (`→` stands for a tab):
//!
//! ```text
//! # system: CPT
//! # release: 2026 licensee table
//! code → long_title → short_title → start → end
//! 99999 → Made-up visit, first → Made-up visit → 20250101 →
//! ```
//!
//! [`write_tsv`] writes rows sorted by code and spans merged, so equal
//! tables give equal bytes, and [`read_tsv`] reads back what it wrote.

use crate::date::{is_date, merge_spans, Span, OPEN_END};
use crate::error::{TableError, TableErrorKind};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// Longest code of the flat form (see [`crate::layout::MAX_CODE_LEN`]).
pub use crate::layout::MAX_CODE_LEN;

/// One code (or heading) of a flat table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlatRow {
    /// The code without dots, upper case.
    pub code: String,
    /// A heading (e.g. a PCS table `001`), not reportable itself.
    pub header: bool,
    /// Full title.
    pub long_title: Option<String>,
    /// Abbreviated title.
    pub short_title: Option<String>,
    /// Inclusive validity spans, sorted and merged; empty = no dates known.
    pub spans: Vec<Span>,
}

impl FlatRow {
    /// Whether the row may be reported on `date` (`yyyymmdd`): not a heading,
    /// and either undated or inside one of its spans.
    pub fn valid_on(&self, date: u32) -> bool {
        !self.header && (self.spans.is_empty() || self.spans.iter().any(|s| s.contains(date)))
    }
}

/// A code system's codes with titles and validity, ready to compile.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlatTable {
    /// The code system, e.g. `ICD10PCS`, `HCPCS`, `HCPCS-MOD`, `CPT`, or a custom name.
    pub system: String,
    /// Which release or sources the rows come from, free text.
    pub release: String,
    /// The rows; after [`FlatTable::normalize`] sorted by code, one per code.
    pub rows: Vec<FlatRow>,
}

impl FlatTable {
    /// Sorts rows by code and merges each row's spans. Two rows with the same
    /// code are joined when their titles and header flag agree (their spans
    /// are united) and are a [`TableErrorKind::Conflict`] otherwise.
    pub fn normalize(&mut self) -> Result<(), TableErrorKind> {
        self.rows.sort_by(|a, b| a.code.cmp(&b.code));
        let mut out: Vec<FlatRow> = Vec::with_capacity(self.rows.len());
        for row in self.rows.drain(..) {
            match out.last_mut() {
                Some(last) if last.code == row.code => {
                    if last.header != row.header
                        || last.long_title != row.long_title
                        || last.short_title != row.short_title
                    {
                        return Err(TableErrorKind::Conflict(format!(
                            "code {:?} is given twice with different titles or header flags",
                            row.code
                        )));
                    }
                    last.spans.extend(row.spans);
                }
                _ => out.push(row),
            }
        }
        for row in &mut out {
            merge_spans(&mut row.spans);
        }
        self.rows = out;
        Ok(())
    }

    /// The row of `code`; the table must be normalized.
    pub fn get(&self, code: &str) -> Option<&FlatRow> {
        self.rows
            .binary_search_by(|r| r.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.rows[i])
    }

    /// Rows that may be reported on `date`.
    pub fn valid_on(&self, date: u32) -> impl Iterator<Item = &FlatRow> {
        self.rows.iter().filter(move |r| r.valid_on(date))
    }
}

/// Normalizes a code as the flat form stores it: trimmed, dots dropped, upper
/// case; `None` unless 1–[`MAX_CODE_LEN`] ASCII letters or digits remain.
///
/// ```
/// use medcode_tables::flat::normalize_code;
/// assert_eq!(normalize_code(" a01.1 ").as_deref(), Some("A011"));
/// assert_eq!(normalize_code("A-1"), None);
/// ```
pub fn normalize_code(raw: &str) -> Option<String> {
    let code: String = raw
        .trim()
        .chars()
        .filter(|&c| c != '.')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = !code.is_empty()
        && code.len() <= MAX_CODE_LEN
        && code.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then_some(code)
}

const COLUMNS: [&str; 6] = [
    "code",
    "header",
    "short_title",
    "long_title",
    "start",
    "end",
];

/// Writes `table` as TSV (see the module docs): rows sorted by code, one line
/// per span. Fails on duplicate codes with different content and on a title
/// holding a tab or line break; the error names `path` (what the output will
/// be called) and the output line.
pub fn write_tsv(path: &str, table: &FlatTable) -> Result<String, TableError> {
    let mut table = table.clone();
    table
        .normalize()
        .map_err(|kind| TableError::new(path, 0, kind))?;
    let mut out = String::new();
    let mut line = 0u32;
    for (key, value) in [("system", &table.system), ("release", &table.release)] {
        if !value.is_empty() {
            check_field(path, line + 1, key, value)?;
            line += 1;
            let _ = writeln!(out, "# {key}: {value}");
        }
    }
    line += 1;
    out.push_str(&COLUMNS.join("\t"));
    out.push('\n');
    for row in &table.rows {
        let short = row.short_title.as_deref().unwrap_or("");
        let long = row.long_title.as_deref().unwrap_or("");
        let header = if row.header { "1" } else { "0" };
        let spans: Vec<Option<Span>> = if row.spans.is_empty() {
            vec![None]
        } else {
            row.spans.iter().copied().map(Some).collect()
        };
        for span in spans {
            line += 1;
            check_field(path, line, "short_title", short)?;
            check_field(path, line, "long_title", long)?;
            let (start, end) = match span {
                None => (String::new(), String::new()),
                Some(s) if s.end == OPEN_END => (s.start.to_string(), String::new()),
                Some(s) => (s.start.to_string(), s.end.to_string()),
            };
            let _ = writeln!(
                out,
                "{}\t{header}\t{short}\t{long}\t{start}\t{end}",
                row.code
            );
        }
    }
    Ok(out)
}

fn check_field(path: &str, line: u32, column: &str, value: &str) -> Result<(), TableError> {
    if value.contains(['\t', '\n', '\r']) {
        return Err(TableError::new(
            path,
            line,
            TableErrorKind::BadField {
                column: column.to_owned(),
                value: value.to_owned(),
                expected: "text without tabs or line breaks",
            },
        ));
    }
    Ok(())
}

/// Reads a flat table TSV (see the module docs). `path` names the file in
/// errors.
pub fn read_tsv(path: &str, text: &str) -> Result<FlatTable, TableError> {
    read_tsv_checked(path, text, |_| Ok(()))
}

/// Reads a flat table TSV file, gzip-compressed when its name ends in `.gz`.
pub fn read_tsv_file(path: &Path) -> Result<FlatTable, TableError> {
    let text = crate::source::read_text(path)?;
    read_tsv(&path.display().to_string(), &text)
}

/// Like [`read_tsv`], and `check` must accept every non-heading code (after
/// normalization); its message becomes a [`TableErrorKind::BadField`]
/// `expected` text at the offending line.
pub fn read_tsv_checked(
    path: &str,
    text: &str,
    check: impl Fn(&str) -> Result<(), &'static str>,
) -> Result<FlatTable, TableError> {
    let err = |line: usize, kind| TableError::new(path, line as u32, kind);
    let mut table = FlatTable::default();
    let mut columns: Option<Vec<usize>> = None;
    // code -> (line of its first row, index in table.rows)
    let mut first: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if columns.is_none() {
                if let Some((key, value)) = comment.split_once(':') {
                    match key.trim() {
                        "system" => table.system = value.trim().to_owned(),
                        "release" => table.release = value.trim().to_owned(),
                        _ => {}
                    }
                }
            }
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let Some(cols) = &columns else {
            columns = Some(parse_header(&fields).map_err(|e| err(n, e))?);
            continue;
        };
        if fields.len() != cols.len() {
            return Err(err(
                n,
                TableErrorKind::FieldCount {
                    expected: cols.len(),
                    found: fields.len(),
                },
            ));
        }
        let mut cells: [&str; 6] = [""; 6];
        for (field, &col) in fields.iter().zip(cols) {
            cells[col] = field.trim();
        }
        let [code, header, short, long, start, end] = cells;
        let code =
            normalize_code(code).ok_or_else(|| err(n, TableErrorKind::BadCode(code.to_owned())))?;
        let header = match header {
            "" | "0" => false,
            "1" => true,
            other => return Err(err(n, bad_field("header", other, "0, 1 or empty"))),
        };
        if !header {
            check(&code).map_err(|expected| err(n, bad_field("code", &code, expected)))?;
        }
        let date = |column: &str, v: &str| -> Result<u32, TableError> {
            v.parse::<u32>()
                .ok()
                .filter(|d| is_date(*d))
                .ok_or_else(|| err(n, bad_field(column, v, "a date yyyymmdd")))
        };
        let span = match (start, end) {
            ("", "") => None,
            ("", _) => return Err(err(n, bad_field("start", "", "given when end is"))),
            (s, "") => Some(Span {
                start: date("start", s)?,
                end: OPEN_END,
            }),
            (s, e) => {
                let span = Span {
                    start: date("start", s)?,
                    end: date("end", e)?,
                };
                if span.end < span.start {
                    return Err(err(n, bad_field("end", e, "on or after start")));
                }
                Some(span)
            }
        };
        let text_of = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let row = FlatRow {
            code: code.clone(),
            header,
            long_title: text_of(long),
            short_title: text_of(short),
            spans: span.into_iter().collect(),
        };
        if let Some(&(first_line, at)) = first.get(&code) {
            let prev = &mut table.rows[at];
            if prev.header != row.header
                || prev.long_title != row.long_title
                || prev.short_title != row.short_title
            {
                return Err(err(
                    n,
                    TableErrorKind::Conflict(format!(
                        "code {code} has other titles or header flag than on line {first_line}"
                    )),
                ));
            }
            if prev.spans.is_empty() != row.spans.is_empty() {
                return Err(err(
                    n,
                    TableErrorKind::Conflict(format!(
                        "code {code} is dated here but not on line {first_line}, or the reverse"
                    )),
                ));
            }
            prev.spans.extend(row.spans);
        } else {
            first.insert(code, (n, table.rows.len()));
            table.rows.push(row);
        }
    }
    if columns.is_none() {
        return Err(err(0, TableErrorKind::Empty("header line")));
    }
    table
        .normalize()
        .map_err(|kind| TableError::new(path, 0, kind))?;
    Ok(table)
}

fn bad_field(column: &str, value: &str, expected: &'static str) -> TableErrorKind {
    TableErrorKind::BadField {
        column: column.to_owned(),
        value: value.to_owned(),
        expected,
    }
}

/// Maps each header field to its index in [`COLUMNS`].
fn parse_header(fields: &[&str]) -> Result<Vec<usize>, TableErrorKind> {
    let mut cols = Vec::with_capacity(fields.len());
    for f in fields {
        let name = match f.trim() {
            "title" => "long_title",
            other => other,
        };
        let Some(i) = COLUMNS.iter().position(|c| *c == name) else {
            return Err(TableErrorKind::BadHeader(format!(
                "unknown column {f:?} (known: {}, title)",
                COLUMNS.join(", ")
            )));
        };
        if cols.contains(&i) {
            return Err(TableErrorKind::BadHeader(format!("column {name} twice")));
        }
        cols.push(i);
    }
    if !cols.contains(&0) {
        return Err(TableErrorKind::BadHeader("no code column".into()));
    }
    Ok(cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, long: &str, spans: &[(u32, u32)]) -> FlatRow {
        FlatRow {
            code: code.into(),
            header: false,
            long_title: Some(long.into()),
            short_title: None,
            spans: spans
                .iter()
                .map(|&(start, end)| Span { start, end })
                .collect(),
        }
    }

    #[test]
    fn round_trip_is_byte_stable() {
        let mut t = FlatTable {
            system: "TEST".into(),
            release: "r1".into(),
            rows: vec![
                row(
                    "B2",
                    "second",
                    &[(20200101, 20201231), (20220101, OPEN_END)],
                ),
                row("A1", "first", &[]),
                FlatRow {
                    code: "A".into(),
                    header: true,
                    long_title: Some("heading".into()),
                    short_title: Some("hd".into()),
                    spans: vec![],
                },
            ],
        };
        let text = write_tsv("t.tsv", &t).unwrap();
        let back = read_tsv("t.tsv", &text).unwrap();
        t.normalize().unwrap();
        assert_eq!(back, t);
        assert_eq!(write_tsv("t.tsv", &back).unwrap(), text);
        assert_eq!(text.lines().filter(|l| l.starts_with("B2\t")).count(), 2);
    }

    #[test]
    fn errors_name_path_and_line() {
        let cases = [
            ("code\ttitle\nA1\tx\tz\n", "t.tsv:2: 3 fields"),
            ("code\tstart\nA1\t20231301\n", "t.tsv:2: column start"),
            (
                "code\tstart\tend\nA1\t20230101\t20221231\n",
                "t.tsv:2: column end",
            ),
            ("code\tbogus\n", "t.tsv:1: bad header line"),
            ("title\n", "t.tsv:1: bad header line: no code"),
            (
                "code\ttitle\nA1\tx\nA1\ty\n",
                "t.tsv:3: code A1 has other titles",
            ),
            ("code\ttitle\nA-1\tx\n", "t.tsv:2: \"A-1\" is not"),
            ("# only a comment\n", "t.tsv:0: no header line"),
            ("code\tend\nA1\t20200101\n", "t.tsv:2: column start"),
        ];
        for (text, want) in cases {
            let got = read_tsv("t.tsv", text).unwrap_err().to_string();
            assert!(got.starts_with(want), "{text:?}: {got}");
        }
    }

    #[test]
    fn writer_refuses_tabs_in_titles() {
        let t = FlatTable {
            rows: vec![row("A1", "a\tb", &[])],
            ..FlatTable::default()
        };
        let e = write_tsv("out.tsv", &t).unwrap_err().to_string();
        assert!(e.starts_with("out.tsv:2: column long_title"), "{e}");
    }

    #[test]
    fn repeated_lines_unite_spans_and_validity_follows_them() {
        let t = read_tsv(
            "t.tsv",
            "code\ttitle\tstart\tend\na.1\tx\t20200101\t20200630\nA1\tx\t20200701\t20201231\nA1\tx\t20220101\t\n",
        )
        .unwrap();
        let r = t.get("A1").unwrap();
        assert_eq!(
            r.spans,
            [
                Span {
                    start: 20200101,
                    end: 20201231
                },
                Span {
                    start: 20220101,
                    end: OPEN_END
                }
            ]
        );
        assert!(r.valid_on(20200701));
        assert!(!r.valid_on(20210615));
        assert!(r.valid_on(20990101));
        assert!(!r.valid_on(20191231));
    }
}
