//! One JSON object per line, written by hand: a handful of flat fields does not need a crate.
//! Strings from the server pass the sanitizer first, then JSON escaping.

use std::fmt::Write as _;

use crate::snapshot::Micros;

/// A flat JSON object under construction.
#[derive(Default)]
pub struct Line {
    text: String,
}

impl Line {
    pub fn new() -> Line {
        Line::default()
    }

    fn key(&mut self, key: &str) {
        self.text.push(if self.text.is_empty() { '{' } else { ',' });
        self.text.push('"');
        self.text.push_str(key);
        self.text.push_str("\":");
    }

    pub fn str(mut self, key: &str, value: &str) -> Line {
        self.key(key);
        quote(&mut self.text, &crate::text::sanitize(value));
        self
    }

    pub fn opt_str(self, key: &str, value: Option<&str>) -> Line {
        match value {
            Some(v) => self.str(key, v),
            None => self.null(key),
        }
    }

    pub fn num(mut self, key: &str, value: impl std::fmt::Display) -> Line {
        self.key(key);
        let _ = write!(self.text, "{value}");
        self
    }

    pub fn bool(mut self, key: &str, value: bool) -> Line {
        self.key(key);
        self.text.push_str(if value { "true" } else { "false" });
        self
    }

    pub fn null(mut self, key: &str) -> Line {
        self.key(key);
        self.text.push_str("null");
        self
    }

    /// A server time as RFC 3339 in UTC with microseconds (what the pins take back).
    pub fn time(self, key: &str, us: Option<Micros>) -> Line {
        match us {
            Some(us) => {
                let text = rfc3339(us);
                self.str(key, &text)
            }
            None => self.null(key),
        }
    }

    pub fn finish(mut self) -> String {
        if self.text.is_empty() {
            self.text.push('{');
        }
        self.text.push('}');
        self.text
    }
}

pub fn rfc3339(us: Micros) -> String {
    chrono::DateTime::from_timestamp_micros(us).map_or_else(
        || us.to_string(),
        |t| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
    )
}

/// An RFC 3339 time (any offset) as µs since the epoch.
pub fn parse_rfc3339(text: &str) -> Result<Micros, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.timestamp_micros())
        .map_err(|e| format!("\"{text}\" is not an RFC 3339 time ({e})"))
}

fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_escape_and_times_round_trip() {
        let line = Line::new()
            .str("a", "x\"y\\z")
            .num("n", 5)
            .bool("b", true)
            .null("z")
            .time("t", Some(1_795_867_200_123_456))
            .finish();
        assert_eq!(
            line,
            r#"{"a":"x\"y\\z","n":5,"b":true,"z":null,"t":"2026-11-28T12:00:00.123456Z"}"#
        );
        assert_eq!(
            parse_rfc3339("2026-11-28T12:00:00.123456Z"),
            Ok(1_795_867_200_123_456)
        );
        assert_eq!(
            parse_rfc3339("2026-11-28T13:00:00.123456+01:00"),
            Ok(1_795_867_200_123_456)
        );
        assert!(parse_rfc3339("yesterday").is_err());
        // An escape from the server is made visible, never written raw.
        let hostile = Line::new().str("q", "\u{1b}]0;x\u{7}").finish();
        assert!(
            !hostile.contains('\u{1b}') && !hostile.contains('\u{7}'),
            "{hostile}"
        );
    }
}
