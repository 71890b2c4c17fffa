//! What the Pooler pane's tables share: the `n/a` of a value this PgBouncer does not report,
//! section titles, a failed SHOW's line, the wait colours and the selected row's style.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::config::theme::Theme;
use crate::snapshot::PaneError;
use crate::state::State;
use crate::text::sanitize;

/// A wait this long (µs) is drawn as danger; any wait at all as a warning.
const MAXWAIT_DANGER_US: i64 = 1_000_000;

pub fn num(v: Option<i64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |n| n.to_string())
}

pub fn title<'a>(label: &str, rest: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!(" {label} "), theme.header_label),
        Span::styled(rest, theme.header),
    ])
}

pub fn error_line<'a>(what: &str, e: &PaneError, theme: &Theme) -> Line<'a> {
    Line::styled(
        format!("SHOW {what}: {}", sanitize(&e.to_string())),
        theme.error,
    )
}

pub fn wait_style(us: Option<i64>, theme: &Theme) -> Option<Style> {
    match us? {
        us if us >= MAXWAIT_DANGER_US => Some(theme.danger),
        us if us > 0 => Some(theme.warning),
        _ => None,
    }
}

/// The style of row `i` of the view's `rows`.
pub fn row_style(state: &State, i: usize, theme: &Theme) -> Style {
    if state.views.pooler.is_cursor(i) {
        theme.selection
    } else {
        theme.row
    }
}
