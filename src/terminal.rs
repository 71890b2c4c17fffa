//! Taking and giving back the terminal. The restore never panics: when the terminal is already
//! gone (SSH dropped, tmux killed) a failed write must not turn a clean exit into an abort that
//! skips cleanup, such as stopping the demo's cluster.

use std::io::{self, Write as _, stdout};

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// Raw mode, alternate screen, and a panic hook that restores the terminal before the panic
/// message is printed (so the message lands on the normal screen).
pub fn init() -> io::Result<DefaultTerminal> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen)?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Leaves raw mode and the alternate screen and shows the cursor; errors are ignored on purpose.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), LeaveAlternateScreen, Show);
    let _ = stdout().flush();
}

/// Prints one line to stderr without panicking when stderr is gone.
pub fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}
