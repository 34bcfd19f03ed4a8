//! Per-system exports: the ICD-10-PCS code builder and HCPCS modifiers, and
//! whether the module only checks the format (CPT without a licensed table).

use crate::{date_or_newest, set, wire};
use medcode::normalize::normalize;
use wasm_bindgen::prelude::*;

/// ICD-10-PCS code builder: the characters that may follow `prefix` in a
/// code valid on `date` (0: newest release) as a JSON array of
/// [`wire::NEXT_CHAR_KEYS`] objects; `""` for bad input or a set without PCS tables.
#[cfg(not(feature = "serde"))]
#[wasm_bindgen(js_name = nextCharacters)]
pub fn next_characters(prefix: &str, date: u32) -> String {
    match set().next_characters(prefix, date_or_newest(date)) {
        Ok(list) => wire::next_characters(&list),
        Err(_) => String::new(),
    }
}

/// [`next_characters`] as JS objects, `null` where it answers `""`
/// (serde-wasm-bindgen trial).
#[cfg(feature = "serde")]
#[wasm_bindgen(js_name = nextCharacters)]
pub fn next_characters(prefix: &str, date: u32) -> JsValue {
    match set().next_characters(prefix, date_or_newest(date)) {
        Ok(list) => crate::values::next_characters(&list),
        Err(_) => JsValue::NULL,
    }
}

/// The axis labels of each character of a PCS code as a JSON array of
/// [`wire::AXIS_LABEL_KEYS`] objects; `"[]"` elsewhere.
#[wasm_bindgen(js_name = axisLabels)]
pub fn axis_labels(code: &str) -> String {
    let Ok(key) = normalize(code) else {
        return String::from("[]");
    };
    wire::axis_labels(&set().axis_labels(key.as_str()))
}

/// An HCPCS modifier as a JSON [`wire::MODIFIER_KEYS`] object; `""` when
/// unknown (or not an HCPCS module).
#[cfg(not(feature = "serde"))]
#[wasm_bindgen]
pub fn modifier(code: &str) -> String {
    let s = set();
    s.modifier(code)
        .map_or_else(String::new, |m| wire::modifier(s, &m))
}

/// [`modifier`] as a JS object, `null` when unknown (serde-wasm-bindgen trial).
#[cfg(feature = "serde")]
#[wasm_bindgen]
pub fn modifier(code: &str) -> JsValue {
    set()
        .modifier(code)
        .map_or(JsValue::NULL, |m| crate::values::modifier(set(), &m))
}

/// Whether this module checks the format only (CPT without a licensed table).
#[wasm_bindgen(js_name = formatOnly)]
pub fn format_only() -> bool {
    set().is_format_only()
}
