//! The Waits pane's data: wait classes, and the client-side sampler's history summarized for
//! the screen (per-second session counts by class, top waits and top queries per window).

use crate::snapshot::base::PaneError;

/// What a session spends its time on, from `wait_event_type` (none while active = CPU).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WaitClass {
    #[default]
    Cpu,
    Lock,
    LWLock,
    Io,
    Ipc,
    Client,
    Timeout,
    Extension,
    BufferPin,
    Activity,
    /// A wait type this version of pgscope does not know (e.g. InjectionPoint on 17+).
    Other,
}

/// Number of classes, the length of every per-class array.
pub const CLASSES: usize = 11;

impl WaitClass {
    pub const ALL: [WaitClass; CLASSES] = [
        WaitClass::Cpu,
        WaitClass::Lock,
        WaitClass::LWLock,
        WaitClass::Io,
        WaitClass::Ipc,
        WaitClass::Client,
        WaitClass::Timeout,
        WaitClass::Extension,
        WaitClass::BufferPin,
        WaitClass::Activity,
        WaitClass::Other,
    ];

    /// The class of a `wait_event_type`; no wait event means running on CPU (or about to).
    pub fn of(wait_event_type: Option<&str>) -> WaitClass {
        match wait_event_type {
            None => WaitClass::Cpu,
            Some(t) => WaitClass::ALL
                .into_iter()
                .find(|c| c.label() == t && *c != WaitClass::Cpu)
                .unwrap_or(WaitClass::Other),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WaitClass::Cpu => "CPU",
            WaitClass::Lock => "Lock",
            WaitClass::LWLock => "LWLock",
            WaitClass::Io => "IO",
            WaitClass::Ipc => "IPC",
            WaitClass::Client => "Client",
            WaitClass::Timeout => "Timeout",
            WaitClass::Extension => "Extension",
            WaitClass::BufferPin => "BufferPin",
            WaitClass::Activity => "Activity",
            WaitClass::Other => "Other",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A wait as shown and as filtered on: `CPU`, or `Type:Event` (`Lock:transactionid`).
pub fn wait_label(wait_event_type: Option<&str>, wait_event: Option<&str>) -> String {
    match (wait_event_type, wait_event) {
        (None, _) => "CPU".to_owned(),
        (Some(t), Some(e)) => format!("{t}:{e}"),
        (Some(t), None) => t.to_owned(),
    }
}

/// Query text with literals replaced by `?` and runs of white space collapsed, cut to `max`
/// characters: the grouping key for queries when the server has no query_id. Quoted
/// identifiers and comments are kept as written (a digit there is not a literal); only ASCII
/// white space is collapsed, so a NEL (U+0085) stays a control for the sanitizer to show.
pub fn normalize(query: &str, max: usize) -> String {
    let mut out = String::with_capacity(query.len().min(max));
    let mut chars = query.chars().peekable();
    let mut prev_word = false;
    let mut count = 0;
    while let Some(c) = chars.next() {
        if count >= max {
            break;
        }
        let piece = match c {
            '\'' => {
                // A string literal, '' inside it included.
                while let Some(n) = chars.next() {
                    if n == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
                Some('?')
            }
            '"' => {
                // A quoted identifier, "" inside it included: copied as written.
                out.push('"');
                count += 1;
                while let Some(n) = chars.next() {
                    if count >= max {
                        break;
                    }
                    out.push(n);
                    count += 1;
                    if n == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            out.push('"');
                            count += 1;
                        } else {
                            break;
                        }
                    }
                }
                prev_word = true;
                continue;
            }
            '-' if chars.peek() == Some(&'-') => {
                // A line comment, up to the line break (which then counts as white space).
                out.push('-');
                count += 1;
                while let Some(&n) = chars.peek() {
                    if n == '\n' || count >= max {
                        break;
                    }
                    out.push(n);
                    count += 1;
                    chars.next();
                }
                prev_word = false;
                continue;
            }
            '/' if chars.peek() == Some(&'*') => {
                // A block comment, nested ones included.
                out.push('/');
                count += 1;
                let mut depth = 0usize;
                let mut prev = '/';
                for n in chars.by_ref() {
                    if count >= max {
                        break;
                    }
                    out.push(n);
                    count += 1;
                    match (prev, n) {
                        ('/', '*') => depth += 1,
                        ('*', '/') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    // "*/*" must not count the middle star twice.
                    prev = if matches!((prev, n), ('/', '*') | ('*', '/')) {
                        ' '
                    } else {
                        n
                    };
                }
                prev_word = false;
                continue;
            }
            c if c.is_ascii_digit() && !prev_word => {
                while chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_digit() || *n == '.')
                {
                    chars.next();
                }
                Some('?')
            }
            c if c.is_ascii_whitespace() => {
                if out.ends_with(' ') || out.is_empty() {
                    None
                } else {
                    Some(' ')
                }
            }
            c => Some(c),
        };
        prev_word = c.is_alphanumeric() || c == '_' || c == '$';
        if let Some(p) = piece {
            out.push(p);
            count += 1;
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// The sampler's history, summarized; shipped with a snapshot while the Waits pane is shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Waits {
    pub sampler: SamplerStatus,
    /// One entry per second with samples, oldest first, covering the whole window.
    pub seconds: Vec<Second>,
    /// Totals over the last 1, 5 and 15 minutes (those the window holds), shortest first.
    pub windows: Vec<Window>,
    /// CPU cores of the server when known (a local server, or given on the command line).
    pub cores: Option<u32>,
}

/// How the sampler runs and what it costs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SamplerStatus {
    /// False with `--no-sampler`.
    pub enabled: bool,
    /// Samples per second asked for.
    pub rate_hz: f64,
    /// Samples per second now: lower than asked when a sample went over its time budget, and
    /// below `MIN_RATE_HZ` while paused (only probing its cost).
    pub effective_hz: f64,
    /// Extra samples cost too much to be worth it: only the refreshes sample.
    pub paused: bool,
    /// Refreshes per second: each one is a sample as well.
    pub refresh_hz: f64,
    /// Mean server time of one sample, in µs, as the sample statement measures itself.
    pub server_us: Option<f64>,
    /// Mean client round trip of one sample, in µs.
    pub round_trip_us: Option<f64>,
    /// The server time allowed per second at the current session count, in µs.
    pub budget_us: f64,
    /// Samples taken since pgscope started, refreshes included.
    pub samples: u64,
    /// The last sample's error, while the sampler backs off.
    pub error: Option<PaneError>,
    /// The history kept, in seconds.
    pub window_secs: u32,
}

/// One second of samples.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Second {
    /// Unix time, seconds.
    pub at: i64,
    pub samples: u32,
    /// Sessions seen in each class, summed over the samples.
    pub sessions: [u32; CLASSES],
}

/// Totals over the last `secs` seconds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    pub secs: u32,
    pub samples: u64,
    pub sessions: [u64; CLASSES],
    /// Biggest first.
    pub events: Vec<EventTotal>,
    /// Biggest first.
    pub queries: Vec<QueryTotal>,
}

impl Window {
    /// Average sessions in `class` over the window.
    pub fn average(&self, class: WaitClass) -> f64 {
        self.sessions[class.index()] as f64 / self.samples.max(1) as f64
    }

    /// Average sessions over the window, all classes.
    pub fn average_total(&self) -> f64 {
        self.sessions.iter().sum::<u64>() as f64 / self.samples.max(1) as f64
    }

    /// Share of all session samples that `count` is.
    pub fn share(&self, count: u64) -> f64 {
        count as f64 / self.sessions.iter().sum::<u64>().max(1) as f64
    }
}

/// Session samples in one wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTotal {
    pub class: WaitClass,
    /// `CPU` or `Type:Event`, raw server text.
    pub label: String,
    pub count: u64,
}

/// Session samples of one query shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTotal {
    pub key: QueryKey,
    /// A text of the query as first seen (raw server text, cut).
    pub text: String,
    pub datname: Option<String>,
    pub usename: Option<String>,
    pub count: u64,
    /// Its main waits, biggest first.
    pub events: Vec<EventTotal>,
}

/// How samples of one query are grouped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueryKey {
    /// pg_stat_activity.query_id (14+ with compute_query_id).
    Id(i64),
    /// The normalized text (see [`normalize`]).
    Shape(String),
    /// Sessions idle in a transaction: no query runs.
    IdleInTransaction,
    /// Queries beyond the per-second cap, folded together.
    Others,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_labels() {
        assert_eq!(WaitClass::of(None), WaitClass::Cpu);
        assert_eq!(WaitClass::of(Some("LWLock")), WaitClass::LWLock);
        assert_eq!(WaitClass::of(Some("IO")), WaitClass::Io);
        assert_eq!(WaitClass::of(Some("CPU")), WaitClass::Other);
        assert_eq!(WaitClass::of(Some("InjectionPoint")), WaitClass::Other);
        for (i, c) in WaitClass::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
        assert_eq!(
            wait_label(Some("Lock"), Some("tuple")),
            "Lock:tuple".to_owned()
        );
        assert_eq!(wait_label(None, Some("x")), "CPU");
    }

    #[test]
    fn normalizes_literals_and_space() {
        assert_eq!(
            normalize("SELECT * FROM t1 WHERE id = 42  AND\n name = 'o''k'", 100),
            "SELECT * FROM t1 WHERE id = ? AND name = ?"
        );
        assert_eq!(normalize("select 1.5, $1", 100), "select ?, $1");
        assert_eq!(normalize("  SELECT   x  ", 100), "SELECT x");
        assert_eq!(normalize("SELECT 123456", 8), "SELECT ?");
        assert_eq!(normalize("表 'ß' 😀", 10), "表 ? 😀");
        // Digits in quoted identifiers and comments are not literals.
        assert_eq!(
            normalize(
                "SELECT \"t1\"\"2\" FROM x /* v2 /* n3 */ */ WHERE a = 4 -- b5",
                100
            ),
            "SELECT \"t1\"\"2\" FROM x /* v2 /* n3 */ */ WHERE a = ? -- b5"
        );
        // NEL stays for the sanitizer to show; only ASCII white space collapses.
        assert_eq!(normalize("SELECT\u{85}1", 100), "SELECT\u{85}?");
        assert_eq!(
            crate::text::sanitize(&normalize("SELECT\u{85}x", 100)),
            "SELECT\u{FFFD}x"
        );
    }
}
