//! Comparison terms of the filter: `idle>1m`, `xact>=5m`, `age<30s`, `waiting>10s`, `xmin>1e6`
//! style thresholds on a session's durations and numbers. A metric is one enum arm: adding
//! `cpu>50` later is a name, a kind and a value.

use crate::snapshot::{Backend, Micros};

/// One comparison: `metric op threshold`. The threshold is in microseconds for durations and
/// as written for counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compare {
    metric: Metric,
    op: Op,
    threshold: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Metric {
    /// Time in the current idle state (`idle`, `idle in transaction`, aborted), from state_change.
    Idle,
    /// Transaction age, from xact_start.
    Xact,
    /// Query age, from query_start: what the QUERY AGE column shows.
    Age,
    /// An active session waiting on an event: time since its state changed (the server does not
    /// record when a wait began, so this bounds the wait from above).
    Waiting,
    /// Age in transactions of the xmin the session holds back.
    Xmin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Duration,
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Gt,
    Ge,
    Lt,
    Le,
}

impl Metric {
    fn parse(name: &str) -> Option<Metric> {
        Some(match name {
            "idle" => Metric::Idle,
            "xact" => Metric::Xact,
            "age" => Metric::Age,
            "waiting" => Metric::Waiting,
            "xmin" => Metric::Xmin,
            _ => return None,
        })
    }

    fn kind(self) -> Kind {
        match self {
            Metric::Xmin => Kind::Count,
            _ => Kind::Duration,
        }
    }

    /// The session's value, `None` when the metric does not apply to it (no transaction, not
    /// idle, not waiting): such a session matches no comparison on it.
    fn value(self, b: &Backend, now: Micros) -> Option<i64> {
        let since = |t: Option<Micros>| t.map(|t| (now - t).max(0));
        match self {
            Metric::Idle => {
                let idle = b.state.as_deref().is_some_and(|s| s.starts_with("idle"));
                if idle { since(b.state_change) } else { None }
            }
            Metric::Xact => since(b.xact_start),
            Metric::Age => since(b.query_start),
            Metric::Waiting => {
                let waiting = b.state.as_deref() == Some("active") && b.wait_event_type.is_some();
                if waiting { since(b.state_change) } else { None }
            }
            Metric::Xmin => b.xmin_age.map(i64::from),
        }
    }
}

/// What is wrong with a comparison term, for the command line (the UI shows no rows for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl Compare {
    /// `Some(Ok)` for a comparison term, `Some(Err)` for a term naming a metric with a bad
    /// threshold, `None` for any other term (free text such as `a>b` stays free text).
    pub fn parse(term: &str) -> Option<Result<Compare, Invalid>> {
        let at = term.find(['>', '<'])?;
        let metric = Metric::parse(&term[..at].to_lowercase())?;
        let rest = &term[at..];
        let (op, value) = if let Some(v) = rest.strip_prefix(">=") {
            (Op::Ge, v)
        } else if let Some(v) = rest.strip_prefix("<=") {
            (Op::Le, v)
        } else if let Some(v) = rest.strip_prefix('>') {
            (Op::Gt, v)
        } else {
            (Op::Lt, &rest[1..])
        };
        let threshold = match metric.kind() {
            Kind::Duration => duration_us(value),
            Kind::Count => count(value),
        };
        Some(match threshold {
            Some(threshold) => Ok(Compare {
                metric,
                op,
                threshold,
            }),
            None => Err(Invalid(match metric.kind() {
                Kind::Duration => {
                    format!("`{term}`: expected a duration such as 500ms, 30s, 5m, 2h, 1d or 1m30s")
                }
                Kind::Count => format!("`{term}`: expected a number"),
            })),
        })
    }

    pub fn is_on_xact(&self) -> bool {
        self.metric == Metric::Xact
    }

    pub fn matches(&self, b: &Backend, now: Micros) -> bool {
        let Some(v) = self.metric.value(b, now) else {
            return false;
        };
        match self.op {
            Op::Gt => v > self.threshold,
            Op::Ge => v >= self.threshold,
            Op::Lt => v < self.threshold,
            Op::Le => v <= self.threshold,
        }
    }
}

/// `1500`, `1e6`, `2.5k`... as a whole number (fractions round).
fn count(text: &str) -> Option<i64> {
    whole(text.trim().parse().ok()?)
}

#[allow(clippy::cast_possible_truncation)]
fn whole(v: f64) -> Option<i64> {
    // The range check makes the cast exact up to rounding.
    (v.is_finite() && v.abs() < 9.0e18).then(|| v.round() as i64)
}

/// `1m30s`, `500ms`, `2.5h`, `45` (seconds) in microseconds.
fn duration_us(text: &str) -> Option<i64> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return None;
    }
    if let Ok(secs) = text.parse::<f64>() {
        return if secs >= 0.0 { whole(secs * 1e6) } else { None };
    }
    let mut total = 0.0;
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let n: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "us" => 1.0,
            "ms" => 1e3,
            "s" => 1e6,
            "m" | "min" => 60e6,
            "h" => 3_600e6,
            "d" => 86_400e6,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += n * scale;
    }
    whole(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Micros = 1_000_000_000_000;
    const S: Micros = 1_000_000;

    fn backend(state: &str, changed_ago: Micros) -> Backend {
        Backend {
            pid: 7,
            state: Some(state.into()),
            state_change: Some(NOW - changed_ago),
            query_start: Some(NOW - changed_ago),
            ..Backend::default()
        }
    }

    fn cmp(term: &str) -> Compare {
        match Compare::parse(term) {
            Some(Ok(c)) => c,
            other => panic!("{term}: {other:?}"),
        }
    }

    #[test]
    fn durations_parse_with_units_and_combinations() {
        assert_eq!(duration_us("1m"), Some(60 * S));
        assert_eq!(duration_us("1m30s"), Some(90 * S));
        assert_eq!(duration_us("500ms"), Some(S / 2));
        assert_eq!(duration_us("2.5h"), Some(9_000 * S));
        assert_eq!(duration_us("45"), Some(45 * S));
        assert_eq!(duration_us("1d"), Some(86_400 * S));
        assert_eq!(duration_us("5x"), None);
        assert_eq!(duration_us(""), None);
        assert_eq!(duration_us("-3"), None);
    }

    #[test]
    fn idle_counts_only_idle_states() {
        let idle = backend("idle", 90 * S);
        assert!(cmp("idle>1m").matches(&idle, NOW));
        assert!(!cmp("idle>2m").matches(&idle, NOW));
        assert!(cmp("idle<=90s").matches(&idle, NOW));
        assert!(cmp("IDLE>1m").matches(&backend("idle in transaction", 90 * S), NOW));
        assert!(!cmp("idle>1s").matches(&backend("active", 90 * S), NOW));
        assert!(!cmp("idle<1h").matches(&backend("active", 90 * S), NOW));
    }

    #[test]
    fn xact_age_waiting_and_counts() {
        let mut b = backend("active", 20 * S);
        assert!(!cmp("xact>0s").matches(&b, NOW), "no transaction, no match");
        b.xact_start = Some(NOW - 400 * S);
        assert!(cmp("xact>5m").matches(&b, NOW));
        assert!(cmp("age>=20s").matches(&b, NOW));
        assert!(!cmp("age>30s").matches(&b, NOW));
        assert!(!cmp("waiting>10s").matches(&b, NOW), "running, not waiting");
        b.wait_event_type = Some("Lock".into());
        assert!(cmp("waiting>10s").matches(&b, NOW));
        b.xmin_age = Some(1_500);
        assert!(cmp("xmin>1000").matches(&b, NOW));
        assert!(!cmp("xmin<1e3").matches(&b, NOW));
    }

    #[test]
    fn other_terms_are_not_comparisons() {
        assert!(Compare::parse("a>b").is_none());
        assert!(Compare::parse("app:x").is_none());
        assert!(Compare::parse("cpu>50").is_none(), "not a metric yet");
        assert!(matches!(Compare::parse("idle>soon"), Some(Err(_))));
        assert!(matches!(Compare::parse("xmin>lots"), Some(Err(_))));
        assert!(matches!(Compare::parse("idle>"), Some(Err(_))));
    }
}
