//! The word index of a flat system ships in its module, compiled from the
//! official titles by `flat_compile`; these tests hold it to the titles the
//! module itself writes (ICD-10-PCS: templates filled with axis labels), so
//! its documents, words and word counts are those search ranks by.

use crate::codeset::CodeSet;
use medcode_tables::postings::split_for_titles;
use medcode_tables::search::{build, SearchIndex, SearchSource};

/// The index of the titles and short titles `set` writes for its
/// documents, with its embedded abbreviations, and for a set with title
/// templates the words of each title as written.
fn index_of_written_titles(set: &CodeSet) -> Vec<u8> {
    let embedded = SearchIndex::new(set.search_bytes()).unwrap();
    let templates = set.axes.is_some();
    let mut source = SearchSource {
        abbreviations: embedded
            .abbreviations()
            .map(|(short, longs)| {
                (
                    short.to_owned(),
                    longs.split(' ').map(str::to_owned).collect(),
                )
            })
            .collect(),
        clauses: embedded.clauses,
        ..SearchSource::default()
    };
    for doc in super::tabular_docs(set).unwrap() {
        let key = doc.key();
        let mut title = String::new();
        set.write_code_title(key, doc.entry.title, &mut title);
        if templates {
            source.words.push(medcode_tables::words::distinct_words(
                &title,
                embedded.clauses,
            ));
        }
        let short = set.short_title(key).into_iter().collect();
        source.docs.push((title, short));
    }
    build(&source).unwrap()
}

/// Before the index shipped, the page built it from the title stores on
/// the first search (100-130 ms for ICD-10-PCS in Node and Chromium); the
/// shipped bytes equal that index of the titles as the module writes them.
/// HCPCS stores its titles whole, so its index ships without the postings
/// they give: the shipped bytes equal that index split from the module's
/// own title store.
#[test]
fn shipped_index_equals_the_index_of_the_titles_the_module_writes() {
    for set in [CodeSet::icd10pcs(), CodeSet::hcpcs()] {
        let embedded = SearchIndex::new(set.search_bytes()).unwrap();
        assert!(embedded.docs > 1000, "{}: the index ships", set.system().id);
        let mut written = index_of_written_titles(set);
        if embedded.derived {
            let title_of = super::title_ids(set, &super::tabular_docs(set).unwrap());
            written = split_for_titles(&written, set.title_store(), &title_of).unwrap();
        }
        assert!(
            set.search_bytes() == written.as_slice(),
            "{}: index bytes differ",
            set.system().id
        );
    }
    assert!(
        !SearchIndex::new(CodeSet::icd10pcs().search_bytes())
            .unwrap()
            .derived
    );
    assert!(
        SearchIndex::new(CodeSet::hcpcs().search_bytes())
            .unwrap()
            .derived
    );
}

/// ICD-10-PCS ranks by the words of its titles as written (labels filled
/// in), which the index carries; HCPCS stores its titles whole.
#[test]
fn word_counts_ship_where_titles_are_templates() {
    let pcs = SearchIndex::new(CodeSet::icd10pcs().search_bytes()).unwrap();
    let counts = pcs.word_counts().unwrap();
    assert_eq!(counts.len(), pcs.docs as usize);
    let hcpcs = SearchIndex::new(CodeSet::hcpcs().search_bytes()).unwrap();
    assert_eq!(hcpcs.word_counts(), None);
}
