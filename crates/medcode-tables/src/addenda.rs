//! The ICD-10-CM code-title addenda (`icd10cm_codes_addenda_YYYY.txt` of the
//! CMS/CDC code-descriptions release): the codes added, deleted and
//! retitled by a fiscal year's release.
//!
//! Layout: fixed width. Columns 1–13 hold the action (`Add:`, `Delete:`,
//! `Revise from:`, `Revise to:`), columns 14–21 the code without dot
//! (padded to 8), the title starts at column 22. A blank line ends the
//! entries (a trailer with counts follows).

use crate::error::{TableError, TableErrorKind};

/// What one release's addenda change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addenda {
    /// Codes added, with their titles, in file order.
    pub added: Vec<(String, String)>,
    /// Codes deleted, with their titles.
    pub deleted: Vec<(String, String)>,
    /// Codes retitled: code, the old title, the new title.
    pub revised: Vec<(String, String, String)>,
}

/// Reads an addenda file; `path` names it in errors.
///
/// ```
/// use medcode_tables::addenda::read;
/// let text = "Add:         D6911   Glanzmann thrombasthenia\r\n\
///             Delete:      D691    Qualitative platelet defects\r\n\
///             Revise from: Z2914   Encounter for prophylactic rabies immune globin\r\n\
///             Revise to:   Z2914   Encounter for prophylactic rabies immune globulin\r\n\
///             \r\nCodes\r\n";
/// let a = read("addenda.txt", text).unwrap();
/// assert_eq!(a.added, [("D6911".to_string(), "Glanzmann thrombasthenia".to_string())]);
/// assert_eq!(a.deleted[0].0, "D691");
/// assert_eq!(a.revised[0].2, "Encounter for prophylactic rabies immune globulin");
/// assert!(read("addenda.txt", "Moved:       D6911   x\n").unwrap_err().to_string().starts_with("addenda.txt:1: "));
/// ```
pub fn read(path: &str, text: &str) -> Result<Addenda, TableError> {
    let mut a = Addenda::default();
    let mut from: Option<(u32, String, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            break;
        }
        let bad = |what: &str| {
            TableError::new(
                path,
                n,
                TableErrorKind::BadField {
                    column: what.into(),
                    value: line.chars().take(40).collect(),
                    expected:
                        "an addenda line: action in columns 1-13, code in 14-21, title from 22",
                },
            )
        };
        let (action, rest) = (line.get(..13).ok_or_else(|| bad("action"))?, &line[13..]);
        let code = rest.get(..8).ok_or_else(|| bad("code"))?.trim().to_owned();
        let title = rest.get(8..).ok_or_else(|| bad("title"))?.trim().to_owned();
        if code.is_empty()
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            || title.is_empty()
        {
            return Err(bad("code"));
        }
        match action.trim() {
            "Add:" => a.added.push((code, title)),
            "Delete:" => a.deleted.push((code, title)),
            "Revise from:" => from = Some((n, code, title)),
            "Revise to:" => match from.take() {
                Some((_, c, old)) if c == code => a.revised.push((code, old, title)),
                _ => return Err(bad("action (a \"Revise to\" without its \"Revise from\")")),
            },
            _ => return Err(bad("action")),
        }
    }
    if let Some((n, code, _)) = from {
        return Err(TableError::new(
            path,
            n,
            TableErrorKind::Conflict(format!("{code}: \"Revise from\" without \"Revise to\"")),
        ));
    }
    Ok(a)
}
