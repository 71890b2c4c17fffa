//! libpq connection URIs:
//! `postgres[ql]://[user[:password]@][host][:port][,host2[:port2]...][/dbname][?param=value&...]`.

use super::error::ConnError;
use super::keywords::{self, Keyword};

const PREFIXES: [&str; 2] = ["postgresql://", "postgres://"];

pub(super) fn has_prefix(s: &str) -> bool {
    PREFIXES.iter().any(|p| s.starts_with(p))
}

/// Parses a URI into libpq keyword/value pairs (keywords of query parameters are checked here,
/// because libpq words their error differently from a conninfo's).
pub(super) fn parse(uri: &str) -> Result<Vec<(String, String)>, ConnError> {
    let rest = PREFIXES
        .iter()
        .find_map(|p| uri.strip_prefix(p))
        .ok_or_else(|| ConnError::Invalid("invalid connection URI".to_owned()))?;
    let mut pairs = Vec::new();

    // The authority ends at the first '/' or '?'; user info is whatever precedes its last '@'.
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(authority_end);
    let hostlist = match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            push_nonempty(&mut pairs, "user", decode(user, false)?);
            if let Some(p) = password {
                push_nonempty(&mut pairs, "password", decode(p, true)?);
            }
            &authority[at + 1..]
        }
        None => authority,
    };
    parse_hosts(hostlist, &mut pairs)?;

    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if let Some(db) = path.strip_prefix('/') {
        push_nonempty(&mut pairs, "dbname", decode(db, false)?);
    }
    if let Some(query) = query {
        parse_query(query, &mut pairs)?;
    }
    Ok(pairs)
}

/// `host[:port],[v6]:port,...` -> `host=a,b` and, if any port is given, `port=1,` (libpq keeps
/// empty entries so hosts and ports stay aligned).
fn parse_hosts(list: &str, pairs: &mut Vec<(String, String)>) -> Result<(), ConnError> {
    if list.is_empty() {
        return Ok(());
    }
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for item in split_hosts(list) {
        let (host, port) = if let Some(v6) = item.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| {
                ConnError::Invalid(format!(
                    "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"{item}\""
                ))
            })?;
            if host.is_empty() {
                return Err(ConnError::Invalid(format!(
                    "IPv6 host address may not be empty in URI: \"{item}\""
                )));
            }
            let port = match after {
                "" => "",
                p => p.strip_prefix(':').ok_or_else(|| {
                    ConnError::Invalid(format!(
                        "unexpected character \"{}\" after IPv6 host address in URI: \"{item}\"",
                        p.chars().next().unwrap_or(' ')
                    ))
                })?,
            };
            (decode(host, false)?, port)
        } else {
            let (host, port) = item.split_once(':').unwrap_or((item, ""));
            (decode(host, false)?, port)
        };
        hosts.push(host);
        ports.push(decode(port, false)?);
    }
    pairs.push(("host".to_owned(), hosts.join(",")));
    if ports.iter().any(|p| !p.is_empty()) {
        pairs.push(("port".to_owned(), ports.join(",")));
    }
    Ok(())
}

/// Splits at commas outside `[...]`.
fn split_hosts(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut in_brackets = false;
    for (i, c) in list.char_indices() {
        match c {
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            ',' if !in_brackets => {
                items.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
}

fn parse_query(query: &str, pairs: &mut Vec<(String, String)>) -> Result<(), ConnError> {
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let Some((key, value)) = param.split_once('=') else {
            return Err(ConnError::Invalid(format!(
                "missing key/value separator \"=\" in URI query parameter: \"{param}\""
            )));
        };
        if value.contains('=') {
            return Err(ConnError::Invalid(format!(
                "extra key/value separator \"=\" in URI query parameter: \"{key}\""
            )));
        }
        let key = decode(key, false)?;
        let value = decode(value, key == "password")?;
        // libpq's JDBC-compatible alias.
        if key == "ssl" && value == "true" {
            pairs.push(("sslmode".to_owned(), "require".to_owned()));
            continue;
        }
        if keywords::classify(&key) == Keyword::Unknown {
            return Err(ConnError::Invalid(format!(
                "invalid URI query parameter: \"{key}\""
            )));
        }
        pairs.push((key, value));
    }
    Ok(())
}

fn push_nonempty(pairs: &mut Vec<(String, String)>, key: &str, value: String) {
    if !value.is_empty() {
        pairs.push((key.to_owned(), value));
    }
}

/// Percent-decoding. `secret` keeps the token out of error messages (it may be a password).
fn decode(s: &str, secret: bool) -> Result<String, ConnError> {
    let shown = |s: &str| {
        if secret {
            String::new()
        } else {
            format!(": \"{s}\"")
        }
    };
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let byte = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    ConnError::Invalid(format!("invalid percent-encoded token{}", shown(s)))
                })?;
            if byte == 0 {
                return Err(ConnError::Invalid(format!(
                    "forbidden value %00 in percent-encoded value{}",
                    shown(s)
                )));
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| {
        ConnError::Invalid(format!(
            "percent-decoded value is not valid UTF-8{}",
            shown(s)
        ))
    })
}
