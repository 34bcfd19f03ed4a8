//! Native search latency over a query list (one query a line, from the file
//! given as argument): p50, p99 and the slowest queries, the fastest of 3
//! rounds per query after 2 warm-up rounds, `search` with `limit` 5 as in the bench's search section.
//! With a system id (`icd10cm`, `icd10pcs`, `hcpcs`) after the file, that
//! system through `find` with `limit` 10, as the bench's everyday section.
//!
//! ```text
//! cargo run --release --example search_latency -- QUERIES_FILE [SYSTEM]
//! ```
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: search_latency QUERIES_FILE [SYSTEM]");
        std::process::exit(2);
    };
    let system = args.next();
    let set = match system.as_deref() {
        None => medcode::CodeSet::icd10cm(),
        Some(id) => match medcode::CodeSet::by_id(id) {
            Some(s) => s,
            None => {
                eprintln!("{id}: not a system of this build");
                std::process::exit(2);
            }
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let queries: Vec<&str> = text.lines().collect();
    let run = |q: &str| {
        if system.is_some() {
            std::hint::black_box(set.find(q, 10).hits.len())
        } else {
            std::hint::black_box(set.search(q, 5).len())
        }
    };
    for _ in 0..2 {
        for q in &queries {
            run(q);
        }
    }
    // Per query the fastest of 3 rounds: what the code costs, less what
    // other jobs on the machine took from it.
    let mut times: Vec<(u128, &str)> = queries.iter().map(|q| (u128::MAX, *q)).collect();
    for _ in 0..3 {
        for (best, q) in times.iter_mut() {
            let t = std::time::Instant::now();
            run(q);
            *best = (*best).min(t.elapsed().as_nanos());
        }
    }
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)].0 as f64 / 1000.0;
    println!(
        "{} queries, fastest of 3 rounds each: p50 {:.1} µs, p99 {:.1} µs",
        queries.len(),
        at(50),
        at(99)
    );
    for (ns, q) in times.iter().rev().take(10) {
        println!("  {:8.1} µs  {q}", *ns as f64 / 1000.0);
    }
}
