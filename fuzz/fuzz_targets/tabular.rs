//! The ICD-10-CM tabular XML reader on arbitrary text, then the compiler and
//! the runtime on whatever it accepts: nothing panics, and every code the
//! reader accepted is found with its title.

#![no_main]

use libfuzzer_sys::fuzz_target;
use medcode::normalize::dotted;
use medcode_tables::layout::expand;
use medcode_tables::outline::parse_sevenths;
use medcode_tables::titles::TitleStore;
use medcode_tables::{compile, tabular};

fuzz_target!(|data: &[u8]| {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    let tab = match tabular::parse("fuzz.xml", xml) {
        Ok(tab) => tab,
        Err(e) => {
            assert_eq!(e.path, "fuzz.xml");
            let _ = e.to_string();
            return;
        }
    };
    // What the reader promises about what it returns.
    assert!(!tab.diags.is_empty());
    for d in &tab.diags {
        assert!((3..=7).contains(&d.code.len()), "{d:?}");
        assert!(d.code.as_bytes()[0].is_ascii_uppercase(), "{d:?}");
        assert!(
            d.code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "{d:?}"
        );
        assert!(d.block < tab.blocks.len());
        assert!(d.seventh.is_none_or(|s| s < tab.seventh_defs.len()));
        assert!(d.seventh.is_none() || d.code.len() <= 6, "{d:?}");
        assert!(!d.title.is_empty());
    }
    for b in &tab.blocks {
        assert!(b.chapter < tab.chapters.len());
        assert!(b.parent.is_none_or(|p| p < tab.blocks.len()));
    }
    let compiled = match compile::compile("fuzz.xml", &tab) {
        Ok(c) => c,
        Err(e) => {
            assert_eq!(e.path, "fuzz.xml");
            return;
        }
    };
    let map = fst::Map::new(compiled.codes.as_slice()).expect("compiled FST opens");
    map.as_fst().verify().expect("compiled FST verifies");
    let store = TitleStore::new(&compiled.titles).expect("compiled title store opens");
    let expansions: usize = tab
        .diags
        .iter()
        .filter_map(|d| d.seventh)
        .map(|s| tab.seventh_defs[s].chars.len())
        .sum();
    assert_eq!(
        map.len(),
        tab.chapters.len() + tab.blocks.len() + tab.diags.len() + expansions
    );
    assert!(store.len() as usize >= tab.diags.len());
    assert_eq!(
        parse_sevenths(&compiled.sevenths).len(),
        tab.seventh_defs.len()
    );

    fuzz::with_codeset(&compiled, |set| {
        for d in &tab.diags {
            let shown = dotted(&d.code);
            let found = set
                .lookup(&shown)
                .expect("a tabular code is well formed")
                .unwrap_or_else(|| panic!("{shown} accepted by the reader but not found"));
            assert_eq!(found.code, shown);
            assert_eq!(found.display, d.title, "{shown}");
            let billable = !d.has_children && d.seventh.is_none();
            assert_eq!(found.billable, billable, "{shown}");
            assert_eq!(set.is_valid(&shown), billable, "{shown}");
            assert_eq!(set.validate(&shown).result, billable, "{shown}");
            let _ = (
                set.children(&shown),
                set.ancestors(&shown),
                set.prefix(&shown, 8),
            );
            if let Some(def) = d.seventh {
                for (c, meaning) in &tab.seventh_defs[def].chars {
                    let key = expand(&d.code, *c);
                    let found = set
                        .lookup(&key)
                        .expect("an expanded code is well formed")
                        .unwrap_or_else(|| panic!("{key} (expanded) not found"));
                    assert_eq!(found.display, format!("{}, {meaning}", d.title), "{key}");
                    assert!(found.billable && set.is_valid(&key), "{key}");
                }
            }
        }
        for c in &tab.chapters {
            let _ = (set.lookup(&c.id), set.children(&c.id), set.validate(&c.id));
        }
        for b in &tab.blocks {
            let _ = (set.lookup(&b.id), set.children(&b.id), set.ancestors(&b.id));
        }
    });
});
