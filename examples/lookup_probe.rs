//! Where a `lookup` spends its time, natively: each step of
//! `CodeSet::lookup_on` timed over every key of the ICD-10-CM map.
//!
//! ```text
//! cargo run --release --example lookup_probe
//! ```
use fst::Streamer;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let set = medcode::CodeSet::icd10cm();
    let mut keys = Vec::new();
    let mut s = set.map().stream();
    while let Some((k, _)) = s.next() {
        keys.push(String::from_utf8_lossy(k).into_owned());
    }
    let codes: Vec<String> = keys.iter().map(|k| set.code_text(k)).collect();
    let date = set.newest_date();
    let time = |name: &str, f: &dyn Fn(&str, &str) -> usize| {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            let mut n = 0;
            for (k, c) in keys.iter().zip(&codes) {
                n += f(k, c);
            }
            black_box(n);
            best = best.min(t.elapsed().as_nanos() as f64 / keys.len() as f64);
        }
        println!("{name:<28} {best:>8.0} ns");
    };
    println!("{} keys", keys.len());
    time("normalize", &|_, c| {
        medcode::normalize::normalize(c)
            .map(|k| k.as_str().len())
            .unwrap_or(0)
    });
    time("entry", &|k, _| {
        set.entry(k.as_bytes())
            .map(|e| e.title as usize)
            .unwrap_or(0)
    });
    time("history span", &|k, _| {
        set.history()
            .and_then(|h| h.span(k))
            .map(|s| s.start as usize)
            .unwrap_or(0)
    });
    time("display_on", &|k, _| {
        let e = set.entry(k.as_bytes()).unwrap();
        let mut out = String::new();
        set.write_display_on(k, &e, date.unwrap(), &mut out);
        out.len()
    });
    time("write_title", &|k, _| {
        let e = set.entry(k.as_bytes()).unwrap();
        let mut out = String::new();
        set.write_title(e.title, &mut out);
        out.len()
    });
    time("addendum_on", &|k, _| {
        set.history()
            .and_then(|h| h.addendum_on(k, date.unwrap()))
            .map(|a| a.title.len())
            .unwrap_or(0)
    });
    time("seventh", &|k, _| {
        let e = set.entry(k.as_bytes()).unwrap();
        let mut out = String::new();
        set.write_seventh_meaning(&e, &mut out);
        out.len()
    });
    time("parent_key", &|k, _| {
        let e = set.entry(k.as_bytes()).unwrap();
        set.parent_key(k, &e).map(|p| p.len()).unwrap_or(0)
    });
    time("short_title", &|_, c| {
        set.short_title(c).map(|s| s.len()).unwrap_or(0)
    });
    time("lookup_on", &|_, c| {
        set.lookup_on(c, None)
            .ok()
            .flatten()
            .map(|f| f.concept.display.len())
            .unwrap_or(0)
    });
    // Keys in a scattered order (a stride through the list): no two
    // neighbours in a row.
    let n = keys.len();
    let scattered: Vec<usize> = (0..n).map(|i| i * 7919 % n).collect();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let mut m = 0;
        for &i in &scattered {
            m += set
                .lookup_on(&codes[i], None)
                .ok()
                .flatten()
                .map(|f| f.concept.display.len())
                .unwrap_or(0);
        }
        black_box(m);
        best = best.min(t.elapsed().as_nanos() as f64 / n as f64);
    }
    println!("{:<28} {best:>8.0} ns", "lookup_on, scattered order");
    for p in ["S72", "E11", "T36", "I"] {
        let mut best = f64::MAX;
        for _ in 0..200 {
            let t = Instant::now();
            black_box(set.prefix(p, 50).map(|v| v.len()).unwrap_or(0));
            best = best.min(t.elapsed().as_nanos() as f64);
        }
        println!(
            "{:<28} {:>8.1} µs",
            format!("prefix({p:?}, 50)"),
            best / 1000.0
        );
    }
    time("is_valid", &|_, c| set.is_valid(c) as usize);
}
