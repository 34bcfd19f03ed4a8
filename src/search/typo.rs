//! Words within an edit distance, found by walking the word FST with the
//! Levenshtein table computed row by row (no automaton built up front: the
//! `fst` crate's DFA takes about a millisecond to build for distance 2).
//! Insertions, deletions and substitutions of bytes; index and query words
//! are ASCII, so bytes are characters.

use fst::Automaton;
use medcode_tables::words::MAX_WORD;

/// One row of the table: distances from a prefix of the index word to each
/// prefix of the query word.
type Row = [u8; MAX_WORD + 1];

/// Matches the words at most `distance` edits from `word`.
pub(crate) struct Within<'a> {
    word: &'a [u8],
    distance: u8,
}

impl<'a> Within<'a> {
    /// `None` for a word longer than [`MAX_WORD`].
    pub(crate) fn new(word: &'a str, distance: u8) -> Option<Within<'a>> {
        (word.len() <= MAX_WORD).then_some(Within {
            word: word.as_bytes(),
            distance,
        })
    }
}

impl Automaton for Within<'_> {
    /// The row, or `None` once no word can match.
    type State = Option<Row>;

    fn start(&self) -> Option<Row> {
        let mut row = [0u8; MAX_WORD + 1];
        for (j, cell) in row.iter_mut().enumerate().take(self.word.len() + 1) {
            *cell = j as u8;
        }
        Some(row)
    }

    fn is_match(&self, state: &Option<Row>) -> bool {
        state
            .as_ref()
            .is_some_and(|row| row[self.word.len()] <= self.distance)
    }

    fn can_match(&self, state: &Option<Row>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<Row>, byte: u8) -> Option<Row> {
        let row = state.as_ref()?;
        let n = self.word.len();
        let mut next = [0u8; MAX_WORD + 1];
        next[0] = row[0].saturating_add(1);
        let mut least = next[0];
        for j in 1..=n {
            let substitute = row[j - 1].saturating_add(u8::from(self.word[j - 1] != byte));
            let cell = substitute
                .min(row[j].saturating_add(1))
                .min(next[j - 1].saturating_add(1));
            next[j] = cell;
            least = least.min(cell);
        }
        (least <= self.distance).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::Within;
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
        assert_eq!(found("essentail", 2), ["essential"]);
        assert_eq!(found("essentail", 1), Vec::<String>::new());
        assert_eq!(found("hypertensoin", 2), ["hypertension"]);
        assert_eq!(found("essenial", 1), ["essential"]);
        assert_eq!(found("y", 1), ["x"]);
    }

    #[test]
    fn agrees_with_the_fst_levenshtein_automaton() {
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
        let set = Set::from_iter(sorted).unwrap();
        for q in [
            "fractur",
            "femor",
            "diabtes",
            "hypretension",
            "a",
            "ba",
            "sequale",
            "tensoin",
        ] {
            for d in [1u8, 2] {
                let mut ours = Vec::new();
                let mut s = set.search(Within::new(q, d).unwrap()).into_stream();
                while let Some(k) = s.next() {
                    ours.push(k.to_vec());
                }
                let mut theirs = Vec::new();
                let lev = fst::automaton::Levenshtein::new(q, u32::from(d)).unwrap();
                let mut s = set.search(lev).into_stream();
                while let Some(k) = s.next() {
                    theirs.push(k.to_vec());
                }
                assert_eq!(ours, theirs, "{q} within {d}");
            }
        }
    }
}
