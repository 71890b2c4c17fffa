//! A member's status: ok, warn or crit by the rules the README lists ("Fleet"), the reason of
//! the worst finding first; unreachable (with its reason and since when) and STALE come from
//! the link and the data's age. Pure: the screen and any export read the same verdict.

use super::member::{Load, Member, Pooling, Reading};
use crate::snapshot::{Link, Micros};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    Warn,
    Crit,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Crit => "crit",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub level: Level,
    /// What the status column shows: `crit: 97% of connections used (+1)`, `STALE 12s`,
    /// `unreachable: connection refused since 03:12:09`.
    pub text: String,
    /// Unreachable (down or never reached): the line's data, if any, is old.
    pub down: bool,
    pub stale: bool,
}

const MIB: i64 = 1 << 20;
const GIB: i64 = 1 << 30;
const SEC: i64 = 1_000_000;
const MIN: i64 = 60 * SEC;
/// Transaction ids to wraparound.
const WRAP: f64 = 2_147_483_648.0;

/// The thresholds, as the README states them.
pub mod limits {
    use super::{GIB, MIB, MIN, SEC};
    pub const CONNS_WARN: f64 = 80.0;
    pub const CONNS_CRIT: f64 = 95.0;
    pub const WRAP_WARN: f64 = 25.0;
    pub const WRAP_CRIT: f64 = 50.0;
    pub const XMIN_WARN: i64 = 100_000_000;
    pub const XMIN_CRIT: i64 = 500_000_000;
    pub const LAG_BYTES_WARN: i64 = 64 * MIB;
    pub const LAG_BYTES_CRIT: i64 = GIB;
    pub const LAG_WARN: i64 = 30 * SEC;
    pub const LAG_CRIT: i64 = 5 * MIN;
    pub const IDLE_TX_WARN: i64 = 5 * MIN;
    pub const IDLE_TX_CRIT: i64 = 60 * MIN;
    pub const LOCK_WARN: i64 = 30 * SEC;
    pub const LOCK_CRIT: i64 = 5 * MIN;
    pub const QUERY_WARN: i64 = 5 * MIN;
    pub const POOL_WAIT_WARN: i64 = SEC;
    pub const POOL_WAIT_CRIT: i64 = 10 * SEC;
}

/// The findings on a member, worst first, then the first-found among equals.
pub fn findings(m: &Member) -> Vec<(Level, String)> {
    let mut out = Vec::new();
    if let Some(r) = m.reading() {
        postgres(r, &mut out);
        if m.promoted() {
            out.push((Level::Warn, "promoted since start".to_owned()));
        }
    }
    if let Some(p) = m.pooling() {
        pooler(p, &mut out);
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.0));
    out
}

/// The verdict at client time `now`; `utc_offset` (seconds) dates an outage in local time.
pub fn of(m: &Member, now: Micros, utc_offset: i32) -> Status {
    if let Link::Down { cause, .. } = &m.link {
        let since = m
            .down_since
            .map_or_else(String::new, |t| format!(" since {}", clock(t, utc_offset)));
        return Status {
            level: Level::Crit,
            text: format!("unreachable: {}{since}", one_line(&cause.message)),
            down: true,
            stale: m.last_good.is_some(),
        };
    }
    if m.data.is_none() {
        return Status {
            level: Level::Warn,
            text: "connecting…".to_owned(),
            down: true,
            stale: false,
        };
    }
    if m.is_stale(now) {
        let age = m.last_good.map_or(0, |t| now.saturating_sub(t) / SEC);
        return Status {
            level: Level::Warn,
            text: format!("STALE {age}s"),
            down: false,
            stale: true,
        };
    }
    let found = findings(m);
    let (level, text) = match found.first() {
        None => (Level::Ok, "ok".to_owned()),
        Some((level, why)) => {
            let more = match found.len() {
                1 => String::new(),
                n => format!(" (+{})", n - 1),
            };
            (*level, format!("{}: {why}{more}", level.word()))
        }
    };
    // A pooler's line says what it holds even when all is well; a server whose cluster cannot
    // be told says why it stands alone.
    let text = match (m.pooling(), &m.system_id) {
        (Some(p), _) if level == Level::Ok => format!("ok · {}", pool_summary(p)),
        (None, Some(Err(e))) if level == Level::Ok => {
            let why = if e.sqlstate.as_deref() == Some("42501") {
                "needs pg_monitor"
            } else {
                one_line(&e.message)
            };
            format!("ok · not grouped: {why}")
        }
        _ => text,
    };
    Status {
        level,
        text,
        down: false,
        stale: false,
    }
}

fn postgres(r: &Reading, out: &mut Vec<(Level, String)>) {
    use limits::{
        CONNS_CRIT, CONNS_WARN, LAG_BYTES_CRIT, LAG_BYTES_WARN, LAG_CRIT, LAG_WARN, WRAP_CRIT,
        WRAP_WARN, XMIN_CRIT, XMIN_WARN,
    };
    let max = i64::from(r.info.max_connections);
    if let Ok(load) = &r.load {
        if max > 0 {
            let pct = load.conns as f64 * 100.0 / max as f64;
            let level = grade_f(pct, CONNS_WARN, CONNS_CRIT);
            push(out, level, || format!("{pct:.0}% of connections used"));
        }
        sessions(load, out);
        if let Some(age) = load.xid_age {
            let pct = age as f64 * 100.0 / WRAP;
            push(out, grade_f(pct, WRAP_WARN, WRAP_CRIT), || {
                format!("wraparound at {pct:.0}%")
            });
        }
        if let Some(age) = load.xmin_age {
            push(out, grade(age, XMIN_WARN, XMIN_CRIT), || {
                format!("xmin horizon {} xids old", count(age))
            });
        }
    } else if let Err(e) = &r.load {
        out.push((Level::Warn, format!("sessions: {}", one_line(&e.message))));
    }
    match &r.replication {
        Ok(s) => {
            if s.in_recovery {
                match s.receiver_status.as_deref() {
                    Some("streaming") => {}
                    Some(other) => out.push((Level::Crit, format!("WAL receiver {other}"))),
                    None => out.push((Level::Crit, "no WAL receiver".to_owned())),
                }
                if s.replay_paused == Some(true) {
                    out.push((Level::Warn, "replay paused".to_owned()));
                }
                if let Some(b) = s.replay_lag_bytes {
                    push(out, grade(b, LAG_BYTES_WARN, LAG_BYTES_CRIT), || {
                        format!("replay {} behind", bytes(b))
                    });
                }
            } else {
                if let Some(b) = s.worst_lag_bytes {
                    push(out, grade(b, LAG_BYTES_WARN, LAG_BYTES_CRIT), || {
                        format!("a standby {} behind", bytes(b))
                    });
                }
                if let Some(us) = s.worst_lag {
                    push(out, grade(us, LAG_WARN, LAG_CRIT), || {
                        format!("a standby {} behind", duration(us))
                    });
                }
            }
            if s.inactive_slots > 0 {
                let held = s
                    .inactive_slots_bytes
                    .map_or_else(String::new, |b| format!(" holding {}", bytes(b)));
                out.push((
                    Level::Warn,
                    format!("{} inactive slot(s){held}", s.inactive_slots),
                ));
            }
        }
        Err(e) => out.push((
            Level::Warn,
            format!("replication: {}", one_line(&e.message)),
        )),
    }
}

fn sessions(load: &Load, out: &mut Vec<(Level, String)>) {
    use limits::{IDLE_TX_CRIT, IDLE_TX_WARN, LOCK_CRIT, LOCK_WARN, QUERY_WARN};
    if let Some(us) = load.idle_tx_us {
        push(out, grade(us, IDLE_TX_WARN, IDLE_TX_CRIT), || {
            format!("idle in transaction {}", duration(us))
        });
    }
    if let Some(us) = load.lock_wait_us {
        push(out, grade(us, LOCK_WARN, LOCK_CRIT), || {
            format!("lock wait {}", duration(us))
        });
    }
    if let Some(us) = load.longest_us {
        push(out, grade(us, QUERY_WARN, i64::MAX), || {
            format!("query running {}", duration(us))
        });
    }
}

fn pooler(p: &Pooling, out: &mut Vec<(Level, String)>) {
    use limits::{POOL_WAIT_CRIT, POOL_WAIT_WARN};
    if let Some(e) = &p.error {
        out.push((Level::Warn, format!("pools: {}", one_line(e))));
    }
    let waiting = p.waiting.unwrap_or(0);
    if waiting > 0 {
        let wait = p.maxwait_us.unwrap_or(0);
        let level = grade(wait, POOL_WAIT_WARN, POOL_WAIT_CRIT).max(Level::Warn);
        out.push((
            level,
            format!("{waiting} client(s) waiting up to {}", duration(wait)),
        ));
    }
}

/// `4 pools · 0 waiting · max wait 0s · 5 servers`.
pub fn pool_summary(p: &Pooling) -> String {
    let n = |v: Option<i64>| v.map_or_else(|| "n/a".to_owned(), |v| v.to_string());
    format!(
        "{} pools · {} waiting · max wait {} · {} servers",
        p.pools.map_or_else(|| "n/a".to_owned(), |v| v.to_string()),
        n(p.waiting),
        p.maxwait_us.map_or_else(|| "n/a".to_owned(), duration),
        n(p.servers),
    )
}

fn push(out: &mut Vec<(Level, String)>, level: Level, why: impl FnOnce() -> String) {
    if level > Level::Ok {
        out.push((level, why()));
    }
}

fn grade(v: i64, warn: i64, crit: i64) -> Level {
    if v >= crit {
        Level::Crit
    } else if v >= warn {
        Level::Warn
    } else {
        Level::Ok
    }
}

fn grade_f(v: f64, warn: f64, crit: f64) -> Level {
    if v >= crit {
        Level::Crit
    } else if v >= warn {
        Level::Warn
    } else {
        Level::Ok
    }
}

/// The first line of a message (a server's may have a DETAIL after a newline).
fn one_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

/// HH:MM:SS in local time.
pub fn clock(t: Micros, utc_offset: i32) -> String {
    let secs = (t / SEC + i64::from(utc_offset)).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// `45s`, `12m05s`, `3h12m`, `4d02h`.
pub fn duration(us: i64) -> String {
    let s = us.max(0) / SEC;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        3600..86_400 => format!("{}h{:02}m", s / 3600, s / 60 % 60),
        _ => format!("{}d{:02}h", s / 86_400, s / 3600 % 24),
    }
}

pub fn bytes(n: i64) -> String {
    crate::ui::table::bytes(n)
}

/// `950`, `12.3k`, `4.5M`, `1.2G`.
pub fn count(n: i64) -> String {
    let v = n as f64;
    if n.abs() < 1000 {
        n.to_string()
    } else if n.abs() < 1_000_000 {
        format!("{:.1}k", v / 1e3)
    } else if n.abs() < 1_000_000_000 {
        format!("{:.1}M", v / 1e6)
    } else {
        format!("{:.1}G", v / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{Failure, Kind};
    use crate::panes::replication::data::Summary;
    use crate::snapshot::ServerInfo;
    use std::time::Duration;

    fn member(load: Load, summary: Summary) -> Member {
        let mut m = Member::new("a", None, Duration::from_secs(1));
        m.observe(
            Reading {
                info: ServerInfo {
                    max_connections: 100,
                    ..ServerInfo::default()
                },
                replication: Ok(summary),
                load: Ok(load),
            },
            0,
        );
        m
    }

    #[test]
    fn a_quiet_primary_is_ok() {
        let m = member(Load::default(), Summary::default());
        assert_eq!(of(&m, 0, 0).text, "ok");
    }

    #[test]
    fn the_worst_finding_leads_and_the_rest_are_counted() {
        let load = Load {
            conns: 96,
            idle_tx_us: Some(6 * MIN),
            ..Load::default()
        };
        let s = of(&member(load, Summary::default()), 0, 0);
        assert_eq!(s.level, Level::Crit);
        assert_eq!(s.text, "crit: 96% of connections used (+1)");
    }

    #[test]
    fn a_standby_without_receiver_is_crit() {
        let s = of(
            &member(
                Load::default(),
                Summary {
                    in_recovery: true,
                    ..Summary::default()
                },
            ),
            0,
            0,
        );
        assert_eq!(s.text, "crit: no WAL receiver");
    }

    #[test]
    fn stale_then_unreachable_with_the_time_it_went_down() {
        let mut m = member(Load::default(), Summary::default());
        assert_eq!(of(&m, 4 * SEC, 0).text, "STALE 4s");
        m.down(
            Failure::new(Kind::Connection, "connection refused\nDETAIL"),
            Duration::ZERO,
            3_600 * SEC + 5 * SEC,
        );
        let s = of(&m, 3_601 * SEC, 3600);
        assert_eq!(s.text, "unreachable: connection refused since 02:00:05");
        assert!(s.down && s.stale);
    }

    #[test]
    fn formats() {
        assert_eq!(duration(125 * SEC), "2m05s");
        assert_eq!(count(12_345_678), "12.3M");
    }
}
