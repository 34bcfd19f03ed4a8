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
    /// Search index: word FST, posting lists, abbreviations.
    pub static SEARCH: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10cm.search.bin"));
    /// Release, source and counts as JSON.
    pub static INFO: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10cm.info.json"));
}
