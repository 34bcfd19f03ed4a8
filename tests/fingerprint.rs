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
