//! Building an ICD-10-PCS code axis by axis: for a prefix of 0–6
//! characters, the characters that can follow it in a valid code, each with
//! its axis name, label and definition (where the tables give them). Only
//! valid codes can be reached: the allowed characters come from the codes
//! valid on the date, the labels from the embedded PCS tables
//! (`medcode_tables::axes_index`).

use crate::codeset::CodeSet;
use crate::fst_walk::for_each_key_under;
use crate::normalize::{normalize, InputError};
use medcode_tables::axes_index::{key as axis_key, AxisEntry};
use medcode_tables::history::decode_span;

/// One character that may come next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextChar {
    /// The character.
    pub ch: char,
    /// 1-based position it takes.
    pub position: u8,
    /// The axis name (`Body Part`), where known.
    pub axis: Option<String>,
    /// Its label (`Duodenum`), where known.
    pub label: Option<String>,
    /// Its definition (root operations, approaches), where known.
    pub definition: Option<String>,
    /// Codes valid on the date that start with the prefix and this character.
    pub codes: usize,
    /// The completed code when this is the 7th character.
    pub code: Option<String>,
}

/// Why a builder prefix was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuilderError {
    /// The input is not code-shaped.
    Input(InputError),
    /// Seven characters or more: the code is complete.
    TooLong(usize),
    /// This code set has no axis tables (not ICD-10-PCS).
    NotPcs,
}

impl std::fmt::Display for BuilderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuilderError::Input(e) => write!(f, "{e}"),
            BuilderError::TooLong(n) => {
                write!(f, "a prefix has 0-6 characters; this one has {n}")
            }
            BuilderError::NotPcs => write!(f, "only ICD-10-PCS codes are built axis by axis"),
        }
    }
}

impl std::error::Error for BuilderError {}

impl CodeSet {
    /// The characters that may follow `prefix` (0–6 characters, case and
    /// spaces ignored) in a code valid on `date` (`None`: the newest release),
    /// in character order.
    ///
    /// ```
    /// let pcs = medcode::CodeSet::icd10pcs();
    /// let next = pcs.next_characters("0DT", None).unwrap();
    /// let j = next.iter().find(|n| n.ch == 'J').unwrap();
    /// assert_eq!(j.position, 4);
    /// assert!(j.codes > 0);
    /// ```
    pub fn next_characters(
        &self,
        prefix: &str,
        date: Option<u32>,
    ) -> Result<Vec<NextChar>, BuilderError> {
        let axes = self.axes().ok_or(BuilderError::NotPcs)?;
        let key = if prefix.trim().is_empty() {
            String::new()
        } else {
            normalize(prefix)
                .map_err(BuilderError::Input)?
                .as_str()
                .to_owned()
        };
        if key.len() >= 7 {
            return Err(BuilderError::TooLong(key.len()));
        }
        let date = date.or(self.newest_date());
        let position = key.len() as u8 + 1;
        let mut counts: Vec<(char, usize, Option<String>)> = Vec::new();
        self.for_each_valid_code(&key, date, |code| {
            if let Some(ch) = code[key.len()..].chars().next() {
                match counts.last_mut() {
                    Some((c, n, _)) if *c == ch => *n += 1,
                    _ => counts.push((ch, 1, (position == 7).then(|| code.to_owned()))),
                }
            }
            true
        });
        Ok(counts
            .into_iter()
            .map(|(ch, codes, code)| {
                let entry = axis_key(position, &key, ch)
                    .and_then(|k| axes.map.get(k))
                    .map(AxisEntry::decode)
                    .unwrap_or_default();
                let text = |id: Option<u32>| id.and_then(|id| axes.text(id));
                NextChar {
                    ch,
                    position,
                    axis: text(entry.axis),
                    label: text(entry.label),
                    definition: text(entry.definition),
                    codes,
                    code,
                }
            })
            .collect())
    }

    /// The labels of each character of a PCS code: `(position, axis, label)`.
    pub fn axis_labels(&self, code: &str) -> Vec<(u8, Option<String>, Option<String>)> {
        let Some(axes) = self.axes() else {
            return Vec::new();
        };
        code.char_indices()
            .take(7)
            .map(|(i, ch)| {
                let position = i as u8 + 1;
                let entry = axis_key(position, &code[..i], ch)
                    .and_then(|k| axes.map.get(k))
                    .map(AxisEntry::decode)
                    .unwrap_or_default();
                let text = |id: Option<u32>| id.and_then(|id| axes.text(id));
                (position, text(entry.axis), text(entry.label))
            })
            .collect()
    }

    /// For a 7-character PCS key that is not valid on `date`: the first
    /// position whose character no valid code continues with, and the
    /// characters allowed there.
    pub fn first_bad_position(&self, key: &str, date: Option<u32>) -> Option<(u8, Vec<NextChar>)> {
        self.axes()?;
        let date = date.or(self.newest_date());
        // The first prefix no valid code extends; only the characters allowed
        // there are listed (one range walk, not one per position).
        let bad = (1..=key.len().min(7)).find(|&i| !self.extends_to_valid_code(&key[..i], date))?;
        let allowed = self.next_characters(&key[..bad - 1], date).ok()?;
        Some((bad as u8, allowed))
    }

    /// Whether some 7-character code valid on `date` starts with `prefix`.
    fn extends_to_valid_code(&self, prefix: &str, date: Option<u32>) -> bool {
        let mut found = false;
        self.for_each_valid_code(prefix, date, |_| {
            found = true;
            false
        });
        found
    }

    /// Calls `each` with every 7-character code under `prefix` valid on
    /// `date` (any date: `None`), in code order, until it returns false.
    /// On a date the history alone decides, as [`CodeSet::is_valid_on`]
    /// does: one walk over its spans under the prefix (a lookup per code of
    /// the code map made `nextCharacters('')` take 49 ms in wasm).
    fn for_each_valid_code(
        &self,
        prefix: &str,
        date: Option<u32>,
        mut each: impl FnMut(&str) -> bool,
    ) {
        let mut code_of = |k: &[u8]| match std::str::from_utf8(k) {
            Ok(code) if code.len() == 7 => each(code),
            _ => true,
        };
        match (self.history(), date) {
            (Some(h), Some(d)) => for_each_key_under(h.map(), prefix.as_bytes(), |k, span| {
                let valid = decode_span(span).contains(d) && !h.in_gap(k, d);
                !valid || code_of(k)
            }),
            _ => for_each_key_under(self.map(), prefix.as_bytes(), |k, _| code_of(k)),
        }
    }
}
