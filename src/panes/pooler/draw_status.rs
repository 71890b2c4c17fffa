//! The Pooler pane's status lines and the pooler's item in the header: which PgBouncer, how
//! fresh its data is (STALE like the database's), and why it is down. Reads state only; the
//! version and the cause are pooler text and pass the sanitizer.

use ratatui::text::{Line, Span};

use crate::config::theme::Theme;
use crate::snapshot::Link;
use crate::state::State;
use crate::text::{duration_us, sanitize};

/// The pooler's link in a few words: `ok`, `STALE`, `connecting…` or `down: <cause>`.
pub fn link_word(state: &State) -> Option<(String, bool)> {
    let v = &state.views.pooler;
    if !v.configured {
        return None;
    }
    Some(match &v.link {
        Link::Down { cause, .. } => (format!("down: {}", sanitize(&cause.to_string())), true),
        Link::Connecting => ("connecting…".to_owned(), false),
        Link::Connected if v.is_stale(state.now, state.every()) => ("STALE".to_owned(), true),
        Link::Connected => ("ok".to_owned(), false),
    })
}

/// ` · pooler ok` for the header's load line; nothing without a pooler.
pub fn header_spans<'a>(state: &State, theme: &Theme) -> Vec<Span<'a>> {
    let Some((word, bad)) = link_word(state) else {
        return Vec::new();
    };
    let style = if bad {
        theme.stale
    } else {
        theme.header_value
    };
    vec![
        Span::styled(" · pooler ", theme.header_label),
        Span::styled(word, style),
    ]
}

/// The status lines, as many as `layout::status_lines` counts.
pub fn lines<'a>(state: &State, theme: &Theme) -> Vec<Line<'a>> {
    let v = &state.views.pooler;
    let mut spans = Vec::new();
    match v.latest.as_deref() {
        Some(p) => spans.push(Span::styled(sanitize(&p.version).into_owned(), theme.header_value)),
        None if !v.configured => spans.push(Span::styled(
            "no pooler configured: start with --pooler CONNINFO",
            theme.footer,
        )),
        None => spans.push(Span::styled("waiting for the pooler…", theme.footer)),
    }
    if v.only {
        spans.push(Span::styled(
            " · pooler only (no database connection)",
            theme.header,
        ));
    }
    if let Some(read) = v.last_read
        && v.is_stale(state.now, state.every())
    {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" STALE ", theme.stale));
        spans.push(Span::styled(
            format!(" last read {} ago", duration_us(state.now.saturating_sub(read))),
            theme.warning,
        ));
    }
    let mut out = vec![Line::from(spans)];
    match &v.link {
        Link::Connected => {}
        Link::Connecting => out.push(Line::styled("pooler: connecting…", theme.warning)),
        // The retry first: the cause can be longer than the line.
        Link::Down { cause, retry_in } => out.push(Line::styled(
            format!(
                "pooler down, retry in {}: {}",
                duration_us(i64::try_from(retry_in.as_micros()).unwrap_or(i64::MAX)),
                sanitize(&cause.to_string())
            ),
            theme.error,
        )),
    }
    out
}
