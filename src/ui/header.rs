//! The two header lines: what server, how busy, and how fresh the data is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::snapshot::{Link, Micros};
use crate::state::State;
use crate::text::{duration_us, sanitize};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let lines = vec![server_line(state, theme), load_line(state, theme)];
    frame.render_widget(Paragraph::new(lines), area);
}

fn pair<'a>(label: &'a str, value: String, theme: &Theme, style: Option<Style>) -> [Span<'a>; 2] {
    [
        Span::styled(label, theme.header_label),
        Span::styled(value, style.unwrap_or(theme.header_value)),
    ]
}

fn server_line<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled("pgscope ", theme.header_value)];
    let server = state.shown.as_deref().map(|s| &s.server);
    match server {
        Some(Ok(info)) => {
            let role = if info.in_recovery {
                "STANDBY"
            } else {
                "PRIMARY"
            };
            let version = sanitize(info.version.split_whitespace().next().unwrap_or("?"));
            spans.extend(pair("PG ", version.into_owned(), theme, None));
            spans.extend(pair(" · ", role.to_owned(), theme, None));
            spans.extend(pair(
                " · up ",
                duration_us(info.now - info.start_time),
                theme,
                None,
            ));
            let used = connections_used(state);
            let ratio = f64::from(used) / f64::from(info.max_connections.max(1));
            let style = if ratio >= 0.95 {
                Some(theme.danger)
            } else if ratio >= 0.8 {
                Some(theme.warning)
            } else {
                None
            };
            spans.extend(pair(
                " · conns ",
                format!("{used}/{}", info.max_connections),
                theme,
                style,
            ));
            let (tps, hit) = match state.rates {
                Some(r) => (
                    format!("{:.1}", r.tps),
                    r.hit_ratio
                        .map_or_else(|| "n/a".to_owned(), |h| format!("{:.2}%", h * 100.0)),
                ),
                None => ("…".to_owned(), "…".to_owned()),
            };
            spans.extend(pair(" · tps ", tps, theme, None));
            spans.extend(pair(" · hit ", hit, theme, None));
        }
        Some(Err(e)) => spans.push(Span::styled(
            format!("server info: {}", sanitize(&e.to_string())),
            theme.error,
        )),
        None => spans.push(Span::styled("connecting…", theme.header)),
    }
    Line::from(spans)
}

/// Client backends plus our own session: the slots that count against max_connections.
fn connections_used(state: &State) -> i32 {
    let clients = state.backends().iter().filter(|b| b.is_client()).count();
    i32::try_from(clients).unwrap_or(i32::MAX).saturating_add(1)
}

fn load_line<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    let (mut active, mut idle, mut idle_tx, mut waiting) = (0, 0, 0, 0);
    for b in state.backends() {
        match b.state.as_deref() {
            Some("active") => active += 1,
            Some("idle") => idle += 1,
            Some("idle in transaction" | "idle in transaction (aborted)") => idle_tx += 1,
            _ => {}
        }
        if b.is_waiting_on_lock() {
            waiting += 1;
        }
    }
    let mut spans = Vec::new();
    spans.extend(pair(
        "active ",
        active.to_string(),
        theme,
        Some(theme.state_active),
    ));
    spans.extend(pair(" · idle ", idle.to_string(), theme, None));
    spans.extend(pair(
        " · idle in tx ",
        idle_tx.to_string(),
        theme,
        (idle_tx > 0).then_some(theme.state_idle_tx),
    ));
    spans.extend(pair(
        " · lock waits ",
        waiting.to_string(),
        theme,
        (waiting > 0).then_some(theme.state_waiting),
    ));
    let updated = state.shown.as_deref().map(|s| s.taken_at);
    spans.extend(pair(
        " · updated ",
        updated.map_or_else(|| "--:--:--".to_owned(), |t| clock(t, state.utc_offset)),
        theme,
        None,
    ));
    spans.extend(pair(
        " · every ",
        duration_us(state.interval.as_micros() as i64),
        theme,
        None,
    ));
    if state.is_stale() {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" STALE ", theme.stale));
    }
    if state.paused {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" PAUSED ", theme.paused));
    }
    match &state.link {
        Link::Connected => {}
        Link::Connecting => spans.push(Span::styled("  connecting…", theme.warning)),
        Link::Down { cause, retry_in } => spans.push(Span::styled(
            format!(
                "  disconnected: {} (retry in {})",
                sanitize(cause),
                duration_us(retry_in.as_micros() as i64)
            ),
            theme.danger,
        )),
    }
    Line::from(spans)
}

/// `HH:MM:SS` of a client timestamp in the local time zone (offset fixed at start-up).
pub fn clock(t: Micros, utc_offset: i32) -> String {
    let secs = (t / 1_000_000 + i64::from(utc_offset)).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}
