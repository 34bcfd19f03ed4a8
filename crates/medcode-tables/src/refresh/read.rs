//! A release file's codes and titles, read in full.

use super::names::{recognize_name, Recognized};
use super::{FileKind, RefreshError, System};
use crate::error::TableError;
use crate::pcs::order::{self, OrderForm};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// A code's titles in a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titles {
    /// The long (full) title.
    pub long: String,
    /// The abbreviated title, where the file has one.
    pub short: Option<String>,
}

/// One release file, read.
#[derive(Debug, Clone)]
pub struct Release {
    /// The file name as given.
    pub file: String,
    /// SHA-256 of its text (of its bytes for a workbook).
    pub sha256: String,
    /// What its name says.
    pub name: Recognized,
    /// The codes valid from the effective date, with titles.
    pub codes: BTreeMap<String, Titles>,
    /// Headings (order files) or nothing.
    pub headers: BTreeMap<String, Titles>,
    /// HCPCS modifiers in force on the effective date.
    pub modifiers: BTreeMap<String, Titles>,
}

impl Release {
    /// The system it updates.
    pub fn system(&self) -> System {
        self.name.kind.system()
    }
}

pub(super) fn io(path: &Path, e: impl fmt::Display) -> RefreshError {
    RefreshError::Io {
        path: path.display().to_string(),
        what: e.to_string(),
    }
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads one official file: recognized by name, then read in full (a line
/// that does not parse is refused with its number).
pub fn read(path: &Path) -> Result<Release, RefreshError> {
    let file = file_name(path);
    let name = recognize_name(&file).ok_or_else(|| RefreshError::UnknownFile {
        path: path.display().to_string(),
    })?;
    let shown = path.display().to_string();
    let mut release = Release {
        file: file.strip_suffix(".gz").unwrap_or(&file).to_owned(),
        sha256: String::new(),
        name: name.clone(),
        codes: BTreeMap::new(),
        headers: BTreeMap::new(),
        modifiers: BTreeMap::new(),
    };
    if name.kind == FileKind::HcpcsAnweb {
        let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
        release.sha256 = crate::source::sha256_hex(&bytes);
        let day = name.effective;
        for r in crate::hcpcs::read_anweb_xlsx(path)? {
            if !r.active_on(day) {
                continue;
            }
            let titles = Titles {
                long: r.long.clone(),
                short: Some(r.short.clone()).filter(|s| !s.is_empty()),
            };
            match r.record_id {
                3 => release.codes.insert(r.code, titles),
                _ => release.modifiers.insert(r.code, titles),
            };
        }
    } else {
        let text = crate::source::read_text(path)?;
        release.sha256 = crate::source::sha256_hex(text.as_bytes());
        match name.kind {
            FileKind::Icd10cmOrder | FileKind::Icd10pcsOrder => {
                let form = if name.kind == FileKind::Icd10cmOrder {
                    OrderForm::Icd10cm
                } else {
                    OrderForm::Icd10pcs
                };
                for r in order::parse_with(&shown, &text, form)? {
                    let titles = Titles {
                        long: r.long_title,
                        short: Some(r.short_title).filter(|s| !s.is_empty()),
                    };
                    let into = if r.header {
                        &mut release.headers
                    } else {
                        &mut release.codes
                    };
                    into.insert(r.code, titles);
                }
            }
            _ => release.codes = read_codes_file(&shown, &text, name.kind)?,
        }
    }
    if release.codes.is_empty() {
        return Err(TableError::new(shown, 0, crate::error::TableErrorKind::Empty("codes")).into());
    }
    Ok(release)
}

/// A codes file: one code per line, blanks, the long title.
fn read_codes_file(
    path: &str,
    text: &str,
    kind: FileKind,
) -> Result<BTreeMap<String, Titles>, TableError> {
    use crate::error::TableErrorKind;
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let (code, title) = line.split_once(' ').unwrap_or((line, ""));
        let ok = match kind {
            FileKind::Icd10pcsCodes => code.len() == 7 && crate::pcs::has_pcs_form(code),
            _ => order::is_cm_form(code),
        };
        let title = title.trim();
        if !ok {
            return Err(TableError::new(
                path,
                (i + 1) as u32,
                TableErrorKind::BadCode(code.into()),
            ));
        }
        if title.is_empty() {
            return Err(TableError::new(
                path,
                (i + 1) as u32,
                TableErrorKind::BadField {
                    column: "title".into(),
                    value: String::new(),
                    expected: "the code's title after it",
                },
            ));
        }
        out.insert(
            code.to_owned(),
            Titles {
                long: title.to_owned(),
                short: None,
            },
        );
    }
    Ok(out)
}
