//! Line numbers of byte offsets in a source text, for `path:line` errors.
//!
//! `roxmltree::Document::text_pos_at` counts lines from the start of the
//! text at every call; asked once per `<diag>` of the 20 MB tabular it made
//! reading the tabular quadratic (205 s of a 225 s build script run). This
//! index finds each line start once and answers by binary search.

/// The byte offsets at which the lines of a text start.
///
/// ```
/// let index = medcode_tables::line_index::LineIndex::new("a\nbc\n\nd");
/// assert_eq!(index.row(0), 1);
/// assert_eq!(index.row(2), 2);
/// assert_eq!(index.row(4), 2); // the newline ends line 2
/// assert_eq!(index.row(5), 3);
/// assert_eq!(index.row(6), 4);
/// ```
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Finds the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Self { starts }
    }

    /// The 1-based line that holds byte `offset` (the last line for offsets past the end).
    pub fn row(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::LineIndex;

    #[test]
    fn rows_agree_with_roxmltree_on_every_element() {
        let xml = "<a>\n  <b/>\n\n  <c>\n    <d/></c>\r\n<e/></a>";
        let doc = roxmltree::Document::parse(xml).expect("test XML parses");
        let index = LineIndex::new(xml);
        for node in doc.descendants().filter(|n| n.is_element()) {
            let start = node.range().start;
            assert_eq!(index.row(start), doc.text_pos_at(start).row, "{node:?}");
        }
    }
}
