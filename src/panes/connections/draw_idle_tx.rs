//! The Connections pane's attention list: the sessions idle in transaction the longest, with
//! how long, their transaction age and how far they hold back vacuum (xmin age).

use super::columns::TX_COLS;
use crate::columns::Fit;
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

/// In the order of the config file's names and of [`TX_COLS`].
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
const _: () = assert!(TX_ORDER.len() == TX_COLS.len());

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
    let view = &state.views.connections;
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
        let fit_to = Fit {
            width: usize::from(area.width),
            wide_from: 0,
        };
        let cols = crate::columns::fit(
            &TX_COLS,
            state.tables.get(Table::ConnectionsIdleTx),
            fit_to,
            |_| 0,
        );
        let cells = |f: &dyn Fn(Tx) -> String| -> Vec<Span<'static>> {
            let mut spans = Vec::new();
            for (n, &(i, w)) in cols.iter().enumerate() {
                if n > 0 {
                    spans.push(Span::raw(" "));
                }
                let raw = f(TX_ORDER[i]);
                spans.push(Span::raw(if TX_COLS[i].right {
                    fit_right(&raw, w)
                } else {
                    fit(&raw, w)
                }));
            }
            spans
        };
        let titles = |c: Tx| {
            let i = TX_ORDER.iter().position(|x| *x == c).unwrap_or(0);
            TX_COLS[i].title.to_owned()
        };
        lines.push(Line::from(cells(&titles)).style(theme.table_header));
        for &i in view.idle_tx.iter().take(usize::from(area.height - 2)) {
            if let Some(b) = backends.get(i) {
                lines.push(Line::from(cells(&|c| tx_cell(b, c, now))).style(theme.row));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}
