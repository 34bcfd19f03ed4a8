//! The one tokenizer of search: the index (at build time) and queries (at
//! run time) split text into words with it, so both agree.
//!
//! A word is a run of ASCII letters and digits, lower-cased. Accented Latin
//! letters fold to their base letter (`Ménière` → `meniere`); apostrophes
//! join (`Alzheimer's` → `alzheimers`); a single letter, a slash and a single
//! letter make one word, as in the CMS abbreviations `w/o` → `wo` and
//! `d/t` → `dt`. Every other character separates words.

/// Longest word kept, in bytes; longer runs are cut (no title word is this long).
pub const MAX_WORD: usize = 40;

/// Words that join others in titles; a query does not require them, and a
/// lexicon phrase may be typed without them (`t&a` for `t and a`).
pub const STOP_WORDS: &[&str] = &[
    "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
];

/// Calls `each(word, span)` for every word of `text`, in order; `span` is
/// the byte range of `text` the word was read from (for highlighting).
///
/// ```
/// let mut out = Vec::new();
/// medcode_tables::words::for_each_word("Fx of femur, w/o Ménière's", |w, _| out.push(w.to_owned()));
/// assert_eq!(out, ["fx", "of", "femur", "wo", "menieres"]);
/// ```
pub fn for_each_word(text: &str, mut each: impl FnMut(&str, std::ops::Range<usize>)) {
    let mut word = String::with_capacity(16);
    let mut start = 0;
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    // Whether the current word follows a `/` (then it never joins: `3A/B/C`).
    let mut after_slash = false;
    let mut last_sep = ' ';
    while let Some((at, ch)) = chars.next() {
        if let Some(folded) = fold(ch) {
            if word.is_empty() {
                start = at;
                after_slash = last_sep == '/';
            }
            if word.len() < MAX_WORD {
                word.push(folded);
            }
            end = at + ch.len_utf8();
            continue;
        }
        let next_is_letter = chars.peek().and_then(|&(_, c)| fold(c)).is_some();
        match ch {
            '\'' | '\u{2019}' if !word.is_empty() && next_is_letter => continue,
            '/' if word.len() == 1
                && !after_slash
                && chars.peek().is_some_and(|&(_, c)| c.is_ascii_alphabetic()) =>
            {
                // `w/o`: join only when the next word is one letter too.
                let mut ahead = chars.clone();
                ahead.next();
                let one = ahead
                    .peek()
                    .is_none_or(|&(_, c)| fold(c).is_none() && c != '/');
                if one && word.as_bytes()[0].is_ascii_alphabetic() {
                    continue;
                }
            }
            _ => {}
        }
        last_sep = ch;
        if !word.is_empty() {
            each(&word, start..end);
            word.clear();
        }
    }
    if !word.is_empty() {
        each(&word, start..end);
    }
}

/// The words of `text` (see [`for_each_word`]).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w, _| out.push(w.to_owned()));
    out
}

/// How many different words `text` has (see [`for_each_word`]), at most
/// 255: what search counts as a title's length, the same unit whichever way
/// the title is stored (`Fall (on)(from) escalator` has 4, `Fracture of
/// shaft of femur` 4).
///
/// ```
/// use medcode_tables::words::distinct_words;
/// assert_eq!(distinct_words("Fall (on)(from) escalator"), 4);
/// assert_eq!(distinct_words("Fracture of shaft of femur"), 4);
/// assert_eq!(distinct_words(""), 0);
/// ```
pub fn distinct_words(text: &str) -> u8 {
    let all = words(text);
    // A title has a few words: comparing each with those before it costs
    // less code in a wasm module than a sort of strings.
    let distinct = all
        .iter()
        .enumerate()
        .filter(|&(i, w)| !all[..i].contains(w))
        .count();
    u8::try_from(distinct).unwrap_or(u8::MAX)
}

/// A letter or digit folded to lower-case ASCII; `None` for anything else.
fn fold(ch: char) -> Option<char> {
    if ch.is_ascii_alphanumeric() {
        return Some(ch.to_ascii_lowercase());
    }
    let base = match ch {
        'À'..='Å' | 'à'..='å' => 'a',
        'Ç' | 'ç' => 'c',
        'È'..='Ë' | 'è'..='ë' => 'e',
        'Ì'..='Ï' | 'ì'..='ï' => 'i',
        'Ñ' | 'ñ' => 'n',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' => 'o',
        'Ù'..='Ü' | 'ù'..='ü' => 'u',
        'Ý' | 'ý' | 'ÿ' => 'y',
        _ => return None,
    };
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn punctuation_case_and_slashes() {
        assert_eq!(
            words("Type 2 diabetes-mellitus"),
            ["type", "2", "diabetes", "mellitus"]
        );
        assert_eq!(words("d/t"), ["dt"]);
        assert_eq!(words("wrs/hnd"), ["wrs", "hnd"]);
        assert_eq!(words("type I/2"), ["type", "i", "2"]);
        assert_eq!(words("3A/B/C"), ["3a", "b", "c"]);
        assert_eq!(words("a/b/c"), ["a", "b", "c"]);
        assert_eq!(words("'quoted' don't"), ["quoted", "dont"]);
        assert_eq!(words(""), Vec::<String>::new());
    }

    #[test]
    fn offsets_point_at_the_word() {
        let text = "Fracture of right femur, w/o Ménière's";
        let mut seen = Vec::new();
        for_each_word(text, |w, at| seen.push((w.to_owned(), &text[at])));
        assert_eq!(seen[2], ("right".to_owned(), "right"));
        assert_eq!(seen[4], ("wo".to_owned(), "w/o"));
        assert_eq!(seen[5], ("menieres".to_owned(), "Ménière's"));
    }

    proptest! {
        #[test]
        fn words_are_lowercase_ascii_and_stable(s in "\\PC{0,60}") {
            for w in words(&s) {
                prop_assert!(!w.is_empty() && w.len() <= MAX_WORD);
                prop_assert!(w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
                prop_assert_eq!(words(&w), vec![w.clone()]);
            }
        }
    }
}
