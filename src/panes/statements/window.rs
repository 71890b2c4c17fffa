//! Rates over the last 1, 5 or 15 minutes, from totals kept in memory: one checkpoint of every
//! entry's counters a minute, sixteen at most, in a compact sorted form (about 0.9 MB per
//! checkpoint at 10,000 entries: 88 bytes an entry). A window starts at the newest checkpoint at least as old as
//! asked, and says its true span; until one is that old, it spans what there is.

use std::collections::VecDeque;

use super::delta::{self, Break, Span};
use super::model::{Counters, Key, Read};
use crate::snapshot::Micros;

/// One checkpoint a minute.
pub const STEP_US: Micros = 60_000_000;
/// Enough for a 15-minute window one step late.
pub const KEEP: usize = 16;

/// The windows the pane offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    OneMinute,
    FiveMinutes,
    FifteenMinutes,
}

impl Window {
    pub fn micros(self) -> Micros {
        match self {
            Window::OneMinute => 60_000_000,
            Window::FiveMinutes => 300_000_000,
            Window::FifteenMinutes => 900_000_000,
        }
    }
}

/// A key in 24 bytes instead of 32: the two options folded into one flag byte.
type Packed = (u32, u32, i64, u8);

fn pack(k: &Key) -> Packed {
    let level = match k.toplevel {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    };
    let hidden = if k.queryid.is_none() { 4 } else { 0 };
    (k.userid, k.dbid, k.queryid.unwrap_or(0), level | hidden)
}

/// The counters the rates use, without options: what a version lacks is `None` in the current
/// read, and so in the rate, whatever is stored here.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Base {
    calls: i64,
    exec_ms: f64,
    plan_ms: f64,
    rows: i64,
    shared_hit: i64,
    shared_read: i64,
    temp_written: i64,
    wal_bytes: f64,
}

impl Base {
    fn of(c: &Counters) -> Base {
        Base {
            calls: c.calls,
            exec_ms: c.exec_ms,
            plan_ms: c.plan_ms.unwrap_or(0.0),
            rows: c.rows,
            shared_hit: c.shared_hit,
            shared_read: c.shared_read,
            temp_written: c.temp_written,
            wal_bytes: c.wal_bytes.unwrap_or(0.0),
        }
    }

    fn counters(&self) -> Counters {
        Counters {
            calls: self.calls,
            exec_ms: self.exec_ms,
            plans: None,
            plan_ms: Some(self.plan_ms),
            rows: self.rows,
            shared_hit: self.shared_hit,
            shared_read: self.shared_read,
            temp_written: self.temp_written,
            wal_bytes: Some(self.wal_bytes),
            io_read_ms: 0.0,
            io_write_ms: 0.0,
        }
    }
}

#[derive(Debug, Clone)]
struct Checkpoint {
    /// The read's facts, without its entries.
    at: Read,
    /// Sorted by key.
    entries: Vec<(Packed, Base)>,
}

/// The checkpoints of the current run of counters: emptied by a restart or a reset.
#[derive(Debug, Clone, Default)]
pub struct History {
    checkpoints: VecDeque<Checkpoint>,
}

impl History {
    pub fn clear(&mut self) {
        self.checkpoints.clear();
    }

    pub fn len(&self) -> usize {
        self.checkpoints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// Takes `read` in: starts over when it does not continue the checkpoints (restart,
    /// reset), and keeps it as a checkpoint when the newest is a step old.
    pub fn observe(&mut self, read: &Read) {
        if let Some(last) = self.checkpoints.back() {
            if delta::check(&last.at, read).is_err() && read.now != last.at.now {
                self.checkpoints.clear();
            } else if read.now - last.at.now < STEP_US {
                return;
            }
        }
        let mut entries: Vec<(Packed, Base)> = read
            .entries
            .iter()
            .map(|e| (pack(&e.key), Base::of(&e.counters)))
            .collect();
        entries.sort_unstable_by_key(|(k, _)| *k);
        self.checkpoints.push_back(Checkpoint {
            at: Read {
                entries: Vec::new(),
                ..read.clone_facts()
            },
            entries,
        });
        while self.checkpoints.len() > KEEP {
            self.checkpoints.pop_front();
        }
    }

    /// Rates of `cur` over `window`: from the newest checkpoint at least that old, else the
    /// oldest there is (the span says how long it really is). `None` before any checkpoint
    /// older than `cur`.
    pub fn rates(&self, cur: &Read, window: Window) -> Option<Result<Span, Break>> {
        let cut = cur.now - window.micros();
        let base = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.at.now <= cut)
            .or_else(|| self.checkpoints.front())
            .filter(|c| c.at.now < cur.now)?;
        if let Err(b) = delta::check(&base.at, cur) {
            return Some(Err(b));
        }
        let mut span = delta::between(cur, base.at.now, cur.now, |key| {
            base.entries
                .binary_search_by_key(&pack(key), |(k, _)| *k)
                .ok()
                .map(|i| base.entries[i].1.counters())
        });
        span.deallocs = cur.dealloc.zip(base.at.dealloc).map(|(c, p)| c - p);
        Some(Ok(span))
    }
}

impl Read {
    /// The read's facts without its entries.
    fn clone_facts(&self) -> Read {
        Read {
            now: self.now,
            started: self.started,
            stats_reset: self.stats_reset,
            dealloc: self.dealloc,
            entries: Vec::new(),
        }
    }
}
