//! The Activity filter: `db:`, `user:`, `app:`, `state:` prefixes and free text, all terms
//! required, case-insensitive substring matches.

use crate::snapshot::Backend;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The text as typed, shown back to the user.
    pub text: String,
    terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Db(String),
    User(String),
    App(String),
    State(String),
    Any(String),
}

impl Filter {
    pub fn parse(text: &str) -> Self {
        let terms = text
            .split_whitespace()
            .map(|t| {
                let lower = t.to_lowercase();
                match lower.split_once(':') {
                    Some(("db", v)) => Term::Db(v.to_owned()),
                    Some(("user", v)) => Term::User(v.to_owned()),
                    Some(("app", v)) => Term::App(v.to_owned()),
                    Some(("state", v)) => Term::State(v.to_owned()),
                    _ => Term::Any(lower),
                }
            })
            .collect();
        Self {
            text: text.to_owned(),
            terms,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn matches(&self, b: &Backend) -> bool {
        self.terms.iter().all(|t| match t {
            Term::Db(v) => contains(b.datname.as_deref(), v),
            Term::User(v) => contains(b.usename.as_deref(), v),
            Term::App(v) => contains(Some(&b.application_name), v),
            Term::State(v) => contains(b.state.as_deref(), v),
            Term::Any(v) => {
                contains(Some(&b.query), v)
                    || contains(b.datname.as_deref(), v)
                    || contains(b.usename.as_deref(), v)
                    || contains(Some(&b.application_name), v)
                    || contains(b.client.as_deref(), v)
                    || contains(b.state.as_deref(), v)
                    || b.pid.to_string() == *v
            }
        })
    }
}

/// Case-insensitive substring test; `needle` is already lower case.
fn contains(hay: Option<&str>, needle: &str) -> bool {
    let Some(hay) = hay else {
        return needle.is_empty();
    };
    if hay.is_ascii() {
        hay.as_bytes()
            .windows(needle.len().max(1))
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
            || needle.is_empty()
    } else {
        hay.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend() -> Backend {
        Backend {
            pid: 42,
            datname: Some("shop".into()),
            usename: Some("app_rw".into()),
            application_name: "billing-api".into(),
            state: Some("active".into()),
            query: "UPDATE Accounts SET x = 1".into(),
            ..Backend::default()
        }
    }

    #[test]
    fn prefixes_and_free_text() {
        let b = backend();
        assert!(Filter::parse("db:sho").matches(&b));
        assert!(Filter::parse("USER:APP state:act accounts").matches(&b));
        assert!(!Filter::parse("db:other").matches(&b));
        assert!(Filter::parse("42").matches(&b));
        assert!(!Filter::parse("app:billing user:nobody").matches(&b));
        assert!(Filter::parse("").matches(&b));
    }
}
