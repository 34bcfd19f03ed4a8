//! `validate`: a FHIR `$validate-code`-shaped answer with issues in words.

use crate::codeset::CodeSet;
use crate::json;
use crate::normalize::{dotted, normalize};
use medcode_tables::layout::{expand, Kind};

/// How serious an issue is (FHIR `OperationOutcome.issue.severity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The code cannot be used.
    Error,
    /// The code can be used but something looks wrong.
    Warning,
    /// For information only.
    Information,
}

impl Severity {
    /// `error`, `warning` or `information`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
        }
    }
}

/// One finding about a validated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// How serious.
    pub severity: Severity,
    /// The HL7 terminology issue type: `invalid-code` (malformed or unknown),
    /// `not-selectable` (a header, block or chapter), `code-rule` (a rule of
    /// the code system, such as the written form).
    pub code: &'static str,
    /// What is wrong, in words, naming the input.
    pub text: String,
}

/// The answer of [`CodeSet::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    /// Whether the input is a billable code of the release.
    pub result: bool,
    /// The normalized, dotted code (the input itself when malformed).
    pub code: String,
    /// The official title, when the code exists.
    pub display: Option<String>,
    /// What was found, most serious first.
    pub issues: Vec<Issue>,
}

/// Shortens hostile input before quoting it in a message.
fn quoted(input: &str) -> String {
    let short: String = input.chars().take(24).collect();
    if short.len() < input.len() {
        format!("{:?}…", short)
    } else {
        format!("{short:?}")
    }
}

impl CodeSet {
    /// Validates a code as typed.
    ///
    /// ```
    /// let cm = medcode::CodeSet::icd10cm();
    /// let v = cm.validate("S72.001");
    /// assert!(!v.result);
    /// assert!(v.issues[0].text.contains("7th character"), "{}", v.issues[0].text);
    /// assert!(cm.validate("e11.9").result);
    /// ```
    pub fn validate(&self, input: &str) -> Validation {
        let sys = self.system();
        let err = |code: &'static str, text: String| Issue {
            severity: Severity::Error,
            code,
            text,
        };
        let key = match normalize(input) {
            Ok(k) => k,
            Err(e) => {
                return Validation {
                    result: false,
                    code: input.chars().take(64).collect(),
                    display: None,
                    issues: vec![err(
                        "invalid-code",
                        format!(
                            "{} is not a well-formed {} code: {e}",
                            quoted(input),
                            sys.name
                        ),
                    )],
                }
            }
        };
        let code = key.dotted();
        let Some(entry) = self.entry(key.as_bytes()) else {
            let text = self.why_unknown(key.as_str()).unwrap_or_else(|| {
                format!(
                    "{code} is not a code of {} {} (read from {})",
                    sys.name,
                    sys.release,
                    quoted(input)
                )
            });
            return Validation {
                result: false,
                code,
                display: None,
                issues: vec![err("invalid-code", text)],
            };
        };
        let mut display = String::new();
        self.write_display(&entry, &mut display);
        let mut issues = Vec::new();
        if !entry.billable {
            let text = match entry.kind {
                Kind::Chapter | Kind::Block => format!(
                    "{code} is a {} of the classification, not a code; {} billable codes lie under it",
                    entry.kind.as_str(),
                    self.billable_under(key.as_str(), &entry)
                ),
                _ => {
                    let options = self.seventh_options(&entry);
                    if options.is_empty() {
                        format!(
                            "{code} is a non-billable header ({}); {} billable codes lie under it: report one of them",
                            entry.kind.as_str(),
                            self.billable_under(key.as_str(), &entry)
                        )
                    } else {
                        let list: Vec<String> = options.iter().map(|(c, m)| format!("{c} ({m})")).collect();
                        let example = dotted(&expand(key.as_str(), options[0].0 as u8));
                        let placeholder = if key.as_bytes().len() < 6 { ", with placeholder X filling the empty positions" } else { "" };
                        format!("{code} is not billable: it needs a 7th character{placeholder}, one of {}; for example {example}", list.join(", "))
                    }
                }
            };
            issues.push(err("not-selectable", text));
        } else if input.trim() != code {
            issues.push(Issue {
                severity: Severity::Information,
                code: "code-rule",
                text: format!("{} was read as {code}", quoted(input)),
            });
        }
        Validation {
            result: entry.billable,
            code,
            display: Some(display),
            issues,
        }
    }

    /// A specific reason why a well-formed key is not in the release: a
    /// missing placeholder X or a 7th character the code does not take.
    fn why_unknown(&self, key: &str) -> Option<String> {
        let name = self.system().name;
        let (head, last) = key.split_at(key.len().checked_sub(1)?);
        let seventh = last.as_bytes()[0];
        let candidate = expand(head, seventh);
        if candidate != key && self.entry(candidate.as_bytes()).is_some_and(|e| e.billable) {
            return Some(format!(
                "{} is not in {name}: the placeholder X is missing; did you mean {}?",
                dotted(key),
                dotted(&candidate)
            ));
        }
        let base = if self.entry(head.as_bytes()).is_some() {
            head
        } else {
            head.trim_end_matches('X')
        };
        let leaf = self
            .entry(base.as_bytes())
            .filter(|e| e.takes_seventh().is_some() && key.len() == 7)?;
        let allowed: Vec<String> = self
            .seventh_options(&leaf)
            .iter()
            .map(|(c, m)| format!("{c} ({m})"))
            .collect();
        Some(format!(
            "{} is not in {name}: 7th character {last} is not used with {}; allowed: {}",
            dotted(key),
            dotted(base),
            allowed.join(", ")
        ))
    }
}

impl Validation {
    /// The answer as a JSON object (`result`, `code`, `system`, `version`, `display`, `issues`).
    pub fn to_json(&self, set: &CodeSet, out: &mut String) {
        let sys = set.system();
        out.push('{');
        json::field_raw(out, "result", if self.result { "true" } else { "false" });
        json::field_str(out, "code", &self.code);
        json::field_str(out, "system", sys.uri);
        json::field_str(out, "version", sys.version);
        if let Some(d) = &self.display {
            json::field_str(out, "display", d);
        }
        json::comma(out);
        json::key(out, "issues");
        out.push('[');
        for issue in &self.issues {
            json::comma(out);
            out.push('{');
            json::field_str(out, "severity", issue.severity.as_str());
            json::field_str(out, "code", issue.code);
            json::field_str(out, "text", &issue.text);
            out.push('}');
        }
        out.push_str("]}");
    }
}
