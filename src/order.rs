//! The order the ICD-10-CM tabular lists codes in, where it is not the order
//! their keys sort in: `I82` lists I82.0–I82.7, then I82.A–I82.C, then I82.8
//! and I82.9 (48 parents in the FY2026 tabular, written by `build.rs` from
//! the tabular XML). `children` and `prefix` follow it, as coders read the book.

use std::sync::OnceLock;

/// The parents whose children the tabular orders otherwise than their keys.
pub struct TabularOrder {
    text: &'static str,
    parents: OnceLock<Vec<(&'static str, Vec<&'static str>)>>,
}

impl TabularOrder {
    /// Reads `parent<TAB>child child…` lines (sorted by parent).
    pub fn new(text: &'static str) -> TabularOrder {
        TabularOrder {
            text,
            parents: OnceLock::new(),
        }
    }

    fn parents(&self) -> &[(&'static str, Vec<&'static str>)] {
        self.parents.get_or_init(|| {
            self.text
                .lines()
                .filter_map(|l| {
                    let (p, kids) = l.split_once('\t')?;
                    Some((p, kids.split(' ').collect()))
                })
                .collect()
        })
    }

    /// The children of `parent` in tabular order, when it orders them
    /// otherwise than their keys.
    fn children_of(&self, parent: &str) -> Option<&[&'static str]> {
        let all = self.parents();
        all.binary_search_by(|(p, _)| (*p).cmp(parent))
            .ok()
            .map(|i| all[i].1.as_slice())
    }

    /// Every category in tabular order when the tabular lists them out of
    /// key order (M1A before M10); empty otherwise.
    pub fn categories(&self) -> &[&'static str] {
        self.children_of("").unwrap_or_default()
    }

    /// Whether some reordered parent (a category or below) lies over or
    /// under keys starting with `prefix` (then a listing must be sorted;
    /// otherwise key order is the tabular's).
    pub fn touches(&self, prefix: &str) -> bool {
        self.parents()
            .iter()
            .filter(|(p, _)| !p.is_empty())
            .any(|(p, _)| p.starts_with(prefix) || prefix.starts_with(p))
    }

    /// The length of the shortest of `key` and its ancestors whose children
    /// are reordered: the whole subtree under it is listed in tabular order.
    pub fn reordered_ancestor(&self, key: &str) -> Option<usize> {
        (1..=key.len()).find(|&n| key.get(..n).is_some_and(|p| self.children_of(p).is_some()))
    }

    /// A sort key for `key` giving tabular order: at each level whose parent
    /// is reordered, the child's rank there; elsewhere the key's own byte.
    pub fn sort_key(&self, key: &str) -> Vec<u8> {
        let bytes = key.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        for i in 0..bytes.len() {
            let rank = (i > 0)
                .then(|| self.children_of(&key[..i]))
                .flatten()
                .and_then(|kids| kids.iter().position(|k| *k == &key[..=i]));
            match rank {
                // Below every key byte (ASCII letters and digits).
                Some(r) => out.push(u8::try_from(r).unwrap_or(u8::MAX).min(47)),
                None => out.push(bytes[i]),
            }
        }
        out
    }

    /// Puts `children` of `parent` (keys) in tabular order.
    pub fn sort_children(&self, parent: &str, children: &mut Vec<String>) {
        if let Some(kids) = self.children_of(parent) {
            // The listed children in the listed order, then any other (none
            // in the tables built); no sort, so no sort code in the module.
            let mut ordered: Vec<String> = kids
                .iter()
                .filter(|k| children.iter().any(|c| c == *k))
                .map(|k| (*k).to_owned())
                .collect();
            ordered.extend(
                children
                    .iter()
                    .filter(|c| !kids.contains(&c.as_str()))
                    .cloned(),
            );
            *children = ordered;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TabularOrder;

    #[test]
    fn sort_key_puts_i82a_before_i828_and_keeps_parents_first() {
        let o = TabularOrder::new("I82\tI820 I827 I82A I82B I828 I829\n");
        let mut keys = vec!["I829", "I828", "I82A", "I82", "I820", "I82A1", "I827"];
        keys.sort_by_key(|k| o.sort_key(k));
        assert_eq!(
            keys,
            ["I82", "I820", "I827", "I82A", "I82A1", "I828", "I829"]
        );
        assert!(o.touches("I8") && o.touches("I82A") && !o.touches("E11"));
        assert_eq!(o.reordered_ancestor("I82A1"), Some(3));
        assert_eq!(o.reordered_ancestor("E119"), None);
    }
}
