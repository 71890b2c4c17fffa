//! The two header lines: what server, how busy, and how fresh the data is.

use std::time::Duration;

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
            spans.extend(transport(state, theme));
            spans.extend(crate::panes::replication::draw::header_spans(state, theme));
            spans.extend(pair(
                " · up ",
                duration_us(info.now - info.start_time),
                theme,
                None,
            ));
            let used = crate::slots::used(state.backends());
            let style = match state.thresholds.level(used, info.max_connections) {
                crate::slots::Level::Danger => Some(theme.danger),
                crate::slots::Level::Warning => Some(theme.warning),
                crate::slots::Level::Normal => None,
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
        None if state.pooler.only => {
            spans.push(Span::styled("PgBouncer admin console", theme.header));
        }
        None => spans.push(Span::styled("connecting…", theme.header)),
    }
    Line::from(spans)
}

fn load_line<'a>(state: &'a State, theme: &Theme) -> Line<'a> {
    if state.pooler.only {
        // No database: only the pooler's own freshness.
        let mut spans = vec![Span::styled(interval(state.every()), theme.header_value)];
        spans.insert(0, Span::styled("every ", theme.header_label));
        spans.extend(crate::panes::pooler::draw_status::header_spans(
            state, theme,
        ));
        return Line::from(spans);
    }
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
    let activity = state.shown.as_deref().map(|s| &s.activity);
    if let Some(Err(e)) = activity {
        // Zeros would read as an idle server: the counts are unknown while the read fails.
        spans.push(Span::styled(
            format!("sessions unknown: {}", sanitize(&e.to_string())),
            theme.error,
        ));
    } else {
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
        if let Some(text) = longest_lock_wait(state) {
            spans.push(Span::styled(text, theme.state_waiting));
        }
    }
    // The clock is that of the last data the counts came from.
    let updated = match activity {
        Some(Err(_)) => state.last_good,
        _ => state.shown.as_deref().map(|s| s.taken_at),
    };
    spans.extend(pair(
        " · updated ",
        updated.map_or_else(|| "--:--:--".to_owned(), |t| clock(t, state.utc_offset)),
        theme,
        None,
    ));
    let every = state.every();
    spans.extend(pair(" · every ", interval(every), theme, None));
    if every > state.interval {
        // Refreshes come less often than asked: one costs the server more than the budget.
        spans.push(Span::styled(" (paced)", theme.warning));
    }
    if state.is_stale() {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" STALE ", theme.stale));
    }
    if state.paused {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" PAUSED ", theme.paused));
    }
    spans.extend(crate::panes::pooler::draw_status::header_spans(
        state, theme,
    ));
    match &state.link {
        Link::Connected => {}
        Link::Connecting => spans.push(Span::styled("  connecting…", theme.warning)),
        Link::Down { cause, retry_in } => spans.push(Span::styled(
            format!(
                "  disconnected: {} (retry in {})",
                sanitize(&cause.to_string()),
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

/// ` (longest 1m20s)` from pg_locks.waitstart (14+, Locks pane on screen); otherwise the query
/// age of the lock waiters, labelled as such since a query may have waited only part of it.
fn longest_lock_wait(state: &State) -> Option<String> {
    let snapshot = state.shown.as_deref()?;
    let now = snapshot.activity.as_ref().ok()?.now;
    let locks = snapshot.panes.locks.as_ref().and_then(|l| l.as_ref().ok());
    let (age, waited) = crate::panes::locks::view::longest_wait(state.backends(), locks, now)?;
    let label = if waited { "longest" } else { "query age" };
    Some(format!(" ({label} {})", duration_us(age)))
}

/// How the connection travels: plaintext over the network and unverified TLS stand out.
fn transport<'a>(state: &State, theme: &Theme) -> Option<Span<'a>> {
    use crate::snapshot::Transport;
    let (label, style) = match state.shown.as_deref()?.caps.transport {
        Transport::Unknown => return None,
        Transport::Socket => (" · socket", theme.header_value),
        Transport::TlsVerified => (" · TLS verified", theme.header_value),
        Transport::TlsUnverified => (" · TLS unverified", theme.warning),
        Transport::Plaintext => (" · PLAINTEXT", theme.warning),
    };
    Some(Span::styled(label, style))
}

/// An interval as set by `+`/`-` or pacing: `250ms`, `1.75s`, `2m00s`.
fn interval(d: Duration) -> String {
    let ms = d.as_millis();
    if (1_000..60_000).contains(&ms) && !ms.is_multiple_of(1_000) {
        let frac = format!("{:03}", ms % 1_000);
        format!("{}.{}s", ms / 1_000, frac.trim_end_matches('0'))
    } else {
        duration_us(i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_text_keeps_its_digits() {
        let ms = Duration::from_millis;
        assert_eq!(interval(ms(250)), "250ms");
        assert_eq!(interval(ms(1_000)), "1s");
        assert_eq!(interval(ms(1_750)), "1.75s");
        assert_eq!(interval(ms(1_999)), "1.999s");
        assert_eq!(interval(ms(1_005)), "1.005s");
        assert_eq!(interval(ms(90_000)), "1m30s");
    }
}
