//! The sampler's memory: a ring of per-second buckets over a fixed window. Each bucket counts
//! session samples by wait class and by (query, wait); queries are shared between buckets and
//! dropped when the last bucket naming them leaves the window. Bounded: at most `window`
//! buckets of at most [`CELLS_PER_SECOND`] cells.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::panes::waits::data::{
    CLASSES, EventTotal, QueryKey, QueryTotal, Second, WaitClass, Window, normalize, wait_label,
};

/// Distinct (query, wait) pairs kept per second; more are folded into "other queries".
pub const CELLS_PER_SECOND: usize = 200;
/// Cells for "other queries" (one per wait) on top of those; beyond, only the class counts.
pub const OTHER_CELLS: usize = 20;
/// Distinct waits remembered; the server has a few hundred at most.
const MAX_EVENTS: usize = 2_000;
/// Characters of query text kept per query shape.
pub const TEXT_CHARS: usize = 200;
/// Entries in each window's top lists, and waits per query.
const TOP: usize = 20;
const TOP_EVENTS_PER_QUERY: usize = 3;
/// The windows summarized besides the whole history.
const WINDOWS: [u32; 3] = [60, 300, 900];

/// A query's samples in a window: the query, its count, and its count per event.
type QueryAcc = (Arc<QueryInfo>, u64, HashMap<usize, u64>);

/// What a sample needs of a session: a row of the sample statement, or a session of a refresh
/// (every refresh is a sample too), read in place without copying.
pub trait Sampled {
    fn state(&self) -> Option<&str>;
    fn wait_event_type(&self) -> Option<&str>;
    fn wait_event(&self) -> Option<&str>;
    fn datname(&self) -> Option<&str>;
    fn usename(&self) -> Option<&str>;
    fn text(&self) -> &str;
    fn query_id(&self) -> Option<i64>;
}

impl Sampled for SampleRow {
    fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }
    fn wait_event_type(&self) -> Option<&str> {
        self.wait_event_type.as_deref()
    }
    fn wait_event(&self) -> Option<&str> {
        self.wait_event.as_deref()
    }
    fn datname(&self) -> Option<&str> {
        self.datname.as_deref()
    }
    fn usename(&self) -> Option<&str> {
        self.usename.as_deref()
    }
    fn text(&self) -> &str {
        &self.query
    }
    fn query_id(&self) -> Option<i64> {
        self.query_id
    }
}

/// One session in one sample, as the sample statement returns it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleRow {
    pub state: Option<String>,
    pub wait_event_type: Option<String>,
    pub wait_event: Option<String>,
    pub datname: Option<String>,
    pub usename: Option<String>,
    pub query: String,
    pub query_id: Option<i64>,
}

#[derive(Debug)]
struct QueryInfo {
    key: QueryKey,
    text: String,
    datname: Option<String>,
    usename: Option<String>,
}

#[derive(Debug)]
struct Event {
    class: WaitClass,
    label: String,
}

#[derive(Debug)]
struct Cell {
    query: Arc<QueryInfo>,
    event: usize,
    count: u32,
}

#[derive(Debug)]
struct Bucket {
    at: i64,
    samples: u32,
    sessions: [u32; CLASSES],
    cells: Vec<Cell>,
}

#[derive(Debug)]
pub struct History {
    window: u32,
    buckets: VecDeque<Bucket>,
    /// Where each (query, event) of the newest bucket is in its cells.
    current: HashMap<(usize, usize), usize>,
    events: Vec<Event>,
    event_ids: HashMap<String, usize>,
    queries: HashMap<QueryKey, Arc<QueryInfo>>,
}

impl History {
    /// A history of `window` seconds (at least one).
    pub fn new(window: u32) -> History {
        History {
            window: window.max(1),
            buckets: VecDeque::new(),
            current: HashMap::new(),
            events: Vec::new(),
            event_ids: HashMap::new(),
            queries: HashMap::new(),
        }
    }

    pub fn window(&self) -> u32 {
        self.window
    }

    /// Adds one sample taken at `at` (Unix seconds). A clock that went back counts into the
    /// newest second instead of reordering the ring.
    pub fn record<'a, R: Sampled + 'a>(&mut self, at: i64, rows: impl IntoIterator<Item = &'a R>) {
        let newest = self.buckets.back().map(|b| b.at);
        if newest.is_none_or(|n| at > n) {
            self.buckets.push_back(Bucket {
                at,
                samples: 0,
                sessions: [0; CLASSES],
                cells: Vec::new(),
            });
            self.current.clear();
            self.evict(at);
        }
        for row in rows {
            let class = WaitClass::of(row.wait_event_type());
            let event = self.event_id(row, class);
            let query = self.query(row);
            self.count(class, event, query);
        }
        if let Some(b) = self.buckets.back_mut() {
            b.samples += 1;
        }
    }

    fn count(&mut self, class: WaitClass, event: usize, query: Arc<QueryInfo>) {
        let Some(bucket) = self.buckets.back_mut() else {
            return;
        };
        bucket.sessions[class.index()] += 1;
        let key = (Arc::as_ptr(&query) as usize, event);
        if let Some(&i) = self.current.get(&key) {
            bucket.cells[i].count += 1;
            return;
        }
        let query = if bucket.cells.len() < CELLS_PER_SECOND {
            query
        } else {
            let others = Arc::clone(self.queries.entry(QueryKey::Others).or_insert_with(|| {
                Arc::new(QueryInfo {
                    key: QueryKey::Others,
                    text: String::new(),
                    datname: None,
                    usename: None,
                })
            }));
            let key = (Arc::as_ptr(&others) as usize, event);
            if let Some(&i) = self.current.get(&key) {
                bucket.cells[i].count += 1;
                return;
            }
            if bucket.cells.len() >= CELLS_PER_SECOND + OTHER_CELLS {
                return;
            }
            others
        };
        let key = (Arc::as_ptr(&query) as usize, event);
        self.current.insert(key, bucket.cells.len());
        bucket.cells.push(Cell {
            query,
            event,
            count: 1,
        });
    }

    /// Drops the seconds that left the window, and the queries only they named.
    fn evict(&mut self, now: i64) {
        let oldest = now - i64::from(self.window) + 1;
        let mut dropped = false;
        while self.buckets.front().is_some_and(|b| b.at < oldest) {
            self.buckets.pop_front();
            dropped = true;
        }
        if dropped {
            self.queries.retain(|_, q| Arc::strong_count(q) > 1);
        }
    }

    fn event_id(&mut self, row: &impl Sampled, class: WaitClass) -> usize {
        let label = wait_label(row.wait_event_type(), row.wait_event());
        if let Some(&id) = self.event_ids.get(&label) {
            return id;
        }
        if self.events.len() >= MAX_EVENTS {
            // Unreachable with real servers; keeps hostile input bounded.
            return 0;
        }
        let id = self.events.len();
        self.events.push(Event {
            class,
            label: label.clone(),
        });
        self.event_ids.insert(label, id);
        id
    }

    fn query(&mut self, row: &impl Sampled) -> Arc<QueryInfo> {
        let idle = row
            .state()
            .is_some_and(|s| s.starts_with("idle in transaction"));
        let key = match (idle, row.query_id()) {
            (true, _) => QueryKey::IdleInTransaction,
            (false, Some(id)) if id != 0 => QueryKey::Id(id),
            _ => QueryKey::Shape(normalize(row.text(), TEXT_CHARS)),
        };
        if let Some(q) = self.queries.get(&key) {
            return Arc::clone(q);
        }
        let text = match &key {
            QueryKey::Shape(s) => s.clone(),
            QueryKey::Id(_) => row.text().chars().take(TEXT_CHARS).collect(),
            QueryKey::IdleInTransaction | QueryKey::Others => String::new(),
        };
        let info = Arc::new(QueryInfo {
            key: key.clone(),
            text,
            datname: row.datname().map(str::to_owned),
            usename: row.usename().map(str::to_owned),
        });
        self.queries.insert(key, Arc::clone(&info));
        info
    }

    /// Cells held across the window: the memory bound's measure.
    pub fn cells(&self) -> usize {
        self.buckets.iter().map(|b| b.cells.len()).sum()
    }

    /// Query shapes held.
    pub fn query_shapes(&self) -> usize {
        self.queries.len()
    }

    /// Per-second counts over the window and the totals of each summarized window, as of `now`
    /// (Unix seconds).
    pub fn summary(&self, now: i64) -> (Vec<Second>, Vec<Window>) {
        let oldest = now - i64::from(self.window) + 1;
        let seconds = self
            .buckets
            .iter()
            .filter(|b| b.at >= oldest && b.at <= now)
            .map(|b| Second {
                at: b.at,
                samples: b.samples,
                sessions: b.sessions,
            })
            .collect();
        let mut spans: Vec<u32> = WINDOWS.into_iter().filter(|&w| w < self.window).collect();
        spans.push(self.window);
        let windows = spans
            .into_iter()
            .map(|w| self.window_total(now, w))
            .collect();
        (seconds, windows)
    }

    fn window_total(&self, now: i64, secs: u32) -> Window {
        let oldest = now - i64::from(secs) + 1;
        let mut out = Window {
            secs,
            ..Window::default()
        };
        let mut events: HashMap<usize, u64> = HashMap::new();
        let mut queries: HashMap<usize, QueryAcc> = HashMap::new();
        for b in self
            .buckets
            .iter()
            .filter(|b| b.at >= oldest && b.at <= now)
        {
            out.samples += u64::from(b.samples);
            for (total, n) in out.sessions.iter_mut().zip(b.sessions) {
                *total += u64::from(n);
            }
            for c in &b.cells {
                let n = u64::from(c.count);
                *events.entry(c.event).or_default() += n;
                let q = queries
                    .entry(Arc::as_ptr(&c.query) as usize)
                    .or_insert_with(|| (Arc::clone(&c.query), 0, HashMap::new()));
                q.1 += n;
                *q.2.entry(c.event).or_default() += n;
            }
        }
        out.events = self.top_events(events, TOP);
        let mut qs: Vec<_> = queries.into_values().collect();
        qs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.key.cmp(&b.0.key)));
        qs.truncate(TOP);
        out.queries = qs
            .into_iter()
            .map(|(q, count, ev)| QueryTotal {
                key: q.key.clone(),
                text: q.text.clone(),
                datname: q.datname.clone(),
                usename: q.usename.clone(),
                count,
                events: self.top_events(ev, TOP_EVENTS_PER_QUERY),
            })
            .collect();
        out
    }

    fn top_events(&self, counts: HashMap<usize, u64>, n: usize) -> Vec<EventTotal> {
        let mut v: Vec<EventTotal> = counts
            .into_iter()
            .filter_map(|(id, count)| {
                self.events.get(id).map(|e| EventTotal {
                    class: e.class,
                    label: e.label.clone(),
                    count,
                })
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        v.truncate(n);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(wait: Option<(&str, &str)>, query: &str, id: Option<i64>) -> SampleRow {
        SampleRow {
            state: Some("active".into()),
            wait_event_type: wait.map(|w| w.0.to_owned()),
            wait_event: wait.map(|w| w.1.to_owned()),
            datname: Some("shop".into()),
            usename: Some("app".into()),
            query: query.into(),
            query_id: id,
        }
    }

    #[test]
    fn averages_by_class_and_groups_queries() {
        let mut h = History::new(900);
        let cpu = row(None, "SELECT 1", None);
        let lock = row(Some(("Lock", "tuple")), "UPDATE t SET x = 5", None);
        let other_lock = row(Some(("Lock", "tuple")), "UPDATE t SET x = 7", None);
        for i in 0..10 {
            // Two samples a second: one CPU session always, the lock waiter in every other.
            h.record(100 + i, &[cpu.clone(), lock.clone()]);
            h.record(100 + i, std::slice::from_ref(&cpu));
        }
        h.record(110, &[cpu.clone(), other_lock]);
        let (seconds, windows) = h.summary(110);
        assert_eq!(seconds.len(), 11);
        assert_eq!(
            windows.iter().map(|w| w.secs).collect::<Vec<_>>(),
            [60, 300, 900]
        );
        let w = &windows[0];
        assert_eq!(w.samples, 21);
        assert!((w.average(WaitClass::Cpu) - 1.0).abs() < 1e-9);
        assert!((w.average(WaitClass::Lock) - 11.0 / 21.0).abs() < 1e-9);
        assert_eq!(w.events[0].label, "CPU");
        assert_eq!(
            (w.events[1].label.as_str(), w.events[1].count),
            ("Lock:tuple", 11)
        );
        // Both UPDATEs are one shape.
        let upd = w
            .queries
            .iter()
            .find(|q| q.text.starts_with("UPDATE"))
            .unwrap();
        assert_eq!((upd.count, upd.text.as_str()), (11, "UPDATE t SET x = ?"));
        assert_eq!(upd.events[0].label, "Lock:tuple");
    }

    #[test]
    fn window_stays_bounded() {
        let mut h = History::new(60);
        for s in 0..1_000 {
            let rows: Vec<SampleRow> = (0..300)
                .map(|i| row(None, &format!("SELECT {s} FROM t{i}"), None))
                .collect();
            h.record(s, &rows);
        }
        assert!(
            h.cells() <= 60 * (CELLS_PER_SECOND + OTHER_CELLS),
            "{}",
            h.cells()
        );
        assert!(h.query_shapes() <= 60 * CELLS_PER_SECOND + 1);
        let (seconds, windows) = h.summary(999);
        assert_eq!(seconds.len(), 60);
        assert_eq!(windows.len(), 1);
        let w = &windows[0];
        // Nothing is lost: the excess is counted as other queries.
        assert_eq!(w.sessions[0], 60 * 300);
        let others = w
            .queries
            .iter()
            .find(|q| q.key == QueryKey::Others)
            .unwrap();
        assert_eq!(others.count, 60 * 100);
    }

    #[test]
    fn query_id_groups_and_idle_in_transaction() {
        let mut h = History::new(900);
        let mut idle = row(Some(("Client", "ClientRead")), "UPDATE a", None);
        idle.state = Some("idle in transaction".into());
        h.record(
            5,
            &[
                row(None, "SELECT 1", Some(7)),
                row(None, "SELECT 2", Some(7)),
                idle,
            ],
        );
        let (_, windows) = h.summary(5);
        let q = &windows[0].queries;
        assert_eq!((q[0].key.clone(), q[0].count), (QueryKey::Id(7), 2));
        assert_eq!(q[0].text, "SELECT 1");
        assert_eq!(q[1].key, QueryKey::IdleInTransaction);
        // Old seconds are not in a later summary's short window.
        let (_, windows) = h.summary(5 + 120);
        assert_eq!(windows[0].samples, 0);
        assert_eq!(windows[1].samples, 1);
    }
}
