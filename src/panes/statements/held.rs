//! Reading only what changed: the fingerprints of the entries the reader holds, sent back with
//! each read so that the server returns only the entries whose fingerprint is not among them
//! (see `sql`), and the merge of such a read into the previous one.
//!
//! An entry that leaves pg_stat_statements is not seen by such a read. A reset of all entries
//! (`stats_reset`) or a restart is, and empties what is held; an eviction shows in `dealloc`:
//! the refresh then reads every entry, and so do the next ones while evictions go on; a reset
//! of single entries shows at the next whole read, at most [`WHOLE_EVERY`] reads later (until
//! then the entry shows no activity).

use std::collections::{HashMap, HashSet};

use super::model::{Key, Read};

/// Reads of changed entries between two whole reads.
pub const WHOLE_EVERY: u32 = 30;

#[derive(Debug, Clone, Default)]
pub struct Held {
    fps: HashMap<Key, i64>,
    /// Changed-only reads since the last whole read.
    partial_reads: u32,
    /// Entries were evicted before the last whole read: the next one reads every entry too.
    whole_due: bool,
}

impl Held {
    /// Forgets everything (a new connection may be to another server).
    pub fn clear(&mut self) {
        *self = Held::default();
    }

    /// Whether the next read must read every entry: the first one, entries were evicted, or it
    /// is time for one. (Where the extension cannot report evictions, every read is whole.)
    pub fn whole_due(&self, prev: Option<&Read>) -> bool {
        prev.is_none() || self.whole_due || self.partial_reads >= WHOLE_EVERY
    }

    /// The fingerprints to send with a changed-only read.
    pub fn fingerprints(&self) -> Vec<i64> {
        self.fps.values().copied().collect()
    }

    /// After a whole read: its fingerprints are what is held; `evicting` says entries were
    /// evicted since the read before.
    pub fn whole(&mut self, fps: HashMap<Key, i64>, evicting: bool) {
        self.fps = fps;
        self.partial_reads = 0;
        self.whole_due = evicting;
    }

    /// Completes `read`, a changed-only read, with the entries of `prev` it did not return;
    /// `fps` are the fingerprints of the entries it returned. Hidden rows (no queryid) come
    /// every time, so `prev`'s sums of them are dropped. False when entries were evicted since
    /// `prev`: which ones is unknown, so every entry must be read.
    pub fn merge(&mut self, prev: &Read, read: &mut Read, fps: HashMap<Key, i64>) -> bool {
        self.partial_reads += 1;
        if read.dealloc != prev.dealloc {
            return false;
        }
        if read.stats_reset != prev.stats_reset || read.started != prev.started {
            // Every entry there is now was created since: all came back.
            self.fps = fps;
            return true;
        }
        let sent: HashSet<Key> = read.entries.iter().map(|e| e.key).collect();
        read.entries.extend(
            prev.entries
                .iter()
                .filter(|e| e.key.queryid.is_some() && !sent.contains(&e.key))
                .cloned(),
        );
        self.fps.extend(fps);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panes::statements::model::{Counters, Entry};

    fn entry(queryid: Option<i64>, calls: i64) -> Entry {
        Entry {
            key: Key {
                userid: 10,
                dbid: 5,
                queryid,
                toplevel: Some(true),
            },
            counters: Counters {
                calls,
                ..Counters::default()
            },
            stats_since: None,
            text: None,
            text_cut: false,
            hidden: u32::from(queryid.is_none()),
        }
    }

    fn read(entries: Vec<Entry>, dealloc: i64, stats_reset: i64) -> Read {
        Read {
            now: 1,
            started: 1,
            stats_reset: Some(stats_reset),
            dealloc: Some(dealloc),
            entries,
        }
    }

    fn calls(r: &Read) -> Vec<(Option<i64>, i64)> {
        let mut v: Vec<_> = r
            .entries
            .iter()
            .map(|e| (e.key.queryid, e.counters.calls))
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn unchanged_entries_come_from_the_previous_read() {
        let prev = read(vec![entry(Some(1), 5), entry(Some(2), 7), entry(None, 3)], 0, 0);
        let mut held = Held::default();
        held.whole(
            HashMap::from([(prev.entries[0].key, 11), (prev.entries[1].key, 22)]),
            false,
        );
        let mut now = read(vec![entry(Some(2), 8), entry(None, 4)], 0, 0);
        let fp2 = HashMap::from([(now.entries[0].key, 23)]);
        assert!(held.merge(&prev, &mut now, fp2));
        assert_eq!(calls(&now), vec![(None, 4), (Some(1), 5), (Some(2), 8)]);
        let mut fps = held.fingerprints();
        fps.sort_unstable();
        assert_eq!(fps, vec![11, 23]);
        assert!(!held.whole_due(Some(&now)));
    }

    #[test]
    fn a_reset_drops_what_was_held_and_evictions_ask_for_whole_reads() {
        let prev = read(vec![entry(Some(1), 5), entry(Some(2), 7)], 0, 0);
        let mut held = Held::default();
        held.whole(HashMap::new(), false);
        let mut reset = read(vec![entry(Some(2), 1)], 0, 99);
        assert!(held.merge(&prev, &mut reset, HashMap::new()));
        assert_eq!(calls(&reset), vec![(Some(2), 1)]);
        assert!(!held.whole_due(Some(&reset)));
        let mut evicted = read(vec![], 3, 99);
        assert!(!held.merge(&reset, &mut evicted, HashMap::new()));
        held.whole(HashMap::new(), true);
        assert!(held.whole_due(Some(&evicted)), "evictions go on");
        held.whole(HashMap::new(), false);
        assert!(!held.whole_due(Some(&evicted)));
        assert!(held.whole_due(None), "first read");
    }

    #[test]
    fn a_whole_read_comes_every_so_often() {
        let prev = read(vec![entry(Some(1), 5)], 0, 0);
        let mut held = Held::default();
        held.whole(HashMap::new(), false);
        for _ in 0..WHOLE_EVERY {
            assert!(!held.whole_due(Some(&prev)));
            let mut r = read(vec![], 0, 0);
            assert!(held.merge(&prev, &mut r, HashMap::new()));
        }
        assert!(held.whole_due(Some(&prev)));
    }
}
