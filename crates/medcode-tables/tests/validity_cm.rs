//! ICD-10-CM validity spans from the registry MCE master.

mod common;

use medcode_tables::validity;

#[test]
fn cm_validity_reads_and_gaps_are_measured() {
    let v = validity::read_file(&common::registry("mce_icd10cm_validity.tsv.gz")).unwrap();
    let gaps: Vec<_> = v.with_gaps().collect();
    let rows_per_code = v.rows - v.spans.len();
    println!(
        "CM validity: {} rows, {} codes ({rows_per_code} extra rows joined), {} codes with a gap {:?}, valid on 20251001: {}, 20261001: {}",
        v.rows,
        v.spans.len(),
        gaps.len(),
        gaps.iter().take(3).collect::<Vec<_>>(),
        v.valid_on(20251001).len(),
        v.valid_on(20261001).len()
    );
    // Joined spans never overlap or touch, and are ordered.
    for spans in v.spans.values() {
        for w in spans.windows(2) {
            assert!(medcode_tables::date::next_day(w[0].end) < w[1].start);
        }
    }
}
