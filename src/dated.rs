//! Answers for a date of service: the history's validity spans decide, the
//! tabular explains (titles, headers, 7th characters). Without a date the
//! newest release is used, and every answer names the release it used.

use crate::codeset::{CodeSet, Concept};
use crate::history::iso;
use crate::normalize::{normalize, InputError};
use crate::profile::Period;
use crate::validate::{error, Issue, Reason, Severity, Validation};
use medcode_tables::date::{Span, OPEN_END};
use medcode_tables::layout::Kind;

/// Most successor codes named in one message.
const MAX_SUCCESSORS: usize = 12;

/// A lookup for a date of service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedConcept {
    /// The entry; `display` is empty when no reachable source has a title,
    /// `billable` is whether it may be reported on the date.
    pub concept: Concept,
    /// The parent's key in the current tabular, if any.
    pub parent: Option<String>,
    /// When the code was valid, if it ever was in the covered years.
    pub span: Option<Span>,
}

/// The FHIR `version` of a release name: `FY2027` and `FY2026 April 2026
/// update` give `2027` and `2026`; an HCPCS quarter (`January 2025
/// quarter`) gives `2025-01`, the form of the HCPCS module's own version;
/// other names give `default`.
///
/// ```
/// assert_eq!(medcode::dated::fhir_version("FY2026 April 2026 update", "x"), "2026");
/// assert_eq!(medcode::dated::fhir_version("January 2025 quarter", "2026-04"), "2025-01");
/// assert_eq!(medcode::dated::fhir_version("2025 Q4", "2025"), "2025");
/// ```
pub fn fhir_version(release: &str, default: &str) -> String {
    if let Some(year) = release
        .strip_prefix("FY")
        .and_then(|r| r.get(..4))
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
    {
        return year.to_owned();
    }
    quarter_version(release).unwrap_or_else(|| default.to_owned())
}

/// `YYYY-MM` of a quarter named `<Month> <YYYY> quarter`, or None.
fn quarter_version(release: &str) -> Option<String> {
    let mut words = release.split(' ');
    let (month, year, tail) = (words.next()?, words.next()?, words.next()?);
    if tail != "quarter"
        || words.next().is_some()
        || year.len() != 4
        || !year.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let number = medcode_tables::history::MONTHS
        .iter()
        .position(|m| *m == month)?
        + 1;
    Some(format!("{year}-{number:02}"))
}

fn info(reason: Reason, text: String) -> Issue {
    Issue {
        severity: Severity::Information,
        code: "code-rule",
        reason,
        text,
    }
}

impl CodeSet {
    /// The date answers use when none is given: the first day of the newest release.
    pub fn default_date(&self) -> Option<u32> {
        self.newest_date()
    }

    /// The days the embedded releases cover, `(first, last)`: from the
    /// first release to the end of the newest one's period (an ICD-10 fiscal
    /// year ends on September 30, an HCPCS quarter three months after it
    /// starts). `None` for a set without dated releases or of unknown period
    /// (CPT, custom tables).
    ///
    /// ```
    /// let hcpcs = medcode::CodeSet::hcpcs();
    /// let (_, to) = hcpcs.coverage().unwrap();
    /// assert_eq!(to % 10_000, 630); // the April 2026 quarter ends on June 30
    /// assert_eq!(medcode::CodeSet::icd10cm().coverage().unwrap(), (20151001, 20270930));
    /// ```
    pub fn coverage(&self) -> Option<(u32, u32)> {
        let h = self.history()?;
        let (first, newest) = (h.releases().first()?, h.newest()?);
        let (y, m) = (newest.start / 10_000, newest.start / 100 % 100);
        let to = match self.system().profile.period {
            Period::FiscalYear => (y + u32::from(m >= 10)) * 10_000 + 930,
            Period::Quarter => {
                // The day before the next quarter starts.
                let (ny, nm) = if m >= 10 { (y + 1, m - 9) } else { (y, m + 3) };
                let next = ny * 10_000 + nm * 100 + 1;
                medcode_tables::date::previous_day(next)
            }
            Period::Undated => return None,
        };
        Some((first.start, to))
    }

    /// Validates `input` for the date of service `date` (`yyyymmdd`); `None`
    /// uses the newest release. The result names the date and release used.
    ///
    /// ```
    /// use medcode::validate::Reason;
    /// let cm = medcode::CodeSet::icd10cm();
    /// assert!(cm.validate_on("E11.9", Some(20200101)).result);
    /// // A047 was split into A04.71 and A04.72 on 2017-10-01.
    /// let v = cm.validate_on("A04.7", Some(20180101));
    /// assert_eq!(v.issues[0].reason, Reason::Deleted);
    /// assert!(cm.validate_on("A04.7", Some(20170101)).result);
    /// ```
    pub fn validate_on(&self, input: &str, date: Option<u32>) -> Validation {
        let mut v = self.validate_tabular(input);
        let Some(h) = self.history() else {
            return v;
        };
        let (Some(first), Some(newest)) = (h.releases().first(), h.newest()) else {
            return v;
        };
        let date = date.unwrap_or(newest.start);
        let name = self.system().name;
        let day = iso(date);
        let release = h.release_on(date).map_or("", |r| r.name);
        v.release = Some((date, release));
        let Ok(key) = normalize(input) else {
            return v;
        };
        if date < first.start {
            v.result = false;
            let text = match self.system().profile.history_from_start {
                true => format!(
                    "{name} applies to dates of service from {}; {day} is earlier",
                    iso(first.start)
                ),
                // HCPCS is older than its embedded history.
                false => format!(
                    "the embedded {name} history starts with the {} release ({}); {day} is earlier, so the code cannot be checked on it",
                    first.name,
                    iso(first.start)
                ),
            };
            v.issues
                .insert(0, error("code-rule", Reason::DateOutOfRange, text));
            return v;
        }
        let key = key.as_str();
        let code = self.code_text(key);
        let entry = self.entry(key.as_bytes());
        match h.span(key) {
            Some(_) if h.valid_on(key, date) => {
                let was = v.issues.first().map(|i| i.reason);
                if !v.result {
                    v.result = true;
                    v.issues.clear();
                    v.suggestions.clear();
                }
                if v.display.is_none() {
                    v.display = self.untabulated_title(key).map(str::to_owned);
                }
                let tabular = self.system().release;
                if v.display.is_none() {
                    let text = format!("{code} is valid on {day} ({release}), but no reachable source gives its title: it is newer than the embedded {name} tabular ({tabular})");
                    v.issues.push(info(Reason::NoTitle, text));
                } else if entry.is_none() && h.added_title(key).is_some() {
                    let text = format!("{code} is valid on {day} ({release}); it is newer than the embedded {name} tabular ({tabular}), so its title is from the FY2027 code-title addenda (transcribed)");
                    v.issues.push(info(Reason::StatusOnDate, text));
                } else if entry.is_none() {
                    let text = format!("{code} is valid on {day} ({release}); the embedded {name} tabular ({tabular}) no longer lists it, so its title is the official abbreviated one");
                    v.issues.push(info(Reason::StatusOnDate, text));
                } else if was == Some(Reason::Header) {
                    let text = format!("{code} is a billable code on {day} ({release}); in the embedded tabular ({tabular}) it is a header");
                    v.issues.push(info(Reason::StatusOnDate, text));
                }
            }
            Some(span) => {
                v.result = false;
                if v.display.is_none() {
                    v.display = self.untabulated_title(key).map(str::to_owned);
                }
                let issue = if span.contains(date) {
                    let text = format!(
                        "{code} was not in use on {day} ({release}): it is valid from {}{} except for a break that includes this day",
                        iso(span.start),
                        if span.end == medcode_tables::date::OPEN_END { String::new() } else { format!(" to {}", iso(span.end)) }
                    );
                    error("invalid-code", Reason::NotYetValid, text)
                } else if date < span.start {
                    let starts = h.release_on(span.start).map_or("", |r| r.name);
                    let text = format!(
                        "{code} is not valid on {day} ({release}): it takes effect on {} ({starts})",
                        iso(span.start)
                    );
                    error("invalid-code", Reason::NotYetValid, text)
                } else {
                    let last = h.release_on(span.end).map_or("", |r| r.name);
                    let mut text = format!(
                        "{code} was deleted: valid from {} to {} ({last}), not on {day} ({release})",
                        iso(span.start),
                        iso(span.end)
                    );
                    let next = self.successors(key, date);
                    if !next.is_empty() {
                        let list: Vec<String> = next.iter().map(|k| self.code_text(k)).collect();
                        text.push_str(&format!("; codes for it on {day}: {}", list.join(", ")));
                    }
                    error("invalid-code", Reason::Deleted, text)
                };
                // A code out of use whose entry has no billable code under
                // it (a flat system's deleted code) is not a header: the
                // dates say all there is.
                let no_children = self
                    .entry(key.as_bytes())
                    .is_some_and(|e| self.billable_under(key, &e) == 0);
                v.issues.retain(|i| {
                    i.reason != Reason::Normalized && !(no_children && i.reason == Reason::Header)
                });
                v.issues.insert(0, issue);
            }
            None if v.result => {
                // In the tabular but never in the validity table: trust the dates.
                v.result = false;
                let text = format!("{code} is not a valid {name} code on {day} ({release})");
                v.issues
                    .insert(0, error("invalid-code", Reason::Unknown, text));
            }
            None => {}
        }
        // The title on the date (a title revised since reads as it was);
        // only a code the addenda retitle is written again.
        let retitled = h.addendum_on(key, OPEN_END).is_some();
        if let (Some(e), Some(_), true) = (entry, &v.display, retitled) {
            let mut display = String::new();
            self.write_display_on(key, &e, date, &mut display);
            v.display = Some(display);
        }
        if let Some((_, to)) = self.coverage().filter(|&(_, to)| date > to) {
            let text = format!(
                "{day} is after {}, the last day the newest embedded {name} release ({}, from {}) covers: codes added or ended after {} are not known; answered as of that release",
                iso(to),
                newest.name,
                iso(newest.start),
                iso(to)
            );
            v.issues.push(Issue {
                severity: Severity::Warning,
                code: "code-rule",
                reason: Reason::BeyondCoverage,
                text,
            });
        }
        v
    }

    /// Codes valid on `date` that replace a deleted `key`: those the
    /// conversion table names, then its own subdivisions.
    pub fn successors(&self, key: &str, date: u32) -> Vec<String> {
        let Some(h) = self.history() else {
            return Vec::new();
        };
        let mut out: Vec<String> = h
            .replaced_by(key)
            .into_iter()
            .filter(|(new, _)| h.valid_on(new, date))
            .map(|(new, _)| new.to_owned())
            .collect();
        for k in h.valid_under(key, date, MAX_SUCCESSORS) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out.truncate(MAX_SUCCESSORS);
        out
    }

    /// Looks up a code as typed for a date of service (`None`: the newest
    /// release). Codes the current tabular no longer lists are found through
    /// the history. `Ok(None)`: well-formed but unknown.
    pub fn lookup_on(
        &self,
        input: &str,
        date: Option<u32>,
    ) -> Result<Option<DatedConcept>, InputError> {
        let key = normalize(input)?;
        let key = key.as_str();
        let h = self.history();
        let date = date.or(self.newest_date());
        let span = h.and_then(|h| h.span(key));
        let valid_on = |entry_billable: bool| match (span, date, h) {
            // `History::valid_on` with the span already read.
            (Some(s), Some(d), Some(h)) => s.contains(d) && !h.in_gap(key.as_bytes(), d),
            (None, Some(_), _) if h.is_some() => false,
            _ => entry_billable,
        };
        if let Some((entry, parent)) = self.entry_and_parent(key) {
            // The title is written once (decoding it is most of a lookup).
            let mut display = String::with_capacity(96);
            match date {
                Some(d) => self.write_display_on(key, &entry, d, &mut display),
                None => self.write_display(key, &entry, &mut display),
            }
            let billable = match entry.kind {
                Kind::Category | Kind::Code => valid_on(entry.billable),
                _ => entry.billable,
            };
            return Ok(Some(DatedConcept {
                concept: Concept {
                    code: self.code_text(key),
                    display,
                    kind: entry.kind,
                    billable,
                },
                parent,
                span,
            }));
        }
        let (Some(_), Some(span)) = (h, span) else {
            return Ok(None);
        };
        let display = self.untabulated_title(key).unwrap_or_default().to_owned();
        let parent = self.nearest_listed_above(key).map(str::to_owned);
        Ok(Some(DatedConcept {
            concept: Concept {
                code: self.code_text(key),
                display,
                kind: Kind::Code,
                billable: valid_on(false),
            },
            parent,
            span: Some(span),
        }))
    }
}
