//! `validate`: a FHIR `$validate-code`-shaped answer with issues in words.

use crate::codeset::CodeSet;
use crate::normalize::normalize;
use medcode_tables::layout::{expand, Entry, Kind};

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
    /// The finding, for programs: see [`Reason`].
    pub reason: Reason,
    /// What is wrong, in words, naming the input.
    pub text: String,
}

/// Which finding an [`Issue`] reports, so a program need not read its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Not shaped like a code (bad character, misplaced dot, too long, empty).
    Malformed,
    /// Well-formed but not in the release.
    Unknown,
    /// A 7th character was given but the placeholder X before it is missing.
    PlaceholderMissing,
    /// The 7th character is not one the code takes.
    SeventhNotAllowed,
    /// A code that needs a 7th character was given without one.
    SeventhMissing,
    /// A category or subcategory with codes under it.
    Header,
    /// A block or chapter of the classification.
    Grouping,
    /// Valid, but written in another form (case, dot, spaces).
    Normalized,
    /// A code that was valid but was deleted before the date of service.
    Deleted,
    /// A code that becomes valid only after the date of service.
    NotYetValid,
    /// The date of service is outside the years the tables cover.
    DateOutOfRange,
    /// The date of service is after the last day the newest embedded
    /// release covers: codes added or ended since are not known.
    BeyondCoverage,
    /// Valid on the date, but no reachable source gives its title.
    NoTitle,
    /// The tabular's status differs on the date of service (e.g. a code that
    /// was billable then and is a header in the current tabular).
    StatusOnDate,
    /// ICD-10-PCS: a character no valid code has at that position (the
    /// issue names the position, its axis and the allowed characters).
    BadAxis,
    /// CPT without a licensed table: only the format was checked.
    FormatOnly,
}

impl Reason {
    /// The name in JSON: `malformed`, `unknown`, `placeholder-missing`,
    /// `seventh-not-allowed`, `seventh-missing`, `header`, `grouping`, `normalized`,
    /// `deleted`, `not-yet-valid`, `date-out-of-range`, `beyond-coverage`, `no-title`,
    /// `status-on-date`, `bad-axis`, `format-only`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Malformed => "malformed",
            Reason::Unknown => "unknown",
            Reason::PlaceholderMissing => "placeholder-missing",
            Reason::SeventhNotAllowed => "seventh-not-allowed",
            Reason::SeventhMissing => "seventh-missing",
            Reason::Header => "header",
            Reason::Grouping => "grouping",
            Reason::Normalized => "normalized",
            Reason::Deleted => "deleted",
            Reason::NotYetValid => "not-yet-valid",
            Reason::DateOutOfRange => "date-out-of-range",
            Reason::BeyondCoverage => "beyond-coverage",
            Reason::NoTitle => "no-title",
            Reason::StatusOnDate => "status-on-date",
            Reason::BadAxis => "bad-axis",
            Reason::FormatOnly => "format-only",
        }
    }
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
    /// The date of service the answer is for (`yyyymmdd`) and the release in
    /// force then; `None` for a set without history.
    pub release: Option<(u32, &'static str)>,
    /// For an input that is not a billable code: the billable codes one edit
    /// away, or the completions of a code missing its 7th character (see
    /// [`CodeSet::did_you_mean`]); empty otherwise.
    pub suggestions: Vec<Suggestion>,
}

/// A code `validate` suggests instead of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The code with its dot.
    pub code: String,
    /// Its official title (for a 7th character: the character's meaning at the end).
    pub display: String,
}

/// Shortens hostile input before quoting it in a message.
fn quoted(input: &str) -> String {
    let short: String = input.chars().take(24).collect();
    if short.len() < input.len() {
        format!("{short:?}…")
    } else {
        format!("{short:?}")
    }
}

pub(crate) fn error(code: &'static str, reason: Reason, text: String) -> Issue {
    Issue {
        severity: Severity::Error,
        code,
        reason,
        text,
    }
}

impl CodeSet {
    /// Validates a code as typed.
    ///
    /// ```
    /// use medcode::validate::Reason;
    /// let cm = medcode::CodeSet::icd10cm();
    /// let v = cm.validate("S72.001");
    /// assert!(!v.result);
    /// assert_eq!(v.issues[0].reason, Reason::SeventhMissing);
    /// assert!(cm.validate("e11.9").result);
    /// assert_eq!(v.suggestions[0].code, "S72.001A");
    /// assert!(cm.validate("E11.99").suggestions.iter().any(|s| s.code == "E11.9"));
    /// ```
    pub fn validate(&self, input: &str) -> Validation {
        self.validate_on(input, None)
    }

    /// Validates against the current tabular only (no dates), with suggestions.
    pub(crate) fn validate_tabular(&self, input: &str) -> Validation {
        let mut v = self.validate_only(input);
        let suggest = !v.result
            && !v
                .issues
                .iter()
                .any(|i| matches!(i.reason, Reason::Header | Reason::Grouping));
        if suggest {
            v.suggestions = self
                .did_you_mean(input)
                .into_iter()
                .filter_map(|k| {
                    let entry = self.entry(k.as_bytes())?;
                    let mut display = String::new();
                    self.write_display(&k, &entry, &mut display);
                    Some(Suggestion {
                        code: self.code_text(&k),
                        display,
                    })
                })
                .collect();
        }
        v
    }

    fn validate_only(&self, input: &str) -> Validation {
        let name = self.system().name;
        let key = match normalize(input) {
            Ok(k) => k,
            Err(e) => {
                let text = format!("{} is not a well-formed {name} code: {e}", quoted(input));
                let code = input.chars().take(64).collect();
                return Validation {
                    result: false,
                    code,
                    display: None,
                    issues: vec![error("invalid-code", Reason::Malformed, text)],
                    release: None,
                    suggestions: Vec::new(),
                };
            }
        };
        let code = self.code_text(key.as_str());
        if self.is_format_only() {
            return self.validate_format(input, &code);
        }
        let Some(entry) = self.entry(key.as_bytes()) else {
            let issue = self
                .why_unknown(key.as_str())
                .or_else(|| self.why_not_pcs(key.as_str()))
                .unwrap_or_else(|| {
                    let sys = self.system();
                    error(
                        "invalid-code",
                        Reason::Unknown,
                        format!("{code} is not a code of {name} {}", sys.release),
                    )
                });
            return Validation {
                result: false,
                code,
                display: None,
                issues: vec![issue],
                release: None,
                suggestions: Vec::new(),
            };
        };
        let mut display = String::new();
        self.write_display(key.as_str(), &entry, &mut display);
        let mut issues = Vec::new();
        if !entry.billable {
            issues.push(self.why_not_billable(key.as_str(), &code, &entry));
        } else if input.trim() != code {
            let text = format!("{} was read as {code}", quoted(input));
            issues.push(Issue {
                severity: Severity::Information,
                code: "code-rule",
                reason: Reason::Normalized,
                text,
            });
        }
        Validation {
            result: entry.billable,
            code,
            display: Some(display),
            issues,
            release: None,
            suggestions: Vec::new(),
        }
    }

    fn why_not_billable(&self, key: &str, code: &str, entry: &Entry) -> Issue {
        let under = || self.billable_under(key, entry);
        if matches!(entry.kind, Kind::Chapter | Kind::Block) {
            let text = format!(
                "{code} is a {} of the classification, not a code; {} billable codes lie under it",
                entry.kind.as_str(),
                under()
            );
            return error("not-selectable", Reason::Grouping, text);
        }
        let options = self.seventh_options(entry);
        if options.is_empty() {
            let text = format!("{code} is a non-billable header ({}); {} billable codes lie under it: report one of them", entry.kind.as_str(), under());
            return error("not-selectable", Reason::Header, text);
        }
        let list: Vec<String> = options.iter().map(|(c, m)| format!("{c} ({m})")).collect();
        let example = self.code_text(&expand(key, options[0].0 as u8));
        let placeholder = if key.len() < 6 {
            ", with placeholder X filling the empty positions"
        } else {
            ""
        };
        let text = format!("{code} is not billable: it needs a 7th character{placeholder}, one of {}; for example {example}", list.join(", "));
        error("not-selectable", Reason::SeventhMissing, text)
    }

    /// CPT without a licensed table: whether `code` has a CPT form.
    fn validate_format(&self, input: &str, code: &str) -> Validation {
        let (result, issue) = match medcode_tables::cpt::category(code) {
            Ok(category) => {
                let text = format!("{code} has the form of a CPT {} code; no licensed CPT table is compiled into this module, so whether it exists and its title are not known (CPT is licensed by the AMA: a licensee compiles their own table, see the README)", category.name());
                (
                    true,
                    Issue {
                        severity: Severity::Warning,
                        code: "code-rule",
                        reason: Reason::FormatOnly,
                        text,
                    },
                )
            }
            Err(e) => {
                let text = format!("{} is not a well-formed CPT code: {e}", quoted(input));
                (false, error("invalid-code", Reason::Malformed, text))
            }
        };
        Validation {
            result,
            code: code.to_owned(),
            display: None,
            issues: vec![issue],
            release: None,
            suggestions: Vec::new(),
        }
    }

    /// ICD-10-PCS: why a key is not a code, by position (letters O and I,
    /// length, the first character no valid code continues with).
    fn why_not_pcs(&self, key: &str) -> Option<Issue> {
        self.axes()?;
        let profile = self.system().profile;
        if let Some(at) = key.find(['O', 'I']).filter(|_| !profile.letters_o_i) {
            let ch = &key[at..=at];
            let digit = if ch == "O" { "0 (zero)" } else { "1 (one)" };
            let text = format!("{key} is not an ICD-10-PCS code: PCS never uses the letters O and I (they would be confused with 0 and 1); character {} is {ch}: did you mean {digit}?", at + 1);
            return Some(error("invalid-code", Reason::BadAxis, text));
        }
        if key.len() != usize::from(profile.lengths.1) {
            let text = format!("{key} is not an ICD-10-PCS code: codes have 7 characters, this has {}; build one axis by axis with the code builder", key.len());
            return Some(error("invalid-code", Reason::BadAxis, text));
        }
        let (position, allowed) = self.first_bad_position(key, None)?;
        let at = usize::from(position) - 1;
        let axis = allowed
            .first()
            .and_then(|n| n.axis.clone())
            .map(|a| format!(" ({a})"))
            .unwrap_or_default();
        let list: Vec<String> = allowed
            .iter()
            .take(40)
            .map(|n| match &n.label {
                Some(l) => format!("{} {l}", n.ch),
                None => n.ch.to_string(),
            })
            .collect();
        let text = format!(
            "{key} is not a valid ICD-10-PCS code: character {position}{axis} {:?} never follows {:?}; allowed there: {}",
            &key[at..=at],
            &key[..at],
            list.join(", ")
        );
        Some(error("invalid-code", Reason::BadAxis, text))
    }

    /// A specific reason why a well-formed key is not in the release: a
    /// missing placeholder X or a 7th character the code does not take.
    fn why_unknown(&self, key: &str) -> Option<Issue> {
        let name = self.system().name;
        let (head, last) = key.split_at(key.len().checked_sub(1)?);
        let candidate = expand(head, *last.as_bytes().first()?);
        if candidate != key && self.entry(candidate.as_bytes()).is_some_and(|e| e.billable) {
            let text = format!(
                "{} is not in {name}: the placeholder X is missing; did you mean {}?",
                self.code_text(key),
                self.code_text(&candidate)
            );
            return Some(error("invalid-code", Reason::PlaceholderMissing, text));
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
        let text = format!(
            "{} is not in {name}: 7th character {last} is not used with {}; allowed: {}",
            self.code_text(key),
            self.code_text(base),
            allowed.join(", ")
        );
        Some(error("invalid-code", Reason::SeventhNotAllowed, text))
    }
}
