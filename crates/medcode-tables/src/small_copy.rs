//! Appending a few elements without a `memory.copy`: in wasm a slice
//! copy of unknown length becomes the bulk-memory `memory.copy`
//! instruction, which V8 runs as a call out of the module, dozens of times
//! dearer than the copy itself for the one to ten word numbers a title
//! step copies. Measured on the ICD-10-PCS first search (Node 20): decoding
//! every title's words took 43-70 ms with `extend_from_slice`.

/// Appends `items` to `out` one by one.
///
/// ```
/// let mut v = vec![1u32];
/// medcode_tables::small_copy::extend(&mut v, &[2, 3]);
/// assert_eq!(v, [1, 2, 3]);
/// ```
#[inline]
pub fn extend<T: Copy>(out: &mut Vec<T>, items: &[T]) {
    out.reserve(items.len());
    for &item in items {
        out.push(item);
    }
}
