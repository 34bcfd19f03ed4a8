//! Merging a release into a history, and what it changed.

use super::read::{Release, Titles};
use super::{RefreshError, System};
use crate::date::{previous_day, Span, OPEN_END};
use crate::flat::{FlatRow, FlatTable};
use std::collections::{BTreeMap, BTreeSet};

/// What a release changed in one table of a system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Codes valid from the release on that were not valid the day before.
    pub added: Vec<String>,
    /// Codes valid the day before that the release no longer lists.
    pub deleted: Vec<String>,
    /// Codes valid on both days whose long title changed (a code that had
    /// no title before is not listed).
    pub retitled: Vec<String>,
}

/// One merged release and what it changed: the change report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The system.
    pub system: System,
    /// The file.
    pub file: String,
    /// SHA-256 of its text.
    pub sha256: String,
    /// First day of the release.
    pub effective: u32,
    /// The release in words.
    pub release: String,
    /// Codes.
    pub codes: Changes,
    /// HCPCS modifiers (empty elsewhere).
    pub modifiers: Changes,
}

impl Report {
    /// The report as a JSON object (for `info().updates`).
    pub fn to_json(&self) -> String {
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|c| format!("\"{c}\"")).collect();
            format!("[{}]", items.join(","))
        };
        let changes = |c: &Changes| {
            format!(
                "{{\"added\":{},\"deleted\":{},\"retitled\":{}}}",
                list(&c.added),
                list(&c.deleted),
                list(&c.retitled)
            )
        };
        format!(
            "{{\"file\":{},\"sha256\":\"{}\",\"effective\":\"{}\",\"release\":{},\"codes\":{},\"modifiers\":{}}}",
            crate::json::string(&self.file),
            self.sha256,
            crate::date::format_date(self.effective),
            crate::json::string(&self.release),
            changes(&self.codes),
            changes(&self.modifiers)
        )
    }
}

/// Refuses a release that is not newer than the history it is merged into.
pub fn check_newer(release: &Release, newest: u32) -> Result<(), RefreshError> {
    if release.name.effective > newest {
        return Ok(());
    }
    Err(RefreshError::Conflict {
        path: release.file.clone(),
        what: format!(
            "{} {} ({}) is not newer than the embedded release of {}",
            release.system().id(),
            release.name.release,
            crate::date::format_date(release.name.effective),
            crate::date::format_date(newest)
        ),
    })
}

/// Merges a release into a flat table (ICD-10-PCS, HCPCS): see the module
/// comment. Titles are replaced by the release's (the flat form keeps one).
pub fn merge_flat(
    table: &mut FlatTable,
    codes: &BTreeMap<String, Titles>,
    headers: &BTreeMap<String, Titles>,
    effective: u32,
) -> Changes {
    let day_before = previous_day(effective);
    let mut changes = Changes::default();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let retitle = |row: &mut FlatRow, t: &Titles| {
        row.long_title = Some(t.long.clone());
        if t.short.is_some() {
            row.short_title = t.short.clone();
        }
    };
    for row in &mut table.rows {
        if row.header {
            if let Some((code, t)) = headers.get_key_value(&row.code) {
                retitle(row, t);
                seen.insert(code);
            }
            continue;
        }
        let was = row.valid_on(day_before);
        match codes.get_key_value(&row.code) {
            Some((code, t)) => {
                seen.insert(code);
                if !was {
                    changes.added.push(row.code.clone());
                } else if row.long_title.as_ref().is_some_and(|old| *old != t.long) {
                    // (A code without a title before is titled, not retitled.)
                    changes.retitled.push(row.code.clone());
                }
                if !row.spans.is_empty() {
                    open_from(&mut row.spans, effective);
                }
                retitle(row, t);
            }
            None => {
                if was {
                    changes.deleted.push(row.code.clone());
                }
                if row.spans.is_empty() {
                    row.spans.push(Span {
                        start: crate::flat_compile::ALWAYS,
                        end: day_before,
                    });
                } else {
                    close_before(&mut row.spans, effective);
                }
            }
        }
    }
    for (code, t) in codes.iter().chain(headers) {
        if seen.contains(code.as_str()) {
            continue;
        }
        let header = headers.contains_key(code) && !codes.contains_key(code);
        if !header {
            changes.added.push(code.clone());
        }
        table.rows.push(FlatRow {
            code: code.clone(),
            header,
            long_title: Some(t.long.clone()),
            short_title: t.short.clone(),
            spans: if header {
                Vec::new()
            } else {
                vec![Span {
                    start: effective,
                    end: OPEN_END,
                }]
            },
        });
    }
    table.rows.sort_by(|a, b| a.code.cmp(&b.code));
    changes.added.sort();
    changes.deleted.sort();
    changes.retitled.sort();
    changes
}

/// Makes sorted, merged spans valid from `effective` on (joining a span that
/// ends the day before).
fn open_from(spans: &mut Vec<Span>, effective: u32) {
    close_before(spans, effective);
    match spans.last_mut() {
        Some(last) if crate::date::next_day(last.end) == effective => last.end = OPEN_END,
        _ => spans.push(Span {
            start: effective,
            end: OPEN_END,
        }),
    }
}

/// Ends sorted spans the day before `effective`.
fn close_before(spans: &mut Vec<Span>, effective: u32) {
    spans.retain(|s| s.start < effective);
    if let Some(last) = spans.last_mut() {
        if last.end >= effective {
            last.end = previous_day(effective);
        }
    }
}

/// Merges a release into a history of one span per code (ICD-10-CM);
/// `title_before(code)` is a code's title the day before the release.
/// A code that comes back after a gap would need two spans: refused.
pub fn merge_spans(
    spans: &mut BTreeMap<String, Span>,
    release: &Release,
    title_before: &dyn Fn(&str) -> Option<String>,
) -> Result<Changes, RefreshError> {
    let effective = release.name.effective;
    let day_before = previous_day(effective);
    let mut changes = Changes::default();
    for (code, span) in spans.iter_mut() {
        let was = span.contains(day_before);
        match release.codes.get(code) {
            Some(t) => {
                if was {
                    if title_before(code).is_some_and(|old| old != t.long) {
                        changes.retitled.push(code.clone());
                    }
                } else if span.start >= effective || span.end == day_before {
                    changes.added.push(code.clone());
                    span.start = span.start.min(effective);
                } else {
                    return Err(RefreshError::Conflict {
                        path: release.file.clone(),
                        what: format!(
                            "{code} comes back after a gap (valid {}-{}): the history holds one span per code",
                            span.start, span.end
                        ),
                    });
                }
                span.end = OPEN_END;
            }
            None if was => {
                changes.deleted.push(code.clone());
                span.end = day_before;
            }
            None => {}
        }
    }
    for code in release.codes.keys() {
        if !spans.contains_key(code) {
            changes.added.push(code.clone());
            spans.insert(
                code.clone(),
                Span {
                    start: effective,
                    end: OPEN_END,
                },
            );
        }
    }
    changes.added.sort();
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refresh::names::recognize_name;

    fn titles(long: &str) -> Titles {
        Titles {
            long: long.into(),
            short: None,
        }
    }

    fn row(code: &str, title: &str, spans: &[(u32, u32)]) -> FlatRow {
        FlatRow {
            code: code.into(),
            header: false,
            long_title: Some(title.into()),
            short_title: None,
            spans: spans
                .iter()
                .map(|&(start, end)| Span { start, end })
                .collect(),
        }
    }

    #[test]
    fn merge_flat_adds_ends_and_retitles_on_the_effective_date() {
        let mut table = FlatTable {
            system: "T".into(),
            release: String::new(),
            rows: vec![
                row("A1", "kept", &[(20200101, OPEN_END)]),
                row("A2", "old title", &[(20200101, OPEN_END)]),
                row("A3", "dropped", &[(20200101, OPEN_END)]),
                row("A4", "ended before, back now", &[(20200101, 20260530)]),
                row("A6", "was to end the day before", &[(20200101, 20260630)]),
                row("A5", "ended long ago", &[(20200101, 20210101)]),
            ],
        };
        let codes: BTreeMap<String, Titles> = [
            ("A1", "kept"),
            ("A2", "new title"),
            ("A4", "ended before, back now"),
            ("A6", "was to end the day before"),
            ("A9", "brand new"),
        ]
        .into_iter()
        .map(|(c, t)| (c.to_owned(), titles(t)))
        .collect();
        let c = merge_flat(&mut table, &codes, &BTreeMap::new(), 20260701);
        assert_eq!(c.added, ["A4", "A9"]);
        assert_eq!(c.deleted, ["A3"]);
        assert_eq!(c.retitled, ["A2"]);
        let get = |k: &str| table.get(k).unwrap().clone();
        assert!(get("A3").valid_on(20260630) && !get("A3").valid_on(20260701));
        assert!(get("A9").valid_on(20260701) && !get("A9").valid_on(20260630));
        let span = |start, end| Span { start, end };
        assert_eq!(
            get("A4").spans,
            [span(20200101, 20260530), span(20260701, OPEN_END)]
        );
        assert_eq!(get("A6").spans, [span(20200101, OPEN_END)]);
        assert_eq!(get("A2").long_title.as_deref(), Some("new title"));
        assert!(!get("A5").valid_on(20260701));
    }

    #[test]
    fn merge_spans_refuses_a_code_back_after_a_gap() {
        let mut spans: BTreeMap<String, Span> = [
            (
                "B1".to_owned(),
                Span {
                    start: 20151001,
                    end: 20200930,
                },
            ),
            (
                "B2".to_owned(),
                Span {
                    start: 20151001,
                    end: OPEN_END,
                },
            ),
        ]
        .into();
        let release = Release {
            file: "icd10cm_codes_2028.txt".into(),
            sha256: String::new(),
            name: recognize_name("icd10cm_codes_2028.txt").unwrap(),
            codes: [("B1".to_owned(), titles("back"))].into(),
            headers: BTreeMap::new(),
            modifiers: BTreeMap::new(),
        };
        let e = merge_spans(&mut spans, &release, &|_| None)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("icd10cm_codes_2028.txt:0: B1 comes back after a gap"),
            "{e}"
        );
    }
}
