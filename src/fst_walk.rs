//! Every key of an FST map with its value, in key order, by a depth-first
//! walk of its nodes: what listing a whole map needs, about twice as fast
//! as [`fst::Map::stream`] (which keeps a general automaton state per node).

/// Calls `each` with every key of `map` and its value, in key order.
///
/// ```
/// let map = fst::Map::from_iter([("a", 1u64), ("ab", 2), ("b", 3)]).unwrap();
/// let mut seen = Vec::new();
/// medcode::fst_walk::for_each_key(&map, |k, v| seen.push((k.to_vec(), v)));
/// assert_eq!(seen, [(b"a".to_vec(), 1), (b"ab".to_vec(), 2), (b"b".to_vec(), 3)]);
/// ```
pub fn for_each_key<D: AsRef<[u8]>>(map: &fst::Map<D>, mut each: impl FnMut(&[u8], u64)) {
    let fst = map.as_fst();
    let mut key = Vec::with_capacity(16);
    walk(
        fst,
        fst.root(),
        fst::raw::Output::zero(),
        &mut key,
        &mut each,
    );
}

fn walk<D: AsRef<[u8]>>(
    fst: &fst::raw::Fst<D>,
    node: fst::raw::Node<'_>,
    out: fst::raw::Output,
    key: &mut Vec<u8>,
    each: &mut impl FnMut(&[u8], u64),
) {
    if node.is_final() {
        each(key, out.cat(node.final_output()).value());
    }
    for t in node.transitions() {
        key.push(t.inp);
        walk(fst, fst.node(t.addr), out.cat(t.out), key, each);
        key.pop();
    }
}

/// Calls `each` with every key of `map` that starts with `prefix`, and its
/// value, in key order, until it returns false.
///
/// ```
/// let map = fst::Map::from_iter([("a", 1u64), ("ab", 2), ("ac", 3), ("b", 4)]).unwrap();
/// let mut seen = Vec::new();
/// medcode::fst_walk::for_each_key_under(&map, b"a", |k, v| {
///     seen.push((k.to_vec(), v));
///     v < 2 // stop after "ab"
/// });
/// assert_eq!(seen, [(b"a".to_vec(), 1), (b"ab".to_vec(), 2)]);
/// ```
pub fn for_each_key_under<D: AsRef<[u8]>>(
    map: &fst::Map<D>,
    prefix: &[u8],
    mut each: impl FnMut(&[u8], u64) -> bool,
) {
    let fst = map.as_fst();
    let mut node = fst.root();
    let mut out = fst::raw::Output::zero();
    for &b in prefix {
        let Some(i) = node.find_input(b) else {
            return;
        };
        let t = node.transition(i);
        out = out.cat(t.out);
        node = fst.node(t.addr);
    }
    let mut key = prefix.to_vec();
    walk_until(fst, node, out, &mut key, &mut each);
}

/// [`walk`] that stops when `each` returns false (and returns false then).
fn walk_until<D: AsRef<[u8]>>(
    fst: &fst::raw::Fst<D>,
    node: fst::raw::Node<'_>,
    out: fst::raw::Output,
    key: &mut Vec<u8>,
    each: &mut impl FnMut(&[u8], u64) -> bool,
) -> bool {
    if node.is_final() && !each(key, out.cat(node.final_output()).value()) {
        return false;
    }
    for t in node.transitions() {
        key.push(t.inp);
        let more = walk_until(fst, fst.node(t.addr), out.cat(t.out), key, each);
        key.pop();
        if !more {
            return false;
        }
    }
    true
}

/// The value of `key` in `map` and which of its shorter prefixes are keys
/// too (bit `i` set: the first `i` bytes, for `i` below 32), read in one
/// walk: a lookup that also wants the nearest key above a code (its
/// parent) reads the map once instead of once per candidate.
///
/// ```
/// let map = fst::Map::from_iter([("E11", 1u64), ("E119", 2), ("E11X9", 3)]).unwrap();
/// assert_eq!(medcode::fst_walk::get_with_prefixes(&map, b"E119"), Some((2, 1 << 3)));
/// assert_eq!(medcode::fst_walk::get_with_prefixes(&map, b"E11"), Some((1, 0)));
/// assert_eq!(medcode::fst_walk::get_with_prefixes(&map, b"E118"), None);
/// ```
pub fn get_with_prefixes<D: AsRef<[u8]>>(map: &fst::Map<D>, key: &[u8]) -> Option<(u64, u32)> {
    let fst = map.as_fst();
    let mut node = fst.root();
    let mut out = fst::raw::Output::zero();
    let mut prefixes = 0u32;
    for (i, &b) in key.iter().enumerate() {
        if node.is_final() && i > 0 && i < 32 {
            prefixes |= 1 << i;
        }
        let t = node.transition(node.find_input(b)?);
        out = out.cat(t.out);
        node = fst.node(t.addr);
    }
    node.is_final()
        .then(|| (out.cat(node.final_output()).value(), prefixes))
}
