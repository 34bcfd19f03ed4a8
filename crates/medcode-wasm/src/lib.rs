//! The WebAssembly boundary of medcode: the only crate that speaks to
//! JavaScript. A module holds one code system (`scripts/build.sh` builds one
//! per system with exactly one system feature). Exports take strings, or
//! lengths of bytes JS wrote into a module buffer (the JS wrapper in
//! `js/medcode.js` turns every other JS value into `false`, `null` or a typed
//! issue before calling), and return a boolean, numbers, positional rows or
//! one JSON string, following the one schema in [`wire`]: one crossing per
//! call, not one per field.
//!
//! The exports are grouped as the runtime's layers are: [`lookups`] (the
//! core: validity, entries, hierarchy, validation, dates), [`search`],
//! [`systems`] (the ICD-10-PCS builder, HCPCS modifiers) and [`checks`]
//! (MCE edits, instructional notes).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checks;
pub mod json;
pub mod lookups;
pub mod search;
pub mod systems;
#[cfg(feature = "serde")]
pub mod values;
pub mod wire;

use medcode::CodeSet;
use wasm_bindgen::prelude::*;

/// The one code system this module embeds.
pub(crate) fn set() -> &'static CodeSet {
    static SET: std::sync::OnceLock<&'static CodeSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let id = CodeSet::EMBEDDED.first().copied().unwrap_or_default();
        match CodeSet::by_id(id) {
            Some(set) => set,
            None => unreachable!("a module embeds at least one system (build features)"),
        }
    })
}

/// A date from JS: 0 means "the newest release".
pub(crate) fn date_or_newest(date: u32) -> Option<u32> {
    (date != 0).then_some(date)
}

/// Input that makes a `test-trap` build panic, to prove the JS wrapper
/// re-instantiates a module that trapped.
#[cfg(feature = "test-trap")]
const TEST_TRAP: &str = "medcode:test-trap";

#[cfg(feature = "test-trap")]
pub(crate) fn trap_if_asked(code: &str) {
    if code == TEST_TRAP {
        panic!("deliberate test-only panic on {code:?}");
    }
}

#[cfg(not(feature = "test-trap"))]
pub(crate) fn trap_if_asked(_: &str) {}

/// The wire schema ([`wire::SCHEMA`]) as JSON, for the test that checks
/// `js/wire.js` against every module.
#[wasm_bindgen(js_name = wireSchema)]
pub fn wire_schema() -> String {
    wire::schema_json()
}

/// The module's `WebAssembly.Memory` (the JS wrapper writes short inputs into
/// it, and asks again after the module is re-instantiated).
#[wasm_bindgen(js_name = moduleMemory)]
pub fn module_memory() -> JsValue {
    wasm_bindgen::memory()
}
