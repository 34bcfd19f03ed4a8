//! ICD-10-PCS default build from the committed registry tables only.

mod common;

use medcode_tables::date::OPEN_END;
use medcode_tables::flat::{read_tsv, read_tsv_file, write_tsv, FlatTable};
use medcode_tables::pcs::{axes, build, has_pcs_form};
use medcode_tables::validity;
use std::collections::BTreeSet;

fn inputs() -> (validity::Validity, FlatTable, FlatTable, axes::Labels) {
    let v = validity::read_file(&common::registry("mce_icd10pcs_validity.tsv.gz")).unwrap();
    let drg = read_tsv_file(&common::registry("drg_icd10pcs_titles.tsv.gz")).unwrap();
    let coder = read_tsv_file(&common::registry("icd10coder_icd10pcs_titles.tsv.gz")).unwrap();
    let path = common::registry("icd10coder_icd10pcs_axes.tsv.gz");
    let text = medcode_tables::source::read_text(&path).unwrap();
    let labels = axes::read_labels(&path.display().to_string(), &text).unwrap();
    (v, drg, coder, labels)
}

#[test]
fn default_build_holds_every_code_with_spans_and_titles() {
    let (v, drg, coder, labels) = inputs();
    let valid_now: Vec<&str> = v.valid_on(20260401);
    let axes_tables = axes::tables_from_codes(valid_now.iter().copied(), &labels);
    let t = build::registry(&v, &drg, &coder, &axes_tables);

    let codes: Vec<_> = t.rows.iter().filter(|r| !r.header).collect();
    assert_eq!(codes.len(), v.spans.len());
    for r in &codes {
        assert!(has_pcs_form(&r.code), "{}", r.code);
        assert!(!r.spans.is_empty(), "{}", r.code);
    }
    // Validity on a date is the same through the flat table as through the spans.
    for date in [20151001, 20251001, 20260401, 20261001] {
        assert_eq!(t.valid_on(date).count(), v.valid_on(date).len(), "{date}");
    }
    let gaps: Vec<_> = v.with_gaps().collect();
    let open = codes
        .iter()
        .filter(|r| r.spans.last().is_some_and(|s| s.end == OPEN_END))
        .count();
    let long = |date: u32| t.valid_on(date).filter(|r| r.long_title.is_some()).count();
    let short = t
        .valid_on(20260401)
        .filter(|r| r.short_title.is_some())
        .count();
    println!(
        "PCS registry: {} rows, {} distinct codes, {} still valid, {} with a gap ({:?}), valid on 20260401: {}, on 20261001: {}, long titles for {} / {} on 20260401 and {} of all, short titles for {} on 20260401, {} headings",
        v.rows,
        v.spans.len(),
        open,
        gaps.len(),
        gaps.iter().take(3).collect::<Vec<_>>(),
        v.valid_on(20260401).len(),
        v.valid_on(20261001).len(),
        long(20260401),
        v.valid_on(20260401).len(),
        codes.iter().filter(|r| r.long_title.is_some()).count(),
        short,
        t.rows.iter().filter(|r| r.header).count(),
    );
    // Titles come from the registry files as they are.
    for r in &codes {
        let from_coder = coder.get(&r.code);
        let want = from_coder
            .and_then(|c| c.long_title.clone())
            .or_else(|| drg.get(&r.code).and_then(|d| d.long_title.clone()));
        assert_eq!(r.long_title, want, "{}", r.code);
        assert_eq!(
            r.short_title,
            from_coder.and_then(|c| c.short_title.clone())
        );
    }
    // Every title source code is a PCS code of the validity table.
    for src in [&drg, &coder] {
        for r in &src.rows {
            assert!(v.spans.contains_key(&r.code), "{} not in validity", r.code);
        }
    }
}

#[test]
fn default_build_round_trips_through_tsv() {
    let (v, drg, coder, labels) = inputs();
    let axes_tables = axes::tables_from_codes(v.valid_on(20260401), &labels);
    let t = build::registry(&v, &drg, &coder, &axes_tables);
    let text = write_tsv("pcs.tsv", &t).unwrap();
    let back = read_tsv("pcs.tsv", &text).unwrap();
    assert_eq!(back, t);
    assert_eq!(write_tsv("pcs.tsv", &back).unwrap(), text);
}

#[test]
fn registry_axes_rebuild_exactly_the_valid_codes_of_their_sections() {
    let (v, _, _, labels) = inputs();
    let sections = labels.sections();
    for date in [20251001, 20260401, 20261001] {
        let valid = v.valid_on(date);
        let t = axes::tables_from_codes(valid.iter().copied(), &labels);
        let want: Vec<String> = valid
            .iter()
            .filter(|c| c.chars().next().is_some_and(|s| sections.contains(&s)))
            .map(|c| c.to_string())
            .collect();
        let got = t.expand();
        assert_eq!(got, want, "{date}");
        assert!(!t.all_characters().contains(&'I') && !t.all_characters().contains(&'O'));
        // Every code passes the builder; labels at every position where known.
        let mut unlabeled = BTreeSet::new();
        if date == 20260401 {
            for c in &got {
                assert_eq!(t.first_bad_position(c), None, "{c}");
            }
        }
        for table in &t.tables {
            for a in table
                .fixed
                .iter()
                .chain(table.rows.iter().flat_map(|r| r.axes.iter()))
            {
                for val in &a.values {
                    if val.label.is_none() {
                        unlabeled.insert((table.prefix(), a.pos, val.ch));
                    }
                }
            }
        }
        println!(
            "PCS registry axes on {date}: sections {sections:?}, {} tables, {} rows, {} codes of {} valid ({:.1} %), values without label: {} {:?}",
            t.tables.len(),
            t.row_count(),
            got.len(),
            valid.len(),
            100.0 * got.len() as f64 / valid.len() as f64,
            unlabeled.len(),
            unlabeled.iter().take(5).collect::<Vec<_>>()
        );
    }
}

#[test]
fn invalid_codes_name_the_first_bad_position() {
    let (v, _, _, labels) = inputs();
    let valid = v.valid_on(20260401);
    let t = axes::tables_from_codes(valid.iter().copied(), &labels);
    let set: BTreeSet<&str> = valid.iter().copied().collect();
    let mut checked = 0;
    for code in valid.iter().step_by(97).filter(|c| c.starts_with('0')) {
        for pos in 0..7 {
            let allowed: Vec<char> = t
                .next_characters(&code[..pos])
                .iter()
                .map(|n| n.ch)
                .collect();
            assert!(allowed.contains(&code.as_bytes()[pos].into()));
            let bad = ('0'..='9').chain('A'..='Z').find(|c| !allowed.contains(c));
            let Some(bad) = bad else { continue };
            let mut wrong: Vec<char> = code.chars().collect();
            wrong[pos] = bad;
            let wrong: String = wrong.into_iter().collect();
            assert!(!set.contains(wrong.as_str()));
            let b = t.first_bad_position(&wrong).unwrap();
            assert_eq!(b.position, pos + 1, "{wrong}");
            assert_eq!(b.found, bad);
            assert_eq!(b.allowed.iter().map(|n| n.ch).collect::<Vec<_>>(), allowed);
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
    let b = t.first_bad_position("0016070X").unwrap();
    assert_eq!((b.position, b.allowed.len()), (8, 0));
}

#[test]
fn conversions_read_and_point_at_known_codes() {
    use medcode_tables::conversions::{read_registry, replaced_by};
    let v = validity::read_file(&common::registry("mce_icd10pcs_validity.tsv.gz")).unwrap();
    for (name, check_validity) in [
        ("msdrg_icd10pcs_conversions.tsv.gz", true),
        ("msdrg_icd10cm_conversions.tsv.gz", false),
    ] {
        let path = common::registry(name);
        let text = medcode_tables::source::read_text(&path).unwrap();
        let rows = read_registry(name, &text).unwrap();
        let map = replaced_by(&rows);
        let no_prev = rows.iter().filter(|r| r.previous.is_none()).count();
        println!(
            "{name}: {} rows, {} replaced codes, {} rows without predecessor, dates {:?}..{:?}",
            rows.len(),
            map.len(),
            no_prev,
            rows.iter().map(|r| r.effective).min(),
            rows.iter().map(|r| r.effective).max()
        );
        if check_validity {
            // Every current code of a PCS conversion is a PCS code valid from its effective date.
            let mut starts = 0;
            for r in &rows {
                let cur = r.current.as_deref().unwrap_or_default();
                let spans = v
                    .spans
                    .get(cur)
                    .unwrap_or_else(|| panic!("{cur} not in validity"));
                assert!(
                    spans.iter().any(|s| s.contains(r.effective)),
                    "{cur} {}",
                    r.effective
                );
                starts += usize::from(spans.iter().any(|s| s.start == r.effective));
            }
            println!(
                "  PCS: {starts} / {} current codes start exactly on the effective date",
                rows.len()
            );
        }
    }
}
