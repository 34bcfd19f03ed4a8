//! Property tests over the embedded ICD-10-CM: answers never depend on case,
//! dot or spaces; strings not in the source are never valid; no input panics.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use medcode::CodeSet;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn official() -> &'static BTreeSet<String> {
    static SET: OnceLock<BTreeSet<String>> = OnceLock::new();
    SET.get_or_init(|| common::mce_icd10cm_valid_on(20260401))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn code_shaped_strings_are_valid_exactly_when_official(code in "[A-Z][0-9][0-9A-Z]([0-9A-Z]{0,4})") {
        prop_assert_eq!(CodeSet::icd10cm().is_valid_on(&code, 20260401), official().contains(&code));
    }

    #[test]
    fn case_dot_and_spaces_never_change_an_answer(i in 0usize..74_719, lower: bool, pad in "[ \t]{0,2}") {
        let code = official().iter().nth(i).unwrap();
        let shown = medcode::normalize::dotted(code);
        let typed = format!("{pad}{}{pad}", if lower { shown.to_lowercase() } else { shown.clone() });
        let cm = CodeSet::icd10cm();
        prop_assert!(cm.is_valid_on(&typed, 20260401));
        prop_assert_eq!(cm.lookup(&typed).unwrap(), cm.lookup(code).unwrap());
        prop_assert_eq!(cm.validate(&typed).display, cm.validate(code).display);
    }

    #[test]
    fn any_string_gets_an_answer_without_panicking(s in "\\PC{0,24}") {
        let cm = CodeSet::icd10cm();
        let v = cm.validate(&s);
        prop_assert_eq!(v.result, cm.is_valid(&s));
        prop_assert!(v.result || !v.issues.is_empty());
        let _ = (cm.lookup(&s), cm.children(&s), cm.ancestors(&s), cm.prefix(&s, 5));
    }
}
