//! `--format text`: each pane's body drawn by the TUI's own draw code into an off-screen
//! buffer, then printed as plain lines (no colour, no escapes, trailing spaces trimmed). The
//! buffer grows until the pane's rows fit, so every row is printed, not one screen.

use std::io::{self, IsTerminal, Write};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::doc::Meta;
use super::shown::{Shown, report};
use super::vocab::time_opt;
use crate::config::theme::Theme;
use crate::keymap::Keymap;
use crate::layout::Viewport;
use crate::state::State;
use crate::update::{Msg, update};

/// The height the views start at; grown while a pane's body is full.
pub const START_HEIGHT: u16 = 50;
/// The tallest screen there is: cell coordinates are 16-bit.
const MAX_HEIGHT: u16 = u16::MAX;
/// The width without `--width` when standard output is not a terminal.
const DEFAULT_WIDTH: u16 = 200;

/// `--width`, else the terminal's, else 200.
pub fn width(asked: Option<u16>) -> u16 {
    if let Some(w) = asked {
        return w;
    }
    if std::io::stdout().is_terminal()
        && let Ok((w, _)) = crossterm::terminal::size()
        && w >= crate::layout::MIN_WIDTH
    {
        return w;
    }
    DEFAULT_WIDTH
}

/// The whole screen of `state` at `w` x `h`, one string per line, as drawn.
pub fn screen(state: &State, w: u16, h: u16) -> Vec<String> {
    let theme = Theme::builtin("monochrome").unwrap_or_default();
    let keymap = Keymap::default();
    let ctx = crate::ui::Ctx {
        theme: &theme,
        keymap: &keymap,
    };
    let Ok(mut term) = Terminal::new(TestBackend::new(w, h));
    if term.draw(|f| crate::ui::draw(f, state, &ctx)).is_err() {
        return Vec::new();
    }
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < w {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                // A wide character covers the next cell too; that cell holds no text.
                x += u16::try_from(crate::text::width(sym).max(1)).unwrap_or(1);
            }
            line
        })
        .collect()
}

/// The pane's body as plain lines: trailing spaces trimmed, runs of blank lines (the space a
/// pane leaves between its sections) cut to one. The screen doubles in height until the text
/// stops changing, so every row is printed. `Err` carries the lines when even the tallest
/// screen is full (more than 65,000 lines), which JSON and CSV do not cut.
pub fn body(state: &mut State, w: u16) -> Result<Vec<String>, Vec<String>> {
    let mut h = START_HEIGHT;
    let mut last = drawn(state, w, h);
    while h < MAX_HEIGHT {
        h = h.saturating_mul(2);
        let next = drawn(state, w, h);
        if next == last {
            return Ok(last);
        }
        last = next;
    }
    Err(last)
}

/// The body at `w` x `h`, plain, blank runs squeezed.
fn drawn(state: &mut State, w: u16, h: u16) -> Vec<String> {
    if state.viewport.size != (w, h) {
        update(state, Msg::Resize(w, h));
    }
    let v = Viewport::new(w, h);
    let mut out: Vec<String> = Vec::new();
    let lines = screen(state, w, h);
    for line in lines
        .iter()
        .skip(usize::from(v.body.y))
        .take(usize::from(v.body.height))
    {
        let line = line.trim_end();
        if line.is_empty() && out.last().is_none_or(String::is_empty) {
            continue;
        }
        out.push(line.to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Writes every pane of one snapshot; true when a pane failed (its error also on stderr).
pub fn write(out: &mut dyn Write, shown: &mut [Shown], meta: &Meta, w: u16) -> io::Result<bool> {
    let mut failed = false;
    let taken = shown
        .first()
        .and_then(|s| s.state.shown.as_deref())
        .and_then(|s| time_opt(Some(s.taken_at)))
        .unwrap_or_default();
    let rates = if meta.reads_for_rates {
        format!(
            "; rates over two reads {:.2} s apart",
            meta.interval.as_secs_f64()
        )
    } else if meta.number > 1 {
        "; rates since the previous snapshot".to_owned()
    } else {
        String::new()
    };
    writeln!(
        out,
        "pgscope snapshot {}/{} at {taken}{rates}",
        meta.number, meta.count
    )?;
    for s in shown.iter_mut() {
        writeln!(out)?;
        writeln!(out, "[{}]", s.pane.name())?;
        let lines = body(&mut s.state, w).unwrap_or_else(|cut| {
            eprintln!(
                "pgscope: {}: text cut at {} lines; --format json or csv has every row",
                s.pane.module(),
                cut.len()
            );
            cut
        });
        for line in lines {
            writeln!(out, "{line}")?;
        }
        let mut panes = super::export::Panes::default();
        if let Some(e) = panes.add(s.pane, &s.state) {
            failed = true;
            report(s.pane, &e);
        }
    }
    Ok(failed)
}
