//! Native search latency over a query list (one query a line, from the file
//! given as argument): p50, p99 and the slowest queries, 3 rounds after 2
//! warm-up rounds, `limit` 5 as in the bench's search section.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: search_latency QUERIES_FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let queries: Vec<&str> = text.lines().collect();
    let cm = medcode::CodeSet::icd10cm();
    for _ in 0..2 {
        for q in &queries {
            std::hint::black_box(cm.search(q, 5));
        }
    }
    let mut times: Vec<(u128, &str)> = Vec::new();
    for _ in 0..3 {
        for q in &queries {
            let t = std::time::Instant::now();
            std::hint::black_box(cm.search(q, 5));
            times.push((t.elapsed().as_nanos(), q));
        }
    }
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)].0 as f64 / 1000.0;
    println!(
        "{} queries × 3: p50 {:.1} µs, p99 {:.1} µs",
        queries.len(),
        at(50),
        at(99)
    );
    for (ns, q) in times.iter().rev().take(15) {
        println!("  {:8.1} µs  {q}", *ns as f64 / 1000.0);
    }
}
