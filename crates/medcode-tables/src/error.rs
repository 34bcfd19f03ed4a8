//! Errors raised while reading a source table, each naming the file and line.

use std::fmt;

/// A problem in a source table, located by file path and 1-based line.
///
/// Displays as `path:line: what`, the form compilers use, so a malformed
/// source fails the build with a message an editor can jump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// The file the problem was found in.
    pub path: String,
    /// 1-based line number (0 when the problem concerns the whole file).
    pub line: u32,
    /// What is wrong.
    pub kind: TableErrorKind,
}

/// What is wrong with a source table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableErrorKind {
    /// The file could not be read or decompressed.
    Io(String),
    /// The file is not well-formed XML.
    Xml(String),
    /// A required element is missing, e.g. a `<diag>` without `<name>`.
    MissingElement {
        /// The element that should contain it.
        parent: &'static str,
        /// The missing element or attribute.
        child: &'static str,
    },
    /// A code does not have the shape its system requires.
    BadCode(String),
    /// A child code does not extend its parent's code.
    NotUnderParent {
        /// The child code as written.
        code: String,
        /// The parent code (no dot).
        parent: String,
    },
    /// The same code appears twice.
    DuplicateCode(String),
    /// A 7th-character definition is malformed.
    BadSeventhCharacter(String),
    /// A table is empty or lacks an expected section.
    Empty(&'static str),
    /// A TSV header line names no `code` column, an unknown column or one twice.
    BadHeader(String),
    /// A field has the wrong form, e.g. a date that is not `yyyymmdd`.
    BadField {
        /// The column the field belongs to.
        column: String,
        /// The field as written.
        value: String,
        /// What form was expected.
        expected: &'static str,
    },
    /// A line has another number of fields than the header.
    FieldCount {
        /// Fields the header names.
        expected: usize,
        /// Fields found on the line.
        found: usize,
    },
    /// The same code is given twice with different titles or header flags.
    Conflict(String),
}

impl TableError {
    /// Builds an error at `path:line`.
    pub fn new(path: impl Into<String>, line: u32, kind: TableErrorKind) -> Self {
        TableError {
            path: path.into(),
            line,
            kind,
        }
    }
}

impl fmt::Display for TableErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableErrorKind::Io(e) => write!(f, "cannot read: {e}"),
            TableErrorKind::Xml(e) => write!(f, "malformed XML: {e}"),
            TableErrorKind::MissingElement { parent, child } => {
                write!(f, "<{parent}> has no <{child}>")
            }
            TableErrorKind::BadCode(c) => {
                let len = c.chars().filter(|&ch| ch != '.').count();
                if len > crate::layout::MAX_CODE_LEN {
                    write!(
                        f,
                        "{c:?} is not a well-formed code: it has {len} characters, codes have at most {} (dots not counted)",
                        crate::layout::MAX_CODE_LEN
                    )
                } else {
                    write!(f, "{c:?} is not a well-formed code: codes are 1-{} ASCII letters or digits (dots not counted)", crate::layout::MAX_CODE_LEN)
                }
            }
            TableErrorKind::NotUnderParent { code, parent } => {
                write!(f, "code {code:?} does not extend its parent {parent:?}")
            }
            TableErrorKind::DuplicateCode(c) => write!(f, "code {c:?} appears more than once"),
            TableErrorKind::BadSeventhCharacter(e) => {
                write!(f, "bad 7th-character definition: {e}")
            }
            TableErrorKind::Empty(what) => write!(f, "no {what} found"),
            TableErrorKind::BadHeader(e) => write!(f, "bad header line: {e}"),
            TableErrorKind::BadField {
                column,
                value,
                expected,
            } => write!(f, "column {column}: {value:?} is not {expected}"),
            TableErrorKind::FieldCount { expected, found } => {
                write!(f, "{found} fields, the header names {expected}")
            }
            TableErrorKind::Conflict(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.kind)
    }
}

impl std::error::Error for TableError {}

/// Why a table compiler (the search index, the lexicon, the PCS axis
/// map) could not write its table: a limit of the format or a value it
/// cannot hold. The caller names the source file.
///
/// ```
/// use medcode_tables::lexicon::{build, Term};
/// let term = Term { key: "chf".into(), kind: "abbr".into(), alternatives: String::new(), source: "x".into() };
/// let e = build(&[term]).unwrap_err();
/// assert_eq!(e.to_string(), "lexicon term \"chf\": empty key or alternatives");
/// ```
#[derive(Debug)]
pub enum CompileError {
    /// The FST builder refused a key (out of order, repeated) or could not finish.
    Fst(fst::Error),
    /// More items than the format can number.
    TooMany(&'static str),
    /// A field holds one of the format's separators (`what` names the field's owner).
    Separator(String),
    /// A key or its alternatives are empty (`what` names the entry).
    Empty(String),
    /// Items added in an order the format cannot write.
    Order(&'static str),
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Fst(e) => write!(f, "FST: {e}"),
            CompileError::TooMany(what) => write!(f, "too many {what}"),
            CompileError::Separator(what) => write!(f, "{what}: a field holds a tab or line break"),
            CompileError::Empty(what) => write!(f, "{what}: empty key or alternatives"),
            CompileError::Order(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for CompileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CompileError::Fst(e) => Some(e),
            _ => None,
        }
    }
}

impl From<fst::Error> for CompileError {
    fn from(e: fst::Error) -> Self {
        CompileError::Fst(e)
    }
}
