//! Claim checks, the top layer of the runtime: Medicare Code Editor edits
//! and the ICD-10-CM instructional notes with the checks between codes they
//! imply. They read a `CodeSet`; nothing below them reads them.

pub mod bulk;
mod mce;
#[cfg(all(feature = "icd10cm", feature = "notes"))]
pub mod note_checks;
#[cfg(all(feature = "icd10cm", feature = "notes"))]
pub mod notes;
