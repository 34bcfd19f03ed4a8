//! The ICD-10-PCS tables as a code builder. Each table fixes the first three
//! characters (section, body system, root operation or type); each of its
//! rows lists the values allowed at positions 4–7. A code is valid for the
//! tables when some row allows each of its last four characters.

use std::collections::BTreeMap;

/// One allowed character of an axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxisValue {
    /// The character (`0`–`9`, `A`–`Z` but never `I` or `O`).
    pub ch: char,
    /// Its label, e.g. `Open`; `None` when the source gives none.
    pub label: Option<String>,
    /// Its definition (root operations, approaches …) where the source gives one.
    pub definition: Option<String>,
}

/// One axis (character position) of a table or row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axis {
    /// 1-based character position, 1–7.
    pub pos: u8,
    /// The axis name, e.g. `Body Part`, `Approach`.
    pub name: String,
    /// Allowed values, sorted by character.
    pub values: Vec<AxisValue>,
}

impl Axis {
    /// The value for `ch`, if allowed.
    pub fn get(&self, ch: char) -> Option<&AxisValue> {
        self.values.iter().find(|v| v.ch == ch)
    }
}

/// One row of a table: the allowed values at positions 4, 5, 6 and 7.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcsRow {
    /// Axes for positions 4 to 7, in order.
    pub axes: [Axis; 4],
}

impl PcsRow {
    /// How many codes the row allows.
    pub fn code_count(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }
}

/// One table: three fixed characters and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcsTable {
    /// Axes 1–3, one value each.
    pub fixed: [Axis; 3],
    /// The rows.
    pub rows: Vec<PcsRow>,
}

impl PcsTable {
    /// The three fixed characters (`'\0'` where an axis is empty).
    pub fn key(&self) -> [char; 3] {
        self.fixed
            .each_ref()
            .map(|a| a.values.first().map_or('\0', |v| v.ch))
    }

    /// The three fixed characters, e.g. `001`.
    pub fn prefix(&self) -> String {
        self.fixed
            .iter()
            .filter_map(|a| a.values.first().map(|v| v.ch))
            .collect()
    }
}

/// A character allowed next, with what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextChar {
    /// The character.
    pub ch: char,
    /// The name of the axis it fills, e.g. `Approach`.
    pub axis: String,
    /// Its label, when known.
    pub label: Option<String>,
    /// Its definition, when the source gives one.
    pub definition: Option<String>,
}

/// The first character of a code the tables do not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPosition {
    /// 1-based position of the character.
    pub position: usize,
    /// The character found there.
    pub found: char,
    /// The characters allowed there after the preceding ones (empty past
    /// position 7).
    pub allowed: Vec<NextChar>,
}

/// All tables of one release, sorted by prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PcsTables {
    /// The tables, sorted by [`PcsTable::prefix`], prefixes distinct.
    pub tables: Vec<PcsTable>,
}

impl PcsTables {
    /// Builds from tables in any order; `Err(prefix)` if two share a prefix.
    pub fn new(mut tables: Vec<PcsTable>) -> Result<Self, String> {
        tables.sort_by_key(PcsTable::key);
        for w in tables.windows(2) {
            if w[0].key() == w[1].key() {
                return Err(w[0].prefix());
            }
        }
        Ok(PcsTables { tables })
    }

    /// The table with these three characters.
    pub fn table(&self, prefix: &str) -> Option<&PcsTable> {
        let mut cs = prefix.chars();
        let key = [cs.next()?, cs.next()?, cs.next()?];
        if cs.next().is_some() {
            return None;
        }
        self.tables
            .binary_search_by_key(&key, PcsTable::key)
            .ok()
            .map(|i| &self.tables[i])
    }

    /// Number of rows over all tables.
    pub fn row_count(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }

    /// The characters allowed after `prefix` (0–6 characters), sorted, each
    /// with its axis name, label and definition. Empty when the prefix is
    /// itself not allowed or has 7 or more characters.
    ///
    /// ```
    /// use medcode_tables::pcs::tables::*;
    /// let ax = |pos, name: &str, chs: &str| Axis {
    ///     pos,
    ///     name: name.into(),
    ///     values: chs.chars().map(|ch| AxisValue { ch, label: None, definition: None }).collect(),
    /// };
    /// let t = PcsTables::new(vec![PcsTable {
    ///     fixed: [ax(1, "Section", "0"), ax(2, "Body System", "0"), ax(3, "Operation", "1")],
    ///     rows: vec![PcsRow { axes: [ax(4, "Body Part", "6"), ax(5, "Approach", "034"), ax(6, "Device", "Z"), ax(7, "Qualifier", "B")] }],
    /// }]).unwrap();
    /// let next: String = t.next_characters("0016").iter().map(|n| n.ch).collect();
    /// assert_eq!(next, "034");
    /// assert_eq!(t.first_bad_position("0016Z").unwrap().position, 5);
    /// ```
    pub fn next_characters(&self, prefix: &str) -> Vec<NextChar> {
        let chars: Vec<char> = prefix.chars().collect();
        let k = chars.len();
        let mut out: BTreeMap<char, NextChar> = BTreeMap::new();
        let mut add = |axis: &Axis| {
            for v in &axis.values {
                out.entry(v.ch).or_insert_with(|| NextChar {
                    ch: v.ch,
                    axis: axis.name.clone(),
                    label: v.label.clone(),
                    definition: v.definition.clone(),
                });
            }
        };
        if k < 3 {
            for t in &self.tables {
                let fixed_match = t.fixed[..k]
                    .iter()
                    .zip(&chars)
                    .all(|(a, &c)| a.get(c).is_some());
                if fixed_match {
                    add(&t.fixed[k]);
                }
            }
        } else if k < 7 {
            let table: String = chars[..3].iter().collect();
            if let Some(t) = self.table(&table) {
                for row in &t.rows {
                    let row_match = row.axes[..k - 3]
                        .iter()
                        .zip(&chars[3..])
                        .all(|(a, &c)| a.get(c).is_some());
                    if row_match {
                        add(&row.axes[k - 3]);
                    }
                }
            }
        }
        out.into_values().collect()
    }

    /// The first character of `code` that the tables do not allow after the
    /// characters before it, with the allowed ones; `None` when every
    /// character is allowed (a complete code of 7, or a valid beginning).
    pub fn first_bad_position(&self, code: &str) -> Option<BadPosition> {
        let chars: Vec<char> = code.chars().collect();
        let bad = (1..=chars.len()).find(|&n| !self.allows(&chars[..n]))?;
        let prefix: String = chars[..bad - 1].iter().collect();
        Some(BadPosition {
            position: bad,
            found: chars[bad - 1],
            allowed: self.next_characters(&prefix),
        })
    }

    /// Whether `chars` (1–7 characters) begin some code of the tables.
    fn allows(&self, chars: &[char]) -> bool {
        let k = chars.len().min(3);
        let key = |t: &PcsTable| t.key();
        let lo = self.tables.partition_point(|t| key(t)[..k] < chars[..k]);
        let Some(first) = self.tables.get(lo).filter(|t| key(t)[..k] == chars[..k]) else {
            return false;
        };
        if chars.len() <= 3 {
            return true;
        }
        if chars.len() > 7 {
            return false;
        }
        first.rows.iter().any(|row| {
            row.axes
                .iter()
                .zip(&chars[3..])
                .all(|(a, &c)| a.get(c).is_some())
        })
    }

    /// Every code the tables allow, sorted.
    pub fn expand(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in &self.tables {
            let p = t.prefix();
            for row in &t.rows {
                for a in &row.axes[0].values {
                    for b in &row.axes[1].values {
                        for c in &row.axes[2].values {
                            for d in &row.axes[3].values {
                                out.push(format!("{p}{}{}{}{}", a.ch, b.ch, c.ch, d.ch));
                            }
                        }
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every character any table uses at any position (to check, e.g., that
    /// `I` and `O` never appear).
    pub fn all_characters(&self) -> std::collections::BTreeSet<char> {
        let mut set = std::collections::BTreeSet::new();
        for t in &self.tables {
            for a in t
                .fixed
                .iter()
                .chain(t.rows.iter().flat_map(|r| r.axes.iter()))
            {
                set.extend(a.values.iter().map(|v| v.ch));
            }
        }
        set
    }
}
