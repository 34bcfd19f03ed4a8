//! Did-you-mean for codes: the billable codes one edit away from what was
//! typed, and the completions of a code missing its 7th character.

use crate::codeset::CodeSet;
use medcode_tables::layout::expand;

/// Most suggestions returned.
pub const MAX_SUGGESTIONS: usize = 40;
const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The input as a key: upper case, every dot and surrounding space removed
/// (so a dot in the wrong place does not matter); `None` unless it is then
/// 2 to 8 ASCII letters and digits.
fn loose_key(input: &str) -> Option<Vec<u8>> {
    let key: Vec<u8> = input
        .trim()
        .bytes()
        .filter(|&b| b != b'.')
        .map(|b| b.to_ascii_uppercase())
        .collect();
    ((2..=8).contains(&key.len()) && key.iter().all(u8::is_ascii_alphanumeric)).then_some(key)
}

impl CodeSet {
    /// Suggestions for a code as typed (keys, no dot): when the input (dots
    /// ignored) is a code that needs a 7th character, its completions;
    /// otherwise the billable codes one edit away: a substituted, missing or
    /// extra character, two neighbours swapped, the O/0 and I/1 look-alikes
    /// (any number of them), a missing placeholder X. Empty for a billable
    /// code. Code order, at most [`MAX_SUGGESTIONS`].
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// assert!(cm.did_you_mean("E11.99").contains(&"E119".to_owned()));
    /// assert!(cm.did_you_mean("EI1.9").contains(&"E119".to_owned()));
    /// assert!(cm.did_you_mean("E1.19").contains(&"E119".to_owned()));
    /// assert_eq!(cm.did_you_mean("S72.001")[0], "S72001A");
    /// ```
    pub fn did_you_mean(&self, input: &str) -> Vec<String> {
        let Some(key) = loose_key(input) else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(&key).into_owned();
        if self.is_billable_key(&text) {
            // Billable once dots are ignored: suggest it unless it was typed right.
            let typed_right = crate::normalize::normalize(input).is_ok_and(|k| k.as_str() == text);
            return if typed_right { Vec::new() } else { vec![text] };
        }
        // A leaf that takes a 7th character: its completions.
        let base = text.trim_end_matches('X');
        for leaf in [text.as_str(), base] {
            if let Some(entry) = self
                .entry(leaf.as_bytes())
                .filter(|e| e.takes_seventh().is_some())
            {
                return self
                    .seventh_options(&entry)
                    .iter()
                    .map(|(c, _)| expand(leaf, *c as u8))
                    .filter(|k| self.is_billable_key(k))
                    .take(MAX_SUGGESTIONS)
                    .collect();
            }
        }
        let mut out: Vec<String> = Vec::new();
        let try_key = |k: &[u8], out: &mut Vec<String>| {
            if let Ok(s) = std::str::from_utf8(k) {
                if self.is_billable_key(s) && !out.iter().any(|x| x == s) {
                    out.push(s.to_owned());
                }
            }
        };
        // O/0 and I/1 look-alikes, every combination.
        let spots: Vec<usize> = (0..key.len())
            .filter(|&i| matches!(key[i], b'O' | b'0' | b'I' | b'1'))
            .take(6)
            .collect();
        for mask in 1u32..(1 << spots.len()) {
            let mut k = key.clone();
            for (bit, &i) in spots.iter().enumerate() {
                if mask >> bit & 1 == 1 {
                    k[i] = match k[i] {
                        b'O' => b'0',
                        b'0' => b'O',
                        b'I' => b'1',
                        _ => b'I',
                    };
                }
            }
            try_key(&k, &mut out);
        }
        // The placeholder X left out before a 7th character.
        if let Some((&last, head)) = key.split_last() {
            try_key(expand(&text[..head.len()], last).as_bytes(), &mut out);
        }
        let mut k = key.clone();
        for i in 0..key.len() {
            // Substitution.
            for &c in ALPHABET {
                if c != key[i] {
                    k[i] = c;
                    try_key(&k, &mut out);
                }
            }
            k[i] = key[i];
            // Transposition.
            if i + 1 < key.len() && key[i] != key[i + 1] {
                k.swap(i, i + 1);
                try_key(&k, &mut out);
                k.swap(i, i + 1);
            }
            // A character too many.
            let mut shorter = key.clone();
            shorter.remove(i);
            try_key(&shorter, &mut out);
        }
        // A character missing.
        for i in 0..=key.len() {
            for &c in ALPHABET {
                let mut longer = key.clone();
                longer.insert(i, c);
                try_key(&longer, &mut out);
            }
        }
        out.sort();
        out.truncate(MAX_SUGGESTIONS);
        out
    }
}
