//! Words within an edit distance, found by walking the word FST with the
//! edit-distance table computed row by row (no automaton built up front: the
//! `fst` crate's DFA takes about a millisecond to build for distance 2).
//! Insertions, deletions, substitutions and transpositions of two adjacent
//! bytes each count one edit (Damerau, optimal string alignment), so
//! `inujry` is one edit from `injury`; index and query words are ASCII, so
//! bytes are characters.

use fst::Automaton;
use medcode_tables::words::MAX_WORD;

/// One row of the table: distances from a prefix of the index word to each
/// prefix of the query word.
type Row = [u8; MAX_WORD + 1];

/// The table's last two rows, the index word's last byte and its length so
/// far: what the next row needs (a transposition looks two rows back).
#[derive(Clone)]
pub(crate) struct Rows {
    before: Row,
    row: Row,
    last: u8,
    depth: u8,
}

/// Matches the words at most `distance` edits from `word`.
pub(crate) struct Within<'a> {
    word: &'a [u8],
    distance: u8,
    /// Only index words starting with the query's first letter, or with
    /// its second (the first two transposed).
    anchored: bool,
}

impl<'a> Within<'a> {
    /// `None` for a word longer than [`MAX_WORD`].
    pub(crate) fn new(word: &'a str, distance: u8) -> Option<Within<'a>> {
        (word.len() <= MAX_WORD).then_some(Within {
            word: word.as_bytes(),
            distance,
            anchored: false,
        })
    }

    /// [`Within::new`] for the index words that start with the query's first
    /// letter (or its second: the first two transposed): a slip in the first
    /// letter is rare, and a walk of two edits under one letter visits a
    /// twentieth of the words.
    pub(crate) fn anchored(word: &'a str, distance: u8) -> Option<Within<'a>> {
        let mut w = Within::new(word, distance)?;
        w.anchored = true;
        Some(w)
    }
}

impl Automaton for Within<'_> {
    /// The rows, or `None` once no word can match. (A row whose least cell
    /// is over the distance cannot lead to a match, transpositions
    /// included: the cell a transposition starts from is itself at most one
    /// below a cell of the row in between.)
    type State = Option<Rows>;

    fn start(&self) -> Option<Rows> {
        let mut row = [0u8; MAX_WORD + 1];
        for (j, cell) in row.iter_mut().enumerate().take(self.word.len() + 1) {
            *cell = j as u8;
        }
        Some(Rows {
            before: [u8::MAX; MAX_WORD + 1],
            row,
            last: 0,
            depth: 0,
        })
    }

    fn is_match(&self, state: &Option<Rows>) -> bool {
        state
            .as_ref()
            .is_some_and(|r| r.row[self.word.len()] <= self.distance)
    }

    fn can_match(&self, state: &Option<Rows>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<Rows>, byte: u8) -> Option<Rows> {
        let Rows {
            before,
            row,
            last,
            depth,
        } = state.as_ref()?;
        if self.anchored && *depth == 0 && !self.word.iter().take(2).any(|&b| b == byte) {
            return None;
        }
        let n = self.word.len();
        let i = usize::from(*depth) + 1;
        // Only the cells within `distance` of the diagonal can be at most
        // `distance`; the others stay over it (`cap`), which is all a cell
        // outside the band needs to say.
        let d = usize::from(self.distance);
        let cap = self.distance.saturating_add(1);
        let mut next = [cap; MAX_WORD + 1];
        next[0] = row[0].saturating_add(1);
        let mut least = next[0];
        for j in i.saturating_sub(d).max(1)..=(i + d).min(n) {
            let substitute = row[j - 1].saturating_add(u8::from(self.word[j - 1] != byte));
            let mut cell = substitute
                .min(row[j].saturating_add(1))
                .min(next[j - 1].saturating_add(1));
            if j >= 2 && byte == self.word[j - 2] && *last == self.word[j - 1] {
                cell = cell.min(before[j - 2].saturating_add(1));
            }
            next[j] = cell.min(cap);
            least = least.min(cell);
        }
        (least <= self.distance).then_some(Rows {
            before: *row,
            row: next,
            last: byte,
            depth: depth.saturating_add(1),
        })
    }
}

/// Optimal-string-alignment distance of two short ASCII words (the plain
/// dynamic programme; for picking the nearest of a few candidates).
pub(crate) fn distance(a: &[u8], b: &[u8]) -> usize {
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::{distance as osa, Within};
    use fst::{IntoStreamer, Set, Streamer};

    #[test]
    fn finds_the_words_within_the_distance() {
        let set =
            Set::from_iter(["essential", "essentials", "hypertension", "sential", "x"]).unwrap();
        let found = |w: &str, d: u8| {
            let mut out = Vec::new();
            let mut s = set.search(Within::new(w, d).unwrap()).into_stream();
            while let Some(k) = s.next() {
                out.push(String::from_utf8(k.to_vec()).unwrap());
            }
            out
        };
        // A transposition is one edit (and one more reaches `essentials`).
        assert_eq!(found("essentail", 2), ["essential", "essentials"]);
        assert_eq!(found("essentail", 1), ["essential"]);
        assert_eq!(found("esesntial", 1), ["essential"]);
        assert_eq!(found("hypertensoin", 2), ["hypertension"]);
        assert_eq!(found("essenial", 1), ["essential"]);
        assert_eq!(found("y", 1), ["x"]);
    }

    /// Regression (issue 14): `inujry`, `clsoed`, `figner` found nothing,
    /// a transposition costing two edits.
    #[test]
    fn transposed_letters_cost_one_edit() {
        let set = Set::from_iter(["closed", "finger", "injury"]).unwrap();
        for (q, want) in [
            ("inujry", "injury"),
            ("clsoed", "closed"),
            ("figner", "finger"),
        ] {
            let mut s = set.search(Within::new(q, 1).unwrap()).into_stream();
            let got = s.next().map(|k| String::from_utf8(k.to_vec()).unwrap());
            assert_eq!(got.as_deref(), Some(want), "{q}");
        }
    }

    #[test]
    fn anchored_walk_keeps_the_first_letter_or_its_transposition() {
        let set = Set::from_iter(["eclampsia", "preeclampsia", "rpeeclampsia"]).unwrap();
        let found = |w: &str| {
            let mut out = Vec::new();
            let mut s = set.search(Within::anchored(w, 2).unwrap()).into_stream();
            while let Some(k) = s.next() {
                out.push(String::from_utf8(k.to_vec()).unwrap());
            }
            out
        };
        assert_eq!(found("preclampsia"), ["preeclampsia", "rpeeclampsia"]);
        assert_eq!(found("rpeclampsia"), ["preeclampsia", "rpeeclampsia"]);
        assert!(found("xyclampsia").is_empty());
    }

    #[test]
    fn agrees_with_the_plain_distance() {
        let words = [
            "fracture",
            "fractures",
            "fraction",
            "femur",
            "femoral",
            "femr",
            "diabetes",
            "diabetic",
            "hypertension",
            "hypotension",
            "tension",
            "essential",
            "sequela",
            "sequelae",
            "ab",
            "a",
        ];
        let mut sorted = words.to_vec();
        sorted.sort_unstable();
        let set = Set::from_iter(sorted.clone()).unwrap();
        for q in [
            "fractur",
            "femor",
            "diabtes",
            "hypretension",
            "a",
            "ba",
            "sequale",
            "tensoin",
            "fmeur",
            "diabeets",
        ] {
            for d in [1u8, 2] {
                let mut ours = Vec::new();
                let mut s = set.search(Within::new(q, d).unwrap()).into_stream();
                while let Some(k) = s.next() {
                    ours.push(k.to_vec());
                }
                let theirs: Vec<Vec<u8>> = sorted
                    .iter()
                    .filter(|w| osa(w.as_bytes(), q.as_bytes()) <= usize::from(d))
                    .map(|w| w.as_bytes().to_vec())
                    .collect();
                assert_eq!(ours, theirs, "{q} within {d}");
            }
        }
    }
}
