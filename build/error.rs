//! What stops the build: one error type for the build script, keeping the
//! error of the layer below as its `source()`. Each prints as
//! `path:line: what` (line 0 for a whole file), naming the source file.

use medcode_tables::refresh::RefreshError;
use medcode_tables::systems::SystemError;
use medcode_tables::titles::TitleStoreError;
use medcode_tables::{CompileError, TableError};
use std::fmt;

/// Why a table could not be compiled.
#[derive(Debug)]
pub enum BuildError {
    /// A source file is malformed or unreadable (`path:line: what`).
    Table(TableError),
    /// A newer release in the updates folder does not apply.
    Refresh(RefreshError),
    /// A flat system's file (HCPCS, a licensee's CPT table, a custom list) does not read.
    System(SystemError),
    /// A file could not be read or written.
    Io {
        /// The file.
        path: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// A compiled FST does not build or read back.
    Fst {
        /// The table.
        table: String,
        /// What the fst crate said.
        error: fst::Error,
    },
    /// A title store just compiled does not read back.
    Titles {
        /// The table.
        table: String,
        /// What the reader said.
        error: TitleStoreError,
    },
    /// A table compiler refused its input (a limit of the format).
    Compile {
        /// The source file the table is compiled from.
        path: String,
        /// The table.
        table: &'static str,
        /// What the compiler said.
        error: CompileError,
    },
    /// The search index could not be split from the title store it ships
    /// beside (a title gives a posting the index lacks).
    Split {
        /// The source file the index is compiled from.
        path: String,
        /// What the splitter said.
        error: medcode_tables::postings::SplitError,
    },
    /// A cross-check between sources failed (a checksum not listed, an
    /// addenda row the validity history contradicts): `path:line: what`.
    Check(String),
}

impl BuildError {
    /// A read or write of `path` that failed.
    pub fn io(path: impl fmt::Display) -> impl FnOnce(std::io::Error) -> BuildError {
        let path = path.to_string();
        move |error| BuildError::Io { path, error }
    }

    /// The table `table`, compiled from `path`, that its compiler refused.
    pub fn compile(
        path: impl fmt::Display,
        table: &'static str,
    ) -> impl FnOnce(CompileError) -> BuildError {
        let path = path.to_string();
        move |error| BuildError::Compile { path, table, error }
    }

    /// An FST of `table` that does not build or read.
    pub fn fst(table: impl fmt::Display) -> impl FnOnce(fst::Error) -> BuildError {
        let table = table.to_string();
        move |error| BuildError::Fst { table, error }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Table(e) => e.fmt(f),
            BuildError::Refresh(e) => e.fmt(f),
            BuildError::System(e) => e.fmt(f),
            BuildError::Io { path, error } => write!(f, "{path}:0: {error}"),
            BuildError::Fst { table, error } => write!(f, "{table}:0: FST: {error}"),
            BuildError::Titles { table, error } => write!(f, "{table}:0: {error}"),
            BuildError::Compile { path, table, error } => write!(f, "{path}:0: {table}: {error}"),
            BuildError::Split { path, error } => write!(f, "{path}:0: {error}"),
            BuildError::Check(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Table(e) => Some(e),
            BuildError::Refresh(e) => Some(e),
            BuildError::System(e) => Some(e),
            BuildError::Io { error, .. } => Some(error),
            BuildError::Fst { error, .. } => Some(error),
            BuildError::Titles { error, .. } => Some(error),
            BuildError::Compile { error, .. } => Some(error),
            BuildError::Split { error, .. } => Some(error),
            BuildError::Check(_) => None,
        }
    }
}

impl From<TableError> for BuildError {
    fn from(e: TableError) -> Self {
        BuildError::Table(e)
    }
}

impl From<RefreshError> for BuildError {
    fn from(e: RefreshError) -> Self {
        BuildError::Refresh(e)
    }
}

impl From<SystemError> for BuildError {
    fn from(e: SystemError) -> Self {
        BuildError::System(e)
    }
}

impl From<String> for BuildError {
    fn from(what: String) -> Self {
        BuildError::Check(what)
    }
}
