//! Connection service files (pg_service.conf): which files, in which order, and their format.

use std::fs;
use std::path::{Path, PathBuf};

use super::error::ConnError;
use super::params::Params;

/// Debian's libpq looks here when PGSYSCONFDIR is not set.
const DEFAULT_SYSCONFDIR: &str = "/etc/postgresql-common";

/// The keywords of service `name`: from `servicefile` (PGSERVICEFILE) or ~/.pg_service.conf,
/// and only when the service is not defined there, from $PGSYSCONFDIR/pg_service.conf.
pub(super) fn lookup(
    name: &str,
    servicefile: Option<&str>,
    home: Option<&Path>,
    sysconfdir: Option<&str>,
) -> Result<Params, ConnError> {
    let user_file = servicefile
        .map(PathBuf::from)
        .or_else(|| home.map(|h| h.join(".pg_service.conf")));
    let system_file = Path::new(sysconfdir.unwrap_or(DEFAULT_SYSCONFDIR)).join("pg_service.conf");
    for file in user_file.iter().chain([&system_file]) {
        // A file that does not exist is skipped, as in libpq.
        let Ok(text) = fs::read_to_string(file) else {
            continue;
        };
        if let Some(params) = parse(&text, name, file)? {
            return Ok(params);
        }
    }
    Err(ConnError::Invalid(format!(
        "definition of service \"{name}\" not found"
    )))
}

/// The entries of `[name]` in service-file text, or `None` when the group is absent. Only the
/// wanted group's lines are checked (libpq ignores the rest).
pub(super) fn parse(text: &str, name: &str, file: &Path) -> Result<Option<Params>, ConnError> {
    let syntax = |line: usize| {
        ConnError::Invalid(format!(
            "syntax error in service file \"{}\", line {line}",
            file.display()
        ))
    };
    let mut found: Option<Params> = None;
    let mut in_group = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(group) = line.strip_prefix('[') {
            if found.is_some() {
                break;
            }
            in_group = group.strip_prefix(name).is_some_and(|r| r.starts_with(']'));
            if in_group {
                found = Some(Params::default());
            }
            continue;
        }
        let Some(params) = found.as_mut().filter(|_| in_group) else {
            continue;
        };
        let (key, value) = line.split_once('=').ok_or_else(|| syntax(i + 1))?;
        if key == "service" || key == "servicefile" {
            return Err(ConnError::Invalid(format!(
                "nested {key} specifications not supported in service file \"{}\", line {}",
                file.display(),
                i + 1
            )));
        }
        // An entry never overrides an earlier one of the same group (libpq keeps the first).
        if params.contains(key) {
            continue;
        }
        params.set(key, value).map_err(|e| match e {
            ConnError::Invalid(m) if m.starts_with("invalid connection option") => syntax(i + 1),
            other => other,
        })?;
    }
    Ok(found)
}
