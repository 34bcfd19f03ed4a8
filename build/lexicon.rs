//! The search lexicon of each system (`OUT_DIR/<id>.lexicon.bin`): the
//! curated terms of `tables/lexicon/terms.tsv` that name the system and,
//! for ICD-10-PCS, the word parts of `tables/lexicon/pcs-morphology.tsv`.

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
    let bytes = lexicon::build(&terms).map_err(BuildError::compile(TERMS, "lexicon"))?;
    let name = format!("{id}.lexicon.bin");
    std::fs::write(out.join(&name), &bytes).map_err(BuildError::io(&name))?;
    let source = if terms.is_empty() {
        "none"
    } else {
        "curated: tables/lexicon (a public reference per entry)"
    };
    super::systems::fingerprint_row(fingerprint, &name, source, terms.len(), &bytes);
    Ok(())
}
