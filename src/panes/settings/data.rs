//! The Settings pane's part of a refresh: plain owned rows as the server reported them.

use crate::snapshot::PaneError;

/// One read of the Settings pane; each section has its own outcome (pg_file_settings is for
/// superusers unless granted, and must not blank the rest).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub params: Result<Params, PaneError>,
    pub overrides: Result<Vec<Override>, PaneError>,
    pub file_errors: Result<Vec<FileError>, PaneError>,
    pub facts: Result<Facts, PaneError>,
}

/// Every parameter (pg_settings), and whether their files and lines are visible to this login.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Params {
    /// Superuser or pg_read_all_settings: otherwise `sourcefile`/`sourceline` are NULL.
    pub files_visible: bool,
    pub rows: Vec<Param>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Param {
    pub name: String,
    /// The current value in `unit` (pg_settings.setting).
    pub setting: String,
    /// `8kB`, `kB`, `MB`, `B`, `ms`, `s`, `min`; `None` for unitless parameters.
    pub unit: Option<String>,
    /// bool, enum, integer, real, string.
    pub vartype: String,
    pub category: String,
    pub short_desc: String,
    pub extra_desc: Option<String>,
    /// postmaster (needs a restart), sighup (a reload), user, superuser...
    pub context: String,
    /// default, configuration file, command line, database, user, client, override...
    pub source: String,
    pub sourcefile: Option<String>,
    pub sourceline: Option<i32>,
    pub boot_val: Option<String>,
    pub reset_val: Option<String>,
    /// Changed in a file, and the change waits for a restart.
    pub pending_restart: bool,
}

/// One `name=value` of ALTER DATABASE / ALTER ROLE ... SET. `None` is "all".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Override {
    pub database: Option<String>,
    pub role: Option<String>,
    pub name: String,
    pub value: String,
}

/// A configuration file line the server could not apply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileError {
    pub sourcefile: Option<String>,
    pub sourceline: Option<i32>,
    /// `None` for a syntax error (the line has no parameter the server could read).
    pub name: Option<String>,
    pub setting: Option<String>,
    pub error: String,
}

/// Sessions, as the checks weigh settings against them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Facts {
    pub idle_in_xact: i64,
    /// Seconds the longest of them has been idle.
    pub longest_idle_in_xact: Option<f64>,
    pub active: i64,
    pub sessions: i64,
    /// The counts cover every role (pg_read_all_stats or superuser).
    pub complete: bool,
}
