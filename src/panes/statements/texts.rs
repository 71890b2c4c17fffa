//! Query texts without the cost: a cache by entry key, filled by rare text reads and emptied of
//! entries that left pg_stat_statements.
//!
//! Why rare: `pg_stat_statements(showtext := true)` reads the whole query text file and copies
//! every text into its result before any WHERE clause applies, so one text costs about as much
//! as all of them: a read with texts for 10 queryids took 127 ms of wall time and for all 9,604
//! 193 ms, against 116 ms for the counters alone (the same run on a loaded 2-core VM; backend
//! CPU 32 ms with texts, 18 ms without, see `pace`). So a refresh that reads texts reads
//! them with its counters, every text still missing at once, and only when something is
//! missing: at most every [`EVERY_US`], or after [`SOON_US`] when one of the busiest statements
//! has no text yet. A server whose statements never repeat (literals instead of parameters) is
//! then read with texts every 10 s, not every refresh. What is missing is known from the
//! previous read, so a new statement gets its text one or more refreshes after it shows up.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::model::{Entry, Key, Read};
use crate::snapshot::Micros;

/// Longest wait for missing texts of ordinary entries.
pub const EVERY_US: Micros = 10_000_000;
/// Shortest gap between two text reads, when a top entry lacks its text.
pub const SOON_US: Micros = 2_000_000;
/// The busiest entries (by execution time over the last interval) whose texts come soon.
pub const TOP: usize = 100;
/// Queryids asked for in one text read.
pub const MAX_BATCH: usize = 20_000;

/// The texts a refresh should read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    Nothing,
    /// Every text: the first read of a connection.
    All,
    /// The texts of these queryids.
    Some(Vec<i64>),
}

#[derive(Debug, Clone, Default)]
pub struct Texts {
    cache: HashMap<Key, (Arc<str>, bool)>,
    /// Server clock of the last text read.
    last_read: Option<Micros>,
}

impl Texts {
    pub fn len(&self) -> usize {
        self.cache.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cache.is_empty()
    }

    /// Forgets everything (a new connection may be to another server).
    pub fn clear(&mut self) {
        *self = Texts::default();
    }

    /// Which texts the next refresh should read, from the last two reads (`prev` the newest).
    pub fn due(&self, before: Option<&Read>, prev: Option<&Read>) -> Want {
        let Some(prev) = prev else {
            return Want::All;
        };
        let missing: Vec<&Entry> = prev
            .entries
            .iter()
            .filter(|e| e.key.queryid.is_some() && !self.cache.contains_key(&e.key))
            .collect();
        if missing.is_empty() {
            return Want::Nothing;
        }
        let since = self.last_read.map(|t| prev.now.saturating_sub(t));
        let due = match since {
            None => true,
            Some(s) if s >= EVERY_US => true,
            Some(s) if s >= SOON_US => self.top_lacks_text(before, prev),
            Some(_) => false,
        };
        if !due {
            return Want::Nothing;
        }
        let mut seen = HashSet::new();
        Want::Some(
            missing
                .iter()
                .filter_map(|e| e.key.queryid)
                .filter(|q| seen.insert(*q))
                .take(MAX_BATCH)
                .collect(),
        )
    }

    fn top_lacks_text(&self, prev: Option<&Read>, cur: &Read) -> bool {
        let before: HashMap<Key, f64> = prev
            .map(|p| {
                p.entries
                    .iter()
                    .map(|e| (e.key, e.counters.exec_ms))
                    .collect()
            })
            .unwrap_or_default();
        let mut busy: Vec<(f64, &Entry)> = cur
            .entries
            .iter()
            .filter(|e| e.key.queryid.is_some())
            .map(|e| {
                let then = before.get(&e.key).copied().unwrap_or(0.0);
                ((e.counters.exec_ms - then).max(0.0), e)
            })
            .collect();
        let n = TOP.min(busy.len());
        if n == 0 {
            return false;
        }
        busy.select_nth_unstable_by(n - 1, |a, b| b.0.total_cmp(&a.0));
        busy[..n]
            .iter()
            .any(|(_, e)| !self.cache.contains_key(&e.key))
    }

    /// Keeps the texts a refresh read with its counters.
    pub fn keep(&mut self, read: &Read) {
        self.last_read = Some(read.now);
        for e in &read.entries {
            if let Some(text) = &e.text {
                self.cache.insert(e.key, (Arc::clone(text), e.text_cut));
            }
        }
    }

    /// Gives `read`'s entries without a text their cached one and forgets the texts of entries that are
    /// gone (evicted or reset).
    pub fn attach(&mut self, read: &mut Read) {
        let live: HashSet<Key> = read.entries.iter().map(|e| e.key).collect();
        self.cache.retain(|k, _| live.contains(k));
        for e in read.entries.iter_mut().filter(|e| e.text.is_none()) {
            if let Some((text, cut)) = self.cache.get(&e.key) {
                e.text = Some(Arc::clone(text));
                e.text_cut = *cut;
            }
        }
    }
}
