//! Prints search results for queries given as arguments, with timings (a
//! probe for development); `SYSTEM=hcpcs` (or another embedded system id)
//! searches that system instead of ICD-10-CM.
fn main() {
    let system = std::env::var("SYSTEM").unwrap_or_else(|_| "icd10cm".to_owned());
    let Some(cm) = medcode::CodeSet::by_id(&system) else {
        eprintln!("no embedded system {system:?}");
        std::process::exit(2);
    };
    let t = std::time::Instant::now();
    cm.search("x", 1);
    cm.is_valid("E11.9");
    println!("ready in {:?}", t.elapsed());
    let verbose = std::env::var_os("V").is_some();
    for q in std::env::args().skip(1) {
        let hits = cm.find(&q, 8);
        let t = std::time::Instant::now();
        for _ in 0..20 {
            cm.find(&q, 10);
        }
        let el = t.elapsed() / 20;
        println!("== {q:?} ({:?}, {el:?})", hits.mode);
        if verbose {
            for h in hits.hits {
                println!(
                    "  {:9} {} {} {:?}{}",
                    h.code,
                    if h.billable { "B" } else { "-" },
                    h.display,
                    h.matched,
                    if h.inclusion { " [incl]" } else { "" }
                );
            }
        }
    }
}
