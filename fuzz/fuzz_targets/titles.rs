//! The title store: titles built from the input read back exactly; the
//! reader never panics on arbitrary bytes nor on a built store with bytes
//! overwritten, truncated or extended.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use medcode_tables::titles::{TitleStore, TitleStoreBuilder};

#[derive(Arbitrary, Debug)]
struct Input {
    titles: Vec<String>,
    damage: Vec<(u16, u8)>,
    cut: Option<u16>,
    ids: Vec<u32>,
    raw: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let mut b = TitleStoreBuilder::default();
    for t in &input.titles {
        b.add(t);
    }
    let bytes = b.finish();
    let store = TitleStore::new(&bytes).expect("a built store opens");
    assert_eq!(store.len() as usize, input.titles.len());
    let index = store.index();
    for (i, t) in input.titles.iter().enumerate() {
        assert_eq!(store.get(i as u32).as_deref(), Some(t.as_str()));
        let mut out = String::from("x");
        assert!(store.write_indexed(&index, i as u32, &mut out));
        assert_eq!(out[1..], t[..]);
    }
    assert_eq!(store.get(input.titles.len() as u32), None);

    // Damaged stores: any answer but a panic, and a failed read leaves `out` as it was.
    let mut damaged = bytes.clone();
    if !damaged.is_empty() {
        for &(at, v) in &input.damage {
            let n = damaged.len();
            damaged[at as usize % n] = v;
        }
    }
    if let Some(cut) = input.cut {
        damaged.truncate(cut as usize);
    }
    read_everything(&damaged, &input.ids);
    let mut magic = b"MCT1".to_vec();
    magic.extend_from_slice(&input.raw);
    read_everything(&magic, &input.ids);
    read_everything(&input.raw, &input.ids);
});

fn read_everything(bytes: &[u8], ids: &[u32]) {
    let Ok(store) = TitleStore::new(bytes) else {
        return;
    };
    let index = store.index();
    let n = store.len().min(64);
    for id in (0..n).chain(ids.iter().copied()) {
        let mut out = String::from("kept");
        if !store.write(id, &mut out) {
            assert_eq!(out, "kept");
        }
        let mut out = String::from("kept");
        if !store.write_indexed(&index, id, &mut out) {
            assert_eq!(out, "kept");
        }
        let _ = store.get(id);
    }
}
