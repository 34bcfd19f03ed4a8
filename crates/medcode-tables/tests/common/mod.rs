//! Paths shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A committed registry table.
pub fn registry(name: &str) -> PathBuf {
    repo_root().join("tables/registry").join(name)
}

/// The committed official release files (`tables/releases`).
pub fn releases() -> PathBuf {
    repo_root().join("tables/releases")
}
