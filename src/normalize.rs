//! Turns what a user typed into a lookup key: trimmed, upper case, no dot.

use std::fmt;

/// Longest key that is looked at: characters after trimming, not counting
/// the dot (so a key's dotted form is accepted as well as the key).
pub const MAX_INPUT: usize = medcode_tables::layout::MAX_CODE_LEN;

/// A normalized key: ASCII upper-case letters, digits and at most one `-`
/// (block ranges such as `A00-A09`), at most [`MAX_INPUT`] bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Key {
    bytes: [u8; MAX_INPUT],
    len: u8,
}

impl Key {
    /// The key's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The key as a code is written: a dot after the third character of a
    /// code longer than three (`E119` → `E11.9`); blocks and chapters unchanged.
    pub fn dotted(&self) -> String {
        dotted(self.as_str())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({:?})", self.as_str())
    }
}

/// Writes a code key in its dotted form (`S72001A` → `S72.001A`).
///
/// ```
/// assert_eq!(medcode::normalize::dotted("E119"), "E11.9");
/// assert_eq!(medcode::normalize::dotted("E11"), "E11");
/// assert_eq!(medcode::normalize::dotted("A00-A09"), "A00-A09");
/// ```
pub fn dotted(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 1);
    push_dotted(&mut out, key);
    out
}

/// Appends a key in its dotted form to `out` (see [`dotted`]), without allocating.
pub fn push_dotted(out: &mut String, key: &str) {
    match (key.get(..3), key.get(3..)) {
        (Some(head), Some(tail))
            if !tail.is_empty()
                && !key.contains('-')
                && key.as_bytes()[0].is_ascii_alphabetic() =>
        {
            out.push_str(head);
            out.push('.');
            out.push_str(tail);
        }
        _ => out.push_str(key),
    }
}

/// Why an input is not a well-formed code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than [`MAX_INPUT`] characters after trimming (a dot not counted).
    TooLong {
        /// Length in characters.
        chars: usize,
    },
    /// A character that never appears in a code.
    BadCharacter {
        /// The character.
        ch: char,
        /// 1-based position in the trimmed input.
        at: usize,
    },
    /// A dot anywhere but after the third character, or more than one.
    MisplacedDot {
        /// 1-based position of the offending dot.
        at: usize,
    },
    /// A dash that does not separate two three-character categories.
    MisplacedDash,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => f.write_str("it is empty"),
            InputError::TooLong { chars } => write!(f, "it is {chars} characters long; codes have at most 8"),
            InputError::BadCharacter { ch, at } if !ch.is_ascii() && ch.is_alphanumeric() => write!(
                f,
                "character {at} is {ch:?} (U+{:04X}), not an ASCII letter or digit; full-width and look-alike characters are not accepted",
                *ch as u32
            ),
            InputError::BadCharacter { ch, at } => write!(f, "character {at} is {ch:?} (U+{:04X}), which never appears in a code", *ch as u32),
            InputError::MisplacedDot { at } => write!(f, "the dot at position {at} is misplaced; the dot follows the third character (E11.9)"),
            InputError::MisplacedDash => f.write_str("a dash only separates two categories of a block range (A00-A09)"),
        }
    }
}

/// Normalizes a code as typed: trims whitespace, upper-cases, removes the dot.
///
/// ```
/// use medcode::normalize::normalize;
/// assert_eq!(normalize(" e11.9 ").unwrap().as_str(), "E119");
/// assert_eq!(normalize("S72001a").unwrap().as_str(), "S72001A");
/// assert!(normalize("E11..9").is_err());
/// assert!(normalize("E 11.9").is_err());
/// ```
pub fn normalize(input: &str) -> Result<Key, InputError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    if trimmed.len() > (MAX_INPUT + 1) * 4 {
        return Err(InputError::TooLong {
            chars: trimmed.chars().take(1 << 20).count(),
        });
    }
    let chars = trimmed.chars().count();
    // One more character may be the dot; the loop checks the key's length.
    if chars > MAX_INPUT + 1 {
        return Err(InputError::TooLong { chars });
    }
    let mut key = Key {
        bytes: [0; MAX_INPUT],
        len: 0,
    };
    let mut dot_seen = false;
    let mut dash_at = None;
    for (i, ch) in trimmed.chars().enumerate() {
        match ch {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' if key.len as usize == MAX_INPUT => {
                return Err(InputError::TooLong { chars })
            }
            'a'..='z' | 'A'..='Z' | '0'..='9' => {
                key.bytes[key.len as usize] = ch.to_ascii_uppercase() as u8;
                key.len += 1;
            }
            '.' if !dot_seen && key.len == 3 && dash_at.is_none() => dot_seen = true,
            '.' => return Err(InputError::MisplacedDot { at: i + 1 }),
            '-' if dash_at.is_none() && !dot_seen => {
                dash_at = Some(key.len);
                key.bytes[key.len as usize] = b'-';
                key.len += 1;
            }
            '-' => return Err(InputError::MisplacedDash),
            _ => return Err(InputError::BadCharacter { ch, at: i + 1 }),
        }
    }
    if let Some(at) = dash_at {
        if at != 3 || key.len != 7 {
            return Err(InputError::MisplacedDash);
        }
    }
    Ok(key)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepted_forms() {
        for input in ["E11.9", "e119", " E11.9 ", "E119", "\tE11.9\n", "e11.9"] {
            assert_eq!(
                normalize(input).map(|k| k.dotted()),
                Ok("E11.9".to_owned()),
                "{input:?}"
            );
        }
        assert_eq!(normalize("a00-a09").unwrap().as_str(), "A00-A09");
        assert_eq!(normalize("E11.").unwrap().as_str(), "E11");
    }

    #[test]
    fn rejected_forms_say_why() {
        assert_eq!(normalize("E11..9"), Err(InputError::MisplacedDot { at: 5 }));
        assert_eq!(normalize("E1.19"), Err(InputError::MisplacedDot { at: 3 }));
        assert_eq!(
            normalize("E 11.9"),
            Err(InputError::BadCharacter { ch: ' ', at: 2 })
        );
        assert_eq!(normalize(""), Err(InputError::Empty));
        assert_eq!(
            normalize(&"E".repeat(40)),
            Err(InputError::TooLong { chars: 40 })
        );
        assert_eq!(
            normalize("Ｅ１１"),
            Err(InputError::BadCharacter { ch: 'Ｅ', at: 1 })
        );
        assert_eq!(normalize("E11-"), Err(InputError::MisplacedDash));
        assert!(normalize("E11\u{FFFD}").is_err());
        let huge = "9".repeat(16 << 20);
        assert!(matches!(normalize(&huge), Err(InputError::TooLong { .. })));
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(s in "\\PC{0,20}") {
            if let Ok(k) = normalize(&s) {
                prop_assert_eq!(normalize(k.as_str()), Ok(k));
                prop_assert_eq!(normalize(&k.dotted()), Ok(k));
            }
        }

        #[test]
        fn case_dot_and_spaces_never_change_the_key(code in "[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}", pad in " {0,3}") {
            let plain = normalize(&code).unwrap();
            let dotted = dotted(&code);
            for variant in [code.to_lowercase(), dotted.clone(), dotted.to_lowercase(), format!("{pad}{dotted}{pad}")] {
                prop_assert_eq!(normalize(&variant), Ok(plain));
            }
        }
    }
}
