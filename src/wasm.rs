//! The WebAssembly boundary. The module holds one code system. Exports take
//! strings (the JS wrapper in `js/medcode.js` turns every other JS value into
//! `false`, `null` or a typed issue before calling) and return a boolean, a
//! byte array or one JSON string that the wrapper parses: one crossing per
//! call, not one per field.

use crate::codeset::{CodeSet, Concept};
use crate::json;
use crate::normalize::{normalize, InputError};
use wasm_bindgen::prelude::*;

fn set() -> &'static CodeSet {
    CodeSet::icd10cm()
}

fn concept_json(set: &CodeSet, c: &Concept, out: &mut String) {
    out.push('{');
    json::field_str(out, "code", &c.code);
    json::field_str(out, "display", &c.display);
    json::field_str(out, "kind", c.kind.as_str());
    json::field_raw(out, "billable", if c.billable { "true" } else { "false" });
    json::field_str(out, "system", set.system().uri);
    out.push('}');
}

fn error_json(input: &str, e: &InputError, set: &CodeSet) -> String {
    let mut out = String::from("{");
    let shown: String = input.chars().take(24).collect();
    json::field_str(
        &mut out,
        "error",
        &format!(
            "{shown:?} is not a well-formed {} code: {e}",
            set.system().name
        ),
    );
    out.push('}');
    out
}

/// Release, source, counts and table sizes as JSON.
#[wasm_bindgen]
pub fn info() -> String {
    set().info_json().to_owned()
}

/// Whether `code` is a billable code.
#[wasm_bindgen(js_name = isValid)]
pub fn is_valid(code: &str) -> bool {
    set().is_valid(code)
}

/// `isValid` for many codes joined by `\n`: one byte (0 or 1) per code.
#[wasm_bindgen(js_name = isValidJoined)]
pub fn is_valid_joined(joined: &str) -> Vec<u8> {
    let s = set();
    joined
        .split('\n')
        .map(|c| u8::from(s.is_valid(c)))
        .collect()
}

/// The concept of `code` as JSON with its parent: `{code, display, kind,
/// billable, system, parent}`, `""` when unknown, `{error}` when malformed.
#[wasm_bindgen]
pub fn lookup(code: &str) -> String {
    let s = set();
    let key = match normalize(code) {
        Ok(k) => k,
        Err(e) => return error_json(code, &e, s),
    };
    let Some(entry) = s.entry(key.as_bytes()) else {
        return String::new();
    };
    let Some(c) = s.concept(key.as_str()) else {
        return String::new();
    };
    let mut out = String::new();
    concept_json(s, &c, &mut out);
    out.pop();
    match s.parent_key(key.as_str(), &entry) {
        Some(p) => json::field_str(&mut out, "parent", &crate::normalize::dotted(&p)),
        None => json::field_raw(&mut out, "parent", "null"),
    }
    out.push('}');
    out
}

fn list_json(
    s: &CodeSet,
    code: &str,
    list: impl Fn(&str) -> Result<Option<Vec<Concept>>, InputError>,
) -> String {
    match list(code) {
        Err(e) => error_json(code, &e, s),
        Ok(None) => String::new(),
        Ok(Some(items)) => {
            let mut out = String::from("[");
            for c in &items {
                json::comma(&mut out);
                concept_json(s, c, &mut out);
            }
            out.push(']');
            out
        }
    }
}

/// Direct children of `code` as a JSON array (`""` when unknown, `{error}` when malformed).
#[wasm_bindgen]
pub fn children(code: &str) -> String {
    let s = set();
    list_json(s, code, |c| s.children(c))
}

/// Ancestors of `code`, nearest first, as a JSON array.
#[wasm_bindgen]
pub fn ancestors(code: &str) -> String {
    let s = set();
    list_json(s, code, |c| s.ancestors(c))
}

/// Categories and codes starting with `prefix`, at most `limit`, as a JSON array.
#[wasm_bindgen]
pub fn prefix(prefix: &str, limit: u32) -> String {
    let s = set();
    let key = match normalize(prefix) {
        Ok(k) => k,
        Err(e) => return error_json(prefix, &e, s),
    };
    let mut out = String::with_capacity(64 * limit.min(1000) as usize);
    out.push('[');
    let mut display = String::new();
    s.for_each_prefixed(&key, limit as usize, |k, e| {
        display.clear();
        s.write_display(e, &mut display);
        json::comma(&mut out);
        out.push_str("{\"code\":");
        json::string(&mut out, &crate::normalize::dotted(k));
        json::field_str(&mut out, "display", &display);
        json::field_str(&mut out, "kind", e.kind.as_str());
        json::field_raw(
            &mut out,
            "billable",
            if e.billable { "true" } else { "false" },
        );
        out.push('}');
    });
    out.push(']');
    out
}

/// A FHIR `$validate-code`-shaped answer as JSON.
#[wasm_bindgen]
pub fn validate(code: &str) -> String {
    let s = set();
    let v = s.validate(code);
    let mut out = String::new();
    v.to_json(s, &mut out);
    out
}
