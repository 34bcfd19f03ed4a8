//! Licensed CPT and custom code lists through the flat TSV form.

use medcode_tables::cpt::{category, read_licensed, Category};
use medcode_tables::flat::{read_tsv, read_tsv_file, write_tsv};
use std::path::Path;

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn licensee_cpt_table_reads_with_categories_and_spans() {
    let path = data("cpt-fake.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let t = read_licensed("cpt-fake.tsv", &text).unwrap();
    assert_eq!(t.system, "CPT");
    let codes: Vec<&str> = t
        .rows
        .iter()
        .filter(|r| !r.header)
        .map(|r| r.code.as_str())
        .collect();
    let cats: Vec<Category> = codes.iter().map(|c| category(c).unwrap()).collect();
    assert_eq!(
        cats,
        [
            Category::I,
            Category::I,
            Category::II,
            Category::III,
            Category::Pla
        ]
    );
    // Every title in the test table is marked as made up.
    assert!(t.rows.iter().all(|r| r
        .long_title
        .as_deref()
        .is_some_and(|s| s.starts_with("FAKE"))));
    let one = t.get("00001").unwrap();
    assert_eq!(one.spans.len(), 2);
    assert!(one.valid_on(20230101) && !one.valid_on(20240601) && one.valid_on(20250101));
    assert!(
        t.get("0000F").unwrap().valid_on(19000101),
        "undated means always"
    );
    assert!(
        !t.get("0000").unwrap().valid_on(20250101),
        "a heading is never reportable"
    );
    assert_eq!(t.valid_on(20251231).count(), 4);
    // Written and read back: same table, same bytes.
    let out = write_tsv("cpt.tsv", &t).unwrap();
    assert_eq!(read_licensed("cpt.tsv", &out).unwrap(), t);
    assert_eq!(
        write_tsv("cpt.tsv", &read_tsv("cpt.tsv", &out).unwrap()).unwrap(),
        out
    );
}

#[test]
fn licensee_table_with_a_non_cpt_code_fails_at_its_line() {
    let text = std::fs::read_to_string(data("cpt-fake.tsv")).unwrap();
    let bad = text.replace("0000T\t", "J0000\t");
    let e = read_licensed("cpt-fake.tsv", &bad).unwrap_err().to_string();
    let line = bad.lines().position(|l| l.starts_with("J0000")).unwrap() + 1;
    assert!(
        e.starts_with(&format!("cpt-fake.tsv:{line}: column code: \"J0000\"")),
        "{e}"
    );
}

#[test]
fn custom_table_code_longer_than_the_limit_is_refused_with_its_line() {
    let text = "code\ttitle\nAB12\tok\nABCDEFGHIJKLMNOPQ\ttoo long\n";
    let e = read_tsv("custom.tsv", text).unwrap_err().to_string();
    assert!(
        e.starts_with("custom.tsv:3: ") && e.contains("17 characters") && e.contains("at most 16"),
        "{e}"
    );
    assert!(read_tsv("custom.tsv", "code\ttitle\nABCDEFGHIJKLMNOP\tsixteen\n").is_ok());
}

#[test]
fn custom_value_set_normalizes_codes() {
    let t = read_tsv_file(&data("custom-valueset.tsv")).unwrap();
    assert_eq!(t.system, "EXAMPLE-VALUESET");
    let codes: Vec<&str> = t.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(
        codes,
        ["1234567890A", "E119", "I10", "LOCAL01", "LONGLOCALCODE016"]
    );
    assert!(t
        .rows
        .iter()
        .all(|r| r.spans.is_empty() && r.valid_on(20260101)));
}
