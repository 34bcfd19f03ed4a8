//! The tables `build.rs` compiled, embedded in the binary: one module per
//! code system the build enables (cargo features), all in the same layout.

/// Every embedded table with its source release, rows, bytes and SHA-256
/// (the committed copy is `tables/fingerprint.csv`).
pub static FINGERPRINT: &str = include_str!(concat!(env!("OUT_DIR"), "/fingerprint.csv"));

/// Whether the build embeds titles to search: false only for a module that
/// holds CPT alone without a licensee's table, whose search finds nothing,
/// so the compiler leaves the search code out (about 20 kB gzip).
pub const SEARCHABLE: bool = cfg!(any(
    feature = "icd10cm",
    feature = "icd10pcs",
    feature = "hcpcs",
    feature = "custom",
    not(medcode_cpt_unlicensed)
));

/// The tables of one system, under `OUT_DIR/<id>.*`.
macro_rules! system_tables {
    ($id:literal) => {
        /// FST map: code without dot → packed entry.
        pub static CODES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".codes.fst"));
        /// Short titles under the same ids as the titles (flat systems; empty for ICD-10-CM).
        pub static SHORTS: &[u8] =
            include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".shorts.bin"));
        /// Title store.
        pub static TITLES: &[u8] =
            include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".titles.bin"));
        /// Chapters and blocks (ICD-10-CM; empty elsewhere).
        pub static OUTLINE: &str = include_str!(concat!(env!("OUT_DIR"), "/", $id, ".outline.txt"));
        /// 7th-character definitions (ICD-10-CM; empty elsewhere).
        pub static SEVENTHS: &str =
            include_str!(concat!(env!("OUT_DIR"), "/", $id, ".sevenths.txt"));
        /// Number of billable codes (sizes the hash set `isValid` uses).
        pub static BILLABLE: &str =
            include_str!(concat!(env!("OUT_DIR"), "/", $id, ".billable.txt"));
        /// Validity span of every dated code (FST).
        pub static HISTORY: &[u8] =
            include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".history.fst"));
        /// Releases: `yyyymmdd<TAB>name` lines.
        pub static RELEASES: &str =
            include_str!(concat!(env!("OUT_DIR"), "/", $id, ".releases.txt"));
        /// Replacements of deleted codes: `old<TAB>new<TAB>yyyymmdd` lines.
        pub static REPLACED: &str =
            include_str!(concat!(env!("OUT_DIR"), "/", $id, ".replaced.txt"));
        /// Abbreviated titles of codes the tabular no longer lists: `code<TAB>title`.
        pub static RETIRED: &str = include_str!(concat!(env!("OUT_DIR"), "/", $id, ".retired.txt"));
        /// Titles from newer releases' addenda (ICD-10-CM FY2027, transcribed;
        /// empty elsewhere): `A|R<TAB>code<TAB>yyyymmdd<TAB>title`.
        pub static ADDENDA: &str = include_str!(concat!(env!("OUT_DIR"), "/", $id, ".addenda.txt"));
        /// Parents whose children the tabular orders otherwise than their
        /// keys sort (ICD-10-CM; empty elsewhere): `parent<TAB>child child…`.
        pub static ORDER: &str = include_str!(concat!(env!("OUT_DIR"), "/", $id, ".order.txt"));
        /// Days a code was not valid inside its outer span: `code<TAB>start<TAB>end`.
        pub static GAPS: &str = include_str!(concat!(env!("OUT_DIR"), "/", $id, ".gaps.txt"));
        /// Search index: word FST, posting lists, abbreviations.
        pub static SEARCH: &[u8] =
            include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".search.bin"));
        /// Search lexicon: terms coders type → title words or code families
        /// (`medcode_tables::lexicon`).
        pub static LEXICON: &[u8] =
            include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".lexicon.bin"));
        /// Release, source and counts as JSON.
        pub static INFO: &str = include_str!(concat!(env!("OUT_DIR"), "/", $id, ".info.json"));
    };
}

/// ICD-10-CM FY2026 (April 1 2026 update) tables and FY2016-FY2027 history.
#[cfg(feature = "icd10cm")]
pub mod icd10cm {
    system_tables!("icd10cm");
    /// Medicare Code Editor edit attributes per code and span (`medcode_tables::mce`).
    pub static MCE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10cm.mce.bin"));
    /// Instructional notes per chapter, block and code (`medcode_tables::notes`);
    /// in the `notes` build only (its module is about 300 KB gzip larger).
    #[cfg(feature = "notes")]
    pub static NOTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10cm.notes.bin"));
}

/// ICD-10-PCS FY2016-FY2027 and the axis labels of the code builder.
#[cfg(feature = "icd10pcs")]
pub mod icd10pcs {
    system_tables!("icd10pcs");
    /// Medicare Code Editor edit attributes per code and span (`medcode_tables::mce`).
    pub static MCE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10pcs.mce.bin"));
    /// Identity: id, name, URI, version, release (one per line).
    pub static SYSTEM: &str = include_str!(concat!(env!("OUT_DIR"), "/icd10pcs.system.txt"));
    /// Axis labels: FST map (see `medcode_tables::axes_index`).
    pub static AXES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10pcs.axes.fst"));
    /// Title store of the axis labels, definitions and axis names.
    pub static AXIS_TITLES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/icd10pcs.axes.bin"));
}

/// HCPCS Level II, July 2019 to the newest quarter, and the modifiers.
#[cfg(feature = "hcpcs")]
pub mod hcpcs {
    system_tables!("hcpcs");
    /// Identity: id, name, URI, version, release (one per line).
    pub static SYSTEM: &str = include_str!(concat!(env!("OUT_DIR"), "/hcpcs.system.txt"));
    /// Modifiers: `code<TAB>start<TAB>end<TAB>long<TAB>short` lines.
    pub static MODIFIERS: &str = include_str!(concat!(env!("OUT_DIR"), "/hcpcs.modifiers.txt"));
}

/// CPT: a licensee's table, or none (format check only).
#[cfg(feature = "cpt")]
pub mod cpt {
    system_tables!("cpt");
    /// Identity: id, name, URI, version, release (one per line).
    pub static SYSTEM: &str = include_str!(concat!(env!("OUT_DIR"), "/cpt.system.txt"));
}

/// A custom code list compiled from `MEDCODE_CUSTOM_TABLE`.
#[cfg(feature = "custom")]
pub mod custom {
    system_tables!("custom");
    /// Identity: id, name, URI, version, release (one per line).
    pub static SYSTEM: &str = include_str!(concat!(env!("OUT_DIR"), "/custom.system.txt"));
}
