//! The Progress pane's health sections: what holds back the xmin horizon, wraparound risk per
//! database, and autovacuum with the tables most overdue for vacuum.

use super::columns::{FREEZE, HOLDERS, OVERDUE};
use std::fmt::Write as _;

use ratatui::text::Line;

use crate::ui::panes::section_table::{
    Cells, Section, error_line, group, header, layout, layout_cells, line, percent, title,
};
use ratatui::style::Style;
use crate::config::theme::Theme;
use crate::snapshot::Micros;
use crate::panes::progress::data::{
    Blocked, DbAge, Freeze, HolderKind, HorizonHolder, Overdue, Progress,
};
use crate::state::State;
use crate::panes::progress::view::RowKey;
use crate::state::tables::Table;
use crate::text::{duration_us, sanitize};

/// Transaction and multixact ids wrap around at 2^31: the server stops assigning new ones
/// shortly before.
pub const WRAP_LIMIT: i64 = 1 << 31;




/// How close a freeze age is to trouble.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    /// Past autovacuum_freeze_max_age: anti-wraparound autovacuums are forced.
    Forced,
    /// Past half of the hard limit.
    Danger,
}

pub fn level(age: i64, freeze_max_age: i64) -> Level {
    if age >= WRAP_LIMIT / 2 {
        Level::Danger
    } else if freeze_max_age > 0 && age >= freeze_max_age {
        Level::Forced
    } else {
        Level::Ok
    }
}

/// `1 xid`, `12,345 xids`.
fn counted_group(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", group(n), if n == 1 { one } else { many })
}

/// What a held horizon blocks, for the section title and the tab line.
pub fn blocked(b: Blocked) -> String {
    format!(
        "{} in {} being vacuumed (those deleted since stay)",
        counted_group(b.dead_rows, "dead row", "dead rows"),
        if b.vacuums == 1 {
            "the table".to_owned()
        } else {
            format!("{} tables", b.vacuums)
        }
    )
}

pub fn who(h: &HorizonHolder) -> String {
    match (h.kind, h.pid) {
        (HolderKind::Backend | HolderKind::Standby, Some(pid)) => format!("pid {pid}"),
        (HolderKind::Slot, _) => format!("slot {}", sanitize(&h.name)),
        (HolderKind::Prepared, _) => format!("prepared {}", sanitize(&h.name)),
        _ => sanitize(&h.name).into_owned(),
    }
}

pub fn horizon_section<'a>(p: &Progress, state: &State, theme: &Theme, w: u16) -> Section<'a> {
    let rest = match p.horizon.as_ref().map(|h| h.first()) {
        Ok(Some(h)) => {
            let mut rest = format!("oldest {}, ", counted_group(h.xid_age, "xid", "xids"));
            if let Some(since) = h.since {
                let _ = write!(rest, "{} old, ", duration_us(p.now - since));
            }
            let _ = write!(rest, "held by {}", who(h));
            if let Some(b) = p.blocked() {
                let _ = write!(rest, " · blocks cleanup: {}", blocked(b));
            }
            rest.push_str(" · x: show it in Activity");
            rest
        }
        Ok(None) => "nothing holds back cleanup".to_owned(),
        Err(_) => String::new(),
    };
    let chosen = state.tables.get(Table::ProgressHorizon);
    let head = |lay: &[(usize, usize)]| {
        vec![
            title("XMIN HORIZON", rest.clone(), theme),
            header(&HOLDERS, lay, theme.table_header),
        ]
    };
    let holders = match &p.horizon {
        Ok(h) => h,
        Err(e) => {
            return Section {
                head: head(&layout(&HOLDERS, chosen, w)),
                rows: vec![error_line("xmin horizon", e, theme)],
                focus: None,
            };
        }
    };
    let mut focus = None;
    let rows = holders
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let selected = h.pid.is_some()
                && state.views.progress.selected == h.pid.map(|pid| RowKey::Holder { pid });
            if selected {
                focus = Some(i);
            }
            let kind = match h.kind {
                HolderKind::Backend => "session",
                HolderKind::Standby => "standby",
                HolderKind::Slot => "slot",
                HolderKind::Prepared => "prepared",
            };
            let state_text = match h.state.as_deref() {
                Some("idle in transaction") => "idle in tx".to_owned(),
                Some(s) => s.to_owned(),
                None => "-".to_owned(),
            };
            let accent = (!selected && h.state.as_deref() == Some("idle in transaction"))
                .then_some(theme.state_idle_tx);
            let cells = vec![
                (kind.to_owned(), None),
                (h.pid.map_or_else(String::new, |pid| pid.to_string()), None),
                (h.name.clone(), None),
                (h.datname.clone().unwrap_or_default(), None),
                (h.usename.clone().unwrap_or_default(), None),
                (state_text, accent),
                (h.what.clone(), None),
                (group(h.xid_age), None),
                (
                    h.since.map_or_else(String::new, |t| duration_us(p.now - t)),
                    None,
                ),
            ];
            let base = if selected { theme.selection } else { theme.row };
            (cells, base)
        })
        .collect::<Vec<_>>();
    let texts: Vec<Cells> = rows.iter().map(|(c, _)| c.clone()).collect();
    let lay = layout_cells(&HOLDERS, chosen, w, &texts);
    let head = head(&lay);
    let rows: Vec<Line<'a>> = rows
        .iter()
        .map(|(c, base)| line(&HOLDERS, &lay, c, *base))
        .collect();
    let rows = if rows.is_empty() {
        vec![Line::styled(
            "no snapshot, slot or prepared transaction holds it",
            theme.footer,
        )]
    } else {
        rows
    };
    Section { head, rows, focus }
}

pub fn freeze_section<'a>(p: &Progress, state: &State, theme: &Theme, w: u16) -> Section<'a> {
    let chosen = state.tables.get(Table::ProgressWraparound);
    let cells: Vec<(Cells, Style)> = match &p.freeze {
        Ok(f) => f.databases.iter().map(|d| freeze_cells(f, d, theme)).collect(),
        Err(_) => Vec::new(),
    };
    let texts: Vec<Cells> = cells.iter().map(|(c, _)| c.clone()).collect();
    let lay = layout_cells(&FREEZE, chosen, w, &texts);
    let rest = match &p.freeze {
        Ok(f) => {
            let shown = f.databases.len() as i64;
            let cap = if shown < f.total {
                format!(" · showing {shown} of {}", f.total)
            } else {
                String::new()
            };
            format!(
                "freeze_max_age {} · multixact {} · limit ~{}{cap}",
                group(f.freeze_max_age),
                group(f.multixact_freeze_max_age),
                group(WRAP_LIMIT)
            )
        }
        Err(_) => String::new(),
    };
    let head = vec![
        title("WRAPAROUND", rest, theme),
        header(&FREEZE, &lay, theme.table_header),
    ];
    let rows = match &p.freeze {
        Ok(_) => cells
            .iter()
            .map(|(c, base)| line(&FREEZE, &lay, c, *base))
            .collect(),
        Err(e) => vec![error_line("wraparound", e, theme)],
    };
    Section {
        head,
        rows,
        focus: None,
    }
}

fn freeze_cells(f: &Freeze, d: &DbAge, theme: &Theme) -> (Cells, Style) {
    let style = |age: i64, max: i64| match level(age, max) {
        Level::Ok => None,
        Level::Forced => Some(theme.warning),
        Level::Danger => Some(theme.danger),
    };
    let share = |age: i64, of: i64| {
        if of > 0 {
            percent(age as f64 / of as f64)
        } else {
            "n/a".to_owned()
        }
    };
    let xs = style(d.xid_age, f.freeze_max_age);
    let ms = style(d.mxid_age, f.multixact_freeze_max_age);
    let cells = vec![
        (d.datname.clone(), None),
        (group(d.xid_age), xs),
        (share(d.xid_age, f.freeze_max_age), xs),
        (share(d.xid_age, WRAP_LIMIT), xs),
        (group(d.mxid_age), ms),
        (share(d.mxid_age, f.multixact_freeze_max_age), ms),
        (share(d.mxid_age, WRAP_LIMIT), ms),
    ];
    (cells, theme.row)
}

pub fn overdue_section<'a>(p: &Progress, state: &State, theme: &Theme, w: u16) -> Section<'a> {
    let busy = state
        .backends()
        .iter()
        .filter(|b| b.backend_type == "autovacuum worker")
        .count();
    let mut rest = match &p.freeze {
        Ok(f) if !f.autovacuum => "autovacuum OFF".to_owned(),
        Ok(f) if !f.track_counts => "track_counts OFF: autovacuum cannot run".to_owned(),
        Ok(f) => format!("on · workers {busy}/{} busy", f.max_workers),
        Err(_) => format!("workers {busy} busy"),
    };
    if let Ok(o) = &p.overdue {
        let _ = write!(
            rest,
            " · {} tables past threshold · top {} of {} with dead tuples",
            o.over_threshold,
            o.tables.len(),
            o.with_dead
        );
    }
    let cells = match &p.overdue {
        Ok(o) => overdue_cells(o, p.now, theme),
        Err(_) => Vec::new(),
    };
    let lay = layout_cells(&OVERDUE, state.tables.get(Table::ProgressAutovacuum), w, &cells);
    let head = vec![
        title("AUTOVACUUM", rest, theme),
        header(&OVERDUE, &lay, theme.table_header),
    ];
    let rows = match &p.overdue {
        Ok(_) => cells
            .iter()
            .map(|c| line(&OVERDUE, &lay, c, theme.row))
            .collect(),
        Err(e) => vec![error_line("tables overdue for vacuum", e, theme)],
    };
    Section {
        head,
        rows,
        focus: None,
    }
}

fn overdue_cells(o: &Overdue, now: Micros, theme: &Theme) -> Vec<Cells> {
    let ago = |t: Option<Micros>| t.map_or_else(|| "never".to_owned(), |t| duration_us(now - t));
    o.tables
        .iter()
        .map(|t| {
            let over = t.dead > t.threshold;
            let accent = over.then_some(theme.warning);
            let cells = vec![
                (t.relname.clone(), None),
                (group(t.dead), accent),
                (group(t.threshold), None),
                (percent(t.dead as f64 / t.threshold.max(1) as f64), accent),
                (
                    if t.autovacuum_disabled { "off" } else { "" }.to_owned(),
                    Some(theme.warning),
                ),
                (ago(t.last_autovacuum), None),
                (ago(t.last_vacuum), None),
            ];
            cells
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level(1_000, 200_000_000), Level::Ok);
        assert_eq!(level(200_000_000, 200_000_000), Level::Forced);
        assert_eq!(level(1_100_000_000, 2_000_000_000), Level::Danger);
    }
}
