//! Compiles the committed ICD-10-CM tabular into the tables the crate embeds
//! (`OUT_DIR/icd10cm.*`). A malformed source stops the build with
//! `path:line: what`.

use error::BuildError;
use medcode_tables::date::{Span, OPEN_END};
use medcode_tables::{
    abbrev, compile, conversions, history, notes, refresh, search, source, tabular, validity,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "build/error.rs"]
mod error;
#[path = "build/lexicon.rs"]
mod lexicon;
#[path = "build/systems.rs"]
mod systems;

const TABULAR: &str = "tables/icd10cm/icd10cm-tabular-2026-04.xml.gz";
const CHECKSUMS: &str = "tables/icd10cm/SOURCE.sha256";
/// Official short (abbreviated) titles per I/OCE quarter: the abbreviations of search are learned from them.
const SHORT_TITLES: &str = "tables/registry/ioce_icd10cm.tsv.gz";
const REGISTRY_CHECKSUMS: &str = "tables/registry/SOURCE.sha256";

fn main() {
    println!("cargo:rerun-if-changed=tables/icd10cm");
    println!("cargo:rerun-if-changed=tables/registry");
    println!("cargo:rerun-if-changed=tables/releases");
    println!("cargo:rerun-if-changed=tables/lexicon");
    println!("cargo:rerun-if-changed=crates/medcode-tables/src");
    println!("cargo:rerun-if-changed=build");
    println!(
        "cargo:rerun-if-changed={}",
        systems::updates_dir().display()
    );
    for var in [
        "MEDCODE_CPT_TABLE",
        "MEDCODE_CUSTOM_TABLE",
        "MEDCODE_UPDATES",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
        if let Some(path) = std::env::var_os(var) {
            println!("cargo:rerun-if-changed={}", Path::new(&path).display());
        }
    }
    // A CPT module without a licensee's table has no titles to search: the
    // runtime leaves its search code out (`data::SEARCHABLE`).
    println!("cargo::rustc-check-cfg=cfg(medcode_cpt_unlicensed)");
    if std::env::var_os("CARGO_FEATURE_CPT").is_some()
        && std::env::var_os("MEDCODE_CPT_TABLE").is_none()
    {
        println!("cargo:rustc-cfg=medcode_cpt_unlicensed");
    }
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// Reads a committed source and checks that its SHA-256 is listed in `checksums`.
fn read_checked(path: &str, checksums: &str, how: &str) -> Result<(String, String), BuildError> {
    let text = source::read_text(Path::new(path))?;
    let sha = source::sha256_hex(text.as_bytes());
    let expected = std::fs::read_to_string(checksums).map_err(BuildError::io(checksums))?;
    if !expected.lines().any(|l| l.starts_with(&sha)) {
        return Err(BuildError::Check(format!(
            "{path}:0: SHA-256 {sha} is not listed in {checksums}; {how}"
        )));
    }
    Ok((text, sha))
}

/// Whether cargo feature `name` is on.
fn feature(name: &str) -> bool {
    std::env::var_os(format!("CARGO_FEATURE_{}", name.to_ascii_uppercase())).is_some()
}

fn run() -> Result<(), BuildError> {
    let out = PathBuf::from(
        std::env::var_os("OUT_DIR")
            .ok_or_else(|| BuildError::Check("OUT_DIR is not set (run through cargo)".into()))?,
    );
    let mut fingerprint = String::from(
        "# table, source release, rows, bytes, sha256 (regenerate: scripts/fingerprint.sh)\n",
    );
    if feature("icd10cm") {
        let (tab, docs) = icd10cm(&out, &mut fingerprint)?;
        lexicon::write_with_defaults(&out, &tab, &docs, &mut fingerprint)?;
    }
    if feature("icd10pcs") {
        systems::icd10pcs(&out, &mut fingerprint)?;
        lexicon::write(&out, "icd10pcs", &mut fingerprint)?;
    }
    if feature("hcpcs") {
        systems::hcpcs(&out, &mut fingerprint)?;
        lexicon::write(&out, "hcpcs", &mut fingerprint)?;
    }
    if feature("cpt") {
        systems::cpt(&out, &mut fingerprint)?;
        lexicon::write(&out, "cpt", &mut fingerprint)?;
    }
    if feature("custom") {
        systems::custom(&out, &mut fingerprint)?;
        lexicon::write(&out, "custom", &mut fingerprint)?;
    }
    std::fs::write(out.join("fingerprint.csv"), fingerprint.as_bytes())
        .map_err(BuildError::io("fingerprint.csv"))
}

/// A search document of a tabular system: its key, and its entry in the
/// code map (none for a code newer than the tabular).
type TabularDoc = (Vec<u8>, Option<medcode_tables::layout::Entry>);

/// The ICD-10-CM search index as it ships: without the postings the
/// title store gives (each code's title words), which the runtime adds back
/// on the first search (`medcode_tables::postings`); 155 → 43 kB gzip.
fn index_beside_titles(
    whole: &[u8],
    compiled: &compile::Compiled,
    docs: &[TabularDoc],
) -> Result<Vec<u8>, BuildError> {
    let titles = medcode_tables::titles::TitleStore::new(&compiled.titles).map_err(|error| {
        BuildError::Titles {
            table: "icd10cm.titles.bin".into(),
            error,
        }
    })?;
    let sevenths = medcode_tables::outline::parse_sevenths(&compiled.sevenths);
    let title_of = medcode_tables::postings::tabular_title_ids(docs, &sevenths);
    medcode_tables::postings::split_for_titles(whole, &titles, &title_of).map_err(|error| {
        BuildError::Split {
            path: TABULAR.into(),
            error,
        }
    })
}

/// The index with the documents the code map marks billable that the
/// newest release of `hist` no longer has (FY2027 deletions, codes that
/// became headers): search ranks them last and calls them not billable.
/// The runtime used to find them with a walk over the whole history on the
/// first search (about 6 ms in a browser); a test holds the list equal to
/// that walk's.
fn with_ended_docs(
    index: &[u8],
    docs: &[TabularDoc],
    hist: &History,
) -> Result<Vec<u8>, BuildError> {
    let spans =
        fst::Map::new(hist.map.as_slice()).map_err(BuildError::fst("icd10cm.history.fst"))?;
    let newest = hist
        .releases
        .lines()
        .filter_map(|l| l.split('\t').next()?.parse::<u32>().ok())
        .max()
        .ok_or_else(|| BuildError::Check("icd10cm.releases.txt:0: no release".into()))?;
    let ended: Vec<u32> = docs
        .iter()
        .enumerate()
        .filter(|(_, (key, entry))| {
            entry.is_none_or(|e| e.billable)
                && !spans
                    .get(key)
                    .is_some_and(|v| medcode_tables::history::decode_span(v).contains(newest))
        })
        .map(|(id, _)| id as u32)
        .collect();
    let index = search::SearchIndex::new(index)
        .map_err(|e| BuildError::Check(format!("{TABULAR}:0: {e}")))?;
    index
        .with_ended(&ended)
        .map_err(BuildError::compile(TABULAR, "search index"))
}

/// ICD-10-CM: the tabular (FY2026 April 1 2026 update) and its history;
/// returns the tabular and the search documents, for the lexicon's
/// defaults (the tabular's `NOS` inclusion terms).
fn icd10cm(
    out: &Path,
    fingerprint: &mut String,
) -> Result<(tabular::Tabular, Vec<TabularDoc>), BuildError> {
    let (xml, sha) = read_checked(TABULAR, CHECKSUMS, "re-run scripts/import-icd10cm.sh")?;
    let tab = tabular::parse(TABULAR, &xml)?;
    let compiled = compile::compile(TABULAR, &tab)?;
    let (tsv, _) = read_checked(
        SHORT_TITLES,
        REGISTRY_CHECKSUMS,
        "see tables/registry/README.md",
    )?;
    let short = abbrev::newest_short_titles(SHORT_TITLES, &tsv)?;
    let hist = icd10cm_history(&compiled.codes, &tab)?;
    let added = added_untabulated(&hist.addenda, &compiled.codes)?;
    let search_source = search::source_from_tabular(&tab, &short, &added);
    let whole_index =
        search::build(&search_source).map_err(BuildError::compile(TABULAR, "search index"))?;
    // The search documents, listed once for both steps below.
    let docs = {
        let codes = fst::Map::new(compiled.codes.as_slice())
            .map_err(BuildError::fst("icd10cm.codes.fst"))?;
        let added: Vec<&str> = added.iter().map(|(code, _)| code.as_str()).collect();
        search::tabular_docs(&codes, &added)
    };
    let search_index = index_beside_titles(&whole_index, &compiled, &docs)?;
    let search_index = with_ended_docs(&search_index, &docs, &hist)?;
    let c = compiled.counts;
    let info = format!(
        concat!(
            "{{\"system\":\"icd10cm\",\"name\":\"ICD-10-CM\",\"uri\":\"http://hl7.org/fhir/sid/icd-10-cm\",",
            "\"version\":\"{version}\",\"release\":\"FY{version}, April 1 2026 update\",\"effective\":\"2026-04-01\",",
            "\"publisher\":\"National Center for Health Statistics (NCHS), CDC\",",
            "\"source\":{{\"file\":\"icd10c-tabular-April-1-2026.xml\",\"sha256\":\"{sha}\",\"via\":\"PyPI simple-icd-10-cm==1.5.0\"}},",
            "\"counts\":{{\"chapters\":{chapters},\"blocks\":{blocks},\"categories\":{categories},\"billable\":{billable},\"headers\":{headers},\"expanded\":{expanded}}},",
            "\"sizes\":{{\"codes\":{codes},\"titles\":{titles},\"outline\":{outline},\"sevenths\":{sevenths},\"search\":{search}}},",
            "\"abbreviations\":{abbreviations}{updates},",
            "\"addenda\":{{\"file\":\"icd10cm_codes_addenda_2027.txt\",\"release\":\"FY2027\",\"effective\":\"2026-10-01\",",
            "\"sha256\":\"{addenda_sha}\",\"transcribed\":true,\"added\":{added},\"deleted\":{deleted},\"revised\":{revised},",
            "\"note\":\"Titles of the codes new on 2026-10-01 and the 4 titles revised then come from the FY2027 addenda, transcribed from a public copy (bytes not verified against CMS)\"}}}}"
        ),
        version = tab.version,
        sha = sha,
        chapters = c.chapters,
        blocks = c.blocks,
        categories = c.categories,
        billable = c.billable,
        headers = c.headers,
        expanded = c.expanded,
        codes = compiled.codes.len(),
        titles = compiled.titles.len(),
        outline = compiled.outline.len(),
        sevenths = compiled.sevenths.len(),
        search = search_index.len(),
        abbreviations = search_source.abbreviations.len(),
        updates = systems::updates_info(&hist.updates),
        addenda_sha = hist.addenda_sha,
        added = hist.addenda_counts.0,
        deleted = hist.addenda_counts.1,
        revised = hist.addenda_counts.2,
    );
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).map_err(BuildError::io(name))
    };
    write("icd10cm.codes.fst", &compiled.codes)?;
    write("icd10cm.titles.bin", &compiled.titles)?;
    write("icd10cm.outline.txt", compiled.outline.as_bytes())?;
    write("icd10cm.sevenths.txt", compiled.sevenths.as_bytes())?;
    write("icd10cm.info.json", info.as_bytes())?;
    write("icd10cm.billable.txt", c.billable.to_string().as_bytes())?;
    write("icd10cm.search.bin", &search_index)?;
    let order = tabular_order(&tab);
    write("icd10cm.order.txt", order.as_bytes())?;
    let notes = notes::compile(TABULAR, &xml, &compiled.codes)?;
    write("icd10cm.notes.bin", &notes.bytes)?;
    let keys = fst::Map::new(compiled.codes.as_slice())
        .map(|m| m.len())
        .unwrap_or(0);
    let titles = medcode_tables::titles::TitleStore::new(&compiled.titles)
        .map(|t| t.len())
        .unwrap_or(0);
    let release = "ICD-10-CM FY2026 April 1 2026 update";
    for (name, rows, bytes) in [
        ("icd10cm.codes.fst", keys, compiled.codes.as_slice()),
        (
            "icd10cm.titles.bin",
            titles as usize,
            compiled.titles.as_slice(),
        ),
        (
            "icd10cm.outline.txt",
            compiled.outline.lines().count(),
            compiled.outline.as_bytes(),
        ),
        (
            "icd10cm.sevenths.txt",
            compiled.sevenths.lines().count(),
            compiled.sevenths.as_bytes(),
        ),
        (
            "icd10cm.search.bin",
            search_source.docs.len(),
            search_index.as_slice(),
        ),
        ("icd10cm.notes.bin", notes.notes, notes.bytes.as_slice()),
        ("icd10cm.order.txt", order.lines().count(), order.as_bytes()),
    ] {
        // The notes are embedded (and listed) only in the `notes` build.
        if name == "icd10cm.notes.bin" && !feature("notes") {
            continue;
        }
        systems::fingerprint_row(fingerprint, name, release, rows, bytes);
    }
    for (name, rows, bytes) in [
        ("icd10cm.history.fst", hist.codes, hist.map.as_slice()),
        (
            "icd10cm.releases.txt",
            hist.releases.lines().count(),
            hist.releases.as_bytes(),
        ),
        (
            "icd10cm.replaced.txt",
            hist.replaced.lines().count(),
            hist.replaced.as_bytes(),
        ),
        (
            "icd10cm.retired.txt",
            hist.retired.lines().count(),
            hist.retired.as_bytes(),
        ),
        (
            "icd10cm.addenda.txt",
            hist.addenda.lines().count(),
            hist.addenda.as_bytes(),
        ),
    ] {
        write(name, bytes)?;
        let release = if name == "icd10cm.addenda.txt" {
            "ICD-10-CM FY2027 code-title addenda (transcribed)"
        } else {
            HISTORY_RELEASE
        };
        systems::fingerprint_row(fingerprint, name, release, rows, bytes);
    }
    systems::mce_table(out, fingerprint, "icd10cm")?;
    write("icd10cm.gaps.txt", b"")?;
    write("icd10cm.shorts.bin", b"")?;
    Ok((tab, docs))
}

/// The parents whose children the tabular lists in another order than
/// their codes sort (I82: I82.0-I82.7, I82.A-I82.C, I82.8, I82.9), one line
/// each: `parent<TAB>child child…` in tabular order (keys without dots);
/// the parent of the categories is the empty key.
fn tabular_order(tab: &tabular::Tabular) -> String {
    let mut diags: Vec<&tabular::Diag> = tab.diags.iter().collect();
    diags.sort_by_key(|d| d.line);
    let mut stack: Vec<&str> = Vec::new();
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in &diags {
        while stack.last().is_some_and(|p| !d.code.starts_with(p)) {
            stack.pop();
        }
        // A category (no parent diag) is listed under "": the book puts
        // some out of key order (M1A before M10, C4A after C43, U00-U85 last).
        let parent = stack.last().copied().unwrap_or("");
        children.entry(parent).or_default().push(&d.code);
        stack.push(&d.code);
    }
    let mut out = String::new();
    for (parent, kids) in children {
        if !kids.is_sorted() {
            out.push_str(&format!("{parent}\t{}\n", kids.join(" ")));
        }
    }
    out
}

const CM_VALIDITY: &str = "tables/registry/mce_icd10cm_validity.tsv.gz";
const CM_CONVERSIONS: &str = "tables/registry/msdrg_icd10cm_conversions.tsv.gz";
const CM_SHORT_TITLES: &str = "tables/registry/ioce_icd10cm.tsv.gz";
const HISTORY_RELEASE: &str = "ICD-10-CM FY2016-FY2027 validity (msdrg 1.2.0 + pyoce 0.1.0)";
/// First day of the embedded tabular (FY2026, April 1 2026 update).
const TABULAR_EFFECTIVE: u32 = 20260401;

/// A registry table, refused unless its SHA-256 is listed in `SOURCE.sha256`.
fn registry_text(path: &str) -> Result<String, BuildError> {
    read_checked(
        path,
        REGISTRY_CHECKSUMS,
        "re-run scripts/import-registry.py",
    )
    .map(|(text, _)| text)
}

/// Data rows of a registry TSV (after its header line) split on tabs, with line numbers.
fn rows(text: &str) -> impl Iterator<Item = (u32, Vec<&str>)> {
    text.lines()
        .enumerate()
        .skip(1)
        .map(|(i, l)| (i as u32 + 1, l.split('\t').collect()))
}

struct History {
    map: Vec<u8>,
    codes: usize,
    releases: String,
    replaced: String,
    retired: String,
    /// `A|R<TAB>code<TAB>yyyymmdd<TAB>title` lines from the FY2027 addenda.
    addenda: String,
    /// Added, deleted and revised codes of the addenda.
    addenda_counts: (usize, usize, usize),
    /// SHA-256 of the addenda file.
    addenda_sha: String,
    /// Newer releases merged from the updates folder.
    updates: Vec<refresh::Report>,
}

/// The codes the addenda lines add (`A<TAB>code<TAB>day<TAB>title`) that
/// the tabular does not list, with their titles, in key order, each once:
/// search indexes them among the tabular's codes, as the runtime lists them
/// (`medcode::search`, `tabular_docs`).
fn added_untabulated(addenda: &str, codes_fst: &[u8]) -> Result<Vec<(String, String)>, BuildError> {
    let tabular = fst::Map::new(codes_fst).map_err(BuildError::fst("icd10cm.codes.fst"))?;
    let mut added: Vec<(String, String)> = Vec::new();
    for line in addenda.lines() {
        let mut f = line.split('\t');
        let (Some("A"), Some(code), Some(_day), Some(title)) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        if !tabular.contains_key(code) {
            added.push((code.to_owned(), title.to_owned()));
        }
    }
    // The first line of a code gives its title, as at run time.
    added.sort_by(|a, b| a.0.cmp(&b.0));
    added.dedup_by(|b, a| a.0 == b.0);
    Ok(added)
}

/// The FY2027 ICD-10-CM code-title addenda (a transcription: see its SOURCE.md).
const ADDENDA: &str =
    "tables/releases/icd10cm-2027-addenda-transcribed/icd10cm_codes_addenda_2027.txt.gz";
/// First day of the release the addenda describe (FY2027).
const ADDENDA_EFFECTIVE: u32 = 20261001;

/// The addenda's titles, checked against the validity history: every code
/// added starts on [`ADDENDA_EFFECTIVE`], every code deleted ends the day
/// before, every code revised is valid on both sides.
/// The addenda table, its (added, deleted, revised) counts and its SHA-256.
type AddendaTable = (String, (usize, usize, usize), String);

fn icd10cm_addenda(merged: &BTreeMap<String, Span>) -> Result<AddendaTable, BuildError> {
    let (text, sha) = read_checked(
        ADDENDA,
        "tables/releases/SOURCE.sha256",
        "see tables/releases/README.md",
    )?;
    let a = medcode_tables::addenda::read(ADDENDA, &text)?;
    let day_before = ADDENDA_EFFECTIVE - 71; // 2026-09-30
    if medcode_tables::date::next_day(day_before) != ADDENDA_EFFECTIVE {
        return Err(BuildError::Check(format!(
            "{ADDENDA}:0: the day before {ADDENDA_EFFECTIVE} is miscomputed"
        )));
    }
    let span = |c: &str| merged.get(c).copied();
    let mut lines: Vec<(String, u32, char, String)> = Vec::new();
    for (code, title) in &a.added {
        if span(code).map(|s| s.start) != Some(ADDENDA_EFFECTIVE) {
            return Err(BuildError::Check(format!(
                "{ADDENDA}:0: {code} is added, but the validity history does not start it on {ADDENDA_EFFECTIVE}"
            )));
        }
        lines.push((code.clone(), ADDENDA_EFFECTIVE, 'A', title.clone()));
    }
    for (code, _) in &a.deleted {
        if span(code).map(|s| s.end) != Some(day_before) {
            return Err(BuildError::Check(format!(
                "{ADDENDA}:0: {code} is deleted, but the validity history does not end it on {day_before}"
            )));
        }
    }
    for (code, _, new) in &a.revised {
        if !span(code).is_some_and(|s| s.contains(day_before) && s.contains(ADDENDA_EFFECTIVE)) {
            return Err(BuildError::Check(format!(
                "{ADDENDA}:0: {code} is retitled, but the validity history does not hold it across {ADDENDA_EFFECTIVE}"
            )));
        }
        lines.push((code.clone(), ADDENDA_EFFECTIVE, 'R', new.clone()));
    }
    lines.sort();
    let out = lines
        .iter()
        .map(|(c, d, k, t)| format!("{k}\t{c}\t{d}\t{t}\n"))
        .collect();
    Ok((out, (a.added.len(), a.deleted.len(), a.revised.len()), sha))
}

/// Validity spans FY2016-FY2027 (MCE table), releases, replacements (msdrg
/// conversions) and abbreviated titles (I/OCE) of codes the tabular no longer has.
fn icd10cm_history(codes_fst: &[u8], tab: &tabular::Tabular) -> Result<History, BuildError> {
    let text = registry_text(CM_VALIDITY)?;
    let validity = validity::read(CM_VALIDITY, &text)?;
    let mut merged: BTreeMap<String, Span> = BTreeMap::new();
    for (code, list) in validity.spans {
        match list.as_slice() {
            [one] => merged.insert(code, *one),
            _ => {
                return Err(BuildError::Check(format!(
                "{CM_VALIDITY}:0: {code} has {} separate validity spans; the history map holds one",
                list.len()
            )))
            }
        };
    }
    let (mut addenda, addenda_counts, addenda_sha) = icd10cm_addenda(&merged)?;
    let updates = icd10cm_updates(&mut merged, &mut addenda, tab)?;
    // The tabular's own update (April 1 2026) starts a release even where no
    // code's validity changed on that day; so does a merged release.
    let mut starts = history::release_starts(merged.values());
    starts.push(TABULAR_EFFECTIVE);
    starts.extend(updates.iter().map(|u| u.effective));
    starts.sort_unstable();
    starts.dedup();
    let releases: String = starts
        .into_iter()
        .map(|d| format!("{d}\t{}\n", history::fiscal_release_name(d)))
        .collect();
    let text = registry_text(CM_CONVERSIONS)?;
    let mut replaced: Vec<(String, String, u32)> = Vec::new();
    for c in conversions::read_registry(CM_CONVERSIONS, &text)? {
        let (Some(new), Some(old)) = (c.current, c.previous) else {
            continue;
        };
        // Keep what the history cannot tell: a deleted code's successors that
        // do not extend it (codes extending it are found by prefix at run time).
        let closed = merged.get(&old).is_some_and(|s| s.end != OPEN_END);
        if closed && merged.contains_key(&new) && !new.starts_with(&old) {
            replaced.push((old, new, c.effective));
        }
    }
    replaced.sort();
    replaced.dedup();
    let replaced = replaced
        .iter()
        .map(|(o, n, d)| format!("{o}\t{n}\t{d}\n"))
        .collect();
    // Abbreviated titles of codes not in the tabular: the newest I/OCE quarter that has one.
    let tabular = fst::Map::new(codes_fst).map_err(BuildError::fst("icd10cm.codes.fst"))?;
    let text = registry_text(CM_SHORT_TITLES)?;
    let mut newest: BTreeMap<&str, (u32, &str)> = BTreeMap::new();
    for (line, f) in rows(&text) {
        let code = f
            .first()
            .and_then(|k| k.split('|').next())
            .unwrap_or_default();
        if !merged.contains_key(code) || tabular.contains_key(code) {
            continue;
        }
        let version: u32 = f
            .get(3)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{CM_SHORT_TITLES}:{line}: bad hi_version"))?;
        let title = f.get(1).copied().unwrap_or_default().trim();
        if !title.is_empty() && newest.get(code).is_none_or(|(v, _)| *v < version) {
            newest.insert(code, (version, title));
        }
    }
    let retired = newest
        .iter()
        .map(|(c, (_, t))| format!("{c}\t{t}\n"))
        .collect();
    let map =
        history::compile_map(merged.iter()).map_err(BuildError::fst("icd10cm.history.fst"))?;
    Ok(History {
        map,
        codes: merged.len(),
        releases,
        replaced,
        retired,
        addenda,
        addenda_counts,
        addenda_sha,
        updates,
    })
}

/// Merges the newer ICD-10-CM releases of the updates folder into the spans
/// (`medcode_tables::refresh`): codes added start on the release's day, codes
/// it no longer lists end the day before, and the titles of added and
/// retitled codes join the addenda lines (`A|R<TAB>code<TAB>day<TAB>title`),
/// so they answer by date as the FY2027 addenda do.
fn icd10cm_updates(
    merged: &mut BTreeMap<String, Span>,
    addenda: &mut String,
    tab: &tabular::Tabular,
) -> Result<Vec<refresh::Report>, BuildError> {
    let releases = refresh::releases_for(&systems::updates_dir(), refresh::System::Icd10cm)?;
    if releases.is_empty() {
        return Ok(Vec::new());
    }
    // Titles as the module writes them: a code made with a 7th character
    // reads its leaf's title, a comma and the character's meaning.
    let mut tabular: BTreeMap<String, String> = BTreeMap::new();
    for d in &tab.diags {
        tabular.insert(d.code.clone(), d.title.clone());
        for (c, meaning) in d
            .seventh
            .and_then(|def| tab.seventh_defs.get(def))
            .map_or(&[][..], |def| def.chars.as_slice())
        {
            let key = medcode_tables::layout::expand(&d.code, *c);
            tabular.insert(key, format!("{}, {meaning}", d.title));
        }
    }
    let mut reports = Vec::new();
    for r in releases {
        let newest = merged
            .values()
            .flat_map(|s| [s.start, medcode_tables::date::next_day(s.end)])
            .filter(|&d| d < OPEN_END)
            .max()
            .unwrap_or(0)
            .max(ADDENDA_EFFECTIVE);
        refresh::check_newer(&r, newest)?;
        let day_before = medcode_tables::date::previous_day(r.name.effective);
        // The newest addendum title in force the day before, per code (rows
        // are sorted by code, then day), read once per release.
        let mut addendum: BTreeMap<String, String> = BTreeMap::new();
        for l in addenda.lines() {
            let f: Vec<&str> = l.split('\t').collect();
            if let (Some(code), Some(day), Some(title)) = (f.get(1), f.get(2), f.get(3)) {
                if day.parse::<u32>().is_ok_and(|d| d <= day_before) {
                    addendum.insert((*code).to_owned(), (*title).to_owned());
                }
            }
        }
        let title_before = |code: &str| -> Option<String> {
            addendum.get(code).or_else(|| tabular.get(code)).cloned()
        };
        let changes = refresh::merge_spans(merged, &r, &title_before)?;
        let mut rows: Vec<String> = addenda.lines().map(str::to_owned).collect();
        for (kind, codes) in [('A', &changes.added), ('R', &changes.retitled)] {
            for code in codes {
                let title = r
                    .codes
                    .get(code)
                    .map(|t| t.long.as_str())
                    .unwrap_or_default();
                rows.push(format!("{kind}\t{code}\t{}\t{title}", r.name.effective));
            }
        }
        rows.sort_by_key(|l| {
            let mut f = l.split('\t').skip(1);
            let code = f.next().unwrap_or_default().to_owned();
            (code, f.next().unwrap_or_default().to_owned())
        });
        *addenda = rows.iter().map(|l| format!("{l}\n")).collect();
        reports.push(refresh::Report {
            system: refresh::System::Icd10cm,
            file: r.file.clone(),
            sha256: r.sha256.clone(),
            effective: r.name.effective,
            release: r.name.release.clone(),
            codes: changes,
            modifiers: Default::default(),
        });
    }
    Ok(reports)
}
