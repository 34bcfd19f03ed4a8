//! The abbreviations of the official short titles, learned from the data:
//! each code's short (abbreviated) title is aligned word by word with its
//! long title, and a short word that stands where a different long word
//! stands, often enough, becomes an abbreviation of that word
//! (`fx` → `fracture`, `encntr` → `encounter`, `wo` (`w/o`) → `without`).
//!
//! Short words that are a prefix of the long word they align with
//! (`unsp` → `unspecified`) are not listed: prefix matching finds them.

use crate::error::{TableError, TableErrorKind};
use crate::words::words;
use std::collections::{BTreeMap, HashMap};

/// A pair must be seen at least this often to be kept.
pub const MIN_COUNT: u32 = 3;
/// A pair must make up at least this share (in per cent) of its short word's alignments.
pub const MIN_SHARE_PERCENT: u32 = 5;
/// At most this many expansions are kept per abbreviation, most frequent first.
pub const MAX_EXPANSIONS: usize = 3;

/// Reads the I/OCE ICD-10-CM table (`key` = `CODE|lo|hi`, `description` =
/// the short title, per I/OCE version) and keeps, per code, the short title
/// of the newest version (highest `hi`). `path` names the file in errors.
pub fn newest_short_titles(path: &str, tsv: &str) -> Result<BTreeMap<String, String>, TableError> {
    let mut lines = tsv.lines().enumerate();
    let header = lines.next().map(|(_, l)| l).unwrap_or_default();
    let cols: Vec<&str> = header.split('\t').collect();
    let col = |name: &'static str| {
        cols.iter().position(|c| *c == name).ok_or_else(|| {
            TableError::new(
                path,
                1,
                TableErrorKind::MissingElement {
                    parent: "header",
                    child: name,
                },
            )
        })
    };
    let (key, desc) = (col("key")?, col("description")?);
    let mut best: BTreeMap<String, (u32, String)> = BTreeMap::new();
    for (n, line) in lines {
        let line_no = n as u32 + 1;
        let fields: Vec<&str> = line.split('\t').collect();
        let bad = || {
            TableError::new(
                path,
                line_no,
                TableErrorKind::BadCode(line.chars().take(60).collect()),
            )
        };
        let k = fields.get(key).ok_or_else(bad)?;
        let mut parts = k.split('|');
        let (Some(code), Some(_lo), Some(hi)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let hi: u32 = hi.parse().map_err(|_| bad())?;
        let title = fields.get(desc).ok_or_else(bad)?.trim();
        if code.is_empty() || title.is_empty() {
            return Err(bad());
        }
        match best.get(code) {
            Some((h, _)) if *h >= hi => {}
            _ => {
                best.insert(code.to_owned(), (hi, title.to_owned()));
            }
        }
    }
    if best.is_empty() {
        return Err(TableError::new(
            path,
            0,
            TableErrorKind::Empty("short titles"),
        ));
    }
    Ok(best.into_iter().map(|(c, (_, t))| (c, t)).collect())
}

// Alignment costs (integers, lower is better).
const SAME: u32 = 0;
const PREFIX: u32 = 1;
const SUBSTITUTE: u32 = 10;
/// A substitution by a word with the same first letter is more likely an abbreviation.
const SUBSTITUTE_SAME_START: u32 = 8;
const DROP_LONG: u32 = 3;
const EXTRA_SHORT: u32 = 15;
/// A short word made of the initials of several long words (`LAP` for
/// `Lumbar Artery Perforator`) stands for all of them: it is no
/// abbreviation of the first one.
const ACRONYM: u32 = 1;
/// Acronyms of this many letters are recognized (two letters would too
/// often be a real word standing for one long word).
const ACRONYM_LETTERS: std::ops::RangeInclusive<usize> = 3..=6;
/// Two short words that abbreviate one long word's start and a later part
/// (`T-lum` for `Thoracolumbar`) stand for it together: the second is no
/// abbreviation of the next long word.
const SPLIT: u32 = 2;

/// Whether `short` is made of the initials of the long words `long`.
fn is_acronym(short: &str, long: &[String]) -> bool {
    ACRONYM_LETTERS.contains(&short.len())
        && short.len() == long.len()
        && short
            .bytes()
            .zip(long)
            .all(|(c, l)| l.as_bytes().first() == Some(&c))
}

/// Whether `first` starts `long` and `second` is found later in it.
fn is_split(first: &str, second: &str, long: &str) -> bool {
    first.len() < long.len()
        && long.starts_with(first)
        && second.len() >= 2
        && long
            .get(first.len()..)
            .is_some_and(|rest| rest.contains(second))
}

/// The word pairs `(short, long)` where a short word stands for a different
/// long word in the cheapest alignment of the two titles. An acronym
/// (`LAP` for `Lumbar Artery Perforator`) and a long word cut in two
/// (`T-lum` for `Thoracolumbar`) align with their long words and give no
/// pair.
///
/// ```
/// let pairs = medcode_tables::abbrev::aligned_pairs("Fx of unsp part of femur, init", "Fracture of unspecified part of femur, initial encounter");
/// assert_eq!(pairs, vec![("fx".to_owned(), "fracture".to_owned())]);
/// ```
pub fn aligned_pairs(short: &str, long: &str) -> Vec<(String, String)> {
    let s = words(short);
    let l = words(long);
    let (n, m) = (s.len(), l.len());
    // cost[i][j]: aligning s[..i] with l[..j].
    let w = m + 1;
    let mut cost = vec![u32::MAX / 2; (n + 1) * w];
    cost[0] = 0;
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[i * w + j];
            if i < n && j < m {
                let step = step_cost(&s[i], &l[j]);
                let c = &mut cost[(i + 1) * w + j + 1];
                *c = (*c).min(here + step);
            }
            if j < m {
                let c = &mut cost[i * w + j + 1];
                *c = (*c).min(here + DROP_LONG);
            }
            if i < n {
                let c = &mut cost[(i + 1) * w + j];
                *c = (*c).min(here + EXTRA_SHORT);
            }
            if let Some(k) = s.get(i).map(String::len).filter(|k| j + k <= m) {
                if is_acronym(&s[i], &l[j..j + k]) {
                    let c = &mut cost[(i + 1) * w + j + k];
                    *c = (*c).min(here + ACRONYM);
                }
            }
            if i + 1 < n && j < m && is_split(&s[i], &s[i + 1], &l[j]) {
                let c = &mut cost[(i + 2) * w + j + 1];
                *c = (*c).min(here + SPLIT);
            }
        }
    }
    // Walk back along one cheapest path.
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let here = cost[i * w + j];
        if i > 0 && j > 0 {
            let (a, b) = (&s[i - 1], &l[j - 1]);
            let step = step_cost(a, b);
            if cost[(i - 1) * w + j - 1] + step == here {
                if step >= SUBSTITUTE_SAME_START {
                    pairs.push((a.clone(), b.clone()));
                }
                i -= 1;
                j -= 1;
                continue;
            }
        }
        if let Some(k) = s
            .get(i.wrapping_sub(1))
            .map(String::len)
            .filter(|&k| k <= j)
        {
            if is_acronym(&s[i - 1], &l[j - k..j]) && cost[(i - 1) * w + j - k] + ACRONYM == here {
                i -= 1;
                j -= k;
                continue;
            }
        }
        if i > 1
            && j > 0
            && is_split(&s[i - 2], &s[i - 1], &l[j - 1])
            && cost[(i - 2) * w + j - 1] + SPLIT == here
        {
            i -= 2;
            j -= 1;
            continue;
        }
        if j > 0 && cost[i * w + j - 1] + DROP_LONG == here {
            j -= 1;
        } else {
            i = i.saturating_sub(1);
        }
    }
    pairs.reverse();
    pairs
}

fn step_cost(short: &str, long: &str) -> u32 {
    if short == long {
        SAME
    } else if long.starts_with(short) {
        PREFIX
    } else if short.as_bytes().first() == long.as_bytes().first() {
        SUBSTITUTE_SAME_START
    } else {
        SUBSTITUTE
    }
}

/// Counts aligned pairs over `(short, long)` title pairs and keeps the
/// abbreviations: a short word shorter than its long word, seen at least
/// [`MIN_COUNT`] times and in at least [`MIN_SHARE_PERCENT`] % of that
/// short word's substitutions; at most [`MAX_EXPANSIONS`] per short word.
/// Sorted by short word; expansions most frequent first.
pub fn derive<'a>(
    titles: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, Vec<String>)> {
    let mut counts: HashMap<(String, String), u32> = HashMap::new();
    let mut per_short: HashMap<String, u32> = HashMap::new();
    for (short, long) in titles {
        for (a, b) in aligned_pairs(short, long) {
            *per_short.entry(a.clone()).or_default() += 1;
            *counts.entry((a, b)).or_default() += 1;
        }
    }
    let mut table: BTreeMap<String, Vec<(u32, String)>> = BTreeMap::new();
    for ((a, b), n) in counts {
        let total = per_short.get(&a).copied().unwrap_or(n);
        if n >= MIN_COUNT && n * 100 >= total * MIN_SHARE_PERCENT && a.len() < b.len() {
            table.entry(a).or_default().push((n, b));
        }
    }
    table
        .into_iter()
        .map(|(a, mut list)| {
            list.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
            list.truncate(MAX_EXPANSIONS);
            (a, list.into_iter().map(|(_, b)| b).collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_skips_dropped_words_and_prefixes() {
        let pairs = aligned_pairs(
            "Unsp fx upper end of right ulna, init for opn fx type I/2",
            "Unspecified fracture of upper end of right ulna, initial encounter for open fracture type I or II",
        );
        assert_eq!(
            pairs,
            [
                ("fx", "fracture"),
                ("opn", "open"),
                ("fx", "fracture"),
                ("2", "ii")
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        assert_eq!(aligned_pairs("Cholera", "Cholera"), vec![]);
        assert_eq!(aligned_pairs("", "Cholera"), vec![]);
    }

    /// `lap appy` found lumbar fusions: the PCS short titles say `LAP Flap`
    /// for `Lumbar Artery Perforator Flap`, and `lap` was learned as an
    /// abbreviation of `lumbar` (so was `lum` of `vertebral`, from `T-lum Jt`
    /// for `Thoracolumbar Vertebral Joint`).
    #[test]
    fn acronyms_and_split_words_are_no_abbreviations() {
        let pairs = aligned_pairs(
            "Replacement of Right Breast using LAP Flap, Open Approach",
            "Replacement of Right Breast using Lumbar Artery Perforator Flap, Open Approach",
        );
        assert_eq!(pairs, vec![]);
        let pairs = aligned_pairs(
            "Drainage of T-lum Jt with Drain Dev, Open Approach",
            "Drainage of Thoracolumbar Vertebral Joint with Drainage Device, Open Approach",
        );
        assert_eq!(pairs, vec![("jt".to_owned(), "joint".to_owned())]);
    }

    #[test]
    fn rare_and_minority_pairs_are_dropped() {
        let mut titles = vec![
            (
                "Fx of femur w/o displ",
                "Fracture of femur without displacement"
            );
            3
        ];
        titles.push(("Fx of arm", "Break of arm"));
        let table = derive(titles);
        assert_eq!(
            table,
            vec![
                ("fx".to_owned(), vec!["fracture".to_owned()]),
                ("wo".to_owned(), vec!["without".to_owned()])
            ]
        );
    }

    #[test]
    fn short_titles_keep_the_newest_version() {
        let tsv = "key\tdescription\tlo_version\nZ23|76|76\tOld\t76\nZ23|77|103\tEncounter for immunization\t77\nA000|76|103\tCholera\t76\n";
        let t = newest_short_titles("t.tsv", tsv).unwrap();
        assert_eq!(t["Z23"], "Encounter for immunization");
        assert_eq!(t.len(), 2);
        let err = newest_short_titles("t.tsv", "key\tdescription\nA00|x\tCholera\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
