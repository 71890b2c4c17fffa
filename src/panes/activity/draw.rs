//! The Activity pane: one line per backend, columns chosen to fit the width.

use crate::panes::activity::layout::view_layout;
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::config::theme::Theme;
use crate::snapshot::{Backend, Micros};
use crate::state::State;
use crate::panes::activity::columns::Column;
use crate::text::{duration_us, fit, fit_right, sanitize};

/// "N of M backends" for the tab line, with the active filter.
pub fn summary(state: &State) -> String {
    let total = state.backends().len();
    let shown = state.views.activity.rows.len();
    let mut s = format!("{shown} of {total} backends");
    if !state.tagged.is_empty() {
        let _ = write!(s, " · {} tagged", state.tagged.len());
    }
    if !state.views.activity.filter.is_empty() {
        let _ = write!(s, " · filter: {}", sanitize(&state.views.activity.filter.text));
    }
    let hidden: Vec<&str> = [
        (!state.views.activity.show_idle).then_some("idle"),
        (!state.views.activity.show_background).then_some("background"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !hidden.is_empty() {
        let _ = write!(s, " · hiding {}", hidden.join(", "));
    }
    s
}

impl crate::ui::pane::Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        draw(frame, area, state, theme);
    }

    fn summary(state: &State) -> String {
        summary(state)
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some((snapshot, activity)) = crate::ui::panes::shown_activity(frame, area, state, theme, "activity")
    else {
        return;
    };
    let cols = view_layout(area.width, &state.views.activity);
    let mut lines = Vec::with_capacity(usize::from(area.height));
    lines.push(header_line(&cols, state, theme));
    let page = usize::from(area.height.saturating_sub(1));
    // The offset is kept in range by `update`; clamp anyway so a resize race draws, not panics.
    let offset = state
        .views
        .activity
        .offset
        .min(state.views.activity.rows.len().saturating_sub(page));
    let blocked_unknown = !snapshot.caps.can_blocking_pids;
    for &i in state.views.activity.rows.iter().skip(offset).take(page) {
        let Some(b) = activity.backends.get(i) else {
            continue;
        };
        let selected = state.views.activity.selected == Some(b.pid);
        let tagged =
            b.backend_start.is_some() && state.tagged.get(&b.pid) == b.backend_start.as_ref();
        let marks = Marks {
            selected,
            tagged,
            blocked_unknown,
        };
        lines.push(row_line(b, &cols, activity.now, marks, theme));
    }
    if state.views.activity.rows.is_empty() {
        lines.push(Line::styled("no backends match", theme.footer));
    }
    crate::ui::lines::draw(frame.buffer_mut(), area, &lines);
}

fn header_line<'a>(cols: &[(Column, usize)], state: &State, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::with_capacity(cols.len() * 2);
    for (i, &(col, w)) in cols.iter().enumerate() {
        let sorted = col == state.views.activity.sort;
        let label = if sorted {
            format!(
                "{}{}",
                col.label(),
                if state.views.activity.descending {
                    "▼"
                } else {
                    "▲"
                }
            )
        } else {
            col.label().to_owned()
        };
        let text = if col.numeric() {
            fit_right(&label, w)
        } else {
            fit(&label, w)
        };
        let style = if sorted {
            theme.table_header_sorted
        } else {
            theme.table_header
        };
        if i > 0 {
            spans.push(Span::styled(" ", theme.table_header));
        }
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

fn age(now: Micros, start: Option<Micros>) -> String {
    start.map_or_else(String::new, |t| duration_us(now - t))
}

/// Text of one cell, before fitting.
pub fn cell(b: &Backend, col: Column, now: Micros) -> String {
    let or_dash = |v: &Option<String>| v.as_deref().unwrap_or("-").to_owned();
    match col {
        Column::Pid => b.pid.to_string(),
        Column::Database => or_dash(&b.datname),
        Column::User => or_dash(&b.usename),
        Column::Application => b.application_name.clone(),
        Column::Client => or_dash(&b.client),
        Column::BackendType => b.backend_type.clone(),
        Column::State => match b.state.as_deref() {
            // Abbreviated so the column stays narrow; the filter still matches the full text.
            Some("idle in transaction") => "idle in tx".to_owned(),
            Some("idle in transaction (aborted)") => "aborted tx".to_owned(),
            _ => or_dash(&b.state),
        },
        Column::Wait => match (&b.wait_event_type, &b.wait_event) {
            (Some(t), Some(e)) => format!("{t}:{e}"),
            (Some(t), None) => t.clone(),
            _ => String::new(),
        },
        Column::XactAge => age(now, b.xact_start),
        Column::QueryAge => age(now, b.query_start),
        Column::StateAge => age(now, b.state_change),
        Column::BlockedBy => blocked_by(&b.blocked_by),
        Column::Query => b.query.clone(),
    }
}

/// The first blocker, and how many more: `12345 +2`. pg_blocking_pids() reports a prepared
/// transaction as pid 0.
fn blocked_by(pids: &[i32]) -> String {
    let first = match pids.first() {
        None => return String::new(),
        Some(0) => "prepared".to_owned(),
        Some(p) => p.to_string(),
    };
    match pids.len() {
        1 => first,
        n => format!("{first} +{}", n - 1),
    }
}

fn state_style(b: &Backend, theme: &Theme) -> Option<Style> {
    if b.is_waiting_on_lock() {
        return Some(theme.state_waiting);
    }
    match b.state.as_deref() {
        Some("active") => Some(theme.state_active),
        Some("idle") => Some(theme.state_idle),
        Some(s) if s.starts_with("idle in transaction") => Some(theme.state_idle_tx),
        _ => None,
    }
}

/// How one row is marked besides its data.
#[derive(Clone, Copy)]
struct Marks {
    selected: bool,
    tagged: bool,
    /// pg_blocking_pids() may not be called: a lock waiter's blockers are unknown, not none.
    blocked_unknown: bool,
}

fn row_line<'a>(
    b: &Backend,
    cols: &[(Column, usize)],
    now: Micros,
    Marks {
        selected,
        tagged,
        blocked_unknown,
    }: Marks,
    theme: &Theme,
) -> Line<'a> {
    let base = if selected { theme.selection } else { theme.row };
    let accent = state_style(b, theme).filter(|_| !selected);
    let mut spans = Vec::with_capacity(cols.len() * 2);
    for (i, &(col, w)) in cols.iter().enumerate() {
        let mut raw = cell(b, col, now);
        if tagged && col == Column::Pid {
            // Tagged for a bulk action.
            raw.insert(0, '*');
        }
        if blocked_unknown && col == Column::BlockedBy && b.is_waiting_on_lock() {
            "n/a".clone_into(&mut raw);
        }
        let text = if col.numeric() {
            fit_right(&raw, w)
        } else {
            fit(&raw, w)
        };
        let style = match (col, accent) {
            (Column::State | Column::Wait | Column::BlockedBy, Some(a)) => a,
            _ => base,
        };
        if i > 0 {
            spans.push(Span::styled(" ", base));
        }
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::blocked_by;

    #[test]
    fn several_blockers_show_the_first_and_a_count() {
        assert_eq!(blocked_by(&[]), "");
        assert_eq!(blocked_by(&[12345]), "12345");
        assert_eq!(blocked_by(&[12345, 2, 3]), "12345 +2");
        assert_eq!(blocked_by(&[0, 7]), "prepared +1");
    }
}
