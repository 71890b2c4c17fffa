//! The operating-system user: its name (libpq's default for `user`) and home directory, from
//! the C library's user database (`getpwuid_r`), so that users from LDAP or SSSD through NSS
//! are found like local ones, as libpq finds them.

use std::path::PathBuf;

use nix::unistd::{Uid, User};

/// The passwd entry of the effective uid, through NSS.
fn entry() -> Option<User> {
    User::from_uid(Uid::effective()).ok().flatten()
}

/// The name of the effective uid, as libpq takes it; `$USER` only when there is no entry.
pub(super) fn name(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    entry()
        .map(|u| u.name)
        .filter(|n| !n.is_empty())
        .or_else(|| env("USER").filter(|u| !u.is_empty()))
}

/// `$HOME`, else the home directory of the effective uid (libpq 18's order).
pub(super) fn home(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| entry().map(|u| u.dir).filter(|d| !d.as_os_str().is_empty()))
}

/// The effective uid.
pub(super) fn effective_uid() -> u32 {
    Uid::effective().as_raw()
}
