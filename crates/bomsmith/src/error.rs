//! Typed errors of the library. Every variant names the file and the place.

use std::io;

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in bomsmith's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file system path involved.
        path: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// An archive (or a member of it) is unreadable, corrupt or unsafe.
    #[error("{archive}{}: {message}", member.as_ref().map(|m| format!(": member `{m}`")).unwrap_or_default())]
    Archive {
        /// The archive, as given by the user (nested archives as `outer!inner`).
        archive: String,
        /// The member being read when the problem was found, if any.
        member: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// The input is not of a kind bomsmith can read.
    #[error("{path}: {message}")]
    Unsupported {
        /// The input path.
        path: String,
        /// What was found instead.
        message: String,
    },

    /// A JSON document is malformed or does not have the expected shape.
    #[error("{file}: {pointer}: {message}", pointer = if pointer.is_empty() { "/" } else { pointer })]
    Document {
        /// The document's path (nested documents as `archive!member`).
        file: String,
        /// JSON pointer of the offending value ("" for the whole document).
        pointer: String,
        /// What is wrong.
        message: String,
    },

    /// A configuration file is invalid.
    #[error("{file}:{line}:{column}: {message}")]
    Config {
        /// The configuration file (or `preset:NAME`).
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },

    /// The scanned content contradicts what a document in it declares.
    #[error("{file}: {message}")]
    Mismatch {
        /// The file whose content disagrees.
        file: String,
        /// What disagrees.
        message: String,
    },

    /// An invalid value given on the command line or in the environment.
    #[error("{what}: {message}")]
    Invalid {
        /// The option or variable.
        what: String,
        /// What is wrong with it.
        message: String,
    },
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An archive problem, optionally at a member.
    pub fn archive(
        archive: impl Into<String>,
        member: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Error::Archive {
            archive: archive.into(),
            member: member.map(str::to_owned),
            message: message.into(),
        }
    }

    /// A document problem at a JSON pointer.
    pub fn document(
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Document {
            file: file.into(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// An invalid option or environment value.
    pub fn invalid(what: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            what: what.into(),
            message: message.into(),
        }
    }
}
