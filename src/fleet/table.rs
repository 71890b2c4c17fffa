//! The fleet table: its columns (defined once), each member's cells, and the lines in screen
//! order: servers of one cluster (same system identifier) together, primary first and its
//! standbys under it; clusters and standbys ordered by the sort key; the `/` filter applied.
//! Pure: drawing and moving the selection read the same lines.

use std::cmp::Ordering;
use std::sync::Arc;

use super::member::Member;
use super::status::{self, Level, Status};
use crate::columns::{Col, col};
use crate::snapshot::Micros;

pub const COLS: [Col; 17] = [
    col("NAME", 10).capped().priority(0),
    col("ROLE", 8).priority(1),
    col("VER", 6).priority(20),
    col("UP", 6).right().priority(30),
    col("CONNS", 11).right().priority(4),
    col("ACT", 4).right().priority(5),
    col("IDLE TX", 9).right().priority(8),
    col("LOCKS", 8).right().priority(9),
    col("LONGEST", 7).right().priority(10),
    col("TPS", 6).right().priority(3),
    col("TREND", 8).priority(16),
    col("HIT%", 5).right().priority(12),
    col("REPL", 16).priority(6),
    col("SLOTS", 9).right().priority(14),
    col("WRAP%", 5).right().priority(11),
    col("XMIN", 6).right().priority(13),
    col("STATUS", 14).flex().share(30).priority(2),
];

/// What the table is ordered by; `<` `>` cycle through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Severity,
    Name,
    Conns,
    Active,
    IdleTx,
    Locks,
    Longest,
    Tps,
    Lag,
    Wrap,
    Xmin,
}

impl Sort {
    pub const ALL: [Sort; 11] = [
        Sort::Severity,
        Sort::Name,
        Sort::Conns,
        Sort::Active,
        Sort::IdleTx,
        Sort::Locks,
        Sort::Longest,
        Sort::Tps,
        Sort::Lag,
        Sort::Wrap,
        Sort::Xmin,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Sort::Severity => "severity",
            Sort::Name => "name",
            Sort::Conns => "conns",
            Sort::Active => "active",
            Sort::IdleTx => "idle tx",
            Sort::Locks => "locks",
            Sort::Longest => "longest",
            Sort::Tps => "tps",
            Sort::Lag => "lag",
            Sort::Wrap => "wrap%",
            Sort::Xmin => "xmin",
        }
    }

    /// The column whose header is marked.
    pub fn column(self) -> Option<usize> {
        Some(match self {
            Sort::Severity => 16,
            Sort::Name => 0,
            Sort::Conns => 4,
            Sort::Active => 5,
            Sort::IdleTx => 6,
            Sort::Locks => 7,
            Sort::Longest => 8,
            Sort::Tps => 9,
            Sort::Lag => 12,
            Sort::Wrap => 14,
            Sort::Xmin => 15,
        })
    }

    #[must_use]
    pub fn cycle(self, forward: bool) -> Sort {
        let i = Sort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        let n = Sort::ALL.len();
        Sort::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    /// The member's value for this key (bigger first, except the name).
    fn value(self, m: &Member, s: &Status) -> f64 {
        let load = m.reading().and_then(|r| r.load.as_ref().ok());
        let us = |v: Option<i64>| v.map_or(-1.0, |v| v as f64);
        match self {
            Sort::Severity => match s.level {
                Level::Crit => 2.0,
                Level::Warn => 1.0,
                Level::Ok => 0.0,
            },
            Sort::Name => 0.0,
            Sort::Conns => conns_pct(m).unwrap_or(-1.0),
            Sort::Active => load.map_or(-1.0, |l| l.active as f64),
            Sort::IdleTx => us(load.and_then(|l| l.idle_tx_us)),
            Sort::Locks => us(load.and_then(|l| l.lock_wait_us)),
            Sort::Longest => us(load.and_then(|l| l.longest_us)),
            Sort::Tps => m.rates.map_or(-1.0, |r| r.tps),
            Sort::Lag => lag_bytes(m).map_or(-1.0, |b| b as f64),
            Sort::Wrap => us(load.and_then(|l| l.xid_age)),
            Sort::Xmin => us(load.and_then(|l| l.xmin_age)),
        }
    }
}

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Line {
    /// Index into the fleet's members.
    pub member: usize,
    /// 1 for a standby drawn under its primary.
    pub depth: u8,
    pub cells: Vec<String>,
    pub status: Status,
}

/// The lines in screen order.
pub fn lines(
    members: &[Arc<Member>],
    sort: Sort,
    reverse: bool,
    filter: &str,
    now: Micros,
    utc_offset: i32,
) -> Vec<Line> {
    let statuses: Vec<Status> = members
        .iter()
        .map(|m| status::of(m, now, utc_offset))
        .collect();
    let needle = filter.to_lowercase();
    let shown: Vec<usize> = (0..members.len())
        .filter(|&i| needle.is_empty() || matches(&members[i], &statuses[i], &needle))
        .collect();
    // Clusters by system identifier, in first-listed order; a server without one is its own.
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    let mut ids: Vec<Option<&str>> = Vec::new();
    for &i in &shown {
        let id = system_id(&members[i]);
        if let Some(c) = id.and_then(|id| ids.iter().position(|x| *x == Some(id))) {
            clusters[c].push(i);
        } else {
            clusters.push(vec![i]);
            ids.push(id);
        }
    }
    let order = |a: usize, b: usize| compare(sort, reverse, members, &statuses, a, b);
    for c in &mut clusters {
        // Primaries first, then standbys; each by the sort key.
        c.sort_by(|&a, &b| {
            is_standby(&members[a])
                .cmp(&is_standby(&members[b]))
                .then_with(|| order(a, b))
        });
    }
    // A cluster ranks by its first-ranked member.
    clusters.sort_by(|a, b| {
        let best = |c: &Vec<usize>| c.iter().copied().min_by(|&x, &y| order(x, y)).unwrap_or(0);
        order(best(a), best(b))
    });
    let mut out = Vec::with_capacity(shown.len());
    for c in clusters {
        let has_primary = c.iter().any(|&i| !is_standby(&members[i]));
        for i in c {
            let m = &members[i];
            let depth = u8::from(has_primary && is_standby(m));
            let orphan = is_standby(m) && !has_primary;
            out.push(Line {
                member: i,
                depth,
                cells: cells(m, depth, orphan),
                status: statuses[i].clone(),
            });
        }
    }
    out
}

fn compare(
    sort: Sort,
    reverse: bool,
    members: &[Arc<Member>],
    statuses: &[Status],
    a: usize,
    b: usize,
) -> Ordering {
    let by_name = members[a].name.cmp(&members[b].name);
    let ord = if sort == Sort::Name {
        by_name
    } else {
        let va = sort.value(&members[a], &statuses[a]);
        let vb = sort.value(&members[b], &statuses[b]);
        vb.partial_cmp(&va).unwrap_or(Ordering::Equal)
    };
    let ord = if reverse { ord.reverse() } else { ord };
    ord.then(by_name).then(a.cmp(&b))
}

fn matches(m: &Member, s: &Status, needle: &str) -> bool {
    let role = role(m);
    [
        m.name.as_str(),
        m.group.as_deref().unwrap_or_default(),
        role,
        s.text.as_str(),
    ]
    .iter()
    .any(|t| t.to_lowercase().contains(needle))
}

fn system_id(m: &Member) -> Option<&str> {
    match &m.system_id {
        Some(Ok(id)) => Some(id.as_str()),
        _ => None,
    }
}

fn is_standby(m: &Member) -> bool {
    m.reading().is_some_and(|r| r.info.in_recovery)
}

pub fn role(m: &Member) -> &'static str {
    if m.pooling().is_some() {
        return "pooler";
    }
    match m.reading() {
        None => "",
        Some(_) if m.promoted() => "promoted",
        Some(r) if r.info.in_recovery => "standby",
        Some(_) => "primary",
    }
}

fn conns_pct(m: &Member) -> Option<f64> {
    let r = m.reading()?;
    let load = r.load.as_ref().ok()?;
    let max = f64::from(r.info.max_connections);
    (max > 0.0).then(|| load.conns as f64 * 100.0 / max)
}

fn lag_bytes(m: &Member) -> Option<i64> {
    let s = m.reading()?.replication.as_ref().ok()?;
    if s.in_recovery {
        s.replay_lag_bytes
    } else {
        s.worst_lag_bytes
    }
}

const NA: &str = "n/a";

fn cells(member: &Member, depth: u8, orphan: bool) -> Vec<String> {
    let mut out = vec![String::new(); COLS.len()];
    out[0] = if depth > 0 {
        format!("└ {}", member.name)
    } else {
        member.name.clone()
    };
    out[1] = if orphan {
        "standby*".to_owned()
    } else {
        role(member).to_owned()
    };
    if let Some(pooling) = member.pooling() {
        pooling
            .version
            .strip_prefix("PgBouncer ")
            .unwrap_or(&pooling.version)
            .clone_into(&mut out[2]);
    } else if let Some(reading) = member.reading() {
        postgres_cells(member, reading, &mut out);
    }
    out
}

fn postgres_cells(member: &Member, reading: &super::member::Reading, out: &mut [String]) {
    let version = reading.info.version_num;
    out[2] = format!("{}.{}", version / 10_000, version % 10_000);
    out[3] = status::duration(reading.info.now.saturating_sub(reading.info.start_time));
    match &reading.load {
        Ok(load) => {
            out[4] = match conns_pct(member) {
                Some(pct) => format!("{}/{} {pct:.0}%", load.conns, reading.info.max_connections),
                None => load.conns.to_string(),
            };
            out[5] = load.active.to_string();
            out[6] = with_oldest(load.idle_tx, load.idle_tx_us);
            out[7] = with_oldest(load.lock_waits, load.lock_wait_us);
            out[8] = load
                .longest_us
                .map_or_else(|| "-".to_owned(), status::duration);
            out[14] = load.xid_age.map_or_else(
                || NA.to_owned(),
                |age| format!("{:.1}", age as f64 * 100.0 / 2_147_483_648.0),
            );
            out[15] = load.xmin_age.map_or_else(|| "-".to_owned(), status::count);
        }
        Err(_) => {
            for c in [4, 5, 6, 7, 8, 14, 15] {
                NA.clone_into(&mut out[c]);
            }
        }
    }
    out[9] = member
        .rates
        .map_or_else(String::new, |rates| format!("{:.0}", rates.tps));
    out[10] = spark(member.tps.iter().copied());
    out[11] = member
        .rates
        .and_then(|rates| rates.hit_ratio)
        .map_or_else(String::new, |hit| format!("{:.1}", hit * 100.0));
    (out[12], out[13]) = replication_cells(reading);
}

/// The replication summary and the inactive slots.
fn replication_cells(reading: &super::member::Reading) -> (String, String) {
    let Ok(summary) = &reading.replication else {
        return (NA.to_owned(), NA.to_owned());
    };
    let bytes = |b: Option<i64>| b.map_or_else(String::new, |b| format!(" {}", status::bytes(b)));
    let repl = if summary.in_recovery {
        let state = summary.receiver_status.as_deref().unwrap_or("no receiver");
        let lag = bytes(summary.replay_lag_bytes);
        format!("{state}{lag}{}", replay_delay(reading))
    } else if summary.standbys + summary.logical == 0 {
        "-".to_owned()
    } else {
        let lag = bytes(summary.worst_lag_bytes);
        let time = summary
            .worst_lag
            .map_or_else(String::new, |us| format!(" {}", status::duration(us)));
        format!("{} sb{lag}{time}", summary.standbys + summary.logical)
    };
    let slots = if summary.inactive_slots == 0 {
        "-".to_owned()
    } else {
        format!(
            "{}{}",
            summary.inactive_slots,
            bytes(summary.inactive_slots_bytes)
        )
    };
    (repl, slots)
}

/// A standby's replay delay in time: since the last replayed commit, while behind.
fn replay_delay(r: &super::member::Reading) -> String {
    let Ok(s) = &r.replication else {
        return String::new();
    };
    match (s.replay_lag_bytes, s.last_replay) {
        (Some(b), Some(t)) if b > 0 => format!(" {}", status::duration(r.info.now - t)),
        _ => String::new(),
    }
}

/// `3 4m12s`: how many, and the oldest; `0` alone.
fn with_oldest(n: i64, us: Option<i64>) -> String {
    match us {
        Some(us) if n > 0 => format!("{n} {}", status::duration(us)),
        _ => n.to_string(),
    }
}

/// The TPS history as block characters, scaled to its own maximum.
pub fn spark(values: impl Iterator<Item = f64>) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let v: Vec<f64> = values.collect();
    let max = v.iter().copied().fold(0.0, f64::max);
    v.iter()
        .map(|x| {
            if max <= 0.0 {
                BARS[0]
            } else {
                BARS[((x / max) * 7.0).round().clamp(0.0, 7.0) as usize]
            }
        })
        .collect()
}
