//! One sort for the runtime. The standard library's sorts are generic: every
//! item type sorted adds another copy of them, 3 to 8 kB of wasm code each
//! (`twiggy top` of the CPT module listed 57 sort functions, 61 kB of its
//! 367 kB of code). So the search packs the items it sorts into `u64` keys
//! whose order is the order it wants and sorts those with [`keys`].

/// Sorts `keys` ascending: the one place the runtime's searches sort.
///
/// ```
/// let mut k = vec![3u64, 1, 2];
/// medcode::sort::keys(&mut k);
/// assert_eq!(k, [1, 2, 3]);
/// ```
pub fn keys(keys: &mut [u64]) {
    keys.sort_unstable();
}

/// Sorts `items` by `key`, items of the same key kept in their order (a
/// stable sort), through [`keys`]: each key is packed with its item's place.
///
/// ```
/// let mut words = vec!["ab", "c", "de", "f"];
/// medcode::sort::by_key_stable(&mut words, |w| w.len() as u32);
/// assert_eq!(words, ["c", "f", "ab", "de"]);
/// ```
pub fn by_key_stable<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u32) {
    let mut order: Vec<u64> = items
        .iter()
        .enumerate()
        .map(|(i, item)| u64::from(key(item)) << 32 | i as u64)
        .collect();
    keys(&mut order);
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&k| slots.get_mut((k & u64::from(u32::MAX)) as usize)?.take()),
    );
}

/// The run of `sorted` (in `key` order) whose keys start with `prefix`.
///
/// ```
/// let keys = ["A01", "Z86", "Z8617", "Z87"];
/// assert_eq!(medcode::sort::starting_with(&keys, "Z86", |k| k), ["Z86", "Z8617"]);
/// ```
pub fn starting_with<'a, T>(sorted: &'a [T], prefix: &str, key: impl Fn(&T) -> &str) -> &'a [T] {
    let from = sorted.partition_point(|t| key(t) < prefix);
    let rest = sorted.get(from..).unwrap_or_default();
    let n = rest
        .iter()
        .take_while(|t| key(t).starts_with(prefix))
        .count();
    rest.get(..n).unwrap_or_default()
}

/// `n` as a key of 32 bits (larger values all sort last, together).
pub fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// `by_key_stable` orders as the standard library's stable sort does.
        #[test]
        fn by_key_stable_equals_the_standard_stable_sort(items in proptest::collection::vec((0u32..5, any::<u16>()), 0..60)) {
            let mut ours = items.clone();
            super::by_key_stable(&mut ours, |&(k, _)| k);
            let mut std = items;
            std.sort_by_key(|&(k, _)| k);
            prop_assert_eq!(ours, std);
        }
    }
}
