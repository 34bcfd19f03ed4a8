//! Compiles the committed ICD-10-CM tabular into the tables the crate embeds
//! (`OUT_DIR/icd10cm.*`). A malformed source stops the build with
//! `path:line: what`.

use medcode_tables::{abbrev, compile, search, source, tabular};
use std::path::{Path, PathBuf};

const TABULAR: &str = "tables/icd10cm/icd10cm-tabular-2026-04.xml.gz";
const CHECKSUMS: &str = "tables/icd10cm/SOURCE.sha256";
/// Official short (abbreviated) titles per I/OCE quarter: the abbreviations of search are learned from them.
const SHORT_TITLES: &str = "tables/registry/ioce_icd10cm.tsv.gz";
const REGISTRY_CHECKSUMS: &str = "tables/registry/SOURCE.sha256";

fn main() {
    println!("cargo:rerun-if-changed=tables/icd10cm");
    println!("cargo:rerun-if-changed={SHORT_TITLES}");
    println!("cargo:rerun-if-changed=crates/medcode-tables/src");
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// Reads a committed source and checks that its SHA-256 is listed in `checksums`.
fn read_checked(path: &str, checksums: &str, how: &str) -> Result<(String, String), String> {
    let text = source::read_text(Path::new(path)).map_err(|e| e.to_string())?;
    let sha = source::sha256_hex(text.as_bytes());
    let expected = std::fs::read_to_string(checksums)
        .map_err(|e| format!("{checksums}:0: cannot read: {e}"))?;
    if !expected.lines().any(|l| l.starts_with(&sha)) {
        return Err(format!(
            "{path}:0: SHA-256 {sha} is not listed in {checksums}; {how}"
        ));
    }
    Ok((text, sha))
}

fn run() -> Result<(), String> {
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let (xml, sha) = read_checked(TABULAR, CHECKSUMS, "re-run scripts/import-icd10cm.sh")?;
    let tab = tabular::parse(TABULAR, &xml).map_err(|e| e.to_string())?;
    let compiled = compile::compile(TABULAR, &tab).map_err(|e| e.to_string())?;
    let (tsv, _) = read_checked(
        SHORT_TITLES,
        REGISTRY_CHECKSUMS,
        "see tables/registry/README.md",
    )?;
    let short = abbrev::newest_short_titles(SHORT_TITLES, &tsv).map_err(|e| e.to_string())?;
    let search_source = search::source_from_tabular(&tab, &short);
    let search_index =
        search::build(&search_source).map_err(|e| format!("{TABULAR}:0: search index: {e}"))?;
    let c = compiled.counts;
    let info = format!(
        concat!(
            "{{\"system\":\"icd10cm\",\"name\":\"ICD-10-CM\",\"uri\":\"http://hl7.org/fhir/sid/icd-10-cm\",",
            "\"version\":\"{version}\",\"release\":\"FY{version}, April 1 2026 update\",\"effective\":\"2026-04-01\",",
            "\"publisher\":\"National Center for Health Statistics (NCHS), CDC\",",
            "\"source\":{{\"file\":\"icd10c-tabular-April-1-2026.xml\",\"sha256\":\"{sha}\",\"via\":\"PyPI simple-icd-10-cm==1.5.0\"}},",
            "\"counts\":{{\"chapters\":{chapters},\"blocks\":{blocks},\"categories\":{categories},\"billable\":{billable},\"headers\":{headers},\"expanded\":{expanded}}},",
            "\"sizes\":{{\"codes\":{codes},\"titles\":{titles},\"outline\":{outline},\"sevenths\":{sevenths},\"search\":{search}}},",
            "\"abbreviations\":{abbreviations}}}"
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
    );
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).map_err(|e| format!("{name}: {e}"))
    };
    write("icd10cm.codes.fst", &compiled.codes)?;
    write("icd10cm.titles.bin", &compiled.titles)?;
    write("icd10cm.outline.txt", compiled.outline.as_bytes())?;
    write("icd10cm.sevenths.txt", compiled.sevenths.as_bytes())?;
    write("icd10cm.info.json", info.as_bytes())?;
    write("icd10cm.billable.txt", c.billable.to_string().as_bytes())?;
    write("icd10cm.search.bin", &search_index)?;
    let keys = fst::Map::new(compiled.codes.as_slice())
        .map(|m| m.len())
        .unwrap_or(0);
    let titles = medcode_tables::titles::TitleStore::new(&compiled.titles)
        .map(|t| t.len())
        .unwrap_or(0);
    let release = "ICD-10-CM FY2026 April 1 2026 update";
    let mut fingerprint = String::from(
        "# table, source release, rows, bytes, sha256 (regenerate: scripts/fingerprint.sh)\n",
    );
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
    ] {
        fingerprint.push_str(&format!(
            "{name}, {release}, {rows}, {}, {}\n",
            bytes.len(),
            source::sha256_hex(bytes)
        ));
    }
    write("fingerprint.csv", fingerprint.as_bytes())?;
    Ok(())
}
