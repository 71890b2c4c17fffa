//! The fleet screen's loop: one collector task per server, the table redrawn when any member
//! changes or the clock moves, keys through the live keymap. Enter opens the server in the full
//! UI on its own connection (opened off the loop, so a slow server never holds the keys); Esc
//! there comes back here, where the collectors kept reading all along.

use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{Notify, mpsc, watch};

use super::draw;
use super::member::Member;
use super::state::{Effect, Fleet, Msg, update};
use super::targets::Server;
use super::task::{self, First};
use crate::app::{self, Exit, Options, PoolerStart};
use crate::collect::rows::to_micros;
use crate::collect::session::{self, Session};
use crate::keymap::{Chord, KeyMode};
use crate::snapshot::Micros;

/// How often the clock advances on screen when no data arrives (drives STALE).
const TICK: Duration = Duration::from_millis(500);

fn now() -> Micros {
    to_micros(SystemTime::now())
}

fn utc_offset() -> i32 {
    chrono::Local::now().offset().local_minus_utc()
}

/// Runs the fleet until the user quits or a signal arrives; the terminal is restored on return.
/// `firsts[i]` is server i's first connection attempt, started before the screen.
pub async fn run(
    servers: Vec<Server>,
    firsts: Vec<Option<First>>,
    opts: Options,
) -> io::Result<Exit> {
    let (interval_tx, interval_rx) = watch::channel(opts.interval);
    let changed = Arc::new(Notify::new());
    let (members, tasks) = task::spawn_all(&servers, firsts, &interval_rx, &changed);
    let mut terminal = crate::terminal::init(opts.mouse)?;
    let mut wires = Wires {
        servers,
        members,
        changed,
        interval_tx,
    };
    let result = match Box::pin(event_loop(&mut terminal, opts, &mut wires)).await {
        Err(e) if e.raw_os_error() == Some(libc::EIO) => Ok(Exit::Signal(libc::SIGHUP)),
        other => other,
    };
    crate::terminal::restore();
    std::mem::forget(terminal);
    for t in tasks {
        t.abort();
    }
    result
}

struct Wires {
    servers: Vec<Server>,
    members: Vec<watch::Receiver<Arc<Member>>>,
    changed: Arc<Notify>,
    interval_tx: watch::Sender<Duration>,
}

impl Wires {
    fn latest(&mut self) -> Vec<Arc<Member>> {
        self.members
            .iter_mut()
            .map(|rx| Arc::clone(&rx.borrow_and_update()))
            .collect()
    }
}

/// A server being opened for the full UI: its index and the session, or why not.
type Opening = (usize, Result<Session, String>);

#[allow(clippy::too_many_lines)] // the one event loop: one arm per event, one per effect
async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut opts: Options,
    w: &mut Wires,
) -> io::Result<Exit> {
    let mut state = Fleet::new(w.latest(), opts.interval, now());
    update(&mut state, Msg::UtcOffset(utc_offset()));
    let size = terminal.size()?;
    update(&mut state, Msg::Resize(size.width, size.height));
    let mut pending: Option<Chord> = None;
    let mut events = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigcont = signal(SignalKind::from_raw(libc::SIGCONT))?;
    let mut tick = tokio::time::interval(TICK);
    let (opened_tx, mut opened_rx) = mpsc::unbounded_channel::<Opening>();
    loop {
        if crate::terminal::panicked() {
            return Ok(Exit::Crashed);
        }
        terminal.draw(|frame| {
            draw::draw(frame, &state, opts.themes.current(), &opts.keymap);
        })?;
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => match to_msg(&ev, &state, &opts, &mut pending) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(_)) | None => return Ok(Exit::Signal(libc::SIGHUP)),
            },
            () = w.changed.notified() => Msg::Members(w.latest()),
            _ = tick.tick() => Msg::Tick(now()),
            _ = sigterm.recv() => return Ok(Exit::Signal(libc::SIGTERM)),
            _ = sighup.recv() => return Ok(Exit::Signal(libc::SIGHUP)),
            _ = sigint.recv() => return Ok(Exit::Signal(libc::SIGINT)),
            _ = sigcont.recv() => {
                crate::terminal::resume(terminal, opts.mouse)?;
                continue;
            }
            Some((i, opened)) = opened_rx.recv() => match opened {
                Ok(session) => {
                    let Some(server) = w.servers.get(i) else { continue };
                    let db = Some((server.target.clone(), session));
                    // The nested UI reads keys itself; this stream rests meanwhile.
                    drop(events);
                    let exit = app::run_nested(terminal, db, nested_options(&opts, &state)).await?;
                    events = EventStream::new();
                    pending = None;
                    if exit != Exit::Back {
                        return Ok(exit);
                    }
                    back(terminal, &mut state)?;
                    Msg::Members(w.latest())
                }
                Err(why) => Msg::Status(why),
            },
        };
        for effect in update(&mut state, msg) {
            match effect {
                Effect::Quit => return Ok(Exit::Quit),
                Effect::SetInterval(d) => {
                    w.interval_tx.send_replace(d);
                }
                Effect::Suspend => {
                    crate::terminal::suspend(terminal, opts.mouse)?;
                    pending = None;
                }
                Effect::CycleTheme => {
                    let name = opts.themes.cycle().name.clone();
                    update(&mut state, Msg::Status(format!("theme: {name}")));
                }
                Effect::Open(i) => {
                    let Some(server) = w.servers.get(i) else {
                        continue;
                    };
                    let member = Arc::clone(&w.members[i].borrow());
                    if is_pooler(&member, server) {
                        let mut nested = nested_options(&opts, &state);
                        nested.pooler = Some(PoolerStart {
                            target: server.target.clone(),
                            first: None,
                        });
                        drop(events);
                        let exit = app::run_nested(terminal, None, nested).await?;
                        events = EventStream::new();
                        pending = None;
                        if exit != Exit::Back {
                            return Ok(exit);
                        }
                        back(terminal, &mut state)?;
                        update(&mut state, Msg::Members(w.latest()));
                    } else {
                        update(&mut state, Msg::Status(format!("opening {}…", server.name)));
                        let target = server.target.clone();
                        let name = server.name.clone();
                        let tx = opened_tx.clone();
                        tokio::spawn(async move {
                            let opened = open_session(&target)
                                .await
                                .map_err(|e| format!("{name}: {e}"));
                            let _ = tx.send((i, opened));
                        });
                    }
                }
            }
        }
    }
}

/// Back from a server's UI: the screen is the fleet's again, at the terminal's current size.
fn back(terminal: &mut ratatui::DefaultTerminal, state: &mut Fleet) -> io::Result<()> {
    crate::terminal::repaint(terminal)?;
    let size = terminal.size()?;
    update(state, Msg::Resize(size.width, size.height));
    update(state, Msg::Tick(now()));
    state.message = None;
    Ok(())
}

/// A server opens as a pooler when its collector found one there, or, before it reached it,
/// when its database is `pgbouncer`.
fn is_pooler(member: &Member, server: &Server) -> bool {
    member.pooling().is_some()
        || (member.data.is_none() && crate::pooler::admin::may_be_pgbouncer(&server.target))
}

/// The full UI's session for one server: a connection of its own, within the connect timeout.
async fn open_session(target: &crate::conn::Target) -> Result<Session, String> {
    let limit = target
        .connect_timeout()
        .unwrap_or(super::targets::CONNECT_TIMEOUT)
        + session::DEADLINE;
    match tokio::time::timeout(limit, session::open(target)).await {
        Err(_) => Err(format!("no answer within {}s", limit.as_secs())),
        Ok(Err(session::SessionError::Connect(c))) => Err(c.for_login(target.user())),
        Ok(Err(e)) => Err(e.to_string()),
        Ok(Ok(s)) => Ok(s),
    }
}

/// The options of a server opened from the fleet: the run's, at the fleet's interval.
fn nested_options(opts: &Options, state: &Fleet) -> Options {
    Options {
        interval: state.interval,
        read_only: opts.read_only,
        themes: opts.themes.clone(),
        keymap: opts.keymap.clone(),
        config: opts.config.clone(),
        mouse: opts.mouse,
        notice: None,
        sampler: opts.sampler,
        adaptive_interval: opts.adaptive_interval,
        pooler: None,
        filter: None,
        min_duration: None,
    }
}

fn to_msg(ev: &Event, state: &Fleet, opts: &Options, pending: &mut Option<Chord>) -> Option<Msg> {
    match ev {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if state.typing.is_some() {
                app::filter_key(key).map(Msg::Filter)
            } else {
                opts.keymap
                    .press(KeyMode::Normal, pending, Chord::from_event(key))
                    .map(Msg::Action)
            }
        }
        Event::Resize(w, h) => Some(Msg::Resize(*w, *h)),
        _ => None,
    }
}
