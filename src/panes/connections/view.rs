//! The Connections pane's view state: grouping, sort, a selection that follows the group's key,
//! and the derived figures (usage, ages, groups, the idle-in-transaction list).

use crate::state::filter::Filter;
use super::groups::{self, Group, GroupColumn, GroupKey, Grouping};
use crate::churn::{self, Ages, Churn};
use crate::slots::Usage;
use crate::snapshot::{Backend, Capabilities, Snapshot};

/// Sessions idle in transaction listed at most.
pub const ATTENTION_MAX: usize = 5;

#[derive(Debug, Clone)]
pub struct ConnectionsView {
    pub grouping: Grouping,
    pub sort: GroupColumn,
    pub descending: bool,
    /// The selected group, by key: a re-sort or a refresh never moves it to another group.
    pub selected: Option<GroupKey>,
    pub cursor: usize,
    pub offset: usize,
    /// Derived by [`ConnectionsView::rebuild`]: groups in display order.
    pub groups: Vec<Group>,
    pub usage: Usage,
    pub ages: Ages,
    /// Indices into the shown snapshot's backends: sessions idle in transaction, longest first,
    /// at most [`ATTENTION_MAX`].
    pub idle_tx: Vec<usize>,
    /// All sessions idle in transaction.
    pub idle_tx_total: usize,
    /// From the two newest snapshots (kept current while paused, like the header's rates).
    pub churn: Option<Churn>,
}

impl Default for ConnectionsView {
    fn default() -> Self {
        Self {
            grouping: Grouping::default(),
            sort: GroupColumn::Total,
            descending: true,
            selected: None,
            cursor: 0,
            offset: 0,
            groups: Vec::new(),
            usage: Usage::default(),
            ages: Ages::default(),
            idle_tx: Vec::new(),
            idle_tx_total: 0,
            churn: None,
        }
    }
}

/// How the pane's body is split, in rows. Shared by scrolling here and drawing in `ui`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub summary: u16,
    /// The groups table, its header line included.
    pub groups: u16,
    pub attention: u16,
}

impl ConnectionsView {
    pub fn areas(&self, body: u16) -> Areas {
        let summary = (3 + u16::from(self.usage.hidden > 0)).min(body);
        let rest = body - summary;
        let listed = self.idle_tx.len().min(ATTENTION_MAX);
        // A title line, plus a column header and the rows when there is anything to list.
        let wanted = if listed == 0 { 1 } else { 2 + listed as u16 };
        let attention = wanted.min(rest / 2);
        Areas {
            summary,
            groups: rest - attention,
            attention,
        }
    }

    fn page(&self, body: u16) -> usize {
        usize::from(self.areas(body).groups.saturating_sub(1)).max(1)
    }

    /// Called with every new snapshot, paused or not: churn needs the two newest.
    pub fn observe(&mut self, prev: Option<&Snapshot>, cur: &Snapshot) {
        let prev = prev.and_then(|p| p.activity.as_ref().ok());
        self.churn = match (prev, &cur.activity) {
            (Some(p), Ok(c)) => churn::compute(p, c),
            _ => None,
        };
    }

    /// Recomputes every derived figure from the shown snapshot and re-anchors the selection.
    /// `sessions` are the ones of the snapshot that `keeps` admits (the filter): the groups and
    /// the idle-in-transaction list count them, while the slots in use and the connections'
    /// ages count every session, as the server does. The list holds indices into the snapshot's sessions.
    pub fn rebuild(
        &mut self,
        snapshot: Option<&Snapshot>,
        sessions: &[Backend],
        keeps: &dyn Fn(&Backend) -> bool,
        body: u16,
    ) {
        let activity = snapshot.and_then(|s| s.activity.as_ref().ok());
        let all = activity.map_or(&[][..], |a| a.backends.as_slice());
        let now = activity.map_or(0, |a| a.now);
        let caps = snapshot.map_or_else(Capabilities::default, |s| (*s.caps).clone());
        self.usage = Usage::compute(all, &caps);
        let backends = sessions;
        self.ages = Ages::compute(all, now);
        self.idle_tx = idle_in_transaction(all, keeps);
        self.idle_tx_total = backends
            .iter()
            .filter(|b| is_idle_in_transaction(b))
            .count();

        let mut groups = groups::build(backends, self.grouping);
        let (col, desc) = (self.sort, self.descending);
        groups.sort_by(|a, b| {
            let ord = col.compare(a, b);
            let ord = if desc { ord.reverse() } else { ord };
            // Ties broken by key so equal groups never swap places between refreshes.
            ord.then_with(|| a.key.cmp(&b.key))
        });
        self.groups = groups;
        let found = self
            .selected
            .as_ref()
            .and_then(|k| self.groups.iter().position(|g| g.key == *k));
        self.cursor = match found {
            Some(pos) => pos,
            None => self.cursor.min(self.groups.len().saturating_sub(1)),
        };
        self.selected = self.groups.get(self.cursor).map(|g| g.key.clone());
        self.scroll_into_view(self.page(body));
    }

    pub fn move_by(&mut self, delta: isize, body: u16) {
        if self.groups.is_empty() {
            return;
        }
        let last = self.groups.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.groups.get(self.cursor).map(|g| g.key.clone());
        self.scroll_into_view(self.page(body));
    }

    fn scroll_into_view(&mut self, page: usize) {
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
        self.offset = self.offset.min(self.groups.len().saturating_sub(page));
    }

    /// Switches to the next grouping; the selection starts at the top again.
    pub fn next_grouping(&mut self) {
        self.grouping = self.grouping.next();
        self.selected = None;
        self.cursor = 0;
        self.offset = 0;
    }

    pub fn cycle_sort(&mut self, forward: bool) {
        let all = GroupColumn::ALL;
        let pos = all.iter().position(|c| *c == self.sort).unwrap_or(0);
        let next = if forward {
            (pos + 1) % all.len()
        } else {
            (pos + all.len() - 1) % all.len()
        };
        self.sort = all[next];
        self.descending = self.sort.descending_by_default();
    }

    /// The Activity filter text that shows exactly the selected group's sessions.
    pub fn drill_filter(&self) -> Option<String> {
        let key = self.selected.as_ref()?;
        let value = key.as_deref().unwrap_or("");
        Some(format!(
            "{}:={}",
            self.grouping.filter_prefix(),
            Filter::quote(value)
        ))
    }

    pub fn selected_group(&self) -> Option<&Group> {
        let key = self.selected.as_ref()?;
        self.groups.iter().find(|g| g.key == *key)
    }
}

fn is_idle_in_transaction(b: &Backend) -> bool {
    b.state
        .as_deref()
        .is_some_and(|s| s.starts_with("idle in transaction"))
}

/// Sessions idle in transaction (aborted or not), longest in that state first.
fn idle_in_transaction(backends: &[Backend], keeps: &dyn Fn(&Backend) -> bool) -> Vec<usize> {
    let mut idx: Vec<usize> = backends
        .iter()
        .enumerate()
        .filter(|(_, b)| is_idle_in_transaction(b) && keeps(b))
        .map(|(i, _)| i)
        .collect();
    idx.sort_by_key(|&i| {
        (
            backends[i].state_change.unwrap_or(i64::MAX),
            backends[i].pid,
        )
    });
    idx.truncate(ATTENTION_MAX);
    idx
}

impl crate::state::views::View for super::Def {
    type Model = ConnectionsView;
}
