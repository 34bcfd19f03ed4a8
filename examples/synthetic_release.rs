//! Writes a synthetic next release for the refresh test
//! (`tests/refresh/refresh.test.mjs`): `icd10cm_codes_2028.txt` and
//! `icd10pcs_codes_2028.txt` (FY2028, from 2027-10-01), each listing every
//! code the embedded data holds valid on 2027-09-30 with its title on that
//! day, less two codes, plus two made-up codes, with two titles changed;
//! and EXPECTED (JSON), the change report the refresh must give.
//!
//!     cargo run --example synthetic_release -- RELEASE_DIR EXPECTED

use medcode::CodeSet;
use std::fmt::Write as _;

const DAY_BEFORE: u32 = 20270930;

/// Codes valid on the day before, with their titles then, in key order.
fn valid_before(set: &CodeSet) -> Vec<(String, String)> {
    let history = set.history().expect("a dated system");
    history
        .valid_under("", DAY_BEFORE, usize::MAX)
        .into_iter()
        .filter_map(|key| {
            let c = set.lookup_on(&key, Some(DAY_BEFORE)).ok()??;
            // A code the embedded releases give no title (PCS codes new in
            // FY2027) gets one, as a CMS file would; that is not a retitle.
            let title = match c.concept.display {
                t if t.is_empty() => format!("Synthetic title of untitled code {key}"),
                t => t,
            };
            Some((key, title))
        })
        .collect()
}

/// A key of the same length as `model`, not known to the set: `model` with
/// its last character replaced.
fn unused_like(set: &CodeSet, model: &str, alphabet: &str) -> String {
    let stem = &model[..model.len() - 1];
    alphabet
        .chars()
        .map(|c| format!("{stem}{c}"))
        .find(|k| {
            set.history().is_some_and(|h| h.span(k).is_none()) && set.entry(k.as_bytes()).is_none()
        })
        .expect("a free code")
}

struct Synthetic {
    lines: String,
    added: Vec<String>,
    deleted: Vec<String>,
    retitled: Vec<String>,
}

fn synthesize(set: &CodeSet, alphabet: &str) -> Synthetic {
    let mut rows = valid_before(set);
    assert!(rows.len() > 1000, "{} codes", rows.len());
    // Deterministic picks spread over the list: none typed in.
    let n = rows.len();
    let titled = |i: usize| -> String {
        rows[i..]
            .iter()
            .find(|(_, t)| !t.starts_with("Synthetic"))
            .map(|(k, _)| k.clone())
            .expect("a titled code")
    };
    let deleted = vec![rows[n / 7].0.clone(), rows[n / 3].0.clone()];
    let retitled = vec![titled(n / 5), titled(n / 2)];
    let added = vec![
        unused_like(set, &rows[n / 4].0, alphabet),
        unused_like(set, &rows[2 * n / 3].0, alphabet),
    ];
    rows.retain(|(k, _)| !deleted.contains(k));
    for (k, t) in &mut rows {
        if retitled.contains(k) {
            t.push_str(" (synthetic FY2028 revision)");
        }
    }
    for k in &added {
        rows.push((k.clone(), format!("Synthetic FY2028 code {k}")));
    }
    rows.sort();
    let mut lines = String::new();
    for (k, t) in &rows {
        let _ = writeln!(lines, "{k:<7} {t}");
    }
    let mut added = added;
    added.sort();
    let mut deleted = deleted;
    deleted.sort();
    let mut retitled = retitled;
    retitled.sort();
    Synthetic {
        lines,
        added,
        deleted,
        retitled,
    }
}

fn json_list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|k| format!("\"{k}\"")).collect();
    format!("[{}]", items.join(","))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(out), Some(expected_file)) = (args.next(), args.next()) else {
        eprintln!("usage: synthetic_release RELEASE_DIR EXPECTED");
        std::process::exit(2);
    };
    let out = std::path::PathBuf::from(out);
    std::fs::create_dir_all(&out).expect("create OUT_DIR");
    let mut expected = Vec::new();
    for (id, file, alphabet) in [
        ("icd10cm", "icd10cm_codes_2028.txt", "987654321XYZ"),
        (
            "icd10pcs",
            "icd10pcs_codes_2028.txt",
            "ZYXWVUTSRQPNMLKJHGFEDCBA9876543210",
        ),
    ] {
        let set = CodeSet::by_id(id).expect("embedded");
        let s = synthesize(set, alphabet);
        std::fs::write(out.join(file), &s.lines).expect("write");
        expected.push(format!(
            "\"{id}\":{{\"file\":\"{file}\",\"effective\":\"2027-10-01\",\"added\":{},\"deleted\":{},\"retitled\":{}}}",
            json_list(&s.added),
            json_list(&s.deleted),
            json_list(&s.retitled)
        ));
    }
    std::fs::write(&expected_file, format!("{{{}}}\n", expected.join(","))).expect("write");
}
