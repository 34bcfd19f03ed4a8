//! medcode: US medical code sets (ICD-10-CM FY2026, April 1 2026 update)
//! compiled at build time into FST maps and a compact title store, embedded
//! in the binary (and in the WebAssembly module), looked up without a server.
//!
//! ```
//! let cm = medcode::CodeSet::icd10cm();
//! assert!(cm.is_valid("e11.9"));
//! let v = cm.validate("E11");
//! assert!(!v.result);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod axes;
pub mod billable;
pub mod codeset;
mod data;
pub use data::FINGERPRINT;
pub mod checks;
pub mod dated;
pub mod fingerprint;
pub mod fst_walk;
pub mod history;
pub mod normalize;
pub mod order;
pub mod profile;
pub mod search;
pub mod sort;
pub mod systems;
pub mod validate;

pub use codeset::{CodeSet, Concept, Lineage, System};
pub use medcode_tables::layout::{Entry, Kind};
pub use profile::Profile;
pub use search::{FindMode, Found, Hit};
pub use validate::{Issue, Reason, Severity, Suggestion, Validation};
