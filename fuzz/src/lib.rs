//! Helpers shared by the fuzz targets: opening compiled tables as a
//! [`medcode::CodeSet`] without leaking them, and writing XML text.

use medcode::{CodeSet, System};
use medcode_tables::compile::Compiled;

/// The system the fuzzed tables are opened as.
pub const SYSTEM: System = System {
    id: "fuzz",
    name: "Fuzz",
    uri: "urn:fuzz",
    version: "0",
    release: "fuzz",
    profile: medcode::Profile::ICD10CM,
};

/// Opens `compiled` as a [`CodeSet`] and runs `f` on it.
///
/// `CodeSet::new` takes `&'static` slices (the embedded tables live for the
/// whole program). Leaking a few KB per run would exhaust memory within a
/// fuzzing session, so the tables are leaked for the duration of `f` and
/// reclaimed after the `CodeSet` (the only holder of the references) is
/// dropped. `f` must not smuggle out anything that borrows the tables (such
/// as a clone of `CodeSet::map()`); the targets only keep owned results.
pub fn with_codeset(compiled: &Compiled, f: impl FnOnce(&CodeSet)) {
    let codes: *mut [u8] = Box::into_raw(compiled.codes.clone().into_boxed_slice());
    let titles: *mut [u8] = Box::into_raw(compiled.titles.clone().into_boxed_slice());
    let outline: *mut str = Box::into_raw(compiled.outline.clone().into_boxed_str());
    let sevenths: *mut str = Box::into_raw(compiled.sevenths.clone().into_boxed_str());
    {
        // SAFETY: the four boxes stay alive until the end of this function and
        // are freed only after `set` is dropped at the end of this block.
        let set = unsafe {
            CodeSet::new(
                SYSTEM,
                "{}",
                compiled.counts.billable,
                &*codes,
                &*titles,
                &*outline,
                &*sevenths,
                &[],
            )
        };
        match set {
            Ok(set) => f(&set),
            Err(e) => panic!("compiled tables do not open: {e}"),
        }
    }
    // SAFETY: each pointer came from Box::into_raw above and is freed once.
    unsafe {
        drop(Box::from_raw(codes));
        drop(Box::from_raw(titles));
        drop(Box::from_raw(outline));
        drop(Box::from_raw(sevenths));
    }
}

/// Whether XML 1.0 allows `c` in a document (the `Char` production).
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` to `out` as XML character data: characters XML does not
/// allow are dropped, markup characters escaped.
pub fn push_xml_text(out: &mut String, text: &str) {
    for c in text.chars().filter(|&c| xml_char(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// Collapses whitespace as the tabular reader stores titles.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
