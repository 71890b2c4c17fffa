//! The Connections pane: slots used against the limits, churn and connection ages, sessions
//! grouped by database/user/application/client/type; the sessions idle in transaction below
//! them are drawn by `idle_tx`.

use crate::panes::connections::layout::{areas, group_layout, key_text};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_shared::age;
use crate::config::theme::Theme;
use crate::slots::Level;
use crate::snapshot::{Capabilities, Micros};
use crate::state::State;
use crate::panes::connections::view::ConnectionsView;
use crate::panes::connections::groups::{Group, GroupColumn};
use crate::state::tables::Table;
use crate::text::{counted, fit, fit_right, sanitize};

/// For the tab line: the grouping and how many groups.
pub fn summary(state: &State) -> String {
    let v = &state.views.connections;
    format!(
        "by {} · {}{}",
        v.grouping.label().to_lowercase(),
        counted(
            i64::try_from(v.groups.len()).unwrap_or(i64::MAX),
            "group",
            "groups"
        ),
        state.views.activity.narrowing()
    )
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
    let Some((snapshot, activity)) =
        crate::ui::panes::shown_activity(frame, area, state, theme, "connections")
    else {
        return;
    };
    let view = &state.views.connections;
    let [top, table, bottom] = areas(view, area);
    frame.render_widget(
        Paragraph::new(summary_lines(
            view,
            &snapshot.caps,
            &state.thresholds,
            theme,
        )),
        top,
    );
    draw_groups(frame, table, state, activity.now, theme);
    super::draw_idle_tx::draw(
        frame,
        bottom,
        state,
        &activity.backends,
        activity.now,
        theme,
    );
}

fn label<'a>(text: &'a str, theme: &Theme) -> Span<'a> {
    Span::styled(text, theme.header_label)
}

fn value<'a>(text: String, theme: &Theme) -> Span<'a> {
    Span::styled(text, theme.header_value)
}

fn summary_lines<'a>(
    view: &ConnectionsView,
    caps: &Capabilities,
    thresholds: &crate::slots::Thresholds,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let u = &view.usage;
    let level_style = match u.level_at(thresholds) {
        Level::Normal => theme.header_value,
        Level::Warning => theme.warning,
        Level::Danger => theme.danger,
    };
    let pct = f64::from(u.used()) * 100.0 / f64::from(u.max_connections.max(1));
    // With hidden sessions the figure counts every one that may be a client: an upper bound.
    let bound = if u.hidden_clients > 0 { "≤" } else { "" };
    let slots = vec![
        label("slots ", theme),
        Span::styled(
            format!("{bound}{}/{} ({pct:.0}%)", u.used(), u.max_connections),
            level_style,
        ),
        label(" · superuser reserved ", theme),
        value(u.superuser_reserved.to_string(), theme),
        label(" · reserved ", theme),
        value(
            u.reserved
                .map_or_else(|| "n/a".to_owned(), |r| r.to_string()),
            theme,
        ),
        label(" · ordinary free ", theme),
        Span::styled(u.ordinary_free().to_string(), level_style),
    ];
    let kinds = vec![
        label("clients ", theme),
        value(u.clients.to_string(), theme),
        label(" · not using slots: replication ", theme),
        value(u.replication.to_string(), theme),
        label(" · background ", theme),
        value(u.background.to_string(), theme),
    ];
    let a = &view.ages;
    let churn = view
        .churn
        .map_or_else(|| "…".to_owned(), |c| format!("{:.1}/s", c.per_sec));
    let mut ages = vec![
        label("new conns ", theme),
        value(churn, theme),
        label(" · conn age <1s ", theme),
        value(a.under_second.to_string(), theme),
        label(" · <1m ", theme),
        value(a.under_minute.to_string(), theme),
        label(" · <1h ", theme),
        value(a.under_hour.to_string(), theme),
        label(" · older ", theme),
        value(a.older.to_string(), theme),
    ];
    if a.unknown > 0 {
        ages.push(label(" · unknown ", theme));
        ages.push(value(a.unknown.to_string(), theme));
    }
    // pgscope's own session holds a slot and counts among the clients, but is not in the list:
    // named, so that the ages add up to the clients.
    ages.push(label(" · pgscope ", theme));
    ages.push(value("1".to_owned(), theme));
    let mut lines = vec![Line::from(slots), Line::from(kinds), Line::from(ages)];
    if u.hidden > 0 {
        lines.push(Line::styled(
            format!(
                "GRANT pg_read_all_stats TO {} to see {} hidden sessions (state, client, age)",
                sanitize(&caps.login),
                u.hidden,
            ),
            theme.warning,
        ));
    }
    lines
}


const _: () = assert!(GroupColumn::ALL.len() == Table::ConnectionsGroups.columns().len());

fn group_cell(g: &Group, col: GroupColumn, now: Micros) -> String {
    match col {
        GroupColumn::Key => key_text(&g.key),
        GroupColumn::Total => g.total.to_string(),
        GroupColumn::State(i) => g.states.get(i).copied().unwrap_or(0).to_string(),
        GroupColumn::StateAge => age(now, g.oldest_state),
        GroupColumn::ConnAge => age(now, g.oldest_start),
    }
}

fn draw_groups(frame: &mut Frame, area: Rect, state: &State, now: Micros, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let view = &state.views.connections;
    let cols = group_layout(view, state.tables.get(Table::ConnectionsGroups), area.width);
    let mut lines = Vec::with_capacity(usize::from(area.height));
    let mut header = Vec::new();
    for (i, &(col, w)) in cols.iter().enumerate() {
        let sorted = col == view.sort;
        let mut text = col.label(view.grouping).to_owned();
        if sorted {
            text.push(if view.descending { '▼' } else { '▲' });
        }
        if i > 0 {
            header.push(Span::styled(" ", theme.table_header));
        }
        let cell = if col == GroupColumn::Key {
            fit(&text, w)
        } else {
            fit_right(&text, w)
        };
        let style = if sorted {
            theme.table_header_sorted
        } else {
            theme.table_header
        };
        header.push(Span::styled(cell, style));
    }
    lines.push(Line::from(header));
    let page = usize::from(area.height - 1);
    let offset = view.offset.min(view.groups.len().saturating_sub(page));
    for g in view.groups.iter().skip(offset).take(page) {
        let selected = view.selected.as_ref() == Some(&g.key);
        let base = if selected { theme.selection } else { theme.row };
        let mut spans = Vec::new();
        for (i, &(col, w)) in cols.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" ", base));
            }
            let raw = group_cell(g, col, now);
            let text = if col == GroupColumn::Key {
                fit(&raw, w)
            } else {
                fit_right(&raw, w)
            };
            spans.push(Span::styled(
                text,
                cell_style(col, g, base, selected, theme),
            ));
        }
        lines.push(Line::from(spans));
    }
    if view.groups.is_empty() {
        lines.push(Line::styled("no sessions", theme.footer));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// State counts take their state's color when not zero.
fn cell_style(col: GroupColumn, g: &Group, base: Style, selected: bool, theme: &Theme) -> Style {
    let GroupColumn::State(i) = col else {
        return base;
    };
    if selected || g.states.get(i).copied().unwrap_or(0) == 0 {
        return base;
    }
    match i {
        0 => theme.state_active,
        2 | 3 => theme.state_idle_tx,
        _ => base,
    }
}
