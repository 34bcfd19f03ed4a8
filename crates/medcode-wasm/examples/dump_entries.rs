//! Prints every category and code of the embedded ICD-10-CM release as one
//! JSON array of `{"code","display","kind","billable"}` objects (dotted codes,
//! code order): the plain data file a web developer would ship instead of the
//! wasm module. Used by the benchmark in `bench/` as its baseline.
//!
//! ```text
//! cargo run --release -p medcode-wasm --example dump_entries > bench/.data/icd10cm.json
//! ```

use fst::Streamer;
use medcode::{CodeSet, Kind};
use medcode_wasm::json;
use std::io::Write;

fn main() -> std::io::Result<()> {
    let set = CodeSet::icd10cm();
    let mut out = String::with_capacity(16 << 20);
    out.push('[');
    let mut stream = set.map().stream();
    while let Some((key, _)) = stream.next() {
        let Ok(key) = std::str::from_utf8(key) else {
            continue;
        };
        let Some(c) = set.concept(key) else { continue };
        if !matches!(c.kind, Kind::Category | Kind::Code) {
            continue;
        }
        json::comma(&mut out);
        out.push_str("\n{");
        json::field_str(&mut out, "code", &c.code);
        json::field_str(&mut out, "display", &c.display);
        json::field_str(&mut out, "kind", c.kind.as_str());
        json::field_raw(
            &mut out,
            "billable",
            if c.billable { "true" } else { "false" },
        );
        out.push('}');
    }
    out.push_str("\n]\n");
    std::io::stdout().lock().write_all(out.as_bytes())
}
