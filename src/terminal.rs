//! Taking and giving back the terminal. The restore never panics: when the terminal is already
//! gone (SSH dropped, tmux killed) a failed write must not turn a clean exit into an abort that
//! skips cleanup, such as stopping the demo's cluster.

use std::io::{self, Write as _, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;

/// Set by the panic hook. A panic in a background task is caught by the runtime and the UI
/// would draw on: it must stop instead, so the message on the normal screen stays readable.
static PANICKED: AtomicBool = AtomicBool::new(false);
/// The terminal is in pgscope's modes. Giving it back twice would be visible: leaving the
/// alternate screen again restores the cursor saved on entering it, and the shell would then
/// write over what was printed since (a panic message).
static TAKEN: AtomicBool = AtomicBool::new(false);

/// True once anything panicked; the terminal has been given back already.
pub fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

/// Raw mode, alternate screen (with mouse reporting when `mouse`), and a panic hook that
/// restores the terminal before the panic message is printed (so it lands on the normal screen).
pub fn init(mouse: bool) -> io::Result<DefaultTerminal> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICKED.store(true, Ordering::SeqCst);
        restore();
        hook(info);
    }));
    enter(mouse)?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

fn enter(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    TAKEN.store(true, Ordering::SeqCst);
    execute!(stdout(), EnterAlternateScreen)?;
    if mouse {
        execute!(stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Leaves raw mode, mouse reporting and the alternate screen and shows the cursor, once; errors
/// are ignored on purpose.
pub fn restore() {
    if !TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = stdout().flush();
}

/// Ctrl-Z or SIGTSTP: gives the terminal back, stops the process like a shell job, and on `fg`
/// takes the terminal again and clears it so the next draw repaints every cell (the shell wrote
/// over it).
pub fn suspend(terminal: &mut DefaultTerminal, mouse: bool) -> io::Result<()> {
    restore();
    stop_self();
    resume(terminal, mouse)
}

/// After SIGCONT: raw mode, the alternate screen and mouse reporting again, and a cleared
/// screen so the next draw repaints every cell. Raw mode is left first because crossterm skips
/// entering it when it thinks it is still on, while a shell may have reset the terminal.
/// `resize` clears without `clear`'s cursor-position query, whose reply the event reader
/// (blocked in its own read) could hold up until the query times out.
pub fn resume(terminal: &mut DefaultTerminal, mouse: bool) -> io::Result<()> {
    let _ = disable_raw_mode();
    enter(mouse)?;
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))
}

/// The next draw repaints every cell (another screen was drawn meanwhile): `resize` clears
/// without `clear`'s cursor-position query (see [`resume`]).
pub fn repaint(terminal: &mut DefaultTerminal) -> io::Result<()> {
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))
}

/// Stops the process like a shell job; returns after SIGCONT. SIGTSTP with its default action,
/// not SIGSTOP: the kernel discards SIGTSTP when no job-control shell could continue the process
/// (an orphaned process group: `tmux new pgscope`, `ssh -t host pgscope`), where SIGSTOP would
/// stop it for good. The handler that brings a stop from outside to the app is put back after.
#[allow(unsafe_code)]
fn stop_self() {
    // SAFETY: plain sigaction/raise calls on a zeroed (valid) sigaction: SIG_DFL for SIGTSTP,
    // the signal, then the previous action (tokio's handler) restored as it was.
    unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGTSTP, &raw const default, &raw mut previous) != 0 {
            return;
        }
        libc::raise(libc::SIGTSTP);
        libc::sigaction(libc::SIGTSTP, &raw const previous, std::ptr::null_mut());
    }
}

/// Prints one line to stderr without panicking when stderr is gone.
pub fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}
