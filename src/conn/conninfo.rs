//! libpq `key=value` connection strings, and the test for "is this a conninfo at all?".

use super::error::ConnError;

/// Like libpq's `recognized_connection_string`: a URI prefix or any `=` makes it a conninfo;
/// anything else is a plain database name.
pub(super) fn is_conninfo(s: &str) -> bool {
    super::uri::has_prefix(s) || s.contains('=')
}

/// Splits `key = value key2='quoted \' value'` into pairs, with libpq's rules: whitespace around
/// `=`, single quotes, and `\` escaping the next character (quoted or not). Keywords are not
/// checked here.
pub(super) fn parse(s: &str) -> Result<Vec<(String, String)>, ConnError> {
    let mut chars = s.chars().peekable();
    let mut pairs: Vec<(String, String)> = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            // A stray word right after a password is most likely part of it: don't echo it.
            let what = if pairs.last().is_some_and(|(k, _)| k == "password") {
                "the password value".to_owned()
            } else {
                format!("\"{key}\"")
            };
            return Err(ConnError::Invalid(format!(
                "missing \"=\" after {what} in connection info string"
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => {
                        return Err(ConnError::Invalid(
                            "unterminated quoted string in connection info string".to_owned(),
                        ));
                    }
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        pairs.push((key, value));
    }
}
