//! A hash set of billable codes packed into `u64`, built from the FST once
//! the module is asked often enough, so `isValid` answers in a few hash
//! probes instead of an FST walk.

use crate::normalize::normalize;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Longest code the set packs (ICD-10-CM codes have at most 7 characters).
pub const MAX_CODE: usize = 10;

/// Packs an upper-case code of letters and digits (6 bits a character,
/// 0 never used), or `None` if it is not one.
///
/// ```
/// use medcode::billable::pack;
/// assert_ne!(pack(b"E119"), pack(b"E1190"));
/// assert_eq!(pack(b"E11.9"), None);
/// ```
pub fn pack(code: &[u8]) -> Option<u64> {
    if code.is_empty() || code.len() > MAX_CODE {
        return None;
    }
    let mut v: u64 = 0;
    for &b in code {
        let c = match b {
            b'0'..=b'9' => b - b'0' + 1,
            b'A'..=b'Z' => b - b'A' + 11,
            _ => return None,
        };
        v = v << 6 | u64::from(c);
    }
    Some(v)
}

/// The code [`pack`] packed: its bytes and their number (`None` for a
/// value no code packs to).
///
/// ```
/// use medcode::billable::{pack, unpack};
/// let (bytes, n) = unpack(pack(b"S72001A").unwrap()).unwrap();
/// assert_eq!(&bytes[..n], b"S72001A");
/// assert_eq!(unpack(0), None);
/// ```
pub fn unpack(mut code: u64) -> Option<([u8; MAX_CODE], usize)> {
    let mut out = [0u8; MAX_CODE];
    let mut n = 0;
    while code != 0 {
        let c = (code & 63) as u8;
        let b = match c {
            1..=10 => b'0' + c - 1,
            11..=36 => b'A' + c - 11,
            _ => return None,
        };
        *out.get_mut(n)? = b;
        n += 1;
        code >>= 6;
    }
    out[..n].reverse();
    (n > 0).then_some((out, n))
}

/// Normalizes and packs input as typed: ASCII is handled byte by byte
/// (trim, upper-case, the dot after the third character); anything else goes
/// through [`normalize`], so both paths accept exactly the same inputs.
pub fn pack_input(input: &[u8]) -> Option<u64> {
    if !input.is_ascii() {
        let text = std::str::from_utf8(input).ok()?;
        return normalize(text).ok().and_then(|k| pack(k.as_bytes()));
    }
    let start = input.iter().position(|b| !b.is_ascii_whitespace())?;
    let end = input.iter().rposition(|b| !b.is_ascii_whitespace())? + 1;
    let trimmed = &input[start..end];
    // Characters str::trim removes but is_ascii_whitespace does not (U+000B).
    if trimmed.first().is_some_and(|b| b.is_ascii_control())
        || trimmed.last().is_some_and(|b| b.is_ascii_control())
    {
        return normalize(std::str::from_utf8(input).ok()?)
            .ok()
            .and_then(|k| pack(k.as_bytes()));
    }
    let mut v: u64 = 0;
    let mut n = 0;
    for (i, &b) in trimmed.iter().enumerate() {
        let c = match PACKED_CHAR[b as usize] {
            0 if b == b'.' && n == 3 && i == 3 => continue,
            0 => return None,
            c => c,
        };
        n += 1;
        if n > MAX_CODE {
            return None;
        }
        v = v << 6 | u64::from(c);
    }
    (n > 0).then_some(v)
}

/// Per byte, the value [`pack`] gives it (1..=36: a digit or a letter of
/// either case), 0 for any other byte.
static PACKED_CHAR: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            d @ b'0'..=b'9' => d - b'0' + 1,
            l @ b'A'..=b'Z' => l - b'A' + 11,
            l @ b'a'..=b'z' => l - b'a' + 11,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// Reads the line of `bytes` that starts at `at`: the code [`pack_input`]
/// packs from it when it is written the common way (ASCII letters and
/// digits, a dot after the third, spaces around; `None` for any other line,
/// which the caller answers the general way), and where the line ends (the
/// index of its `\n`, or `bytes.len()`). One pass, for `isValidMany`: the
/// same packing as `pack_input`'s loop, fused with finding the line's end
/// and its spaces (finding the end first, trimming, then packing through
/// one shared loop made `isValidMany` 7% slower, 52.7 → 56.4 ns a code).
///
/// ```
/// use medcode::billable::{pack, pack_line};
/// let lines = b" e11.9 \nE11\tx\nS72001A";
/// assert_eq!(pack_line(lines, 0), (pack(b"E119"), 7));
/// assert_eq!(pack_line(lines, 8), (None, 13));
/// assert_eq!(pack_line(lines, 14), (pack(b"S72001A"), 21));
/// ```
#[inline]
pub fn pack_line(bytes: &[u8], at: usize) -> (Option<u64>, usize) {
    let len = bytes.len();
    let mut i = at;
    while i < len && bytes[i] == b' ' {
        i += 1;
    }
    let start = i;
    let (mut v, mut n) = (0u64, 0usize);
    while i < len {
        // A table, not a match on ranges: letters and digits come in no
        // order a branch predictor learns.
        let c = PACKED_CHAR[bytes[i] as usize];
        if c == 0 {
            if bytes[i] == b'.' && i - start == 3 {
                i += 1;
                continue;
            }
            break;
        }
        v = v << 6 | u64::from(c);
        n += 1;
        i += 1;
    }
    while i < len && bytes[i] == b' ' {
        i += 1;
    }
    if i < len && bytes[i] != b'\n' {
        let end = bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(len, |p| i + p);
        return (None, end);
    }
    ((1..=MAX_CODE).contains(&n).then_some(v), i)
}

/// How many questions a [`WarmTable`] answers the slow way before it
/// builds its table: a question answered from the FSTs costs about a
/// microsecond in wasm, building a table of every code 10 to 40 ms, so a
/// page that checks a few codes never pays for the table and a page that
/// checks thousands pays at most a few milliseconds more.
pub const ASKS_BEFORE_BUILD: u32 = 4096;

/// A table worth building only for a busy caller (the hash set behind
/// `isValid`, the span map behind `isValid` on a date): the first
/// [`ASKS_BEFORE_BUILD`] questions are answered without it (the caller
/// reads the FSTs), then it is built once and kept.
#[derive(Default)]
pub struct WarmTable<T> {
    table: OnceLock<T>,
    asks: AtomicU32,
}

impl<T> WarmTable<T> {
    /// An empty table, not yet asked.
    pub const fn new() -> Self {
        WarmTable {
            table: OnceLock::new(),
            asks: AtomicU32::new(0),
        }
    }

    /// The table if it is built or this question is one too many to answer
    /// without it (then `build` builds it); `None`: answer the slow way.
    pub fn get(&self, build: impl FnOnce() -> T) -> Option<&T> {
        if let Some(t) = self.table.get() {
            return Some(t);
        }
        if self.asks.fetch_add(1, Ordering::Relaxed) < ASKS_BEFORE_BUILD {
            return None;
        }
        Some(self.table.get_or_init(build))
    }

    /// The table, built now if it is not yet (for a caller that knows it
    /// will ask many questions, such as a bulk check).
    pub fn built(&self, build: impl FnOnce() -> T) -> &T {
        self.table.get_or_init(build)
    }
}

/// An open-addressing (linear probing) set of packed codes with a fixed
/// number of slots, a power of two.
pub struct PackedSet {
    slots: Vec<u64>,
    bits: u32,
    len: usize,
}

impl PackedSet {
    /// An empty set with room for `n` codes at a load of at most 0.6.
    pub fn with_capacity_for(n: usize) -> PackedSet {
        let bits = (n * 5 / 3).next_power_of_two().trailing_zeros().max(4);
        PackedSet {
            slots: vec![0; 1 << bits],
            bits,
            len: 0,
        }
    }

    /// Builds the set from packed codes.
    pub fn new(codes: impl ExactSizeIterator<Item = u64>) -> PackedSet {
        let mut set = PackedSet::with_capacity_for(codes.len());
        for code in codes {
            set.insert(code);
        }
        set
    }

    fn slot(&self, code: u64) -> usize {
        (code.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// Adds a packed code (0 is not a packed code and is ignored). The set
    /// doubles its slots when the load would pass 0.6, so the capacity given
    /// to [`PackedSet::with_capacity_for`] is only a hint.
    pub fn insert(&mut self, code: u64) {
        if code == 0 {
            return;
        }
        if (self.len + 1) * 5 > self.slots.len() * 3 {
            let mut bigger = PackedSet {
                slots: vec![0; self.slots.len() * 2],
                bits: self.bits + 1,
                len: 0,
            };
            for &old in self.slots.iter().filter(|&&c| c != 0) {
                bigger.insert(old);
            }
            *self = bigger;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(code);
        while self.slots[i] != 0 {
            if self.slots[i] == code {
                return;
            }
            i = (i + 1) & mask;
        }
        self.slots[i] = code;
        self.len += 1;
    }

    /// Whether the packed code is in the set.
    pub fn contains(&self, code: u64) -> bool {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(code);
        loop {
            match self.slots[i] {
                0 => return false,
                c if c == code => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A hash map from packed code to a `u64` (same hashing and linear probing
/// as [`PackedSet`]), for answers that depend on more than membership, such as
/// validity spans.
pub struct PackedMap {
    keys: Vec<u64>,
    values: Vec<u64>,
    bits: u32,
    len: usize,
}

impl PackedMap {
    /// An empty map with room for `n` codes at a load of at most 0.6.
    pub fn with_capacity_for(n: usize) -> PackedMap {
        let bits = (n * 5 / 3).next_power_of_two().trailing_zeros().max(4);
        PackedMap {
            keys: vec![0; 1 << bits],
            values: vec![0; 1 << bits],
            bits,
            len: 0,
        }
    }

    fn slot(&self, code: u64) -> usize {
        (code.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// Sets the value of a packed code (0 is not a packed code and is
    /// ignored); doubles the slots when the load would pass 0.6.
    pub fn insert(&mut self, code: u64, value: u64) {
        if code == 0 {
            return;
        }
        if (self.len + 1) * 5 > self.keys.len() * 3 {
            let mut bigger = PackedMap {
                keys: vec![0; self.keys.len() * 2],
                values: vec![0; self.keys.len() * 2],
                bits: self.bits + 1,
                len: 0,
            };
            for (&k, &v) in self.keys.iter().zip(&self.values) {
                if k != 0 {
                    bigger.insert(k, v);
                }
            }
            *self = bigger;
        }
        let mask = self.keys.len() - 1;
        let mut i = self.slot(code);
        while self.keys[i] != 0 && self.keys[i] != code {
            i = (i + 1) & mask;
        }
        if self.keys[i] == 0 {
            self.keys[i] = code;
            self.len += 1;
        }
        self.values[i] = value;
    }

    /// The value of a packed code.
    pub fn get(&self, code: u64) -> Option<u64> {
        let mask = self.keys.len() - 1;
        let mut i = self.slot(code);
        loop {
            match self.keys[i] {
                0 => return None,
                c if c == code => return Some(self.values[i]),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fast_path_agrees_with_normalize(s in "[ \\ta-zA-Z0-9.\\-\u{a0}\u{b}]{0,12}") {
            let slow = normalize(&s).ok().and_then(|k| pack(k.as_bytes()));
            prop_assert_eq!(pack_input(s.as_bytes()), slow, "{:?}", s);
        }
    }

    proptest! {
        #[test]
        fn unpack_gives_back_what_pack_packed(s in "[A-Z0-9]{1,10}") {
            let (bytes, n) = unpack(pack(s.as_bytes()).unwrap()).unwrap();
            prop_assert_eq!(&bytes[..n], s.as_bytes());
        }
    }

    #[test]
    fn warm_table_is_built_after_its_asks_and_kept() {
        let table: WarmTable<u32> = WarmTable::new();
        let mut builds = 0;
        for _ in 0..ASKS_BEFORE_BUILD {
            assert!(table.get(|| 1).is_none());
        }
        assert_eq!(
            table.get(|| {
                builds += 1;
                7
            }),
            Some(&7)
        );
        assert_eq!(
            table.get(|| {
                builds += 1;
                8
            }),
            Some(&7)
        );
        assert_eq!(builds, 1);
        let eager: WarmTable<u32> = WarmTable::new();
        assert_eq!(*eager.built(|| 3), 3);
        assert_eq!(eager.get(|| 4), Some(&3));
    }

    #[test]
    fn set_grows_past_its_capacity_hint() {
        let codes: Vec<u64> = (1..10_000u64).map(|i| i * 104_729).collect();
        let mut set = PackedSet::with_capacity_for(0);
        for &c in &codes {
            set.insert(c);
        }
        assert_eq!(set.len(), codes.len());
        assert!(codes.iter().all(|&c| set.contains(c)));
    }

    #[test]
    fn map_grows_and_keeps_every_value() {
        let mut map = PackedMap::with_capacity_for(0);
        for i in 1..20_000u64 {
            map.insert(i * 7919, i);
        }
        map.insert(7919, 42);
        assert_eq!(map.len(), 19_999);
        assert_eq!(map.get(7919), Some(42));
        assert!((2..20_000u64).all(|i| map.get(i * 7919) == Some(i)));
        assert_eq!(map.get(7920), None);
        assert_eq!(map.get(0), None);
    }

    #[test]
    fn set_finds_what_was_inserted_and_nothing_else() {
        let codes: Vec<u64> = (1..50_000u64).map(|i| i * 7919).collect();
        let set = PackedSet::new(codes.iter().copied());
        assert!(!set.contains(0));
        assert_eq!(set.len(), codes.len());
        assert!(codes.iter().all(|&c| set.contains(c)));
        assert!(!(1..50_000u64).any(|i| set.contains(i * 7919 + 1)));
    }
}
