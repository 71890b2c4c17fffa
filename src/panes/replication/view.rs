//! The Replication pane's view state: a selection over the rows that can name a backend
//! (senders, slots, subscriptions), anchored on the row's key, and a bounded lag history per
//! standby for the sparklines, fed from successive snapshots.

use std::collections::{BTreeMap, VecDeque};

use crate::panes::replication::data::Replication;

/// Samples kept per standby (one per refresh while the pane is on screen).
pub const HISTORY: usize = 60;

/// A selectable row, by what it is about rather than where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    Sender(i32),
    Slot(String),
    Subscription(String),
}

/// A selectable row and the backend it names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: RowKey,
    pub pid: Option<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct ReplicationView {
    pub selected: Option<RowKey>,
    pub cursor: usize,
    /// Selectable rows in display order. Derived by [`ReplicationView::rebuild`].
    pub rows: Vec<Row>,
    /// Replay distance in bytes per standby (`Sender::history_key`), oldest first.
    pub history: BTreeMap<String, VecDeque<i64>>,
}

impl ReplicationView {
    /// Adds one sample per sender of a newly shown snapshot; standbys that went away are
    /// forgotten, so the map stays as small as the sender list.
    pub fn observe(&mut self, repl: Option<&Replication>) {
        let Some(Ok(senders)) = repl.map(|r| &r.senders) else {
            return;
        };
        self.history
            .retain(|key, _| senders.iter().any(|s| &s.history_key() == key));
        for s in senders {
            let Some(bytes) = s.replay_bytes else {
                continue;
            };
            let samples = self.history.entry(s.history_key()).or_default();
            if samples.len() == HISTORY {
                samples.pop_front();
            }
            samples.push_back(bytes.max(0));
        }
    }

    /// Recomputes `rows` and re-anchors the selection on its key.
    pub fn rebuild(&mut self, repl: Option<&Replication>) {
        self.rows.clear();
        if let Some(r) = repl {
            if let Ok(senders) = &r.senders {
                self.rows.extend(senders.iter().map(|s| Row {
                    key: RowKey::Sender(s.pid),
                    pid: Some(s.pid),
                }));
            }
            if let Ok(slots) = &r.slots {
                self.rows.extend(slots.slots.iter().map(|s| Row {
                    key: RowKey::Slot(s.name.clone()),
                    pid: s.active_pid,
                }));
            }
            if let Ok(subs) = &r.subscriptions {
                self.rows.extend(subs.iter().map(|s| Row {
                    key: RowKey::Subscription(s.name.clone()),
                    pid: s.pid,
                }));
            }
        }
        let found = self
            .selected
            .as_ref()
            .and_then(|key| self.rows.iter().position(|r| &r.key == key));
        self.cursor = match found {
            Some(pos) => pos,
            None => self.cursor.min(self.rows.len().saturating_sub(1)),
        };
        self.selected = self.rows.get(self.cursor).map(|r| r.key.clone());
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        self.cursor = self
            .cursor
            .saturating_add_signed(delta)
            .min(self.rows.len() - 1);
        self.selected = self.rows.get(self.cursor).map(|r| r.key.clone());
    }

    /// The backend behind the selected row: a sender, a slot's user, a subscription's worker.
    pub fn selected_pid(&self) -> Option<i32> {
        let key = self.selected.as_ref()?;
        self.rows.iter().find(|r| &r.key == key)?.pid
    }

    pub fn is_selected(&self, key: &RowKey) -> bool {
        self.selected.as_ref() == Some(key)
    }
}

impl crate::state::views::View for super::Def {
    type Model = ReplicationView;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panes::replication::data::{Sender, Slot, Slots};

    fn repl(senders: Vec<Sender>, slots: Vec<Slot>) -> Replication {
        Replication {
            senders: Ok(senders),
            slots: Ok(Slots {
                total: slots.len() as i64,
                slots,
            }),
            receiver: Ok(crate::panes::replication::data::Receiver::default()),
            conflicts: Ok(Vec::new()),
            subscriptions: Ok(Vec::new()),
            publications: Ok(Vec::new()),
        }
    }

    fn sender(pid: i32, slot: &str, bytes: i64) -> Sender {
        Sender {
            pid,
            slot_name: Some(slot.into()),
            replay_bytes: Some(bytes),
            ..Sender::default()
        }
    }

    #[test]
    fn history_is_bounded_keyed_by_slot_and_forgets_departed_standbys() {
        let mut v = ReplicationView::default();
        for i in 0..(HISTORY as i64 + 10) {
            // The standby reconnects (new pid) halfway: its history continues.
            let pid = if i < 30 { 10 } else { 11 };
            v.observe(Some(&repl(
                vec![sender(pid, "a", i), sender(20, "b", 5)],
                vec![],
            )));
        }
        let a = &v.history["slot:a"];
        assert_eq!(a.len(), HISTORY);
        assert_eq!(a.back(), Some(&(HISTORY as i64 + 9)));
        v.observe(Some(&repl(vec![sender(20, "b", -3)], vec![])));
        assert!(!v.history.contains_key("slot:a"));
        assert_eq!(v.history["slot:b"].back(), Some(&0));
    }

    #[test]
    fn selection_follows_the_key_and_names_the_backend() {
        let mut v = ReplicationView::default();
        let slot = |name: &str, pid| Slot {
            name: name.into(),
            active_pid: pid,
            ..Slot::default()
        };
        v.rebuild(Some(&repl(
            vec![sender(10, "a", 0)],
            vec![slot("a", Some(10)), slot("idle", None)],
        )));
        v.move_by(2);
        assert_eq!(v.selected, Some(RowKey::Slot("idle".into())));
        assert_eq!(v.selected_pid(), None);
        // A new sender appears before it: the selection stays on the slot.
        v.rebuild(Some(&repl(
            vec![sender(9, "c", 0), sender(10, "a", 0)],
            vec![slot("a", Some(10)), slot("idle", None)],
        )));
        assert_eq!(v.cursor, 3);
        v.move_by(-1);
        assert_eq!(v.selected_pid(), Some(10));
        v.move_by(-10);
        assert_eq!(v.selected, Some(RowKey::Sender(9)));
    }
}
