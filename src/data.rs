//! The tables `build.rs` compiled, embedded in the binary.

/// Every embedded table with its source release, rows, bytes and SHA-256
/// (the committed copy is `tables/fingerprint.csv`).
pub static FINGERPRINT: &str = include_str!(concat!(env!("OUT_DIR"), "/fingerprint.csv"));

/// ICD-10-CM FY2026 (April 1 2026 update) tables.
pub mod icd10cm {
    /// FST map: code without dot → packed entry.
    pub static CODES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10cm.codes.fst"));
    /// Title store.
    pub static TITLES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10cm.titles.bin"));
    /// Chapters and blocks.
    pub static OUTLINE: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10cm.outline.txt"));
    /// 7th-character definitions.
    pub static SEVENTHS: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10cm.sevenths.txt"));
    /// Number of billable codes (sizes the hash set `isValid` uses).
    pub static BILLABLE: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10cm.billable.txt"));
    /// Validity span of every code valid at some time FY2016-FY2027 (FST).
    pub static HISTORY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10cm.history.fst"));
    /// Releases: `yyyymmdd<TAB>name` lines.
    pub static RELEASES: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10cm.releases.txt"));
    /// Replacements of deleted codes: `old<TAB>new<TAB>yyyymmdd` lines.
    pub static REPLACED: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10cm.replaced.txt"));
    /// Abbreviated titles of codes the tabular no longer lists: `code<TAB>title`.
    pub static RETIRED: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10cm.retired.txt"));
    /// Search index: word FST, posting lists, abbreviations.
    pub static SEARCH: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10cm.search.bin"));
    /// Instructional notes per chapter, block and code (`medcode_tables::notes`).
    pub static NOTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10cm.notes.bin"));
    /// Release, source and counts as JSON.
    pub static INFO: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10cm.info.json"));
}
