//! Draws the fleet screen from `&Fleet`: a title with the counts, the table (one line per
//! server, standbys under their primary), and a footer with the live keymap's keys. Server text
//! reaches the terminal only through the table's fitting, which sanitizes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::state::Fleet;
use super::status::{self, Level};
use super::table::{self, COLS};
use crate::action::Action;
use crate::columns::{self, Fit};
use crate::config::theme::Theme;
use crate::keymap::Keymap;
use crate::text::{sanitize, width};

/// The smallest screen that shows anything useful.
const MIN_WIDTH: u16 = 30;
const MIN_HEIGHT: u16 = 5;

const HINTS: [(Action, &str); 6] = [
    (Action::Details, "open"),
    (Action::StartFilter, "filter"),
    (Action::SortNext, "sort"),
    (Action::SortReverse, "reverse"),
    (Action::FasterRefresh, "faster"),
    (Action::Quit, "quit"),
];

pub fn draw(frame: &mut Frame, f: &Fleet, theme: &Theme, keymap: &Keymap) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!("terminal too small ({}x{})", area.width, area.height);
        frame.render_widget(Paragraph::new(msg), area);
        return;
    }
    let lines = f.lines();
    let row = |y: u16| Rect::new(area.x, area.y + y, area.width, 1);
    frame.render_widget(Paragraph::new(title(f, &lines, theme)), row(0));
    let cells: Vec<Vec<String>> = lines.iter().map(|l| l.cells.clone()).collect();
    let needs = columns::needs(&COLS, &cells);
    let chosen: Vec<usize> = (0..COLS.len()).collect();
    let layout = columns::fit(
        &COLS,
        &chosen,
        Fit {
            width: usize::from(area.width),
            wide_from: 0,
        },
        |i| needs.get(i).copied().unwrap_or(0),
    );
    frame.render_widget(Paragraph::new(header(&layout, f, theme)), row(1));
    let rows = f.page_rows();
    let selected = f.selected_line(&lines);
    // The selection stays on screen: the view scrolls just enough.
    let top = selected.map_or(0, |s| (s + 1).saturating_sub(rows));
    for (n, line) in lines.iter().skip(top).take(rows).enumerate() {
        let base = if Some(top + n) == selected {
            theme.selection
        } else {
            theme.row
        };
        let mut cells: Vec<(String, Option<Style>)> =
            line.cells.iter().map(|c| (c.clone(), None)).collect();
        let s = &line.status;
        if s.down || s.stale {
            // Data as of the last good read: dimmed, the status says why.
            for c in cells.iter_mut().skip(2) {
                c.1 = Some(base.patch(theme.stale));
            }
        }
        let level = match s.level {
            Level::Crit => Some(base.patch(theme.danger)),
            Level::Warn => Some(base.patch(theme.warning)),
            Level::Ok => None,
        };
        if let Some(status) = cells.get_mut(16) {
            *status = (s.text.clone(), level);
        }
        let y = 2 + u16::try_from(n).unwrap_or(u16::MAX);
        frame.render_widget(
            Paragraph::new(crate::ui::table::line(&COLS, &layout, &cells, base)).style(base),
            row(y),
        );
    }
    if lines.is_empty() {
        let msg = if f.filter.is_empty() && f.typing.is_none() {
            "no servers"
        } else {
            "no server matches the filter"
        };
        frame.render_widget(Paragraph::new(msg).style(theme.row), row(2));
    }
    if let Some(line) = selected.and_then(|i| lines.get(i)) {
        frame.render_widget(
            Paragraph::new(detail(f, line)).style(theme.footer),
            row(area.height - 2),
        );
    }
    frame.render_widget(
        Paragraph::new(footer(f, theme, keymap, usize::from(area.width))),
        row(area.height - 1),
    );
}

/// The selected server's every finding, in full: the status column is often cut.
fn detail(f: &Fleet, line: &table::Line) -> String {
    let Some(member) = f.members.get(line.member) else {
        return String::new();
    };
    let found = status::findings(member);
    let text = if line.status.down || line.status.stale || found.is_empty() {
        line.status.text.clone()
    } else {
        found
            .iter()
            .map(|(level, why)| format!("{}: {why}", level.word()))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    // Sanitized here: a server's message or a name can carry anything.
    format!("{}: {}", sanitize(&member.name), sanitize(&text))
}

fn title<'a>(f: &Fleet, lines: &[table::Line], theme: &Theme) -> Line<'a> {
    let count = |l: Level| lines.iter().filter(|x| x.status.level == l).count();
    let mut spans = vec![
        Span::styled("pgscope fleet", theme.header_label),
        Span::styled(format!(" · {} servers", f.members.len()), theme.header),
    ];
    for (level, style) in [(Level::Crit, theme.danger), (Level::Warn, theme.warning)] {
        let n = count(level);
        if n > 0 {
            spans.push(Span::styled(" · ", theme.header));
            spans.push(Span::styled(format!("{n} {}", level.word()), style));
        }
    }
    // The filter before the clock: on a narrow screen the end of the title is cut.
    if !f.filter.is_empty() {
        spans.push(Span::styled(
            format!(" · /{}", sanitize(&f.filter)),
            theme.header_value,
        ));
    }
    let every = f.interval.as_secs_f64();
    spans.push(Span::styled(
        format!(
            " · {} every {every}s · by {}{}",
            status::clock(f.now, f.utc_offset),
            f.sort.name(),
            if f.reverse { " ↑" } else { "" }
        ),
        theme.header,
    ));
    Line::from(spans)
}

fn header<'a>(layout: &[(usize, usize)], f: &Fleet, theme: &Theme) -> Line<'a> {
    let sorted = f.sort.column();
    let cells: Vec<(String, Option<Style>)> = COLS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let style = (Some(i) == sorted).then_some(theme.table_header_sorted);
            (c.title.to_owned(), style)
        })
        .collect();
    crate::ui::table::line(&COLS, layout, &cells, theme.table_header)
}

fn footer<'a>(f: &Fleet, theme: &Theme, keymap: &Keymap, room: usize) -> Line<'a> {
    if let Some(text) = &f.typing {
        return Line::from(vec![
            Span::styled("filter: ", theme.footer_key),
            Span::raw(sanitize(text).into_owned()),
            Span::styled("█", theme.footer),
            Span::styled("   Enter keep · Esc clear", theme.footer),
        ]);
    }
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some(msg) = &f.message {
        let text = format!("{}  ", sanitize(msg));
        used += width(&text);
        spans.push(Span::styled(text, theme.warning));
    }
    for (action, word) in HINTS {
        let Some(key) = keymap
            .documented()
            .find(|e| e.action == action)
            .and_then(|e| e.keys.first())
        else {
            continue;
        };
        let key = key.to_string();
        let w = width(&key) + 1 + width(word) + 2;
        if used + w > room {
            break;
        }
        used += w;
        spans.push(Span::styled(key, theme.footer_key));
        spans.push(Span::styled(format!(" {word}  "), theme.footer));
    }
    Line::from(spans)
}
