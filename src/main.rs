//! The `pgscope` binary: parse the command line, connect (errors printed like psql, before the
//! terminal changes), then hand over to the app loop. One runtime thread is enough: the work per
//! refresh is small, and a multi-threaded runtime costs more in idle wake-ups than it saves.

use std::process::ExitCode;

use clap::Parser;
use pgscope::app::{self, Options};
use pgscope::cli::{Cli, Command, ConnFlags};
use pgscope::collect::session;
use pgscope::config::theme::Theme;
use pgscope::conn;

/// Exit codes, as documented in the README: 0 normal exit, 1 runtime error, 2 connection or
/// usage error (like psql), 101 panic.
const EXIT_ERROR: u8 = 1;
const EXIT_CONNECT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(EXIT_ERROR, &format!("cannot start the runtime: {e}")),
    };
    runtime.block_on(run(cli))
}

/// Connects like psql: `-W` prompts first; a server asking for a password nobody gave gets one
/// prompt (unless `-w`). Prompts happen before the terminal enters raw mode.
async fn connect(
    target: &mut conn::Target,
    flags: &ConnFlags,
) -> Result<conn::Connected, conn::ConnError> {
    let mut prompted = false;
    if flags.password_prompt
        && let Some(p) = conn::prompt_password("Password: ")
    {
        target.set_password(p);
        prompted = true;
    }
    loop {
        match conn::connect_full(target, session::APPLICATION_NAME).await {
            Err(e @ conn::ConnError::NoPassword { .. }) if !prompted && !flags.no_password => {
                let question = format!("Password for user {}: ", target.user());
                let Some(p) = conn::prompt_password(&question) else {
                    return Err(e);
                };
                target.set_password(p);
                prompted = true;
            }
            other => return other,
        }
    }
}

fn fail(code: u8, msg: &str) -> ExitCode {
    pgscope::terminal::say(&format!("pgscope: error: {msg}"));
    ExitCode::from(code)
}

async fn run(cli: Cli) -> ExitCode {
    let theme_name = cli.theme.clone().unwrap_or_else(|| {
        let no_color = std::env::var("NO_COLOR").ok();
        let term = std::env::var("TERM").ok();
        Theme::auto_name(no_color.as_deref(), term.as_deref()).to_owned()
    });
    let theme = match Theme::builtin(&theme_name) {
        Ok(t) => t,
        Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
    };
    let utc_offset = chrono::Local::now().offset().local_minus_utc();
    let opts = Options {
        interval: cli.interval,
        read_only: cli.read_only,
        theme,
        utc_offset,
    };

    if let Some(Command::Demo(args)) = &cli.command {
        return match pgscope::demo::run(args, opts).await {
            Ok(exit) => ExitCode::from(exit.code()),
            Err(e) => fail(EXIT_ERROR, &e.to_string()),
        };
    }

    let env = |key: &str| std::env::var(key).ok();
    let mut target = match conn::resolve(&cli.conn.to_args(), &env) {
        Ok(t) => t,
        Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
    };
    for warning in target.warnings() {
        pgscope::terminal::say(&format!("pgscope: warning: {warning}"));
    }
    let connected = match connect(&mut target, &cli.conn).await {
        Ok(c) => c,
        Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
    };
    let session = match session::prepare(connected).await {
        Ok(s) => s,
        Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
    };
    match app::run(target, session, opts).await {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => fail(EXIT_ERROR, &format!("terminal: {e}")),
    }
}
