//! The operating-system user: its name (libpq's default for `user`) and home directory.

use std::fs;
use std::path::PathBuf;

/// The name of the effective uid in /etc/passwd, as libpq takes it (read directly: no new crate
/// and no unsafe `getpwuid` call); `$USER` only when there is no entry.
pub(super) fn name(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    effective_uid()
        .and_then(|uid| lookup(uid, &fs::read_to_string("/etc/passwd").ok()?))
        .or_else(|| env("USER").filter(|u| !u.is_empty()))
}

/// `$HOME`, else the home directory of the effective uid in /etc/passwd (libpq 18's order).
pub(super) fn home(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            let uid = effective_uid()?;
            let passwd = fs::read_to_string("/etc/passwd").ok()?;
            passwd.lines().find_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                let found: u32 = fields.get(2)?.parse().ok()?;
                let dir = fields.get(5)?;
                (found == uid && !dir.is_empty()).then(|| PathBuf::from(dir))
            })
        })
}

/// Effective uid from /proc/self/status (`Uid: real effective saved fs`).
pub(super) fn effective_uid() -> Option<u32> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("Uid:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The name for `uid` in passwd-format text.
pub(super) fn lookup(uid: u32, passwd: &str) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let found: u32 = fields.nth(1)?.parse().ok()?;
        (found == uid && !name.is_empty()).then(|| name.to_owned())
    })
}
