//! Rates from two reads of pg_stat_statements: a pure function, measured on the server's clock.
//!
//! Never negative: a restart or a reset of everything breaks the comparison (no rates, and the
//! pane says why); an entry that is new, or whose counters went down (it was reset alone, or
//! evicted and created again), counts its whole counters, which all accrued after the earlier
//! read. Rows summed from hidden statements are the exception: their sum can drop when one of
//! them is evicted, and then they have no rate.

use std::collections::HashMap;

use super::model::{Counters, Key, Read};
use crate::snapshot::Micros;

/// One entry's figures over a span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub key: Key,
    pub calls_s: f64,
    /// Milliseconds of execution per second: the share of one core (1000 = a whole core).
    pub exec_ms_s: f64,
    /// Mean execution time of the calls in the span; `None` without calls.
    pub mean_ms: Option<f64>,
    pub rows_s: f64,
    pub hit_s: f64,
    pub read_s: f64,
    /// Share of shared blocks found in the buffer cache; `None` when none were touched.
    pub hit_pct: Option<f64>,
    pub temp_written_s: f64,
    pub wal_bytes_s: Option<f64>,
    pub plan_ms_s: Option<f64>,
    /// The entry was created or reset within the span.
    pub restarted: bool,
}

impl Rate {
    /// Share of one CPU core spent executing this statement (1.0 = a whole core).
    pub fn core_share(&self) -> f64 {
        self.exec_ms_s / 1000.0
    }
}

/// The part of `cur` that accrued since `base` was read at `base_at`. `None` when it cannot be
/// known (a summed hidden row that went down).
pub fn accrued(
    cur: &Counters,
    stats_since: Option<Micros>,
    hidden: bool,
    base: Option<&Counters>,
    base_at: Micros,
) -> Option<(Counters, bool)> {
    let Some(base) = base else {
        return Some((*cur, true));
    };
    let recreated = stats_since.is_some_and(|s| s > base_at);
    if recreated || !cur.covers(base) {
        return (!hidden).then_some((*cur, true));
    }
    let d = Counters {
        calls: cur.calls - base.calls,
        exec_ms: cur.exec_ms - base.exec_ms,
        plans: sub(cur.plans, base.plans),
        plan_ms: sub(cur.plan_ms, base.plan_ms),
        rows: cur.rows - base.rows,
        shared_hit: cur.shared_hit - base.shared_hit,
        shared_read: cur.shared_read - base.shared_read,
        temp_written: cur.temp_written - base.temp_written,
        wal_bytes: sub(cur.wal_bytes, base.wal_bytes),
        io_read_ms: (cur.io_read_ms - base.io_read_ms).max(0.0),
        io_write_ms: (cur.io_write_ms - base.io_write_ms).max(0.0),
    };
    Some((d, false))
}

fn sub<T: std::ops::Sub<Output = T>>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a - b),
        // Known now, unknown then (an extension update in between): all of it is new.
        (Some(a), None) => Some(a),
        (None, _) => None,
    }
}

/// Per-second figures from counters accrued over `secs`.
pub fn rate(key: Key, d: &Counters, secs: f64, restarted: bool) -> Rate {
    let per_s = |v: f64| v / secs;
    let touched = d.shared_hit + d.shared_read;
    Rate {
        key,
        calls_s: per_s(d.calls as f64),
        exec_ms_s: per_s(d.exec_ms),
        mean_ms: (d.calls > 0).then(|| d.exec_ms / d.calls as f64),
        rows_s: per_s(d.rows as f64),
        hit_s: per_s(d.shared_hit as f64),
        read_s: per_s(d.shared_read as f64),
        hit_pct: (touched > 0).then(|| 100.0 * d.shared_hit as f64 / touched as f64),
        temp_written_s: per_s(d.temp_written as f64),
        wal_bytes_s: d.wal_bytes.map(per_s),
        plan_ms_s: d.plan_ms.map(per_s),
        restarted,
    }
}

/// Why two reads cannot be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// The server restarted: its statistics start over.
    Restart,
    /// `pg_stat_statements_reset()` of everything (seen in pg_stat_statements_info, 14+).
    Reset { at: Option<Micros> },
    /// Before 14: the calls of the entries seen twice went down, or none was seen twice, as
    /// after a reset of everything (or of one busy entry: before 14 they look the same).
    ResetInferred,
    /// The server's clock did not move forward.
    Clock,
}

/// Rates over the span between two reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub secs: f64,
    pub rates: Vec<Rate>,
    /// Evictions in the span (`dealloc` went up; 14+). `None` when unknown. Each one drops
    /// the least used 5% of the entries, at least 10: see [`evicted_entries`].
    pub deallocs: Option<i64>,
    /// Entries created or reset alone within the span.
    pub restarted: usize,
    /// Execution ms per second over all entries: the load, in thousandths of a core.
    pub load_ms_s: f64,
}

/// Whether `cur` continues `prev`'s counters, and if not, why.
pub fn check(prev: &Read, cur: &Read) -> Result<(), Break> {
    if cur.started != prev.started {
        return Err(Break::Restart);
    }
    if cur.now <= prev.now {
        return Err(Break::Clock);
    }
    let fewer_evictions = matches!((prev.dealloc, cur.dealloc), (Some(p), Some(c)) if c < p);
    if cur.stats_reset != prev.stats_reset || fewer_evictions {
        return Err(Break::Reset {
            at: cur.stats_reset,
        });
    }
    Ok(())
}

/// Rates over the interval between two consecutive reads.
pub fn interval(prev: &Read, cur: &Read) -> Result<Span, Break> {
    check(prev, cur)?;
    let before: HashMap<Key, &Counters> =
        prev.entries.iter().map(|e| (e.key, &e.counters)).collect();
    let span = between(cur, prev.now, cur.now, |k| before.get(k).map(|c| **c));
    // Without pg_stat_statements_info a reset of everything shows only in the counters: the
    // calls of the entries seen twice went down (or none was seen twice), which eviction alone
    // cannot do.
    if cur.stats_reset.is_none() && cur.dealloc.is_none() && !prev.entries.is_empty() {
        let (mut then, mut now, mut common) = (0i64, 0i64, 0usize);
        for e in &cur.entries {
            if let Some(b) = before.get(&e.key) {
                then = then.saturating_add(b.calls);
                now = now.saturating_add(e.counters.calls);
                common += 1;
            }
        }
        if common == 0 || now < then {
            return Err(Break::ResetInferred);
        }
    }
    Ok(Span {
        deallocs: cur.dealloc.zip(prev.dealloc).map(|(c, p)| c - p),
        ..span
    })
}

/// Rates of `cur`'s entries against base counters read at `base_at`, looked up by `base`.
pub fn between(
    cur: &Read,
    base_at: Micros,
    now: Micros,
    base: impl Fn(&Key) -> Option<Counters>,
) -> Span {
    let secs = (now - base_at) as f64 / 1e6;
    let mut rates = Vec::with_capacity(cur.entries.len());
    let mut restarted = 0;
    let mut load = 0.0;
    for e in &cur.entries {
        let Some((d, fresh)) = accrued(
            &e.counters,
            e.stats_since,
            e.hidden > 0,
            base(&e.key).as_ref(),
            base_at,
        ) else {
            continue;
        };
        restarted += usize::from(fresh);
        let r = rate(e.key, &d, secs, fresh);
        load += r.exec_ms_s;
        rates.push(r);
    }
    Span {
        secs,
        rates,
        deallocs: None,
        restarted,
        load_ms_s: load,
    }
}

/// About how many entries `deallocs` evictions dropped with `pg_stat_statements.max` = `max`:
/// the extension drops 5% of its entries per eviction, at least 10 (`entry_dealloc`).
pub fn evicted_entries(deallocs: i64, max: i64) -> i64 {
    deallocs.saturating_mul((max * 5 / 100).max(10))
}
