//! The operating-system user name, libpq's default for `user`.

use std::fs;

/// `$USER`, else the name of the effective uid in /etc/passwd (read directly: no new crate and
/// no unsafe `getpwuid` call).
pub(super) fn name(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    env("USER")
        .filter(|u| !u.is_empty())
        .or_else(|| lookup(effective_uid()?, &fs::read_to_string("/etc/passwd").ok()?))
}

/// Effective uid from /proc/self/status (`Uid: real effective saved fs`).
fn effective_uid() -> Option<u32> {
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
