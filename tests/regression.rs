//! Regression tests for what fuzzing found (`fuzz/README.md`): each test is
//! named after the defect and feeds the minimized input to the code that
//! failed on it.

#![cfg(not(target_arch = "wasm32"))]

use medcode_tables::outline::Outline;

/// fuzz target `tables_text`: a line of the outline text that is neither a
/// chapter (`C`) nor a block (`B`) line was skipped as documented, yet its
/// children were still recorded as having it for parent, so the parent of a
/// category could name an id that is no chapter or block.
#[test]
fn outline_unknown_line_adds_no_parent() {
    let o = Outline::parse("B\tA00-A09\tA00\nZ\tjunk\tA00 A01\n");
    assert_eq!(o.parents.get("A00"), Some(&"A00-A09"));
    assert_eq!(o.parents.get("A01"), None);
    assert_eq!(o.blocks, vec![("A00-A09", vec!["A00"])]);
    assert!(o.chapters.is_empty());
}

/// fuzz target `normalize`: a key of the longest length accepted (16
/// characters) was written by `dotted()` with a dot, 17 characters, which
/// `normalize` then rejected as too long, so normalizing was not idempotent
/// on the dotted form. The dot no longer counts toward the limit.
#[test]
fn normalize_accepts_the_dotted_form_of_a_16_character_key() {
    use medcode::normalize::{normalize, InputError, MAX_INPUT};
    let key = normalize(&"E".repeat(MAX_INPUT)).unwrap();
    assert_eq!(key.dotted().len(), MAX_INPUT + 1);
    assert_eq!(normalize(&key.dotted()), Ok(key));
    assert_eq!(
        normalize(&"E".repeat(MAX_INPUT + 1)),
        Err(InputError::TooLong {
            chars: MAX_INPUT + 1
        })
    );
    assert_eq!(
        normalize(&format!("EEE.{}", "E".repeat(MAX_INPUT - 2))),
        Err(InputError::TooLong {
            chars: MAX_INPUT + 2
        })
    );
    assert!(!medcode::CodeSet::icd10cm().is_valid(&key.dotted()));
}

/// A 7th-character definition with `n` characters (`0`-`9`, then `A`-`Z`) on leaf `S329`.
fn tabular_with_sevenths(n: usize) -> String {
    let chars: String = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[..n]
        .iter()
        .map(|&c| {
            format!(
                "<extension char=\"{}\">meaning {}</extension>",
                c as char, c as char
            )
        })
        .collect();
    format!(
        "<ICD10CM.tabular><version>2026</version>\n<chapter><name>19</name><desc>Injury</desc>\n\
         <section id=\"S30-S39\"><desc>Injuries</desc>\n<diag><name>S32</name><desc>Fracture</desc>\n\
         <sevenChrDef>{chars}</sevenChrDef>\n<diag><name>S32.9</name><desc>Fracture of unspecified parts</desc></diag>\n\
         </diag></section></chapter></ICD10CM.tabular>"
    )
}

/// Review of the `lookup_oracle` model (it flags any compile that accepts
/// this): a packed value has 5 bits for the index of a code's 7th character,
/// and index 31 marks a leaf that takes one, so a definition of 32 or more
/// characters compiled into expanded codes that read as unexpanded (index
/// 31) or showed another character's meaning (index 32 and up wrapped to 0).
/// The compiler now refuses such a definition with the line of the leaf.
#[test]
fn compile_rejects_more_seventh_characters_than_a_value_can_index() {
    use medcode_tables::layout::TAKES_SEVENTH;
    use medcode_tables::{compile, tabular, TableErrorKind};
    let fits = tabular::parse("t.xml", &tabular_with_sevenths(TAKES_SEVENTH as usize)).unwrap();
    let compiled = compile::compile("t.xml", &fits).unwrap();
    // At the limit every expanded code still shows its own character's meaning.
    let leak = |b: Vec<u8>| -> &'static [u8] { Box::leak(b.into_boxed_slice()) };
    let system = *medcode::CodeSet::icd10cm().system();
    let set = medcode::CodeSet::new(
        system,
        "{}",
        compiled.counts.billable,
        leak(compiled.codes),
        leak(compiled.titles),
        Box::leak(compiled.outline.into_boxed_str()),
        Box::leak(compiled.sevenths.into_boxed_str()),
        &[],
    )
    .unwrap();
    for c in b"0123456789ABCDEFGHIJKLMNOPQRSTU" {
        let code = format!("S32.9XX{}", *c as char);
        let found = set.lookup(&code).unwrap().unwrap();
        assert_eq!(
            found.display,
            format!("Fracture of unspecified parts, meaning {}", *c as char)
        );
        assert!(set.is_valid(&code));
    }
    let xml = tabular_with_sevenths(TAKES_SEVENTH as usize + 1);
    let tab = tabular::parse("t.xml", &xml).unwrap();
    let err = compile::compile("t.xml", &tab).unwrap_err();
    assert!(
        matches!(err.kind, TableErrorKind::BadSeventhCharacter(_)),
        "{err}"
    );
    assert_eq!(err.line, 6, "{err}");
}

/// fuzz target `tabular`: a `<section id>` holding whitespace (here tabs and
/// spaces) was kept as the block's key, but the outline text separates ids by
/// whitespace, so the block was read back as other ids; in the fuzzer's
/// input one of them listed a block under itself and `validate` of the
/// chapter recursed until the stack overflowed. The reader now refuses ids
/// with whitespace, naming the line.
#[test]
fn tabular_section_id_with_whitespace_is_refused() {
    use medcode_tables::{tabular, TableErrorKind};
    for id in [
        "A00\tA01-A09",
        "A00 - A09",
        "A00-A09 1",
        "\u{a0}A00-A09\u{2003}x",
    ] {
        let xml = format!(
            "<ICD10CM.tabular><version>2026</version>\n<chapter><name>1</name><desc>Infections</desc>\n\
             <section id=\"{id}\"><desc>Intestinal</desc>\n<diag><name>A00</name><desc>Cholera</desc></diag>\n\
             </section></chapter></ICD10CM.tabular>"
        );
        let err = tabular::parse("t.xml", &xml).unwrap_err();
        assert!(
            matches!(err.kind, TableErrorKind::BadCode(_)),
            "{id:?}: {err}"
        );
        assert_eq!(err.line, 3, "{id:?}: {err}");
    }
    let xml = "<ICD10CM.tabular><chapter><name>1 2</name><desc>x</desc>\n<section id=\"A00\"><desc>y</desc>\
               <diag><name>A00</name><desc>z</desc></diag></section></chapter></ICD10CM.tabular>";
    let err = tabular::parse("t.xml", xml).unwrap_err();
    assert!(matches!(err.kind, TableErrorKind::BadCode(_)), "{err}");
}
