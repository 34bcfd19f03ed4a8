fn main() {
    let set = medcode::CodeSet::icd10cm();
    let mut n = 0;
    for _ in 0..20000 {
        n += set.prefix("S72", 50).map(|v| v.len()).unwrap_or(0);
    }
    println!("{n}");
}
