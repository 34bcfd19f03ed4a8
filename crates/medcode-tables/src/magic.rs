//! The first four bytes of each binary table: three bytes name the format
//! and the fourth, an ASCII digit, is its layout version. A reader given a
//! table of another layout (a module built by another version of this crate,
//! a stale `OUT_DIR`) says so, instead of misreading it or calling it
//! damaged.

use std::fmt;

/// A format's magic bytes: its three-byte name and its version digit.
///
/// ```
/// use medcode_tables::magic::{Magic, MagicError};
/// const TITLES: Magic = Magic::new(*b"MCT", 1);
/// assert_eq!(&TITLES.bytes(), b"MCT1");
/// assert_eq!(TITLES.check(b"MCT1..."), Ok(()));
/// assert_eq!(TITLES.check(b"MCT2..."), Err(MagicError::Version { found: 2, reads: 1 }));
/// assert_eq!(TITLES.check(b"MCN1..."), Err(MagicError::OtherFormat));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Magic {
    name: [u8; 3],
    version: u8,
}

impl Magic {
    /// The magic of format `name`, layout `version` (0–9).
    pub const fn new(name: [u8; 3], version: u8) -> Self {
        Magic { name, version }
    }

    /// The four bytes a table of this format starts with.
    pub const fn bytes(self) -> [u8; 4] {
        [
            self.name[0],
            self.name[1],
            self.name[2],
            b'0' + self.version,
        ]
    }

    /// The layout version this crate writes and reads.
    pub const fn version(self) -> u8 {
        self.version
    }

    /// Whether `bytes` start with this format's name and version.
    pub fn check(self, bytes: &[u8]) -> Result<(), MagicError> {
        match bytes.get(..4) {
            Some([a, b, c, v]) if [*a, *b, *c] == self.name => {
                match v.checked_sub(b'0').filter(|&found| found <= 9) {
                    Some(found) if found == self.version => Ok(()),
                    Some(found) => Err(MagicError::Version {
                        found,
                        reads: self.version,
                    }),
                    None => Err(MagicError::OtherFormat),
                }
            }
            _ => Err(MagicError::OtherFormat),
        }
    }
}

/// Why bytes are not a table of a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MagicError {
    /// They do not start with the format's name (another table, or not a
    /// table at all).
    OtherFormat,
    /// They are the format, in another layout version.
    Version {
        /// The version the bytes were written in.
        found: u8,
        /// The version this reader reads.
        reads: u8,
    },
}

impl fmt::Display for MagicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MagicError::OtherFormat => f.write_str("bad magic bytes"),
            MagicError::Version { found, reads } => write!(
                f,
                "written in layout version {found}, this reader reads version {reads} (rebuild the module)"
            ),
        }
    }
}

impl std::error::Error for MagicError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_foreign_bytes_are_another_format() {
        let m = Magic::new(*b"MCX", 1);
        for bytes in [&b""[..], b"MC", b"MCX", b"MCY1", b"MCX\xff", b"MCX:"] {
            assert_eq!(m.check(bytes), Err(MagicError::OtherFormat), "{bytes:?}");
        }
        assert_eq!(
            m.check(b"MCX0"),
            Err(MagicError::Version { found: 0, reads: 1 })
        );
    }
}
