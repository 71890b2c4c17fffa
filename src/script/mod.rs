//! `pgscope cancel` / `pgscope terminate`: one connection, one read of the sessions, the keys'
//! targeting ([`crate::update::targeting`]) and signalling statement ([`crate::control::signal`]),
//! a JSON line per target on stdout, the action log like the keys'. Human lines go to stderr.

mod json;
pub mod select;

use std::io::Write;

use crate::collect::{self, Session};
use crate::conn::Target;
use crate::control::signal::{self, SignalPermit};
use crate::effect::{Outcome, SignalKind, SignalTarget};
use crate::panes::Pane;
use crate::snapshot::Backend;
use crate::state::filter::Filter;
pub use json::parse_rfc3339;
use select::{Choice, Criteria, Pins};

/// Exit codes of the action subcommands (README "Exit codes").
pub const EXIT_OK: u8 = 0;
pub const EXIT_ERROR: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
/// Nothing was done: the filter matched nothing, or more than `--max`.
pub const EXIT_NOTHING: u8 = 3;
/// Some targets were not signalled (changed, refused, failed, still alive).
pub const EXIT_PARTIAL: u8 = 4;

/// The command line's criteria, checked before connecting; `Err` is the usage message.
pub fn criteria(kind: SignalKind, args: &crate::cli::SignalArgs) -> Result<Criteria, String> {
    let pin = |flag: &str, v: &Option<String>| {
        v.as_deref()
            .map(parse_rfc3339)
            .transpose()
            .map_err(|e| format!("--{flag}: {e}"))
    };
    let c = Criteria {
        kind,
        pids: args.pids.clone(),
        filter: args.filter.as_deref().map(Filter::parse),
        max: args.max,
        pins: Pins {
            backend_start: pin("if-backend-start", &args.if_backend_start)?,
            query_start: pin("if-query-start", &args.if_query_start)?,
            xact_start: pin("if-xact-start", &args.if_xact_start)?,
        },
    };
    match c.problem() {
        Some(why) => Err(why),
        None => Ok(c),
    }
}

/// Reads the sessions, chooses, signals (unless `dry_run`), prints; returns the exit code.
pub async fn run(
    c: &Criteria,
    dry_run: bool,
    session: &Session,
    target: &Target,
    permit: &SignalPermit,
    out: &mut dyn Write,
) -> u8 {
    let verb = c.kind.verb();
    let snapshot = match collect::refresh_once(session, Pane::Activity).await {
        Ok(s) => s,
        Err(e) => return say(EXIT_ERROR, &format!("{verb}: reading the sessions: {e}")),
    };
    let (backends, now) = match &snapshot.activity {
        Ok(a) => (a.backends.as_slice(), a.now),
        Err(e) => return say(EXIT_ERROR, &format!("{verb}: reading the sessions: {e}")),
    };
    let (plan, missing) = match c.choose(backends, session.own_pid, now) {
        Choice::Act { plan, missing } => (plan, missing),
        Choice::Nothing(why) => return say(EXIT_NOTHING, &format!("{verb}: {why}")),
    };
    for w in &plan.warnings {
        crate::terminal::say(&format!("pgscope: warning: {w}"));
    }
    let mut lines: Vec<String> = Vec::new();
    let mut all_done = plan.refused.is_empty() && missing.is_empty();
    for pid in &missing {
        lines.push(
            base(verb, *pid)
                .str("result", "changed")
                .str("reason", "no backend with this pid")
                .finish(),
        );
    }
    for (pid, why) in &plan.refused {
        lines.push(
            base(verb, *pid)
                .str("result", "refused")
                .null("sqlstate")
                .str("reason", why)
                .finish(),
        );
    }
    if dry_run {
        for t in &plan.request.targets {
            let b = backends.iter().find(|b| b.pid == t.pid);
            lines.push(target_line(verb, t, b).str("result", "target").finish());
        }
        return print(out, &lines, EXIT_OK);
    }
    if plan.request.targets.is_empty() {
        print(out, &lines, EXIT_OK);
        return say(
            EXIT_PARTIAL,
            &format!("{verb}: no target left: nothing done"),
        );
    }
    let report = signal::run(
        permit,
        &session.client,
        session.caps.version_num,
        plan.request,
    )
    .await;
    let when = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    if let Err(e) =
        crate::control::log::append(&report, &session.caps.login, &target.describe(), &when)
    {
        crate::terminal::say(&format!("pgscope: warning: action log not written: {e}"));
    }
    for (t, outcome) in &report.results {
        all_done &= matches!(outcome, Outcome::Cancelled | Outcome::Terminated);
        lines.push(result_line(verb, t, outcome));
    }
    print(out, &lines, if all_done { EXIT_OK } else { EXIT_PARTIAL })
}

fn base(verb: &str, pid: i32) -> json::Line {
    json::Line::new().str("action", verb).num("pid", pid)
}

fn target_line(verb: &str, t: &SignalTarget, b: Option<&Backend>) -> json::Line {
    base(verb, t.pid)
        .time("backend_start", Some(t.backend_start))
        .time("query_start", b.and_then(|b| b.query_start))
        .time("xact_start", b.and_then(|b| b.xact_start))
        .opt_str("state", b.and_then(|b| b.state.as_deref()))
        .str("usename", &t.usename)
        .str("datname", &t.datname)
        .opt_str("application_name", b.map(|b| b.application_name.as_str()))
        .str("query", &t.query)
}

fn result_line(verb: &str, t: &SignalTarget, outcome: &Outcome) -> String {
    let line = base(verb, t.pid).time("backend_start", Some(t.backend_start));
    let line = match outcome {
        Outcome::Cancelled => line.str("result", "cancelled"),
        Outcome::Terminated => line.str("result", "terminated"),
        Outcome::CancelIgnored => line
            .str("result", "cancel_ignored")
            .str("reason", &outcome.describe()),
        Outcome::StillAlive { .. } => line
            .str("result", "still_alive")
            .str("reason", &outcome.describe()),
        Outcome::Changed => line
            .str("result", "changed")
            .str("reason", "the backend ended or changed since"),
        Outcome::XactEnded => line
            .str("result", "changed")
            .str("reason", "transaction ended before the signal"),
        Outcome::Refused { sqlstate, message } => line
            .str("result", "refused")
            .opt_str("sqlstate", sqlstate.as_deref())
            .str("reason", message),
        Outcome::Failed(f) => line
            .str("result", "failed")
            .opt_str("sqlstate", f.sqlstate.as_deref())
            .str("reason", &f.message),
    };
    line.bool(
        "signalled",
        matches!(
            outcome,
            Outcome::Cancelled
                | Outcome::Terminated
                | Outcome::CancelIgnored
                | Outcome::StillAlive { .. }
        ),
    )
    .finish()
}

fn print(out: &mut dyn Write, lines: &[String], code: u8) -> u8 {
    for l in lines {
        if writeln!(out, "{l}").is_err() {
            return EXIT_ERROR;
        }
    }
    code
}

fn say(code: u8, msg: &str) -> u8 {
    crate::terminal::say(&format!("pgscope: {msg}"));
    code
}
