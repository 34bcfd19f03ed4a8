//! A minimal JSON writer: results cross into JavaScript as one string that
//! `JSON.parse` turns into objects, instead of one boundary crossing per field.

/// Appends `s` as a JSON string literal.
///
/// ```
/// let mut out = String::new();
/// medcode_wasm::json::string(&mut out, "a \"b\"\n");
/// assert_eq!(out, r#""a \"b\"\n""#);
/// ```
pub fn string(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `"key":` (the key is written as is: callers pass fixed ASCII names).
pub fn key(out: &mut String, name: &str) {
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
}

/// Appends `"key":"value"` with the value escaped, preceded by a comma unless first.
pub fn field_str(out: &mut String, name: &str, value: &str) {
    comma(out);
    key(out, name);
    string(out, value);
}

/// Appends `"key":<raw>` where `raw` is already JSON (a number, `true`, …).
pub fn field_raw(out: &mut String, name: &str, raw: &str) {
    comma(out);
    key(out, name);
    out.push_str(raw);
}

/// Appends a comma unless the last character opens an object or array.
pub fn comma(out: &mut String) {
    if !matches!(out.as_bytes().last(), Some(b'{' | b'[') | None) {
        out.push(',');
    }
}

/// Appends `"name":"value"` for `Some(value)`, `"name":null` for `None`.
pub fn field_opt(out: &mut String, name: &str, value: Option<&str>) {
    match value {
        Some(v) => field_str(out, name, v),
        None => field_raw(out, name, "null"),
    }
}

/// Appends `"name":true` or `"name":false`.
pub fn field_bool(out: &mut String, name: &str, value: bool) {
    field_raw(out, name, if value { "true" } else { "false" });
}
