//! The confirmation dialog: every target with what identifies it, how many, the warnings, and
//! the answer, which starts at No.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{block, centered};
use crate::config::theme::Theme;
use crate::state::dialog::{Confirm, Pending};
use crate::text::{duration_us, fit, fit_right, sanitize};

/// Targets listed one per line; the rest are counted.
const LISTED: usize = 10;

pub fn draw(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(110);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    let title = match &confirm.pending {
        Pending::Signal(plan) => {
            let n = plan.request.targets.len();
            let verb = plan.request.kind.verb();
            lines.push(Line::styled(
                format!("{verb} {n} backend{}?", if n == 1 { "" } else { "s" }),
                theme.warning,
            ));
            lines.push(Line::styled(
                fit(
                    "    PID USER       DB         TYPE             AGE QUERY",
                    inner,
                ),
                theme.table_header,
            ));
            for t in plan.request.targets.iter().take(LISTED) {
                let head = format!(
                    "{} {} {} {} {} ",
                    fit_right(&t.pid.to_string(), 7),
                    fit(&t.usename, 10),
                    fit(&t.datname, 10),
                    fit(&t.backend_type, 14),
                    fit_right(&duration_us(t.age), 5),
                );
                let rest = inner.saturating_sub(crate::text::width(&head));
                lines.push(Line::raw(format!("{head}{}", fit(&t.query, rest))));
            }
            if n > LISTED {
                lines.push(Line::raw(format!("… and {} more", n - LISTED)));
            }
            for w in &plan.warnings {
                lines.push(Line::styled(
                    format!("warning: {}", sanitize(w)),
                    theme.warning,
                ));
            }
            for (pid, why) in &plan.refused {
                lines.push(Line::styled(
                    format!("skipped pid {pid}: {}", sanitize(why)),
                    theme.footer,
                ));
            }
            format!(" {verb} ")
        }
        Pending::Explain { warning, .. } => {
            lines.push(Line::styled(sanitize(warning).into_owned(), theme.warning));
            " EXPLAIN: other roles' code may run ".to_owned()
        }
    };
    lines.push(Line::raw(""));
    if matches!(confirm.pending, Pending::Explain { .. }) {
        // No highlight to move: only `y` plans; everything that answers says no.
        lines.push(Line::from(vec![
            Span::styled(" y ", theme.danger),
            Span::raw(" yes, plan anyway   "),
            Span::styled(" n ", theme.selection),
            Span::raw(" Enter or Esc  no (the default)"),
        ]));
    } else {
        let (no, yes) = if confirm.yes {
            (theme.row, theme.danger)
        } else {
            (theme.selection, theme.row)
        };
        lines.push(Line::from(vec![
            Span::styled(" No ", no),
            Span::raw("  "),
            Span::styled(" Yes ", yes),
            Span::styled(
                "   y yes · n/Esc no · Tab moves · Enter picks (No by default)",
                theme.footer,
            ),
        ]));
    }
    // Wrapped lines count as the rows they take (plus one for word-wrap slack), so the answer
    // line is never cut off.
    let inner = inner.max(1);
    let rows: usize = lines
        .iter()
        .map(|l| match l.width() {
            w if w > inner => w.div_ceil(inner) + 1,
            _ => 1,
        })
        .sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let body = Paragraph::new(lines)
        .block(block(title, theme))
        .wrap(Wrap { trim: false });
    frame.render_widget(body, rect);
}
