//! Reads the CMS ICD-10-PCS order file (`icd10pcs_order_YYYY.txt`): fixed
//! width, one line per table heading or code. Columns: order number (5),
//! blank, code (7, left-aligned), blank, flag (`0` heading, `1` valid code),
//! blank, short title (60), blank, long title.

use crate::error::{TableError, TableErrorKind};

/// One line of the order file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    /// The order number.
    pub order: u32,
    /// The code or heading (3 characters for a table heading).
    pub code: String,
    /// A heading, not valid for submission.
    pub header: bool,
    /// Short title (trailing blanks removed).
    pub short_title: String,
    /// Long title.
    pub long_title: String,
    /// 1-based line in the file.
    pub line: u32,
}

/// Parses an ICD-10-PCS order file. `path` names it in errors.
pub fn parse(path: &str, text: &str) -> Result<Vec<OrderRow>, TableError> {
    parse_with(path, text, OrderForm::Icd10pcs)
}

/// Which system's order file: the layout is the same, the code form differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderForm {
    /// ICD-10-PCS: a 7-character code is valid, a shorter one is a heading.
    Icd10pcs,
    /// ICD-10-CM (`icd10cm_order_YYYY.txt`): 3-7 characters, a letter
    /// first ([`is_cm_form`]); the flag says which are billable.
    Icd10cm,
}

/// Whether `code` has the ICD-10-CM form of an order file line: 3-7 ASCII
/// upper-case letters or digits, the first a letter (the second is a digit
/// but for a few interim codes such as `QA00101`).
///
/// ```
/// use medcode_tables::pcs::order::is_cm_form;
/// assert!(is_cm_form("A000") && is_cm_form("S72001A") && is_cm_form("QA00101"));
/// assert!(!is_cm_form("0DTJ0ZZ") && !is_cm_form("E1") && !is_cm_form("e119"));
/// ```
pub fn is_cm_form(code: &str) -> bool {
    let b = code.as_bytes();
    (3..=7).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Parses an order file of either system. `path` names it in errors.
pub fn parse_with(path: &str, text: &str, form: OrderForm) -> Result<Vec<OrderRow>, TableError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = (i + 1) as u32;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let err = |kind| TableError::new(path, n, kind);
        let field = |from: usize, to: usize| line.get(from..to.min(line.len())).unwrap_or("");
        if !line.is_ascii() || line.len() < 78 {
            return Err(err(TableErrorKind::BadField {
                column: "line".into(),
                value: line.chars().take(40).collect(),
                expected: "an ASCII fixed-width order line of at least 78 characters",
            }));
        }
        let order = field(0, 5).parse::<u32>().map_err(|_| {
            err(TableErrorKind::BadField {
                column: "order number".into(),
                value: field(0, 5).into(),
                expected: "five digits",
            })
        })?;
        let code = field(6, 13).trim_end().to_owned();
        let form_ok = match form {
            OrderForm::Icd10pcs => super::has_pcs_form(&format!("{code:0<7}")) && !code.is_empty(),
            OrderForm::Icd10cm => is_cm_form(&code),
        };
        if !form_ok {
            return Err(err(TableErrorKind::BadCode(code)));
        }
        let header = match field(14, 15) {
            "0" => true,
            "1" => false,
            other => {
                return Err(err(TableErrorKind::BadField {
                    column: "header flag".into(),
                    value: other.into(),
                    expected: "0 or 1",
                }))
            }
        };
        if form == OrderForm::Icd10pcs && header == (code.len() == 7) {
            return Err(err(TableErrorKind::BadField {
                column: "header flag".into(),
                value: field(14, 15).into(),
                expected: "0 for a heading shorter than 7, 1 for a 7-character code",
            }));
        }
        out.push(OrderRow {
            order,
            code,
            header,
            short_title: field(16, 76).trim_end().to_owned(),
            long_title: field(77, line.len()).trim().to_owned(),
            line: n,
        });
    }
    if out.is_empty() {
        return Err(TableError::new(
            path,
            0,
            TableErrorKind::Empty("order lines"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_and_code() {
        let text = "00001 001     0 Central Nervous System and Cranial Nerves, Bypass            Central Nervous System and Cranial Nerves, Bypass\r\n\
                    00002 0016070 1 Bypass Cereb Vent to Nasophar with Autol Sub, Open Approach  Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach\r\n";
        let rows = parse("o.txt", text).unwrap();
        assert!(rows[0].header);
        assert_eq!(rows[0].code, "001");
        assert_eq!(
            rows[1].short_title,
            "Bypass Cereb Vent to Nasophar with Autol Sub, Open Approach"
        );
        assert!(rows[1].long_title.starts_with("Bypass Cerebral Ventricle"));
        let bad = text.replace("0016070 1", "0016070 0");
        let e = parse("o.txt", &bad).unwrap_err().to_string();
        assert!(e.starts_with("o.txt:2: column header flag"), "{e}");
        let bad = text.replace("0016070", "00160O0");
        assert!(parse("o.txt", &bad).is_err());
    }
}
