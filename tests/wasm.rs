//! The embedded tables inside the WebAssembly module, run by
//! `wasm-bindgen-test` in Node and (with `WASM_BINDGEN_USE_BROWSER=1`) in
//! headless Chromium: the module loads and answers.

#![cfg(target_arch = "wasm32")]

use medcode::{CodeSet, Kind, Reason};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn answers_validity_with_normalization() {
    let cm = CodeSet::icd10cm();
    assert!(cm.is_valid("e119"));
    assert!(cm.is_valid(" E11.9 "));
    assert!(!cm.is_valid("E11"));
    assert!(!cm.is_valid("E11..9"));
    assert!(!cm.is_valid(&"9".repeat(1 << 20)));
}

#[wasm_bindgen_test]
fn looks_up_titles_and_hierarchy() {
    let cm = CodeSet::icd10cm();
    let c = cm.lookup("S72.001A").unwrap().unwrap();
    assert!(c.billable);
    assert!(c
        .display
        .starts_with("Fracture of unspecified part of neck of right femur, "));
    let chain = cm.ancestors("S72.001A").unwrap().unwrap();
    assert_eq!(chain.last().map(|c| c.kind), Some(Kind::Chapter));
    assert_eq!(cm.prefix("S72", 50).unwrap().len(), 50);
}

#[wasm_bindgen_test]
fn validate_explains_headers() {
    let cm = CodeSet::icd10cm();
    assert_eq!(
        cm.validate("S72.001").issues[0].reason,
        Reason::SeventhMissing
    );
    assert_eq!(cm.validate("E11").issues[0].reason, Reason::Header);
    let mut billable = 0;
    let mut stream = cm.map().stream();
    while let Some((_, v)) = fst::Streamer::next(&mut stream) {
        billable += usize::from(medcode_tables::layout::Entry::decode(v).billable);
    }
    assert!(cm.info_json().contains(&format!("\"billable\":{billable}")));
    assert!(cm.is_valid("E11.9"));
}

#[wasm_bindgen_test]
fn fst_verifies_in_wasm() {
    CodeSet::icd10cm().map().as_fst().verify().unwrap();
}

#[wasm_bindgen_test]
fn notes_table_opens_and_answers_with_inherited_notes() {
    let cm = CodeSet::icd10cm();
    let notes = medcode::checks::notes::Notes::icd10cm();
    let own = notes.of(cm, "E11.9", false).unwrap().unwrap();
    let all = notes.of(cm, "E11.9", true).unwrap().unwrap();
    assert!(own.iter().all(|n| n.from == "E11.9"));
    assert!(all.len() > own.len());
    assert!(all.iter().any(|n| n.from == "4"));
    assert!(notes.of(cm, "E11..9", true).is_err());
    assert_eq!(notes.of(cm, "Z99.999", true), Ok(None));
}
