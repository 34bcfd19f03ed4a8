//! The WebAssembly boundary. The module holds one code system. Exports take
//! strings or lengths of bytes JS wrote into a module buffer (the JS wrapper in
//! `js/medcode.js` turns every other JS value into `false`, `null` or a typed
//! issue before calling) and return a boolean, a byte array, tab-separated
//! fields or one JSON string that the wrapper parses: one crossing per call,
//! not one per field.

use crate::codeset::{CodeSet, Concept};
use crate::json;
use crate::normalize::{normalize, InputError};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;
use wasm_bindgen::prelude::*;

/// The one code system this module embeds (`scripts/build.sh` builds one
/// module per system with exactly one system feature).
fn set() -> &'static CodeSet {
    static SET: std::sync::OnceLock<&'static CodeSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let id = CodeSet::EMBEDDED.first().copied().unwrap_or_default();
        match CodeSet::by_id(id) {
            Some(set) => set,
            None => unreachable!("a module embeds at least one system (build features)"),
        }
    })
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

/// Release, source, counts and table sizes as JSON.
#[wasm_bindgen]
pub fn info() -> String {
    let json = set().info_json();
    // The days the releases cover, computed from the history (see
    // `CodeSet::coverage`): `"coverage":{"from":…,"to":…}` or null.
    let Some(body) = json.trim_end().strip_suffix('}') else {
        return json.to_owned();
    };
    let mut out = String::from(body);
    out.push_str(",\"coverage\":");
    match set().coverage() {
        Some((from, to)) => {
            out.push('{');
            json::field_str(&mut out, "from", &crate::history::iso(from));
            json::field_str(&mut out, "to", &crate::history::iso(to));
            out.push('}');
        }
        None => out.push_str("null"),
    }
    out.push('}');
    out
}

/// Every embedded table with its source release, rows, bytes and SHA-256, as
/// a JSON array (the same rows as `tables/fingerprint.csv`).
#[wasm_bindgen(js_name = dataInfo)]
pub fn data_info() -> String {
    crate::fingerprint::to_json()
}

/// The module's `WebAssembly.Memory` (the JS wrapper writes short inputs into
/// it, and asks again after the module is re-instantiated).
#[wasm_bindgen(js_name = moduleMemory)]
pub fn module_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Input that makes a `test-trap` build panic, to prove the JS wrapper
/// re-instantiates a module that trapped.
#[cfg(feature = "test-trap")]
const TEST_TRAP: &str = "medcode:test-trap";

#[cfg(feature = "test-trap")]
fn trap_if_asked(code: &str) {
    if code == TEST_TRAP {
        panic!("deliberate test-only panic on {code:?}");
    }
}

#[cfg(not(feature = "test-trap"))]
fn trap_if_asked(_: &str) {}

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

/// The releases the module knows, oldest first, as JSON
/// `[{"start":"2015-10-01","name":"FY2016"},…]` (`[]` without a history).
#[wasm_bindgen]
pub fn releases() -> String {
    let mut out = String::from("[");
    for r in set().history().map(|h| h.releases()).unwrap_or_default() {
        json::comma(&mut out);
        out.push('{');
        json::field_str(&mut out, "start", &crate::history::iso(r.start));
        json::field_str(&mut out, "name", r.name);
        out.push('}');
    }
    out.push(']');
    out
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

/// `isValid` for the first `len` bytes of the input buffer.
#[wasm_bindgen(js_name = isValidInput)]
pub fn is_valid_input(len: usize) -> bool {
    let mut bytes = [0u8; INPUT_LEN];
    let len = len.min(INPUT_LEN);
    for (b, cell) in bytes.iter_mut().zip(&INPUT[..len]) {
        *b = cell.load(Ordering::Relaxed);
    }
    set().is_valid_bytes(&bytes[..len])
}

/// `isValidOn` for the first `len` bytes of the input buffer.
#[wasm_bindgen(js_name = isValidInputOn)]
pub fn is_valid_input_on(len: usize, date: u32) -> bool {
    let mut bytes = [0u8; INPUT_LEN];
    let len = len.min(INPUT_LEN);
    for (b, cell) in bytes.iter_mut().zip(&INPUT[..len]) {
        *b = cell.load(Ordering::Relaxed);
    }
    set().is_valid_bytes_on(&bytes[..len], date)
}

/// Bytes JS writes many codes into, separated by `\n`, for `isValidMany`.
static BATCH: Mutex<Vec<AtomicU8>> = Mutex::new(Vec::new());

/// Address of a batch buffer of at least `len` bytes (it may move when it grows).
#[wasm_bindgen(js_name = batchBuffer)]
pub fn batch_buffer(len: usize) -> usize {
    let mut batch = BATCH.lock().unwrap_or_else(|e| e.into_inner());
    if batch.len() < len {
        *batch = (0..len.next_power_of_two())
            .map(|_| AtomicU8::new(0))
            .collect();
    }
    batch.as_ptr() as usize
}

/// `isValid` for each `\n`-separated code in the first `len` bytes of the
/// batch buffer: one byte (0 or 1) per code.
#[wasm_bindgen(js_name = isValidBatch)]
pub fn is_valid_batch(len: usize) -> Vec<u8> {
    let batch = BATCH.lock().unwrap_or_else(|e| e.into_inner());
    let s = set();
    let mut answers = Vec::new();
    let mut code = [0u8; INPUT_LEN];
    let mut n = 0;
    for cell in batch.iter().take(len) {
        match cell.load(Ordering::Relaxed) {
            b'\n' => {
                answers.push(u8::from(n <= INPUT_LEN && s.is_valid_bytes(&code[..n])));
                n = 0;
            }
            b => {
                if n < INPUT_LEN {
                    code[n] = b;
                }
                n += 1;
            }
        }
    }
    answers.push(u8::from(
        n <= INPUT_LEN && s.is_valid_bytes(&code[..n.min(INPUT_LEN)]),
    ));
    answers
}

fn list_json(
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
                concept_json(s, c, &mut out);
            }
            out.push(']');
            out
        }
    }
}

/// Direct children of `code` as a JSON array (`""` when unknown or malformed).
#[wasm_bindgen]
pub fn children(code: &str) -> String {
    let s = set();
    list_json(s, code, |c| s.children(c))
}

/// Ancestors of `code`, nearest first, as a JSON array (`""` when unknown or malformed).
#[wasm_bindgen]
pub fn ancestors(code: &str) -> String {
    let s = set();
    list_json(s, code, |c| s.ancestors(c))
}

/// Categories and codes starting with `prefix`, at most `limit`, as fields
/// `code<TAB>display<TAB>kind<TAB>billable(0|1)`, entry after entry, all
/// separated by tabs (titles never hold tabs); `""` when none or malformed.
/// Codes made with a 7th character reuse their leaf's title, decoded once.
#[wasm_bindgen(js_name = prefixRows)]
pub fn prefix_rows(prefix: &str, limit: u32) -> String {
    let s = set();
    let Ok(key) = normalize(prefix) else {
        return String::new();
    };
    let mut out = String::with_capacity(96 * limit.min(1000) as usize);
    let mut leaf = (u32::MAX, String::new());
    s.for_each_prefixed(&key, limit as usize, |k, e| {
        if !out.is_empty() {
            out.push('\t');
        }
        s.push_code(&mut out, k);
        out.push('\t');
        if leaf.0 != e.title {
            leaf.1.clear();
            s.write_code_title(k, e.title, &mut leaf.1);
            leaf.0 = e.title;
        }
        out.push_str(&leaf.1);
        s.write_seventh_meaning(e, &mut out);
        out.push('\t');
        out.push_str(e.kind.as_str());
        out.push_str(if s.billable_now(k, e) { "\t1" } else { "\t0" });
    });
    out
}

/// The entry of `code` on `date` (0: the newest release) as one row
/// `code<TAB>display<TAB>kind<TAB>billable<TAB>parent<TAB>validFrom<TAB>validTo[<TAB>short]`
/// (`parent` empty for a chapter; dates `yyyy-mm-dd`, empty when unknown or
/// still valid); `""` when unknown or malformed.
#[wasm_bindgen(js_name = lookupRow)]
pub fn lookup_row(code: &str, date: u32) -> String {
    let s = set();
    let Ok(Some(found)) = s.lookup_on(code, (date != 0).then_some(date)) else {
        return String::new();
    };
    let c = &found.concept;
    let mut out = String::with_capacity(160);
    out.push_str(&c.code);
    out.push('\t');
    out.push_str(&c.display);
    out.push('\t');
    out.push_str(c.kind.as_str());
    out.push_str(if c.billable { "\t1\t" } else { "\t0\t" });
    if let Some(parent) = &found.parent {
        s.push_code(&mut out, parent);
    }
    out.push('\t');
    if let Some(span) = found.span {
        out.push_str(&crate::history::iso(span.start));
        out.push('\t');
        out.push_str(&crate::history::iso(span.end));
    } else {
        out.push('\t');
    }
    if let Some(short) = s.short_title(&c.code) {
        out.push('\t');
        out.push_str(&short);
    }
    out
}

/// A FHIR `$validate-code`-shaped answer as JSON.
#[wasm_bindgen]
pub fn validate(code: &str, date: u32) -> String {
    trap_if_asked(code);
    let s = set();
    let v = s.validate_on(code, (date != 0).then_some(date));
    let mut out = String::new();
    v.to_json(s, &mut out);
    out
}

/// Writes hits as fields `code<TAB>display<TAB>kind<TAB>billable(0|1)<TAB>matched<TAB>inclusion(0|1)<TAB>expanded<TAB>unmatched`,
/// entry after entry, all separated by tabs; `matched` and `unmatched` join
/// words with U+001F, `expanded` joins `from U+001E to` pairs with U+001F
/// (titles and lexicon entries hold none of these characters).
fn push_hits(out: &mut String, hits: &[crate::search::Hit]) {
    for h in hits {
        if !out.is_empty() {
            out.push('\t');
        }
        out.push_str(&h.code);
        out.push('\t');
        out.push_str(&h.display);
        out.push('\t');
        out.push_str(h.kind.as_str());
        out.push_str(if h.billable { "\t1\t" } else { "\t0\t" });
        for (i, m) in h.matched.iter().enumerate() {
            if i > 0 {
                out.push('\u{1f}');
            }
            out.push_str(m);
        }
        out.push_str(if h.inclusion { "\t1\t" } else { "\t0\t" });
        for (i, e) in h.expanded.iter().enumerate() {
            if i > 0 {
                out.push('\u{1f}');
            }
            out.push_str(&e.from);
            out.push('\u{1e}');
            out.push_str(&e.to);
        }
        out.push('\t');
        for (i, w) in h.unmatched.iter().enumerate() {
            if i > 0 {
                out.push('\u{1f}');
            }
            out.push_str(w);
        }
    }
}

/// Word search: at most `limit` hits as tab-separated fields (see `push_hits`); `""` when none.
#[wasm_bindgen(js_name = searchRows)]
pub fn search_rows(text: &str, limit: u32) -> String {
    let hits = set().search(text, limit as usize);
    let mut out = String::with_capacity(128 * hits.len());
    push_hits(&mut out, &hits);
    out
}

/// Builds the word index now (see [`CodeSet::prepare_search`]).
#[wasm_bindgen(js_name = prepareSearch)]
pub fn prepare_search() -> bool {
    set().prepare_search()
}

/// One search box: the mode (`code`, `prefix`, `did-you-mean`, `words`), a
/// tab, then the hits as in `searchRows`.
#[wasm_bindgen(js_name = findRows)]
pub fn find_rows(input: &str, limit: u32) -> String {
    let found = set().find(input, limit as usize);
    let mut hits = String::with_capacity(128 * found.hits.len());
    push_hits(&mut hits, &found.hits);
    let mut out = String::from(found.mode.as_str());
    if !hits.is_empty() {
        out.push('\t');
        out.push_str(&hits);
    }
    out
}

/// ICD-10-PCS code builder: the characters that may follow `prefix` in a
/// code valid on `date` (0: newest release) as a JSON array of
/// `{ch, position, axis, label, definition, codes, code}`; `""` for bad
/// input or a set without PCS tables.
#[wasm_bindgen(js_name = nextCharacters)]
pub fn next_characters(prefix: &str, date: u32) -> String {
    let Ok(list) = set().next_characters(prefix, (date != 0).then_some(date)) else {
        return String::new();
    };
    let mut out = String::from("[");
    for (i, n) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        json::field_str(&mut out, "ch", n.ch.encode_utf8(&mut [0; 4]));
        json::field_raw(&mut out, "position", &n.position.to_string());
        json::field_raw(&mut out, "codes", &n.codes.to_string());
        for (name, value) in [
            ("axis", &n.axis),
            ("label", &n.label),
            ("definition", &n.definition),
            ("code", &n.code),
        ] {
            json::field_opt(&mut out, name, value.as_deref());
        }
        out.push('}');
    }
    out.push(']');
    out
}

/// The axis labels of each character of a PCS code as a JSON array of
/// `{position, axis, label}`; `"[]"` elsewhere.
#[wasm_bindgen(js_name = axisLabels)]
pub fn axis_labels(code: &str) -> String {
    let Ok(key) = normalize(code) else {
        return String::from("[]");
    };
    let mut out = String::from("[");
    for (i, (position, axis, label)) in set().axis_labels(key.as_str()).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        json::field_raw(&mut out, "position", &position.to_string());
        for (name, value) in [("axis", axis), ("label", label)] {
            json::field_opt(&mut out, name, value.as_deref());
        }
        out.push('}');
    }
    out.push(']');
    out
}

/// An HCPCS modifier as JSON `{code, display, short, validFrom, validTo}`;
/// `""` when unknown (or not an HCPCS module).
#[wasm_bindgen]
pub fn modifier(code: &str) -> String {
    let Some(m) = set().modifier(code) else {
        return String::new();
    };
    let mut out = String::from("{");
    json::field_str(&mut out, "code", &m.code);
    json::field_str(&mut out, "display", &m.display);
    json::field_opt(&mut out, "short", m.short.as_deref());
    let (from, to) = m.span.map_or((String::new(), String::new()), |s| {
        (crate::history::iso(s.start), crate::history::iso(s.end))
    });
    json::field_str(&mut out, "validFrom", &from);
    json::field_str(&mut out, "validTo", &to);
    out.push('}');
    out
}

/// Whether this module checks the format only (CPT without a licensed table).
#[wasm_bindgen(js_name = formatOnly)]
pub fn format_only() -> bool {
    set().is_format_only()
}

/// Instructional notes of `code` as a JSON array (see [`crate::notes`]):
/// with `inherited`, also those of every level above it; `""` when unknown,
/// malformed, or when this module was built without the notes (only the
/// ICD-10-CM `notes` module has them).
#[wasm_bindgen]
pub fn notes(code: &str, inherited: bool) -> String {
    #[cfg(all(feature = "icd10cm", feature = "notes"))]
    if set().system().id == "icd10cm" {
        let mut out = String::new();
        if let Ok(Some(list)) = crate::notes::Notes::icd10cm().of(set(), code, inherited) {
            crate::notes::to_json(&list, &mut out);
        }
        return out;
    }
    let _ = (code, inherited);
    String::new()
}

/// The Medicare Code Editor edit attributes of `code` on `date` (`yyyymmdd`;
/// 0: the newest release), comma-separated (`adult,male`); empty for none.
#[wasm_bindgen(js_name = mceEdits)]
pub fn mce_edits(code: &str, date: u32) -> String {
    trap_if_asked(code);
    set().mce_edits(code, date).join(",")
}

/// Most codes one list call reads (`checkClaim` stops at 1,000 too).
const MAX_LIST: usize = 1000;

/// What a claim check needs of a list of codes (comma-separated, principal
/// first) on `date` (`yyyymmdd`; 0: newest), in one call, as numbers: the
/// code count, each code's MCE edits as a bit set over [`mce_names`] (low
/// then high 32 bits), then the note findings between the codes
/// ([`crate::note_checks::encode`]), or one `u32::MAX` in a module without
/// the notes.
#[wasm_bindgen(js_name = claimFacts)]
pub fn claim_facts(codes: &str, date: u32) -> Vec<u32> {
    trap_if_asked(codes);
    let list: Vec<&str> = codes.split(',').take(MAX_LIST).collect();
    let bits: Vec<u64> = list.iter().map(|c| set().mce_bits(c, date)).collect();
    let mut out = Vec::with_capacity(1 + 2 * list.len() + 64);
    out.push(list.len() as u32);
    for b in &bits {
        out.extend([*b as u32, (*b >> 32) as u32]);
    }
    #[cfg(all(feature = "icd10cm", feature = "notes"))]
    if set().system().id == "icd10cm" {
        let manifestation_bit = set()
            .mce_names()
            .iter()
            .position(|n| *n == "manifestation")
            .map_or(0, |i| 1u64 << i);
        let manifestation: Vec<bool> = bits.iter().map(|b| b & manifestation_bit != 0).collect();
        let found =
            crate::note_checks::check(crate::notes::Notes::icd10cm(), set(), &list, &manifestation);
        out.extend(crate::note_checks::encode(&found));
        return out;
    }
    out.push(u32::MAX);
    out
}

/// The names of the MCE edit attributes in bit order, comma-separated
/// (the bits of [`claim_facts`]); `""` for a system the MCE does not cover.
#[wasm_bindgen(js_name = mceNames)]
pub fn mce_names() -> String {
    set().mce_names().join(",")
}

/// Where a note of [`claim_facts`] is written (a dotted code, a block or a
/// chapter), from its id; `""` when unknown or without the notes.
#[wasm_bindgen(js_name = noteFrom)]
pub fn note_from(id: u32) -> String {
    #[cfg(all(feature = "icd10cm", feature = "notes"))]
    if let Some(from) = crate::note_checks::from_text(id) {
        return from.to_string();
    }
    let _ = id;
    String::new()
}

/// The text of note text `id` (from [`claim_facts`]); `""` when unknown or
/// when this module has no notes.
#[wasm_bindgen(js_name = noteText)]
pub fn note_text(id: u32) -> String {
    #[cfg(all(feature = "icd10cm", feature = "notes"))]
    if set().system().id == "icd10cm" {
        return crate::note_checks::text(crate::notes::Notes::icd10cm(), id).to_string();
    }
    let _ = id;
    String::new()
}
