//! Reads the header and sections of the binary tables: a 4-byte magic, `u32`
//! fields (little endian) that give each section's length, then the
//! sections one after another. The title store, the search index and the
//! lexicon read their bytes through it, so each checks its bounds one way.

/// A cursor over a table's bytes: its header fields, then its sections in
/// order. Every read is checked: `None` where the bytes end too soon.
///
/// ```
/// use medcode_tables::sections::Sections;
/// let bytes = [b"MAGC".as_slice(), &2u32.to_le_bytes(), &[7, 8, 9]].concat();
/// let mut s = Sections::after_header(&bytes, 8);
/// assert_eq!(s.field(0), Some(2));
/// assert_eq!(s.take(2), Some(&[7u8, 8][..]));
/// assert_eq!(s.take(2), None); // one byte left
/// ```
#[derive(Debug, Clone)]
pub struct Sections<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Sections<'a> {
    /// A cursor at the first section, which starts `header` bytes in (the
    /// magic and the fields).
    pub fn after_header(bytes: &'a [u8], header: usize) -> Self {
        Sections { bytes, at: header }
    }

    /// Header field `i`: the `u32` after the magic and `i` fields before it.
    pub fn field(&self, i: usize) -> Option<u32> {
        let at = i.checked_mul(4)?.checked_add(4)?;
        let b = self.bytes.get(at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Header field `i` as a section length.
    pub fn len_field(&self, i: usize) -> Option<usize> {
        self.field(i).and_then(|n| usize::try_from(n).ok())
    }

    /// The next `n` bytes, or `None` (and the cursor unmoved) if fewer are left.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    /// The bytes after the last section taken.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }
}
