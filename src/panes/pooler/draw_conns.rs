//! The Pooler pane's connection lists: server connections joined to the backends behind them
//! (pid, state, wait, query) with the client each one serves, and clients with the backend
//! they hold. Reads state only; cells are sanitized by `fit`, the unjoinable reasons here.

use ratatui::text::Line;

use super::columns::{CLIENTS, SERVERS};
use super::draw_shared::{error_line, row_style, title, wait_style};
use crate::config::theme::Theme;
use crate::pooler::Pooler;
use crate::pooler::join::BackendJoin;
use crate::pooler::model::Conn;
use crate::state::State;
use crate::text::{duration_us, sanitize};
use crate::ui::table::{Section, header, line};

/// `addr:port`, `n/a` for what this version does not report.
fn address(c: &Conn) -> String {
    match (&c.addr, c.port) {
        (Some(a), Some(p)) => format!("{a}:{p}"),
        (Some(a), None) => a.clone(),
        (None, _) => "n/a".to_owned(),
    }
}

/// Time since the connection was opened, on the pooler's own clock (whole seconds: `0s`, not
/// `0ms`, for one that just connected).
fn age(c: &Conn, clock: Option<i64>) -> String {
    match (clock, c.connect_secs) {
        (Some(now), Some(at)) if now > at => {
            duration_us(now.saturating_sub(at).saturating_mul(1_000_000))
        }
        (Some(_), Some(_)) => "0s".to_owned(),
        _ => "n/a".to_owned(),
    }
}

/// The backend column of server row `i`: its pid when joined, else why not.
fn backend_label(state: &State, i: usize, s: &Conn) -> String {
    match (state.views.pooler.join.rows.get(i).copied().flatten(), s.remote_pid) {
        (Some(BackendJoin::Joined { pid, .. }), _) => pid.to_string(),
        (Some(o), _) => o.label().to_owned(),
        (None, Some(pid)) => format!("({pid})"),
        (None, None) => "-".to_owned(),
    }
}

pub fn servers_section<'a>(p: &Pooler, state: &State, theme: &Theme, width: u16) -> Section<'a> {
    let lay = super::columns::servers(width);
    let v = &state.views.pooler;
    let mut head = vec![
        title(
            "SERVERS",
            "server connections and the backends behind them".to_owned(),
            theme,
        ),
        header(&SERVERS, &lay, theme.table_header),
    ];
    head.extend(
        v.join
            .unjoinable
            .iter()
            .map(|why| Line::styled(sanitize(&why.to_string()).into_owned(), theme.warning)),
    );
    let servers = match &p.servers {
        Ok(s) => s,
        Err(e) => {
            return Section {
                head,
                rows: vec![error_line("SERVERS", e, theme)],
                focus: None,
            };
        }
    };
    let activity = state.shown.as_deref().and_then(|s| s.activity.as_ref().ok());
    let clients = p.clients.as_deref().unwrap_or_default();
    let clock = p.clock_secs();
    let mut focus = None;
    let mut rows = Vec::with_capacity(servers.len().max(1));
    let start = v.starts()[1];
    for (i, s) in servers.iter().enumerate() {
        if v.is_cursor(start + i) {
            focus = Some(i);
        }
        let backend = activity.and_then(|a| v.join.backend(i, a));
        let client = v
            .links
            .server_client
            .get(i)
            .copied()
            .flatten()
            .and_then(|c| clients.get(c))
            .map_or_else(|| "-".to_owned(), address);
        let (bk_state, bk_wait, query) = backend.map_or_else(
            || (String::new(), String::new(), String::new()),
            |b| {
                let wait = match (&b.wait_event_type, &b.wait_event) {
                    (Some(t), Some(e)) => format!("{t}:{e}"),
                    _ => String::new(),
                };
                (b.state.clone().unwrap_or_default(), wait, b.query.clone())
            },
        );
        let wait_style = (!bk_wait.is_empty()).then_some(theme.state_waiting);
        let cells = vec![
            (backend_label(state, i, s), None),
            (s.state.clone(), None),
            (s.database.clone(), None),
            (s.user.clone(), None),
            (address(s), None),
            (age(s, clock), None),
            (client, None),
            (bk_state, None),
            (bk_wait, wait_style),
            (query, None),
        ];
        rows.push(line(&SERVERS, &lay, &cells, row_style(state, start + i, theme)));
    }
    if rows.is_empty() {
        rows.push(Line::styled("no server connection open", theme.footer));
    }
    Section { head, rows, focus }
}

pub fn clients_section<'a>(p: &Pooler, state: &State, theme: &Theme, width: u16) -> Section<'a> {
    let lay = super::columns::clients(width);
    let v = &state.views.pooler;
    let clients = match &p.clients {
        Ok(c) => c,
        Err(e) => {
            return Section {
                head: vec![
                    title("CLIENTS", String::new(), theme),
                    header(&CLIENTS, &lay, theme.table_header),
                ],
                rows: vec![error_line("CLIENTS", e, theme)],
                focus: None,
            };
        }
    };
    let waiting = clients.iter().filter(|c| c.state == "waiting").count();
    let head = vec![
        title(
            "CLIENTS",
            format!("{} connected, {waiting} waiting for a server", clients.len()),
            theme,
        ),
        header(&CLIENTS, &lay, theme.table_header),
    ];
    let servers = p.servers.as_deref().unwrap_or_default();
    let clock = p.clock_secs();
    let mut focus = None;
    let mut rows = Vec::with_capacity(clients.len().max(1));
    let start = v.starts()[2];
    for (n, &i) in v.client_order.iter().enumerate() {
        let Some(c) = clients.get(i) else { continue };
        if v.is_cursor(start + n) {
            focus = Some(n);
        }
        let backend = v
            .links
            .client_server
            .get(i)
            .copied()
            .flatten()
            .and_then(|s| Some(backend_label(state, s, servers.get(s)?)))
            .unwrap_or_else(|| "-".to_owned());
        let is_waiting = c.state == "waiting";
        let wait = if is_waiting {
            c.wait_us.map_or_else(|| "n/a".to_owned(), duration_us)
        } else {
            String::new()
        };
        let cells = vec![
            (c.state.clone(), is_waiting.then_some(theme.warning)),
            (c.database.clone(), None),
            (c.user.clone(), None),
            (address(c), None),
            (age(c, clock), None),
            (wait, wait_style(c.wait_us.filter(|_| is_waiting), theme)),
            (backend, None),
            (c.application_name.clone().unwrap_or_default(), None),
        ];
        rows.push(line(&CLIENTS, &lay, &cells, row_style(state, start + n, theme)));
    }
    if rows.is_empty() {
        rows.push(Line::styled("no client connected", theme.footer));
    }
    Section { head, rows, focus }
}
