//! How long the first search takes in the flat systems, whose index is
//! built from the titles on first use: `cargo run --release --example search_build_time`.
fn main() {
    for id in ["icd10pcs", "hcpcs"] {
        let Some(set) = medcode::CodeSet::by_id(id) else {
            continue;
        };
        let t = std::time::Instant::now();
        let hits = set.search("open", 3);
        let first = t.elapsed();
        let t = std::time::Instant::now();
        let again = set.search("open", 3);
        println!(
            "{id}: first search {:.1} ms (builds the index), next {:.3} ms; {} hits",
            first.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3,
            hits.len().max(again.len())
        );
    }
}
