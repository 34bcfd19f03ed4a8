//! The search lexicon of one code system: what coders type that the
//! classification does not say (`chf`, `heart attack`, `appendectomy`,
//! `wheelchair cushion`), each mapped to the words of official titles or to
//! a code family, with the public reference it comes from.
//!
//! Keys are the term's words (see [`crate::words`]) joined by one space.
//! Two more key forms hold ICD-10-PCS word parts: `-ectomy` is a suffix
//! (`-ectomy` → `resection`), `append-` a root (`append-` → `appendix`), so
//! `appendectomy` reads as `appendix resection` without being listed.
//!
//! Layout (integers little endian): `b"MCLX"`, `u32` format version
//! ([`VERSION`]), `u32` FST length, `u32` text length, `u32` defaults
//! length, the FST (key → byte offset of its entry in the text), then the
//! text: one entry per line, `kind<TAB>alternatives`, the alternatives
//! separated by `|`, each either words separated by spaces or `=` and a code
//! family (the key of its codes' common start, no dot); then the defaults
//! ([`TermDefault`], ICD-10-CM only): per entry, in document order, the
//! document's distance from the one before as a varint, then the word count
//! and the hash byte of [`default_key`].
//!
//! Each term's public reference stays in its table (`tables/lexicon/`,
//! whose readers refuse a row without one), not in the compiled lexicon:
//! nothing reads it at run time, and it was most of the bytes (ICD-10-CM:
//! 20 kB of the lexicon's 33 kB gzip).

const MAGIC: &[u8; 4] = b"MCLX";
/// Format version in the header; a reader refuses another (version 1
/// carried each entry's source, version 2 no defaults).
pub const VERSION: u32 = 3;
const HEADER: usize = 20;

/// A search document whose tabular `NOS` inclusion term a query can name:
/// the query's words are that term's when [`default_key`] of both agree
/// (and the document holds every query word, which search checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermDefault {
    /// The search document (see [`crate::search`]).
    pub doc: u32,
    /// Different words of the term, stop words left out.
    pub words: u8,
    /// The low byte of the sum of those words' FNV-1a hashes.
    pub hash: u8,
}

/// The word count and hash byte that [`TermDefault`] keeps for `text`: its
/// different words (see [`crate::words`]) less stop words, and the low
/// byte of the sum of their FNV-1a hashes; `None` for none or more than
/// 255. Word order does not count (`infection of kidney` and `kidney
/// infection` agree).
///
/// ```
/// use medcode_tables::lexicon::default_key;
/// assert_eq!(default_key("Infection of kidney"), default_key("kidney infection"));
/// assert_ne!(default_key("kidney"), default_key("kidney infection"));
/// assert_eq!(default_key("of the"), None);
/// ```
pub fn default_key(text: &str) -> Option<(u8, u8)> {
    let mut seen: Vec<u32> = Vec::new();
    for w in crate::words::words(text) {
        let h = crate::search::fnv1a(w.as_bytes());
        if !crate::words::STOP_WORDS.contains(&w.as_str()) && !seen.contains(&h) {
            seen.push(h);
        }
    }
    let count = u8::try_from(seen.len()).ok().filter(|&n| n > 0)?;
    let sum = seen.iter().fold(0u32, |a, &h| a.wrapping_add(h));
    Some((count, sum as u8))
}

/// Why bytes are not a lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexiconError {
    /// Wrong magic bytes.
    BadMagic,
    /// Written in another format version.
    Version(u32),
    /// Shorter than the header says.
    Truncated,
    /// The key FST does not read.
    Fst(String),
    /// The entry text is not UTF-8.
    Text,
}

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LexiconError::BadMagic => f.write_str("lexicon: bad magic bytes"),
            LexiconError::Version(v) => {
                write!(
                    f,
                    "lexicon: format version {v}, this reader reads {VERSION}"
                )
            }
            LexiconError::Truncated => f.write_str("lexicon: truncated"),
            LexiconError::Fst(e) => write!(f, "lexicon: key FST: {e}"),
            LexiconError::Text => f.write_str("lexicon: entry text not UTF-8"),
        }
    }
}

impl std::error::Error for LexiconError {}

/// One way a term can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alternative<'a> {
    /// Words that all occur in the titles meant, separated by spaces.
    Words(&'a str),
    /// The codes whose key starts with this (no dot, upper case).
    Family(&'a str),
}

impl<'a> Alternative<'a> {
    fn parse(text: &'a str) -> Alternative<'a> {
        match text.strip_prefix('=') {
            Some(family) => Alternative::Family(family),
            None => Alternative::Words(text),
        }
    }
}

/// A lexicon entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// `abbreviation`, `lay`, `procedure`, `supply`, `suffix`, `root`,
    /// `approach` or `definitions` (read from the official PCS definitions).
    pub kind: &'a str,
    alternatives: &'a str,
}

impl<'a> Entry<'a> {
    /// The readings, best first.
    pub fn alternatives(&self) -> impl Iterator<Item = Alternative<'a>> + 'a {
        self.alternatives
            .split('|')
            .filter(|a| !a.is_empty())
            .map(Alternative::parse)
    }

    /// The readings as written: words as they are, a family as `=KEY`,
    /// separated by ` | ` (for showing what a term was read as).
    pub fn text(&self) -> &'a str {
        self.alternatives
    }
}

/// Reads a lexicon written by [`build`].
#[derive(Clone)]
pub struct Lexicon<'a> {
    /// `None` for the empty lexicon.
    keys: Option<fst::Map<&'a [u8]>>,
    text: &'a str,
    defaults: &'a [u8],
}

impl<'a> Lexicon<'a> {
    /// Checks the header and opens the FST.
    pub fn new(bytes: &'a [u8]) -> Result<Self, LexiconError> {
        if bytes.get(..4) != Some(MAGIC.as_slice()) {
            return Err(LexiconError::BadMagic);
        }
        let mut sections = crate::sections::Sections::after_header(bytes, HEADER);
        let version = sections.field(0).ok_or(LexiconError::Truncated)?;
        if version != VERSION {
            return Err(LexiconError::Version(version));
        }
        let len = |i: usize| sections.len_field(i).ok_or(LexiconError::Truncated);
        let (fst_len, text_len, defaults_len) = (len(1)?, len(2)?, len(3)?);
        let mut take = |n: usize| sections.take(n).ok_or(LexiconError::Truncated);
        let fst_bytes = take(fst_len)?;
        let text = take(text_len)?;
        let defaults = take(defaults_len)?;
        Ok(Lexicon {
            keys: Some(fst::Map::new(fst_bytes).map_err(|e| LexiconError::Fst(e.to_string()))?),
            text: std::str::from_utf8(text).map_err(|_| LexiconError::Text)?,
            defaults,
        })
    }

    /// An empty lexicon (a module built without one).
    pub fn empty() -> Lexicon<'static> {
        Lexicon {
            keys: None,
            text: "",
            defaults: &[],
        }
    }

    /// The documents whose `NOS` inclusion term a query can name, in
    /// document order; stops at damaged bytes.
    pub fn defaults(&self) -> Vec<TermDefault> {
        let mut out = Vec::new();
        let (mut at, mut doc) = (0, 0u32);
        while at < self.defaults.len() {
            let Some((gap, next)) = crate::varint::read(self.defaults, at) else {
                break;
            };
            let (Some(&words), Some(&hash)) =
                (self.defaults.get(next), self.defaults.get(next + 1))
            else {
                break;
            };
            doc = doc.wrapping_add(gap);
            out.push(TermDefault { doc, words, hash });
            at = next + 2;
        }
        out
    }

    /// The key FST (`None` for the empty lexicon), for fuzzy lookups.
    pub fn keys(&self) -> Option<&fst::Map<&'a [u8]>> {
        self.keys.as_ref()
    }

    /// Every key with its entry, in key order.
    pub fn entries(&self) -> Vec<(String, Entry<'a>)> {
        use fst::Streamer;
        let mut out = Vec::new();
        let Some(keys) = &self.keys else { return out };
        let mut s = keys.stream();
        while let Some((k, _)) = s.next() {
            let key = String::from_utf8_lossy(k).into_owned();
            if let Some(e) = self.get(&key) {
                out.push((key, e));
            }
        }
        out
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.as_ref().map_or(0, |k| k.len())
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry of a key (a term's words joined by one space, `-suffix` or `root-`).
    ///
    /// ```
    /// use medcode_tables::lexicon::{build, Alternative, Lexicon, Term};
    /// let bytes = build(&[Term::new("chf", "abbreviation", "congestive heart failure|=I50", "MedlinePlus")]).unwrap();
    /// let lex = Lexicon::new(&bytes).unwrap();
    /// let e = lex.get("chf").unwrap();
    /// let alts: Vec<_> = e.alternatives().collect();
    /// assert_eq!(alts, [Alternative::Words("congestive heart failure"), Alternative::Family("I50")]);
    /// assert!(lex.get("ch").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<Entry<'a>> {
        let at = usize::try_from(self.keys.as_ref()?.get(key)?).ok()?;
        let line = self.text.get(at..)?.lines().next()?;
        let (kind, alternatives) = line.split_once('\t')?;
        Some(Entry { kind, alternatives })
    }

    /// Whether some key starts with `prefix` followed by a space (a longer
    /// phrase could still match).
    pub fn has_longer(&self, prefix: &str) -> bool {
        use fst::{IntoStreamer, Streamer};
        let mut lo = prefix.as_bytes().to_vec();
        lo.push(b' ');
        let mut hi = prefix.as_bytes().to_vec();
        hi.push(b' ' + 1);
        let Some(keys) = &self.keys else { return false };
        let mut s = keys.range().ge(&lo).lt(&hi).into_stream();
        s.next().is_some()
    }

    /// The suffix forms (`ectomy` for the key `-ectomy`) with their entries.
    pub fn suffixes(&self) -> Vec<(String, Entry<'a>)> {
        use fst::{IntoStreamer, Streamer};
        let mut out = Vec::new();
        let Some(keys) = &self.keys else { return out };
        let mut s = keys.range().ge("-").lt(".").into_stream();
        while let Some((k, _)) = s.next() {
            let key = String::from_utf8_lossy(k).into_owned();
            if let Some(e) = self.get(&key) {
                out.push((key[1..].to_owned(), e));
            }
        }
        out
    }
}

/// A term to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The key (see [`Lexicon::get`]).
    pub key: String,
    /// The entry kind.
    pub kind: String,
    /// Alternatives separated by `|`.
    pub alternatives: String,
    /// The public reference (checked by the table readers; not compiled).
    pub source: String,
}

impl Term {
    /// A term from its parts, as written.
    pub fn new(key: &str, kind: &str, alternatives: &str, source: &str) -> Term {
        Term {
            key: key.into(),
            kind: kind.into(),
            alternatives: alternatives.into(),
            source: source.into(),
        }
    }
}

/// Writes the lexicon bytes. Terms with the same key are merged (their
/// alternatives joined, the first kind kept); an alternative or field
/// holding a tab or line break is refused. Sources are not written.
pub fn build(terms: &[Term]) -> Result<Vec<u8>, crate::CompileError> {
    build_with_defaults(terms, &[])
}

/// [`build`], with the `defaults` (sorted by document) after the text.
pub fn build_with_defaults(
    terms: &[Term],
    defaults: &[TermDefault],
) -> Result<Vec<u8>, crate::CompileError> {
    use crate::CompileError;
    let mut merged: std::collections::BTreeMap<&str, (String, &str)> = Default::default();
    for t in terms {
        for field in [&t.key, &t.kind, &t.alternatives, &t.source] {
            if field.contains(['\t', '\n', '\r']) {
                return Err(CompileError::Separator(format!("lexicon term {:?}", t.key)));
            }
        }
        if t.key.is_empty() || t.alternatives.is_empty() {
            return Err(CompileError::Empty(format!("lexicon term {:?}", t.key)));
        }
        let e = merged
            .entry(t.key.as_str())
            .or_insert_with(|| (String::new(), t.kind.as_str()));
        for alt in t.alternatives.split('|').filter(|a| !a.is_empty()) {
            if !e.0.split('|').any(|x| x == alt) {
                if !e.0.is_empty() {
                    e.0.push('|');
                }
                e.0.push_str(alt);
            }
        }
    }
    // A phrase typed without its inner stop words (`t&a`, `pins needles`)
    // finds the same entry: the shorter key points at the same text.
    let mut keys: Vec<(String, &str)> = Vec::with_capacity(merged.len());
    for &key in merged.keys() {
        keys.push((key.to_owned(), key));
        let alias = without_inner_stop_words(key);
        if alias != key && !merged.contains_key(alias.as_str()) {
            keys.push((alias, key));
        }
    }
    keys.sort();
    keys.dedup_by(|a, b| a.0 == b.0);
    let mut text = String::new();
    let mut offsets = std::collections::BTreeMap::new();
    for (key, (alts, kind)) in &merged {
        offsets.insert(*key, text.len() as u64);
        text.push_str(&format!("{kind}\t{alts}\n"));
    }
    let mut fst = fst::MapBuilder::memory();
    for (key, entry) in &keys {
        let offset = offsets.get(entry).copied().unwrap_or_default();
        fst.insert(key, offset)?;
    }
    let fst = fst.into_inner()?;
    let mut table = Vec::new();
    let mut last = 0;
    for d in defaults {
        let gap = d.doc.checked_sub(last).ok_or(CompileError::Order(
            "lexicon defaults: not in document order",
        ))?;
        crate::varint::put(&mut table, gap);
        table.extend_from_slice(&[d.words, d.hash]);
        last = d.doc;
    }
    let mut out = Vec::with_capacity(HEADER + fst.len() + text.len() + table.len());
    out.extend_from_slice(MAGIC);
    for n in [
        VERSION,
        fst.len() as u32,
        text.len() as u32,
        table.len() as u32,
    ] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    out.extend_from_slice(&fst);
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&table);
    Ok(out)
}

/// `key` less the stop words between its first and last word: `t and a`
/// → `t a`; a leading one stays (`on coumadin` is not `coumadin`).
fn without_inner_stop_words(key: &str) -> String {
    let words: Vec<&str> = key.split(' ').collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .filter(|&(i, w)| i == 0 || i == last || !crate::words::STOP_WORDS.contains(w))
        .map(|(_, w)| *w)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the curated terms (`tables/lexicon/terms.tsv`: a header, then
/// `term<TAB>systems<TAB>expansion<TAB>kind<TAB>source`) that apply to
/// `system`. The term and word alternatives go through the search
/// tokenizer; families lose their dot and are upper-cased. A row without a
/// source, or with a field that reads as nothing, is an error naming its line.
#[cfg(feature = "compile")]
pub fn read_terms(
    path: &str,
    text: &str,
    system: &str,
) -> Result<Vec<Term>, crate::error::TableError> {
    let mut out = Vec::new();
    for (n, fields) in rows(path, text, 5)? {
        let [term, systems, expansion, kind, source] = [0, 1, 2, 3, 4].map(|i| fields[i]);
        if !systems.split(',').any(|s| s.trim() == system) {
            continue;
        }
        let key = crate::words::words(term).join(" ");
        let alternatives =
            alternatives(expansion).ok_or_else(|| bad(path, n, "expansion", expansion))?;
        if key.is_empty() {
            return Err(bad(path, n, "term", term));
        }
        if source.trim().is_empty() {
            return Err(bad(path, n, "source", source));
        }
        out.push(Term::new(&key, kind.trim(), &alternatives, source.trim()));
    }
    Ok(out)
}

/// Most words of a lexicon key: search reads a phrase of at most this many.
pub const LONGEST_KEY: usize = 6;

/// The tabular's own defaults as lexicon terms: an inclusion term that ends
/// in `NOS` ("not otherwise specified") names the code the classification
/// gives the condition when nothing more is said (J69.0 "Pneumonitis due to
/// inhalation of food and vomit" includes "Aspiration pneumonia NOS"), so
/// its words read as that code: `aspiration pneumonia` → `=J690`
/// ([`read_defaults_first`], [`TermDefault`]). Words in parentheses or
/// brackets (nonessential modifiers) are left out; a term of more than
/// [`LONGEST_KEY`] words is skipped. `release` names the tabular in each
/// term's source.
///
/// ```
/// use medcode_tables::lexicon::nos_terms;
/// let inclusions = vec!["Aspiration pneumonia NOS".to_owned(), "Aspiration pneumonia (due to) milk".to_owned()];
/// let terms = nos_terms([("J69.0", inclusions.as_slice())], "FY2026");
/// assert_eq!(terms.len(), 1);
/// assert_eq!(terms[0].key, "aspiration pneumonia");
/// assert_eq!(terms[0].alternatives, "=J690");
/// ```
#[cfg(feature = "compile")]
pub fn nos_terms<'a>(
    codes: impl IntoIterator<Item = (&'a str, &'a [String])>,
    release: &str,
) -> Vec<Term> {
    let mut out = Vec::new();
    for (code, inclusions) in codes {
        for term in inclusions {
            let mut words = crate::words::words(&without_modifiers(term));
            if words.last().map(String::as_str) != Some("nos") {
                continue;
            }
            words.pop();
            let key = words.join(" ");
            if words.is_empty() || words.len() > LONGEST_KEY {
                continue;
            }
            let family: String = code.chars().filter(|&c| c != '.').collect();
            let source = format!("NCHS ICD-10-CM Tabular List {release} ({code}: '{term}')");
            out.push(Term::new(&key, "nos", &format!("={family}"), &source));
        }
    }
    out
}

/// [`nos_terms`] of every inclusion term and includes note of `tab`
/// ([`crate::tabular::Diag::inclusion_notes`]), named after its release.
#[cfg(feature = "compile")]
pub fn tabular_nos_terms(tab: &crate::tabular::Tabular) -> Vec<Term> {
    let codes = tab
        .diags
        .iter()
        .flat_map(|d| d.inclusion_notes().map(|notes| (d.code.as_str(), notes)));
    nos_terms(codes, &format!("FY{}", tab.version))
}

/// Puts the tabular's default before each word reading of a curated term
/// that `defaults` ([`nos_terms`] of the same tabular) lists: `pe` reads as
/// `pulmonary embolism`, which the tabular gives as I26.99 ("Pulmonary
/// embolism NOS"), so `pe` reads as `=I2699` first, then as it did.
///
/// ```
/// use medcode_tables::lexicon::{nos_terms, read_defaults_first, Term};
/// let inclusions = vec!["Pulmonary embolism NOS".to_owned()];
/// let defaults = nos_terms([("I26.99", inclusions.as_slice())], "FY2026");
/// let mut curated = vec![Term::new("pe", "abbreviation", "pulmonary embolism|=I26", "MedlinePlus")];
/// read_defaults_first(&mut curated, &defaults);
/// assert_eq!(curated[0].alternatives, "=I2699|pulmonary embolism|=I26");
/// ```
#[cfg(feature = "compile")]
pub fn read_defaults_first(curated: &mut [Term], defaults: &[Term]) {
    let by_key: std::collections::BTreeMap<&str, &str> = defaults
        .iter()
        .filter_map(|t| Some((t.key.as_str(), t.alternatives.split('|').next()?)))
        .collect();
    for term in curated.iter_mut() {
        let mut alternatives: Vec<&str> = Vec::new();
        for alt in term.alternatives.split('|') {
            if let Some(&family) = by_key.get(alt) {
                if !alternatives.contains(&family) {
                    alternatives.push(family);
                }
            }
            if !alternatives.contains(&alt) {
                alternatives.push(alt);
            }
        }
        term.alternatives = alternatives.join("|");
    }
}

/// `term` less its parts in parentheses or brackets.
#[cfg(feature = "compile")]
fn without_modifiers(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    let mut depth = 0u32;
    for ch in term.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Reads the ICD-10-PCS word parts (`tables/lexicon/pcs-morphology.tsv`: a
/// header, then `part<TAB>form<TAB>expansion<TAB>source`, `part` one of
/// `suffix`, `root`, `approach`) as lexicon terms: `-form`, `form-`, or the
/// approach's words.
#[cfg(feature = "compile")]
pub fn read_morphology(path: &str, text: &str) -> Result<Vec<Term>, crate::error::TableError> {
    let mut out = Vec::new();
    for (n, fields) in rows(path, text, 4)? {
        let [part, form, expansion, source] = [0, 1, 2, 3].map(|i| fields[i]);
        let word = crate::words::words(form).join(" ");
        let key = match part.trim() {
            "suffix" if !word.contains(' ') && !word.is_empty() => format!("-{word}"),
            "root" if !word.contains(' ') && !word.is_empty() => format!("{word}-"),
            "approach" if !word.is_empty() => word,
            _ => return Err(bad(path, n, "part/form", &format!("{part} {form}"))),
        };
        let alternatives =
            alternatives(expansion).ok_or_else(|| bad(path, n, "expansion", expansion))?;
        if source.trim().is_empty() {
            return Err(bad(path, n, "source", source));
        }
        out.push(Term::new(&key, part.trim(), &alternatives, source.trim()));
    }
    Ok(out)
}

/// `a b | =I50` → `a b|=I50`; `None` if an alternative reads as nothing.
#[cfg(feature = "compile")]
fn alternatives(expansion: &str) -> Option<String> {
    let mut out = Vec::new();
    for alt in expansion.split('|') {
        let alt = alt.trim();
        if let Some(family) = alt.strip_prefix('=') {
            let key: String = family
                .chars()
                .filter(|&c| c != '.')
                .map(|c| c.to_ascii_uppercase())
                .collect();
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            out.push(format!("={key}"));
        } else {
            let words = crate::words::words(alt).join(" ");
            if words.is_empty() {
                return None;
            }
            out.push(words);
        }
    }
    (!out.is_empty()).then(|| out.join("|"))
}

#[cfg(feature = "compile")]
fn bad(path: &str, line: u32, column: &str, value: &str) -> crate::error::TableError {
    crate::error::TableError::new(
        path,
        line,
        crate::error::TableErrorKind::BadField {
            column: column.to_owned(),
            value: value.chars().take(60).collect(),
            expected: "a non-empty value (see tables/lexicon/README.md)",
        },
    )
}

/// Data rows after the header, with 1-based line numbers, each with exactly `n` fields.
#[cfg(feature = "compile")]
fn rows<'t>(
    path: &str,
    text: &'t str,
    n: usize,
) -> Result<Vec<(u32, Vec<&'t str>)>, crate::error::TableError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != n {
            return Err(crate::error::TableError::new(
                path,
                i as u32 + 1,
                crate::error::TableErrorKind::FieldCount {
                    expected: n,
                    found: fields.len(),
                },
            ));
        }
        out.push((i as u32 + 1, fields));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_read_back_in_document_order() {
        let defaults = [
            TermDefault {
                doc: 3,
                words: 2,
                hash: 0xAB,
            },
            TermDefault {
                doc: 300,
                words: 1,
                hash: 0,
            },
            TermDefault {
                doc: 300,
                words: 3,
                hash: 0xFF,
            },
        ];
        let terms = [Term::new("pe", "abbreviation", "=I2699", "MedlinePlus")];
        let bytes = build_with_defaults(&terms, &defaults).unwrap();
        let lex = Lexicon::new(&bytes).unwrap();
        assert_eq!(lex.defaults(), defaults);
        assert!(lex.get("pe").is_some());
        assert!(Lexicon::new(&build(&terms).unwrap())
            .unwrap()
            .defaults()
            .is_empty());
    }

    #[test]
    fn defaults_out_of_document_order_are_refused() {
        let defaults = [
            TermDefault {
                doc: 9,
                words: 1,
                hash: 1,
            },
            TermDefault {
                doc: 2,
                words: 1,
                hash: 1,
            },
        ];
        let terms = [Term::new("pe", "abbreviation", "=I2699", "MedlinePlus")];
        assert!(matches!(
            build_with_defaults(&terms, &defaults),
            Err(crate::CompileError::Order(_))
        ));
    }

    #[test]
    fn a_truncated_defaults_section_is_an_error() {
        let defaults = [TermDefault {
            doc: 3,
            words: 2,
            hash: 7,
        }];
        let terms = [Term::new("pe", "abbreviation", "=I2699", "MedlinePlus")];
        let bytes = build_with_defaults(&terms, &defaults).unwrap();
        assert_eq!(
            Lexicon::new(&bytes[..bytes.len() - 1]).err(),
            Some(LexiconError::Truncated)
        );
    }

    #[test]
    fn nos_terms_leave_out_modifiers_and_long_terms() {
        let inclusions = vec![
            "Septal transmural (Q wave) infarction (acute) NOS".to_owned(),
            "Heart failure NOS due to one two three four five".to_owned(),
            "A b c d e f g NOS".to_owned(),
            "Pain NOS".to_owned(),
        ];
        let terms = nos_terms([("I21.29", inclusions.as_slice())], "FY2026");
        let keys: Vec<&str> = terms.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["septal transmural infarction", "pain"]);
        assert!(terms[0]
            .source
            .contains("I21.29: 'Septal transmural (Q wave) infarction (acute) NOS'"));
    }

    #[test]
    fn merges_terms_and_finds_parts() {
        let bytes = build(&[
            Term::new("heart attack", "lay", "=I21", "MedlinePlus"),
            Term::new("heart attack", "lay", "=I22|=I21", "other"),
            Term::new("-ectomy", "suffix", "resection|excision", "CMS"),
            Term::new("append-", "root", "appendix", "CMS"),
        ])
        .unwrap();
        let lex = Lexicon::new(&bytes).unwrap();
        let e = lex.get("heart attack").unwrap();
        assert_eq!((e.kind, e.text()), ("lay", "=I21|=I22"));
        // The sources stay in the tables.
        assert!(!String::from_utf8_lossy(&bytes).contains("MedlinePlus"));
        assert!(lex.has_longer("heart"));
        assert!(!lex.has_longer("heart attack"));
        let s = lex.suffixes();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, "ectomy");
        assert_eq!(lex.get("append-").unwrap().text(), "appendix");
    }

    #[test]
    fn damaged_bytes_are_refused() {
        assert_eq!(Lexicon::new(b"nope").err(), Some(LexiconError::BadMagic));
        let bytes = build(&[Term::new("chf", "abbreviation", "=I50", "x")]).unwrap();
        assert_eq!(
            Lexicon::new(&bytes[..bytes.len() - 1]).err(),
            Some(LexiconError::Truncated)
        );
        let mut other = bytes.clone();
        other[4] = 9;
        assert_eq!(Lexicon::new(&other).err(), Some(LexiconError::Version(9)));
        assert!(build(&[Term::new("a\tb", "x", "y", "z")]).is_err());
    }
}
