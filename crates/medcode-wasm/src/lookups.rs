//! The core's exports: what the module holds, validity (one code, a short
//! code through the input buffer, many codes through the batch buffer),
//! entries, hierarchy, prefix lists and validation, on a date of service.

use crate::{date_or_newest, json, set, trap_if_asked, wire};
use medcode::normalize::{normalize, InputError};
use medcode::{CodeSet, Concept};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;
use wasm_bindgen::prelude::*;

/// Release, source, counts and table sizes as JSON, with the days the
/// releases cover (`"coverage":{"from":…,"to":…}` or null).
#[wasm_bindgen]
pub fn info() -> String {
    let json = set().info_json();
    let Some(body) = json.trim_end().strip_suffix('}') else {
        return json.to_owned();
    };
    let mut out = String::from(body);
    out.push_str(",\"coverage\":");
    match set().coverage() {
        Some((from, to)) => {
            out.push('{');
            json::field_str(&mut out, "from", &medcode::history::iso(from));
            json::field_str(&mut out, "to", &medcode::history::iso(to));
            out.push('}');
        }
        None => out.push_str("null"),
    }
    out.push('}');
    out
}

/// Every embedded table with its source release, rows, bytes and SHA-256, as
/// a JSON array (the same rows as `tables/fingerprint.csv`).
#[cfg(not(feature = "serde"))]
#[wasm_bindgen(js_name = dataInfo)]
pub fn data_info() -> String {
    wire::tables()
}

/// [`data_info`] as JS objects (serde-wasm-bindgen trial).
#[cfg(feature = "serde")]
#[wasm_bindgen(js_name = dataInfo)]
pub fn data_info() -> JsValue {
    crate::values::tables()
}

/// The releases the module knows, oldest first, as JSON
/// `[{"start":"2015-10-01","name":"FY2016"},…]` (`[]` without a history).
#[cfg(not(feature = "serde"))]
#[wasm_bindgen]
pub fn releases() -> String {
    wire::releases(set())
}

/// [`releases`] as JS objects (serde-wasm-bindgen trial).
#[cfg(feature = "serde")]
#[wasm_bindgen]
pub fn releases() -> JsValue {
    crate::values::releases()
}

/// Whether `code` is a billable code.
#[wasm_bindgen(js_name = isValid)]
pub fn is_valid(code: &str) -> bool {
    trap_if_asked(code);
    set().is_valid(code)
}

/// Whether `code` is a billable code on `date` (`yyyymmdd`; 0: the newest release).
#[wasm_bindgen(js_name = isValidOn)]
pub fn is_valid_on(code: &str, date: u32) -> bool {
    trap_if_asked(code);
    match date {
        0 => set().is_valid(code),
        d => set().is_valid_on(code, d),
    }
}

/// Bytes JS writes a short ASCII input into, to skip the string allocation
/// a `&str` argument costs (see `js/medcode.js`).
static INPUT: [AtomicU8; INPUT_LEN] = [const { AtomicU8::new(0) }; INPUT_LEN];
const INPUT_LEN: usize = 64;

/// Address of the input buffer in the module's memory.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer() -> usize {
    INPUT.as_ptr() as usize
}

/// The first `len` bytes of the input buffer.
fn input<T>(len: usize, read: impl FnOnce(&[u8]) -> T) -> T {
    let mut bytes = [0u8; INPUT_LEN];
    let len = len.min(INPUT_LEN);
    for (b, cell) in bytes.iter_mut().zip(&INPUT[..len]) {
        *b = cell.load(Ordering::Relaxed);
    }
    read(&bytes[..len])
}

/// `isValid` for the first `len` bytes of the input buffer.
#[wasm_bindgen(js_name = isValidInput)]
pub fn is_valid_input(len: usize) -> bool {
    input(len, |code| set().is_valid_bytes(code))
}

/// `isValidOn` for the first `len` bytes of the input buffer.
#[wasm_bindgen(js_name = isValidInputOn)]
pub fn is_valid_input_on(len: usize, date: u32) -> bool {
    input(len, |code| set().is_valid_bytes_on(code, date))
}

/// Bytes JS writes many codes into, separated by `\n`, for `isValidMany`.
/// Plain bytes: JS writes them between calls, while no Rust reference to
/// them exists, and the batch call reads them as one slice.
static BATCH: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Address of a batch buffer of at least `len` bytes (it may move when it grows).
#[wasm_bindgen(js_name = batchBuffer)]
pub fn batch_buffer(len: usize) -> usize {
    let mut batch = BATCH.lock().unwrap_or_else(|e| e.into_inner());
    if batch.len() < len {
        *batch = vec![0; len.next_power_of_two()];
    }
    batch.as_ptr() as usize
}

/// `isValid` for each `\n`-separated code in the first `len` bytes of the
/// batch buffer, answered over the buffer's start: byte `i` is 1 when code
/// `i` is valid, else 0. Returns the number of answers (lines); JS reads
/// them in place, so no result crosses as a new array.
#[wasm_bindgen(js_name = isValidBatch)]
pub fn is_valid_batch(len: usize) -> usize {
    let mut batch = BATCH.lock().unwrap_or_else(|e| e.into_inner());
    let len = len.min(batch.len());
    let mut answers = ANSWERS.lock().unwrap_or_else(|e| e.into_inner());
    answers.clear();
    set().is_valid_lines(&batch[..len], &mut answers);
    // Line `i` starts at byte `i` or later, and every line is read before
    // the answers are copied, so the copy only overwrites read bytes; the
    // buffer holds at least one byte per line (`batchBuffer`'s caller asks
    // for more than one per code).
    let n = answers.len().min(batch.len());
    batch[..n].copy_from_slice(&answers[..n]);
    n
}

/// The answers of the last batch before they are copied into it (kept, so
/// a busy caller's batches do not allocate).
static ANSWERS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

fn concepts(
    s: &CodeSet,
    code: &str,
    list: impl Fn(&str) -> Result<Option<Vec<Concept>>, InputError>,
) -> String {
    match list(code) {
        Err(_) | Ok(None) => String::new(),
        Ok(Some(items)) => {
            let mut out = String::from("[");
            for c in &items {
                json::comma(&mut out);
                wire::concept(&mut out, s, c);
            }
            out.push(']');
            out
        }
    }
}

/// Direct children of `code` as a JSON array of concepts (`""` when unknown or malformed).
#[wasm_bindgen]
pub fn children(code: &str) -> String {
    let s = set();
    concepts(s, code, |c| s.children(c))
}

/// Ancestors of `code`, nearest first, as a JSON array of concepts (`""` when unknown or malformed).
#[wasm_bindgen]
pub fn ancestors(code: &str) -> String {
    let s = set();
    concepts(s, code, |c| s.ancestors(c))
}

/// Categories and codes starting with `prefix`, at most `limit`, as
/// [`wire::PREFIX_ROW`] rows; `""` when none or malformed. Codes made with a
/// 7th character reuse their leaf's title, decoded once.
#[wasm_bindgen(js_name = prefixRows)]
pub fn prefix_rows(prefix: &str, limit: u32) -> String {
    let s = set();
    let Ok(key) = normalize(prefix) else {
        return String::new();
    };
    let mut out = String::with_capacity(96 * limit.min(1000) as usize);
    let mut titles = wire::PrefixTitles::under(s, key.as_str());
    s.for_each_prefixed(&key, limit as usize, |k, e| {
        titles.update(s, k, e);
        wire::prefix_row(&mut out, s, k, e, &titles);
    });
    out
}

/// The entry of `code` on `date` (0: the newest release) as one
/// [`wire::LOOKUP_ROW`] (`parent` empty for a chapter; dates empty when
/// unknown or still valid); `""` when unknown or malformed.
#[wasm_bindgen(js_name = lookupRow)]
pub fn lookup_row(code: &str, date: u32) -> String {
    let s = set();
    match s.lookup_on(code, date_or_newest(date)) {
        Ok(Some(found)) => wire::lookup_row(s, &found),
        _ => String::new(),
    }
}

/// [`lookup_row`] for the first `len` bytes of the input buffer, written
/// into the output buffer (at [`output_at`]) instead of returned: no string
/// is allocated for the input, the row, or its crossing. Returns the row's
/// length in bytes, 0 when unknown or malformed.
#[wasm_bindgen(js_name = lookupInput)]
pub fn lookup_input(len: usize, date: u32) -> usize {
    let mut out = OUTPUT.lock().unwrap_or_else(|e| e.into_inner());
    out.clear();
    input(len, |code| {
        let s = set();
        if let Ok(Some(found)) = std::str::from_utf8(code)
            .map_err(|_| ())
            .and_then(|c| s.lookup_on(c, date_or_newest(date)).map_err(|_| ()))
        {
            wire::write_lookup_row(&mut out, s, &found);
        }
    });
    out.len()
}

/// The row the last [`lookup_input`] wrote (kept, so a busy caller's
/// lookups do not allocate one each).
static OUTPUT: Mutex<String> = Mutex::new(String::new());

/// Address of the output buffer's bytes; valid until the next call that
/// writes it (it moves when a longer row makes it grow).
#[wasm_bindgen(js_name = outputAt)]
pub fn output_at() -> usize {
    OUTPUT.lock().unwrap_or_else(|e| e.into_inner()).as_ptr() as usize
}

/// A FHIR `$validate-code`-shaped answer as JSON.
#[wasm_bindgen]
pub fn validate(code: &str, date: u32) -> String {
    trap_if_asked(code);
    let s = set();
    let v = s.validate_on(code, date_or_newest(date));
    let mut out = String::new();
    wire::validation(&mut out, s, &v);
    out
}
