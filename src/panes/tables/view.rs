//! The Tables pane's view state: sort key and direction, the selection anchored on the table's
//! oid, the previous read for rates, and the model derived from the shown snapshot.

use crate::panes::tables::data::Tables;
use crate::panes::tables::model::{self, Ask, Model, Prev, SortKey, Want};

#[derive(Debug, Clone, Default)]
pub struct TablesView {
    pub sort: SortKey,
    pub reverse: bool,
    pub selected: Option<u32>,
    pub cursor: usize,
    /// The read before the shown one, for seq tup/s.
    pub prev: Option<Prev>,
    /// Derived by [`TablesView::rebuild`].
    pub model: Model,
    /// Exact sizes measured on demand (`s`), by table oid: measured, locked, gone, or why not.
    pub sizes: std::collections::HashMap<u32, Result<crate::panes::tables::data::ExactSize, String>>,
    /// The database whose statistics the pane asks for; `None` is the connected one.
    pub database: Option<String>,
}

impl TablesView {
    /// Keeps the read being replaced as the previous one (same database, older read).
    pub fn follow(&mut self, shown: Option<&Tables>, new: Option<&Tables>) {
        let key = |t: &Tables| {
            let meta = t.meta.as_ref().ok()?;
            let list = t.tables.as_ref().ok()?;
            Some(Prev::of(meta, list))
        };
        if let (Some(old), Some(new)) = (shown.and_then(key), new.and_then(key))
            && old.read_at != new.read_at
        {
            self.prev = Some(old);
        }
    }

    pub fn rebuild(&mut self, t: Option<&Tables>) {
        self.model = match t.map(|t| (&t.meta, &t.tables)) {
            Some((Ok(meta), Ok(list))) => {
                let prev = self.prev.as_ref().filter(|p| p.datname == meta.datname);
                model::build(meta, list, prev, self.sort)
            }
            _ => Model::default(),
        };
        if self.reverse {
            self.model.rows.reverse();
        }
        let found = self
            .selected
            .and_then(|id| self.model.rows.iter().position(|r| r.row.relid == id));
        self.cursor = match found {
            Some(pos) => pos,
            None => self.cursor.min(self.model.rows.len().saturating_sub(1)),
        };
        self.selected = self.model.rows.get(self.cursor).map(|r| r.row.relid);
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.model.rows.is_empty() {
            return;
        }
        let last = self.model.rows.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.model.rows.get(self.cursor).map(|r| r.row.relid);
    }

    /// What the pane asks of the collector: ranking, direction, selection, database.
    pub fn want(&self) -> Want {
        Want {
            ask: Ask {
                sort: self.sort,
                ascending: self.reverse,
                selected: self.selected,
            },
            database: self.database.clone(),
        }
    }

    /// Switches to the database after `shown` (or the one asked for) in `list`, wrapping. The
    /// selection, sizes and rates were about the other database's tables (oids are per
    /// database), so they go.
    pub fn next_database(&mut self, list: &[String], shown: Option<&str>) {
        let current = self.database.as_deref().or(shown);
        let pos = current.and_then(|c| list.iter().position(|d| d == c));
        let next = match pos {
            Some(p) => list.get((p + 1) % list.len()),
            None => list.first(),
        };
        let Some(next) = next else { return };
        if Some(next.as_str()) == current {
            return;
        }
        self.database = Some(next.clone());
        self.selected = None;
        self.cursor = 0;
        self.sizes.clear();
        self.prev = None;
    }

    /// The next (or previous) sort key, wrapping.
    pub fn cycle_sort(&mut self, forward: bool) {
        let all = SortKey::ALL;
        let pos = all.iter().position(|k| *k == self.sort).unwrap_or(0);
        let next = if forward { pos + 1 } else { pos + all.len() - 1 };
        self.sort = all[next % all.len()];
    }
}
