//! ICD-10-PCS: the tables model (which character may follow which), its
//! readers (official tables and definitions XML, or the registry axis labels
//! with combinations taken from the valid codes), the official order file,
//! and the two builds of the flat code table.

pub mod axes;
pub mod build;
pub mod order;
pub mod tables;
pub mod xml;

/// PCS never uses these letters (they read as 0 and 1).
pub const FORBIDDEN: [char; 2] = ['I', 'O'];

/// Whether `code` is seven PCS characters: digits or upper-case letters other
/// than `I` and `O`. Says nothing about whether the code exists.
///
/// ```
/// use medcode_tables::pcs::has_pcs_form;
/// assert!(has_pcs_form("0016070"));
/// assert!(!has_pcs_form("00160O0"));
/// assert!(!has_pcs_form("001607"));
/// ```
pub fn has_pcs_form(code: &str) -> bool {
    code.len() == 7
        && code
            .chars()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !FORBIDDEN.contains(&c)))
}
