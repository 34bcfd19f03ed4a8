//! Coverage (issue 15 point 3): each system knows the last day its newest
//! embedded release covers, and an answer for a later date says so
//! (`beyond-coverage`) instead of answering from a stale release in silence.

use medcode::validate::{Reason, Severity};
use medcode::CodeSet;
use medcode_tables::date::next_day;

/// A code valid in the newest release of each system, from its own tables.
fn some_valid_code(set: &CodeSet) -> String {
    let newest = set.newest_date().unwrap();
    let h = set.history().unwrap();
    let mut s = h.map().stream();
    while let Some((k, _)) = fst::Streamer::next(&mut s) {
        let k = std::str::from_utf8(k).unwrap();
        if h.valid_on(k, newest) && set.entry(k.as_bytes()).is_some() {
            return k.to_owned();
        }
    }
    panic!("{}: no code valid in the newest release", set.system().id);
}

#[test]
fn every_system_warns_past_the_last_day_its_newest_release_covers() {
    for set in [CodeSet::icd10cm(), CodeSet::icd10pcs(), CodeSet::hcpcs()] {
        let id = set.system().id;
        let h = set.history().unwrap();
        let newest = h.newest().unwrap();
        let (from, to) = set.coverage().unwrap();
        assert_eq!(from, h.releases()[0].start, "{id}");
        // The period's rule: a fiscal year ends on September 30; an HCPCS
        // quarter ends the day before the quarter three months on.
        let (y, m) = (newest.start / 10_000, newest.start / 100 % 100);
        match id {
            "hcpcs" => {
                let (ny, nm) = if m >= 10 { (y + 1, m - 9) } else { (y, m + 3) };
                assert_eq!(next_day(to), ny * 10_000 + nm * 100 + 1, "{id}");
            }
            _ => assert_eq!(to, (y + u32::from(m >= 10)) * 10_000 + 930, "{id}"),
        }
        let code = some_valid_code(set);
        let last = set.validate_on(&code, Some(to));
        assert!(last.result, "{id} {code}");
        assert!(
            !last
                .issues
                .iter()
                .any(|i| i.reason == Reason::BeyondCoverage),
            "{id}: {last:?}"
        );
        let after = set.validate_on(&code, Some(next_day(to)));
        let warning = after
            .issues
            .iter()
            .find(|i| i.reason == Reason::BeyondCoverage)
            .unwrap_or_else(|| panic!("{id} {code}: no beyond-coverage issue: {after:?}"));
        assert_eq!(warning.severity, Severity::Warning);
        assert!(warning.text.contains(newest.name), "{id}: {}", warning.text);
        let to_iso = medcode::history::iso(to);
        assert!(
            warning.text.contains(&format!(
                "codes added or ended after {to_iso} are not known"
            )),
            "{id}: {}",
            warning.text
        );
    }
}

/// The issue's case: HCPCS on 2026-12-01 answered from the April 2026
/// quarter with no word.
#[test]
fn hcpcs_on_2026_12_01_says_the_embedded_quarter_does_not_cover_it() {
    let hcpcs = CodeSet::hcpcs();
    let (_, to) = hcpcs.coverage().unwrap();
    assert!(to < 20261201, "the embedded quarters end {to}");
    let v = hcpcs.validate_on("E0114", Some(20261201));
    assert!(
        v.issues.iter().any(|i| i.reason == Reason::BeyondCoverage),
        "{v:?}"
    );
}

#[test]
fn sets_without_a_known_period_have_no_coverage() {
    assert_eq!(CodeSet::cpt().coverage(), None);
}
