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

/// The folder of official release files: `MEDCODE_RELEASES`, else
/// `../shared/data/releases` beside the repository. `None` (with a printed
/// note) when it is absent, so the test can skip.
pub fn releases(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("MEDCODE_RELEASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data/releases"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("{test}: skipped, no release folder at {}", dir.display());
        None
    }
}
