//! Newer official release files merged into the embedded history without a
//! code change (`scripts/build.sh --release FOLDER`).
//!
//! A file is recognized by its CMS name and then read in full, so a damaged
//! one is refused with its line. Accepted files are stored in the updates
//! folder (`tables/updates/`, gzip'd; a workbook as it is) and listed in its
//! manifest, `UPDATES.tsv`, with the SHA-256 of their text: the build reads
//! only what the manifest pins. At build time each release is merged into
//! its system's history: a code it lists is valid from its effective date,
//! a code valid the day before that it no longer lists ends that day, and a
//! code whose title changed is retitled. What changed is reported per
//! system ([`Changes`]) and carried in the module's `info().updates`.
//!
//! | file (as CMS names it, `.gz` allowed) | system | effective |
//! |---|---|---|
//! | `icd10cm_order_YYYY.txt`, `icd10cm_codes_YYYY.txt` | ICD-10-CM | October 1 of YYYY-1 (an `April` in the name: April 1 of YYYY) |
//! | `icd10pcs_order_YYYY.txt`, `icd10pcs_codes_YYYY.txt` | ICD-10-PCS | the same |
//! | `HCPCYYYY_MMM_ANWEB*.xlsx` (MMM: JAN, APR, JUL, OCT) | HCPCS Level II | the first day of MMM YYYY |
//!
//! Modules: [`names`] (which file it is), [`read`] (its codes and titles),
//! [`manifest`] (the updates folder), [`merge`] (into a history, with the
//! change report).

pub mod manifest;
pub mod merge;
pub mod names;
pub mod read;

pub use manifest::{
    check_folder, load, read_manifest, releases_for, store, Stored, MANIFEST, MANIFEST_HEADER,
};
pub use merge::{check_newer, merge_flat, merge_spans, Changes, Report};
pub use names::{recognize_name, Recognized};
pub use read::{read, Release, Titles};

use crate::error::TableError;
use std::fmt;

/// A system a release file updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum System {
    /// ICD-10-CM.
    Icd10cm,
    /// ICD-10-PCS.
    Icd10pcs,
    /// HCPCS Level II.
    Hcpcs,
}

impl System {
    /// The module id (`icd10cm`, `icd10pcs`, `hcpcs`).
    pub fn id(self) -> &'static str {
        match self {
            System::Icd10cm => "icd10cm",
            System::Icd10pcs => "icd10pcs",
            System::Hcpcs => "hcpcs",
        }
    }

    /// The system for a module id.
    pub fn from_id(id: &str) -> Option<System> {
        [System::Icd10cm, System::Icd10pcs, System::Hcpcs]
            .into_iter()
            .find(|s| s.id() == id)
    }
}

/// Which official file it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `icd10cm_order_YYYY.txt`: codes and headers, billable flag, short and long titles.
    Icd10cmOrder,
    /// `icd10cm_codes_YYYY.txt`: billable codes and long titles.
    Icd10cmCodes,
    /// `icd10pcs_order_YYYY.txt`.
    Icd10pcsOrder,
    /// `icd10pcs_codes_YYYY.txt`.
    Icd10pcsCodes,
    /// `HCPCYYYY_MMM_ANWEB.xlsx`: procedures and modifiers.
    HcpcsAnweb,
}

impl FileKind {
    /// The system the file updates.
    pub fn system(self) -> System {
        match self {
            FileKind::Icd10cmOrder | FileKind::Icd10cmCodes => System::Icd10cm,
            FileKind::Icd10pcsOrder | FileKind::Icd10pcsCodes => System::Icd10pcs,
            FileKind::HcpcsAnweb => System::Hcpcs,
        }
    }
}

/// Why a release file or the updates folder was refused; every message
/// starts with `path:line: ` (line 0 when it is the whole file).
#[derive(Debug)]
pub enum RefreshError {
    /// The name is not one of the official files this reads.
    UnknownFile {
        /// The file.
        path: String,
    },
    /// The content does not read as the file its name says (`path:line: what`).
    Damaged(TableError),
    /// A file that cannot be read or written.
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        what: String,
    },
    /// A manifest line that does not read.
    Manifest {
        /// The manifest.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        what: String,
    },
    /// A stored file whose text is not the one the manifest pins.
    NotPinned {
        /// The stored file.
        path: String,
        /// SHA-256 in the manifest.
        listed: String,
        /// SHA-256 of the file.
        found: String,
    },
    /// Two files give the same system's codes for the same date, or a file
    /// is already merged, or a release is not newer than the history.
    Conflict {
        /// The file.
        path: String,
        /// What it conflicts with.
        what: String,
    },
}

impl fmt::Display for RefreshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefreshError::UnknownFile { path } => write!(
                f,
                "{path}:0: not an official release file medcode reads; expected icd10cm_order_YYYY.txt, \
                 icd10cm_codes_YYYY.txt, icd10pcs_order_YYYY.txt, icd10pcs_codes_YYYY.txt (each also .gz) \
                 or HCPCYYYY_MMM_ANWEB.xlsx"
            ),
            RefreshError::Damaged(e) => write!(f, "{e}"),
            RefreshError::Io { path, what } => write!(f, "{path}:0: {what}"),
            RefreshError::Manifest { path, line, what } => write!(f, "{path}:{line}: {what}"),
            RefreshError::NotPinned {
                path,
                listed,
                found,
            } => write!(
                f,
                "{path}:0: SHA-256 {found} is not the {listed} the manifest pins: the file changed since it was merged"
            ),
            RefreshError::Conflict { path, what } => write!(f, "{path}:0: {what}"),
        }
    }
}

impl std::error::Error for RefreshError {}

impl From<TableError> for RefreshError {
    fn from(e: TableError) -> Self {
        RefreshError::Damaged(e)
    }
}
