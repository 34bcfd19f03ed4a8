//! Per-system features above the core and search: what one code system
//! offers that the others do not.

pub mod hcpcs;
pub mod icd10pcs;
