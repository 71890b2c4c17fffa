//! What really happened to each target of the last cancel or terminate: the totals by outcome
//! first, then one line per target, scrollable, so a bulk result never runs off the screen.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{block, centered};
use crate::config::theme::Theme;
use crate::effect::Outcome;
use crate::state::dialog::ReportView;
use crate::text::{fit, sanitize};

/// The outcome's kind, for the totals ("refused" whatever the message).
fn kind(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Cancelled => "cancelled",
        Outcome::CancelIgnored => "still running",
        Outcome::Terminated => "terminated",
        Outcome::StillAlive { .. } => "still alive",
        Outcome::Changed => "changed, not signalled",
        Outcome::XactEnded => "transaction ended, not signalled",
        Outcome::Refused { .. } => "refused",
        Outcome::Failed(_) => "failed",
    }
}

pub fn draw(frame: &mut Frame, area: Rect, view: &ReportView, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(100);
    let inner = usize::from(width.saturating_sub(2));
    let results = &view.report.results;
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, outcome) in results {
        *totals.entry(kind(outcome)).or_default() += 1;
    }
    let summary = totals
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(" · ");
    let mut head = vec![Line::styled(
        fit(&format!("{} targets: {summary}", results.len()), inner),
        theme.table_header,
    )];
    if let Some(why) = &view.report.via_monitoring {
        head.push(Line::styled(
            fit(
                &format!("ran over the monitoring connection: {}", sanitize(why)),
                inner,
            ),
            theme.warning,
        ));
    }
    if let Some(e) = &view.log_error {
        head.push(Line::styled(
            fit(&format!("not logged: {}", sanitize(e)), inner),
            theme.error,
        ));
    }
    // One line per target, cut to the width: the list scrolls instead of wrapping.
    let room = usize::from(area.height.saturating_sub(2))
        .saturating_sub(head.len() + 2)
        .max(1);
    let first = view.scroll.min(results.len().saturating_sub(room));
    let mut lines = head;
    for (t, outcome) in results.iter().skip(first).take(room) {
        let style = match outcome {
            Outcome::Cancelled | Outcome::Terminated => theme.state_active,
            Outcome::Changed | Outcome::XactEnded => theme.footer,
            _ => theme.warning,
        };
        let text = format!("pid {}: {}", t.pid, sanitize(&outcome.describe()));
        lines.push(Line::styled(fit(&text, inner), style));
    }
    let shown_to = (first + room).min(results.len());
    let more = if results.len() > room {
        format!(" {}–{} of {} · j/k", first + 1, shown_to, results.len())
    } else {
        String::new()
    };
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let title = format!(" {} result{more} · Esc close ", view.report.kind.verb());
    frame.render_widget(Paragraph::new(lines).block(block(title, theme)), rect);
}
