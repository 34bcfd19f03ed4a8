//! HCPCS Level II modifiers (`LT`, `RT`, `59`, `GA` …) as their own lookup:
//! a small table `build.rs` writes (`code, start, end, long, short`).

use crate::codeset::CodeSet;
use medcode_tables::date::Span;

/// One modifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modifier {
    /// The two-character modifier, upper case.
    pub code: String,
    /// Its long description (official builds), else the short one; empty
    /// when the build's source lists the code only.
    pub display: String,
    /// The short description, where given.
    pub short: Option<String>,
    /// Valid from, to (inclusive; `OPEN_END` while valid).
    pub span: Option<Span>,
}

impl CodeSet {
    /// Adds the modifier table (HCPCS).
    pub fn with_modifiers(mut self, text: &'static str) -> CodeSet {
        self.modifiers = text;
        self
    }

    /// The modifier `input` (case and spaces ignored); `None` if unknown.
    ///
    /// ```
    /// let hcpcs = medcode::CodeSet::hcpcs();
    /// assert_eq!(hcpcs.modifier(" lt ").unwrap().code, "LT");
    /// assert!(hcpcs.modifier("E11.9").is_none());
    /// ```
    pub fn modifier(&self, input: &str) -> Option<Modifier> {
        // Only HCPCS has modifiers: other modules leave this out.
        if !cfg!(feature = "hcpcs") {
            return None;
        }
        let code = input.trim();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let code = code.to_ascii_uppercase();
        self.modifiers.lines().find_map(|line| {
            let mut f = line.split('\t');
            if f.next()? != code {
                return None;
            }
            let start: u32 = f.next()?.parse().ok()?;
            let end: u32 = f.next()?.parse().ok()?;
            let long = f.next().unwrap_or_default();
            let short = f.next().unwrap_or_default();
            Some(Modifier {
                code: code.clone(),
                display: if long.is_empty() { short } else { long }.to_owned(),
                short: Some(short.to_owned()).filter(|s| !s.is_empty()),
                span: (start != 0).then_some(Span { start, end }),
            })
        })
    }

    /// Every modifier valid on `date` (`yyyymmdd`), in code order.
    pub fn modifiers_on(&self, date: u32) -> Vec<Modifier> {
        if !cfg!(feature = "hcpcs") {
            return Vec::new();
        }
        self.modifiers
            .lines()
            .filter_map(|l| self.modifier(l.split('\t').next()?))
            .filter(|m| m.span.is_none_or(|s| s.contains(date)))
            .collect()
    }
}
