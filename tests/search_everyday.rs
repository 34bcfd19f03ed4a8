//! Search in the words coders type (issue 14): the set of everyday queries
//! in `tests/data/everyday-queries.tsv` (abbreviations, lay terms, procedure
//! names, supply words, typos; written apart from the lexicon, each answer
//! with its public source) must find an accepted code in the top 10 and in
//! first place often enough, per system. Odd rows are the development half
//! (their misses were read to extend the lexicon), even rows are held back
//! and only measured; both halves are printed. Also: title queries with one
//! transposed letter, partial matches, the lexicon's readings.

#![cfg(not(target_arch = "wasm32"))]

use medcode::CodeSet;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One row of the set: system, query, accepted codes or `PREFIX*`.
struct Case {
    /// Odd data rows are the development half (their misses may be read to
    /// improve search); even rows are held back and only measured.
    held_back: bool,
    system: String,
    query: String,
    accepted: Vec<String>,
}

fn cases() -> Vec<Case> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/everyday-queries.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            f.len() >= 4,
            "{}:{}: {} fields",
            path.display(),
            n + 1,
            f.len()
        );
        out.push(Case {
            held_back: n % 2 == 0,
            system: f[0].trim().to_owned(),
            query: f[1].trim().to_owned(),
            accepted: f[2].split_whitespace().map(str::to_owned).collect(),
        });
    }
    out
}

/// Whether `code` is one of `accepted` (a code, or a `PREFIX*`), dots ignored.
fn accepts(accepted: &[String], code: &str) -> bool {
    let code = code.replace('.', "");
    accepted.iter().any(|a| match a.strip_suffix('*') {
        Some(prefix) => code.starts_with(&prefix.replace('.', "")),
        None => code == a.replace('.', ""),
    })
}

fn set_of(system: &str) -> &'static CodeSet {
    match system {
        "icd10cm" => CodeSet::icd10cm(),
        "icd10pcs" => CodeSet::icd10pcs(),
        "hcpcs" => CodeSet::hcpcs(),
        other => panic!("unknown system {other}"),
    }
}

#[test]
fn everyday_queries_find_an_accepted_code() {
    let cases = cases();
    // (cases, top-1, top-10) per system, and per system and half.
    let mut per: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut halves: BTreeMap<(String, bool), (usize, usize, usize)> = BTreeMap::new();
    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // Per system and half: (cases, first hit is the row's first accepted
    // code or family, the one a coder would pick), and the development
    // half's queries whose first hit is accepted but not that one.
    let mut preferred: BTreeMap<(String, bool), (usize, usize)> = BTreeMap::new();
    let mut not_preferred: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &cases {
        let set = set_of(&c.system);
        // What the page and the component do with a search box: `find`.
        let found = set.find(&c.query, 10);
        let rank = found
            .hits
            .iter()
            .position(|h| accepts(&c.accepted, &h.code));
        let e = per.entry(c.system.clone()).or_default();
        e.0 += 1;
        e.1 += usize::from(rank == Some(0));
        e.2 += usize::from(rank.is_some());
        let h = halves.entry((c.system.clone(), c.held_back)).or_default();
        h.0 += 1;
        h.1 += usize::from(rank == Some(0));
        h.2 += usize::from(rank.is_some());
        let first = found.hits.first().map(|h| h.code.as_str());
        let is_preferred = first.is_some_and(|f| accepts(&c.accepted[..1], f));
        let p = preferred
            .entry((c.system.clone(), c.held_back))
            .or_default();
        p.0 += 1;
        p.1 += usize::from(is_preferred);
        if rank == Some(0) && !is_preferred && !c.held_back {
            not_preferred
                .entry(c.system.clone())
                .or_default()
                .push(format!(
                    "{:?} want {}, got {:?}",
                    c.query, c.accepted[0], first
                ));
        }
        if rank != Some(0) && !c.held_back {
            let got: Vec<&str> = found.hits.iter().take(3).map(|h| h.code.as_str()).collect();
            misses.entry(c.system.clone()).or_default().push(format!(
                "{:?} rank {:?}, want {:?}, got {:?}",
                c.query,
                rank.map(|r| r + 1),
                c.accepted,
                got
            ));
        }
    }
    for (system, (n, top1, top10)) in &per {
        println!(
            "everyday queries, {system}: {n} queries, top-1 {:.1}% ({top1}), top-10 {:.1}% ({top10})",
            100.0 * *top1 as f64 / *n as f64,
            100.0 * *top10 as f64 / *n as f64
        );
    }
    for ((system, held), (n, top1, top10)) in &halves {
        println!(
            "  {system} {}: {n} queries, top-1 {:.1}%, top-10 {:.1}%",
            if *held {
                "held-back half"
            } else {
                "development half"
            },
            100.0 * *top1 as f64 / *n as f64,
            100.0 * *top10 as f64 / *n as f64
        );
    }
    for ((system, held), (n, first)) in &preferred {
        println!(
            "  {system} {}: the preferred code (a row's first) first in {:.1}% ({first} of {n})",
            if *held {
                "held-back half"
            } else {
                "development half"
            },
            100.0 * *first as f64 / *n as f64,
        );
    }
    for (system, list) in &not_preferred {
        println!(
            "{system}: development-half queries with an accepted code first, not the preferred one:\n  {}",
            list.join("\n  ")
        );
    }
    for (system, list) in &misses {
        println!(
            "{system}: development-half queries not first:\n  {}",
            list.join("\n  ")
        );
    }
    // Issue 14 asks top-10 ≥ 90% and top-1 ≥ 60% per system, on the
    // whole set.
    let floors = [
        ("icd10cm", 150, 90),
        ("icd10pcs", 80, 90),
        ("hcpcs", 50, 90),
    ];
    for (system, want, top10_floor) in floors {
        let (n, top1, top10) = per.get(system).copied().unwrap_or_default();
        assert!(
            n >= want,
            "{system}: {n} queries, the set needs at least {want}"
        );
        assert!(
            top10 * 100 >= n * top10_floor,
            "{system}: top-10 {top10} of {n} < {top10_floor}%"
        );
        assert!(top1 * 10 >= n * 6, "{system}: top-1 {top1} of {n} < 60%");
    }
}

/// Regression (issue 14): one transposed letter in a word of 5–7 letters
/// (`inujry`, `clsoed`, `figner`) emptied the whole result.
#[test]
fn a_transposed_letter_does_not_empty_the_result() {
    let cm = CodeSet::icd10cm();
    for (query, want) in [
        ("inujry of finger", "injury"),
        ("clsoed fracture of femur", "closed"),
        ("laceration of figner", "finger"),
    ] {
        let hits = cm.search(query, 10);
        assert!(!hits.is_empty(), "{query}: nothing");
        assert!(
            hits.iter().all(|h| h.display.to_lowercase().contains(want)),
            "{query}: {:?}",
            hits.iter().map(|h| &h.display).collect::<Vec<_>>()
        );
    }
}

/// Regression (issue 14): a query with one stray word found nothing, since
/// every word had to match; the best partial matches now come back and say
/// which word they did not use.
#[test]
fn a_stray_word_gives_partial_matches_that_name_it() {
    let cm = CodeSet::icd10cm();
    let hits = cm.search("essential hypertension qwertyuiop", 5);
    assert_eq!(
        hits.first().map(|h| h.code.as_str()),
        Some("I10"),
        "{hits:?}"
    );
    assert_eq!(hits[0].unmatched, ["qwertyuiop"]);
    // A full match says nothing is unmatched.
    assert!(cm.search("essential hypertension", 5)[0]
        .unmatched
        .is_empty());
}

/// Every reading of every lexicon term finds a code of its system: the
/// words of a reading occur together in some title, and a family has codes.
#[test]
fn every_lexicon_reading_finds_a_code() {
    use medcode_tables::lexicon::Alternative;
    let mut checked = 0;
    for system in ["icd10cm", "icd10pcs", "hcpcs"] {
        let set = set_of(system);
        let entries = set.lexicon().entries();
        assert!(!entries.is_empty(), "{system}: no lexicon");
        let mut dead = Vec::new();
        for (key, entry) in &entries {
            for alt in entry.alternatives() {
                checked += 1;
                let ok = match alt {
                    Alternative::Words(words) => set
                        .search(words, 1)
                        .first()
                        .is_some_and(|h| h.unmatched.is_empty()),
                    Alternative::Family(family) => !set.find(family, 1).hits.is_empty(),
                };
                if !ok {
                    dead.push(format!("{key:?} → {alt:?}"));
                }
            }
        }
        assert!(
            dead.is_empty(),
            "{system}: readings that find nothing: {dead:#?}"
        );
    }
    println!("lexicon readings checked: {checked}");
}

/// The examples of issue 14, as a coder types them.
#[test]
fn issue_14_examples_find_the_codes_coders_expect() {
    let cm = CodeSet::icd10cm();
    let first = |set: &CodeSet, q: &str| set.find(q, 10).hits.into_iter().next();
    for (query, family) in [
        ("chf", "I50"),
        ("gerd", "K21"),
        ("uti", "N39.0"),
        ("heart attack", "I21"),
        ("afib", "I48"),
        ("bph", "N40"),
        ("pneumonia", "J18.9"),
        ("sepsis", "A41.9"),
    ] {
        let hit = first(cm, query).unwrap_or_else(|| panic!("{query}: nothing"));
        assert!(
            hit.code.starts_with(family),
            "{query}: {} {}",
            hit.code,
            hit.display
        );
    }
    let chf = first(cm, "chf").unwrap();
    assert_eq!(
        chf.expanded.first().map(|e| e.from.as_str()),
        Some("chf"),
        "{chf:?}"
    );
    let pcs = CodeSet::icd10pcs();
    for (query, prefix) in [
        ("appendectomy", "0DTJ"),
        ("laparoscopic appendectomy", "0DTJ4"),
        ("cholecystectomy", "0FT4"),
    ] {
        let hits = pcs.find(query, 10).hits;
        assert!(
            hits.iter().any(|h| h.code.starts_with(prefix)),
            "{query}: {:?}",
            hits.iter().map(|h| &h.code).collect::<Vec<_>>()
        );
    }
    let hcpcs = CodeSet::hcpcs();
    let hits = hcpcs.find("wheelchair cushion", 10).hits;
    assert!(hits.iter().any(|h| h.code.starts_with("E26")), "{hits:?}");
}

/// Regression: `wheelchair cushion` answered E2609 (custom fabricated)
/// first, the shortest title of its family, and `commode` E0968 (a commode
/// seat for a wheelchair) before the commode chair its lexicon row reads.
/// The rows name the general-use codes they cite first.
#[test]
fn wheelchair_cushion_and_commode_find_the_general_use_codes() {
    let hcpcs = CodeSet::hcpcs();
    first_hits_start_with(&[
        (hcpcs, "wheelchair cushion", "E2601"),
        (hcpcs, "cushion for wheelchair", "E2601"),
        (hcpcs, "commode", "E0163"),
        (hcpcs, "bedside commode", "E0163"),
    ]);
}

/// The first hit of `query` in `set`, as the page shows it.
fn first_hit(set: &CodeSet, query: &str) -> medcode::Hit {
    set.find(query, 10)
        .hits
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{query:?}: nothing found"))
}

/// Regression: `cabg` (read as `bypass coronary artery | 021`) ranked
/// "Bypass Right Ventricle to Aorta" first: every code of the broad family
/// 021 ranked as the concept, the short titles first. A family after title
/// words now ranks as the concept only where its codes hold those words.
#[test]
fn cabg_and_pci_rank_the_coronary_codes_of_their_family_first() {
    let pcs = CodeSet::icd10pcs();
    for (query, root, words) in [
        ("cabg", "021", "Bypass Coronary Artery"),
        ("pci", "027", "Dilation of Coronary Artery"),
    ] {
        let hits = pcs.find(query, 10).hits;
        assert!(!hits.is_empty(), "{query}: nothing");
        for h in &hits {
            assert!(
                h.code.starts_with(root) && h.display.starts_with(words),
                "{query}: {} {:?} in the first 10",
                h.code,
                h.display
            );
        }
    }
}

/// Regression: ICD-10-PCS codes valid from 2026-10-01, which the embedded
/// 2026 tables give no title, ranked first for `thoracentesis` (an empty
/// title counted as one word, the fewest of all).
#[test]
fn codes_without_a_title_rank_after_titled_codes() {
    let pcs = CodeSet::icd10pcs();
    let hits = pcs.find("thoracentesis", 20).hits;
    // Among the codes of the term's families, the titled ones come first.
    let family: Vec<&medcode::Hit> = hits
        .iter()
        .filter(|h| h.code.starts_with("0W993") || h.code.starts_with("0W9B3"))
        .collect();
    let untitled = family.iter().position(|h| h.display.is_empty());
    let titled = family.iter().rposition(|h| !h.display.is_empty());
    assert!(titled.is_some(), "thoracentesis: no titled code: {hits:#?}");
    if let (Some(u), Some(t)) = (untitled, titled) {
        assert!(
            u > t,
            "an untitled code ranks before a titled one: {family:#?}"
        );
    }
    assert!(
        hits[0].display.starts_with("Drainage of"),
        "{:?}",
        hits[0].display
    );
}

/// Regression: the readings of a term rank in the order the lexicon lists
/// them when the codes are otherwise equal: `colectomy` (large intestine
/// resection | … excision) put every Excision code before the Resection.
#[test]
fn colectomy_reads_resection_before_excision() {
    let pcs = CodeSet::icd10pcs();
    for query in ["colectomy", "cholecystectomy", "splenectomy"] {
        let hit = first_hit(pcs, query);
        assert!(
            hit.display.starts_with("Resection of"),
            "{query}: {} {:?}",
            hit.code,
            hit.display
        );
    }
}

/// Regression: `t&a` (tokens `t a`) missed the term `t and a`; a phrase
/// typed without its inner stop words now finds it.
#[test]
fn a_phrase_typed_without_its_stop_words_finds_the_term() {
    let pcs = CodeSet::icd10pcs();
    let hit = first_hit(pcs, "t&a");
    assert!(
        hit.code.starts_with("0CTP") || hit.code.starts_with("0CTQ"),
        "t&a: {} {:?}",
        hit.code,
        hit.display
    );
    assert_eq!(
        hit.expanded.first().map(|e| e.to.as_str()),
        Some("resection tonsils | resection adenoids")
    );
}

/// Regression: a slip in a lexicon phrase (`lumbar puncutre`) lost the
/// phrase and searched the words as typed ("Fluoroscopy of Lumbar …").
#[test]
fn a_slip_in_a_lexicon_phrase_still_reads_the_phrase() {
    let pcs = CodeSet::icd10pcs();
    let hit = first_hit(pcs, "lumbar puncutre");
    assert!(
        hit.code.starts_with("009U3"),
        "{} {:?}",
        hit.code,
        hit.display
    );
    assert_eq!(
        hit.expanded.first().map(|e| e.from.as_str()),
        Some("lumbar puncture")
    );
}

/// Regression: `colonscopy` split as colon + scopy, a reading no title
/// holds, so nothing was found; a split that finds nothing now yields to
/// the lexicon term one slip away (`colonoscopy`).
#[test]
fn a_split_that_finds_nothing_yields_to_the_near_term() {
    let pcs = CodeSet::icd10pcs();
    let hit = first_hit(pcs, "colonscopy");
    assert_eq!(hit.code, "0DJD8ZZ", "{:?}", hit.display);
}

/// Regression: `lap appy` listed lumbar fusions after the two laparoscopic
/// appendectomies. The short titles' abbreviations were learned by aligning
/// each official short title with its long title, and `LAP Flap` (Lumbar
/// Artery Perforator Flap) taught `lap` → `lumbar`, `T-lum Jt` (Thoracolumbar
/// Vertebral Joint) taught `lum` → `vertebral`; with `appy` one letter from
/// the short titles' `Appr`, a lumbar fusion matched both words. Acronyms and
/// words cut in two are now aligned as such and teach nothing.
#[test]
fn lap_appy_finds_appendectomies_not_lumbar_fusions() {
    let pcs = CodeSet::icd10pcs();
    let hits = pcs.find("lap appy", 10).hits;
    assert!(!hits.is_empty(), "lap appy: nothing");
    for h in &hits {
        assert!(
            h.code.starts_with("0DTJ4"),
            "lap appy: {} {:?} in the first 10",
            h.code,
            h.display
        );
    }
}

/// Asserts each query's first hit starts with its code or family.
fn first_hits_start_with(cases: &[(&CodeSet, &str, &str)]) {
    for &(set, query, family) in cases {
        let hits = set.find(query, 5).hits;
        assert!(
            hits.first().is_some_and(|h| h.code.starts_with(family)),
            "{} {query}: {:?}",
            set.system().id,
            hits.iter().map(|h| &h.code).collect::<Vec<_>>()
        );
    }
}

/// Regression: `hx of cabg` answered Z91.81 "History of falling" (no code
/// holds both readings, and `hx`'s "history falling" matched a short title
/// in full), `cabg` put T82.212A (displacement of the graft) before Z95.1
/// although the lexicon documents `cabg` → Z95.1, and `hx of mi` answered
/// I21.9 (acute) where the guidelines code an old infarction I25.2. The
/// lexicon now lists Z95.1's reading first and has the history phrases.
#[test]
fn history_of_cabg_and_of_mi_find_their_status_and_old_codes() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "cabg", "Z95.1"),
        (cm, "hx of cabg", "Z95.1"),
        (cm, "h/o CABG", "Z95.1"),
        (cm, "hx of mi", "I25.2"),
        (cm, "old MI", "I25.2"),
        (cm, "history of heart attack", "I25.2"),
    ]);
}

/// Regression: everyday visit reasons answered unrelated codes, through a
/// word one letter from a title word: `routine physical` gave S99.001D
/// (physeal fracture), `well child` D71.8, `flu shot` J11.81 (influenza
/// itself), `medication refill` P04.18; in ICD-10-PCS `cysto` a gallbladder
/// bypass and `cataract` nothing; in HCPCS `epo` epoprostenol. Each now has
/// a lexicon row citing the tabular's inclusion terms or the guidelines.
#[test]
fn visit_reasons_and_short_procedure_names_find_their_codes() {
    let (cm, pcs) = (CodeSet::icd10cm(), CodeSet::icd10pcs());
    first_hits_start_with(&[
        (cm, "routine physical", "Z00.0"),
        (cm, "annual physical", "Z00.0"),
        (cm, "well child check", "Z00.12"),
        (cm, "flu shot", "Z23"),
        (cm, "medication refill", "Z76.0"),
        (pcs, "cysto", "0TJB8"),
        (pcs, "cataract", "08DJ"),
        (CodeSet::hcpcs(), "epo", "J0885"),
    ]);
}

/// Regression: in ICD-10-PCS `dialysis` put the fluoroscopy of a dialysis
/// shunt first, `chest tube` a change of drainage device, `tube
/// thoracostomy` a fallopian tube fluoroscopy, `mechanical ventilation` the
/// single nonmechanical ventilation (5A19054), `iv antibiotics` a vena cava
/// device and `d and c` a protein infusion; in HCPCS `blood draw` a
/// phototherapy home visit, `ankle brace` a splint, `back brace` an
/// addition to a scoliosis orthosis. The lexicon rows now name the code the
/// procedure is coded as first (a family ranks before words) or read the
/// words typed.
#[test]
fn everyday_procedure_names_find_the_code_they_are_coded_as() {
    let (pcs, hcpcs) = (CodeSet::icd10pcs(), CodeSet::hcpcs());
    first_hits_start_with(&[
        (pcs, "dialysis", "5A1D70Z"),
        (pcs, "chest tube", "0W9930Z"),
        (pcs, "tube thoracostomy", "0W9930Z"),
        (pcs, "mechanical ventilation", "5A194"),
        (pcs, "iv antibiotics", "3E03329"),
        (pcs, "d and c", "0UDB"),
        (hcpcs, "blood draw", "S9529"),
        (hcpcs, "ankle brace", "L1906"),
        (hcpcs, "back brace", "L06"),
    ]);
}

/// Regression: in HCPCS `glucose test strips` put A4772 (strips for
/// dialysis) before A4253, the home strips the lexicon row cites, and
/// `insulin` put the insulin pump (E0784) first. The rows now name the code
/// they cite first (a family ranks before words).
#[test]
fn home_glucose_strips_and_insulin_find_the_codes_their_rows_cite() {
    let hcpcs = CodeSet::hcpcs();
    first_hits_start_with(&[
        (hcpcs, "glucose test strips", "A4253"),
        (hcpcs, "test strips", "A4253"),
        (hcpcs, "insulin", "J1815"),
        (hcpcs, "insulin pump", "E0784"),
    ]);
}

/// Regression: in HCPCS `blood glucose strips` and `glucose strips` put
/// A4772 (strips for dialysis) first, and `insulin syringes` put A4657 (a
/// syringe for dialysis) before A4206, the insulin syringe its row cites.
/// Their rows now name the home supply first.
#[test]
fn blood_glucose_strips_and_insulin_syringes_find_the_home_supplies() {
    let hcpcs = CodeSet::hcpcs();
    first_hits_start_with(&[
        (hcpcs, "blood glucose strips", "A4253"),
        (hcpcs, "glucose strips", "A4253"),
        (hcpcs, "insulin syringes", "A4206"),
    ]);
}

/// Regression: `fall` (and `fell`) answered W10.0XXA, a fall on an
/// escalator, before W19.XXXA "Unspecified fall". A title's length was
/// counted in words between spaces while its generic words were taken off
/// per index word, so `Fall (on)(from) escalator` (three words between
/// spaces, two of them generic index words) counted as short as
/// `Unspecified fall`. Both now count different index words
/// (`medcode_tables::words::distinct_words`).
#[test]
fn fall_finds_the_unspecified_fall_not_the_escalator() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "fall", "W19.XXXA"),
        (cm, "fell", "W19.XXXA"),
        (cm, "hip fx", "S72.009A"),
        (cm, "sprained ankle", "S93.409A"),
    ]);
}

/// Regression: `diabetes`, `diabetes mellitus` and `dm` answered E23.2
/// (diabetes insipidus) or O24.92 (in childbirth), and `diabetes with
/// neuropathy` E10.40 (type 1). The guidelines (I.C.4.a.2) code diabetes
/// of undocumented type as E11, type 2; the lexicon rows now read E11
/// first, and a typed type or `insipidus` still wins.
#[test]
fn diabetes_of_no_stated_type_finds_type_2() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "diabetes", "E11.9"),
        (cm, "diabetes mellitus", "E11.9"),
        (cm, "dm", "E11.9"),
        (cm, "diabetes with neuropathy", "E11.4"),
        (cm, "diabetes type 1", "E10.9"),
        (cm, "diabetes insipidus", "E23.2"),
        (cm, "gestational diabetes", "O24.4"),
    ]);
}

/// Regression: `shingles` answered B02.0 (zoster encephalitis) before
/// B02.9 "Zoster without complications", and `epilepsy` G40.919
/// (intractable) before G40.909 (not intractable): `complications`,
/// `uncomplicated` and `not` made the default code look more specific.
/// They are generic words now, like `without`.
#[test]
fn the_uncomplicated_default_code_comes_first() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "shingles", "B02.9"),
        (cm, "epilepsy", "G40.909"),
        (cm, "breast cancer", "C50.919"),
    ]);
}

/// Regression: `ugib` and `sbo` found nothing, `bowel obstruction` answered
/// J04.30 (supraglottitis without obstruction) and `neck pain` R52 (pain,
/// unspecified) before M54.2 Cervicalgia. Their lexicon rows now read them.
#[test]
fn gi_bleed_bowel_obstruction_and_neck_pain_words_find_their_codes() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "ugib", "K92.2"),
        (cm, "lower gi bleed", "K92.2"),
        (cm, "sbo", "K56.609"),
        (cm, "bowel obstruction", "K56.609"),
        (cm, "neck pain", "M54.2"),
    ]);
}

/// Regression: `cancer of breast` answered C44.501 (neoplasm of the skin
/// of the breast), `fracture of hip` M84.359A (stress fracture), `pain in
/// the neck` R52 and `obstruction of bowel` J04.30, though the lexicon
/// reads `breast cancer`, `hip fracture`, `neck pain` and `bowel
/// obstruction`: a phrase was read only in the lexicon's word order. A
/// phrase typed head first, joined by `of`, `in`, `for` or `the`, now reads as the
/// lexicon's (`Searcher::head_first_phrase`); a phrase typed as listed still
/// wins where it is longer.
#[test]
fn a_phrase_typed_head_first_reads_as_the_lexicon_phrase() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "cancer of breast", "C50.919"),
        (cm, "cancer of the breast", "C50.919"),
        (cm, "fracture of hip", "S72.009A"),
        (cm, "pain in the neck", "M54.2"),
        (cm, "obstruction of bowel", "K56.609"),
        (cm, "infection of the urinary tract", "N39.0"),
        (cm, "history of breast cancer", "Z8"),
    ]);
}

/// Regression: `aspiration pneumonia` answered P24.01 (meconium aspiration
/// of a newborn), `parkinson` I45.6 (Wolff-Parkinson-White syndrome),
/// `dementia` F03.911 (with agitation), `pe` I26.90 (septic embolism) and
/// `sprained ankle` a right or left ankle, though the tabular names each
/// default: J69.0 "Aspiration pneumonia NOS", G20.A1 "Parkinson's disease
/// NOS", F03.90 "Dementia NOS", I26.99 "Pulmonary embolism NOS", S93.40
/// "Sprain of ankle NOS". A query that is an `NOS` term's words now ranks
/// that code (or the codes under a header) first, and a curated reading the
/// tabular gives a default for reads as that code first (`pe`, `chf`).
#[test]
fn the_tabulars_nos_term_names_the_default_code() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "aspiration pneumonia", "J69.0"),
        (cm, "pneumonia aspiration", "J69.0"),
        (cm, "parkinson", "G20.A1"),
        (cm, "dementia", "F03.90"),
        (cm, "pe", "I26.99"),
        (cm, "pulmonary embolism", "I26.99"),
        (cm, "chf", "I50.9"),
        (cm, "sprained ankle", "S93.409A"),
        (cm, "kidney infection", "N1"),
    ]);
}

/// Regression: `panic attack` answered F40.01 (agoraphobia with panic
/// disorder, which F41.0 excludes) though the tabular lists "Panic attack"
/// under F41.0; `pre diabetes` answered O24.32 (pre-existing diabetes in
/// childbirth) rather than R73.03 "Prediabetes"; `hep c` read `hep` as a
/// prefix (`hepatic`) and answered B17.10 (acute) where `hcv` answers
/// B18.2. The lexicon now names F41.0 as the phrase's default, reads `pre
/// diabetes` as the one word, and `hep a`/`hep b`/`hep c` as `hav`/`hbv`/`hcv`.
#[test]
fn lay_terms_find_the_code_the_tabular_gives_them() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "panic attack", "F41.0"),
        (cm, "panic attacks", "F41.0"),
        (cm, "pre diabetes", "R73.03"),
        (cm, "pre-diabetes", "R73.03"),
        (cm, "hep c", "B18.2"),
        (cm, "hcv", "B18.2"),
        // Typed in full, the other code still comes first.
        (cm, "panic disorder with agoraphobia", "F40.01"),
        (cm, "pre-existing diabetes in childbirth", "O24.3"),
    ]);
    for (short, long) in [("hep a", "hav"), ("hep b", "hbv"), ("hep c", "hcv")] {
        let codes =
            |q: &str| -> Vec<String> { cm.find(q, 3).hits.into_iter().map(|h| h.code).collect() };
        assert_eq!(codes(short), codes(long), "{short} and {long}");
    }
}

/// Regression: `respiratory failure` answered J95.821 (postprocedural),
/// `peptic ulcer` K27.0 (acute, with hemorrhage), `hernia` K46.1 (with
/// gangrene) and `gallstones` K80.80: the unspecified codes' titles were
/// longer, counted with their clauses of what the record leaves unknown
/// (`unspecified whether with hypoxia or hypercapnia`) or what the code
/// lacks (`without obstruction or gangrene`). Such clause words no longer
/// count as the title's, and a query word found only there ranks as an
/// inclusion term's does, unless the query typed it after `without`.
#[test]
fn a_condition_typed_alone_finds_its_unspecified_code_not_one_with_more() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "respiratory failure", "J96.90"),
        (cm, "acute respiratory failure", "J96.00"),
        (cm, "peptic ulcer", "K27.9"),
        (cm, "hernia", "K46.9"),
        (cm, "gallstones", "K80.20"),
        // What the query says the code has or lacks still decides.
        (cm, "acute respiratory failure with hypoxia", "J96.01"),
        (cm, "respiratory failure with hypercapnia", "J96.92"),
        (cm, "peptic ulcer with hemorrhage", "K27.0"),
        (cm, "hernia with obstruction", "K4"),
        (cm, "hernia without obstruction", "K4"),
    ]);
    for (query, not) in [
        ("hernia with obstruction", "without obstruction"),
        ("peptic ulcer with hemorrhage", "without hemorrhage"),
        ("hernia without obstruction", "with obstruction"),
    ] {
        let first = cm.find(query, 1).hits;
        let display = first.first().map(|h| h.display.as_str()).unwrap_or("");
        assert!(!display.contains(not), "{query}: {display}");
    }
}

/// Regression: `sepsis due to uti` answered A41.2 "Sepsis due to
/// unspecified staphylococcus" and other written causes, with neither
/// A41.9 nor N39.0 in the first ten (the guidelines, I.C.1.d, code the
/// sepsis and then the localized infection); `uti due to e coli` answered
/// J15.5 "Pneumonia due to Escherichia coli". No title writes either cause,
/// and `due` then only matched titles of some other cause. Where no title
/// holds every word, `due` no longer counts: each condition's own code
/// comes first, and says which words of the query it leaves to the other.
#[test]
fn a_cause_no_title_writes_finds_each_condition_not_other_causes() {
    let cm = CodeSet::icd10cm();
    for (query, wanted) in [
        ("sepsis due to uti", ["A41.9", "N39.0"]),
        ("uti due to e coli", ["N39.0", "B96.20"]),
    ] {
        let hits = cm.find(query, 10).hits;
        let first_two: Vec<&str> = hits.iter().take(2).map(|h| h.code.as_str()).collect();
        for code in wanted {
            assert!(first_two.contains(&code), "{query}: {first_two:?}");
        }
        for h in hits.iter().take(2) {
            assert!(
                !h.unmatched.is_empty(),
                "{query}: {} matches every word",
                h.code
            );
            assert!(
                !h.unmatched.iter().any(|w| w == "due"),
                "{query}: {:?}",
                h.unmatched
            );
        }
    }
    // A title that writes the cause still answers whole.
    first_hits_start_with(&[
        (cm, "pneumonia due to covid", "J12.82"),
        (cm, "anemia due to ckd", "D63.1"),
        (cm, "sepsis due to e coli", "A41.5"),
    ]);
}

/// Regression: in ICD-10-CM, `knee replacement` answered M17.9
/// "Osteoarthritis of knee, unspecified" (only `knee` matched), and so did
/// `shoulder replacement` with M24.519, while `hip replacement` found Z96.64
/// through its tabular inclusion term "Hip-joint replacement (partial)
/// (total)". The lexicon now reads a replaced knee or shoulder as its
/// presence code, and, so that the words a coder adds still find theirs, a
/// knee as its prosthesis and either as joint-replacement aftercare.
#[test]
fn a_replaced_joint_finds_its_status_aftercare_and_complication_codes() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "knee replacement", "Z96.65"),
        (cm, "right knee replacement", "Z96.651"),
        (cm, "shoulder replacement", "Z96.61"),
        (cm, "tkr", "Z96.65"),
        (cm, "hip replacement", "Z96.64"),
        (cm, "aftercare knee replacement", "Z47.1"),
        (cm, "aftercare tka", "Z47.1"),
        (cm, "aftercare shoulder replacement", "Z47.1"),
        (cm, "knee replacement infection", "T84.5"),
    ]);
}

/// Regression: `urinary retention` answered N20.9 "Urinary calculus,
/// unspecified" (the tabular writes R33 "Retention of urine"), and
/// `pressure ulcer sacrum stage 2` L89.92 (unspecified site: the tabular
/// writes L89.15 "Pressure ulcer of sacral region"). The lexicon reads
/// both as the tabular writes them.
#[test]
fn a_body_word_typed_as_a_noun_finds_the_title_that_writes_its_adjective() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "urinary retention", "R33.9"),
        (cm, "pressure ulcer sacrum stage 2", "L89.152"),
        (cm, "pressure injury sacrum stage 3", "L89.153"),
        (cm, "sacrum pressure ulcer", "L89.15"),
        // The bone's own codes still come first when it is typed alone.
        (cm, "fracture of sacrum", "S32.1"),
        (cm, "retention of urine", "R33.9"),
    ]);
}

/// Regression: `heel pressure ulcer` answered L89.600 "Pressure ulcer of
/// unspecified heel, unstageable" and `sacral pressure ulcer` L89.150, a
/// stage the record must state, before the unspecified stage (L89.609,
/// L89.159): "unspecified stage" counted as a title word more. It is now
/// read as a clause of what the record leaves unknown, as "unspecified
/// whether …" is; typed after `unspecified`, `stage` still finds it.
#[test]
fn a_pressure_ulcer_typed_without_its_stage_finds_the_unspecified_stage() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "heel pressure ulcer", "L89.609"),
        (cm, "sacral pressure ulcer", "L89.159"),
        (cm, "pressure ulcer heel unspecified stage", "L89.609"),
        // A stage typed is still the title's.
        (cm, "pressure ulcer heel stage 3", "L89.603"),
        (cm, "unstageable pressure ulcer heel", "L89.600"),
        (cm, "stage 2 sacral pressure ulcer", "L89.152"),
    ]);
}

/// Regression: `neutropenic fever` answered R50.9 "Fever, unspecified".
/// The tabular pairs the two: D70 "Use additional code for any associated:
/// fever (R50.81)", and R50.81 "Code first underlying condition … such as
/// with: neutropenia (D70.-)". The lexicon now reads it (and `febrile
/// neutropenia`) as D70.9, then R50.81.
#[test]
fn neutropenic_fever_finds_neutropenia_then_the_fever_code_the_tabular_pairs_it_with() {
    let cm = CodeSet::icd10cm();
    for query in ["neutropenic fever", "febrile neutropenia"] {
        let hits = cm.find(query, 5).hits;
        let codes: Vec<&str> = hits.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(codes.get(..2), Some(&["D70.9", "R50.81"][..]), "{query}");
    }
}

/// Regression: `tinnitus` answered H93.13 "Tinnitus, bilateral" and
/// `hearing loss` H90.2 "Conductive hearing loss, unspecified": the codes
/// for a side the record does not state ("Tinnitus, unspecified ear",
/// H91.90 "Unspecified hearing loss, unspecified ear") counted `ear` as a
/// title word and lost the tie on code order. The guidelines (I.B.13) code
/// an unstated side as unspecified: `unspecified ear`, `eye` and `side` are
/// now read as clauses of what the record leaves unknown.
#[test]
fn a_condition_typed_without_its_side_finds_the_unspecified_side() {
    let cm = CodeSet::icd10cm();
    first_hits_start_with(&[
        (cm, "tinnitus", "H93.19"),
        (cm, "hearing loss", "H91.90"),
        (cm, "sciatica", "M54.30"),
        (cm, "otitis media", "H66.90"),
        // A side typed is still the title's.
        (cm, "tinnitus right ear", "H93.11"),
        (cm, "bilateral tinnitus", "H93.13"),
        (cm, "tinnitus unspecified ear", "H93.19"),
    ]);
}
