//! Claim-check exports: Medicare Code Editor edits, ICD-10-CM instructional
//! notes, and the facts a claim check needs of a list of codes in one call.

use crate::{set, trap_if_asked};
use wasm_bindgen::prelude::*;

/// The notes table, in the one module that has it.
#[cfg(all(feature = "icd10cm", feature = "notes"))]
fn notes_table() -> Option<&'static medcode::checks::notes::Notes> {
    set()
        .system()
        .profile
        .notes
        .then(medcode::checks::notes::Notes::icd10cm)
}

/// Instructional notes of `code` as a JSON array of [`crate::wire::NOTE_KEYS`]
/// objects: with `inherited`, also those of every level above it; `""` when
/// unknown, malformed, or when this module was built without the notes (only
/// the ICD-10-CM `notes` module has them).
#[cfg(not(feature = "serde"))]
#[wasm_bindgen]
pub fn notes(code: &str, inherited: bool) -> String {
    #[cfg(all(feature = "icd10cm", feature = "notes"))]
    if let Some(table) = notes_table() {
        let mut out = String::new();
        if let Ok(Some(list)) = table.of(set(), code, inherited) {
            crate::wire::notes(&mut out, &list);
        }
        return out;
    }
    let _ = (code, inherited);
    String::new()
}

/// [`notes`] as JS objects, `null` where it answers `""` (serde-wasm-bindgen trial).
#[cfg(feature = "serde")]
#[wasm_bindgen]
pub fn notes(code: &str, inherited: bool) -> JsValue {
    #[cfg(all(feature = "icd10cm", feature = "notes"))]
    if let Some(table) = notes_table() {
        return match table.of(set(), code, inherited) {
            Ok(Some(list)) => crate::values::notes(&list),
            _ => JsValue::NULL,
        };
    }
    let _ = (code, inherited);
    JsValue::NULL
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
/// (`medcode::checks::note_checks::encode`), or one `u32::MAX` in a module without
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
    if let Some(table) = notes_table() {
        let manifestation_bit = set()
            .mce_names()
            .iter()
            .position(|n| *n == "manifestation")
            .map_or(0, |i| 1u64 << i);
        let manifestation: Vec<bool> = bits.iter().map(|b| b & manifestation_bit != 0).collect();
        let found = medcode::checks::note_checks::check(table, set(), &list, &manifestation);
        out.extend(medcode::checks::note_checks::encode(&found));
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
    if let Some(from) = medcode::checks::note_checks::from_text(id) {
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
    if let Some(table) = notes_table() {
        return medcode::checks::note_checks::text(table, id).to_string();
    }
    let _ = id;
    String::new()
}

/// Bulk checking of CSV/TSV bytes (`medcode check`, the page's file check):
/// [`medcode::checks::bulk::BulkChecker`] over this module's set. The JS
/// checker (`js/medcode-check.js`) gives it the file's bytes and reads
/// itself the lines it leaves.
#[wasm_bindgen]
pub struct BulkCheck {
    checker: medcode::checks::bulk::BulkChecker<'static>,
    progress: medcode::checks::bulk::Progress,
}

#[wasm_bindgen]
impl BulkCheck {
    /// A checker for lines split by `delimiter` (`,` or tab), with code
    /// columns `columns` (0-based), the date-of-service column
    /// `date_column` (-1: none) and `date` (`yyyymmdd`, 0: the newest
    /// release) for rows without one.
    #[wasm_bindgen(constructor)]
    pub fn new(delimiter: u8, columns: Vec<u32>, date_column: i32, date: u32) -> BulkCheck {
        let config = medcode::checks::bulk::BulkConfig {
            delimiter,
            columns: columns.into_iter().map(|c| c as usize).collect(),
            date_column: usize::try_from(date_column).ok(),
            date: crate::date_or_newest(date),
        };
        BulkCheck {
            checker: medcode::checks::bulk::BulkChecker::new(set(), config),
            progress: Default::default(),
        }
    }

    /// The lines of `input` answered, as bytes: each line, its result
    /// fields, `\n` (see `consumed`, `lines` and `stopped` for where it stopped).
    pub fn run(&mut self, input: &[u8], last: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len() * 4);
        self.progress = self.checker.run(input, last, &mut out);
        out
    }

    /// Bytes of the last `run`'s input read.
    #[wasm_bindgen(getter)]
    pub fn consumed(&self) -> u32 {
        self.progress.consumed as u32
    }

    /// Lines the last `run` answered.
    #[wasm_bindgen(getter)]
    pub fn lines(&self) -> u32 {
        self.progress.lines as u32
    }

    /// Whether the last `run` stopped before a line it leaves to the caller.
    #[wasm_bindgen(getter)]
    pub fn stopped(&self) -> bool {
        self.progress.stopped
    }

    /// The counts so far as one [`crate::wire::BULK_SUMMARY_KEYS`] object.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        crate::wire::bulk_summary(&mut out, self.checker.summary());
        out
    }
}
