//! The details view of one backend: every field, who it blocks and who blocks it, its locks,
//! and the full query text (fetched for this pid only), scrollable, keywords highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::block;
use crate::config::theme::Theme;
use crate::snapshot::{Backend, Micros};
use crate::state::State;
use crate::state::dialog::DetailsView;
use crate::text::{duration_us, sanitize, wrap};

const KEYWORDS: [&str; 28] = [
    "SELECT",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "INSERT",
    "INTO",
    "VALUES",
    "UPDATE",
    "SET",
    "DELETE",
    "JOIN",
    "LEFT",
    "INNER",
    "ON",
    "GROUP",
    "BY",
    "ORDER",
    "LIMIT",
    "WITH",
    "AS",
    "BEGIN",
    "COMMIT",
    "RETURNING",
    "HAVING",
    "UNION",
    "CASE",
];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &DetailsView, theme: &Theme) {
    let b = &view.backend;
    let now = state
        .shown
        .as_deref()
        .and_then(|s| s.activity.as_ref().ok())
        .map_or(state.now, |a| a.now);
    let inner = usize::from(area.width.saturating_sub(2)).max(1);
    let mut lines = fields(b, now, theme);
    let blocks: Vec<String> = state
        .backends()
        .iter()
        .filter(|o| o.blocked_by.contains(&b.pid))
        .map(|o| o.pid.to_string())
        .collect();
    lines.push(field("blocks", &blocks.join(", "), theme));
    match &view.fetched {
        None => lines.push(Line::styled(
            "fetching the full query and locks…",
            theme.footer,
        )),
        Some(d) => {
            if let Some(e) = &d.error {
                lines.push(Line::styled(
                    sanitize(&e.to_string()).into_owned(),
                    theme.error,
                ));
            }
            let xmin = d
                .backend_xmin_age
                .map_or_else(|| "-".to_owned(), |a| format!("{a} xids"));
            lines.push(field("snapshot xmin age", &xmin, theme));
            lines.push(field(
                "progress",
                d.progress.as_deref().unwrap_or("-"),
                theme,
            ));
            lines.push(Line::styled("locks", theme.table_header));
            for l in &d.locks {
                let status = if l.granted { "held   " } else { "WAITING" };
                let style = if l.granted {
                    theme.row
                } else {
                    theme.state_waiting
                };
                lines.push(Line::styled(
                    sanitize(&format!(
                        "  {status} {} {} {}",
                        l.mode, l.locktype, l.object
                    ))
                    .into_owned(),
                    style,
                ));
            }
            if d.truncated {
                lines.push(Line::styled(
                    "query text truncated at track_activity_query_size",
                    theme.warning,
                ));
            }
        }
    }
    lines.push(Line::styled("query", theme.table_header));
    let query = view.formatted.as_deref().unwrap_or(&b.query);
    let height = usize::from(area.height.saturating_sub(2));
    // Only what fits is wrapped and styled: a 1 MB query costs no more than a short one.
    let needed = view.scroll + height;
    for raw in query.split('\n') {
        if lines.len() >= needed {
            break;
        }
        let clean = sanitize(raw);
        for piece in wrap(&clean, inner) {
            lines.push(highlight(piece, theme));
            if lines.len() >= needed {
                break;
            }
        }
    }
    let shown: Vec<Line> = lines.into_iter().skip(view.scroll).collect();
    frame.render_widget(Clear, area);
    let title = format!(
        " pid {} — j/k scroll · y copy · e EXPLAIN · c/K act · Esc close ",
        b.pid
    );
    frame.render_widget(Paragraph::new(shown).block(block(title, theme)), area);
}

fn field<'a>(name: &str, value: &str, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{name:>18}  "), theme.header_label),
        Span::styled(sanitize(value).into_owned(), theme.header_value),
    ])
}

fn fields<'a>(b: &Backend, now: Micros, theme: &Theme) -> Vec<Line<'a>> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    let age = |t: Option<Micros>| t.map_or_else(|| "-".to_owned(), |t| duration_us(now - t));
    let wait = match (&b.wait_event_type, &b.wait_event) {
        (Some(t), Some(e)) => format!("{t}:{e}"),
        _ => "-".to_owned(),
    };
    let blocked: Vec<String> = b.blocked_by.iter().map(ToString::to_string).collect();
    vec![
        field("pid", &b.pid.to_string(), theme),
        field("user", &opt(&b.usename), theme),
        field("database", &opt(&b.datname), theme),
        field("application", &b.application_name, theme),
        field("client", &opt(&b.client), theme),
        field("backend type", &b.backend_type, theme),
        field("state", &opt(&b.state), theme),
        field("wait event", &wait, theme),
        field("session age", &age(b.backend_start), theme),
        field("transaction age", &age(b.xact_start), theme),
        field("query age", &age(b.query_start), theme),
        field("state age", &age(b.state_change), theme),
        field("blocked by", &blocked.join(", "), theme),
        field(
            "parallel leader",
            &b.leader_pid
                .map_or_else(|| "-".to_owned(), |p| p.to_string()),
            theme,
        ),
        field(
            "query id",
            &b.query_id
                .map_or_else(|| "n/a".to_owned(), |q| q.to_string()),
            theme,
        ),
    ]
}

/// SQL keywords stand out; everything else keeps the row style.
fn highlight<'a>(piece: &str, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, spans: &mut Vec<Span<'a>>| {
        if word.is_empty() {
            return;
        }
        let style: Style = if KEYWORDS.contains(&word.to_ascii_uppercase().as_str()) {
            theme.footer_key
        } else {
            theme.row
        };
        spans.push(Span::styled(std::mem::take(word), style));
    };
    for c in piece.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut spans);
            spans.push(Span::styled(c.to_string(), theme.row));
        }
    }
    flush(&mut word, &mut spans);
    Line::from(spans)
}
