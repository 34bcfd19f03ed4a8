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
    words_of(text, &mut each)
}

/// [`for_each_word`], compiled once for every caller (a wasm module has one
/// copy of the tokenizer, not one per closure).
#[inline(never)]
fn words_of(text: &str, each: &mut dyn FnMut(&str, std::ops::Range<usize>)) {
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

/// How many different words `text` has (see [`for_each_word`]; with
/// `clauses`, words only in a clause of what the code lacks or leaves
/// unknown are not counted: [`for_each_title_word`]), at most 255: what
/// search counts as a title's length, the same unit whichever way the title
/// is stored (`Fall (on)(from) escalator` has 4, `Fracture of shaft of
/// femur` 4).
///
/// ```
/// use medcode_tables::words::distinct_words;
/// assert_eq!(distinct_words("Fall (on)(from) escalator", false), 4);
/// assert_eq!(distinct_words("Fracture of shaft of femur", false), 4);
/// let hernia = "Unspecified abdominal hernia without obstruction or gangrene";
/// assert_eq!(distinct_words(hernia, false), 7);
/// assert_eq!(distinct_words(hernia, true), 4);
/// assert_eq!(distinct_words("", true), 0);
/// ```
pub fn distinct_words(text: &str, clauses: bool) -> u8 {
    let mut all: Vec<(String, bool)> = Vec::new();
    for_each_title_word(text, |w, in_clause| {
        all.push((w.to_owned(), in_clause && clauses))
    });
    // A title has a few words: comparing each with those before it costs
    // less code in a wasm module than a sort of strings.
    let distinct = all
        .iter()
        .enumerate()
        .filter(|&(i, (w, in_clause))| {
            !in_clause && !all[..i].iter().any(|(x, inside)| x == w && !inside)
        })
        .count();
    u8::try_from(distinct).unwrap_or(u8::MAX)
}

/// Calls `each(word, in_clause)` for every word of title `text`, in order
/// (the words of [`for_each_word`]); `in_clause` says the word is in a
/// clause naming what the code does not have (`without obstruction or
/// gangrene`) or what the record leaves unknown (`unspecified whether with
/// hypoxia or hypercapnia`): search does not count such words as the
/// title's and ranks a query word found only there as it ranks one found
/// only in an inclusion term. Titles are read token by token (runs between
/// spaces, as the title store keeps them: see [`Clauses`]).
///
/// ```
/// let mut inside = Vec::new();
/// medcode_tables::words::for_each_title_word(
///     "Calculus of gallbladder without cholecystitis with obstruction",
///     |w, in_clause| if in_clause { inside.push(w.to_owned()) },
/// );
/// assert_eq!(inside, ["cholecystitis"]);
/// ```
pub fn for_each_title_word(text: &str, mut each: impl FnMut(&str, bool)) {
    let mut clauses = Clauses::default();
    for token in text.split(' ') {
        let in_clause = clauses.step(TokenClass::of(token.as_bytes()));
        for_each_word(token, |w, _| each(w, in_clause));
    }
}

/// What one title token (a run between spaces) does to a clause of
/// [`Clauses`]: bits read off its text alone, so the compiler (from title
/// text) and the runtime (from the title store's dictionary words, which
/// are these tokens) classify alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenClass(u8);

impl TokenClass {
    const WITHOUT: u8 = 1;
    const UNSPECIFIED: u8 = 2;
    /// `whether`, `as`, `stage`, `side`, `ear` or `eye`: after
    /// `unspecified`, the start of a clause of what the record leaves
    /// unknown.
    const LEFT_UNKNOWN: u8 = 4;
    const WITH: u8 = 8;
    /// Ends in `,` `;` `:` or `)`: a clause ends after it.
    const ENDS: u8 = 16;
    /// Starts with `(`: a clause ends before it.
    const OPENS: u8 = 32;
    /// `body`, `extension` or `fracture`: in a `without` clause, an `of`
    /// right after it starts the code's site, outside the clause.
    const SITE_NOUN: u8 = 64;
    /// `of`.
    const OF: u8 = 128;

    /// The class of `token` (its UTF-8 bytes).
    ///
    /// ```
    /// use medcode_tables::words::TokenClass;
    /// assert_eq!(TokenClass::of(b"hernia"), TokenClass::default());
    /// assert_ne!(TokenClass::of(b"Without"), TokenClass::default());
    /// assert_ne!(TokenClass::of(b"failure,"), TokenClass::default());
    /// ```
    pub fn of(token: &[u8]) -> TokenClass {
        // Plain byte steps: this runs in the page over every dictionary word.
        let mut core = token;
        let mut bits = 0;
        if let [b'(', rest @ ..] = core {
            bits |= Self::OPENS;
            core = rest;
        }
        if let [rest @ .., b',' | b';' | b':' | b')'] = core {
            bits |= Self::ENDS;
            core = rest;
        }
        // A keyword by its first letter and length, then its letters (this
        // runs in the page over every dictionary word: no copies).
        let is = |w: &[u8]| {
            core.iter()
                .zip(w)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        };
        bits |= match (core.first().map(u8::to_ascii_lowercase), core.len()) {
            (Some(b'w'), 7) if is(b"without") => Self::WITHOUT,
            (Some(b'w'), 7) if is(b"whether") => Self::LEFT_UNKNOWN,
            (Some(b'w'), 3) if is(b"w/o") => Self::WITHOUT,
            (Some(b'w'), 4) if is(b"with") => Self::WITH,
            (Some(b'w'), 1) => Self::WITH,
            (Some(b'u'), 11) if is(b"unspecified") => Self::UNSPECIFIED,
            (Some(b'a'), 2) if is(b"as") => Self::LEFT_UNKNOWN,
            (Some(b's'), 5) if is(b"stage") => Self::LEFT_UNKNOWN,
            (Some(b's'), 4) if is(b"side") => Self::LEFT_UNKNOWN,
            (Some(b'e'), 3) if is(b"ear") || is(b"eye") => Self::LEFT_UNKNOWN,
            (Some(b'o'), 2) if is(b"of") => Self::OF,
            (Some(b'b'), 4) if is(b"body") => Self::SITE_NOUN,
            (Some(b'e'), 9) if is(b"extension") => Self::SITE_NOUN,
            (Some(b'f'), 8) if is(b"fracture") => Self::SITE_NOUN,
            _ => 0,
        };
        TokenClass(bits)
    }

    /// Whether a clause can start after this token (`without`,
    /// `unspecified`): a title without such a token has no clause.
    pub fn opens(self) -> bool {
        self.has(Self::WITHOUT | Self::UNSPECIFIED)
    }

    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

/// Reads a title's tokens in order and tells which are in a clause: after
/// `without` up to a `with`, or `unspecified` followed by `whether`, `as`,
/// `stage`, `side`, `ear` or `eye` (the clause holds that word and what
/// follows: "…, unspecified stage", "Tinnitus, unspecified ear") up to the
/// end; either clause also
/// ends after a token ending in `,` `;` `:` `)` and before one starting
/// with `(`. A `without` clause also ends before an `of` right after
/// `body`, `extension` or `fracture`: what follows is the code's site, as
/// in the open-wound and fracture titles (`Laceration without foreign body
/// of scalp`, `… without intracondylar extension of lower end of femur`),
/// while `without loss of consciousness` stays one clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clauses {
    state: ClauseState,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum ClauseState {
    #[default]
    Outside,
    /// After a token `unspecified`: a clause if a [`TokenClass::LEFT_UNKNOWN`]
    /// token follows.
    AfterUnspecified,
    /// In a `without` clause.
    Lacks,
    /// In a `without` clause, right after `body`, `extension` or
    /// `fracture`: an `of` now ends it.
    BeforeSite,
    /// In a clause of what the record leaves unknown (`unspecified whether`,
    /// `unspecified stage`, `unspecified ear`).
    Unknown,
}

impl Clauses {
    /// Whether no clause is open: then only a token that
    /// [`TokenClass::opens`] can change that.
    #[inline]
    pub fn outside(&self) -> bool {
        self.state == ClauseState::Outside
    }

    /// Whether the next token, of class `class`, is in a clause.
    #[inline]
    pub fn step(&mut self, class: TokenClass) -> bool {
        use ClauseState::*;
        // Most tokens: a plain word outside any clause.
        if class.0 == 0 && self.state == Outside {
            return false;
        }
        if class.has(TokenClass::OPENS) {
            self.state = Outside;
        }
        let with = class.has(TokenClass::WITH);
        let (inside, next) = match self.state {
            BeforeSite if class.has(TokenClass::OF) => (false, Outside),
            Lacks | BeforeSite if !with => {
                let site_next = class.has(TokenClass::SITE_NOUN);
                (true, if site_next { BeforeSite } else { Lacks })
            }
            Unknown => (true, Unknown),
            AfterUnspecified if class.has(TokenClass::LEFT_UNKNOWN) => (true, Unknown),
            _ if class.has(TokenClass::WITHOUT) => (false, Lacks),
            _ if class.has(TokenClass::UNSPECIFIED) => (false, AfterUnspecified),
            _ => (false, Outside),
        };
        self.state = if class.has(TokenClass::ENDS) {
            Outside
        } else {
            next
        };
        inside
    }
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

    fn clause_words(title: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_title_word(title, |w, inside| {
            if inside {
                out.push(w.to_owned())
            }
        });
        out
    }

    #[test]
    fn clauses_of_what_a_code_lacks_or_leaves_unknown() {
        assert_eq!(
            clause_words(
                "Respiratory failure, unspecified, unspecified whether with hypoxia or hypercapnia"
            ),
            ["whether", "with", "hypoxia", "or", "hypercapnia"]
        );
        assert_eq!(
            clause_words("Acute peptic ulcer, site unspecified, without hemorrhage or perforation"),
            ["hemorrhage", "or", "perforation"]
        );
        assert_eq!(
            clause_words("Unspecified abdominal hernia with obstruction, without gangrene"),
            ["gangrene"]
        );
        assert_eq!(
            clause_words("Calculus of gallbladder without cholecystitis with obstruction"),
            ["cholecystitis"]
        );
        assert_eq!(
            clause_words("Peptic ulcer, unspecified as acute or chronic, without hemorrhage"),
            ["as", "acute", "or", "chronic", "hemorrhage"]
        );
        // The stage a pressure ulcer's record leaves unknown; a stage named is the title's.
        assert_eq!(
            clause_words("Pressure ulcer of unspecified heel, unspecified stage"),
            ["stage"]
        );
        assert_eq!(
            clause_words("Pressure ulcer of unspecified heel, stage 2"),
            Vec::<String>::new()
        );
        // The side the record leaves unknown; a site named after `unspecified` is the title's.
        assert_eq!(clause_words("Tinnitus, unspecified ear"), ["ear"]);
        assert_eq!(clause_words("Sciatica, unspecified side"), ["side"]);
        assert_eq!(
            clause_words("Hordeolum externum unspecified eye, unspecified eyelid"),
            ["eye"]
        );
        assert_eq!(
            clause_words("Migraine without aura, not intractable"),
            ["aura"]
        );
        assert_eq!(
            clause_words("Unspecified injury of head"),
            Vec::<String>::new()
        );
        assert_eq!(
            clause_words("Fracture without (displacement)"),
            Vec::<String>::new()
        );
        // The site after `body of`, `extension of`, `fracture of` is the code's.
        assert_eq!(
            clause_words("Laceration without foreign body of scalp, initial encounter"),
            ["foreign", "body"]
        );
        assert_eq!(
            clause_words(
                "Laceration without foreign body of right index finger without damage to nail"
            ),
            ["foreign", "body", "damage", "to", "nail"]
        );
        assert_eq!(
            clause_words("Torus fracture without intracondylar extension of lower end of femur"),
            ["intracondylar", "extension"]
        );
        assert_eq!(
            clause_words("Concussion without loss of consciousness"),
            ["loss", "of", "consciousness"]
        );
        // A word in a clause and outside it is the title's (`without` is counted: search drops generic words later).
        assert_eq!(distinct_words("Ulcer without ulcer", true), 2);
        let title =
            "Respiratory failure, unspecified, unspecified whether with hypoxia or hypercapnia";
        assert_eq!(distinct_words(title, true), 3);
        assert_eq!(distinct_words(title, false), 8);
    }

    proptest! {
        #[test]
        fn title_words_are_the_words(s in "\\PC{0,60}") {
            let mut read = Vec::new();
            for_each_title_word(&s, |w, _| read.push(w.to_owned()));
            prop_assert_eq!(read, words(&s));
        }

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
