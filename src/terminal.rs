//! Taking and giving back the terminal. The restore never panics: when the terminal is already
//! gone (SSH dropped, tmux killed) a failed write must not turn a clean exit into an abort that
//! skips cleanup, such as stopping the demo's cluster.

use std::io::{self, Write as _, stdout};

use crossterm::cursor::Show;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// Raw mode, alternate screen (with mouse reporting when `mouse`), and a panic hook that
/// restores the terminal before the panic message is printed (so it lands on the normal screen).
pub fn init(mouse: bool) -> io::Result<DefaultTerminal> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    enter(mouse)?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

fn enter(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen)?;
    if mouse {
        execute!(stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Leaves raw mode, mouse reporting and the alternate screen and shows the cursor; errors are
/// ignored on purpose.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = stdout().flush();
}

/// Ctrl-Z: gives the terminal back, stops the process like a shell job, and on `fg` takes the
/// terminal again and clears it so the next draw repaints every cell (the shell wrote over it).
pub fn suspend(terminal: &mut DefaultTerminal, mouse: bool) -> io::Result<()> {
    restore();
    stop_self();
    enter(mouse)?;
    terminal.clear()
}

/// SIGTSTP to ourselves: the default action stops the process; this returns after SIGCONT.
#[allow(unsafe_code)]
fn stop_self() {
    // SAFETY: raise only delivers a signal to the calling thread; SIGTSTP has its default
    // disposition (nothing here installs a handler for it).
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
}

/// Prints one line to stderr without panicking when stderr is gone.
pub fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}
