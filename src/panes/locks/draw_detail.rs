//! The Locks pane's lower half: the selected node's locks (held and awaited), and pg_locks
//! grouped by type, object, mode and granted, capped on the server ("showing N of M").

use crate::columns::Fit;
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::columns::LIST;
use super::draw_shared::{grant_hint, node_label};
use crate::config::theme::Theme;
use crate::panes::locks::data::{Lock, Locks, short_mode};
use crate::snapshot::{Activity, PaneError};
use crate::state::State;
use crate::panes::locks::tree::NodeKey;
use crate::state::tables::Table;
use crate::text::{counted, duration_us, fit, sanitize};
use crate::ui::table::{header, line};

/// Lock details are missing: not collected yet, or the query failed (with the grant to fix it).
fn unavailable<'a>(
    locks: Option<&Result<Locks, PaneError>>,
    state: &State,
    theme: &Theme,
) -> Option<Vec<Line<'a>>> {
    match locks {
        Some(Ok(_)) => None,
        None => Some(vec![Line::styled(
            "lock details: collecting…",
            theme.footer,
        )]),
        Some(Err(e)) => {
            let mut lines = vec![Line::styled(
                format!("lock details n/a: {}", sanitize(&e.to_string())),
                theme.error,
            )];
            let login = state.shown.as_deref().map_or("", |s| s.caps.login.as_str());
            if let Some(hint) = grant_hint(e, login) {
                lines.push(Line::styled(hint, theme.warning));
            }
            Some(lines)
        }
    }
}

/// What the selected node is, waits for and holds.
pub fn draw_selected(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    activity: &Activity,
    locks: Option<&Result<Locks, PaneError>>,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let Some(row) = state.views.locks.selected_row() else {
        return;
    };
    let now = activity.now;
    let b = row.backend.and_then(|i| activity.backends.get(i));
    let mut title = node_label(row)
        .trim_start_matches([' ', '│', '├', '└', '─'])
        .to_owned();
    if let Some(b) = b {
        let _ = write!(
            title,
            " · {}@{} · {}",
            b.usename.as_deref().unwrap_or("-"),
            b.datname.as_deref().unwrap_or("-"),
            b.application_name
        );
    }
    if let Some(p) = &row.prepared {
        let _ = write!(
            title,
            " · {}@{} · end it with COMMIT PREPARED or ROLLBACK PREPARED",
            p.owner.as_deref().unwrap_or("-"),
            p.database.as_deref().unwrap_or("-")
        );
    }
    let _ = write!(title, " · blocks {}", row.blocked_below);
    if row.multi {
        title.push_str(" · blocked by several (listed under each)");
    }
    if row.cycle {
        title.push_str(" · lock cycle: it waits on its own waiters");
    }
    let mut lines = vec![Line::styled(fit(&title, width), theme.table_header)];
    if let Some(b) = b {
        lines.push(Line::styled(fit(&b.query, width), theme.row));
    }
    if let Some(more) = unavailable(locks, state, theme) {
        lines.extend(more);
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let Some(Ok(locks)) = locks else {
        return;
    };
    let lock = |i: Option<usize>| i.and_then(|i| locks.contended.get(i));
    if let Some(w) = lock(row.wants) {
        let mut s = format!("waits for {} on {}", w.mode, w.target.describe());
        if let Some(t) = w.waitstart {
            let _ = write!(s, " for {}", duration_us(now - t));
        }
        if let (Some(h), Some(parent)) = (lock(row.parent_holds), &row.parent) {
            let who = match parent {
                NodeKey::Pid(pid) => format!("pid {pid}"),
                NodeKey::Prepared(gid) => format!("prepared xact {gid}"),
            };
            let how = if h.granted {
                "holds"
            } else {
                "is queued ahead for"
            };
            let _ = write!(s, "; {who} {how} {}", h.mode);
        }
        lines.push(Line::styled(fit(&s, width), theme.state_waiting));
    }
    let pid = match row.key {
        NodeKey::Pid(pid) => Some(pid),
        NodeKey::Prepared(_) => None,
    };
    let own: Vec<&Lock> = match pid {
        Some(pid) => locks.by_pid.iter().filter(|l| l.pid == Some(pid)).collect(),
        None => locks
            .contended
            .iter()
            .filter(|l| l.pid.is_none() && l.prepared == row.prepared)
            .collect(),
    };
    let lay = list_layout(state, width);
    for l in own {
        lines.push(lock_line(l, &lay, theme));
    }
    frame.render_widget(Paragraph::new(lines), area);
}


fn list_layout(state: &State, width: usize) -> Vec<(usize, usize)> {
    let fit_to = Fit {
        width,
        wide_from: 0,
    };
    crate::columns::fit(&LIST, state.tables.get(Table::LocksList), fit_to, |i| {
        LIST[i].width
    })
}

fn lock_line<'a>(l: &Lock, lay: &[(usize, usize)], theme: &Theme) -> Line<'a> {
    let (granted, style) = if l.granted {
        ("held", theme.row)
    } else {
        ("WAITING", theme.state_waiting)
    };
    let count = if l.count > 1 {
        format!("×{}", l.count)
    } else {
        String::new()
    };
    let cells = [
        (granted.to_owned(), None),
        (l.target.short_type().to_owned(), None),
        (short_mode(&l.mode).to_owned(), None),
        (count, None),
        (l.target.describe(), None),
    ];
    line(&LIST, lay, &cells, style)
}

/// pg_locks grouped, waiting groups first, biggest first.
pub fn draw_list(
    frame: &mut Frame,
    area: Rect,
    locks: Option<&Result<Locks, PaneError>>,
    state: &State,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    if let Some(lines) = unavailable(locks, state, theme) {
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let Some(Ok(locks)) = locks else {
        return;
    };
    let title = format!(
        "pg_locks: {} in {}{}",
        counted(locks.locks_total, "lock", "locks"),
        counted(locks.groups_total, "group", "groups"),
        if locks.groups_total > locks.groups.len() as i64 {
            format!(
                " (showing {} of {})",
                locks.groups.len(),
                locks.groups_total
            )
        } else {
            String::new()
        }
    );
    let lay = list_layout(state, width);
    let mut lines = vec![
        Line::styled(fit(&title, width), theme.header),
        header(&LIST, &lay, theme.table_header),
    ];
    let page = usize::from(area.height.saturating_sub(2));
    let offset = if state.views.locks.show_list {
        state
            .views
            .locks
            .list_offset
            .min(locks.groups.len().saturating_sub(page))
    } else {
        0
    };
    for l in locks.groups.iter().skip(offset).take(page) {
        lines.push(lock_line(l, &lay, theme));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
