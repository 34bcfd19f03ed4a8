//! The embedded ICD-10-PCS axis labels, for building a code character by
//! character: an FST map from `(position, prefix, character)` to the value's
//! label, its definition (root operations, approaches …) and the axis name,
//! all three as ids in a title store of their own.
//!
//! The key is the position digit (`1`–`7`), then the characters the label
//! depends on (none for the section, the first 1–2 for body system and root
//! operation, the 3-character table for positions 4–7), then the character:
//! `10` is section `0`, `30DT` root operation `T` of `0D`, `40DTJ` body part
//! `J` of table `0DT`.

/// The key of character `ch` at 1-based `position` after `code_prefix`
/// (which holds at least `position - 1` characters); `None` for a position
/// outside 1–7.
///
/// ```
/// use medcode_tables::axes_index::key;
/// assert_eq!(key(4, "0DTJ0ZZ", 'J').as_deref(), Some("40DTJ"));
/// assert_eq!(key(1, "", '0').as_deref(), Some("10"));
/// assert_eq!(key(4, "0DT", 'É').as_deref(), Some("40DTÉ"));
/// assert_eq!(key(8, "0DTJ0ZZ", 'Z'), None);
/// ```
pub fn key(position: u8, code_prefix: &str, ch: char) -> Option<String> {
    let (k, len) = key_bytes(position, code_prefix, ch)?;
    String::from_utf8(k[..len].to_vec()).ok()
}

/// The bytes of [`key`] on the stack, with their length: [`label_id`] runs
/// for every slot of every PCS title the module writes (first PCS search,
/// node bench/systems.mjs: 394 ms with a heap key, 347-377 ms without).
fn key_bytes(position: u8, code_prefix: &str, ch: char) -> Option<([u8; 8], usize)> {
    let depends = match position {
        1 => 0,
        2 | 3 => usize::from(position) - 1,
        4..=7 => 3,
        _ => return None,
    };
    let prefix = code_prefix.get(..depends)?;
    let mut k = [0u8; 8];
    k[0] = b'0' + position;
    k[1..=depends].copy_from_slice(prefix.as_bytes());
    let len = 1 + depends + ch.encode_utf8(&mut k[1 + depends..]).len();
    Some((k, len))
}

/// The store id of the label of the character at 1-based `position` of
/// `code`, read from a compiled map (what [`compile`] writes); `None` when
/// the code is too short or the label unknown. The build (making PCS
/// title templates, [`crate::templates`]) and the module (filling them in)
/// both find a title's labels through this one function, so a template
/// reads back with exactly the labels it was made from.
///
/// ```
/// use medcode_tables::axes_index::{compile, label_id};
/// use medcode_tables::titles::TitleStore;
/// let rows = [("40DT6".to_string(), Some("Stomach"), None, Some("Body Part"))];
/// let (map, store, _) = compile(rows).unwrap();
/// let (map, store) = (fst::Map::new(map).unwrap(), TitleStore::new(&store).unwrap());
/// let id = label_id(&map, "0DT60ZZ", 4).unwrap();
/// assert_eq!(store.get(id).as_deref(), Some("Stomach"));
/// assert_eq!(label_id(&map, "0DT60ZZ", 5), None);
/// ```
pub fn label_id<D: AsRef<[u8]>>(map: &fst::Map<D>, code: &str, position: u8) -> Option<u32> {
    let ch = code.chars().nth(usize::from(position).checked_sub(1)?)?;
    let (k, len) = key_bytes(position, code, ch)?;
    map.get(&k[..len]).and_then(|v| AxisEntry::decode(v).label)
}

/// What one key holds: title-store ids of the label, definition and axis name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AxisEntry {
    /// The value's label (`Excision`).
    pub label: Option<u32>,
    /// Its definition, where the definitions file gives one.
    pub definition: Option<u32>,
    /// The axis name (`Operation`).
    pub axis: Option<u32>,
}

const BITS: u32 = 21;
const MASK: u64 = (1 << BITS) - 1;

impl AxisEntry {
    /// Packs the entry (ids must be below 2^21 - 1; the compiler checks).
    ///
    /// ```
    /// use medcode_tables::axes_index::AxisEntry;
    /// let e = AxisEntry { label: Some(4), definition: None, axis: Some(0) };
    /// assert_eq!(AxisEntry::decode(e.encode()), e);
    /// ```
    pub fn encode(&self) -> u64 {
        let f = |v: Option<u32>| v.map_or(0, |v| u64::from(v) + 1) & MASK;
        f(self.label) | f(self.definition) << BITS | f(self.axis) << (2 * BITS)
    }

    /// Unpacks a value written by [`AxisEntry::encode`].
    pub fn decode(v: u64) -> AxisEntry {
        let f = |x: u64| match x & MASK {
            0 => None,
            n => Some(n as u32 - 1),
        };
        AxisEntry {
            label: f(v),
            definition: f(v >> BITS),
            axis: f(v >> (2 * BITS)),
        }
    }
}

/// Largest id an [`AxisEntry`] holds.
pub const MAX_ID: u32 = (1 << BITS) - 2;

/// Builds the FST map and title store from `(key, label, definition, axis)`
/// rows (keys from [`key`]); the first row of a key wins. Returns the map,
/// the store and how many rows repeated a key with a different label.
#[cfg(feature = "compile")]
#[allow(clippy::type_complexity)]
pub fn compile<'a>(
    rows: impl IntoIterator<Item = (String, Option<&'a str>, Option<&'a str>, Option<&'a str>)>,
) -> Result<(Vec<u8>, Vec<u8>, usize), crate::CompileError> {
    use std::collections::{BTreeMap, HashMap};
    let mut store = crate::titles::TitleStoreBuilder::default();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut id = |text: Option<&'a str>, store: &mut crate::titles::TitleStoreBuilder| {
        text.map(|t| *ids.entry(t).or_insert_with(|| store.add(t)))
    };
    let mut map: BTreeMap<String, AxisEntry> = BTreeMap::new();
    let mut conflicts = 0;
    for (k, label, definition, axis) in rows {
        let entry = AxisEntry {
            label: id(label, &mut store),
            definition: id(definition, &mut store),
            axis: id(axis, &mut store),
        };
        match map.get(&k) {
            Some(old) => conflicts += usize::from(old.label != entry.label),
            None => {
                map.insert(k, entry);
            }
        }
    }
    if store.len() > MAX_ID as usize {
        return Err(crate::CompileError::TooMany("axis labels"));
    }
    let mut builder = fst::MapBuilder::memory();
    for (k, e) in &map {
        builder.insert(k, e.encode())?;
    }
    let fst = builder.into_inner()?;
    Ok((fst, store.finish(), conflicts))
}
