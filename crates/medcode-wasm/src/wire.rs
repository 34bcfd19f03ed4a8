//! The wire schema: every row the module hands JavaScript, declared once.
//!
//! Two shapes cross the boundary. Lists that hot paths return (`prefixRows`,
//! `lookupRow`, `searchRows`, `findRows`) are positional rows: fields joined
//! by tabs, one row after another, in the order the `*_ROW` constants below
//! name them. Structured, rarely called answers are one JSON string whose
//! objects carry the keys the `*_KEYS` constants name. `js/wire.js` mirrors
//! these lists and parses by them; `wireSchema()` exports them, and
//! `tests/js/wire.test.mjs` checks that every module and `js/wire.js` agree.

use crate::json;
use medcode::codeset::{CodeSet, Concept};
use medcode::history::{iso, push_iso};
use medcode::search::Hit;
use medcode::Entry;

/// `prefixRows`: one row per code under the prefix.
pub const PREFIX_ROW: &[&str] = &["code", "display", "kind", "billable"];
/// `lookupRow`: one row (dates `yyyy-mm-dd`; `short` only where the system has short titles).
pub const LOOKUP_ROW: &[&str] = &[
    "code",
    "display",
    "kind",
    "billable",
    "parent",
    "validFrom",
    "validTo",
    "short",
];
/// `searchRows` and `findRows` (after the mode): one row per hit. List
/// fields join items with U+001F; `expanded` joins `from` U+001E `to`.
pub const HIT_ROW: &[&str] = &[
    "code",
    "display",
    "kind",
    "billable",
    "matched",
    "inclusion",
    "expanded",
    "unmatched",
];
/// The keys of a concept object (`children`, `ancestors`).
pub const CONCEPT_KEYS: &[&str] = &["code", "display", "kind", "billable", "system"];
/// The keys of a `validate` answer (`release`, `date`, `display` when known).
pub const VALIDATION_KEYS: &[&str] = &[
    "result",
    "code",
    "system",
    "version",
    "release",
    "date",
    "display",
    "issues",
    "suggestions",
];
/// The keys of an issue of a `validate` answer.
pub const ISSUE_KEYS: &[&str] = &["severity", "code", "reason", "text"];
/// The keys of a suggestion of a `validate` answer.
pub const SUGGESTION_KEYS: &[&str] = &["code", "display"];
/// The keys of a note (`char` only for a 7th-character note).
pub const NOTE_KEYS: &[&str] = &["kind", "text", "from", "char", "refs"];
/// The keys of a code a note names (the last three only when they apply).
pub const NOTE_REF_KEYS: &[&str] = &["text", "code", "through", "block", "incomplete"];
/// The keys of a release (`releases`).
pub const RELEASE_KEYS: &[&str] = &["start", "name"];
/// The keys of an embedded table (`dataInfo`).
pub const TABLE_KEYS: &[&str] = &["table", "source", "rows", "bytes", "sha256"];
/// The keys of a next character of the ICD-10-PCS builder (`nextCharacters`).
pub const NEXT_CHAR_KEYS: &[&str] = &[
    "ch",
    "position",
    "codes",
    "axis",
    "label",
    "definition",
    "code",
];
/// The keys of an axis label (`axisLabels`).
pub const AXIS_LABEL_KEYS: &[&str] = &["position", "axis", "label"];
/// The keys of an HCPCS modifier (`modifier`).
pub const MODIFIER_KEYS: &[&str] = &["code", "display", "short", "validFrom", "validTo"];

/// The keys of a bulk check's counts (`BulkCheck.summary`; `statuses` is a
/// list of `[status, count]` pairs in the order first seen).
pub const BULK_SUMMARY_KEYS: &[&str] = &["rows", "codes", "failedRows", "statuses"];

/// Every row and object of the schema, by the name `js/wire.js` gives it.
pub const SCHEMA: &[(&str, &[&str])] = &[
    ("prefixRow", PREFIX_ROW),
    ("lookupRow", LOOKUP_ROW),
    ("hitRow", HIT_ROW),
    ("concept", CONCEPT_KEYS),
    ("validation", VALIDATION_KEYS),
    ("issue", ISSUE_KEYS),
    ("suggestion", SUGGESTION_KEYS),
    ("note", NOTE_KEYS),
    ("noteRef", NOTE_REF_KEYS),
    ("release", RELEASE_KEYS),
    ("table", TABLE_KEYS),
    ("nextChar", NEXT_CHAR_KEYS),
    ("axisLabel", AXIS_LABEL_KEYS),
    ("modifier", MODIFIER_KEYS),
    ("bulkSummary", BULK_SUMMARY_KEYS),
];

/// The schema as JSON `{"prefixRow":["code",…],…}`.
///
/// ```
/// let schema = medcode_wasm::wire::schema_json();
/// assert!(schema.starts_with(r#"{"prefixRow":["code","display","kind","billable"]"#));
/// ```
pub fn schema_json() -> String {
    let mut out = String::from("{");
    for (name, fields) in SCHEMA {
        json::comma(&mut out);
        json::key(&mut out, name);
        out.push('[');
        for f in *fields {
            json::comma(&mut out);
            json::string(&mut out, f);
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// Starts a row: a tab before every row but the first.
fn row_start(out: &mut String) {
    if !out.is_empty() {
        out.push('\t');
    }
}

fn flag(out: &mut String, on: bool) {
    out.push(if on { '1' } else { '0' });
}

/// Appends a `PREFIX_ROW` for `key`: its code as the system writes it,
/// `leaf_title` (the title of the code or of the leaf a 7th character extends,
/// decoded once by the caller) with the 7th character's meaning, its kind and
/// whether it is billable in the newest release.
pub fn prefix_row(
    out: &mut String,
    set: &CodeSet,
    key: &str,
    entry: &Entry,
    titles: &PrefixTitles,
) {
    row_start(out);
    set.push_code(out, key);
    out.push('\t');
    out.push_str(&titles.leaf);
    if !titles.whole {
        set.write_seventh_meaning(entry, out);
    }
    out.push('\t');
    out.push_str(entry.kind.as_str());
    out.push('\t');
    flag(out, set.billable_now(key, entry));
}

/// The title a `PREFIX_ROW` is written from: the leaf's (a code made
/// with a 7th character has its leaf's title; the set keeps the 7th
/// characters' meanings). Rows in key order share the leaf, so each leaf
/// title is written once per call. Under a prefix with addenda (ICD-10-CM
/// FY2027: new codes, revised titles) a row's title is the newest
/// release's, as `lookup` and `CodeSet::prefix` give it.
#[derive(Debug, Default)]
pub struct PrefixTitles {
    leaf_id: Option<u32>,
    leaf: String,
    /// The addenda of codes under the prefix, and the newest release's date.
    addenda: &'static [medcode::history::Addendum],
    newest: u32,
    /// The leaf is an addendum's title, whole (no 7th-character meaning follows).
    whole: bool,
}

impl PrefixTitles {
    /// The titles of the rows under `prefix` (a key).
    pub fn under(set: &'static CodeSet, prefix: &str) -> PrefixTitles {
        PrefixTitles {
            addenda: set
                .history()
                .map(|h| h.addenda_under(prefix))
                .unwrap_or_default(),
            newest: set.newest_date().unwrap_or_default(),
            ..PrefixTitles::default()
        }
    }

    /// Makes the leaf title that of `key` (its entry `entry`).
    pub fn update(&mut self, set: &CodeSet, key: &str, entry: &Entry) {
        if !self.addenda.is_empty() {
            if let Some(a) = medcode::history::addendum_in(self.addenda, key, self.newest) {
                self.leaf.clear();
                self.leaf.push_str(a.title);
                self.leaf_id = None;
                self.whole = true;
                return;
            }
        }
        self.whole = false;
        if self.leaf_id != Some(entry.title) {
            self.leaf.clear();
            set.write_code_title(key, entry.title, &mut self.leaf);
            self.leaf_id = Some(entry.title);
        }
    }
}

/// A `LOOKUP_ROW` for `found`.
pub fn lookup_row(set: &CodeSet, found: &medcode::dated::DatedConcept) -> String {
    let mut out = String::with_capacity(160);
    write_lookup_row(&mut out, set, found);
    out
}

/// Appends a `LOOKUP_ROW` for `found` to `out`.
pub fn write_lookup_row(out: &mut String, set: &CodeSet, found: &medcode::dated::DatedConcept) {
    let c = &found.concept;
    out.push_str(&c.code);
    out.push('\t');
    out.push_str(&c.display);
    out.push('\t');
    out.push_str(c.kind.as_str());
    out.push('\t');
    flag(out, c.billable);
    out.push('\t');
    if let Some(parent) = &found.parent {
        set.push_code(out, parent);
    }
    out.push('\t');
    if let Some(span) = found.span {
        if let Some(start) = set.known_start(span.start) {
            push_iso(out, start);
        }
        out.push('\t');
        push_iso(out, span.end);
    } else {
        out.push('\t');
    }
    if let Some(short) = set.short_title(&c.code) {
        out.push('\t');
        out.push_str(&short);
    }
}

/// Appends joined list items of a `HIT_ROW` field.
fn joined<'a>(out: &mut String, items: impl Iterator<Item = &'a str>) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push('\u{1f}');
        }
        out.push_str(item);
    }
}

/// Appends one `HIT_ROW` per hit.
pub fn hit_rows(out: &mut String, hits: &[Hit]) {
    for h in hits {
        row_start(out);
        out.push_str(&h.code);
        out.push('\t');
        out.push_str(&h.display);
        out.push('\t');
        out.push_str(h.kind.as_str());
        out.push('\t');
        flag(out, h.billable);
        out.push('\t');
        joined(out, h.matched.iter().map(String::as_str));
        out.push('\t');
        flag(out, h.inclusion);
        out.push('\t');
        for (i, e) in h.expanded.iter().enumerate() {
            if i > 0 {
                out.push('\u{1f}');
            }
            out.push_str(&e.from);
            out.push('\u{1e}');
            out.push_str(&e.to);
        }
        out.push('\t');
        joined(out, h.unmatched.iter().map(String::as_str));
    }
}

/// Appends a concept object (`CONCEPT_KEYS`).
pub fn concept(out: &mut String, set: &CodeSet, c: &Concept) {
    out.push('{');
    json::field_str(out, "code", &c.code);
    json::field_str(out, "display", &c.display);
    json::field_str(out, "kind", c.kind.as_str());
    json::field_bool(out, "billable", c.billable);
    json::field_str(out, "system", set.system().uri);
    out.push('}');
}

/// Appends a `validate` answer (`VALIDATION_KEYS`).
pub fn validation(out: &mut String, set: &CodeSet, v: &medcode::Validation) {
    let sys = set.system();
    out.push('{');
    json::field_bool(out, "result", v.result);
    json::field_str(out, "code", &v.code);
    json::field_str(out, "system", sys.uri);
    match v.release {
        Some((date, name)) => {
            json::field_str(
                out,
                "version",
                &medcode::dated::fhir_version(name, sys.version),
            );
            json::field_str(out, "release", name);
            json::field_str(out, "date", &iso(date));
        }
        None => json::field_str(out, "version", sys.version),
    }
    if let Some(d) = &v.display {
        json::field_str(out, "display", d);
    }
    json::comma(out);
    json::key(out, "issues");
    out.push('[');
    for issue in &v.issues {
        json::comma(out);
        out.push('{');
        json::field_str(out, "severity", issue.severity.as_str());
        json::field_str(out, "code", issue.code);
        json::field_str(out, "reason", issue.reason.as_str());
        json::field_str(out, "text", &issue.text);
        out.push('}');
    }
    out.push_str("],");
    json::key(out, "suggestions");
    out.push('[');
    for s in &v.suggestions {
        json::comma(out);
        out.push('{');
        json::field_str(out, "code", &s.code);
        json::field_str(out, "display", &s.display);
        out.push('}');
    }
    out.push_str("]}");
}

/// Appends notes as a JSON array (`NOTE_KEYS`, `NOTE_REF_KEYS`).
#[cfg(all(feature = "icd10cm", feature = "notes"))]
pub fn notes(out: &mut String, notes: &[medcode::checks::notes::Note]) {
    out.push('[');
    for n in notes {
        json::comma(out);
        out.push('{');
        json::field_str(out, "kind", n.kind.as_str());
        json::field_str(out, "text", &n.text);
        json::field_str(out, "from", &n.from);
        if let Some(c) = n.seventh {
            json::field_str(out, "char", c.encode_utf8(&mut [0; 4]));
        }
        json::field_raw(out, "refs", "[");
        for r in &n.refs {
            json::comma(out);
            out.push('{');
            json::field_str(out, "text", &r.text);
            json::field_str(out, "code", &r.code);
            if let Some(t) = &r.through {
                json::field_str(out, "through", t);
            }
            if let Some(b) = &r.block {
                json::field_str(out, "block", b);
            }
            if r.incomplete {
                json::field_bool(out, "incomplete", true);
            }
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push(']');
}

/// The releases as a JSON array (`RELEASE_KEYS`).
pub fn releases(set: &CodeSet) -> String {
    let mut out = String::from("[");
    for r in set.history().map(|h| h.releases()).unwrap_or_default() {
        json::comma(&mut out);
        out.push('{');
        json::field_str(&mut out, "start", &iso(r.start));
        json::field_str(&mut out, "name", r.name);
        out.push('}');
    }
    out.push(']');
    out
}

/// The embedded tables as a JSON array (`TABLE_KEYS`).
pub fn tables() -> String {
    let mut out = String::from("[");
    for t in medcode::fingerprint::tables() {
        json::comma(&mut out);
        out.push('{');
        json::field_str(&mut out, "table", t.table);
        json::field_str(&mut out, "source", t.source);
        json::field_raw(&mut out, "rows", &t.rows.to_string());
        json::field_raw(&mut out, "bytes", &t.bytes.to_string());
        json::field_str(&mut out, "sha256", t.sha256);
        out.push('}');
    }
    out.push(']');
    out
}

/// The characters that may follow a PCS prefix as a JSON array (`NEXT_CHAR_KEYS`).
pub fn next_characters(list: &[medcode::systems::icd10pcs::NextChar]) -> String {
    let mut out = String::from("[");
    for n in list {
        json::comma(&mut out);
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

/// The axis labels of a PCS code as a JSON array (`AXIS_LABEL_KEYS`).
pub fn axis_labels(labels: &[(u8, Option<String>, Option<String>)]) -> String {
    let mut out = String::from("[");
    for (position, axis, label) in labels {
        json::comma(&mut out);
        out.push('{');
        json::field_raw(&mut out, "position", &position.to_string());
        json::field_opt(&mut out, "axis", axis.as_deref());
        json::field_opt(&mut out, "label", label.as_deref());
        out.push('}');
    }
    out.push(']');
    out
}

/// An HCPCS modifier as a JSON object (`MODIFIER_KEYS`); `validFrom` is
/// empty where the history does not know the start ([`CodeSet::known_start`]).
pub fn modifier(set: &CodeSet, m: &medcode::systems::hcpcs::Modifier) -> String {
    let mut out = String::from("{");
    json::field_str(&mut out, "code", &m.code);
    json::field_str(&mut out, "display", &m.display);
    json::field_opt(&mut out, "short", m.short.as_deref());
    let (from, to) = m.span.map_or((String::new(), String::new()), |s| {
        (
            set.known_start(s.start).map(iso).unwrap_or_default(),
            iso(s.end),
        )
    });
    json::field_str(&mut out, "validFrom", &from);
    json::field_str(&mut out, "validTo", &to);
    out.push('}');
    out
}

/// A [`BULK_SUMMARY_KEYS`] object for `summary`.
pub fn bulk_summary(out: &mut String, summary: &medcode::checks::bulk::BulkSummary) {
    use std::fmt::Write;
    let _ = write!(
        out,
        r#"{{"rows":{},"codes":{},"failedRows":{},"statuses":["#,
        summary.rows, summary.codes, summary.failed_rows
    );
    for (status, n) in &summary.statuses {
        json::comma(out);
        out.push('[');
        json::string(out, status);
        let _ = write!(out, ",{n}]");
    }
    out.push_str("]}");
}
