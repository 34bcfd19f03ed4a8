//! What is embedded: one row per table (source release, rows, bytes, SHA-256),
//! read from the fingerprint `build.rs` wrote next to the tables. The committed
//! copy is `tables/fingerprint.csv`; `tests/fingerprint.rs` keeps them equal
//! and checks each SHA-256 against the embedded bytes.

/// One embedded table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableInfo<'a> {
    /// File name of the table, e.g. `icd10cm.codes.fst`.
    pub table: &'a str,
    /// The official release it was compiled from.
    pub source: &'a str,
    /// Rows (FST keys, titles, lines) in the table.
    pub rows: u64,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the table's bytes, lowercase hex.
    pub sha256: &'a str,
}

/// The embedded tables, in fingerprint order.
///
/// ```
/// let tables: Vec<_> = medcode::fingerprint::tables().collect();
/// assert!(tables.iter().any(|t| t.table == "icd10cm.codes.fst" && t.rows > 90_000));
/// ```
pub fn tables() -> impl Iterator<Item = TableInfo<'static>> {
    parse(crate::FINGERPRINT)
}

/// Rows of a fingerprint file (`table, source, rows, bytes, sha256`; `#` comments).
/// Lines that do not have five fields are skipped.
pub fn parse(text: &str) -> impl Iterator<Item = TableInfo<'_>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let mut f = line.split(',').map(str::trim);
            let info = TableInfo {
                table: f.next()?,
                source: f.next()?,
                rows: f.next()?.parse().ok()?,
                bytes: f.next()?.parse().ok()?,
                sha256: f.next()?,
            };
            f.next().is_none().then_some(info)
        })
}

/// The bytes of an embedded table by its fingerprint name, so a test (or a
/// cautious caller) can check them against the recorded SHA-256.
///
/// ```
/// assert!(medcode::fingerprint::table_bytes("icd10cm.codes.fst").is_some());
/// assert!(medcode::fingerprint::table_bytes("nope").is_none());
/// ```
pub fn table_bytes(table: &str) -> Option<&'static [u8]> {
    let (system, suffix) = table.split_once('.')?;
    macro_rules! common {
        ($d:path) => {{
            use $d as d;
            match suffix {
                "codes.fst" => Some(d::CODES),
                "titles.bin" => Some(d::TITLES),
                "outline.txt" => Some(d::OUTLINE.as_bytes()),
                "sevenths.txt" => Some(d::SEVENTHS.as_bytes()),
                "search.bin" => Some(d::SEARCH),
                "history.fst" => Some(d::HISTORY),
                "releases.txt" => Some(d::RELEASES.as_bytes()),
                "replaced.txt" => Some(d::REPLACED.as_bytes()),
                "retired.txt" => Some(d::RETIRED.as_bytes()),
                "addenda.txt" => Some(d::ADDENDA.as_bytes()),
                "order.txt" => Some(d::ORDER.as_bytes()),
                "gaps.txt" => Some(d::GAPS.as_bytes()),
                "shorts.bin" => Some(d::SHORTS),
                "lexicon.bin" => Some(d::LEXICON),
                _ => None,
            }
        }};
    }
    match (system, suffix) {
        #[cfg(feature = "icd10pcs")]
        ("icd10pcs", "axes.fst") => Some(crate::data::icd10pcs::AXES),
        #[cfg(feature = "icd10pcs")]
        ("icd10pcs", "axes.bin") => Some(crate::data::icd10pcs::AXIS_TITLES),
        #[cfg(all(feature = "icd10cm", feature = "notes"))]
        ("icd10cm", "notes.bin") => Some(crate::data::icd10cm::NOTES),
        #[cfg(feature = "hcpcs")]
        ("hcpcs", "modifiers.txt") => Some(crate::data::hcpcs::MODIFIERS.as_bytes()),
        #[cfg(feature = "icd10cm")]
        ("icd10cm", "mce.bin") => Some(crate::data::icd10cm::MCE),
        #[cfg(feature = "icd10pcs")]
        ("icd10pcs", "mce.bin") => Some(crate::data::icd10pcs::MCE),
        #[cfg(feature = "icd10cm")]
        ("icd10cm", _) => common!(crate::data::icd10cm),
        #[cfg(feature = "icd10pcs")]
        ("icd10pcs", _) => common!(crate::data::icd10pcs),
        #[cfg(feature = "hcpcs")]
        ("hcpcs", _) => common!(crate::data::hcpcs),
        #[cfg(feature = "cpt")]
        ("cpt", _) => common!(crate::data::cpt),
        #[cfg(feature = "custom")]
        ("custom", _) => common!(crate::data::custom),
        _ => None,
    }
}
