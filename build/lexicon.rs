//! The search lexicon of each system (`OUT_DIR/<id>.lexicon.bin`): the
//! curated terms of `tables/lexicon/terms.tsv` that name the system and,
//! for ICD-10-PCS, the word parts of `tables/lexicon/pcs-morphology.tsv`;
//! for ICD-10-CM, also the tabular's `NOS` inclusion terms, each read as its
//! code (`medcode_tables::lexicon::nos_terms`).

use super::error::BuildError;
use medcode_tables::lexicon::{self, Term};
use std::path::Path;

const TERMS: &str = "tables/lexicon/terms.tsv";
const MORPHOLOGY: &str = "tables/lexicon/pcs-morphology.tsv";

fn read(path: &str) -> Result<String, BuildError> {
    std::fs::read_to_string(path).map_err(BuildError::io(path))
}

/// Compiles and writes the lexicon of `id` (empty for CPT and custom lists)
/// and its fingerprint row.
pub fn write(out: &Path, id: &str, fingerprint: &mut String) -> Result<(), BuildError> {
    let mut terms: Vec<Term> = Vec::new();
    if matches!(id, "icd10cm" | "icd10pcs" | "hcpcs") {
        terms = lexicon::read_terms(TERMS, &read(TERMS)?, id)?;
        if id == "icd10pcs" {
            terms.extend(lexicon::read_morphology(MORPHOLOGY, &read(MORPHOLOGY)?)?);
        }
    }
    let source = if terms.is_empty() {
        "none"
    } else {
        "curated: tables/lexicon (a public reference per entry)"
    };
    finish(out, id, &terms, &[], source, fingerprint)
}

/// The ICD-10-CM lexicon: the curated terms, each word reading the tabular
/// gives a default for read as that default first, and the defaults: the
/// search documents (`docs`, in document order) whose `NOS` inclusion
/// terms a query can name.
pub fn write_with_defaults(
    out: &Path,
    tab: &medcode_tables::tabular::Tabular,
    docs: &[super::TabularDoc],
    fingerprint: &mut String,
) -> Result<(), BuildError> {
    let mut terms = lexicon::read_terms(TERMS, &read(TERMS)?, "icd10cm")?;
    let nos = lexicon::tabular_nos_terms(tab);
    lexicon::read_defaults_first(&mut terms, &nos);
    let mut defaults = Vec::with_capacity(nos.len());
    for term in &nos {
        let code = term.alternatives.trim_start_matches('=');
        let doc = docs
            .binary_search_by(|(key, _)| key.as_slice().cmp(code.as_bytes()))
            .map_err(|_| {
                BuildError::Check(format!(
                    "{}:0: the NOS term {:?} names {code}, which is not a search document",
                    super::TABULAR,
                    term.key
                ))
            })?;
        if let Some((words, hash)) = lexicon::default_key(&term.key) {
            defaults.push(lexicon::TermDefault {
                doc: doc as u32,
                words,
                hash,
            });
        }
    }
    defaults.sort_by_key(|d| d.doc);
    defaults.dedup();
    let source = "curated: tables/lexicon (a public reference per entry); NOS inclusion terms of the tabular";
    finish(out, "icd10cm", &terms, &defaults, source, fingerprint)
}

/// Compiles `terms` and `defaults` into `OUT_DIR/<id>.lexicon.bin` and
/// writes its fingerprint row (one row counted per term and per default).
fn finish(
    out: &Path,
    id: &str,
    terms: &[Term],
    defaults: &[lexicon::TermDefault],
    source: &str,
    fingerprint: &mut String,
) -> Result<(), BuildError> {
    let bytes = lexicon::build_with_defaults(terms, defaults)
        .map_err(BuildError::compile(TERMS, "lexicon"))?;
    let name = format!("{id}.lexicon.bin");
    std::fs::write(out.join(&name), &bytes).map_err(BuildError::io(&name))?;
    let rows = terms.len() + defaults.len();
    super::systems::fingerprint_row(fingerprint, &name, source, rows, &bytes);
    Ok(())
}
