//! Reads official code tables and compiles them into the compact format that
//! `medcode` embeds in its WebAssembly module; also holds the readers of that
//! format, so the writer and the reader are tested side by side.
//!
//! With the default `compile` feature: [`tabular`] parses the ICD-10-CM
//! tabular XML and [`compile`] builds the FST map, title store and outline;
//! [`flat`] is the intermediate every other system is read into (and the TSV
//! form of licensed CPT tables and custom code lists), fed by [`validity`],
//! [`conversions`], [`pcs`] and [`hcpcs`].
//! Without it (as the runtime uses it): [`layout`], [`titles`], [`shorts`],
//! [`outline`] and [`notes`] read what was compiled; [`date`] (validity spans) and [`cpt`]
//! (CPT format check) are pure helpers.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod axes_index;
pub mod cpt;
pub mod date;
pub mod error;
pub mod history;
pub mod layout;
pub mod lexicon;
pub mod line_index;
pub mod magic;
pub mod mce;
pub mod notes;
pub mod outline;
pub mod postings;
pub mod search;
pub mod sections;
pub mod shorts;
pub mod small_copy;
pub mod templates;
pub mod titles;
mod varint;
pub mod words;

#[cfg(feature = "compile")]
pub mod abbrev;
#[cfg(feature = "compile")]
pub mod addenda;
#[cfg(feature = "compile")]
pub mod compile;
#[cfg(feature = "compile")]
pub mod conversions;
#[cfg(feature = "compile")]
pub mod flat;
#[cfg(feature = "compile")]
pub mod flat_compile;
#[cfg(feature = "compile")]
pub mod hcpcs;
#[cfg(feature = "compile")]
pub mod json;
#[cfg(feature = "compile")]
pub mod pcs;
#[cfg(feature = "compile")]
pub mod refresh;
#[cfg(feature = "compile")]
pub mod source;
#[cfg(feature = "compile")]
pub mod systems;
#[cfg(feature = "compile")]
pub mod tabular;
#[cfg(feature = "compile")]
pub mod tsv;
#[cfg(feature = "compile")]
pub mod validity;

pub use error::{CompileError, TableError, TableErrorKind};
