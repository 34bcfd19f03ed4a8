//! The wire schema against what the encoders write, natively: every row has
//! the fields `wire.rs` declares, in that order, and every JSON object only
//! the keys it declares. (`tests/js/wire.test.mjs` checks the JS side.)

use medcode::CodeSet;
use medcode_wasm::{lookups, search, wire};

/// The keys of the objects that open inside `depth` containers (0: the
/// text is the object; 1: objects of the top-level array; 2: objects in an
/// array inside those), in order, one list per object.
fn object_keys(json: &str, depth: usize) -> Vec<Vec<String>> {
    let bytes = json.as_bytes();
    let (mut in_string, mut escaped) = (false, false);
    let mut key_start = 0;
    // Open containers: for an object, the keys read so far.
    let mut open: Vec<Option<Vec<String>>> = Vec::new();
    let mut objects = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    in_string = false;
                    if bytes.get(i + 1) == Some(&b':') {
                        if let Some(Some(keys)) = open.last_mut() {
                            keys.push(json[key_start..i].to_string());
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                key_start = i + 1;
            }
            b'{' => open.push(Some(Vec::new())),
            b'[' => open.push(None),
            b'}' | b']' => {
                if let Some(Some(keys)) = open.pop() {
                    if open.len() == depth {
                        objects.push(keys);
                    }
                }
            }
            _ => {}
        }
    }
    objects
}

fn assert_keys_in_order(objects: &[Vec<String>], declared: &[&str], what: &str) {
    assert!(!objects.is_empty(), "{what}: no objects");
    for keys in objects {
        let mut at = 0;
        for k in keys {
            match declared[at..].iter().position(|d| d == k) {
                Some(p) => at += p + 1,
                None => {
                    panic!("{what}: key {k:?} is not declared (or out of order) in {declared:?}")
                }
            }
        }
    }
}

/// Splits positional rows into rows of `fields.len()` fields.
fn rows<'a>(text: &'a str, fields: &[&str]) -> Vec<Vec<&'a str>> {
    let f: Vec<&str> = text.split('\t').collect();
    assert_eq!(
        f.len() % fields.len(),
        0,
        "{} fields is not rows of {fields:?}",
        f.len()
    );
    f.chunks(fields.len()).map(<[&str]>::to_vec).collect()
}

fn at(fields: &[&str], name: &str) -> usize {
    fields
        .iter()
        .position(|f| *f == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn prefix_rows_have_the_declared_fields() {
    let text = lookups::prefix_rows("S72.00", 30);
    let rows = rows(&text, wire::PREFIX_ROW);
    assert_eq!(rows.len(), 30);
    let cm = CodeSet::icd10cm();
    for row in rows {
        let c = cm
            .lookup(row[at(wire::PREFIX_ROW, "code")])
            .unwrap()
            .unwrap();
        assert_eq!(row[at(wire::PREFIX_ROW, "display")], c.display);
        assert_eq!(row[at(wire::PREFIX_ROW, "kind")], c.kind.as_str());
        assert_eq!(row[at(wire::PREFIX_ROW, "billable")] == "1", c.billable);
    }
}

#[test]
fn lookup_row_has_the_declared_fields() {
    let row = lookups::lookup_row("s72001a", 0);
    let f: Vec<&str> = row.split('\t').collect();
    // ICD-10-CM has no short titles: every field but the last.
    assert_eq!(f.len(), wire::LOOKUP_ROW.len() - 1, "{row}");
    assert_eq!(f[at(wire::LOOKUP_ROW, "code")], "S72.001A");
    assert_eq!(f[at(wire::LOOKUP_ROW, "billable")], "1");
    assert_eq!(f[at(wire::LOOKUP_ROW, "parent")], "S72.001");
    assert_eq!(
        f[at(wire::LOOKUP_ROW, "validFrom")].len(),
        "2015-10-01".len()
    );
}

#[test]
fn hit_rows_have_the_declared_fields() {
    let text = search::search_rows("heart attack", 10);
    let rows = rows(&text, wire::HIT_ROW);
    assert_eq!(rows.len(), 10);
    for row in &rows {
        assert!(
            CodeSet::icd10cm().is_valid(row[at(wire::HIT_ROW, "code")])
                || row[at(wire::HIT_ROW, "billable")] == "0"
        );
        assert!(matches!(row[at(wire::HIT_ROW, "inclusion")], "0" | "1"));
    }
    // The lexicon's reading of "heart attack" is shown in `expanded`.
    assert!(
        rows.iter()
            .any(|r| r[at(wire::HIT_ROW, "expanded")].contains('\u{1e}')),
        "{text}"
    );
    let found = search::find_rows("E11.9", 5);
    let (mode, hits) = found.split_once('\t').expect("a mode then rows");
    assert_eq!(mode, "code");
    assert_eq!(rows_of(hits)[0], "E11.9");
}

fn rows_of(text: &str) -> Vec<&str> {
    rows(text, wire::HIT_ROW)
        .into_iter()
        .map(|r| r[0])
        .collect()
}

#[test]
fn json_answers_carry_only_declared_keys_in_order() {
    let cm = CodeSet::icd10cm();
    assert_keys_in_order(
        &object_keys(&lookups::children("E11"), 1),
        wire::CONCEPT_KEYS,
        "children",
    );
    let v = lookups::validate("S72.001", 0);
    assert_keys_in_order(&object_keys(&v, 0), wire::VALIDATION_KEYS, "validation");
    let (issues, suggestions) = v.split_once("\"suggestions\":").expect("suggestions");
    assert_keys_in_order(&object_keys(issues, 2), wire::ISSUE_KEYS, "issues");
    assert_keys_in_order(
        &object_keys(suggestions, 1),
        wire::SUGGESTION_KEYS,
        "suggestions",
    );
    assert_keys_in_order(
        &object_keys(&lookups::releases(), 1),
        wire::RELEASE_KEYS,
        "releases",
    );
    assert_keys_in_order(
        &object_keys(&lookups::data_info(), 1),
        wire::TABLE_KEYS,
        "tables",
    );
    let mut notes = String::new();
    wire::notes(
        &mut notes,
        &medcode::checks::notes::Notes::icd10cm()
            .of(cm, "E11.9", true)
            .unwrap()
            .unwrap(),
    );
    assert_keys_in_order(&object_keys(&notes, 1), wire::NOTE_KEYS, "notes");
    assert_keys_in_order(&object_keys(&notes, 3), wire::NOTE_REF_KEYS, "note refs");
    let pcs = CodeSet::icd10pcs();
    let next = wire::next_characters(&pcs.next_characters("0DT", None).unwrap());
    assert_keys_in_order(
        &object_keys(&next, 1),
        wire::NEXT_CHAR_KEYS,
        "nextCharacters",
    );
    let labels = wire::axis_labels(&pcs.axis_labels("0DTJ4ZZ"));
    assert_keys_in_order(
        &object_keys(&labels, 1),
        wire::AXIS_LABEL_KEYS,
        "axisLabels",
    );
    let m = wire::modifier(CodeSet::hcpcs(), &CodeSet::hcpcs().modifier("25").unwrap());
    assert_keys_in_order(&object_keys(&m, 0), wire::MODIFIER_KEYS, "modifier");
}

#[test]
fn a_validation_names_its_release_as_the_fhir_version() {
    // The version FHIR expects is the release's year.
    let v = medcode_wasm::lookups::validate("E11.9", 20200101);
    assert!(
        v.contains("\"version\":\"2020\",\"release\":\"FY2020\",\"date\":\"2020-01-01\""),
        "{v}"
    );
}

#[test]
fn data_info_lists_the_fingerprint_rows() {
    let json = lookups::data_info();
    for row in medcode::fingerprint::tables() {
        assert!(json.contains(&format!(
            "{{\"table\":\"{}\",\"source\":\"{}\",\"rows\":{},\"bytes\":{},\"sha256\":\"{}\"}}",
            row.table, row.source, row.rows, row.bytes, row.sha256
        )));
    }
}

#[test]
fn the_schema_export_lists_every_row() {
    let schema = wire::schema_json();
    for (name, fields) in wire::SCHEMA {
        let list: Vec<String> = fields.iter().map(|f| format!("\"{f}\"")).collect();
        assert!(
            schema.contains(&format!("\"{name}\":[{}]", list.join(","))),
            "{schema}"
        );
    }
}
