//! The updates folder: its manifest, storing checked files, reading them back.

use super::read::{io, read, Release, Titles};
use super::{FileKind, RefreshError, System};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest of the updates folder.
pub const MANIFEST: &str = "UPDATES.tsv";

/// The manifest's header lines.
pub const MANIFEST_HEADER: &str =
    "# Newer official release files merged into the embedded history: written by\n\
# scripts/build.sh --release FOLDER (see README.md here). The build reads only\n\
# the files listed, and refuses one whose text does not have this SHA-256.\n\
# system\tfile\tsha256\teffective\trelease\n";

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
