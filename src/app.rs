//! The app loop: owns the terminal, the tasks and the channels, and selects over keys, snapshots,
//! link changes, the clock and signals. State changes only through `update`; drawing only reads.

use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crossterm::event::{Event, EventStream, KeyCode, KeyEvent, KeyEventKind};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};

use crate::action::Action;
use crate::collect::{self, Channels, Session};
use crate::config::Config;
use crate::config::themes::ThemeSet;
use crate::conn::Target;
use crate::control::{self, SignalPermit};
use crate::effect::{Done, Effect, Job};
use crate::failure::{Failure, Kind};
use crate::keymap::{Chord, KeyMode, Keymap};
use crate::panes::Pane;
use crate::snapshot::{Link, Micros, Snapshot};
use crate::state::{Mode, State};
use crate::ui;
use crate::update::{ConfirmKey, FilterKey, Msg, update};

/// How often the clock advances on screen when no data arrives (drives STALE).
const TICK: Duration = Duration::from_millis(500);

/// Why the UI ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A signal (or the terminal going away, reported as SIGHUP) ended it.
    Signal(i32),
    /// The collect or the action task ended, which only a panic does: its message was printed
    /// by the panic hook.
    Crashed,
    /// Esc with nothing left to close or clear, in a server opened from the fleet: back to it.
    Back,
}

impl Exit {
    /// Shell convention: 0 for a quit, 128 + the signal number, 101 like a panic of Rust's own.
    pub fn code(self) -> u8 {
        match self {
            Exit::Quit | Exit::Back => 0,
            Exit::Signal(n) => u8::try_from(128 + n).unwrap_or(1),
            Exit::Crashed => 101,
        }
    }
}

pub struct Options {
    pub interval: Duration,
    /// Cancel, terminate and EXPLAIN are unreachable for the whole run.
    pub read_only: bool,
    /// The themes `t` cycles through, the one to start with selected.
    pub themes: ThemeSet,
    pub keymap: Keymap,
    /// View settings from the config file (pane, columns, toggles, thresholds).
    pub config: Config,
    /// Mouse reporting on (clicks and the wheel) or left to the terminal.
    pub mouse: bool,
    /// A start-up problem (config file) to show in the footer; stderr is hidden by then.
    pub notice: Option<String>,
    /// The wait sampler (rate, window, cores).
    pub sampler: collect::sampler::Config,
    /// Stretch the interval while a refresh costs the server more than its budget.
    pub adaptive_interval: bool,
    /// The PgBouncer admin console to watch beside the database (`--pooler`).
    pub pooler: Option<PoolerStart>,
    /// The Activity filter to start with (`--filter`, the `/` filter's language).
    pub filter: Option<String>,
    /// Only sessions whose query has run this long (`--min-duration`).
    pub min_duration: Option<Duration>,
}

/// A pooler resolved at startup, and its console when it opened then (else the task retries).
pub struct PoolerStart {
    pub target: Target,
    pub first: Option<crate::pooler::Admin>,
}

/// The pooler task's channels, its `run` spawned when a pooler is configured. Without one the
/// senders stay here, so the app's receivers simply never change.
fn spawn_pooler(
    start: Option<PoolerStart>,
    interval: watch::Receiver<Duration>,
) -> (PoolerWires, Option<tokio::task::JoinHandle<()>>) {
    let (reads_tx, reads_rx) = watch::channel(None);
    let (link_tx, link_rx) = watch::channel(Link::Connecting);
    let mut wires = PoolerWires {
        reads_rx,
        link_rx,
        configured: start.is_some(),
        only: false,
        idle: None,
    };
    let Some(PoolerStart { target, first }) = start else {
        wires.idle = Some((reads_tx, link_tx));
        return (wires, None);
    };
    let ch = crate::pooler::task::Channels {
        reads: reads_tx,
        link: link_tx,
        interval,
    };
    let task = tokio::spawn(crate::pooler::task::run(target, first, ch));
    (wires, Some(task))
}

struct PoolerWires {
    reads_rx: watch::Receiver<Option<Arc<crate::pooler::Pooler>>>,
    link_rx: watch::Receiver<Link>,
    configured: bool,
    /// The pooler is pgscope's only target.
    only: bool,
    /// Without a pooler, the senders kept for the run: a dropped sender would read as a crash.
    idle: Option<PoolerSenders>,
}

impl PoolerWires {
    /// The next read or link change; `Err` when the task is gone (only a panic ends it).
    async fn next(&mut self) -> Result<Option<Msg>, ()> {
        tokio::select! {
            changed = self.reads_rx.changed() => {
                changed.map_err(|_| ())?;
                Ok(self.reads_rx.borrow_and_update().clone().map(Msg::Pooler))
            }
            changed = self.link_rx.changed() => {
                changed.map_err(|_| ())?;
                Ok(Some(Msg::PoolerLink(self.link_rx.borrow_and_update().clone())))
            }
        }
    }
}

type PoolerSenders = (
    watch::Sender<Option<Arc<crate::pooler::Pooler>>>,
    watch::Sender<Link>,
);

fn now_micros() -> Micros {
    collect::rows::to_micros(SystemTime::now())
}

/// The local offset from UTC now, in seconds. Read with the clock rather than once at start, so
/// that the header's times follow a daylight-saving change (chrono re-reads TZ and
/// /etc/localtime at most once a second).
fn utc_offset() -> i32 {
    chrono::Local::now().offset().local_minus_utc()
}

/// Runs the UI until the user quits or a signal arrives; the terminal is restored on return
/// (and by ratatui's panic hook on a panic).
pub async fn run(target: Target, session: Session, opts: Options) -> io::Result<Exit> {
    Box::pin(run_with(Some((target, session)), opts)).await
}

/// Runs the UI with the pooler alone (`opts.pooler`): pgscope's own target is a PgBouncer
/// admin console, so there is no database to collect from or act on.
pub async fn run_pooler_only(opts: Options) -> io::Result<Exit> {
    Box::pin(run_with(None, opts)).await
}

async fn run_with(db: Option<(Target, Session)>, opts: Options) -> io::Result<Exit> {
    let mut terminal = crate::terminal::init(opts.mouse)?;
    let result = serve(&mut terminal, db, opts, false).await;
    crate::terminal::restore();
    // restore() has shown the cursor already; ratatui's Drop would try again and, on a
    // terminal that is gone, print "Failed to show the cursor" to stderr.
    std::mem::forget(terminal);
    result
}

/// The full UI for one server opened from the fleet, on the fleet's terminal: Esc with nothing
/// left to clear returns [`Exit::Back`]. `db: None` opens `opts.pooler` alone.
pub async fn run_nested(
    terminal: &mut ratatui::DefaultTerminal,
    db: Option<(Target, Session)>,
    opts: Options,
) -> io::Result<Exit> {
    crate::terminal::repaint(terminal)?;
    Box::pin(serve(terminal, db, opts, true)).await
}

/// Spawns the tasks, runs the event loop on `terminal`, and stops the tasks.
async fn serve(
    terminal: &mut ratatui::DefaultTerminal,
    db: Option<(Target, Session)>,
    mut opts: Options,
    nested: bool,
) -> io::Result<Exit> {
    let (snap_tx, snap_rx) = watch::channel(None);
    let (link_tx, link_rx) = watch::channel(Link::Connected);
    let (interval_tx, interval_rx) = watch::channel(opts.interval);
    let (mut pooler_wires, pooler_task) = spawn_pooler(opts.pooler.take(), interval_tx.subscribe());
    let (focus_tx, focus_rx) = watch::channel(opts.config.default_pane);
    let (lend_tx, lend_rx) = mpsc::unbounded_channel();
    let (asks_tx, asks_rx) = watch::channel(collect::pane::Asks::default());
    let channels = Channels {
        snapshots: snap_tx,
        link: link_tx,
        interval: interval_rx,
        focus: focus_rx,
        lend: lend_rx,
        asks: asks_rx,
    };
    let (jobs_tx, jobs_rx) = mpsc::unbounded_channel();
    let (done_tx, done_rx) = mpsc::unbounded_channel();
    let pooler_only = db.is_none();
    // Without a database the tasks' ends are kept for the run: a dropped end reads as a crash.
    let mut idle = None;
    let tasks = if let Some((target, session)) = db {
        let context = control::Context {
            target: target.clone(),
            version_num: session.caps.version_num,
            login: session.caps.login.clone(),
            permit: SignalPermit::unless_read_only(opts.read_only),
            lend: Some(lend_tx),
        };
        let controller = tokio::spawn(control::run(context, jobs_rx, done_tx));
        let collector = tokio::spawn(collect::run_with(
            target,
            Some(session),
            channels,
            opts.sampler,
            opts.adaptive_interval,
        ));
        Some((collector, controller))
    } else {
        idle = Some((channels, jobs_rx, done_tx));
        None
    };
    let mut wires = Wires {
        snap_rx,
        link_rx,
        interval_tx,
        focus_tx,
        asks_tx,
        jobs_tx,
        done_rx,
    };

    pooler_wires.only = pooler_only;
    let result = match event_loop(terminal, opts, &mut wires, &mut pooler_wires, nested).await {
        // EIO on the terminal: it is gone (hangup), the same end as a SIGHUP.
        Err(e) if e.raw_os_error() == Some(libc::EIO) => Ok(Exit::Signal(libc::SIGHUP)),
        other => other,
    };
    if let Some(task) = pooler_task {
        task.abort();
    }
    if let Some((collector, controller)) = tasks {
        collector.abort();
        controller.abort();
    }
    drop(idle);
    result
}

/// The app's ends of the channels to and from the collect task.
struct Wires {
    snap_rx: watch::Receiver<Option<Arc<Snapshot>>>,
    link_rx: watch::Receiver<Link>,
    interval_tx: watch::Sender<Duration>,
    focus_tx: watch::Sender<Pane>,
    /// What the panes ask of their reads, sent when it changes.
    asks_tx: watch::Sender<collect::pane::Asks>,
    /// Unbounded on purpose: an action is never dropped, and there are only ever a few.
    jobs_tx: mpsc::UnboundedSender<Job>,
    done_rx: mpsc::UnboundedReceiver<Done>,
}

#[allow(clippy::too_many_lines)] // the one event loop: one arm per event, one per effect
async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut opts: Options,
    wires: &mut Wires,
    pooler: &mut PoolerWires,
    nested: bool,
) -> io::Result<Exit> {
    let Wires {
        snap_rx,
        link_rx,
        interval_tx,
        focus_tx,
        asks_tx,
        jobs_tx,
        done_rx,
    } = wires;
    let keymap = &opts.keymap;
    let mut state = initial_state(&opts, pooler.configured, pooler.only);
    // The first key of a sequence (`g` of `g g`) until the next key: part of turning keys into
    // actions, like the keymap itself, so `update` only ever sees actions.
    let mut pending: Option<Chord> = None;
    let mut queued: Vec<Msg> = opts.notice.take().map(Msg::Status).into_iter().collect();
    let size = terminal.size()?;
    update(&mut state, Msg::Resize(size.width, size.height));

    let mut events = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    // A stop from outside (kill -TSTP, job control) and the continue after any stop.
    let mut sigtstp = signal(SignalKind::from_raw(libc::SIGTSTP))?;
    let mut sigcont = signal(SignalKind::from_raw(libc::SIGCONT))?;
    let mut tick = tokio::time::interval(TICK);

    let mut dirty = true;
    loop {
        if crate::terminal::panicked() {
            return Ok(Exit::Crashed);
        }
        if dirty {
            terminal.draw(|frame| {
                assert!(
                    !crate::fault::injected("panic@render"),
                    "fault injected at render (PGSCOPE_FAULT)"
                );
                let ctx = ui::Ctx {
                    theme: opts.themes.current(),
                    keymap,
                };
                ui::draw(frame, &state, &ctx);
            })?;
            dirty = false;
        }
        let was_stale = state.is_stale();
        let msg = if let Some(msg) = queued.pop() {
            msg
        } else {
            tokio::select! {
                ev = events.next() => match ev {
                    Some(Ok(ev)) => match to_msg(&ev, &state, keymap, &mut pending) {
                        Some(msg) => msg,
                        None => continue,
                    },
                    // The terminal is gone (hangup, closed pty): exit instead of spinning.
                    Some(Err(_)) | None => return Ok(Exit::Signal(libc::SIGHUP)),
                },
                // The tasks end only when the app drops its ends, or by a panic.
                changed = snap_rx.changed() => {
                    if changed.is_err() { return Ok(Exit::Crashed); }
                    let latest = snap_rx.borrow_and_update().clone();
                    match latest {
                        Some(snapshot) => Msg::Snapshot { snapshot, now: now_micros() },
                        None => continue,
                    }
                }
                changed = link_rx.changed() => {
                    if changed.is_err() { return Ok(Exit::Crashed); }
                    Msg::Link { link: link_rx.borrow_and_update().clone(), now: now_micros() }
                }
                msg = pooler.next() => match msg {
                    Ok(Some(msg)) => msg,
                    Ok(None) => continue,
                    Err(()) => return Ok(Exit::Crashed),
                },
                _ = tick.tick() => Msg::Tick(now_micros()),
                _ = sigterm.recv() => return Ok(Exit::Signal(libc::SIGTERM)),
                _ = sighup.recv() => return Ok(Exit::Signal(libc::SIGHUP)),
                _ = sigint.recv() => return Ok(Exit::Signal(libc::SIGINT)),
                _ = sigtstp.recv() => {
                    crate::terminal::suspend(terminal, opts.mouse)?;
                    pending = None;
                    resized(terminal, &mut queued)?;
                    continue;
                }
                _ = sigcont.recv() => {
                    crate::terminal::resume(terminal, opts.mouse)?;
                    resized(terminal, &mut queued)?;
                    continue;
                }
                done = done_rx.recv() => match done {
                    Some(done) => Msg::Done(done),
                    None => return Ok(Exit::Crashed),
                },
            }
        };
        if nested && back_to_fleet(&msg, &state) {
            return Ok(Exit::Back);
        }
        // Between refreshes only the STALE marker or the UTC offset changes the screen.
        let tick = matches!(msg, Msg::Tick(_)) && !follow_utc_offset(&mut state);
        for effect in update(&mut state, msg) {
            match effect {
                Effect::Quit => return Ok(Exit::Quit),
                Effect::Focus(pane) => {
                    focus_tx.send_replace(pane);
                }
                Effect::SetInterval(d) => {
                    interval_tx.send_replace(d);
                }
                Effect::Control(job) => {
                    if jobs_tx.send(job).is_err() {
                        queued.push(Msg::Done(Done::Failed(task_stopped())));
                    }
                }
                Effect::Copy(text) => copy_to_clipboard(&text),
                Effect::CycleTheme => {
                    let name = opts.themes.cycle().name.clone();
                    queued.push(Msg::Status(format!("theme: {name}")));
                }
                Effect::Suspend => {
                    crate::terminal::suspend(terminal, opts.mouse)?;
                    pending = None;
                }
            }
        }
        send_asks(&state, asks_tx);
        dirty = !tick || state.is_stale() != was_stale;
    }
}

/// Esc in a server opened from the fleet, with no dialog, filter or typing to close first.
fn back_to_fleet(msg: &Msg, state: &State) -> bool {
    matches!(msg, Msg::Action(Action::Clear))
        && matches!(state.mode, Mode::Normal)
        && state.views.activity.filter.text.is_empty()
}

/// What the panes ask of the collector, sent only when it changed (a new ranking or database
/// makes the collector read at once).
fn send_asks(state: &State, asks_tx: &watch::Sender<collect::pane::Asks>) {
    let tables = state.views.tables.want();
    asks_tx.send_if_modified(|asks| {
        let changed = asks.tables != tables;
        asks.tables = tables;
        changed
    });
}

/// The state before the first message: the options and the config file's view settings
/// (`pgscope snapshot` starts from it too).
pub fn initial_state(opts: &Options, pooler: bool, pooler_only: bool) -> State {
    let mut state = State::new(opts.interval, now_micros());
    update(&mut state, Msg::UtcOffset(utc_offset()));
    state.read_only = opts.read_only;
    state.keymap = std::sync::Arc::new(opts.keymap.clone());
    state.views.pooler.configured = pooler;
    state.views.pooler.only = pooler_only;
    opts.config.apply(&mut state);
    if let Some(text) = &opts.filter {
        state.views.activity.filter = crate::state::filter::Filter::parse(text);
    }
    state.views.activity.min_duration = opts.min_duration;
    if pooler_only {
        // No database link will ever report: the header must not say "connecting…".
        state.pane = Pane::Pooler;
        state.link = Link::Connected;
    }
    state
}

/// What an action gets when the control task is gone (only a panic ends it).
fn task_stopped() -> Failure {
    Failure::new(Kind::Client, "the action task has stopped")
}

/// Hands `update` the local UTC offset when it changed; true if it did.
fn follow_utc_offset(state: &mut State) -> bool {
    let offset = utc_offset();
    if offset == state.utc_offset {
        return false;
    }
    tracing::info!(
        from = state.utc_offset,
        to = offset,
        "local UTC offset changed"
    );
    update(state, Msg::UtcOffset(offset));
    true
}

/// The terminal's size after a stop, queued as a resize: it may have changed meanwhile, and the
/// message redraws the whole screen.
fn resized(terminal: &ratatui::DefaultTerminal, queued: &mut Vec<Msg>) -> io::Result<()> {
    let size = terminal.size()?;
    queued.push(Msg::Resize(size.width, size.height));
    Ok(())
}

/// Turns a terminal event into a message: keys go through the keymap, except while a filter is
/// being typed or a dialog asks a question.
fn to_msg(ev: &Event, state: &State, keymap: &Keymap, pending: &mut Option<Chord>) -> Option<Msg> {
    match ev {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if matches!(state.mode, Mode::Filter(_)) {
                filter_key(key).map(Msg::FilterKey)
            } else if matches!(&state.mode, Mode::Help(h) if h.typing) {
                filter_key(key).map(Msg::HelpSearch)
            } else if matches!(state.mode, Mode::Help(_)) {
                // A key without a binding closes help too.
                let action = keymap.press(KeyMode::Normal, pending, Chord::from_event(key));
                Some(Msg::Action(action.unwrap_or(Action::ToggleHelp)))
            } else if matches!(state.mode, Mode::Confirm(_)) {
                confirm_key(key).map(Msg::Confirm)
            } else if matches!(state.mode, Mode::Report(_)) {
                Some(Msg::Action(Action::Clear))
            } else {
                let mode = if matches!(state.mode, Mode::Details(_) | Mode::Explain(_)) {
                    KeyMode::Popup
                } else {
                    KeyMode::Normal
                };
                keymap
                    .press(mode, pending, Chord::from_event(key))
                    .map(Msg::Action)
            }
        }
        Event::Mouse(m) => crate::update::mouse::from_event(m).map(Msg::Mouse),
        Event::Resize(w, h) => Some(Msg::Resize(*w, *h)),
        _ => None,
    }
}

/// The confirmation dialog answers y or n; anything else only moves the highlight.
fn confirm_key(key: &KeyEvent) -> Option<ConfirmKey> {
    use crossterm::event::KeyModifiers;
    match key.code {
        KeyCode::Char('y' | 'Y') => Some(ConfirmKey::Yes),
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Some(ConfirmKey::No),
        KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => Some(ConfirmKey::No),
        KeyCode::Enter => Some(ConfirmKey::Enter),
        KeyCode::Tab
        | KeyCode::BackTab
        | KeyCode::Left
        | KeyCode::Right
        | KeyCode::Char('h' | 'l') => Some(ConfirmKey::Toggle),
        _ => None,
    }
}

/// OSC 52 puts text on the clipboard of the terminal the operator sits at, through SSH and
/// tmux (with `set-clipboard on`). Base64 keeps the text from being interpreted on the way; the
/// text itself is made safe to paste first. Ended by ST, not BEL, so no BEL reaches a terminal
/// that does not know OSC 52.
fn copy_to_clipboard(text: &str) {
    use base64::Engine as _;
    use std::io::Write as _;
    let safe = crate::text::for_clipboard(text);
    let encoded = base64::engine::general_purpose::STANDARD.encode(safe);
    let mut out = io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x1b\\");
    let _ = out.flush();
}

pub(crate) fn filter_key(key: &KeyEvent) -> Option<FilterKey> {
    use crossterm::event::KeyModifiers;
    match key.code {
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Some(FilterKey::Esc),
        KeyCode::Char(c) => Some(FilterKey::Char(c)),
        KeyCode::Backspace => Some(FilterKey::Backspace),
        KeyCode::Enter => Some(FilterKey::Enter),
        KeyCode::Esc => Some(FilterKey::Esc),
        _ => None,
    }
}
