//! The password file (~/.pgpass, PGPASSFILE, passfile): libpq's format and lookup rules.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// What a connection to one host is looked up by.
#[derive(Debug, Clone, Copy)]
pub(super) struct Key<'a> {
    pub(super) host: &'a str,
    pub(super) port: &'a str,
    pub(super) dbname: &'a str,
    pub(super) user: &'a str,
}

/// Reads the password file, or `None` when it does not exist or must be ignored; a file that is
/// ignored gets libpq's warning.
pub(super) fn read(path: &Path, warnings: &mut Vec<String>) -> Option<String> {
    let meta = fs::metadata(path).ok()?;
    if !meta.is_file() {
        warnings.push(format!(
            "password file \"{}\" is not a plain file",
            path.display()
        ));
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        warnings.push(format!(
            "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            path.display()
        ));
        return None;
    }
    fs::read_to_string(path).ok()
}

/// The password of the first line matching `key` (`*` matches anything; `\` escapes `:` and
/// `\`), or `None`.
pub(super) fn lookup(text: &str, key: Key<'_>) -> Option<String> {
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = [key.host, key.port, key.dbname, key.user];
        let rest = fields
            .iter()
            .try_fold(line, |rest, token| field_matches(rest, token));
        if let Some(rest) = rest {
            return Some(unescape_password(rest));
        }
    }
    None
}

/// libpq's `pwdfMatchesString`: `*:` matches anything; otherwise the field, with `\` escapes,
/// must equal `token` exactly. Returns the rest of the line after the field's `:`.
fn field_matches<'a>(field: &'a str, token: &str) -> Option<&'a str> {
    if let Some(rest) = field.strip_prefix("*:") {
        return Some(rest);
    }
    let mut chars = field.char_indices();
    let mut want = token.chars();
    while let Some((i, c)) = chars.next() {
        let (c, escaped) = if c == '\\' {
            match chars.next() {
                Some((_, next)) => (next, true),
                None => return None,
            }
        } else {
            (c, false)
        };
        if c == ':' && !escaped {
            return want.next().is_none().then(|| &field[i + 1..]);
        }
        if want.next() != Some(c) {
            return None;
        }
    }
    None
}

/// The password runs to the first unescaped `:` or the end of the line.
fn unescape_password(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ':' => break,
            '\\' if chars.peek().is_some() => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}
