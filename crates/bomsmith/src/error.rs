//! Typed errors of the library. Every variant names the file and the place.
//!
//! Messages describe the problem in the library's terms and never name a command-line flag:
//! the variants say what went wrong (a decompression bound, git failing, an unknown preset), and
//! the command-line front end turns them into hints about its own options.

use std::io;

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in bomsmith's library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    #[error("{archive}{}: {message}", member_suffix(member))]
    Archive {
        /// The archive, as given by the user (nested archives as `outer!inner`).
        archive: String,
        /// The member being read when the problem was found, if any.
        member: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// An archive unpacks to more than a decompression bound allows.
    #[error("{archive}{}: {limit}", member_suffix(member))]
    Limit {
        /// The archive, as given by the user.
        archive: String,
        /// The member being read when the bound was crossed, if any.
        member: Option<String>,
        /// Which bound, and by how much.
        limit: LimitExceeded,
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

    /// A line-oriented document (SPDX tag-value) is malformed or invalid at a line.
    #[error("{file}:{line}: {message}")]
    Text {
        /// The document's path.
        file: String,
        /// 1-based line.
        line: usize,
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

    /// An invalid value from outside the input: an environment variable, a pattern, a bound.
    #[error("{what}: {message}")]
    Invalid {
        /// The value's name (`SOURCE_DATE_EPOCH`, `exclude pattern`).
        what: String,
        /// What is wrong with it.
        message: String,
    },

    /// `git` could not list the files of a work tree.
    #[error("{}: {message}", dir)]
    Git {
        /// The directory git was asked about.
        dir: String,
        /// Whether git could not be started, or ran and failed.
        failure: GitFailure,
        /// What git or the system said.
        message: String,
    },

    /// An output path that may not be written: it is an input, or an existing file that is not
    /// a document bomsmith wrote.
    #[error("{path}: {refusal}")]
    Output {
        /// The output path, as given by the user.
        path: String,
        /// Why it is not written.
        refusal: OutputRefusal,
    },

    /// No bundled preset has this name.
    #[error("unknown preset `{name}` (known: {})", known.join(", "))]
    UnknownPreset {
        /// The name asked for.
        name: String,
        /// The bundled presets.
        known: Vec<&'static str>,
    },
}

/// How `git ls-files` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GitFailure {
    /// git could not be started (not installed?).
    NotRun,
    /// git ran and reported an error.
    Failed,
}

/// Why an output path is not written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutputRefusal {
    /// It is (or links to) the file being read: writing would destroy the input.
    #[error("is the input `{input}`: writing there would destroy it; nothing written")]
    IsInput {
        /// The input, as given by the user.
        input: String,
    },
    /// It exists and is not a document bomsmith wrote, so replacing it may lose data.
    #[error("exists and is not a document bomsmith wrote (it holds {found}); not replaced")]
    Foreign {
        /// What the file looks like.
        found: String,
    },
}

/// A decompression bound that an input crossed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitExceeded {
    /// Too many unpacked bytes per packed byte.
    #[error(
        "decompression bomb: {unpacked} bytes unpacked from {packed} (more than {max_ratio}:1)"
    )]
    Ratio {
        /// Bytes unpacked so far.
        unpacked: u64,
        /// Bytes read from the archive so far.
        packed: u64,
        /// The bound.
        max_ratio: u64,
    },
    /// Too many unpacked bytes in all.
    #[error("decompression bomb: more than {max_unpacked} bytes unpacked")]
    Total {
        /// The bound.
        max_unpacked: u64,
    },
}

impl LimitExceeded {
    /// The bound as an `io::Error`, so it travels through decoders and readers; see
    /// [`Error::member_io`] for the way back.
    pub fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }
}

fn member_suffix(member: &Option<String>) -> String {
    member
        .as_ref()
        .map(|m| format!(": member `{m}`"))
        .unwrap_or_default()
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

    /// An I/O error met while reading an archive (at a member): a crossed decompression bound
    /// becomes [`Error::Limit`], anything else [`Error::Archive`] with the error's text.
    pub fn member_io(archive: &str, member: Option<&str>, e: &io::Error) -> Self {
        match e.get_ref().and_then(|i| i.downcast_ref::<LimitExceeded>()) {
            Some(limit) => Error::Limit {
                archive: archive.to_owned(),
                member: member.map(str::to_owned),
                limit: limit.clone(),
            },
            None => Error::archive(archive, member, e.to_string()),
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

    /// An invalid value from outside the input.
    pub fn invalid(what: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            what: what.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_survive_a_trip_through_io_errors() {
        let io = LimitExceeded::Total { max_unpacked: 10 }.into_io();
        let e = Error::member_io("a.tar", Some("x"), &io);
        assert!(
            matches!(
                &e,
                Error::Limit {
                    limit: LimitExceeded::Total { max_unpacked: 10 },
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "a.tar: member `x`: decompression bomb: more than 10 bytes unpacked"
        );
        let other = Error::member_io("a.tar", None, &io::Error::other("boom"));
        assert_eq!(other.to_string(), "a.tar: boom");
    }
}
