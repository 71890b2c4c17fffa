//! The Connections pane's attention list: the sessions idle in transaction the longest, with
//! how long, their transaction age and how far they hold back vacuum (xmin age).

use crate::columns::fit_columns;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_shared::age;
use crate::config::theme::Theme;
use crate::snapshot::{Backend, Micros};
use crate::state::State;
use crate::state::tables::Table;
use crate::text::{fit, fit_right};

/// Columns of the idle-in-transaction list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tx {
    Pid,
    User,
    Db,
    App,
    State,
    Idle,
    Xact,
    XminAge,
    Query,
}

/// In the order of the config file's names.
const TX_ORDER: [Tx; 9] = [
    Tx::Pid,
    Tx::User,
    Tx::Db,
    Tx::App,
    Tx::State,
    Tx::Idle,
    Tx::Xact,
    Tx::XminAge,
    Tx::Query,
];
const _: () = assert!(TX_ORDER.len() == Table::ConnectionsIdleTx.columns().len());
const TX_PRIORITY: [Tx; 9] = [
    Tx::Pid,
    Tx::Idle,
    Tx::XminAge,
    Tx::User,
    Tx::Query,
    Tx::Xact,
    Tx::Db,
    Tx::App,
    Tx::State,
];

impl Tx {
    fn label(self) -> &'static str {
        match self {
            Tx::Pid => "PID",
            Tx::User => "USER",
            Tx::Db => "DB",
            Tx::App => "APP",
            Tx::State => "STATE",
            Tx::Idle => "IDLE FOR",
            Tx::Xact => "XACT AGE",
            Tx::XminAge => "XMIN AGE",
            Tx::Query => "LAST QUERY",
        }
    }

    fn width(self) -> usize {
        match self {
            Tx::Pid => 7,
            Tx::User | Tx::Db | Tx::State => 10,
            Tx::App => 12,
            Tx::Idle | Tx::Xact | Tx::XminAge => 9,
            Tx::Query => 16,
        }
    }

    fn numeric(self) -> bool {
        matches!(self, Tx::Pid | Tx::Idle | Tx::Xact | Tx::XminAge)
    }
}

fn tx_cell(b: &Backend, col: Tx, now: Micros) -> String {
    let or_dash = |v: &Option<String>| v.as_deref().unwrap_or("-").to_owned();
    match col {
        Tx::Pid => b.pid.to_string(),
        Tx::User => or_dash(&b.usename),
        Tx::Db => or_dash(&b.datname),
        Tx::App => b.application_name.clone(),
        Tx::State => match b.state.as_deref() {
            Some("idle in transaction (aborted)") => "aborted tx".to_owned(),
            _ => "idle in tx".to_owned(),
        },
        Tx::Idle => age(now, b.state_change),
        Tx::Xact => age(now, b.xact_start),
        Tx::XminAge => b.xmin_age.map_or_else(|| "-".to_owned(), |x| x.to_string()),
        Tx::Query => b.query.clone(),
    }
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    backends: &[Backend],
    now: Micros,
    theme: &Theme,
) {
    if area.height == 0 {
        return;
    }
    let view = &state.connections;
    let title = if view.idle_tx_total == 0 {
        Line::styled("no sessions idle in transaction", theme.footer)
    } else {
        Line::styled(
            format!(
                "idle in transaction: {}, longest first (they hold back vacuum)",
                view.idle_tx_total
            ),
            theme.state_idle_tx,
        )
    };
    let mut lines = vec![title];
    if view.idle_tx_total > 0 && area.height >= 2 {
        let order: Vec<Tx> = state
            .tables
            .get(Table::ConnectionsIdleTx)
            .iter()
            .filter_map(|&i| TX_ORDER.get(i).copied())
            .collect();
        let priority: Vec<Tx> = TX_PRIORITY
            .into_iter()
            .filter(|c| order.contains(c))
            .collect();
        let cols = fit_columns(
            &order,
            &priority,
            Tx::width,
            Tx::Query,
            usize::from(area.width),
        );
        let cells = |f: &dyn Fn(Tx) -> String| -> Vec<Span<'static>> {
            let mut spans = Vec::new();
            for (i, &(col, w)) in cols.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw(" "));
                }
                let raw = f(col);
                spans.push(Span::raw(if col.numeric() {
                    fit_right(&raw, w)
                } else {
                    fit(&raw, w)
                }));
            }
            spans
        };
        lines.push(Line::from(cells(&|c| c.label().to_owned())).style(theme.table_header));
        for &i in view.idle_tx.iter().take(usize::from(area.height - 2)) {
            if let Some(b) = backends.get(i) {
                lines.push(Line::from(cells(&|c| tx_cell(b, c, now))).style(theme.row));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}
