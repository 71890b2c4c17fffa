//! The Statements pane's view model: the previous read and the minute checkpoints (for the
//! interval and window rates), the mode and sort chosen, and the rows in display order with
//! the selection anchored on the entry's key. Rates are recomputed only when a new read
//! arrives; sorting and the mode change reorder what is kept.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use super::delta::{self, Break, Rate, Span};
use super::model::{Entry, Key, Read};
use super::window::{History, Window};
use crate::effect::StatementText;

/// What the figures cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Between the last two reads.
    #[default]
    Interval,
    Window(Window),
    /// Totals since the entry was created or reset.
    Cumulative,
}

impl Mode {
    /// `w`: interval → 1 → 5 → 15 minutes → cumulative → interval.
    #[must_use]
    pub fn next(self) -> Mode {
        match self {
            Mode::Interval => Mode::Window(Window::OneMinute),
            Mode::Window(Window::OneMinute) => Mode::Window(Window::FiveMinutes),
            Mode::Window(Window::FiveMinutes) => Mode::Window(Window::FifteenMinutes),
            Mode::Window(Window::FifteenMinutes) => Mode::Cumulative,
            Mode::Cumulative => Mode::Interval,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Interval => "interval",
            Mode::Window(Window::OneMinute) => "last 1 min",
            Mode::Window(Window::FiveMinutes) => "last 5 min",
            Mode::Window(Window::FifteenMinutes) => "last 15 min",
            Mode::Cumulative => "cumulative",
        }
    }

    pub fn rates(self) -> bool {
        self != Mode::Cumulative
    }
}

/// The sortable figures, in column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    Calls,
    #[default]
    Time,
    Mean,
    Rows,
    Hit,
    Read,
    HitPct,
    Temp,
    Wal,
    Plan,
}

impl Sort {
    pub const ALL: [Sort; 10] = [
        Sort::Calls,
        Sort::Time,
        Sort::Mean,
        Sort::Rows,
        Sort::Hit,
        Sort::Read,
        Sort::HitPct,
        Sort::Temp,
        Sort::Wal,
        Sort::Plan,
    ];

    #[must_use]
    pub fn step(self, forward: bool) -> Sort {
        let n = Sort::ALL.len();
        let i = Sort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Sort::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }]
    }
}

/// One row's figures: per second in the rate modes, totals in the cumulative one. `None` is
/// n/a (the extension version lacks the counter, or nothing to divide by).
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub key: Key,
    pub calls: f64,
    pub exec_ms: f64,
    pub mean_ms: Option<f64>,
    pub rows: f64,
    pub hit: f64,
    pub read: f64,
    pub hit_pct: Option<f64>,
    pub temp: f64,
    pub wal: Option<f64>,
    pub plan_ms: Option<f64>,
    /// How many hidden statements of other roles the row sums.
    pub hidden: u32,
    /// The cached text (raw server text: sanitized when drawn).
    pub text: Option<Arc<str>>,
    /// The text is longer than the cache keeps.
    pub cut: bool,
}

impl Figures {
    fn of_rate(r: &Rate, e: Option<&Entry>) -> Figures {
        Figures {
            key: r.key,
            calls: r.calls_s,
            exec_ms: r.exec_ms_s,
            mean_ms: r.mean_ms,
            rows: r.rows_s,
            hit: r.hit_s,
            read: r.read_s,
            hit_pct: r.hit_pct,
            temp: r.temp_written_s,
            wal: r.wal_bytes_s,
            plan_ms: r.plan_ms_s,
            hidden: e.map_or(0, |e| e.hidden),
            text: e.and_then(|e| e.text.clone()),
            cut: e.is_some_and(|e| e.text_cut),
        }
    }

    fn of_totals(e: &Entry) -> Figures {
        let c = &e.counters;
        let blocks = c.shared_hit.saturating_add(c.shared_read);
        Figures {
            key: e.key,
            calls: c.calls as f64,
            exec_ms: c.exec_ms,
            mean_ms: (c.calls > 0).then(|| c.exec_ms / c.calls as f64),
            rows: c.rows as f64,
            hit: c.shared_hit as f64,
            read: c.shared_read as f64,
            hit_pct: (blocks > 0).then(|| 100.0 * c.shared_hit as f64 / blocks as f64),
            temp: c.temp_written as f64,
            wal: c.wal_bytes,
            plan_ms: c.plan_ms,
            hidden: e.hidden,
            text: e.text.clone(),
            cut: e.text_cut,
        }
    }

    fn value(&self, sort: Sort) -> Option<f64> {
        match sort {
            Sort::Calls => Some(self.calls),
            Sort::Time => Some(self.exec_ms),
            Sort::Mean => self.mean_ms,
            Sort::Rows => Some(self.rows),
            Sort::Hit => Some(self.hit),
            Sort::Read => Some(self.read),
            Sort::HitPct => self.hit_pct,
            Sort::Temp => Some(self.temp),
            Sort::Wal => self.wal,
            Sort::Plan => self.plan_ms,
        }
    }
}

/// What the span of the shown figures says besides them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct About {
    /// Seconds the rates span (0 in cumulative mode).
    pub secs: f64,
    /// The counters do not continue the base read's, and why.
    pub broke: Option<Break>,
    /// Evictions within the span, when known.
    pub deallocs: Option<i64>,
    /// Execution ms per second over all entries.
    pub load_ms_s: f64,
    /// No base read yet to compute rates from.
    pub waiting: bool,
}

#[derive(Debug, Clone, Default)]
pub struct StatementsView {
    pub mode: Mode,
    pub sort: Sort,
    /// Ascending when true (`r`); figures sort largest first by default.
    pub ascending: bool,
    pub selected: Option<Key>,
    pub cursor: usize,
    /// The rows in display order. Derived by `rebuild`.
    pub rows: Vec<Figures>,
    pub about: About,
    /// Enter: the selected statement's text and figures instead of the table.
    pub details: bool,
    /// The full text read on demand for the details (the list keeps the first characters):
    /// `None` while it is read, or when the cached text is whole.
    pub full: Option<StatementText>,
    /// The statement whose full text was asked for (moving in the details asks for none).
    pub reading: Option<Key>,
    /// The read shown now, and the one before it (the interval's base).
    cur: Option<Arc<Read>>,
    prev: Option<Arc<Read>>,
    interval: Option<Result<Span, Break>>,
    history: History,
}

impl StatementsView {
    /// A read arrived: when it is new, the interval rates against the previous one, and the
    /// minute checkpoints. The same read again (not due yet) changes nothing.
    pub fn observe(&mut self, read: &Arc<Read>) {
        if self.cur.as_ref().is_some_and(|c| c.now == read.now) {
            return;
        }
        self.prev = self.cur.replace(Arc::clone(read));
        self.interval = self.prev.as_deref().map(|p| delta::interval(p, read));
        if matches!(self.interval, Some(Err(Break::Restart | Break::Reset { .. }))) {
            self.history.clear();
        }
        self.history.observe(read);
    }

    /// Figures of the read for the mode, sorted, with the selection re-anchored.
    pub fn rebuild(&mut self) {
        let Some(cur) = self.cur.clone() else {
            self.rows.clear();
            self.about = About::default();
            return;
        };
        let span = match self.mode {
            Mode::Interval => self.interval.clone(),
            Mode::Window(w) => self.history.rates(&cur, w),
            Mode::Cumulative => None,
        };
        self.about = About {
            waiting: self.mode.rates() && span.is_none(),
            ..About::default()
        };
        self.rows = match (self.mode, span) {
            (Mode::Cumulative, _) => cur
                .entries
                .iter()
                .map(Figures::of_totals)
                .collect(),
            (_, Some(Ok(span))) => {
                self.about.secs = span.secs;
                self.about.deallocs = span.deallocs;
                self.about.load_ms_s = span.load_ms_s;
                let entries: HashMap<Key, &Entry> =
                    cur.entries.iter().map(|e| (e.key, e)).collect();
                span.rates
                    .iter()
                    .map(|r| Figures::of_rate(r, entries.get(&r.key).copied()))
                    .collect()
            }
            (_, Some(Err(b))) => {
                self.about.broke = Some(b);
                Vec::new()
            }
            (_, None) => Vec::new(),
        };
        let (sort, asc) = (self.sort, self.ascending);
        self.rows.sort_by(|a, b| {
            let o = cmp(a.value(sort), b.value(sort));
            let o = if asc { o } else { o.reverse() };
            o.then_with(|| a.key.cmp(&b.key))
        });
        let found = self
            .selected
            .and_then(|k| self.rows.iter().position(|r| r.key == k));
        self.cursor = found.unwrap_or_else(|| self.cursor.min(self.rows.len().saturating_sub(1)));
        self.selected = self.rows.get(self.cursor).map(|r| r.key);
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.rows.get(self.cursor).map(|r| r.key);
    }

    /// The first row shown in `height` rows, keeping the cursor in view.
    pub fn first_shown(&self, height: usize) -> usize {
        if height == 0 || self.cursor < height {
            0
        } else {
            self.cursor + 1 - height
        }
    }

    /// The read the figures come from.
    pub fn read(&self) -> Option<&Read> {
        self.cur.as_deref()
    }

    /// The full text of a statement arrived: kept while its details are open.
    pub fn on_full_text(&mut self, text: StatementText) {
        if self.details && self.selected == Some(text.key) {
            self.full = Some(text);
        }
    }

    /// One entry's figures over the last interval, whatever the mode shown.
    pub fn interval_of(&self, key: Key) -> Option<Figures> {
        let span = self.interval.as_ref()?.as_ref().ok()?;
        let rate = span.rates.iter().find(|r| r.key == key)?;
        let entry = self.cur.as_deref()?.entries.iter().find(|e| e.key == key);
        Some(Figures::of_rate(rate, entry))
    }

    /// One entry's totals since it was created or reset, whatever the mode shown.
    pub fn totals_of(&self, key: Key) -> Option<Figures> {
        let entry = self.cur.as_deref()?.entries.iter().find(|e| e.key == key)?;
        Some(Figures::of_totals(entry))
    }

    /// The seconds the interval rates span, when there are rates.
    pub fn interval_secs(&self) -> Option<f64> {
        Some(self.interval.as_ref()?.as_ref().ok()?.secs)
    }
}

/// n/a sorts below every number, whatever the direction is reversed to.
fn cmp(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}

impl crate::state::views::View for super::Def {
    type Model = StatementsView;
}
