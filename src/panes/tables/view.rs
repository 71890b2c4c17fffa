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

impl crate::state::views::View for super::Def {
    type Model = TablesView;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dbs() -> Vec<String> {
        ["app", "postgres", "shop"].map(str::to_owned).to_vec()
    }

    #[test]
    fn d_walks_the_databases_from_the_one_shown_and_wraps() {
        let mut v = TablesView {
            selected: Some(7),
            cursor: 3,
            ..TablesView::default()
        };
        v.sizes.insert(7, Err("x".to_owned()));
        v.next_database(&dbs(), Some("postgres"));
        assert_eq!(v.database.as_deref(), Some("shop"));
        // Oids are per database: nothing about the other database's tables stays.
        assert_eq!((v.selected, v.cursor), (None, 0));
        assert!(v.sizes.is_empty());
        v.next_database(&dbs(), Some("shop"));
        assert_eq!(v.database.as_deref(), Some("app"));
        // A database that failed shows no name of its own: the one asked for counts.
        v.next_database(&dbs(), None);
        assert_eq!(v.database.as_deref(), Some("postgres"));
        // A list of one, or none, changes nothing.
        let mut one = TablesView::default();
        one.next_database(&["postgres".to_owned()], Some("postgres"));
        assert_eq!(one.database, None);
        one.next_database(&[], None);
        assert_eq!(one.database, None);
    }

    #[test]
    fn the_ask_carries_key_direction_selection_and_database() {
        let mut v = TablesView {
            sort: SortKey::Size,
            reverse: true,
            selected: Some(42),
            database: Some("shop".to_owned()),
            ..TablesView::default()
        };
        let w = v.want();
        assert_eq!(
            w.ask,
            Ask {
                sort: SortKey::Size,
                ascending: true,
                selected: Some(42)
            }
        );
        assert_eq!(w.ranking(), (SortKey::Size, true, Some("shop")));
        // A new selection is not a new ranking.
        v.selected = Some(43);
        assert_eq!(v.want().ranking(), w.ranking());
        assert_ne!(v.want(), w);
    }
}
