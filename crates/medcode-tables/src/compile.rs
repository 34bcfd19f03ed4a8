//! Compiles a parsed tabular into the embedded format: an FST map from code
//! (no dot, upper case) to a packed [`Entry`], a title store, the outline and
//! the 7th-character definitions.

use crate::error::{TableError, TableErrorKind};
use crate::layout::{expand, Entry, Kind, MAX_DEF, MAX_TITLE, TAKES_SEVENTH};
use crate::outline::{write_sevenths, Outline, SeventhChars};
use crate::tabular::Tabular;
use crate::titles::TitleStoreBuilder;
use std::collections::BTreeMap;

/// The compiled tables of one code system, ready to embed.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// FST map bytes: code → [`Entry::encode`].
    pub codes: Vec<u8>,
    /// Title store bytes (see [`crate::titles`]).
    pub titles: Vec<u8>,
    /// Outline text (see [`crate::outline`]).
    pub outline: String,
    /// 7th-character definitions text.
    pub sevenths: String,
    /// Counts of what was compiled.
    pub counts: Counts,
}

/// How many entries of each kind were compiled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Chapters.
    pub chapters: usize,
    /// Blocks.
    pub blocks: usize,
    /// Three-character categories.
    pub categories: usize,
    /// Codes that may be reported.
    pub billable: usize,
    /// Categories and codes that are headers (have children or take a 7th character).
    pub headers: usize,
    /// Codes made by adding a 7th character.
    pub expanded: usize,
    /// Distinct 7th-character definitions.
    pub seventh_defs: usize,
}

enum Title {
    Own(String),
    OfLeaf(String),
}

struct Pending {
    kind: Kind,
    billable: bool,
    title: Title,
    seventh: Option<(u16, u8)>,
    line: u32,
}

/// Compiles a tabular; `path` names the source in errors.
pub fn compile(path: &str, tabular: &Tabular) -> Result<Compiled, TableError> {
    let err = |line: u32, kind: TableErrorKind| TableError::new(path, line, kind);
    if tabular.seventh_defs.len() > usize::from(MAX_DEF) {
        return Err(err(
            0,
            TableErrorKind::BadCode("too many definitions or blocks for the value layout".into()),
        ));
    }
    let mut pending: BTreeMap<String, Pending> = BTreeMap::new();
    let mut insert = |key: String, p: Pending| -> Result<(), TableError> {
        let line = p.line;
        match pending.insert(key.clone(), p) {
            None => Ok(()),
            Some(_) => Err(err(line, TableErrorKind::DuplicateCode(key))),
        }
    };
    for chapter in &tabular.chapters {
        insert(
            chapter.id.clone(),
            Pending {
                kind: Kind::Chapter,
                billable: false,
                title: Title::Own(chapter.title.clone()),
                seventh: None,
                line: 0,
            },
        )?;
    }
    for block in &tabular.blocks {
        insert(
            block.id.clone(),
            Pending {
                kind: Kind::Block,
                billable: false,
                title: Title::Own(block.title.clone()),
                seventh: None,
                line: 0,
            },
        )?;
    }
    let mut counts = Counts {
        chapters: tabular.chapters.len(),
        blocks: tabular.blocks.len(),
        seventh_defs: tabular.seventh_defs.len(),
        ..Counts::default()
    };
    for diag in &tabular.diags {
        let kind = if diag.code.len() == 3 {
            Kind::Category
        } else {
            Kind::Code
        };
        let billable = !diag.has_children && diag.seventh.is_none();
        counts.categories += usize::from(kind == Kind::Category);
        counts.billable += usize::from(billable);
        counts.headers += usize::from(!billable);
        let seventh = diag.seventh.map(|d| (d as u16, TAKES_SEVENTH));
        insert(
            diag.code.clone(),
            Pending {
                kind,
                billable,
                title: Title::Own(diag.title.clone()),
                seventh,
                line: diag.line,
            },
        )?;
        if let Some(def) = diag.seventh {
            // The value layout indexes a 7th character in 5 bits, 31 marking a leaf.
            let n = tabular.seventh_defs[def].chars.len();
            if n > usize::from(TAKES_SEVENTH) {
                return Err(err(
                    diag.line,
                    TableErrorKind::BadSeventhCharacter(format!(
                        "{} takes {n} 7th characters; at most {TAKES_SEVENTH} fit the value layout",
                        diag.code
                    )),
                ));
            }
            for (i, (c, _)) in tabular.seventh_defs[def].chars.iter().enumerate() {
                let title = Title::OfLeaf(diag.code.clone());
                insert(
                    expand(&diag.code, *c),
                    Pending {
                        kind: Kind::Code,
                        billable: true,
                        title,
                        seventh: Some((def as u16, i as u8)),
                        line: diag.line,
                    },
                )?;
                counts.billable += 1;
                counts.expanded += 1;
            }
        }
    }

    // Titles: own titles in code order, then the 7th-character meanings.
    let mut titles = TitleStoreBuilder::default();
    let mut title_of: BTreeMap<&str, u32> = BTreeMap::new();
    for (key, p) in &pending {
        if let Title::Own(t) = &p.title {
            title_of.insert(key.as_str(), titles.add(t));
        }
    }
    let defs: Vec<SeventhChars> = tabular
        .seventh_defs
        .iter()
        .map(|d| {
            d.chars
                .iter()
                .map(|(c, meaning)| (*c, titles.add(meaning)))
                .collect()
        })
        .collect();
    if titles.len() > MAX_TITLE as usize {
        return Err(err(
            0,
            TableErrorKind::BadCode("too many titles for the value layout".into()),
        ));
    }

    let mut builder = fst::MapBuilder::memory();
    for (key, p) in &pending {
        let title = match &p.title {
            Title::Own(_) => title_of.get(key.as_str()),
            Title::OfLeaf(leaf) => title_of.get(leaf.as_str()),
        };
        let title = title
            .copied()
            .ok_or_else(|| err(p.line, TableErrorKind::BadCode(key.clone())))?;
        let value = Entry {
            kind: p.kind,
            billable: p.billable,
            title,
            seventh: p.seventh,
        }
        .encode();
        builder
            .insert(key, value)
            .map_err(|e| err(p.line, TableErrorKind::BadCode(format!("{key}: {e}"))))?;
    }
    let codes = builder
        .into_inner()
        .map_err(|e| err(0, TableErrorKind::Io(e.to_string())))?;

    let blocks_under = |parent: Option<usize>, chapter: usize| -> Vec<String> {
        tabular
            .blocks
            .iter()
            .filter(|b| b.parent == parent && b.chapter == chapter)
            .map(|b| b.id.clone())
            .collect()
    };
    let chapters: Vec<(String, Vec<String>)> = tabular
        .chapters
        .iter()
        .enumerate()
        .map(|(n, c)| (c.id.clone(), blocks_under(None, n)))
        .collect();
    let blocks: Vec<(String, Vec<String>)> = tabular
        .blocks
        .iter()
        .enumerate()
        .map(|(n, b)| {
            let mut children = blocks_under(Some(n), b.chapter);
            children.extend(b.categories.iter().cloned());
            (b.id.clone(), children)
        })
        .collect();
    Ok(Compiled {
        codes,
        titles: titles.finish_in_word_order(),
        outline: Outline::write(&chapters, &blocks),
        sevenths: write_sevenths(&defs),
        counts,
    })
}
