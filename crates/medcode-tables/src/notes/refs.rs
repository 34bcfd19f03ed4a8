//! Finds the code references written inside note text: single codes (`E11.9`,
//! `E11`), codes with a dash for "a code under it" (`S72.0-`, `Z16.-`) and
//! ranges (`E08-E13`, `A04.0-A04.4`, `F11.-F17.-`). The scanner only reads
//! shapes; whether a reference names a key of the tabular is decided by
//! [`Reference::resolves`] against the code map.

/// A code reference found in a note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Byte offset of the reference in the text.
    pub start: usize,
    /// Byte offset just past the reference (`text[start..end]` is it as written).
    pub end: usize,
    /// Key (upper case, no dot) of the code, or of the first code of a range.
    pub first: String,
    /// Key of the last code of a range; `None` for a single code.
    pub last: Option<String>,
    /// Whether a single code is written with a dash (`S72.0-`, `Z16.-`): a
    /// code under it is meant, the code itself is incomplete.
    pub incomplete: bool,
}

impl Reference {
    /// Whether every code the reference names is a key (`contains` asks the code map).
    ///
    /// ```
    /// let r = &medcode_tables::notes::refs::scan("diabetes (E08-E13)")[0];
    /// assert!(r.resolves(|k| k == "E08" || k == "E13"));
    /// assert!(!r.resolves(|k| k == "E08"));
    /// ```
    pub fn resolves(&self, contains: impl Fn(&str) -> bool) -> bool {
        contains(&self.first) && self.last.as_deref().is_none_or(contains)
    }

    /// The key a block with exactly this range would have (`E08-E13`), for a range.
    pub fn block_key(&self) -> Option<String> {
        Some(format!("{}-{}", self.first, self.last.as_deref()?))
    }
}

/// A code shape at some offset: its key, where it ends, and whether it ended in `.-`.
struct Shape {
    key: String,
    end: usize,
    dot_dash: bool,
}

fn is_code_char(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

/// `[A-Z][0-9][0-9A-Z]` then optionally `.` and 1 to 4 of `[0-9A-Z]`, or `.-`.
fn shape_at(b: &[u8], i: usize) -> Option<Shape> {
    let head = b.get(i..i + 3)?;
    if !(head[0].is_ascii_uppercase() && head[1].is_ascii_digit() && is_code_char(head[2])) {
        return None;
    }
    let mut key = String::with_capacity(7);
    key.extend(head.iter().map(|&c| c as char));
    let mut end = i + 3;
    if b.get(end) == Some(&b'.') {
        let tail = b[end + 1..]
            .iter()
            .take(5)
            .take_while(|&&c| is_code_char(c))
            .count();
        match tail {
            1..=4 => {
                key.extend(b[end + 1..end + 1 + tail].iter().map(|&c| c as char));
                end += 1 + tail;
                // `F98.2.-` (written once in the FY2026 tabular) reads as `F98.2-`.
                if b.get(end..end + 2) == Some(b".-".as_slice()) {
                    return Some(Shape {
                        key,
                        end: end + 2,
                        dot_dash: true,
                    });
                }
            }
            0 if b.get(end + 1) == Some(&b'-') => {
                return Some(Shape {
                    key,
                    end: end + 2,
                    dot_dash: true,
                })
            }
            // Five or more characters after the dot: not a code.
            0 => {}
            _ => return None,
        }
    }
    Some(Shape {
        key,
        end,
        dot_dash: false,
    })
}

/// Every code reference in `text`, in order.
///
/// ```
/// use medcode_tables::notes::refs::scan;
/// let found = scan("diabetes (E08-E13), fracture (S72.0-), use Z79.4; not B12 deficiency H1N1");
/// let shown: Vec<_> = found.iter().map(|r| (r.first.as_str(), r.last.as_deref(), r.incomplete)).collect();
/// assert_eq!(shown, [("E08", Some("E13"), false), ("S720", None, true), ("Z794", None, false), ("B12", None, false)]);
/// assert_eq!(&"(F11.-F17.-)"[scan("(F11.-F17.-)")[0].start..scan("(F11.-F17.-)")[0].end], "F11.-F17.-");
/// ```
pub fn scan(text: &str) -> Vec<Reference> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let Some(first) = boundary.then(|| shape_at(b, i)).flatten() else {
            i += 1;
            continue;
        };
        let mut end = first.end;
        let mut last = None;
        let mut incomplete = first.dot_dash;
        // `F11.-F17.-`: the dash of `.-` also separates the range.
        let second_at = match (first.dot_dash, b.get(end)) {
            (true, _) => Some(end),
            (false, Some(b'-')) => Some(end + 1),
            _ => None,
        };
        if let Some(second) = second_at.and_then(|at| shape_at(b, at)) {
            end = second.end;
            // A trailing dash on the last code of a range (`K85-K86.-` is
            // read above; `I47-I49-` here) belongs to the range.
            if !second.dot_dash && b.get(end) == Some(&b'-') {
                end += 1;
            }
            last = Some(second.key);
            incomplete = false;
        } else if !first.dot_dash && b.get(end) == Some(&b'-') {
            incomplete = true;
            end += 1;
        }
        if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        out.push(Reference {
            start: i,
            end,
            first: first.key,
            last,
            incomplete,
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<(String, Option<String>, bool, &str)> {
        scan(text)
            .into_iter()
            .map(|r| (r.first, r.last, r.incomplete, &text[r.start..r.end]))
            .collect()
    }

    #[test]
    fn shapes_written_in_the_tabular() {
        let s = |a: &str, b: Option<&str>, inc: bool, t: &'static str| {
            (a.to_owned(), b.map(str::to_owned), inc, t)
        };
        assert_eq!(
            shown("hepatitis B (B16.-, B18.0-B18.1)"),
            [
                s("B16", None, true, "B16.-"),
                s("B180", Some("B181"), false, "B18.0-B18.1")
            ]
        );
        assert_eq!(
            shown("(K85-K86.-) and R70-R94."),
            [
                s("K85", Some("K86"), false, "K85-K86.-"),
                s("R70", Some("R94"), false, "R70-R94")
            ]
        );
        assert_eq!(
            shown("T36.0X5- M1A.- O9A.1"),
            [
                s("T360X5", None, true, "T36.0X5-"),
                s("M1A", None, true, "M1A.-"),
                s("O9A1", None, false, "O9A.1")
            ]
        );
        assert_eq!(
            shown("(F98.2.-F98.3) F98.2.-"),
            [
                s("F982", Some("F983"), false, "F98.2.-F98.3"),
                s("F982", None, true, "F98.2.-")
            ]
        );
        assert_eq!(
            shown("(F10.-F19.-) malaria (B50.0-B54)"),
            [
                s("F10", Some("F19"), false, "F10.-F19.-"),
                s("B500", Some("B54"), false, "B50.0-B54")
            ]
        );
    }

    #[test]
    fn words_that_only_look_like_codes_are_skipped() {
        assert!(scan("HbA1c H1N1 C1-C4 e11.9 A1 E119x S72.00001 T4").is_empty());
        assert!(scan("").is_empty());
        assert!(scan("ü E").is_empty());
        assert_eq!(shown("5 É E11")[0].3, "E11");
    }

    #[test]
    fn offsets_slice_the_text_at_character_boundaries() {
        let text = "Ménière (H81.0-) — naïve Z16.-";
        for r in scan(text) {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
        assert_eq!(scan(text).len(), 2);
    }
}
