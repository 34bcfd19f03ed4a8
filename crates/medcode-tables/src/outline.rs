//! The upper levels of the classification (chapters → blocks → categories)
//! and the 7th-character definitions, stored as small text tables.
//!
//! Outline lines: `C<TAB>chapter<TAB>block block …` and
//! `B<TAB>block<TAB>child child …` (a block's children are blocks under a
//! heading block, then categories), each kind in tabular order; the n-th `C`
//! line is chapter number n, the n-th `B` line block number n.
//!
//! Seventh lines: one definition a line, `A12 D13 S14`: a character followed
//! by the title id of its meaning.

/// Chapters and blocks with their children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline<'a> {
    /// `(chapter id, top-level block ids)` in tabular order.
    pub chapters: Vec<(&'a str, Vec<&'a str>)>,
    /// `(block id, children)` in tabular order.
    pub blocks: Vec<(&'a str, Vec<&'a str>)>,
    /// Child id → parent id, for every block and category listed.
    pub parents: std::collections::HashMap<&'a str, &'a str>,
}

impl<'a> Outline<'a> {
    /// Reads the outline text; lines it does not understand are skipped.
    ///
    /// ```
    /// let o = medcode_tables::outline::Outline::parse("C\t1\tA00-A09\nB\tA00-A09\tA00 A01\n");
    /// assert_eq!(o.chapters, vec![("1", vec!["A00-A09"])]);
    /// assert_eq!(o.blocks[0].1, vec!["A00", "A01"]);
    /// assert_eq!(o.parents["A01"], "A00-A09");
    /// assert_eq!(o.parents["A00-A09"], "1");
    /// ```
    pub fn parse(text: &'a str) -> Outline<'a> {
        let mut outline = Outline::default();
        for line in text.lines() {
            let mut parts = line.split('\t');
            let (kind, id, rest) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
            let Some(id) = id else { continue };
            let rows = match kind {
                Some("C") => &mut outline.chapters,
                Some("B") => &mut outline.blocks,
                _ => continue,
            };
            let children: Vec<&'a str> = rest.split_whitespace().collect();
            for &child in &children {
                outline.parents.insert(child, id);
            }
            rows.push((id, children));
        }
        outline
    }

    /// Writes the outline text for chapters `(id, block ids)` and blocks `(id, categories)`.
    pub fn write(chapters: &[(String, Vec<String>)], blocks: &[(String, Vec<String>)]) -> String {
        let mut out = String::new();
        for (id, children) in chapters {
            out.push_str(&format!("C\t{id}\t{}\n", children.join(" ")));
        }
        for (id, children) in blocks {
            out.push_str(&format!("B\t{id}\t{}\n", children.join(" ")));
        }
        out
    }
}

/// The 7th characters of one definition: `(character, title id of its meaning)`.
pub type SeventhChars = Vec<(u8, u32)>;

/// Reads the 7th-character definitions text.
///
/// ```
/// let defs = medcode_tables::outline::parse_sevenths("A12 D13\n05\n");
/// assert_eq!(defs[0], vec![(b'A', 12), (b'D', 13)]);
/// assert_eq!(defs[1], vec![(b'0', 5)]);
/// ```
pub fn parse_sevenths(text: &str) -> Vec<SeventhChars> {
    text.lines()
        .map(|line| {
            line.split_whitespace()
                .filter_map(|item| {
                    let (&c, id) = item.as_bytes().split_first()?;
                    Some((c, std::str::from_utf8(id).ok()?.parse().ok()?))
                })
                .collect()
        })
        .collect()
}

/// Writes definitions in the form [`parse_sevenths`] reads.
pub fn write_sevenths(defs: &[SeventhChars]) -> String {
    let mut out = String::new();
    for def in defs {
        let items: Vec<String> = def
            .iter()
            .map(|(c, id)| format!("{}{id}", *c as char))
            .collect();
        out.push_str(&items.join(" "));
        out.push('\n');
    }
    out
}
