//! The debug log: `--log FILE` or `PGSCOPE_LOG=LEVEL` send `tracing` events to a file (created
//! 0600), never to the terminal, which the UI owns. Events name hosts, users, databases, pids and
//! SQLSTATEs; no event carries a password or a connection string (those may hold one).

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing::level_filters::LevelFilter;

/// The level of `PGSCOPE_LOG` (`debug`, or `pgscope=debug` as with other tracing programs).
pub fn parse_level(value: &str) -> Result<LevelFilter, String> {
    let word = value.rsplit('=').next().unwrap_or(value).trim();
    match word.to_ascii_lowercase().as_str() {
        "off" => Ok(LevelFilter::OFF),
        "error" => Ok(LevelFilter::ERROR),
        "warn" => Ok(LevelFilter::WARN),
        "info" => Ok(LevelFilter::INFO),
        "debug" | "1" | "on" | "true" => Ok(LevelFilter::DEBUG),
        "trace" => Ok(LevelFilter::TRACE),
        _ => Err(format!(
            "PGSCOPE_LOG=\"{value}\": not a level (error, warn, info, debug, trace, off)"
        )),
    }
}

/// Where the log goes when only `PGSCOPE_LOG` is set: next to the action log.
pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "pgscope")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("pgscope.log"))
}

/// Opens the log and installs the subscriber. `file` is `--log`, `level` is `PGSCOPE_LOG`.
/// Returns the file written to, or `None` when no log was asked for.
pub fn init(file: Option<&Path>, level: Option<&str>) -> Result<Option<PathBuf>, String> {
    let level = match level.filter(|l| !l.trim().is_empty()) {
        Some(l) => parse_level(l)?,
        None if file.is_some() => LevelFilter::DEBUG,
        None => return Ok(None),
    };
    if level == LevelFilter::OFF {
        return Ok(None);
    }
    let path = match file {
        Some(f) => f.to_owned(),
        None => default_path().ok_or("no home directory for the log; use --log FILE")?,
    };
    let out = open(&path).map_err(|e| format!("log file {}: {e}", path.display()))?;
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(out))
        .with_ansi(false)
        .with_max_level(level)
        .try_init()
        .map_err(|e| format!("log: {e}"))?;
    tracing::info!(
        version = crate::cli::version(),
        pid = std::process::id(),
        "pgscope started"
    );
    Ok(Some(path))
}

/// Appends; a new file is 0600, and an existing one readable by others is narrowed to 0600 (it
/// names servers, users and queries).
fn open(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_like_other_tracing_programs() {
        assert_eq!(parse_level("debug"), Ok(LevelFilter::DEBUG));
        assert_eq!(parse_level("pgscope=TRACE"), Ok(LevelFilter::TRACE));
        assert_eq!(parse_level("off"), Ok(LevelFilter::OFF));
        assert!(parse_level("loud").is_err());
    }

    #[test]
    fn the_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/pgscope.log");
        drop(open(&path).unwrap());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let loose = dir.path().join("loose.log");
        std::fs::write(&loose, "").unwrap();
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(open(&loose).unwrap());
        let mode = std::fs::metadata(&loose).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
