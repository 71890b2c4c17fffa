//! The Waits pane's view state: the sessions of the shown snapshot grouped by what they wait on
//! now, the history window shown (1, 5 or 15 minutes), and a selection that follows a wait
//! group or a query by key, never by row index.

use std::collections::HashMap;

use crate::state::filter::Filter;
use crate::snapshot::Backend;
use crate::panes::waits::data::{QueryKey, WaitClass, Waits, Window, normalize, wait_label};

/// Names and queries listed per group.
const TOP_PER_GROUP: usize = 3;
/// Characters of a query's text that group it in the Now list.
const SHAPE_CHARS: usize = 120;

/// Sessions that wait on the same thing now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NowGroup {
    pub class: WaitClass,
    /// `CPU` or `Type:Event` (raw server text).
    pub label: String,
    pub sessions: usize,
    /// Of `sessions`, those idle in a transaction (waiting for their client).
    pub idle_in_transaction: usize,
    /// Most frequent first, with their session counts.
    pub databases: Vec<(String, usize)>,
    pub users: Vec<(String, usize)>,
    /// Normalized query texts.
    pub queries: Vec<(String, usize)>,
}

/// A selectable line: a wait group of the Now list, a top query of the history, or a top wait
/// of the history (selected by a click; the keys move through the Now list and top queries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    Wait(String),
    Query(QueryKey),
    TopWait(String),
}

#[derive(Debug, Clone)]
pub struct WaitsView {
    /// Derived from the shown snapshot by [`WaitsView::rebuild`], biggest first.
    pub groups: Vec<NowGroup>,
    /// Sessions in a statement or a transaction now (the sum over `groups`).
    pub in_flight: usize,
    /// Index into the summary's windows (0 = the shortest); clamped to what the data has.
    pub window: usize,
    pub selected: Option<RowKey>,
    pub cursor: usize,
}

impl Default for WaitsView {
    fn default() -> Self {
        Self {
            groups: Vec::new(),
            in_flight: 0,
            // 5 minutes: long enough to see a pattern, short enough to see a change.
            window: 1,
            selected: None,
            cursor: 0,
        }
    }
}

/// A session counts in the Now list when it is in a statement or a transaction.
fn in_flight(b: &Backend) -> bool {
    b.state.as_deref().is_some_and(|s| s != "idle")
}

/// The Now list: sessions in a statement or a transaction, grouped by wait.
pub fn group(backends: &[Backend]) -> Vec<NowGroup> {
    let mut by_label: HashMap<String, GroupAcc> = HashMap::new();
    for b in backends.iter().filter(|b| in_flight(b)) {
        let label = wait_label(b.wait_event_type.as_deref(), b.wait_event.as_deref());
        let acc = by_label.entry(label).or_insert_with(|| GroupAcc {
            class: WaitClass::of(b.wait_event_type.as_deref()),
            ..GroupAcc::default()
        });
        acc.sessions += 1;
        if b.state.as_deref().is_some_and(|s| s.starts_with("idle in")) {
            acc.idle += 1;
        }
        *acc.databases
            .entry(b.datname.clone().unwrap_or_default())
            .or_default() += 1;
        *acc.users
            .entry(b.usename.clone().unwrap_or_default())
            .or_default() += 1;
        *acc.queries
            .entry(normalize(&b.query, SHAPE_CHARS))
            .or_default() += 1;
    }
    let mut groups: Vec<NowGroup> = by_label
        .into_iter()
        .map(|(label, acc)| NowGroup {
            class: acc.class,
            label,
            sessions: acc.sessions,
            idle_in_transaction: acc.idle,
            databases: top(acc.databases),
            users: top(acc.users),
            queries: top(acc.queries),
        })
        .collect();
    groups.sort_by(|a, b| {
        b.sessions
            .cmp(&a.sessions)
            .then_with(|| a.label.cmp(&b.label))
    });
    groups
}

#[derive(Default)]
struct GroupAcc {
    class: WaitClass,
    sessions: usize,
    idle: usize,
    databases: HashMap<String, usize>,
    users: HashMap<String, usize>,
    queries: HashMap<String, usize>,
}

fn top(counts: HashMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(TOP_PER_GROUP);
    v
}

impl WaitsView {
    /// Regroups the Now list and re-anchors the selection on its key.
    pub fn rebuild(&mut self, backends: &[Backend], waits: Option<&Waits>) {
        self.groups = group(backends);
        self.in_flight = self.groups.iter().map(|g| g.sessions).sum();
        if let Some(w) = waits {
            self.window = self.window.min(w.windows.len().saturating_sub(1));
        }
        let rows = self.rows(waits);
        if let Some(RowKey::TopWait(label)) = &self.selected
            && self
                .shown_window(waits)
                .is_some_and(|w| w.events.iter().any(|e| e.label == *label))
        {
            self.cursor = self.cursor.min(rows.len().saturating_sub(1));
            return;
        }
        let found = self
            .selected
            .as_ref()
            .and_then(|key| rows.iter().position(|r| r == key));
        self.cursor = match found {
            Some(pos) => pos,
            None => self.cursor.min(rows.len().saturating_sub(1)),
        };
        self.selected = rows.get(self.cursor).cloned();
    }

    /// The selectable lines: the Now groups, then the top queries of the shown window.
    pub fn rows(&self, waits: Option<&Waits>) -> Vec<RowKey> {
        let groups = self.groups.iter().map(|g| RowKey::Wait(g.label.clone()));
        let queries = self
            .shown_window(waits)
            .into_iter()
            .flat_map(|w| w.queries.iter())
            .map(|q| RowKey::Query(q.key.clone()));
        groups.chain(queries).collect()
    }

    pub fn move_by(&mut self, delta: isize, waits: Option<&Waits>) {
        let rows = self.rows(waits);
        if rows.is_empty() {
            return;
        }
        self.cursor = self.cursor.saturating_add_signed(delta).min(rows.len() - 1);
        self.selected = rows.get(self.cursor).cloned();
    }

    /// The next longer window, wrapping to the shortest.
    pub fn cycle_window(&mut self, waits: Option<&Waits>) {
        let n = waits.map_or(1, |w| w.windows.len().max(1));
        self.window = (self.window + 1) % n;
    }

    pub fn shown_window<'a>(&self, waits: Option<&'a Waits>) -> Option<&'a Window> {
        let w = waits?;
        w.windows.get(self.window).or_else(|| w.windows.last())
    }

    /// The Activity filter that shows the selected line's sessions, if it has one.
    pub fn drill_filter(&self) -> Option<String> {
        Some(match self.selected.as_ref()? {
            RowKey::Wait(label) | RowKey::TopWait(label) => {
                format!("wait:={}", Filter::quote(label))
            }
            RowKey::Query(QueryKey::Id(id)) => format!("qid:{id}"),
            RowKey::Query(QueryKey::IdleInTransaction) => "state:=\"idle in transaction\"".into(),
            // Text up to the first literal: the part every run of this shape shares.
            RowKey::Query(QueryKey::Shape(text)) => {
                let head: String = text.split('?').next()?.trim().chars().take(60).collect();
                if head.is_empty() {
                    return None;
                }
                Filter::quote(&head.to_lowercase())
            }
            RowKey::Query(QueryKey::Others) => return None,
        })
    }
}

impl crate::state::views::View for super::Def {
    type Model = WaitsView;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(pid: i32, state: &str, wait: Option<(&str, &str)>, query: &str) -> Backend {
        Backend {
            pid,
            state: Some(state.into()),
            wait_event_type: wait.map(|w| w.0.to_owned()),
            wait_event: wait.map(|w| w.1.to_owned()),
            datname: Some("shop".into()),
            usename: Some(format!("u{}", pid % 2)),
            query: query.into(),
            backend_type: "client backend".into(),
            ..Backend::default()
        }
    }

    #[test]
    fn groups_sessions_by_wait() {
        let backends = vec![
            b(1, "active", None, "SELECT sum(x) FROM t WHERE id = 1"),
            b(2, "active", None, "SELECT sum(x) FROM t WHERE id = 2"),
            b(3, "active", Some(("Lock", "transactionid")), "UPDATE a"),
            b(
                4,
                "idle in transaction",
                Some(("Client", "ClientRead")),
                "UPDATE a",
            ),
            b(5, "idle", Some(("Client", "ClientRead")), "COMMIT"),
            b(
                6,
                "active",
                Some(("Timeout", "PgSleep")),
                "SELECT pg_sleep(1)",
            ),
        ];
        let g = group(&backends);
        let labels: Vec<_> = g.iter().map(|g| (g.label.as_str(), g.sessions)).collect();
        assert_eq!(
            labels,
            [
                ("CPU", 2),
                ("Client:ClientRead", 1),
                ("Lock:transactionid", 1),
                ("Timeout:PgSleep", 1)
            ]
        );
        assert_eq!(
            g[0].queries,
            [("SELECT sum(x) FROM t WHERE id = ?".into(), 2)]
        );
        assert_eq!(g[0].users.len(), 2);
        assert_eq!(g[1].class, WaitClass::Client);
        assert_eq!(g[1].idle_in_transaction, 1);
    }

    #[test]
    fn selection_follows_the_group_and_drills_into_activity() {
        let mut v = WaitsView::default();
        let one = vec![b(1, "active", Some(("Lock", "tuple")), "UPDATE a")];
        v.rebuild(&one, None);
        assert_eq!(v.selected, Some(RowKey::Wait("Lock:tuple".into())));
        // A bigger group arrives above it: the selection stays on Lock:tuple.
        let mut more = one.clone();
        more.extend((2..5).map(|p| b(p, "active", None, "SELECT 1")));
        v.rebuild(&more, None);
        assert_eq!(
            (v.cursor, v.selected.clone()),
            (1, Some(RowKey::Wait("Lock:tuple".into())))
        );
        assert_eq!(v.drill_filter().as_deref(), Some("wait:=Lock:tuple"));
        let f = Filter::parse(&v.drill_filter().unwrap_or_default());
        assert!(f.matches(&more[0], 0) && !f.matches(&more[1], 0));
        v.selected = Some(RowKey::Query(QueryKey::Shape(
            "SELECT * FROM t WHERE id = ?".into(),
        )));
        assert_eq!(
            v.drill_filter().as_deref(),
            Some("\"select * from t where id =\"")
        );
        v.selected = Some(RowKey::Query(QueryKey::Id(-42)));
        let mut q = b(9, "active", None, "x");
        q.query_id = Some(-42);
        assert!(Filter::parse(&v.drill_filter().unwrap_or_default()).matches(&q, 0));
    }

    #[test]
    fn a_clicked_top_wait_stays_selected_while_the_window_lists_it() {
        use crate::panes::waits::data::EventTotal;
        let window = |label: &str| Window {
            secs: 60,
            events: vec![EventTotal {
                class: WaitClass::Io,
                label: label.into(),
                count: 5,
            }],
            ..Window::default()
        };
        let mut waits = Waits {
            windows: vec![window("IO:DataFileRead")],
            ..Waits::default()
        };
        let now = vec![b(1, "active", None, "SELECT 1")];
        let mut v = WaitsView {
            selected: Some(RowKey::TopWait("IO:DataFileRead".into())),
            ..WaitsView::default()
        };
        v.rebuild(&now, Some(&waits));
        assert_eq!(v.selected, Some(RowKey::TopWait("IO:DataFileRead".into())));
        assert_eq!(v.drill_filter().as_deref(), Some("wait:=IO:DataFileRead"));
        // Gone from the window: back to the line the keys were on.
        waits.windows = vec![window("IO:WALWrite")];
        v.rebuild(&now, Some(&waits));
        assert_eq!(v.selected, Some(RowKey::Wait("CPU".into())));
    }
}
