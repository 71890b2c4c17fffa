//! The Activity pane's view state: sort, filter, toggles and a selection that follows the pid.

use super::columns::Column;
use crate::snapshot::{Backend, Micros};
use crate::state::filter::Filter;

#[derive(Debug, Clone)]
pub struct ActivityView {
    pub sort: Column,
    pub descending: bool,
    pub filter: Filter,
    pub show_idle: bool,
    pub show_background: bool,
    /// Only sessions whose query has run at least this long (`--min-duration`).
    pub min_duration: Option<std::time::Duration>,
    /// Columns shown, in display order (config file; all by default).
    pub columns: Vec<Column>,
    /// The selected backend, by pid: a re-sort or a refresh never moves the selection to
    /// another backend.
    pub selected: Option<i32>,
    /// Index of the selection in `rows`, kept so that when the selected backend ends the
    /// selection stays at the same place instead of jumping to the top.
    pub cursor: usize,
    /// First row shown.
    pub offset: usize,
    /// Indices into the shown snapshot's backends, filtered and sorted. Derived; rebuilt by
    /// [`ActivityView::rebuild`] whenever the data or the view settings change.
    pub rows: Vec<usize>,
}

impl Default for ActivityView {
    fn default() -> Self {
        Self {
            sort: Column::QueryAge,
            descending: true,
            filter: Filter::default(),
            show_idle: false,
            show_background: false,
            min_duration: None,
            columns: Column::ALL.to_vec(),
            selected: None,
            cursor: 0,
            offset: 0,
            rows: Vec::new(),
        }
    }
}

impl ActivityView {
    /// Whether the list shows sessions of `b`'s kind: background processes (WAL senders,
    /// autovacuum, parallel workers) only when asked. The header counts exactly these, so its
    /// figures and the list agree whatever the toggle.
    pub fn shows_kind(&self, b: &Backend) -> bool {
        self.show_background || b.is_client() || crate::slots::maybe_client(b)
    }

    fn visible(&self, b: &Backend, now: Micros) -> bool {
        (self.show_idle || b.state.as_deref() != Some("idle")) && self.shows_kind(b) && self.admits(b, now)
    }

    /// A filter or a least duration is set: the panes built on the sessions count fewer.
    pub fn narrows(&self) -> bool {
        !self.filter.is_empty() || self.min_duration.is_some()
    }

    /// `b` passes the filter and the least duration, which Waits and Connections apply too
    /// (the idle and background toggles are Activity's own).
    pub fn admits(&self, b: &Backend, now: Micros) -> bool {
        self.long_enough(b, now) && self.filter.matches(b, now)
    }

    /// The sessions of `all` (read at server time `now`) that the filter and the least
    /// duration admit: all of them, borrowed, when nothing narrows.
    pub fn narrowed<'a>(&self, all: &'a [Backend], now: Micros) -> std::borrow::Cow<'a, [Backend]> {
        if !self.narrows() {
            return std::borrow::Cow::Borrowed(all);
        }
        all.iter().filter(|b| self.admits(b, now)).cloned().collect()
    }

    /// What narrows the sessions, for the tab line of the panes built on them.
    pub fn narrowing(&self) -> String {
        let mut s = String::new();
        if !self.filter.is_empty() {
            s.push_str(" · filter: ");
            s.push_str(&crate::text::sanitize(&self.filter.text));
        }
        if let Some(min) = self.min_duration {
            let _ = std::fmt::Write::write_fmt(&mut s, format_args!(" · running ≥ {}s", min.as_secs_f64()));
        }
        s
    }

    /// The query has run for `min_duration` at `now` (the server's clock); a session without a
    /// query start never has.
    fn long_enough(&self, b: &Backend, now: Micros) -> bool {
        let Some(min) = self.min_duration else {
            return true;
        };
        let min = i64::try_from(min.as_micros()).unwrap_or(i64::MAX);
        b.query_start
            .is_some_and(|start| now.saturating_sub(start) >= min)
    }

    /// Recomputes `rows` from `backends` (read at server time `now`) and re-anchors the
    /// selection on its pid.
    pub fn rebuild(&mut self, backends: &[Backend], now: Micros, page: usize) {
        let mut rows = std::mem::take(&mut self.rows);
        rows.clear();
        rows.extend(
            backends
                .iter()
                .enumerate()
                .filter(|(_, b)| self.visible(b, now))
                .map(|(i, _)| i),
        );
        let (col, desc) = (self.sort, self.descending);
        rows.sort_by(|&x, &y| {
            let ord = col.compare(&backends[x], &backends[y]);
            let ord = if desc { ord.reverse() } else { ord };
            // Ties broken by pid so equal rows never swap places between refreshes.
            ord.then_with(|| backends[x].pid.cmp(&backends[y].pid))
        });
        self.rows = rows;
        let found = self
            .selected
            .and_then(|pid| self.rows.iter().position(|&i| backends[i].pid == pid));
        self.cursor = match found {
            Some(pos) => pos,
            None => self.cursor.min(self.rows.len().saturating_sub(1)),
        };
        self.selected = self.rows.get(self.cursor).map(|&i| backends[i].pid);
        self.scroll_into_view(page);
    }

    /// Moves the selection by `delta` rows (clamped) and keeps it on screen.
    pub fn move_by(&mut self, delta: isize, backends: &[Backend], page: usize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.rows.get(self.cursor).map(|&i| backends[i].pid);
        self.scroll_into_view(page);
    }

    fn scroll_into_view(&mut self, page: usize) {
        let page = page.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
        let max_offset = self.rows.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }
}

impl crate::state::views::View for super::Def {
    type Model = ActivityView;
}
