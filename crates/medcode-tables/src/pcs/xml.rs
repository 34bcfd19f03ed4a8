//! Reads the official CMS ICD-10-PCS tables XML (`icd10pcs_tables_YYYY.xml`)
//! and definitions XML (`icd10pcs_definitions_YYYY.xml`). Release files are
//! read at build time only; nothing derived from them is committed.

use super::tables::{Axis, AxisValue, PcsRow, PcsTable, PcsTables};
use super::FORBIDDEN;
use crate::error::{TableError, TableErrorKind};
use roxmltree::{Document, Node};
use std::collections::HashMap;

/// Definitions by (section character, position, term title).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Definitions {
    /// `(section, position, title)` → definition text.
    pub terms: HashMap<(char, u8, String), String>,
}

fn line(doc: &Document, node: Node) -> u32 {
    doc.text_pos_at(node.range().start).row
}

fn child<'a, 'i>(node: Node<'a, 'i>, tag: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(tag))
}

fn text_of(node: Node, tag: &str) -> Option<String> {
    child(node, tag)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_owned())
}

/// Parses the tables XML. Checks every axis's `values` count and every
/// row's `codes` count against what it lists, that characters are PCS
/// characters (never `I` or `O`) and that tables are distinct.
pub fn parse_tables(path: &str, xml: &str) -> Result<PcsTables, TableError> {
    let doc = Document::parse(xml)
        .map_err(|e| TableError::new(path, e.pos().row, TableErrorKind::Xml(e.to_string())))?;
    let err = |node: Node, kind| TableError::new(path, line(&doc, node), kind);
    let axis = |node: Node, pos: u8| -> Result<Axis, TableError> {
        let name = text_of(node, "title").ok_or_else(|| {
            err(
                node,
                TableErrorKind::MissingElement {
                    parent: "axis",
                    child: "title",
                },
            )
        })?;
        let definition = text_of(node, "definition");
        let mut values = Vec::new();
        for label in node.children().filter(|n| n.has_tag_name("label")) {
            let code = label.attribute("code").unwrap_or("");
            let mut cs = code.chars();
            let ch = match (cs.next(), cs.next()) {
                (Some(c), None)
                    if (c.is_ascii_digit() || c.is_ascii_uppercase())
                        && !FORBIDDEN.contains(&c) =>
                {
                    c
                }
                _ => return Err(err(label, TableErrorKind::BadCode(code.to_owned()))),
            };
            values.push(AxisValue {
                ch,
                label: label.text().map(|t| t.trim().to_owned()),
                definition: definition.clone(),
            });
        }
        values.sort_by_key(|v| v.ch);
        let declared = node
            .attribute("values")
            .and_then(|v| v.parse::<usize>().ok());
        if values.is_empty() || declared.is_some_and(|d| d != values.len()) {
            return Err(err(
                node,
                TableErrorKind::BadCode(format!(
                    "axis {pos} lists {} values, declares {declared:?}",
                    values.len()
                )),
            ));
        }
        if values.windows(2).any(|w| w[0].ch == w[1].ch) {
            return Err(err(
                node,
                TableErrorKind::DuplicateCode(format!("axis {pos} value")),
            ));
        }
        Ok(Axis { pos, name, values })
    };
    let axes_at = |node: Node,
                   range: std::ops::RangeInclusive<u8>|
     -> Result<Vec<Axis>, TableError> {
        let mut out = Vec::new();
        for pos in range {
            let a = node
                .children()
                .find(|n| n.has_tag_name("axis") && n.attribute("pos") == Some(&pos.to_string()))
                .ok_or_else(|| {
                    err(
                        node,
                        TableErrorKind::MissingElement {
                            parent: "pcsTable",
                            child: "axis",
                        },
                    )
                })?;
            out.push(axis(a, pos)?);
        }
        Ok(out)
    };
    let mut tables = Vec::new();
    for t in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("pcsTable"))
    {
        let fixed = axes_at(t, 1..=3)?;
        if fixed.iter().any(|a| a.values.len() != 1) {
            return Err(err(
                t,
                TableErrorKind::BadCode("a table axis 1-3 with other than one value".into()),
            ));
        }
        let mut rows = Vec::new();
        for r in t.children().filter(|n| n.has_tag_name("pcsRow")) {
            let axes = axes_at(r, 4..=7)?;
            let [a, b, c, d]: [Axis; 4] = axes
                .try_into()
                .map_err(|_| err(r, TableErrorKind::Empty("row axes")))?;
            let row = PcsRow { axes: [a, b, c, d] };
            let declared = r.attribute("codes").and_then(|v| v.parse::<usize>().ok());
            if declared.is_some_and(|d| d != row.code_count()) {
                return Err(err(
                    r,
                    TableErrorKind::BadCode(format!(
                        "row allows {} codes, declares {declared:?}",
                        row.code_count()
                    )),
                ));
            }
            rows.push(row);
        }
        if rows.is_empty() {
            return Err(err(t, TableErrorKind::Empty("<pcsRow> in a table")));
        }
        let [a, b, c]: [Axis; 3] = fixed
            .try_into()
            .map_err(|_| err(t, TableErrorKind::Empty("table axes")))?;
        tables.push(PcsTable {
            fixed: [a, b, c],
            rows,
        });
    }
    if tables.is_empty() {
        return Err(TableError::new(
            path,
            0,
            TableErrorKind::Empty("<pcsTable>"),
        ));
    }
    PcsTables::new(tables).map_err(|p| TableError::new(path, 0, TableErrorKind::DuplicateCode(p)))
}

/// Parses the definitions XML: for each section and axis, the terms that
/// carry a `<definition>` (root operations, approaches, types …); terms
/// with only `<includes>` (body parts, devices) are left out.
pub fn parse_definitions(path: &str, xml: &str) -> Result<Definitions, TableError> {
    let doc = Document::parse(xml)
        .map_err(|e| TableError::new(path, e.pos().row, TableErrorKind::Xml(e.to_string())))?;
    let mut defs = Definitions::default();
    for s in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("section"))
    {
        let code = s.attribute("code").unwrap_or("");
        let mut cs = code.chars();
        let section = match (cs.next(), cs.next()) {
            (Some(c), None) => c,
            _ => {
                return Err(TableError::new(
                    path,
                    line(&doc, s),
                    TableErrorKind::BadCode(code.to_owned()),
                ))
            }
        };
        for a in s.children().filter(|n| n.has_tag_name("axis")) {
            let Some(pos) = a.attribute("pos").and_then(|p| p.parse::<u8>().ok()) else {
                return Err(TableError::new(
                    path,
                    line(&doc, a),
                    TableErrorKind::MissingElement {
                        parent: "axis",
                        child: "pos",
                    },
                ));
            };
            for t in a.children().filter(|n| n.has_tag_name("terms")) {
                let Some(def) = text_of(t, "definition") else {
                    continue;
                };
                for title in t.children().filter(|n| n.has_tag_name("title")) {
                    if let Some(title) = title.text() {
                        defs.terms
                            .insert((section, pos, title.trim().to_owned()), def.clone());
                    }
                }
            }
        }
    }
    if defs.terms.is_empty() {
        return Err(TableError::new(
            path,
            0,
            TableErrorKind::Empty("definitions"),
        ));
    }
    Ok(defs)
}

/// Fills in definitions the tables lack from the definitions file, matching
/// the value's label in the table's section at the same position. Returns how
/// many values got one.
pub fn apply_definitions(tables: &mut PcsTables, defs: &Definitions) -> usize {
    let mut filled = 0;
    for t in &mut tables.tables {
        let Some(section) = t.fixed[0].values.first().map(|v| v.ch) else {
            continue;
        };
        let axes = t
            .fixed
            .iter_mut()
            .chain(t.rows.iter_mut().flat_map(|r| r.axes.iter_mut()));
        for a in axes {
            for v in &mut a.values {
                if v.definition.is_some() {
                    continue;
                }
                if let Some(label) = &v.label {
                    if let Some(d) = defs.terms.get(&(section, a.pos, label.clone())) {
                        v.definition = Some(d.clone());
                        filled += 1;
                    }
                }
            }
        }
    }
    filled
}
