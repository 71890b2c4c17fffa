//! The Settings pane's view model, pure: the parameters an operator set (not at their
//! defaults), pending restarts first, values readable, where each value comes from, and `/`
//! search over names and descriptions.

use crate::panes::settings::data::{FileError, Override, Param, Params};
use crate::panes::settings::units::readable;

/// Sources that are not the operator's configuration: built-in defaults, values the server
/// computes itself (`override`: wal_buffers, data_checksums...), and what this very connection
/// set for itself (`client`: its startup packet; `session`/`interactive`: SET), which would list
/// pgscope's own timeouts.
pub const NOT_CONFIGURED: [&str; 5] = ["default", "override", "client", "session", "interactive"];

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A configuration file and line.
    File { file: String, line: Option<i32> },
    /// From a file, but this login may not see which: the grant that shows it.
    FileHidden { grant: &'static str },
    /// Not a file: command line, database, user, environment variable...
    Source(String),
}

/// The grant that makes sourcefile/sourceline visible (superusers see them anyway).
pub const FILE_GRANT: &str = "pg_read_all_settings (or pg_monitor)";

#[derive(Debug, Clone, PartialEq)]
pub struct ParamView {
    pub param: Param,
    /// The value with its unit made readable.
    pub value: String,
    /// The built-in default, readable, for comparison.
    pub default: Option<String>,
    pub origin: Origin,
}

/// Sources that mean "this connection ran SET": the value the server gives every other session
/// is then `reset_val` (pgscope SETs its own timeouts).
const SET_HERE: [&str; 2] = ["session", "interactive"];

/// The value the server gives a new session: what this connection's own SET replaced.
pub fn server_value(p: &Param) -> &str {
    match &p.reset_val {
        Some(reset) if SET_HERE.contains(&p.source.as_str()) => reset,
        _ => &p.setting,
    }
}

/// Set by the operator, or waiting for a restart (a file changed a postmaster parameter whose
/// running value may still be the default). A parameter this connection SET counts when the
/// value it replaced is not the built-in default.
pub fn configured(p: &Param) -> bool {
    if SET_HERE.contains(&p.source.as_str()) {
        return p.pending_restart || (p.reset_val.is_some() && p.reset_val != p.boot_val);
    }
    p.pending_restart || !NOT_CONFIGURED.contains(&p.source.as_str())
}

/// Case-insensitive match of the `/` search on the name and both descriptions.
pub fn matches(p: &Param, search: &str) -> bool {
    let needle = search.trim().to_lowercase();
    needle.is_empty()
        || p.name.to_lowercase().contains(&needle)
        || p.short_desc.to_lowercase().contains(&needle)
        || p.extra_desc
            .as_deref()
            .is_some_and(|d| d.to_lowercase().contains(&needle))
}

pub fn origin(p: &Param, files_visible: bool) -> Origin {
    match (&p.sourcefile, p.source.as_str()) {
        (Some(file), _) => Origin::File {
            file: file.clone(),
            line: p.sourceline,
        },
        (None, "configuration file") if !files_visible => Origin::FileHidden { grant: FILE_GRANT },
        (None, source) if SET_HERE.contains(&source) => {
            Origin::Source("before this session's SET".to_owned())
        }
        (None, source) => Origin::Source(source.to_owned()),
    }
}

/// The configured parameters matching `search`: pending restart first, then by category and
/// name.
pub fn build(params: &Params, search: &str) -> Vec<ParamView> {
    let mut rows: Vec<ParamView> = params
        .rows
        .iter()
        .filter(|p| configured(p) && matches(p, search))
        .map(|p| ParamView {
            value: readable(server_value(p), p.unit.as_deref()),
            default: p
                .boot_val
                .as_deref()
                .map(|b| readable(b, p.unit.as_deref())),
            origin: origin(p, params.files_visible),
            param: p.clone(),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.param
            .pending_restart
            .cmp(&a.param.pending_restart)
            .then_with(|| a.param.category.cmp(&b.param.category))
            .then_with(|| a.param.name.cmp(&b.param.name))
    });
    rows
}

/// Overrides whose parameter name matches `search` (values are stored as written in ALTER ...
/// SET, so they are already readable).
pub fn overrides<'a>(all: &'a [Override], search: &str) -> Vec<&'a Override> {
    let needle = search.trim().to_lowercase();
    all.iter()
        .filter(|o| needle.is_empty() || o.name.to_lowercase().contains(&needle))
        .collect()
}

/// A line of pg_file_settings with an error, and whether that "error" is only a parameter
/// that waits for a restart (the server says "setting could not be applied").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIssue {
    pub error: FileError,
    pub pending_restart: bool,
}

/// The configuration file errors, real errors first, each told apart from pending restarts.
pub fn file_issues(errors: &[FileError], params: &Params) -> Vec<FileIssue> {
    let mut out: Vec<FileIssue> = errors
        .iter()
        .map(|e| FileIssue {
            pending_restart: e
                .name
                .as_deref()
                .is_some_and(|n| params.rows.iter().any(|p| p.name == n && p.pending_restart)),
            error: e.clone(),
        })
        .collect();
    out.sort_by_key(|i| i.pending_restart);
    out
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
