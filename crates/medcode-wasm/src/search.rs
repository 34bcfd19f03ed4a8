//! Search exports: word search, the one search box, and building the word
//! index ahead of the first query.

use crate::{set, wire};
use wasm_bindgen::prelude::*;

/// Word search: at most `limit` hits as [`wire::HIT_ROW`] rows; `""` when none.
#[wasm_bindgen(js_name = searchRows)]
pub fn search_rows(text: &str, limit: u32) -> String {
    let hits = set().search(text, limit as usize);
    let mut out = String::with_capacity(128 * hits.len());
    wire::hit_rows(&mut out, &hits);
    out
}

/// Builds the word index now (see [`medcode::CodeSet::prepare_search`]).
#[wasm_bindgen(js_name = prepareSearch)]
pub fn prepare_search() -> bool {
    set().prepare_search()
}

/// One search box: the mode (`code`, `prefix`, `did-you-mean`, `words`), a
/// tab, then the hits as [`wire::HIT_ROW`] rows.
#[wasm_bindgen(js_name = findRows)]
pub fn find_rows(input: &str, limit: u32) -> String {
    let found = set().find(input, limit as usize);
    let mut hits = String::with_capacity(128 * found.hits.len());
    wire::hit_rows(&mut hits, &found.hits);
    let mut out = String::from(found.mode.as_str());
    if !hits.is_empty() {
        out.push('\t');
        out.push_str(&hits);
    }
    out
}
