//! The word index of a module that ships only its titles (ICD-10-PCS,
//! HCPCS, CPT, custom lists), built on the first search from the title
//! stores without writing a title out: each distinct dictionary word and
//! each PCS axis label is tokenized once, and every code's words are the
//! union of its words' tokens (its template's slots filled by the labels of
//! its own characters). The bytes equal those of
//! [`medcode_tables::search::build`] over the written titles (a test holds
//! them equal); this way is about ten times faster in wasm.

use super::Doc;
use crate::codeset::CodeSet;
use medcode_tables::search::IndexBuilder;
use medcode_tables::shorts::ShortWord;
use medcode_tables::small_copy::extend;
use medcode_tables::words::for_each_word;

/// The tokens of one dictionary word or label: index word numbers, and
/// for a template word the positions of its slots.
#[derive(Debug, Clone)]
struct Tokens {
    words: Vec<u32>,
    slots: Vec<u8>,
    /// Spaces in the text (a label adds these many words to a title).
    spaces: u8,
    /// A slot touches a character that may join words (`\u{6}s` is
    /// "Devices", not "Device s"): the word is tokenized with its labels
    /// written in, code by code.
    joined: bool,
}

/// Whether a character next to a slot may join the label to it in a word
/// (letters, digits, apostrophes, slashes; see [`for_each_word`]).
fn may_join(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || !c.is_ascii() || matches!(c, '\'' | '/'))
}

/// Tokenizes `text` once into `b`'s word numbers.
fn tokens(b: &mut IndexBuilder, text: &str, templates: bool) -> Tokens {
    let mut words = Vec::new();
    for_each_word(text, |w, _| words.push(b.intern(w)));
    let slots: Vec<u8> = if templates {
        medcode_tables::templates::slot_positions(text).collect()
    } else {
        Vec::new()
    };
    let joined = !slots.is_empty()
        && text.char_indices().any(|(i, c)| {
            let one = &text[i..i + c.len_utf8()];
            medcode_tables::templates::slot_positions(one)
                .next()
                .is_some()
                && (may_join(text[..i].chars().next_back())
                    || may_join(text[i + c.len_utf8()..].chars().next()))
        });
    let spaces = u8::try_from(text.bytes().filter(|&c| c == b' ').count()).unwrap_or(u8::MAX);
    Tokens {
        words,
        slots,
        spaces,
        joined,
    }
}

/// A dictionary whose words are tokenized on first use.
struct Dictionary<'a> {
    words: Vec<&'a str>,
    tokens: Vec<Option<Tokens>>,
    templates: bool,
}

impl<'a> Dictionary<'a> {
    fn new(words: Vec<&'a str>, templates: bool) -> Self {
        let tokens = vec![None; words.len()];
        Dictionary {
            words,
            tokens,
            templates,
        }
    }

    /// The word's text and tokens.
    fn get(&mut self, b: &mut IndexBuilder, w: u32) -> Option<(&'a str, &Tokens)> {
        let i = w as usize;
        let text = *self.words.get(i)?;
        let slot = self.tokens.get_mut(i)?;
        Some((
            text,
            slot.get_or_insert_with(|| tokens(b, text, self.templates)),
        ))
    }
}

/// The axis labels of the table being indexed (PCS), found once per
/// table, position and character, and tokenized once per label.
struct Labels<'a> {
    axes: Option<&'a crate::axes::Axes>,
    /// The table (first 3 characters) the cache holds labels of.
    table: [u8; 3],
    /// Per position 1–7 and character byte: the label id, once looked up.
    ids: Vec<Option<Option<u32>>>,
    /// Per label id, its tokens once read.
    tokens: Vec<Option<Tokens>>,
}

impl<'a> Labels<'a> {
    fn new(axes: Option<&'a crate::axes::Axes>) -> Self {
        Labels {
            axes,
            table: [0; 3],
            ids: vec![None; 8 * 256],
            tokens: Vec::new(),
        }
    }

    /// The tokens of the label at `position` of `key`.
    #[cfg(feature = "icd10pcs")]
    fn get(&mut self, b: &mut IndexBuilder, key: &str, position: u8) -> Option<&Tokens> {
        let axes = self.axes?;
        let bytes = key.as_bytes();
        let table = [0, 1, 2].map(|i| bytes.get(i).copied().unwrap_or(0));
        if table != self.table {
            self.table = table;
            self.ids.iter_mut().for_each(|c| *c = None);
        }
        let ch = *bytes.get(usize::from(position).checked_sub(1)?)?;
        let cell = self
            .ids
            .get_mut(usize::from(position) * 256 + usize::from(ch))?;
        let id = (*cell.get_or_insert_with(|| axes.label_id(key, position)))? as usize;
        if self.tokens.len() <= id {
            self.tokens.resize(id + 1, None);
        }
        let slot = self.tokens.get_mut(id)?;
        if slot.is_none() {
            *slot = Some(tokens(b, axes.label_text(id as u32)?, false));
        }
        slot.as_ref()
    }

    /// Appends `template` with the labels of `key` written in (false when one is missing).
    #[cfg(feature = "icd10pcs")]
    fn write(&self, key: &str, template: &str, out: &mut String) -> bool {
        let Some(axes) = self.axes else {
            return false;
        };
        medcode_tables::templates::expand(template, |p, o| axes.write_label(key, p, o), out)
    }

    #[cfg(not(feature = "icd10pcs"))]
    fn get(&mut self, _b: &mut IndexBuilder, _key: &str, _position: u8) -> Option<&Tokens> {
        let _ = (&self.axes, &self.table, &self.ids, &self.tokens);
        None
    }

    #[cfg(not(feature = "icd10pcs"))]
    fn write(&self, _key: &str, _template: &str, _out: &mut String) -> bool {
        false
    }
}

/// Word lists by title id, flat.
struct Lists<T> {
    words: Vec<T>,
    starts: Vec<usize>,
}

impl<T> Lists<T> {
    /// Room for `lists` lists of about eight words.
    fn with_capacity(lists: usize) -> Self {
        let mut starts = Vec::with_capacity(lists + 1);
        starts.push(0);
        Lists {
            words: Vec::with_capacity(lists * 8),
            starts,
        }
    }

    fn push(&mut self, words: &[T])
    where
        T: Copy,
    {
        extend(&mut self.words, words);
        self.starts.push(self.words.len());
    }

    fn get(&self, id: u32) -> &[T] {
        let i = id as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.words[a..b],
            _ => &[],
        }
    }
}

/// Adds the tokens of `t` to `out`, with the labels of its slots for
/// `key`; false when a slot has no label (the title is then written
/// without any label, as [`CodeSet::write_code_title`] does).
#[allow(clippy::too_many_arguments)]
fn add_word(
    b: &mut IndexBuilder,
    labels: &mut Labels<'_>,
    key: &str,
    (text, t): (&str, &Tokens),
    out: &mut Vec<u32>,
    filled: &mut Vec<u32>,
    written: &mut usize,
) -> bool {
    if t.joined {
        let mut s = String::new();
        if !labels.write(key, text, &mut s) {
            return false;
        }
        for_each_word(&s, |w, _| filled.push(b.intern(w)));
        *written += 1 + s.bytes().filter(|&c| c == b' ').count();
        return true;
    }
    extend(out, &t.words);
    *written += 1;
    for &p in &t.slots {
        match labels.get(b, key, p) {
            Some(l) => {
                extend(filled, &l.words);
                *written += usize::from(l.spaces);
            }
            None => return false,
        }
    }
    true
}

/// The abbreviation table of an index, as the index builder takes it.
pub(crate) fn abbreviations_of(
    index: &medcode_tables::search::SearchIndex<'_>,
) -> Vec<(String, Vec<String>)> {
    index
        .abbreviations()
        .map(|(short, longs)| {
            (
                short.to_owned(),
                longs.split(' ').map(str::to_owned).collect(),
            )
        })
        .collect()
}

/// What indexing one code needs: the builder, the title word lists, the
/// dictionaries and labels tokenized so far, and buffers.
struct Indexer<'a> {
    b: IndexBuilder,
    labels: Labels<'a>,
    long_dict: Dictionary<'a>,
    short_dict: Dictionary<'a>,
    longs: Lists<u32>,
    shorts: Lists<ShortWord>,
    /// Per title, its words as written (PCS: labels filled in).
    counts: Option<Vec<u8>>,
    own: Vec<u32>,
    more: Vec<u32>,
    filled: Vec<u32>,
}

impl Indexer<'_> {
    /// Adds the code `doc` to the index. Kept out of line: wasm engines
    /// optimize a function after it has been called often, and a loop that
    /// runs once, as the one over the codes, would stay in baseline code.
    #[inline(never)]
    fn add(&mut self, doc: &Doc) -> Option<()> {
        let (key, entry) = (doc.key(), doc.entry);
        let Indexer {
            b,
            labels,
            long_dict,
            short_dict,
            longs,
            shorts,
            counts,
            own,
            more,
            filled,
        } = self;
        own.clear();
        more.clear();
        // The title: its words, then its labels if every slot has one.
        let (mut written, mut complete) = (0usize, true);
        filled.clear();
        for &w in longs.get(entry.title) {
            let t = long_dict.get(b, w)?;
            complete &= add_word(b, labels, key, t, own, filled, &mut written);
        }
        if complete {
            extend(own, filled);
        }
        if let Some(c) = counts
            .as_mut()
            .and_then(|c| c.get_mut(entry.title as usize))
        {
            // A code newer than the embedded tables has an empty title (or
            // a slot no label fills): no words, ranked last.
            *c = if complete && !own.is_empty() {
                u8::try_from(written).unwrap_or(u8::MAX)
            } else {
                0
            };
        }
        // The short title, an inclusion term of the code.
        let (mut short_written, mut complete) = (0usize, true);
        filled.clear();
        for &w in shorts.get(entry.title) {
            let t = match w {
                ShortWord::Long(w) => long_dict.get(b, w)?,
                ShortWord::Short(w) => short_dict.get(b, w)?,
            };
            complete &= add_word(b, labels, key, t, more, filled, &mut short_written);
        }
        if complete {
            extend(more, filled);
        }
        b.add_doc(own, more).ok()
    }
}

/// The index bytes of the titles and short titles of `docs` (the tabular
/// codes of `set` in key order), with `abbreviations`, and for a set with
/// title templates the words per title as written.
pub(crate) fn build(
    set: &CodeSet,
    docs: &[Doc],
    abbreviations: &[(String, Vec<String>)],
) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let titles = set.title_store();
    let axes = set.axes.as_ref();
    let templates = axes.is_some();
    let mut longs = Lists::with_capacity(titles.len() as usize);
    titles.for_each_in_order(|ws| {
        longs.push(ws);
        true
    });
    let mut shorts = Lists::with_capacity(titles.len() as usize);
    let mut short_dict = Dictionary::new(Vec::new(), templates);
    if let Some(s) = set.short_store() {
        s.for_each_given(titles.len(), |id| Some(longs.get(id)), |ws| shorts.push(ws));
        short_dict = Dictionary::new(s.dictionary(), templates);
    }
    let mut indexer = Indexer {
        // About a dozen words per title and short title.
        b: IndexBuilder::with_capacity(docs.len() * 12),
        labels: Labels::new(axes),
        long_dict: Dictionary::new(titles.dictionary(), templates),
        short_dict,
        longs,
        shorts,
        counts: templates.then(|| vec![0u8; titles.len() as usize]),
        own: Vec::new(),
        more: Vec::new(),
        filled: Vec::new(),
    };
    for doc in docs {
        indexer.add(doc)?;
    }
    let bytes = indexer.b.finish(abbreviations).ok()?;
    Some((bytes, indexer.counts))
}

#[cfg(test)]
mod tests {
    use crate::codeset::CodeSet;
    use medcode_tables::search::{build, SearchIndex, SearchSource};

    /// The index of the titles written out in full (the way the module
    /// once built it, ten times slower in wasm), with the words per title
    /// for a set with templates.
    fn index_of_written_titles(set: &CodeSet) -> (Vec<u8>, Option<Vec<u8>>) {
        let embedded = SearchIndex::new(set.search_bytes()).unwrap();
        let mut counts = set
            .axes
            .is_some()
            .then(|| vec![0u8; set.title_store().len() as usize]);
        let mut docs = Vec::new();
        for doc in crate::search::tabular_docs(set).unwrap() {
            let key = doc.key();
            let mut title = String::new();
            set.write_code_title(key, doc.entry.title, &mut title);
            if let Some(c) = counts
                .as_mut()
                .and_then(|c| c.get_mut(doc.entry.title as usize))
            {
                let words = if title.is_empty() {
                    0
                } else {
                    title.split(' ').count()
                };
                *c = u8::try_from(words).unwrap_or(u8::MAX);
            }
            docs.push((title, set.short_title(key).into_iter().collect()));
        }
        let source = SearchSource {
            docs,
            meanings: Vec::new(),
            abbreviations: super::abbreviations_of(&embedded),
        };
        (build(&source).unwrap(), counts)
    }

    /// The index a flat module builds from its title stores equals the
    /// index of its titles written out (PCS: templates filled with labels).
    #[test]
    fn own_index_equals_the_index_of_written_titles() {
        for set in [CodeSet::icd10pcs(), CodeSet::hcpcs()] {
            let embedded = SearchIndex::new(set.search_bytes()).unwrap();
            let docs = crate::search::tabular_docs(set).unwrap();
            let fast = super::build(set, &docs, &super::abbreviations_of(&embedded)).unwrap();
            let text = index_of_written_titles(set);
            assert!(fast.0 == text.0, "{}: index bytes differ", set.system().id);
            assert_eq!(fast.1, text.1, "{}: word counts differ", set.system().id);
        }
    }
}
