//! The claim note checks (`medcode::checks::note_checks`) against the notes the API
//! returns for each code (`Notes::of`, itself checked against the tabular XML
//! in `icd10cm_notes.rs`): for pairs of real codes, an Excludes1 finding is
//! given exactly when one code's inherited Excludes1 notes name the other,
//! and a use-additional finding exactly when a code has such a note with code
//! references and the other code is not one of them.

#![cfg(not(target_arch = "wasm32"))]

use medcode::checks::note_checks::{check, Check};
use medcode::checks::notes::{Note, Notes, Ref};
use medcode::CodeSet;

fn key(code: &str) -> String {
    code.replace('.', "")
}

/// Whether `r` names `code` (a key): the code or one under it, or one in the range.
fn names(r: &Ref, code: &str) -> bool {
    let lo = key(&r.code);
    match &r.through {
        None => code.starts_with(&lo),
        Some(hi) => {
            let hi = key(hi);
            let head = |n: usize| &code[..n.min(code.len())];
            head(lo.len()) >= lo.as_str() && head(hi.len()) <= hi.as_str()
        }
    }
}

fn notes_of(cm: &CodeSet, code: &str) -> Vec<Note> {
    Notes::icd10cm()
        .of(cm, code, true)
        .expect("a well-formed code")
        .expect("a code of the release")
}

/// Every `step`th billable code of the release (keys without dot).
fn sample(cm: &CodeSet, step: usize) -> Vec<String> {
    use fst::Streamer;
    let mut out = Vec::new();
    let mut n = 0;
    let mut keys = cm.map().stream();
    while let Some((k, _)) = keys.next() {
        let code = std::str::from_utf8(k).expect("ASCII keys");
        if !cm.is_valid(code) {
            continue;
        }
        if n % step == 0 {
            out.push(code.to_owned());
        }
        n += 1;
    }
    out
}

#[test]
fn excludes1_findings_are_exactly_the_notes_naming_the_other_code() {
    let cm = CodeSet::icd10cm();
    let codes = sample(cm, 97);
    assert!(codes.len() > 700, "{} codes sampled", codes.len());
    let mut found = 0;
    // Pairs of neighbours (same area: notes name each other) and far pairs.
    let half = codes.len() / 2;
    let pairs = codes
        .windows(2)
        .map(|w| (w[0].clone(), w[1].clone()))
        .chain((0..half).map(|i| (codes[i].clone(), codes[i + half].clone())));
    for (a, b) in pairs {
        let expected = |x: &str, y: &str| {
            notes_of(cm, x)
                .iter()
                .filter(|n| n.kind.as_str() == "excludes1")
                .any(|n| n.refs.iter().any(|r| names(r, &key(y))))
        };
        let want = expected(&a, &b) || expected(&b, &a);
        let checks = check(Notes::icd10cm(), cm, &[&a, &b], &[false, false]);
        let got = checks.iter().any(|c| matches!(c, Check::Excludes1 { .. }));
        assert_eq!(got, want, "{a} with {b}: {checks:?}");
        found += usize::from(got);
    }
    assert!(found > 20, "only {found} Excludes1 pairs in the sample");
}

#[test]
fn use_additional_findings_name_the_notes_whose_codes_are_absent() {
    let cm = CodeSet::icd10cm();
    let codes = sample(cm, 211);
    let mut found = 0;
    for code in &codes {
        let with_refs: Vec<String> = notes_of(cm, code)
            .into_iter()
            .filter(|n| n.kind.as_str() == "useAdditionalCode" && !n.refs.is_empty())
            .map(|n| n.text)
            .collect();
        let checks = check(Notes::icd10cm(), cm, &[code.as_str()], &[false]);
        let texts: Vec<String> = checks
            .iter()
            .filter_map(|c| match c {
                Check::UseAdditional { notes, .. } => Some(notes),
                _ => None,
            })
            .flatten()
            .map(|n| medcode::checks::note_checks::text(Notes::icd10cm(), n.text).to_string())
            .collect();
        assert_eq!(texts, with_refs, "{code}");
        found += usize::from(!texts.is_empty());
        // With a code each note names on the claim, that note is satisfied.
        let partner = notes_of(cm, code)
            .into_iter()
            .filter(|n| n.kind.as_str() == "useAdditionalCode")
            .flat_map(|n| n.refs)
            .find_map(|r| cm.is_valid(&key(&r.code)).then(|| key(&r.code)));
        if let Some(partner) = partner {
            let with = check(
                Notes::icd10cm(),
                cm,
                &[code.as_str(), &partner],
                &[false, false],
            );
            let left = with
                .iter()
                .filter(|c| matches!(c, Check::UseAdditional { i: 0, .. }))
                .count();
            assert!(
                left <= usize::from(with_refs.len() > 1),
                "{code} with {partner}: {with:?}"
            );
        }
    }
    assert!(found > 10, "only {found} codes with use-additional notes");
}

#[test]
fn a_manifestation_without_its_etiology_is_reported_and_with_it_is_not() {
    let cm = CodeSet::icd10cm();
    // Every code-first note whose references resolve, on a code the MCE calls a manifestation.
    let mut checked = 0;
    for code in sample(cm, 13) {
        if !cm.mce_edits(&code, 0).contains(&"manifestation") {
            continue;
        }
        let etiology = notes_of(cm, &code)
            .into_iter()
            .filter(|n| n.kind.as_str() == "codeFirst")
            .flat_map(|n| n.refs)
            .map(|r| key(&r.code))
            .find(|k| cm.is_valid(k));
        let Some(etiology) = etiology else { continue };
        let alone = check(Notes::icd10cm(), cm, &[&code], &[true]);
        assert!(
            alone.iter().any(|c| matches!(
                c,
                Check::EtiologyMissing {
                    manifestation: true,
                    ..
                }
            )),
            "{code}: {alone:?}"
        );
        let ordered = check(Notes::icd10cm(), cm, &[&etiology, &code], &[false, true]);
        assert!(
            !ordered.iter().any(|c| matches!(
                c,
                Check::EtiologyMissing { i: 1, .. } | Check::CodeFirstOrder { i: 1, .. }
            )),
            "{etiology} then {code}: {ordered:?}"
        );
        let reversed = check(Notes::icd10cm(), cm, &[&code, &etiology], &[true, false]);
        assert!(
            reversed.iter().any(|c| matches!(
                c,
                Check::CodeFirstOrder {
                    i: 0,
                    principal: false,
                    ..
                }
            )),
            "{code} then {etiology}: {reversed:?}"
        );
        checked += 1;
    }
    assert!(checked > 5, "only {checked} manifestation codes checked");
}
