//! The Waits pane's history: a stacked timeline of average active sessions by wait class (with
//! the server's cores when known), the sampler's rate and cost, and under them the top waits
//! and top queries over the chosen window (`waits_tops`).

use crate::panes::waits::layout::{AXIS, history_split};
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_shared::{class_style, span};
use super::draw_tops;
use crate::config::theme::Theme;
use crate::panes::waits::data::{CLASSES, SamplerStatus, Second, WaitClass, Waits, Window};
use crate::state::State;
use crate::text::{fit_right, sanitize};
use crate::ui::panes::section_table::title;

/// Eighth blocks, for the partly filled top cell of a bar.
const EIGHTHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme, chart: usize) {
    let Some(waits) = state.waits_data() else {
        let lines = vec![
            title("HISTORY", String::new(), theme),
            Line::styled("waiting for the sampler…", theme.footer),
        ];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    let s = &waits.sampler;
    let window = state.views.waits.shown_window(Some(waits));
    // " HISTORY " and the title's own margin.
    let room = usize::from(area.width).saturating_sub(10);
    let mut lines = vec![title("HISTORY", heading(waits, window, room), theme)];
    if !s.enabled {
        lines.push(Line::styled(
            "sampler off (--no-sampler): only the Now list above",
            theme.footer,
        ));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    if let Some(e) = &s.error {
        lines.push(Line::styled(
            format!("sampler: {}", sanitize(&e.to_string())),
            theme.error,
        ));
    }
    let Some(window) = window else {
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    let now = waits.seconds.last().map_or(0, |s| s.at);
    lines.extend(timeline(
        &waits.seconds,
        window.secs,
        now,
        waits.cores,
        theme,
        area.width,
        chart,
    ));
    lines.push(legend(window, theme));
    let [top, tables] = history_split(area, waits, chart);
    frame.render_widget(Paragraph::new(lines), top);
    draw_tops::draw(frame, tables, state, window, theme);
}

/// The history's title after its label, in `room` cells: whole parts dropped by priority (the
/// sampler's cost first, then its rate, then the cores) rather than cut mid-word.
fn heading(waits: &Waits, window: Option<&Window>, room: usize) -> String {
    let s = &waits.sampler;
    if !s.enabled {
        return String::new();
    }
    let average = window.map(|w| {
        format!(
            "last {} · {:.2} active sessions avg",
            span(w.secs),
            w.average_total()
        )
    });
    let cores = waits
        .cores
        .map_or_else(|| "cores n/a".to_owned(), |c| format!("{c} cores"));
    let (rate, cost) = rate(s);
    let full = format!("{rate}{cost}");
    let keys = "w: window";
    let choices: [&[Option<&str>]; 5] = [
        &[average.as_deref(), Some(&cores), Some(&full), Some(keys)],
        &[average.as_deref(), Some(&cores), Some(&rate), Some(keys)],
        &[average.as_deref(), Some(&cores), Some(keys)],
        &[average.as_deref(), Some(keys)],
        &[average.as_deref()],
    ];
    let join = |parts: &[Option<&str>]| parts.iter().flatten().copied().collect::<Vec<_>>().join(" · ");
    choices
        .iter()
        .map(|c| join(c))
        .find(|t| crate::text::width(t) <= room)
        .unwrap_or_else(|| join(choices[4]))
}

/// `sampling 10/s + each refresh` and its cost ` · 45 µs/sample = 0.45 ms/s of 0.50 server
/// time`, with the back-off or the pause shown.
fn rate(s: &SamplerStatus) -> (String, String) {
    let refresh = if s.refresh_hz >= 1.0 {
        format!("each refresh ({}/s)", hz(s.refresh_hz))
    } else if s.refresh_hz > 0.0 {
        format!("each refresh (every {}s)", hz(1.0 / s.refresh_hz))
    } else {
        "each refresh".to_owned()
    };
    if s.paused {
        let out = format!("sampling with {refresh} only: extra samples paused");
        let mut cost = String::new();
        if let Some(us) = s.server_us {
            let _ = write!(
                cost,
                " ({:.1} ms each, too dear for the {:.2} ms/s share)",
                us / 1_000.0,
                s.budget_us / 1_000.0
            );
        }
        return (out, cost);
    }
    let out = if s.effective_hz < s.rate_hz {
        format!(
            "sampling {}/s (backed off from {}/s) + {refresh}",
            hz(s.effective_hz),
            hz(s.rate_hz)
        )
    } else {
        format!("sampling {}/s + {refresh}", hz(s.effective_hz))
    };
    let mut cost = String::new();
    if let Some(us) = s.server_us {
        let _ = write!(
            cost,
            " · {us:.0} µs/sample = {:.2} ms/s of {:.2} server time",
            us * s.effective_hz / 1_000.0,
            s.budget_us / 1_000.0
        );
    }
    (out, cost)
}

fn hz(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Averages per column over `secs` seconds ending at `now`: one column per second, or several
/// seconds per column when the width is short. `None` for a column without samples.
pub fn columns(seconds: &[Second], secs: u32, now: i64, n: usize) -> Vec<Option<[f64; CLASSES]>> {
    let n = n.min(secs as usize).max(1);
    let start = now - i64::from(secs) + 1;
    let mut sums = vec![([0u64; CLASSES], 0u64); n];
    for s in seconds.iter().filter(|s| s.at >= start && s.at <= now) {
        let i = usize::try_from((s.at - start) * n as i64 / i64::from(secs)).unwrap_or(0);
        let slot = &mut sums[i.min(n - 1)];
        for (t, v) in slot.0.iter_mut().zip(s.sessions) {
            *t += u64::from(v);
        }
        slot.1 += u64::from(s.samples);
    }
    sums.into_iter()
        .map(|(sessions, samples)| {
            (samples > 0).then(|| sessions.map(|v| v as f64 / samples as f64))
        })
        .collect()
}

fn timeline<'a>(
    seconds: &[Second],
    secs: u32,
    now: i64,
    cores: Option<u32>,
    theme: &Theme,
    width: u16,
    rows: usize,
) -> Vec<Line<'a>> {
    let cells = usize::from(width).saturating_sub(AXIS);
    if rows == 0 || cells == 0 {
        return Vec::new();
    }
    let cols = columns(seconds, secs, now, cells);
    let peak = cols
        .iter()
        .flatten()
        .map(|c| c.iter().sum::<f64>())
        .fold(0.0, f64::max);
    let top = peak.max(f64::from(cores.unwrap_or(0))).max(1.0).ceil();
    let eighths_per_row = 8.0;
    let scale = rows as f64 * eighths_per_row / top;
    // The row whose top edge is the core count, when it fits.
    let cores_row = cores
        .map(|c| (f64::from(c) * rows as f64 / top).round() as usize)
        .filter(|r| (1..=rows).contains(r));
    let mut lines = Vec::with_capacity(rows);
    for r in (0..rows).rev() {
        let axis = if r + 1 == rows {
            format!("{top:>4.0} ┤")
        } else if Some(r + 1) == cores_row {
            "cpu ┤".to_owned()
        } else if r == 0 {
            "   0 ┤".to_owned()
        } else {
            "     │".to_owned()
        };
        let mut spans = vec![Span::styled(fit_right(&axis, AXIS), theme.header_label)];
        for c in &cols {
            spans.push(cell(c.as_ref(), r, scale, Some(r + 1) == cores_row, theme));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// One cell of a stacked bar: the class that fills most of it, in its style.
fn cell<'a>(
    col: Option<&[f64; CLASSES]>,
    row: usize,
    scale: f64,
    cores_line: bool,
    theme: &Theme,
) -> Span<'a> {
    let empty = if cores_line { "┄" } else { " " };
    let Some(col) = col else {
        return Span::styled(empty, theme.header_label);
    };
    let (lo, hi) = (row as f64 * 8.0, (row + 1) as f64 * 8.0);
    let mut base = 0.0;
    let mut best = (0.0, WaitClass::Cpu);
    for class in WaitClass::ALL {
        let h = col[class.index()] * scale;
        let overlap = (base + h).min(hi) - base.max(lo);
        if overlap > best.0 {
            best = (overlap, class);
        }
        base += h;
    }
    let filled = (base - lo).clamp(0.0, 8.0);
    let eighths = filled.round() as usize;
    if eighths == 0 {
        return Span::styled(empty, theme.header_label);
    }
    Span::styled(EIGHTHS[eighths.min(8)], class_style(theme, best.1))
}

fn legend<'a>(w: &Window, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled(" ".repeat(AXIS), theme.header_label)];
    for class in WaitClass::ALL {
        let avg = w.average(class);
        if avg <= 0.0 && class != WaitClass::Cpu {
            continue;
        }
        spans.push(Span::styled("█ ", class_style(theme, class)));
        spans.push(Span::styled(
            format!("{} {avg:.2}  ", class.label()),
            theme.header,
        ));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_average_over_their_seconds() {
        let sec = |at, samples, cpu| {
            let mut sessions = [0; CLASSES];
            sessions[0] = cpu;
            Second {
                at,
                samples,
                sessions,
            }
        };
        // 4 seconds in 2 columns; the third second has no samples.
        let s = [sec(97, 10, 10), sec(98, 10, 30), sec(100, 5, 5)];
        let c = columns(&s, 4, 100, 2);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].map(|v| v[0]), Some(2.0));
        assert_eq!(c[1].map(|v| v[0]), Some(1.0));
        let c = columns(&s, 4, 100, 80);
        assert_eq!(c.len(), 4);
        assert_eq!(c[2], None);
    }
}
