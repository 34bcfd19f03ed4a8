//! Input normalization on arbitrary bytes: never panics, is idempotent,
//! agrees with the grammar below, and the fast `isValid` path
//! (byte-wise packing into a hash set) answers as the FST lookup does.
//!
//! The grammar, after trimming whitespace: `alnum{1,16}` |
//! `alnum{3} "." alnum{0,13}` | `alnum{3} "-" alnum{3}`; the key is the
//! input upper-cased with its dot removed (at most 16 characters).

#![no_main]

use libfuzzer_sys::fuzz_target;
use medcode::billable::{pack, pack_input};
use medcode::normalize::{normalize, InputError, MAX_INPUT};
use medcode::CodeSet;

/// The documented grammar, written independently of `normalize`.
fn spec(input: &str) -> Option<String> {
    let chars: Vec<char> = input.trim().chars().collect();
    let alnum = |s: &[char]| s.iter().all(|c| c.is_ascii_alphanumeric());
    let n = chars.len();
    let ok = (alnum(&chars) && (1..=MAX_INPUT).contains(&n))
        || (n >= 4
            && n <= MAX_INPUT + 1
            && alnum(&chars[..3])
            && chars[3] == '.'
            && alnum(&chars[4..]))
        || (n == 7 && alnum(&chars[..3]) && chars[3] == '-' && alnum(&chars[4..]));
    ok.then(|| {
        chars
            .iter()
            .filter(|&&c| c != '.')
            .map(|c| c.to_ascii_uppercase())
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let cm = CodeSet::icd10cm();
    // The fast path and the FST agree, for any bytes.
    let text = std::str::from_utf8(data).ok();
    let key = text.and_then(|t| normalize(t).ok());
    assert_eq!(
        pack_input(data),
        key.and_then(|k| pack(k.as_bytes())),
        "{data:?}"
    );
    let billable = key.is_some_and(|k| cm.entry(k.as_bytes()).is_some_and(|e| e.billable));
    assert_eq!(cm.is_valid_bytes(data), billable, "{data:?}");

    let Some(input) = text else { return };
    let result = normalize(input);
    assert_eq!(
        result.as_ref().ok().map(|k| k.as_str().to_owned()),
        spec(input),
        "{input:?}"
    );
    match result {
        Ok(k) => {
            // Idempotent, in plain and dotted form; case, dot and padding never matter.
            assert_eq!(normalize(k.as_str()), Ok(k));
            assert_eq!(normalize(&k.dotted()), Ok(k));
            assert_eq!(normalize(&k.dotted().to_ascii_lowercase()), Ok(k));
            assert_eq!(normalize(&input.to_ascii_lowercase()), Ok(k));
            assert_eq!(normalize(&format!(" \t{input}\n ")), Ok(k));
            assert_eq!(cm.lookup(input).ok().flatten(), cm.concept(k.as_str()));
            assert_eq!(cm.is_valid(input), billable);
        }
        Err(e) => {
            let trimmed: Vec<char> = input.trim().chars().collect();
            let allowed = |c: &char| c.is_ascii_alphanumeric() || *c == '.' || *c == '-';
            match e {
                InputError::Empty => assert!(trimmed.is_empty()),
                InputError::TooLong { chars } => {
                    assert!(chars > MAX_INPUT);
                    assert_eq!(chars, trimmed.len());
                }
                InputError::BadCharacter { ch, at } => {
                    assert_eq!(trimmed.get(at - 1), Some(&ch));
                    assert!(!allowed(&ch));
                    assert!(trimmed[..at - 1].iter().all(allowed));
                }
                InputError::MisplacedDot { at } => assert_eq!(trimmed.get(at - 1), Some(&'.')),
                InputError::MisplacedDash => assert!(trimmed.contains(&'-')),
            }
            assert_eq!(cm.lookup(input).ok(), None);
            assert!(!cm.is_valid(input));
            assert!(!cm.validate(input).result);
        }
    }
});
