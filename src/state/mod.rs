//! Everything the screen shows, owned by the app loop and changed only by `update`.

pub mod dialog;
pub mod filter;
pub mod tables;
pub mod views;

use std::sync::Arc;
use std::time::Duration;

pub use crate::panes::Pane;
use crate::rates::Rates;
use crate::snapshot::{Link, Micros, Snapshot};

/// Refresh intervals offered by `+`/`-`.
pub const INTERVALS_MS: [u64; 8] = [250, 500, 1_000, 2_000, 3_000, 5_000, 10_000, 30_000];

/// What has the keyboard.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Mode {
    #[default]
    Normal,
    /// Typing a filter; the text so far.
    Filter(String),
    Help(HelpView),
    Confirm(dialog::Confirm),
    Report(dialog::ReportView),
    Details(Box<dialog::DetailsView>),
    Explain(dialog::ExplainView),
}

/// The help overlay: how far it is scrolled and the search narrowing it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HelpView {
    /// First line shown.
    pub scroll: usize,
    pub search: String,
    /// The search is being typed: keys go into it.
    pub typing: bool,
}

#[derive(Debug, Clone)]
pub struct State {
    /// Client clock (µs since epoch), from the newest message.
    pub now: Micros,
    pub interval: Duration,
    pub paused: bool,
    pub link: Link,
    /// The snapshot on screen; frozen while paused.
    pub shown: Option<Arc<Snapshot>>,
    /// Client time of the newest snapshot whose header query succeeded.
    pub last_good: Option<Micros>,
    /// Rates from the two newest snapshots with server data.
    pub rates: Option<Rates>,
    /// The newest snapshot received, kept for rates while the view is paused.
    pub latest: Option<Arc<Snapshot>>,
    pub pane: Pane,
    pub mode: Mode,
    /// Every pane's view model, one field per pane of the registry.
    pub views: views::Views,
    /// Columns shown in the panes' tables (config file).
    pub tables: tables::TableColumns,
    /// Where things go at the terminal's size, computed once per resize.
    pub viewport: crate::layout::Viewport,
    /// Local time zone offset in seconds, fixed at start-up, for the header clock.
    pub utc_offset: i32,
    /// Backends tagged for a bulk action: pid → backend_start, so a reused pid is not hit.
    pub tagged: std::collections::BTreeMap<i32, Micros>,
    /// Set at start-up; nothing at runtime clears it.
    pub read_only: bool,
    /// Connection-slot levels for the header and the Connections pane (config file).
    pub thresholds: crate::slots::Thresholds,
    /// A one-line status for the footer (refusals, "disabled (read-only)", log problems).
    pub message: Option<String>,
    /// The live keys, for the help overlay's contents (the app sets the user's).
    pub keymap: Arc<crate::keymap::Keymap>,
}

impl State {
    pub fn new(interval: Duration, now: Micros) -> Self {
        Self {
            now,
            interval,
            paused: false,
            link: Link::Connecting,
            shown: None,
            last_good: None,
            rates: None,
            latest: None,
            pane: Pane::Activity,
            mode: Mode::Normal,
            views: views::Views::default(),
            tables: tables::TableColumns::default(),
            viewport: crate::layout::Viewport::default(),
            utc_offset: 0,
            tagged: std::collections::BTreeMap::new(),
            read_only: false,
            thresholds: crate::slots::Thresholds::default(),
            message: None,
            keymap: Arc::default(),
        }
    }

    /// The interval refreshes run at: the one asked for, or longer while paced.
    pub fn every(&self) -> Duration {
        let paced = self.latest.as_deref().map(|s| s.pacing);
        paced
            .filter(|p| p.asked == self.interval)
            .map_or(self.interval, |p| p.every.max(self.interval))
    }

    /// The data is older than max(2 × interval, 3 s), with the interval in effect.
    pub fn is_stale(&self) -> bool {
        let limit = (2 * self.every()).max(Duration::from_secs(3)).as_micros() as i64;
        match self.last_good {
            Some(t) => self.now.saturating_sub(t) > limit,
            None => false,
        }
    }

    /// Table rows that fit on screen: the terminal minus header, tabs, table header and footer.
    pub fn page_rows(&self) -> usize {
        self.viewport.page_rows()
    }

    /// The panes on the tab line: the Pooler pane only when a pooler is configured.
    pub fn tab_panes(&self) -> Vec<Pane> {
        Pane::ALL
            .iter()
            .copied()
            .filter(|p| *p != Pane::Pooler || self.views.pooler.configured)
            .collect()
    }

    /// The tab line at the terminal's width.
    pub fn tabs(&self) -> Vec<crate::layout::tabs::Tab> {
        crate::layout::tabs::place(&self.tab_panes(), self.pane, self.viewport.size.0)
    }

    /// Backends of the shown snapshot (empty when there is none or the pane failed).
    pub fn backends(&self) -> &[crate::snapshot::Backend] {
        self.shown
            .as_deref()
            .and_then(|s| s.activity.as_ref().ok())
            .map_or(&[], |a| a.backends.as_slice())
    }

    /// The server clock of the shown sessions, which filter ages are measured against.
    pub fn server_now(&self) -> crate::snapshot::Micros {
        self.shown
            .as_deref()
            .and_then(|s| s.activity.as_ref().ok())
            .map_or(0, |a| a.now)
    }
}
