//! CPT code format. CPT content (titles, the code list) belongs to the AMA and
//! never ships with medcode; without a licensed table only the form of a code
//! can be checked. [`category`] is a pure function the runtime uses as is.
//!
//! A licensee compiles their own table from a flat TSV (see
//! [`crate::flat`]; with the `compile` feature, `read_licensed`), every
//! non-heading code of which must have one of these forms.

use std::fmt;

/// The CPT category a well-formed code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Category I: five digits, e.g. `99213`.
    I,
    /// Category II (performance measurement): four digits and `F`, e.g. `0001F`.
    II,
    /// Category III (emerging technology): four digits and `T`, e.g. `0042T`.
    III,
    /// Proprietary Laboratory Analyses: four digits and `U`, e.g. `0001U`.
    Pla,
}

impl Category {
    /// A short name: `Category I`, `Category II`, `Category III`, `PLA`.
    pub fn name(self) -> &'static str {
        match self {
            Category::I => "Category I",
            Category::II => "Category II",
            Category::III => "Category III",
            Category::Pla => "PLA",
        }
    }
}

/// Why a string is not a CPT code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatError {
    /// Not five characters long.
    Length(usize),
    /// One of the first four characters is not a digit (1-based position).
    NotDigit(usize),
    /// The fifth character is neither a digit nor `F`, `T` or `U`.
    BadLast(char),
}

impl FormatError {
    /// The expected forms, for messages.
    pub const EXPECTED: &'static str =
        "a CPT code: five digits (Category I), or four digits and F (II), T (III) or U (PLA)";
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Length(n) => write!(f, "{n} characters, a CPT code has 5"),
            FormatError::NotDigit(p) => write!(f, "position {p} must be a digit"),
            FormatError::BadLast(c) => write!(
                f,
                "position 5 is {c:?}: a digit (Category I), F (II), T (III) or U (PLA)"
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// The category of `code` by form alone (the letter may be either case), or
/// why it has no CPT form. Says nothing about whether the code exists.
///
/// ```
/// use medcode_tables::cpt::{category, Category, FormatError};
/// assert_eq!(category("99213"), Ok(Category::I));
/// assert_eq!(category("0001F"), Ok(Category::II));
/// assert_eq!(category("0042t"), Ok(Category::III));
/// assert_eq!(category("0001U"), Ok(Category::Pla));
/// assert_eq!(category("J1234"), Err(FormatError::NotDigit(1)));
/// assert_eq!(category("0001X"), Err(FormatError::BadLast('X')));
/// ```
pub fn category(code: &str) -> Result<Category, FormatError> {
    // Read without collecting the characters: `isValid` on a format-only
    // CPT module is this function, called once per code.
    let n = code.chars().count();
    if n != 5 {
        return Err(FormatError::Length(n));
    }
    let mut chars = code.chars();
    for position in 1..=4 {
        if !chars.next().is_some_and(|c| c.is_ascii_digit()) {
            return Err(FormatError::NotDigit(position));
        }
    }
    match chars.next().map(|c| c.to_ascii_uppercase()) {
        Some('0'..='9') => Ok(Category::I),
        Some('F') => Ok(Category::II),
        Some('T') => Ok(Category::III),
        Some('U') => Ok(Category::Pla),
        Some(c) => Err(FormatError::BadLast(c)),
        None => Err(FormatError::Length(n)),
    }
}

/// Reads a licensee's CPT table: a flat TSV whose non-heading codes all have
/// a CPT form (errors `path:line: what`). The system is set to `CPT` unless
/// the file names one.
#[cfg(feature = "compile")]
pub fn read_licensed(
    path: &str,
    text: &str,
) -> Result<crate::flat::FlatTable, crate::error::TableError> {
    let mut table = crate::flat::read_tsv_checked(path, text, |code| {
        category(code)
            .map(|_| ())
            .map_err(|_| FormatError::EXPECTED)
    })?;
    if table.system.is_empty() {
        table.system = "CPT".into();
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_position_is_checked() {
        for (code, want) in [
            ("", Err(FormatError::Length(0))),
            ("9921", Err(FormatError::Length(4))),
            ("992130", Err(FormatError::Length(6))),
            ("A9213", Err(FormatError::NotDigit(1))),
            ("9A213", Err(FormatError::NotDigit(2))),
            ("99A13", Err(FormatError::NotDigit(3))),
            ("992A3", Err(FormatError::NotDigit(4))),
            ("9921é", Err(FormatError::BadLast('é'))),
            ("00000", Ok(Category::I)),
            ("1234f", Ok(Category::II)),
        ] {
            assert_eq!(category(code), want, "{code:?}");
        }
    }
}
