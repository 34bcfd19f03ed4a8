//! Reads official code tables and compiles them into the compact format that
//! `medcode` embeds in its WebAssembly module; also holds the readers of that
//! format, so the writer and the reader are tested side by side.
//!
//! With the default `compile` feature: [`tabular`] parses the ICD-10-CM
//! tabular XML and [`compile`] builds the FST map, title store and outline.
//! Without it (as the runtime uses it): [`layout`], [`titles`] and
//! [`outline`] read what was compiled.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod layout;
pub mod outline;
pub mod search;
pub mod titles;
pub mod words;

#[cfg(feature = "compile")]
pub mod abbrev;
#[cfg(feature = "compile")]
pub mod compile;
#[cfg(feature = "compile")]
pub mod source;
#[cfg(feature = "compile")]
pub mod tabular;

pub use error::{TableError, TableErrorKind};
