//! Choice of the Unix-socket directory when no host is given.

use std::path::{Path, PathBuf};

/// Debian-family builds use the first, upstream builds the second.
pub(super) const DEFAULT_DIRS: &[&str] = &["/var/run/postgresql", "/tmp"];

/// The first directory holding `.s.PGSQL.<port>`; if none does, the first directory, so the
/// connection error names the same socket as psql's.
pub(super) fn default_dir(dirs: &[&str], port: u16) -> PathBuf {
    dirs.iter()
        .map(PathBuf::from)
        .find(|dir| socket_path(dir, port).exists())
        .or_else(|| dirs.first().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

pub(super) fn socket_path(dir: &Path, port: u16) -> PathBuf {
    dir.join(format!(".s.PGSQL.{port}"))
}
