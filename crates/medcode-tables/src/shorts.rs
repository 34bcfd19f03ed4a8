//! Short titles written against the long titles under the same ids.
//!
//! A short (abbreviated) title mostly repeats its own long title (in the
//! ICD-10-PCS order file 22,314 of 80,110 are equal to it, and most others
//! share its first and last words) or the short title of the code before it.
//! So each short title is written as: the number of leading words it copies,
//! and from where (its long title or the short title before it), the number
//! of trailing words it copies and from where, then its other word numbers.
//! A code without a short title of its own (none, or equal to the long
//! title) takes one byte.
//!
//! Layout: the same as a [`crate::titles`] store (header, offsets, stream,
//! dictionary; every [`SAMPLE`]th title starts afresh) with the magic
//! `b"MCS2"` (format `MCS`, layout 2); each short title in the stream is a varint `v`: 0 for no short
//! title, else `v - 1` is `head << 2 | head_from_long << 1 | tail_from_long`,
//! followed by the varint `tail`, the other words (dictionary rank + 1) and a
//! 0 terminator. Words copied from the long title are read from the long
//! title store, so reading a short title decodes the long titles of its
//! sample too.

use crate::magic::Magic;
use crate::titles::{assemble, TitleStore, TitleStoreError, SAMPLE};
use crate::varint;
use std::collections::HashMap;

/// Short-title stores: layout 2 (the long store's layout, its own name).
const MAGIC: Magic = Magic::new(*b"MCS", 2);
/// Marks a decoded word number as one of the long title store's words.
const LONG: u32 = 1 << 31;

/// Builds a short-title store; titles get ids in the order they are added,
/// the same ids as their long titles in the long title store.
///
/// ```
/// use medcode_tables::shorts::{ShortStore, ShortStoreBuilder};
/// use medcode_tables::titles::{TitleStore, TitleStoreBuilder};
/// let rows = [
///     ("Inspection of Brain, Open Approach", ""),
///     ("Inspection of Cranial Nerve, Percutaneous Endoscopic Approach",
///      "Inspection of Cranial Nerve, Perc Endo Approach"),
/// ];
/// let (mut longs, mut shorts) = (TitleStoreBuilder::default(), ShortStoreBuilder::default());
/// for (long, short) in rows {
///     longs.add(long);
///     shorts.add(short, long);
/// }
/// let (long_bytes, short_bytes) = (longs.finish(), shorts.finish());
/// let long = TitleStore::new(&long_bytes).unwrap();
/// let short = ShortStore::new(&short_bytes).unwrap();
/// assert_eq!(short.get(0, &long).as_deref(), Some(""));
/// assert_eq!(short.get(1, &long).as_deref(), Some("Inspection of Cranial Nerve, Perc Endo Approach"));
/// ```
#[derive(Debug, Default)]
pub struct ShortStoreBuilder {
    /// Each title's short and long words.
    titles: Vec<(Vec<String>, Vec<String>)>,
}

impl ShortStoreBuilder {
    /// Adds the short title of the next id (empty: none) with that id's long
    /// title (as added to the long title store); returns the id.
    pub fn add(&mut self, short: &str, long: &str) -> u32 {
        let words = |t: &str| t.split(' ').map(str::to_owned).collect::<Vec<_>>();
        let short = if short.is_empty() {
            Vec::new()
        } else {
            words(short)
        };
        self.titles.push((short, words(long)));
        (self.titles.len() - 1) as u32
    }

    /// Number of titles added so far.
    pub fn len(&self) -> usize {
        self.titles.len()
    }

    /// Whether no title was added.
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// Serializes the store.
    pub fn finish(self) -> Vec<u8> {
        // First the copies, then the dictionary of the words left to write.
        let mut plans = Vec::with_capacity(self.titles.len());
        let mut counts: HashMap<&str, u64> = HashMap::new();
        let mut prev: &[String] = &[];
        for (i, (short, long)) in self.titles.iter().enumerate() {
            if i % SAMPLE == 0 {
                prev = &[];
            }
            let plan = plan(short, long, prev);
            for w in &short[plan.head..short.len() - plan.tail] {
                *counts.entry(w.as_str()).or_default() += 1;
            }
            plans.push(plan);
            prev = short;
        }
        let mut words: Vec<&str> = counts.keys().copied().collect();
        words.sort_by(|a, b| counts[b].cmp(&counts[a]).then_with(|| a.cmp(b)));
        let rank: HashMap<&str, u32> = words
            .iter()
            .enumerate()
            .map(|(r, &w)| (w, r as u32))
            .collect();
        let mut stream = Vec::new();
        let mut title_offsets = Vec::new();
        for (i, ((short, _), p)) in self.titles.iter().zip(&plans).enumerate() {
            if i % SAMPLE == 0 {
                title_offsets.push(stream.len() as u32);
            }
            if short.is_empty() {
                stream.push(0);
                continue;
            }
            let flags = (p.head as u32) << 2 | u32::from(p.head_long) << 1 | u32::from(p.tail_long);
            varint::put(&mut stream, flags + 1);
            varint::put(&mut stream, p.tail as u32);
            for w in &short[p.head..short.len() - p.tail] {
                varint::put(&mut stream, rank[w.as_str()] + 1);
            }
            stream.push(0);
        }
        assemble(MAGIC, self.titles.len(), &title_offsets, &stream, &words)
    }
}

/// Which words a short title copies.
struct Plan {
    head: usize,
    head_long: bool,
    tail: usize,
    tail_long: bool,
}

/// The longest leading copy from `long` or `prev`, then the longest
/// trailing copy of what is left (the long title wins ties).
fn plan(short: &[String], long: &[String], prev: &[String]) -> Plan {
    let lead = |src: &[String]| short.iter().zip(src).take_while(|(a, b)| a == b).count();
    let (from_long, from_prev) = (lead(long), lead(prev));
    let (head, head_long) = if from_long >= from_prev {
        (from_long, true)
    } else {
        (from_prev, false)
    };
    let rest = &short[head..];
    let trail = |src: &[String]| {
        rest.iter()
            .rev()
            .zip(src.iter().rev())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let (from_long, from_prev) = (trail(long), trail(prev));
    let (tail, tail_long) = if from_long >= from_prev {
        (from_long, true)
    } else {
        (from_prev, false)
    };
    Plan {
        head,
        head_long,
        tail,
        tail_long,
    }
}

/// Reads short titles from bytes written by [`ShortStoreBuilder::finish`].
#[derive(Debug, Clone)]
pub struct ShortStore<'a> {
    store: TitleStore<'a>,
}

impl<'a> ShortStore<'a> {
    /// Checks the header and section bounds.
    pub fn new(bytes: &'a [u8]) -> Result<Self, TitleStoreError> {
        Ok(ShortStore {
            store: TitleStore::parse(bytes, MAGIC)?,
        })
    }

    /// Number of titles (with or without a short title).
    pub fn len(&self) -> u32 {
        self.store.len()
    }

    /// Whether the store holds no title.
    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    /// Reads the short title at stream offset `at` written against the
    /// previous short title `prev` and its own long title `long` into `words`
    /// (long title words marked with [`LONG`]); the offset after it, or
    /// `None` if damaged.
    fn decode(&self, at: usize, prev: &[u32], long: &[u32], words: &mut Vec<u32>) -> Option<usize> {
        let stream = self.store.stream();
        words.clear();
        let (v, mut at) = varint::read(stream, at)?;
        if v == 0 {
            return Some(at);
        }
        let v = v - 1;
        let head = (v >> 2) as usize;
        let (tail, next) = varint::read(stream, at)?;
        at = next;
        let tail = tail as usize;
        if v & 2 != 0 {
            words.extend(long.get(..head)?.iter().map(|w| w | LONG));
        } else {
            crate::small_copy::extend(words, prev.get(..head)?);
        }
        loop {
            let (w, next) = varint::read(stream, at)?;
            at = next;
            if w == 0 {
                break;
            }
            if w > self.store.word_count() {
                return None;
            }
            words.push(w - 1);
        }
        if v & 1 != 0 {
            let from = long.len().checked_sub(tail)?;
            words.extend(long[from..].iter().map(|w| w | LONG));
        } else {
            let from = prev.len().checked_sub(tail)?;
            crate::small_copy::extend(words, &prev[from..]);
        }
        Some(at)
    }

    /// Appends the short title of `id` (nothing when it has none) to `out`,
    /// reading copied words from `long`, the long title store the short
    /// titles were written against; false (and `out` untouched) if there is
    /// no title `id` or the data is damaged.
    pub fn write(&self, id: u32, long: &TitleStore<'_>, out: &mut String) -> bool {
        if id >= self.len() || id >= long.len() {
            return false;
        }
        let (Some(mut at), Some(mut long_at)) =
            (self.store.sample_offset(id), long.sample_offset(id))
        else {
            return false;
        };
        let (mut prev, mut words) = (Vec::new(), Vec::new());
        let (mut long_prev, mut long_words) = (Vec::new(), Vec::new());
        for _ in 0..=(id as usize % SAMPLE) {
            let Some(next) = long.decode(long_at, &long_prev, &mut long_words) else {
                return false;
            };
            long_at = next;
            let Some(next) = self.decode(at, &prev, &long_words, &mut words) else {
                return false;
            };
            at = next;
            std::mem::swap(&mut prev, &mut words);
            std::mem::swap(&mut long_prev, &mut long_words);
        }
        let start = out.len();
        for (i, &w) in prev.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let ok = if w & LONG != 0 {
                long.write_word(w & !LONG, out)
            } else {
                self.store.write_word(w, out)
            };
            if !ok {
                out.truncate(start);
                return false;
            }
        }
        true
    }

    /// The short title of `id` as a new string (empty when it has none).
    pub fn get(&self, id: u32, long: &TitleStore<'_>) -> Option<String> {
        let mut s = String::new();
        self.write(id, long, &mut s).then_some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::magic::MagicError;
    use crate::titles::TitleStoreBuilder;
    use proptest::prelude::*;

    fn build(rows: &[(String, String)]) -> (Vec<u8>, Vec<u8>) {
        let (mut longs, mut shorts) = (TitleStoreBuilder::default(), ShortStoreBuilder::default());
        for (long, short) in rows {
            longs.add(long);
            shorts.add(short, long);
        }
        (longs.finish(), shorts.finish())
    }

    proptest! {
        #[test]
        fn every_short_title_round_trips(
            rows in prop::collection::vec(("[a-c ]{0,24}", "[a-c ]{0,24}", 0u8..4), 0..60),
        ) {
            // Short titles made like the official ones: the long title itself,
            // none, its words with some replaced, or unrelated words.
            let rows: Vec<(String, String)> = rows
                .into_iter()
                .map(|(long, other, how)| {
                    let short = match how {
                        0 => String::new(),
                        1 => long.replacen('a', "x", 1),
                        2 => format!("{} {other}", long.split(' ').next().unwrap_or("")),
                        _ => other,
                    };
                    (long, short)
                })
                .collect();
            let (long_bytes, short_bytes) = build(&rows);
            let long = TitleStore::new(&long_bytes).unwrap();
            let shorts = ShortStore::new(&short_bytes).unwrap();
            prop_assert_eq!(shorts.len() as usize, rows.len());
            for (i, (_, short)) in rows.iter().enumerate() {
                prop_assert_eq!(shorts.get(i as u32, &long), Some(short.clone()));
            }
            prop_assert_eq!(shorts.get(rows.len() as u32, &long), None);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), id in 0u32..50) {
            let rows: Vec<(String, String)> = (0..40).map(|i| (format!("long title {i}"), format!("short {i}"))).collect();
            let (long_bytes, _) = build(&rows);
            let long = TitleStore::new(&long_bytes).unwrap();
            let mut with_magic = MAGIC.bytes().to_vec();
            with_magic.extend_from_slice(&bytes);
            if let Ok(store) = ShortStore::new(&with_magic) {
                let _ = store.get(id, &long);
            }
        }
    }

    #[test]
    fn a_short_title_equal_to_none_takes_one_byte() {
        let rows: Vec<(String, String)> = (0..SAMPLE)
            .map(|i| (format!("Long title number {i}"), String::new()))
            .collect();
        let (_, short_bytes) = build(&rows);
        let store = ShortStore::new(&short_bytes).unwrap();
        assert_eq!(store.store.stream().len(), SAMPLE);
    }

    #[test]
    fn leading_and_trailing_words_come_from_the_long_title() {
        let rows = [(
            "Insertion of Other Device into Spinal Cord, Percutaneous Endoscopic Approach"
                .to_owned(),
            "Insertion of Oth Dev into Spinal Cord, Perc Endo Approach".to_owned(),
        )];
        let (long_bytes, short_bytes) = build(&rows);
        let long = TitleStore::new(&long_bytes).unwrap();
        let store = ShortStore::new(&short_bytes).unwrap();
        assert_eq!(store.get(0, &long).as_deref(), Some(rows[0].1.as_str()));
        // "Insertion of" and "Approach" are copied: the dictionary holds the rest.
        assert_eq!(store.store.word_count(), 7);
    }

    #[test]
    fn a_long_title_store_is_not_a_short_title_store() {
        let (long_bytes, short_bytes) = build(&[("a".into(), "b".into())]);
        assert_eq!(
            ShortStore::new(&long_bytes).unwrap_err(),
            TitleStoreError::Magic(MagicError::OtherFormat)
        );
        assert_eq!(
            ShortStore::new(&short_bytes[..short_bytes.len() - 1]).unwrap_err(),
            TitleStoreError::Truncated
        );
    }
}
