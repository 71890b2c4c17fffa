//! Config and theme file errors that say where: the file, the line, and what is wrong there.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem in one file. Shown as `path:line: cause` (like a compiler), or `path: cause`
/// when the problem has no line (the file cannot be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub cause: String,
}

impl FileError {
    pub fn new(path: &Path, line: Option<usize>, cause: impl Into<String>) -> FileError {
        FileError {
            path: path.to_owned(),
            line,
            cause: cause.into(),
        }
    }

    /// A problem at byte range `span` of `text`.
    pub fn at(path: &Path, text: &str, span: Range<usize>, cause: impl Into<String>) -> FileError {
        FileError::new(path, Some(line_of(text, span.start)), cause)
    }

    /// A TOML syntax or shape error, located by its span.
    pub fn toml(path: &Path, text: &str, e: &toml::de::Error) -> FileError {
        let line = e.span().map(|s| line_of(text, s.start));
        FileError::new(path, line, e.message().trim_end())
    }
}

/// 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text[..end].matches('\n').count() + 1
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.cause),
            None => write!(f, "{}: {}", self.path.display(), self.cause),
        }
    }
}

/// Every problem found in a file (at least one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FileErrors(pub Vec<FileError>);

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl From<FileError> for FileErrors {
    fn from(e: FileError) -> Self {
        FileErrors(vec![e])
    }
}

/// Problems found so far, each located in the file.
pub(super) struct Problems<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
    pub(super) errors: Vec<FileError>,
}

impl Problems<'_> {
    pub(super) fn at(&mut self, span: Range<usize>, cause: String) {
        self.errors
            .push(FileError::at(self.path, self.text, span, cause));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
