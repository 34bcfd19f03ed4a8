//! HCPCS Level II: procedure codes (a letter and four digits) and modifiers.
//!
//! Default build (committed registry sources, from the pyoce wheel):
//! `ioce_hcpcs.tsv.gz` (short descriptions per I/OCE quarter, July 2019 to
//! the newest quarter) with `ioce_versions.tsv.gz` turning version numbers
//! into dates, and `ioce_modifiers.tsv.gz` (modifier codes, no
//! descriptions). Official build: the CMS quarterly "ANWEB" workbook (`.xlsx`,
//! read with calamine) or the TSV of its key columns: long and short
//! descriptions, add and termination dates, procedures (record id 3) and
//! modifiers (record id 7). CPT codes (AMA) and dental D-codes (ADA) are
//! never Level II and are refused.

use crate::date::{is_date, merge_spans, Span, OPEN_END};
use crate::error::{TableError, TableErrorKind};
use crate::flat::{FlatRow, FlatTable};
use std::collections::BTreeMap;
use std::path::Path;

/// System name of the procedure table.
pub const SYSTEM: &str = "HCPCS";
/// System name of the modifier table.
pub const MODIFIER_SYSTEM: &str = "HCPCS-MOD";
/// ANWEB record id of a procedure code.
pub const RECORD_PROCEDURE: u8 = 3;
/// ANWEB record id of a modifier.
pub const RECORD_MODIFIER: u8 = 7;

/// Whether `code` has the Level II form: a letter `A`–`V` other than `D`
/// (dental, CDT), then four digits. CPT codes (digits first) never match.
///
/// ```
/// use medcode_tables::hcpcs::is_level2;
/// assert!(is_level2("J1234"));
/// assert!(!is_level2("D0120"));
/// assert!(!is_level2("99213"));
/// assert!(!is_level2("W1234"));
/// ```
pub fn is_level2(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5
        && (b'A'..=b'V').contains(&b[0])
        && b[0] != b'D'
        && b[1..].iter().all(u8::is_ascii_digit)
}

/// Whether `code` has a modifier's form: two upper-case letters or digits.
pub fn is_modifier(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 2
        && b.iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

fn err(path: &str, n: usize, kind: TableErrorKind) -> TableError {
    TableError::new(path, n as u32, kind)
}

fn bad(column: &str, value: &str, expected: &'static str) -> TableErrorKind {
    TableErrorKind::BadField {
        column: column.into(),
        value: value.into(),
        expected,
    }
}

/// Reads a TSV whose first line must equal `header`; yields (line, fields).
fn rows<'t>(
    path: &str,
    text: &'t str,
    header: &str,
) -> Result<Vec<(usize, Vec<&'t str>)>, TableError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_end() == header => {}
        _ => {
            return Err(err(
                path,
                1,
                TableErrorKind::BadHeader(format!("expected {}", header.replace('\t', ", "))),
            ))
        }
    }
    let width = header.split('\t').count();
    let mut out = Vec::new();
    for (i, line) in lines {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != width {
            return Err(err(
                path,
                i + 1,
                TableErrorKind::FieldCount {
                    expected: width,
                    found: f.len(),
                },
            ));
        }
        out.push((i + 1, f));
    }
    if out.is_empty() {
        return Err(err(path, 0, TableErrorKind::Empty("data rows")));
    }
    Ok(out)
}

/// I/OCE versions: version number → the quarter it covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Versions {
    /// Version → (first day, last day) of its quarter.
    pub quarters: BTreeMap<u32, (u32, u32)>,
}

impl Versions {
    /// The newest version; its quarter's end is a far-away sentinel, so a
    /// row that reaches it is still valid.
    pub fn newest(&self) -> Option<u32> {
        self.quarters.keys().next_back().copied()
    }

    /// The version in force on `date`.
    pub fn on(&self, date: u32) -> Option<u32> {
        self.quarters
            .iter()
            .find(|(_, (s, e))| *s <= date && date <= *e)
            .map(|(v, _)| *v)
    }

    fn span(&self, path: &str, n: usize, lo: &str, hi: &str) -> Result<Span, TableError> {
        let get = |col: &str, v: &str| {
            v.parse::<u32>()
                .ok()
                .and_then(|v| self.quarters.get(&v).map(|q| (v, *q)))
                .ok_or_else(|| err(path, n, bad(col, v, "a version listed in ioce_versions")))
        };
        let (_, (start, _)) = get("lo_version", lo)?;
        let (hi, (_, end)) = get("hi_version", hi)?;
        let end = if Some(hi) == self.newest() {
            OPEN_END
        } else {
            end
        };
        if end < start {
            return Err(err(
                path,
                n,
                bad("hi_version", &hi.to_string(), "not before lo_version"),
            ));
        }
        Ok(Span { start, end })
    }
}

/// Reads `ioce_versions.tsv` (`key`, `version`, `date_started`,
/// `date_ended`, `version_id`).
pub fn read_versions(path: &str, text: &str) -> Result<Versions, TableError> {
    let mut v = Versions::default();
    for (n, f) in rows(
        path,
        text,
        "key\tversion\tdate_started\tdate_ended\tversion_id",
    )? {
        let num = |col: &str, s: &str, date: bool| {
            s.parse::<u32>()
                .ok()
                .filter(|d| !date || is_date(*d))
                .ok_or_else(|| err(path, n, bad(col, s, "a number or yyyymmdd date")))
        };
        let version = num("version", f[1], false)?;
        let q = (
            num("date_started", f[2], true)?,
            num("date_ended", f[3], true)?,
        );
        if v.quarters.insert(version, q).is_some() {
            return Err(err(path, n, TableErrorKind::DuplicateCode(f[1].into())));
        }
    }
    Ok(v)
}

/// Reads `ioce_hcpcs.tsv` into the HCPCS flat table: one row per code, spans
/// from its versions (joined where quarters follow each other), the short
/// description of its newest row. A code that is not Level II (CPT, CDT) is
/// an error at its line.
pub fn read_ioce(path: &str, text: &str, versions: &Versions) -> Result<FlatTable, TableError> {
    let header = "key\tdescription\tlo_version\thi_version\tdate_approved\tdate_terminated\tstatus_indicator";
    // code -> (newest hi seen, its description, spans)
    let mut codes: BTreeMap<String, (u32, String, Vec<Span>)> = BTreeMap::new();
    for (n, f) in rows(path, text, header)? {
        let code = f[0].split('|').next().unwrap_or("").trim();
        if !is_level2(code) {
            return Err(err(path, n, TableErrorKind::BadCode(code.into())));
        }
        let span = versions.span(path, n, f[2], f[3])?;
        let hi: u32 = f[3].parse().unwrap_or(0);
        let e = codes
            .entry(code.to_owned())
            .or_insert_with(|| (0, String::new(), Vec::new()));
        if hi >= e.0 {
            e.0 = hi;
            e.1 = f[1].trim().to_owned();
        }
        e.2.push(span);
    }
    let rows = codes
        .into_iter()
        .map(|(code, (_, short, mut spans))| {
            merge_spans(&mut spans);
            FlatRow {
                code,
                header: false,
                long_title: None,
                short_title: Some(short).filter(|s| !s.is_empty()),
                spans,
            }
        })
        .collect();
    Ok(FlatTable {
        system: SYSTEM.into(),
        release: "registry: pyoce 0.1.0 I/OCE quarters".into(),
        rows,
    })
}

/// What [`read_ioce_modifiers`] kept and left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModifierCounts {
    /// Distinct modifier codes kept.
    pub kept: usize,
    /// Distinct I/OCE-internal codes (`#` and a character) left out.
    pub internal: usize,
}

/// Reads `ioce_modifiers.tsv` (`key`, `lo_version`, `hi_version`) into a
/// modifier flat table without descriptions. I/OCE-internal keys (`#0` …)
/// are left out; two-digit CPT modifiers are kept as codes only (the
/// registry has no descriptions).
pub fn read_ioce_modifiers(
    path: &str,
    text: &str,
    versions: &Versions,
) -> Result<(FlatTable, ModifierCounts), TableError> {
    let mut codes: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    let mut internal = std::collections::BTreeSet::new();
    for (n, f) in rows(path, text, "key\tlo_version\thi_version")? {
        let code = f[0].split('|').next().unwrap_or("").trim();
        if code.starts_with('#') {
            internal.insert(code.to_owned());
            continue;
        }
        if !is_modifier(code) {
            return Err(err(path, n, TableErrorKind::BadCode(code.into())));
        }
        let span = versions.span(path, n, f[1], f[2])?;
        codes.entry(code.to_owned()).or_default().push(span);
    }
    let counts = ModifierCounts {
        kept: codes.len(),
        internal: internal.len(),
    };
    let rows = codes
        .into_iter()
        .map(|(code, mut spans)| {
            merge_spans(&mut spans);
            FlatRow {
                code,
                spans,
                ..FlatRow::default()
            }
        })
        .collect();
    let table = FlatTable {
        system: MODIFIER_SYSTEM.into(),
        release: "registry: pyoce 0.1.0 I/OCE quarters".into(),
        rows,
    };
    Ok((table, counts))
}

/// One record of the official ANWEB release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnwebRow {
    /// The code (leading blanks removed).
    pub code: String,
    /// Record id: 3 procedure, 7 modifier (4 and 8 are continuation lines).
    pub record_id: u8,
    /// Long description.
    pub long: String,
    /// Short description.
    pub short: String,
    /// Date added.
    pub added: Option<u32>,
    /// Date the last action took effect.
    pub action_effective: Option<u32>,
    /// Last valid day, if terminated.
    pub terminated: Option<u32>,
    /// Action code (`N` no change, `A` added, `D` discontinued, …).
    pub action: String,
    /// 1-based row (line or spreadsheet row).
    pub line: u32,
}

impl AnwebRow {
    /// Whether the code may be reported on `date`.
    pub fn active_on(&self, date: u32) -> bool {
        self.added.is_none_or(|a| a <= date) && self.terminated.is_none_or(|t| t >= date)
    }
}

/// Builds one record from the named fields (code, record id, long, short,
/// add date, action-effective date, termination date, action code).
fn anweb_row(path: &str, n: usize, f: [&str; 8]) -> Result<AnwebRow, TableError> {
    let date = |col: &str, s: &str| -> Result<Option<u32>, TableError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<u32>()
            .ok()
            .filter(|d| is_date(*d))
            .map(Some)
            .ok_or_else(|| err(path, n, bad(col, s, "a date yyyymmdd")))
    };
    let record_id = f[1]
        .trim()
        .parse::<u8>()
        .map_err(|_| err(path, n, bad("RECID", f[1], "a record id")))?;
    let code = f[0].trim().to_owned();
    let form_ok = match record_id {
        RECORD_PROCEDURE | 4 => is_level2(&code),
        RECORD_MODIFIER | 8 => is_modifier(&code),
        _ => false,
    };
    if !form_ok {
        return Err(err(path, n, TableErrorKind::BadCode(code)));
    }
    Ok(AnwebRow {
        code,
        record_id,
        long: f[2].trim().to_owned(),
        short: f[3].trim().to_owned(),
        added: date("ADD DT", f[4])?,
        action_effective: date("ACT EFF DT", f[5])?,
        terminated: date("TERM DT", f[6])?,
        action: f[7].trim().to_owned(),
        line: n as u32,
    })
}

/// Reads the TSV of the ANWEB key columns (no header): code, record id, long
/// description, short description, add date, action-effective date,
/// termination date, action code.
pub fn read_anweb_tsv(path: &str, text: &str) -> Result<Vec<AnwebRow>, TableError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let f: [&str; 8] = f.try_into().map_err(|f: Vec<&str>| {
            err(
                path,
                i + 1,
                TableErrorKind::FieldCount {
                    expected: 8,
                    found: f.len(),
                },
            )
        })?;
        out.push(anweb_row(path, i + 1, f)?);
    }
    join_continuations(path, out)
}

/// The ANWEB workbook columns read, by header name.
const ANWEB_COLUMNS: [&str; 8] = [
    "HCPC",
    "RECID",
    "LONG DESCRIPTION",
    "SHORT DESCRIPTION",
    "ADD DT",
    "ACT EFF DT",
    "TERM DT",
    "ACTION CD",
];

/// Reads the ANWEB workbook (`.xlsx`) with calamine: the first sheet, a
/// header row naming the columns, one record per row.
pub fn read_anweb_xlsx(path: &Path) -> Result<Vec<AnwebRow>, TableError> {
    use calamine::{open_workbook_auto, Data, Reader};
    let shown = path.display().to_string();
    let io = |e: String| err(&shown, 0, TableErrorKind::Io(e));
    let mut book = open_workbook_auto(path).map_err(|e| io(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| io("no worksheet".into()))?
        .map_err(|e| io(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            other => other.to_string(),
        }
    };
    let mut rows = range.rows().enumerate();
    let header: Vec<String> = match rows.next() {
        Some((_, r)) => r.iter().map(|d| cell(d).trim().to_owned()).collect(),
        None => return Err(err(&shown, 0, TableErrorKind::Empty("rows"))),
    };
    let mut at = [0usize; 8];
    for (slot, name) in at.iter_mut().zip(ANWEB_COLUMNS) {
        *slot = header.iter().position(|h| h == name).ok_or_else(|| {
            err(
                &shown,
                first_row + 1,
                TableErrorKind::BadHeader(format!("no column {name}")),
            )
        })?;
    }
    let mut out = Vec::new();
    for (i, r) in rows {
        let n = first_row + i + 1;
        let texts: Vec<String> = at
            .iter()
            .map(|&c| r.get(c).map(&cell).unwrap_or_default())
            .collect();
        if texts.iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        let f: [&str; 8] = std::array::from_fn(|k| texts[k].as_str());
        out.push(anweb_row(&shown, n, f)?);
    }
    join_continuations(&shown, out)
}

/// Appends continuation records (4, 8) to the long description of the record
/// before them with the same code.
fn join_continuations(path: &str, rows: Vec<AnwebRow>) -> Result<Vec<AnwebRow>, TableError> {
    let mut out: Vec<AnwebRow> = Vec::with_capacity(rows.len());
    for r in rows {
        if r.record_id == 4 || r.record_id == 8 {
            match out.last_mut() {
                Some(prev) if prev.code == r.code && prev.record_id + 1 == r.record_id => {
                    if !prev.long.is_empty() && !r.long.is_empty() {
                        prev.long.push(' ');
                    }
                    prev.long.push_str(&r.long);
                }
                _ => {
                    return Err(err(
                        path,
                        r.line as usize,
                        TableErrorKind::NotUnderParent {
                            code: r.code,
                            parent: "the record before".into(),
                        },
                    ))
                }
            }
        } else {
            out.push(r);
        }
    }
    if out.is_empty() {
        return Err(err(path, 0, TableErrorKind::Empty("HCPCS records")));
    }
    Ok(out)
}

/// Turns ANWEB records into the procedure and modifier flat tables. A
/// record's span runs from its add date (or the start of time) to its
/// termination date (or open).
pub fn official_tables(
    path: &str,
    records: &[AnwebRow],
    release: &str,
) -> Result<(FlatTable, FlatTable), TableError> {
    let mut proc = FlatTable {
        system: SYSTEM.into(),
        release: release.into(),
        rows: Vec::new(),
    };
    let mut modi = FlatTable {
        system: MODIFIER_SYSTEM.into(),
        release: release.into(),
        rows: Vec::new(),
    };
    for r in records {
        let start = r.added.unwrap_or(10_000_101);
        let end = r.terminated.unwrap_or(OPEN_END);
        if end < start {
            return Err(err(
                path,
                r.line as usize,
                bad("TERM DT", &end.to_string(), "on or after ADD DT"),
            ));
        }
        let row = FlatRow {
            code: r.code.clone(),
            header: false,
            long_title: Some(r.long.clone()).filter(|s| !s.is_empty()),
            short_title: Some(r.short.clone()).filter(|s| !s.is_empty()),
            spans: vec![Span { start, end }],
        };
        if r.record_id == RECORD_MODIFIER {
            modi.rows.push(row);
        } else {
            proc.rows.push(row);
        }
    }
    for t in [&mut proc, &mut modi] {
        t.normalize().map_err(|k| err(path, 0, k))?;
    }
    Ok((proc, modi))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERSIONS: &str = "key\tversion\tdate_started\tdate_ended\tversion_id\n\
        100\t100\t20250701\t20250930\ta\n101\t101\t20251001\t20251231\tb\n102\t102\t20260101\t20360331\tc\n";

    #[test]
    fn ioce_rows_join_and_newest_description_wins() {
        let v = read_versions("v.tsv", VERSIONS).unwrap();
        assert_eq!(v.on(20251115), Some(101));
        let t = read_ioce(
            "h.tsv",
            "key\tdescription\tlo_version\thi_version\tdate_approved\tdate_terminated\tstatus_indicator\n\
             A0001|100|100\told\t100\t100\tFalse\tFalse\tE1\n\
             A0001|101|102\tnew\t101\t102\tFalse\tFalse\tE1\n\
             C0002|100|100\tgone\t100\t100\tFalse\tFalse\tE1\n",
            &v,
        )
        .unwrap();
        let a = t.get("A0001").unwrap();
        assert_eq!(a.short_title.as_deref(), Some("new"));
        assert_eq!(
            a.spans,
            [Span {
                start: 20250701,
                end: OPEN_END
            }]
        );
        let c = t.get("C0002").unwrap();
        assert!(c.valid_on(20250930) && !c.valid_on(20251001));
        for code in ["99213", "D0120", "0001U"] {
            let text = format!("key\tdescription\tlo_version\thi_version\tdate_approved\tdate_terminated\tstatus_indicator\n{code}|100|100\tx\t100\t100\tFalse\tFalse\tE1\n");
            let e = read_ioce("h.tsv", &text, &v).unwrap_err().to_string();
            assert!(e.starts_with("h.tsv:2:"), "{e}");
        }
    }

    #[test]
    fn anweb_tsv_and_continuations() {
        let t = "A0021\t3\tAmbulance service,\tOutside state ambulance serv\t19850101\t19960910\t\tN\n\
                 A0021\t4\toutside state\t\t\t\t\t\n\
                 A1\t7\tDressing for one wound\tDressing for one wound\t20020701\t20020701\t\tN\n\
                 A4397\t3\tIrrigation supply\tIrrigation supply sleeve\t19900101\t20220101\t20211231\tN\n";
        let rows = read_anweb_tsv("a.tsv", t).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].long, "Ambulance service, outside state");
        assert!(!rows[2].active_on(20220101) && rows[2].active_on(20211231));
        let (p, m) = official_tables("a.tsv", &rows, "test").unwrap();
        assert_eq!((p.rows.len(), m.rows.len()), (2, 1));
        let e = read_anweb_tsv("a.tsv", &t.replace("A4397", "99213")).unwrap_err();
        assert_eq!(e.line, 4);
    }
}
