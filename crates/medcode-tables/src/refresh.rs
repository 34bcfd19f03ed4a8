//! Newer official release files merged into the embedded history without a
//! code change (`scripts/build.sh --release FOLDER`).
//!
//! A file is recognized by its CMS name and then read in full, so a damaged
//! one is refused with its line. Accepted files are stored in the updates
//! folder (`tables/updates/`, gzip'd; a workbook as it is) and listed in its
//! manifest, `UPDATES.tsv`, with the SHA-256 of their text: the build reads
//! only what the manifest pins. At build time each release is merged into
//! its system's history: a code it lists is valid from its effective date,
//! a code valid the day before that it no longer lists ends that day, and a
//! code whose title changed is retitled. What changed is reported per
//! system ([`Changes`]) and carried in the module's `info().updates`.
//!
//! | file (as CMS names it, `.gz` allowed) | system | effective |
//! |---|---|---|
//! | `icd10cm_order_YYYY.txt`, `icd10cm_codes_YYYY.txt` | ICD-10-CM | October 1 of YYYY-1 (an `April` in the name: April 1 of YYYY) |
//! | `icd10pcs_order_YYYY.txt`, `icd10pcs_codes_YYYY.txt` | ICD-10-PCS | the same |
//! | `HCPCYYYY_MMM_ANWEB*.xlsx` (MMM: JAN, APR, JUL, OCT) | HCPCS Level II | the first day of MMM YYYY |

use crate::date::{previous_day, Span, OPEN_END};
use crate::error::TableError;
use crate::flat::{FlatRow, FlatTable};
use crate::pcs::order::{self, OrderForm};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The manifest of the updates folder.
pub const MANIFEST: &str = "UPDATES.tsv";

/// The manifest's header lines.
pub const MANIFEST_HEADER: &str =
    "# Newer official release files merged into the embedded history: written by\n\
# scripts/build.sh --release FOLDER (see README.md here). The build reads only\n\
# the files listed, and refuses one whose text does not have this SHA-256.\n\
# system\tfile\tsha256\teffective\trelease\n";

/// A system a release file updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum System {
    /// ICD-10-CM.
    Icd10cm,
    /// ICD-10-PCS.
    Icd10pcs,
    /// HCPCS Level II.
    Hcpcs,
}

impl System {
    /// The module id (`icd10cm`, `icd10pcs`, `hcpcs`).
    pub fn id(self) -> &'static str {
        match self {
            System::Icd10cm => "icd10cm",
            System::Icd10pcs => "icd10pcs",
            System::Hcpcs => "hcpcs",
        }
    }

    /// The system for a module id.
    pub fn from_id(id: &str) -> Option<System> {
        [System::Icd10cm, System::Icd10pcs, System::Hcpcs]
            .into_iter()
            .find(|s| s.id() == id)
    }
}

/// Which official file it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `icd10cm_order_YYYY.txt`: codes and headers, billable flag, short and long titles.
    Icd10cmOrder,
    /// `icd10cm_codes_YYYY.txt`: billable codes and long titles.
    Icd10cmCodes,
    /// `icd10pcs_order_YYYY.txt`.
    Icd10pcsOrder,
    /// `icd10pcs_codes_YYYY.txt`.
    Icd10pcsCodes,
    /// `HCPCYYYY_MMM_ANWEB.xlsx`: procedures and modifiers.
    HcpcsAnweb,
}

impl FileKind {
    /// The system the file updates.
    pub fn system(self) -> System {
        match self {
            FileKind::Icd10cmOrder | FileKind::Icd10cmCodes => System::Icd10cm,
            FileKind::Icd10pcsOrder | FileKind::Icd10pcsCodes => System::Icd10pcs,
            FileKind::HcpcsAnweb => System::Hcpcs,
        }
    }
}

/// Why a release file or the updates folder was refused; every message
/// starts with `path:line: ` (line 0 when it is the whole file).
#[derive(Debug)]
pub enum RefreshError {
    /// The name is not one of the official files this reads.
    UnknownFile {
        /// The file.
        path: String,
    },
    /// The content does not read as the file its name says (`path:line: what`).
    Damaged(TableError),
    /// A file that cannot be read or written.
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        what: String,
    },
    /// A manifest line that does not read.
    Manifest {
        /// The manifest.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        what: String,
    },
    /// A stored file whose text is not the one the manifest pins.
    NotPinned {
        /// The stored file.
        path: String,
        /// SHA-256 in the manifest.
        listed: String,
        /// SHA-256 of the file.
        found: String,
    },
    /// Two files give the same system's codes for the same date, or a file
    /// is already merged, or a release is not newer than the history.
    Conflict {
        /// The file.
        path: String,
        /// What it conflicts with.
        what: String,
    },
}

impl fmt::Display for RefreshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefreshError::UnknownFile { path } => write!(
                f,
                "{path}:0: not an official release file medcode reads; expected icd10cm_order_YYYY.txt, \
                 icd10cm_codes_YYYY.txt, icd10pcs_order_YYYY.txt, icd10pcs_codes_YYYY.txt (each also .gz) \
                 or HCPCYYYY_MMM_ANWEB.xlsx"
            ),
            RefreshError::Damaged(e) => write!(f, "{e}"),
            RefreshError::Io { path, what } => write!(f, "{path}:0: {what}"),
            RefreshError::Manifest { path, line, what } => write!(f, "{path}:{line}: {what}"),
            RefreshError::NotPinned {
                path,
                listed,
                found,
            } => write!(
                f,
                "{path}:0: SHA-256 {found} is not the {listed} the manifest pins: the file changed since it was merged"
            ),
            RefreshError::Conflict { path, what } => write!(f, "{path}:0: {what}"),
        }
    }
}

impl std::error::Error for RefreshError {}

impl From<TableError> for RefreshError {
    fn from(e: TableError) -> Self {
        RefreshError::Damaged(e)
    }
}

/// What a file's name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognized {
    /// Which file.
    pub kind: FileKind,
    /// First day of its release (`yyyymmdd`).
    pub effective: u32,
    /// The release in words (`FY2028`, `July 2026 quarter`).
    pub release: String,
}

const QUARTERS: [(&str, u32); 4] = [("JAN", 1), ("APR", 4), ("JUL", 7), ("OCT", 10)];

/// Recognizes an official file by its name (without folder).
///
/// ```
/// use medcode_tables::refresh::{recognize_name, FileKind};
/// let r = recognize_name("icd10pcs_order_2028.txt").unwrap();
/// assert_eq!((r.kind, r.effective, r.release.as_str()), (FileKind::Icd10pcsOrder, 20271001, "FY2028"));
/// let r = recognize_name("HCPC2026_JUL_ANWEB_v2.xlsx").unwrap();
/// assert_eq!((r.kind, r.effective), (FileKind::HcpcsAnweb, 20260701));
/// assert!(recognize_name("notes.pdf").is_none());
/// ```
pub fn recognize_name(name: &str) -> Option<Recognized> {
    let lower = name.to_ascii_lowercase();
    let year_after = |s: &str| -> Option<u32> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.len() == 4).then(|| digits.parse().ok()).flatten()
    };
    if let Some(rest) = lower.strip_prefix("hcpc") {
        if !lower.ends_with(".xlsx") || !lower.contains("anweb") {
            return None;
        }
        let year = year_after(rest)?;
        let month = QUARTERS
            .iter()
            .find(|(m, _)| {
                rest.get(4..)
                    .is_some_and(|r| r.to_ascii_uppercase().starts_with(&format!("_{m}")))
            })?
            .1;
        let effective = year * 10_000 + month * 100 + 1;
        return Some(Recognized {
            kind: FileKind::HcpcsAnweb,
            effective,
            release: crate::systems::quarter_name(effective),
        });
    }
    let stem = lower.strip_suffix(".gz").unwrap_or(&lower);
    let stem = stem.strip_suffix(".txt")?;
    let (kind, rest) = [
        ("icd10cm_order_", FileKind::Icd10cmOrder),
        ("icd10cm_codes_", FileKind::Icd10cmCodes),
        ("icd10pcs_order_", FileKind::Icd10pcsOrder),
        ("icd10pcs_codes_", FileKind::Icd10pcsCodes),
    ]
    .into_iter()
    .find_map(|(p, k)| {
        stem.replace('-', "_")
            .strip_prefix(p)
            .map(|r| (k, r.to_owned()))
    })?;
    // `2028`, or an April update: `April_2025` / `2025_April`.
    let april = rest.contains("april");
    let year = rest.split('_').find_map(year_after).filter(|_| {
        rest.split('_')
            .all(|p| p == "april" || year_after(p).is_some())
    })?;
    let effective = if april {
        year * 10_000 + 401
    } else {
        (year - 1) * 10_000 + 1001
    };
    Some(Recognized {
        kind,
        effective,
        release: crate::history::fiscal_release_name(effective),
    })
}

/// A code's titles in a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titles {
    /// The long (full) title.
    pub long: String,
    /// The abbreviated title, where the file has one.
    pub short: Option<String>,
}

/// One release file, read.
#[derive(Debug, Clone)]
pub struct Release {
    /// The file name as given.
    pub file: String,
    /// SHA-256 of its text (of its bytes for a workbook).
    pub sha256: String,
    /// What its name says.
    pub name: Recognized,
    /// The codes valid from the effective date, with titles.
    pub codes: BTreeMap<String, Titles>,
    /// Headings (order files) or nothing.
    pub headers: BTreeMap<String, Titles>,
    /// HCPCS modifiers in force on the effective date.
    pub modifiers: BTreeMap<String, Titles>,
}

impl Release {
    /// The system it updates.
    pub fn system(&self) -> System {
        self.name.kind.system()
    }
}

fn io(path: &Path, e: impl fmt::Display) -> RefreshError {
    RefreshError::Io {
        path: path.display().to_string(),
        what: e.to_string(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads one official file: recognized by name, then read in full (a line
/// that does not parse is refused with its number).
pub fn read(path: &Path) -> Result<Release, RefreshError> {
    let file = file_name(path);
    let name = recognize_name(&file).ok_or_else(|| RefreshError::UnknownFile {
        path: path.display().to_string(),
    })?;
    let shown = path.display().to_string();
    let mut release = Release {
        file: file.strip_suffix(".gz").unwrap_or(&file).to_owned(),
        sha256: String::new(),
        name: name.clone(),
        codes: BTreeMap::new(),
        headers: BTreeMap::new(),
        modifiers: BTreeMap::new(),
    };
    if name.kind == FileKind::HcpcsAnweb {
        let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
        release.sha256 = crate::source::sha256_hex(&bytes);
        let day = name.effective;
        for r in crate::hcpcs::read_anweb_xlsx(path)? {
            if !r.active_on(day) {
                continue;
            }
            let titles = Titles {
                long: r.long.clone(),
                short: Some(r.short.clone()).filter(|s| !s.is_empty()),
            };
            match r.record_id {
                3 => release.codes.insert(r.code, titles),
                _ => release.modifiers.insert(r.code, titles),
            };
        }
    } else {
        let text = crate::source::read_text(path)?;
        release.sha256 = crate::source::sha256_hex(text.as_bytes());
        match name.kind {
            FileKind::Icd10cmOrder | FileKind::Icd10pcsOrder => {
                let form = if name.kind == FileKind::Icd10cmOrder {
                    OrderForm::Icd10cm
                } else {
                    OrderForm::Icd10pcs
                };
                for r in order::parse_with(&shown, &text, form)? {
                    let titles = Titles {
                        long: r.long_title,
                        short: Some(r.short_title).filter(|s| !s.is_empty()),
                    };
                    let into = if r.header {
                        &mut release.headers
                    } else {
                        &mut release.codes
                    };
                    into.insert(r.code, titles);
                }
            }
            _ => release.codes = read_codes_file(&shown, &text, name.kind)?,
        }
    }
    if release.codes.is_empty() {
        return Err(TableError::new(shown, 0, crate::error::TableErrorKind::Empty("codes")).into());
    }
    Ok(release)
}

/// A codes file: one code per line, blanks, the long title.
fn read_codes_file(
    path: &str,
    text: &str,
    kind: FileKind,
) -> Result<BTreeMap<String, Titles>, TableError> {
    use crate::error::TableErrorKind;
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let (code, title) = line.split_once(' ').unwrap_or((line, ""));
        let ok = match kind {
            FileKind::Icd10pcsCodes => code.len() == 7 && crate::pcs::has_pcs_form(code),
            _ => order::is_cm_form(code),
        };
        let title = title.trim();
        if !ok {
            return Err(TableError::new(
                path,
                (i + 1) as u32,
                TableErrorKind::BadCode(code.into()),
            ));
        }
        if title.is_empty() {
            return Err(TableError::new(
                path,
                (i + 1) as u32,
                TableErrorKind::BadField {
                    column: "title".into(),
                    value: String::new(),
                    expected: "the code's title after it",
                },
            ));
        }
        out.insert(
            code.to_owned(),
            Titles {
                long: title.to_owned(),
                short: None,
            },
        );
    }
    Ok(out)
}

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

/// One manifest line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The system.
    pub system: System,
    /// The file name as published (the stored copy may end in `.gz`).
    pub file: String,
    /// SHA-256 of its text (bytes for a workbook).
    pub sha256: String,
    /// First day of the release.
    pub effective: u32,
    /// The release in words.
    pub release: String,
}

impl Stored {
    /// The stored copy's path in `dir`.
    pub fn path(&self, dir: &Path) -> PathBuf {
        if self.file.to_ascii_lowercase().ends_with(".xlsx") {
            dir.join(&self.file)
        } else {
            dir.join(format!("{}.gz", self.file))
        }
    }
}

/// Reads the manifest of the updates folder `dir` (none: no updates).
pub fn read_manifest(dir: &Path) -> Result<Vec<Stored>, RefreshError> {
    let path = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&path, e)),
    };
    let mut out: Vec<Stored> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let bad = |what: String| RefreshError::Manifest {
            path: path.display().to_string(),
            line: i + 1,
            what,
        };
        let f: Vec<&str> = line.split('\t').collect();
        let [system, file, sha256, effective, release] = f[..] else {
            return Err(bad(format!(
                "{} fields, expected 5: system, file, sha256, effective, release",
                f.len()
            )));
        };
        let system =
            System::from_id(system).ok_or_else(|| bad(format!("unknown system {system:?}")))?;
        let effective = crate::date::parse_date(effective)
            .ok_or_else(|| bad(format!("effective {effective:?} is not a date yyyy-mm-dd")))?;
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad(format!("{sha256:?} is not a SHA-256")));
        }
        out.push(Stored {
            system,
            file: file.to_owned(),
            sha256: sha256.to_owned(),
            effective,
            release: release.to_owned(),
        });
    }
    out.sort_by_key(|s| (s.system, s.effective));
    Ok(out)
}

/// Reads a stored release, refusing it unless its SHA-256 is the pinned one.
pub fn load(dir: &Path, stored: &Stored) -> Result<Release, RefreshError> {
    let path = stored.path(dir);
    let mut release = read(&path)?;
    if release.sha256 != stored.sha256 {
        return Err(RefreshError::NotPinned {
            path: path.display().to_string(),
            listed: stored.sha256.clone(),
            found: release.sha256,
        });
    }
    release.file = stored.file.clone();
    Ok(release)
}

/// The releases of one system in the updates folder, oldest first, each
/// checked against its pin.
pub fn releases_for(dir: &Path, system: System) -> Result<Vec<Release>, RefreshError> {
    read_manifest(dir)?
        .iter()
        .filter(|s| s.system == system)
        .map(|s| load(dir, s))
        .collect()
}

/// Reads every file of `folder` and checks they fit the updates folder
/// `dir`: one code list per system and date (an order file and a codes file
/// of the same release must agree; the order file is kept), none already
/// merged, each newer than the newest merged one of its system. Nothing is
/// written.
pub fn check_folder(folder: &Path, dir: &Path) -> Result<Vec<Release>, RefreshError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| io(folder, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(io(folder, "no files in the folder"));
    }
    let merged = read_manifest(dir)?;
    let mut kept: Vec<Release> = Vec::new();
    for path in &paths {
        let r = read(path)?;
        let shown = path.display().to_string();
        if let Some(m) = merged
            .iter()
            .find(|m| m.system == r.system() && m.effective >= r.name.effective)
        {
            return Err(RefreshError::Conflict {
                path: shown,
                what: format!(
                    "{} {} is not newer than {} ({}), already merged",
                    r.system().id(),
                    r.name.release,
                    m.release,
                    m.file
                ),
            });
        }
        match kept
            .iter_mut()
            .find(|k| k.system() == r.system() && k.name.effective == r.name.effective)
        {
            None => kept.push(r),
            Some(k) => {
                let long = |m: &BTreeMap<String, Titles>| -> BTreeMap<String, String> {
                    m.iter().map(|(c, t)| (c.clone(), t.long.clone())).collect()
                };
                if long(&k.codes) != long(&r.codes) {
                    return Err(RefreshError::Conflict {
                        path: shown,
                        what: format!(
                            "gives other codes or titles than {} for the same release",
                            k.file
                        ),
                    });
                }
                // Keep the file with headings and short titles (the order file).
                if r.headers.len() > k.headers.len() {
                    *k = r;
                }
            }
        }
    }
    Ok(kept)
}

/// Stores checked releases in the updates folder `dir` and lists them in
/// its manifest: a text file gzip'd (no name or time in the header, so the
/// bytes are reproducible), a workbook as it is.
pub fn store(folder: &Path, releases: &[Release], dir: &Path) -> Result<Vec<Stored>, RefreshError> {
    use std::io::Write;
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let manifest = dir.join(MANIFEST);
    let mut text =
        std::fs::read_to_string(&manifest).unwrap_or_else(|_| MANIFEST_HEADER.to_owned());
    let mut out = Vec::new();
    for r in releases {
        let stored = Stored {
            system: r.system(),
            file: r.file.clone(),
            sha256: r.sha256.clone(),
            effective: r.name.effective,
            release: r.name.release.clone(),
        };
        let source = [folder.join(&r.file), folder.join(format!("{}.gz", r.file))]
            .into_iter()
            .find(|p| p.is_file())
            .ok_or_else(|| io(&folder.join(&r.file), "gone while storing"))?;
        let target = stored.path(dir);
        if r.name.kind == FileKind::HcpcsAnweb {
            std::fs::copy(&source, &target).map_err(|e| io(&target, e))?;
        } else {
            let text = crate::source::read_text(&source)?;
            let f = std::fs::File::create(&target).map_err(|e| io(&target, e))?;
            let mut gz = flate2::GzBuilder::new()
                .mtime(0)
                .write(f, flate2::Compression::best());
            gz.write_all(text.as_bytes()).map_err(|e| io(&target, e))?;
            gz.finish().map_err(|e| io(&target, e))?;
        }
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            stored.system.id(),
            stored.file,
            stored.sha256,
            crate::date::format_date(stored.effective),
            stored.release
        ));
        out.push(stored);
    }
    std::fs::write(&manifest, text).map_err(|e| io(&manifest, e))?;
    Ok(out)
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

    #[test]
    fn names_that_are_not_release_files_are_not_recognized() {
        for name in [
            "icd10cm_order_2028.pdf",
            "icd10cm_order_addenda_2028.txt",
            "icd10cm_codes_28.txt",
            "HCPC2026_JUN_ANWEB.xlsx",
            "HCPC2026_JUL_ANWEB.txt",
            "readme.txt",
        ] {
            assert_eq!(recognize_name(name), None, "{name}");
        }
        let r = recognize_name("icd10cm-order-April-2025.txt.gz").unwrap();
        assert_eq!((r.kind, r.effective), (FileKind::Icd10cmOrder, 20250401));
    }
}
