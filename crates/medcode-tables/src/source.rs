//! Reading source files from disk, gzip-compressed or plain.

use crate::error::{TableError, TableErrorKind};
use std::io::Read;
use std::path::Path;

/// Reads a UTF-8 text file, decompressing it when its name ends in `.gz`.
pub fn read_text(path: &Path) -> Result<String, TableError> {
    let shown = path.display().to_string();
    let io =
        |e: std::io::Error| TableError::new(shown.clone(), 0, TableErrorKind::Io(e.to_string()));
    let raw = std::fs::read(path).map_err(io)?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(io)?;
        out
    } else {
        raw
    };
    String::from_utf8(bytes).map_err(|e| {
        TableError::new(
            shown.clone(),
            0,
            TableErrorKind::Io(format!("not UTF-8: {e}")),
        )
    })
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
