//! LEB128 varints, as every binary table writes its counts, gaps and word
//! numbers: seven bits a byte, low bits first, the high bit set on every
//! byte but the last.

/// Reads the varint at `at`: its value and the offset after it; `None` if
/// the bytes end first or it runs past five bytes.
#[inline]
pub(crate) fn read(bytes: &[u8], mut at: usize) -> Option<(u32, usize)> {
    let mut v: u32 = 0;
    for shift in [0, 7, 14, 21, 28] {
        let b = *bytes.get(at)?;
        at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some((v, at));
        }
    }
    None
}

/// Appends `v` as a varint.
pub(crate) fn put(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_value_round_trips(values in prop::collection::vec(any::<u32>(), 0..50)) {
            let mut bytes = Vec::new();
            for &v in &values {
                super::put(&mut bytes, v);
            }
            let mut at = 0;
            for &v in &values {
                let (read, next) = super::read(&bytes, at).unwrap();
                prop_assert_eq!(read, v);
                at = next;
            }
            prop_assert_eq!(at, bytes.len());
        }
    }

    #[test]
    fn a_cut_varint_does_not_read() {
        let mut bytes = Vec::new();
        super::put(&mut bytes, 300);
        assert_eq!(super::read(&bytes, 0), Some((300, 2)));
        assert_eq!(super::read(&bytes[..1], 0), None);
        assert_eq!(super::read(&[0x80; 6], 0), None);
    }
}
