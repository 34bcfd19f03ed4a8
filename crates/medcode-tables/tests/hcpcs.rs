//! HCPCS Level II and modifiers: the registry (default) build and the official
//! ANWEB release (committed under `tables/releases`).

mod common;

use medcode_tables::hcpcs::{self, AnwebRow, Versions};
use medcode_tables::source::read_text;
use std::collections::BTreeSet;

fn versions() -> Versions {
    let p = common::registry("ioce_versions.tsv.gz");
    hcpcs::read_versions("ioce_versions.tsv.gz", &read_text(&p).unwrap()).unwrap()
}

#[test]
fn registry_build_is_level2_only_with_quarter_spans() {
    let v = versions();
    let p = common::registry("ioce_hcpcs.tsv.gz");
    let text = read_text(&p).unwrap();
    let t = hcpcs::read_ioce("ioce_hcpcs.tsv.gz", &text, &v).unwrap();
    let data_rows = text.lines().skip(1).filter(|l| !l.is_empty()).count();
    let distinct: BTreeSet<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('|').next())
        .collect();
    assert_eq!(t.rows.len(), distinct.len());
    for r in &t.rows {
        // No CPT (digits first) and no CDT (D) code slipped through.
        assert!(hcpcs::is_level2(&r.code), "{}", r.code);
        assert!(!r.code.starts_with('D') && !r.code.starts_with(|c: char| c.is_ascii_digit()));
        assert!(
            r.short_title
                .as_deref()
                .is_some_and(|s| s.chars().count() <= 28),
            "{}",
            r.code
        );
        assert!(!r.spans.is_empty());
    }
    let (first, _) = v.quarters.values().next().copied().unwrap_or_default();
    let newest = v.newest().unwrap_or_default();
    let newest_start = v.quarters[&newest].0;
    let gaps = t.rows.iter().filter(|r| r.spans.len() > 1).count();
    println!(
        "HCPCS registry: {data_rows} rows, {} codes, versions {:?}..{newest} ({first}..), valid on {first}: {}, on 20251001: {}, on {newest_start}: {}, codes with a gap: {gaps}",
        t.rows.len(),
        v.quarters.keys().next(),
        t.valid_on(first).count(),
        t.valid_on(20251001).count(),
        t.valid_on(newest_start).count(),
    );
    assert!(t.valid_on(newest_start).count() > 0);

    let mp = common::registry("ioce_modifiers.tsv.gz");
    let (m, counts) =
        hcpcs::read_ioce_modifiers("ioce_modifiers.tsv.gz", &read_text(&mp).unwrap(), &v).unwrap();
    let numeric = m
        .rows
        .iter()
        .filter(|r| r.code.bytes().all(|b| b.is_ascii_digit()))
        .count();
    println!(
        "modifiers registry: {} codes kept ({numeric} all-digit CPT modifiers, codes only), {} I/OCE-internal left out, valid on 20251001: {}",
        counts.kept,
        counts.internal,
        m.valid_on(20251001).count()
    );
    assert!(m
        .rows
        .iter()
        .all(|r| r.long_title.is_none() && r.short_title.is_none()));
}

fn anweb() -> (Vec<AnwebRow>, Vec<AnwebRow>, String) {
    let rel = common::releases();
    let dir = rel.join("hcpcs-2025-10");
    let xlsx = hcpcs::read_anweb_xlsx(&dir.join("HCPC2025_OCT_ANWEB.xlsx")).unwrap();
    let tp = dir.join("hcpcs_2025oct.tsv.gz");
    let text = read_text(&tp).unwrap();
    let tsv = hcpcs::read_anweb_tsv(&tp.display().to_string(), &text).unwrap();
    (xlsx, tsv, text)
}

#[test]
fn official_workbook_equals_its_tsv_and_counts_hold() {
    let (xlsx, tsv, text) = anweb();
    assert_eq!(xlsx.len(), tsv.len());
    // The workbook lists modifiers first, the TSV procedures first: compare by key.
    let sorted = |rows: &[AnwebRow]| {
        let mut v = rows.to_vec();
        v.sort_by(|a, b| (a.record_id, &a.code).cmp(&(b.record_id, &b.code)));
        v
    };
    for (a, b) in sorted(&xlsx).iter().zip(&sorted(&tsv)) {
        let strip = |r: &AnwebRow| AnwebRow {
            line: 0,
            ..r.clone()
        };
        assert_eq!(
            strip(a),
            strip(b),
            "xlsx row {} / tsv line {}",
            a.line,
            b.line
        );
    }
    // Figures from the TSV's own columns, compared with the reader's.
    let by_recid = |id: &str| {
        text.lines()
            .filter(|l| l.split('\t').nth(1) == Some(id))
            .count()
    };
    let procs: Vec<&AnwebRow> = xlsx
        .iter()
        .filter(|r| r.record_id == hcpcs::RECORD_PROCEDURE)
        .collect();
    let mods = xlsx
        .iter()
        .filter(|r| r.record_id == hcpcs::RECORD_MODIFIER)
        .count();
    assert_eq!(procs.len(), by_recid("3"));
    assert_eq!(mods, by_recid("7"));
    let active_tsv = text
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[1] == "3" && (f[6].is_empty() || f[6] >= "20251001"))
        .count();
    let active = procs.iter().filter(|r| r.active_on(20251001)).count();
    assert_eq!(active, active_tsv);
    for r in &procs {
        assert!(hcpcs::is_level2(&r.code), "{}", r.code);
    }
    let (p, m) =
        hcpcs::official_tables("HCPC2025_OCT_ANWEB.xlsx", &xlsx, "CMS HCPCS October 2025").unwrap();
    assert_eq!(p.rows.len(), procs.len());
    assert_eq!(m.rows.len(), mods);
    assert_eq!(p.valid_on(20251001).count(), active);
    let longest = procs
        .iter()
        .map(|r| r.long.chars().count())
        .max()
        .unwrap_or(0);
    println!(
        "ANWEB Oct 2025: {} records: {} procedures ({active} active on 20251001), {mods} modifiers; longest long description {longest} chars",
        xlsx.len(),
        procs.len()
    );
}

#[test]
fn registry_and_official_agree_on_october_2025() {
    let (xlsx, _, _) = anweb();
    let v = versions();
    let reg = hcpcs::read_ioce(
        "ioce_hcpcs.tsv.gz",
        &read_text(&common::registry("ioce_hcpcs.tsv.gz")).unwrap(),
        &v,
    )
    .unwrap();
    let (off, off_mod) = hcpcs::official_tables("anweb", &xlsx, "CMS HCPCS October 2025").unwrap();
    let day = 20251001;
    let a: BTreeSet<&str> = reg.valid_on(day).map(|r| r.code.as_str()).collect();
    let b: BTreeSet<&str> = off.valid_on(day).map(|r| r.code.as_str()).collect();
    let both: Vec<&&str> = a.intersection(&b).collect();
    let only_reg: Vec<&&str> = a.difference(&b).collect();
    let only_off: Vec<&&str> = b.difference(&a).collect();
    let mut short_eq = 0;
    let mut short_ne = Vec::new();
    for c in &both {
        let (x, y) = (
            reg.get(c).and_then(|r| r.short_title.as_deref()),
            off.get(c).and_then(|r| r.short_title.as_deref()),
        );
        if x == y {
            short_eq += 1;
        } else {
            short_ne.push((c.to_string(), x.map(str::to_owned), y.map(str::to_owned)));
        }
    }
    let reg_v = v.on(day);
    println!(
        "HCPCS on {day} (I/OCE version {reg_v:?}): registry {}, official {}, both {}, registry only {} {:?}, official only {} {:?}; short descriptions equal {short_eq}, differ {} {:?}",
        a.len(),
        b.len(),
        both.len(),
        only_reg.len(),
        only_reg.iter().take(5).collect::<Vec<_>>(),
        only_off.len(),
        only_off.iter().take(5).collect::<Vec<_>>(),
        short_ne.len(),
        short_ne.iter().take(3).collect::<Vec<_>>()
    );
    assert!(both.len() * 100 >= b.len() * 95, "overlap too small");
    assert!(short_ne.len() * 20 <= short_eq);

    let mp = common::registry("ioce_modifiers.tsv.gz");
    let (m, _) =
        hcpcs::read_ioce_modifiers("ioce_modifiers.tsv.gz", &read_text(&mp).unwrap(), &v).unwrap();
    let rm: BTreeSet<&str> = m.valid_on(day).map(|r| r.code.as_str()).collect();
    let om: BTreeSet<&str> = off_mod.valid_on(day).map(|r| r.code.as_str()).collect();
    println!(
        "modifiers on {day}: registry {}, official {}, both {}, official only {:?}",
        rm.len(),
        om.len(),
        rm.intersection(&om).count(),
        om.difference(&rm).take(10).collect::<Vec<_>>()
    );
    assert!(off_mod.rows.iter().all(|r| r.long_title.is_some()));
}
