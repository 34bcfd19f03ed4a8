//! The serde-wasm-bindgen trial (feature `serde`): the structured, rarely
//! called answers built as JS objects by `serde_wasm_bindgen::to_value`
//! instead of one JSON string `JSON.parse` reads. The objects carry the keys
//! and key order of [`wire`](crate::wire)'s `*_KEYS`; absent values are
//! `null` where the JSON had `null`, and missing keys stay missing.

use crate::set;
use medcode::history::iso;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `value` as a JS value: structs as plain objects, `None` as `null`, `null`
/// when serialization fails (it does not for these types).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// A release (`RELEASE_KEYS`).
#[derive(Serialize)]
struct Release<'a> {
    start: String,
    name: &'a str,
}

/// The releases, oldest first (`[]` without a history).
pub fn releases() -> JsValue {
    let list: Vec<Release> = set()
        .history()
        .map(|h| h.releases())
        .unwrap_or_default()
        .iter()
        .map(|r| Release {
            start: iso(r.start),
            name: r.name,
        })
        .collect();
    to_js(&list)
}

/// An embedded table (`TABLE_KEYS`).
#[derive(Serialize)]
struct Table<'a> {
    table: &'a str,
    source: &'a str,
    rows: u64,
    bytes: u64,
    sha256: &'a str,
}

/// The embedded tables.
pub fn tables() -> JsValue {
    let list: Vec<Table> = medcode::fingerprint::tables()
        .map(|t| Table {
            table: t.table,
            source: t.source,
            rows: t.rows,
            bytes: t.bytes,
            sha256: t.sha256,
        })
        .collect();
    to_js(&list)
}

/// A next character of the ICD-10-PCS builder (`NEXT_CHAR_KEYS`).
#[derive(Serialize)]
struct NextChar<'a> {
    ch: char,
    position: u8,
    codes: usize,
    axis: Option<&'a str>,
    label: Option<&'a str>,
    definition: Option<&'a str>,
    code: Option<&'a str>,
}

/// The characters that may follow a PCS prefix.
pub fn next_characters(list: &[medcode::systems::icd10pcs::NextChar]) -> JsValue {
    let list: Vec<NextChar> = list
        .iter()
        .map(|n| NextChar {
            ch: n.ch,
            position: n.position,
            codes: n.codes,
            axis: n.axis.as_deref(),
            label: n.label.as_deref(),
            definition: n.definition.as_deref(),
            code: n.code.as_deref(),
        })
        .collect();
    to_js(&list)
}

/// An HCPCS modifier (`MODIFIER_KEYS`).
#[derive(Serialize)]
struct Modifier<'a> {
    code: &'a str,
    display: &'a str,
    short: Option<&'a str>,
    #[serde(rename = "validFrom")]
    valid_from: String,
    #[serde(rename = "validTo")]
    valid_to: String,
}

/// An HCPCS modifier.
pub fn modifier(set: &medcode::CodeSet, m: &medcode::systems::hcpcs::Modifier) -> JsValue {
    let (valid_from, valid_to) = m.span.map_or((String::new(), String::new()), |s| {
        (
            set.known_start(s.start).map(iso).unwrap_or_default(),
            iso(s.end),
        )
    });
    to_js(&Modifier {
        code: &m.code,
        display: &m.display,
        short: m.short.as_deref(),
        valid_from,
        valid_to,
    })
}

/// A note (`NOTE_KEYS`).
#[cfg(all(feature = "icd10cm", feature = "notes"))]
#[derive(Serialize)]
struct Note<'a> {
    kind: &'a str,
    text: &'a str,
    from: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    char: Option<char>,
    refs: Vec<NoteRef<'a>>,
}

/// A code a note names (`NOTE_REF_KEYS`).
#[cfg(all(feature = "icd10cm", feature = "notes"))]
#[derive(Serialize)]
struct NoteRef<'a> {
    text: &'a str,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    through: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    block: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    incomplete: bool,
}

/// Instructional notes.
#[cfg(all(feature = "icd10cm", feature = "notes"))]
pub fn notes(notes: &[medcode::checks::notes::Note]) -> JsValue {
    let list: Vec<Note> = notes
        .iter()
        .map(|n| Note {
            kind: n.kind.as_str(),
            text: &n.text,
            from: &n.from,
            char: n.seventh,
            refs: n
                .refs
                .iter()
                .map(|r| NoteRef {
                    text: &r.text,
                    code: &r.code,
                    through: r.through.as_deref(),
                    block: r.block.as_deref(),
                    incomplete: r.incomplete,
                })
                .collect(),
        })
        .collect();
    to_js(&list)
}
