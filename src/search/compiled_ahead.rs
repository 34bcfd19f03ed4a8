//! What the compiler works out ahead for search, so the modules are
//! smaller and the first search does less: the postings a title store
//! gives (ICD-10-CM, HCPCS) are left out of the shipped index and read
//! back from the store (`medcode_tables::postings`), and the documents the
//! newest release ended are listed (ICD-10-CM). These tests hold both to what the runtime would find
//! itself.

use crate::codeset::CodeSet;
use medcode_tables::search::SearchIndex;

/// The merged lists are byte for byte the lists of the whole index: the
/// checksum the compiler recorded before it split the titles' postings off.
#[test]
fn icd10cm_lists_merged_from_titles_equal_the_whole_index() {
    let set = CodeSet::icd10cm();
    let index = SearchIndex::new(set.search_bytes()).unwrap();
    assert!(
        index.derived,
        "ICD-10-CM ships the postings its titles give apart"
    );
    let searcher = set.searcher().expect("the index fits the code set");
    assert_eq!(searcher.lists.checksum(), index.checksum);
    // And the split saves what it was made for: most postings come from titles.
    assert!(index.list_bytes().len() * 4 < index.total as usize);
}

/// HCPCS stores its titles whole too and ships its index the same way;
/// ICD-10-PCS, whose titles are templates over axis labels, ships its lists
/// whole and reads them in place. Neither lists ended documents (a flat
/// system's code map is its newest release).
#[cfg(all(feature = "icd10pcs", feature = "hcpcs"))]
#[test]
fn hcpcs_derives_its_lists_and_pcs_ships_them_whole() {
    for (set, derived) in [(CodeSet::icd10pcs(), false), (CodeSet::hcpcs(), true)] {
        let index = SearchIndex::new(set.search_bytes()).unwrap();
        assert_eq!(index.derived, derived, "{}", set.system().id);
        assert_eq!(index.ended().count(), 0, "{}", set.system().id);
        let searcher = set.searcher().unwrap();
        assert_eq!(
            searcher.lists.checksum(),
            index.checksum,
            "{}",
            set.system().id
        );
    }
}

/// The ended documents the index lists are exactly the documents the code
/// map marks billable that are not valid on the newest release's first day
/// by the history (FY2027: deleted codes and codes that became headers).
#[test]
fn ended_documents_are_the_billable_codes_the_newest_release_does_not_have() {
    let set = CodeSet::icd10cm();
    let index = SearchIndex::new(set.search_bytes()).unwrap();
    let history = set.history().unwrap();
    let newest = set.newest_date().unwrap();
    let docs = super::tabular_docs(set).unwrap();
    let expected: Vec<u32> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.entry.billable && !history.valid_on(d.key(), newest))
        .map(|(id, _)| id as u32)
        .collect();
    assert!(!expected.is_empty(), "FY2027 ends some FY2026 codes");
    assert_eq!(index.ended().collect::<Vec<_>>(), expected);
    let searcher = set.searcher().unwrap();
    for id in expected {
        let doc = &searcher.docs[id as usize];
        assert!(doc.ended && !doc.entry.billable, "{}", doc.key());
    }
}

/// Every way search measures a title counts one unit: the pass over the
/// title store gives each document's title as many words as
/// `distinct_words` finds in its text, which is what the compiler writes
/// for titles stored as templates and what an index shipped whole counts
/// from its postings. Regression: `fall` ranked a fall on an escalator
/// before "Unspecified fall" while a title's words were counted between
/// spaces and its generic words per index word.
fn the_pass_counts_each_title_as_distinct_words_does(set: &CodeSet) {
    use medcode_tables::postings::PostingLists;
    use medcode_tables::words::distinct_words;
    let index = SearchIndex::new(set.search_bytes()).unwrap();
    let docs = super::tabular_docs(set).unwrap();
    let title_of = super::title_ids(set, &docs);
    let mut counts = Vec::new();
    PostingLists::with_titles(&index, set.title_store(), &title_of, |n| counts.push(n)).unwrap();
    let store = set.title_store();
    let mut checked = 0;
    for d in docs.iter().filter(|d| !d.added) {
        let text = store.get(d.title()).unwrap();
        assert_eq!(
            counts[d.title() as usize],
            distinct_words(&text, index.clauses),
            "{} {}: {text:?}",
            set.system().id,
            d.key()
        );
        checked += 1;
    }
    assert!(checked > 7000, "{}: {checked} titles", set.system().id);
}

#[test]
fn icd10cm_titles_count_their_different_words() {
    the_pass_counts_each_title_as_distinct_words_does(CodeSet::icd10cm());
}

#[cfg(feature = "hcpcs")]
#[test]
fn hcpcs_titles_count_their_different_words() {
    the_pass_counts_each_title_as_distinct_words_does(CodeSet::hcpcs());
}
