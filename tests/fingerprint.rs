//! The embedded tables must match `tables/fingerprint.csv`, so a change to the
//! data shows in review. `scripts/fingerprint.sh` rewrites the file.

#![cfg(not(target_arch = "wasm32"))]

#[test]
fn embedded_tables_match_the_committed_fingerprint() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tables/fingerprint.csv");
    if std::env::var_os("MEDCODE_UPDATE_FINGERPRINT").is_some() {
        std::fs::write(&path, medcode::FINGERPRINT).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed,
        medcode::FINGERPRINT,
        "the embedded tables changed: run scripts/fingerprint.sh and commit tables/fingerprint.csv"
    );
}

#[test]
fn every_fingerprint_row_matches_the_embedded_bytes() {
    let rows: Vec<_> = medcode::fingerprint::tables().collect();
    // Per system: 9 common tables + gaps; PCS adds the axis tables, HCPCS the modifiers.
    let systems = medcode::CodeSet::EMBEDDED.len();
    assert!(rows.len() >= 8 * systems, "{rows:?}");
    for row in rows {
        let bytes = medcode::fingerprint::table_bytes(row.table)
            .unwrap_or_else(|| panic!("{} is in the fingerprint but not embedded", row.table));
        assert_eq!(row.bytes, bytes.len() as u64, "{}", row.table);
        assert_eq!(
            row.sha256,
            medcode_tables::source::sha256_hex(bytes),
            "{}",
            row.table
        );
        assert!(!row.source.is_empty(), "{row:?}");
    }
}
