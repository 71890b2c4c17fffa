//! The Activity filter: `db:`, `user:`, `app:`, `state:`, `client:`, `type:` prefixes and free
//! text, all terms required, case-insensitive substring matches. `prefix:=value` matches the
//! value exactly; double quotes keep spaces inside one term (`app:="pgAdmin 4"`). `wait:` matches
//! `CPU` or `Type:Event` (`wait:=Lock:tuple`), `qid:` a query_id. Comparison terms
//! (`idle>1m`, `xact>5m`, `age>30s`, `waiting>10s`, `xmin>1000`) are in [`compare`].

mod compare;

use crate::snapshot::{Backend, Micros};
use compare::Compare;

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
    Client(String),
    Type(String),
    /// `field:=value`: this exact value, case-sensitive (a hidden/NULL value equals "").
    Exact(Field, String),
    /// `wait:`, lower case, and `wait:=` as typed.
    Wait(String),
    WaitExact(String),
    QueryId(i64),
    Compare(Compare),
    /// A comparison with a threshold that does not parse: matches nothing, says why.
    Invalid(String),
    Any(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Db,
    User,
    App,
    State,
    Client,
    Type,
}

impl Field {
    fn parse(name: &str) -> Option<Field> {
        Some(match name {
            "db" => Field::Db,
            "user" => Field::User,
            "app" => Field::App,
            "state" => Field::State,
            "client" => Field::Client,
            "type" => Field::Type,
            _ => return None,
        })
    }

    fn value(self, b: &Backend) -> Option<&str> {
        match self {
            Field::Db => b.datname.as_deref(),
            Field::User => b.usename.as_deref(),
            Field::App => Some(b.application_name.as_str()),
            Field::State => b.state.as_deref(),
            Field::Client => b.client.as_deref(),
            Field::Type => Some(b.backend_type.as_str()),
        }
    }
}

impl Filter {
    pub fn parse(text: &str) -> Self {
        let terms = tokens(text)
            .into_iter()
            .map(|t| {
                match Compare::parse(&t) {
                    Some(Ok(c)) => return Term::Compare(c),
                    Some(Err(compare::Invalid(why))) => return Term::Invalid(why),
                    None => {}
                }
                if let Some(term) = wait_term(&t) {
                    return term;
                }
                if let Some((name, v)) = t.split_once(':')
                    && let Some(exact) = v.strip_prefix('=')
                    && let Some(field) = Field::parse(&name.to_lowercase())
                {
                    return Term::Exact(field, exact.to_owned());
                }
                let lower = t.to_lowercase();
                match lower.split_once(':') {
                    Some(("db", v)) => Term::Db(v.to_owned()),
                    Some(("user", v)) => Term::User(v.to_owned()),
                    Some(("app", v)) => Term::App(v.to_owned()),
                    Some(("state", v)) => Term::State(v.to_owned()),
                    Some(("client", v)) => Term::Client(v.to_owned()),
                    Some(("type", v)) => Term::Type(v.to_owned()),
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

    /// Whether a term selects on the transaction's age (`xact>5m`).
    pub fn selects_on_xact(&self) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(t, Term::Compare(c) if c.is_on_xact()))
    }

    /// Why a term cannot be used (a comparison with a threshold that does not parse).
    pub fn problem(&self) -> Option<&str> {
        self.terms.iter().find_map(|t| match t {
            Term::Invalid(why) => Some(why.as_str()),
            _ => None,
        })
    }

    /// Whether `b` passes every term; `now` is the server clock the ages are measured against.
    pub fn matches(&self, b: &Backend, now: Micros) -> bool {
        self.terms.iter().all(|t| match t {
            Term::Compare(c) => c.matches(b, now),
            Term::Invalid(_) => false,
            Term::Db(v) => contains(b.datname.as_deref(), v),
            Term::User(v) => contains(b.usename.as_deref(), v),
            Term::App(v) => contains(Some(&b.application_name), v),
            Term::State(v) => contains(b.state.as_deref(), v),
            Term::Client(v) => contains(b.client.as_deref(), v),
            Term::Type(v) => contains(Some(&b.backend_type), v),
            Term::Exact(f, v) => f.value(b).unwrap_or("") == v.as_str(),
            Term::Wait(v) => contains(Some(&wait_of(b)), v),
            Term::WaitExact(v) => wait_of(b) == *v,
            Term::QueryId(id) => b.query_id == Some(*id),
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

    /// `value` written as one filter term: quoted when it holds spaces, quotes or backslashes.
    pub fn quote(value: &str) -> String {
        let plain = !value.is_empty()
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '\\');
        if plain {
            return value.to_owned();
        }
        let mut out = String::with_capacity(value.len() + 2);
        out.push('"');
        for c in value.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    }
}

/// `wait:` and `qid:` terms (the Waits pane drills into Activity with them).
fn wait_term(t: &str) -> Option<Term> {
    let (name, v) = t.split_once(':')?;
    match name.to_lowercase().as_str() {
        "wait" => Some(match v.strip_prefix('=') {
            Some(exact) => Term::WaitExact(exact.to_owned()),
            None => Term::Wait(v.to_lowercase()),
        }),
        "qid" => v.trim_start_matches('=').parse().ok().map(Term::QueryId),
        _ => None,
    }
}

fn wait_of(b: &Backend) -> String {
    crate::panes::waits::data::wait_label(b.wait_event_type.as_deref(), b.wait_event.as_deref())
}

/// Splits on whitespace outside double quotes; inside them `\` escapes the next character.
/// The quotes themselves are dropped: `app:="a b"` is the term `app:=a b`.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut started) = (false, false);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            '\\' if quoted => {
                if let Some(next) = chars.next() {
                    cur.push(next);
                }
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            c => {
                cur.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(cur);
    }
    out
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
        assert!(Filter::parse("db:sho").matches(&b, 0));
        assert!(Filter::parse("USER:APP state:act accounts").matches(&b, 0));
        assert!(!Filter::parse("db:other").matches(&b, 0));
        assert!(Filter::parse("42").matches(&b, 0));
        assert!(!Filter::parse("app:billing user:nobody").matches(&b, 0));
        assert!(Filter::parse("").matches(&b, 0));
    }

    #[test]
    fn exact_values_and_quotes() {
        let mut b = backend();
        assert!(Filter::parse("db:=shop").matches(&b, 0));
        assert!(!Filter::parse("db:=sho").matches(&b, 0));
        assert!(!Filter::parse("db:=SHOP").matches(&b, 0));
        b.application_name = "pgAdmin 4 \"x\"\\".into();
        let term = format!("app:={}", Filter::quote(&b.application_name));
        assert!(Filter::parse(&term).matches(&b, 0), "{term}");
        assert!(!Filter::parse("app:=pgAdmin").matches(&b, 0));
        assert!(Filter::parse("\"admin 4\" type:").matches(&b, 0));
        b.client = None;
        assert!(Filter::parse("client:=").matches(&b, 0));
        assert!(Filter::parse(&format!("client:={}", Filter::quote(""))).matches(&b, 0));
        b.client = Some("10.0.0.7".into());
        assert!(Filter::parse("client:10.0 client:=10.0.0.7").matches(&b, 0));
    }
}
