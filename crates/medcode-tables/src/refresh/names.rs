//! Which official file it is, from its name.

use super::FileKind;

/// What a file's name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognized {
    /// Which file.
    pub kind: FileKind,
    /// First day of its release (`yyyymmdd`).
    pub effective: u32,
    /// The release in words (`FY2028`, `July 2026 quarter`).
    pub release: String,
}

const QUARTERS: [(&str, u32); 4] = [("JAN", 1), ("APR", 4), ("JUL", 7), ("OCT", 10)];

/// Recognizes an official file by its name (without folder).
///
/// ```
/// use medcode_tables::refresh::{recognize_name, FileKind};
/// let r = recognize_name("icd10pcs_order_2028.txt").unwrap();
/// assert_eq!((r.kind, r.effective, r.release.as_str()), (FileKind::Icd10pcsOrder, 20271001, "FY2028"));
/// let r = recognize_name("HCPC2026_JUL_ANWEB_v2.xlsx").unwrap();
/// assert_eq!((r.kind, r.effective), (FileKind::HcpcsAnweb, 20260701));
/// assert!(recognize_name("notes.pdf").is_none());
/// ```
pub fn recognize_name(name: &str) -> Option<Recognized> {
    let lower = name.to_ascii_lowercase();
    let year_after = |s: &str| -> Option<u32> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.len() == 4).then(|| digits.parse().ok()).flatten()
    };
    if let Some(rest) = lower.strip_prefix("hcpc") {
        if !lower.ends_with(".xlsx") || !lower.contains("anweb") {
            return None;
        }
        let year = year_after(rest)?;
        let month = QUARTERS
            .iter()
            .find(|(m, _)| {
                rest.get(4..)
                    .is_some_and(|r| r.to_ascii_uppercase().starts_with(&format!("_{m}")))
            })?
            .1;
        let effective = year * 10_000 + month * 100 + 1;
        return Some(Recognized {
            kind: FileKind::HcpcsAnweb,
            effective,
            release: crate::systems::quarter_name(effective),
        });
    }
    let stem = lower.strip_suffix(".gz").unwrap_or(&lower);
    let stem = stem.strip_suffix(".txt")?;
    let (kind, rest) = [
        ("icd10cm_order_", FileKind::Icd10cmOrder),
        ("icd10cm_codes_", FileKind::Icd10cmCodes),
        ("icd10pcs_order_", FileKind::Icd10pcsOrder),
        ("icd10pcs_codes_", FileKind::Icd10pcsCodes),
    ]
    .into_iter()
    .find_map(|(p, k)| {
        stem.replace('-', "_")
            .strip_prefix(p)
            .map(|r| (k, r.to_owned()))
    })?;
    // `2028`, or an April update: `April_2025` / `2025_April`.
    let april = rest.contains("april");
    let year = rest.split('_').find_map(year_after).filter(|_| {
        rest.split('_')
            .all(|p| p == "april" || year_after(p).is_some())
    })?;
    let effective = if april {
        year * 10_000 + 401
    } else {
        (year - 1) * 10_000 + 1001
    };
    Some(Recognized {
        kind,
        effective,
        release: crate::history::fiscal_release_name(effective),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_release_files_are_not_recognized() {
        for name in [
            "icd10cm_order_2028.pdf",
            "icd10cm_order_addenda_2028.txt",
            "icd10cm_codes_28.txt",
            "HCPC2026_JUN_ANWEB.xlsx",
            "HCPC2026_JUL_ANWEB.txt",
            "readme.txt",
        ] {
            assert_eq!(recognize_name(name), None, "{name}");
        }
        let r = recognize_name("icd10cm-order-April-2025.txt.gz").unwrap();
        assert_eq!((r.kind, r.effective), (FileKind::Icd10cmOrder, 20250401));
    }
}
