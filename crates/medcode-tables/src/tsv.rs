//! Reading the registry TSV files (`tables/registry/`): a header line that
//! must start with the expected columns, then rows of tab-separated fields,
//! each with its 1-based line number. Blank lines are skipped and a CRLF line
//! end is accepted; a row with the wrong number of fields is an error that
//! names the file and line.
//!
//! ```
//! use medcode_tables::tsv::{rows, Fields};
//! let text = "code\tstart\nA00\t20151001\n\nA01\t20161001\r\n";
//! let read: Vec<_> = rows("x.tsv", text, &["code", "start"], Fields::Exactly(2))
//!     .unwrap()
//!     .collect::<Result<_, _>>()
//!     .unwrap();
//! assert_eq!(read, [(2, vec!["A00", "20151001"]), (4, vec!["A01", "20161001"])]);
//! let bad = rows("x.tsv", "code\tstart\nA00\n", &["code", "start"], Fields::Exactly(2)).unwrap().next();
//! assert_eq!(bad.unwrap().unwrap_err().to_string(), "x.tsv:2: 1 fields, the header names 2");
//! assert!(rows("x.tsv", "other\n", &["code"], Fields::AtLeast(1)).is_err());
//! ```

use crate::error::{TableError, TableErrorKind};
use std::iter::Enumerate;
use std::str::Lines;

/// How many fields a row must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// Exactly this many.
    Exactly(usize),
    /// At least this many (later columns are optional).
    AtLeast(usize),
}

/// The rows of a TSV after its header: `(line number, fields)`.
#[derive(Debug)]
pub struct Rows<'t> {
    path: &'t str,
    lines: Enumerate<Lines<'t>>,
    fields: Fields,
    named: usize,
}

/// Checks that the header of `text` starts with `columns` and returns its rows.
pub fn rows<'t>(
    path: &'t str,
    text: &'t str,
    columns: &[&str],
    fields: Fields,
) -> Result<Rows<'t>, TableError> {
    let mut lines = text.lines().enumerate();
    let header = columns.join("\t");
    match lines.next() {
        Some((_, h)) if h.trim_end().starts_with(&header) => Ok(Rows {
            path,
            lines,
            fields,
            named: columns.len(),
        }),
        _ => Err(TableError::new(
            path,
            1,
            TableErrorKind::BadHeader(format!("expected {}", columns.join(", "))),
        )),
    }
}

impl<'t> Iterator for Rows<'t> {
    type Item = Result<(u32, Vec<&'t str>), TableError>;

    fn next(&mut self) -> Option<Self::Item> {
        for (i, line) in self.lines.by_ref() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            let n = (i + 1) as u32;
            let f: Vec<&str> = line.split('\t').collect();
            let ok = match self.fields {
                Fields::Exactly(k) => f.len() == k,
                Fields::AtLeast(k) => f.len() >= k,
            };
            if !ok {
                let kind = TableErrorKind::FieldCount {
                    expected: self.named,
                    found: f.len(),
                };
                return Some(Err(TableError::new(self.path, n, kind)));
            }
            return Some(Ok((n, f)));
        }
        None
    }
}
