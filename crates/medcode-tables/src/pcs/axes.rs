//! The PCS tables model for the default build, without official release
//! files: axis labels from the registry (`icd10coder_icd10pcs_axes.tsv.gz`,
//! sections 0 and 1 only) and the allowed combinations taken from a set of
//! valid codes (the MCE validity table on a date).
//!
//! The registry gives labels but no axis names; sections 0 (Medical and
//! Surgical) and 1 (Obstetrics) share the axis names in [`MEDICAL_AXES`].
//! Root-operation definitions are not in the registry file.

use super::tables::{Axis, AxisValue, PcsRow, PcsTable, PcsTables};
use crate::error::{TableError, TableErrorKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Axis names of sections 0 and 1, positions 1–7.
pub const MEDICAL_AXES: [&str; 7] = [
    "Section",
    "Body System",
    "Operation",
    "Body Part",
    "Approach",
    "Device",
    "Qualifier",
];

/// Labels keyed by (prefix the label depends on, position, value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// `(prefix, position, value)` → label. The prefix is empty for position
    /// 1, the first 1–2 characters for positions 2–3, the 3-character table
    /// for positions 4–7.
    pub map: HashMap<(String, u8, char), String>,
}

impl Labels {
    /// The label of character `pos` (1-based) of `code`.
    pub fn of(&self, code: &str, pos: u8) -> Option<&str> {
        let p = usize::from(pos);
        let key_len = match p {
            1 => 0,
            2 | 3 => p - 1,
            _ => 3,
        };
        let prefix = code.get(..key_len)?;
        let ch = code.get(p - 1..p)?.chars().next()?;
        self.map
            .get(&(prefix.to_owned(), pos, ch))
            .map(String::as_str)
    }

    /// Sections (first characters) that have a label.
    pub fn sections(&self) -> BTreeSet<char> {
        self.map
            .keys()
            .filter(|(_, pos, _)| *pos == 1)
            .map(|(_, _, c)| *c)
            .collect()
    }
}

/// Reads the registry axis labels TSV (`prefix`, `position`, `value`,
/// `label`).
pub fn read_labels(path: &str, text: &str) -> Result<Labels, TableError> {
    let err = |n: usize, kind| TableError::new(path, n as u32, kind);
    let lines = crate::tsv::rows(
        path,
        text,
        &["prefix", "position", "value", "label"],
        crate::tsv::Fields::Exactly(4),
    )?;
    let mut labels = Labels::default();
    for row in lines {
        let (n, f) = row?;
        let n = n as usize;
        let pos = f[1]
            .parse::<u8>()
            .ok()
            .filter(|p| (1..=7).contains(p))
            .ok_or_else(|| {
                err(
                    n,
                    TableErrorKind::BadField {
                        column: "position".into(),
                        value: f[1].into(),
                        expected: "1 to 7",
                    },
                )
            })?;
        let want_len = match pos {
            1 => 0,
            2 | 3 => usize::from(pos) - 1,
            _ => 3,
        };
        let mut vs = f[2].chars();
        let value = match (vs.next(), vs.next()) {
            (Some(c), None) if f[0].len() == want_len => c,
            _ => return Err(err(n, TableErrorKind::BadCode(format!("{}{}", f[0], f[2])))),
        };
        let key = (f[0].to_owned(), pos, value);
        if labels.map.insert(key, f[3].to_owned()).is_some() {
            return Err(err(
                n,
                TableErrorKind::DuplicateCode(format!("{} position {pos} value {value}", f[0])),
            ));
        }
    }
    if labels.map.is_empty() {
        return Err(err(0, TableErrorKind::Empty("label rows")));
    }
    Ok(labels)
}

/// Allowed characters of positions 4–7 as bit sets (see [`bit`]).
type RowSets = [u64; 4];

/// The bit of a PCS character: digits 0–9, letters 10–35.
fn bit(c: char) -> u64 {
    match c {
        '0'..='9' => 1 << (c as u32 - '0' as u32),
        'A'..='Z' => 1 << (10 + c as u32 - 'A' as u32),
        _ => 0,
    }
}

fn chars_of(set: u64) -> impl Iterator<Item = char> {
    ('0'..='9')
        .chain('A'..='Z')
        .filter(move |&c| set & bit(c) != 0)
}

/// Builds tables from valid codes: every 7-character code whose section has
/// labels contributes its characters; rows are merged while two differ in
/// one position only, so the tables allow exactly the given codes.
pub fn tables_from_codes<'a>(
    codes: impl IntoIterator<Item = &'a str>,
    labels: &Labels,
) -> PcsTables {
    let sections = labels.sections();
    let mut by_table: BTreeMap<String, Vec<RowSets>> = BTreeMap::new();
    for code in codes {
        let cs: Vec<char> = code.chars().collect();
        if cs.len() != 7 || !sections.contains(&cs[0]) {
            continue;
        }
        by_table.entry(cs[..3].iter().collect()).or_default().push([
            bit(cs[3]),
            bit(cs[4]),
            bit(cs[5]),
            bit(cs[6]),
        ]);
    }
    let mut tables = Vec::with_capacity(by_table.len());
    for (prefix, rows) in by_table {
        let rows = merge_rows(rows);
        let axis = |pos: u8, set: u64| Axis {
            pos,
            name: MEDICAL_AXES[usize::from(pos) - 1].to_owned(),
            values: chars_of(set)
                .map(|ch| {
                    // The label key needs the characters before `pos` (at
                    // most the table's three) and `ch` at `pos`.
                    let mut code: String = prefix.chars().take(usize::from(pos) - 1).collect();
                    while code.len() < usize::from(pos) - 1 {
                        code.push('0');
                    }
                    code.push(ch);
                    AxisValue {
                        ch,
                        label: labels.of(&code, pos).map(str::to_owned),
                        definition: None,
                    }
                })
                .collect(),
        };
        let pc: Vec<u64> = prefix.chars().map(bit).collect();
        let fixed = [axis(1, pc[0]), axis(2, pc[1]), axis(3, pc[2])];
        let rows = rows
            .iter()
            .map(|r| PcsRow {
                axes: [axis(4, r[0]), axis(5, r[1]), axis(6, r[2]), axis(7, r[3])],
            })
            .collect();
        tables.push(PcsTable { fixed, rows });
    }
    PcsTables { tables }
}

/// Joins rows that differ at one axis only, until none do. Each join keeps
/// the set of codes exactly (the union of two products that agree on three
/// axes is the product with the fourth axis united).
fn merge_rows(mut rows: Vec<RowSets>) -> Vec<RowSets> {
    loop {
        let before = rows.len();
        for axis in (0..4).rev() {
            let mut grouped: BTreeMap<RowSets, u64> = BTreeMap::new();
            for mut r in rows.drain(..) {
                let set = std::mem::take(&mut r[axis]);
                *grouped.entry(r).or_default() |= set;
            }
            rows = grouped
                .into_iter()
                .map(|(mut r, set)| {
                    r[axis] = set;
                    r
                })
                .collect();
        }
        if rows.len() == before {
            return rows;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_rows_allow_exactly_the_codes() {
        let labels = read_labels(
            "l.tsv",
            "prefix\tposition\tvalue\tlabel\n\t1\t0\tMedical and Surgical\n0\t2\t0\tCNS\n00\t3\t1\tBypass\n001\t5\t0\tOpen\n",
        )
        .unwrap();
        let codes = [
            "0016070", "0016071", "0016370", "0016371", "00163ZB", "1016070",
        ];
        let t = tables_from_codes(codes, &labels);
        assert_eq!(t.tables.len(), 1);
        assert_eq!(t.expand(), codes[..5]);
        assert!(t.row_count() <= 2, "{}", t.row_count());
        let n = t.next_characters("0016");
        assert_eq!(n[0].label.as_deref(), Some("Open"));
        assert_eq!(n[0].axis, "Approach");
        assert_eq!(n[1].label, None);
        assert_eq!(
            t.next_characters("")[0].label.as_deref(),
            Some("Medical and Surgical")
        );
    }

    #[test]
    fn labels_reject_bad_rows() {
        let h = "prefix\tposition\tvalue\tlabel\n";
        for body in [
            "\t8\t0\tx\n",
            "00\t4\t0\tx\n",
            "\t1\t0\tx\n\t1\t0\ty\n",
            "\t1\t0\n",
        ] {
            let e = read_labels("l.tsv", &format!("{h}{body}"))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("l.tsv:"), "{e}");
        }
    }
}
