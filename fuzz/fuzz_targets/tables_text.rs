//! The readers of the compiled text tables and of packed FST values on
//! arbitrary input: `Entry::decode` (first 8 bytes), the outline text and the
//! 7th-character definitions (the rest). Nothing panics, and what is read
//! survives being written and read again.

#![no_main]

use libfuzzer_sys::fuzz_target;
use medcode_tables::layout::{Entry, MAX_TITLE, TAKES_SEVENTH};
use medcode_tables::outline::{parse_sevenths, write_sevenths, Outline};

fuzz_target!(|data: &[u8]| {
    let (head, rest) = data.split_at(data.len().min(8));
    let mut word = [0u8; 8];
    word[..head.len()].copy_from_slice(head);
    check_entry(u64::from_le_bytes(word));
    if let Ok(text) = std::str::from_utf8(rest) {
        check_outline(text);
        check_sevenths(text);
    }
});

fn check_entry(v: u64) {
    let e = Entry::decode(v);
    assert!(e.title <= MAX_TITLE);
    // Decoding is a projection: what it reads, encoding keeps.
    assert_eq!(Entry::decode(e.encode()), e, "{v:#x}");
    assert_eq!(e.is_expanded() && e.takes_seventh().is_some(), false);
    if let Some((_, ext)) = e.seventh {
        assert!(ext <= TAKES_SEVENTH);
    }
}

fn check_outline(text: &str) {
    let o = Outline::parse(text);
    let owned = |rows: &[(&str, Vec<&str>)]| -> Vec<(String, Vec<String>)> {
        rows.iter()
            .map(|(id, c)| (id.to_string(), c.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    let written = Outline::write(&owned(&o.chapters), &owned(&o.blocks));
    let again = Outline::parse(&written);
    // Ids without tab or line break survive a round trip.
    let plain =
        |rows: &[(&str, Vec<&str>)]| rows.iter().all(|(id, _)| !id.contains(['\t', '\n', '\r']));
    if plain(&o.chapters) && plain(&o.blocks) {
        assert_eq!(again.chapters, o.chapters);
        assert_eq!(again.blocks, o.blocks);
    }
    // Every parent link comes from a chapter or block line that lists the child.
    for (child, parent) in &o.parents {
        assert!(
            o.chapters
                .iter()
                .chain(&o.blocks)
                .any(|(id, c)| id == parent && c.contains(child)),
            "{child:?} -> {parent:?} is listed by no C or B line"
        );
    }
}

fn check_sevenths(text: &str) {
    let defs = parse_sevenths(text);
    assert_eq!(defs.len(), text.lines().count());
    let again = parse_sevenths(&write_sevenths(&defs));
    assert_eq!(again, defs);
}
