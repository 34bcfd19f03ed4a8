//! The JSON the build writes by hand (`info()`, change reports).

/// A JSON string literal: quotes, backslashes and control characters escaped.
///
/// ```
/// assert_eq!(medcode_tables::json::string("a \"b\"\n"), r#""a \"b\"\u000a""#);
/// ```
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
