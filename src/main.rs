//! The `pgscope` binary: parse the command line, connect (errors printed like psql, before the
//! terminal changes), then hand over to the app loop. One runtime thread is enough: the work per
//! refresh is small, and a multi-threaded runtime costs more in idle wake-ups than it saves.

use std::process::ExitCode;

use clap::Parser;
use pgscope::app::{self, Options};
use pgscope::cli::{Cli, Command, ConnFlags};
use pgscope::collect::session;
use pgscope::config::startup::{self, Flags};
use pgscope::conn;
use pgscope::control::{self, SignalPermit};
use pgscope::effect::SignalKind;
use pgscope::script;

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
    flags: Prompting,
    application_name: &str,
    mut prompted: bool,
) -> Result<conn::Connected, conn::ConnError> {
    loop {
        match conn::connect_full(target, application_name).await {
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

/// `-W` and `-w`, from the main flags or a subcommand's.
#[derive(Clone, Copy)]
struct Prompting {
    password_prompt: bool,
    no_password: bool,
}

impl From<&ConnFlags> for Prompting {
    fn from(f: &ConnFlags) -> Self {
        Prompting {
            password_prompt: f.password_prompt,
            no_password: f.no_password,
        }
    }
}

/// `-W`: the password asked before the first attempt. True when one was given.
fn prompt_first(target: &mut conn::Target, flags: Prompting) -> bool {
    if flags.password_prompt
        && let Some(p) = conn::prompt_password("Password: ")
    {
        target.set_password(p);
        return true;
    }
    false
}

/// A target whose database is `pgbouncer` may be a PgBouncer admin console: opened as one
/// (with psql's one password prompt), it is the pooler to watch alone. `None`: it is a
/// PostgreSQL database of that name, to connect to as usual.
async fn open_as_pooler(
    target: &mut conn::Target,
    flags: Prompting,
    prompted: bool,
) -> Result<Option<pgscope::pooler::Admin>, pgscope::pooler::PoolerError> {
    let user = target.user().to_owned();
    let ask = |_: &str| {
        (!prompted && !flags.no_password)
            .then(|| conn::prompt_password(&format!("Password for user {user}: ")))
            .flatten()
    };
    match pgscope::pooler::admin::open_asking(target, &ask).await {
        Ok(admin) => Ok(Some(admin)),
        Err(pgscope::pooler::PoolerError::NotPgBouncer { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

fn finish(result: std::io::Result<app::Exit>) -> ExitCode {
    match result {
        Ok(exit) => {
            tracing::info!(?exit, code = exit.code(), "exit");
            ExitCode::from(exit.code())
        }
        Err(e) => {
            tracing::error!(error = %e, "terminal error");
            fail(EXIT_ERROR, &format!("terminal: {e}"))
        }
    }
}

/// A refused login, on one line; for 53300 the grant names the login.
fn connect_failed(e: &conn::ConnError, target: &conn::Target) -> String {
    e.for_login(target.user())
}

fn fail(code: u8, msg: &str) -> ExitCode {
    pgscope::terminal::say(&format!("pgscope: error: {msg}"));
    ExitCode::from(code)
}

/// `completions` and `man` print what clap generates from the parser's own definition.
fn generate(command: &Command) -> Option<ExitCode> {
    let mut out = std::io::stdout().lock();
    let written = match command {
        Command::Completions(args) => pgscope::cli::completions(args.shell, &mut out),
        Command::Man => pgscope::cli::man(&mut out),
        _ => return None,
    };
    Some(match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(EXIT_ERROR, &e.to_string()),
    })
}

/// The run's options: the config file, theme and keymap resolved, warnings printed.
fn options(cli: &Cli, env: &impl Fn(&str) -> Option<String>) -> Result<Options, String> {
    let flags = Flags {
        config: cli.config.as_deref(),
        interval: cli.interval,
        theme: cli.theme.as_deref(),
        read_only: cli.read_only,
        no_mouse: cli.no_mouse,
    };
    let settings = startup::resolve(&flags, &env)?;
    for warning in &settings.warnings {
        pgscope::terminal::say(&format!("pgscope: warning: {warning}"));
    }
    let sampler = cli.sampling.over(settings.config.sampler);
    let adaptive_interval = settings.config.adaptive_interval && !cli.fixed_interval;
    Ok(Options {
        interval: settings.interval,
        read_only: settings.read_only,
        themes: settings.themes,
        keymap: settings.keymap,
        config: settings.config,
        mouse: settings.mouse,
        notice: settings.warnings.first().cloned(),
        sampler,
        adaptive_interval,
        pooler: None,
        filter: cli.filter.clone(),
        min_duration: cli.min_duration,
    })
}

async fn run(cli: Cli) -> ExitCode {
    let env = |key: &str| std::env::var(key).ok();
    if let Some(exit) = cli.command.as_ref().and_then(generate) {
        return exit;
    }
    match pgscope::log::init(cli.log.as_deref(), env("PGSCOPE_LOG").as_deref()) {
        Ok(Some(path)) => tracing::debug!(path = %path.display(), "logging"),
        Ok(None) => {}
        Err(e) => return fail(EXIT_CONNECT, &e),
    }
    if let Some(Command::Config(args)) = &cli.command {
        let text = pgscope::config::describe(args.dump, cli.config.as_deref(), &env);
        return match std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(EXIT_ERROR, &e.to_string()),
        };
    }
    let opts = match options(&cli, &env) {
        Ok(o) => o,
        Err(e) => return fail(EXIT_CONNECT, &e),
    };

    if let Some(Command::Demo(args)) = &cli.command {
        if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            return fail(EXIT_CONNECT, pgscope::snapshot_cmd::NOT_A_TERMINAL);
        }
        return match pgscope::demo::run(args, opts).await {
            Ok(exit) => ExitCode::from(exit.code()),
            Err(e) => fail(EXIT_ERROR, &e.to_string()),
        };
    }

    match &cli.command {
        Some(Command::Fleet(args)) => return fleet(args, opts, &env).await,
        Some(Command::Cancel(args)) => {
            return act(SignalKind::Cancel, args, opts.read_only, &env).await;
        }
        Some(Command::Terminate(args)) => {
            return act(SignalKind::Terminate, args, opts.read_only, &env).await;
        }
        _ => {}
    }

    let mut opts = opts;
    let snapshot = match &cli.command {
        Some(Command::Snapshot(args)) => Some(args),
        _ => None,
    };
    if let Some(args) = snapshot
        && let Some(file) = &args.fleet
    {
        return fleet_snapshot(args, file, &opts, &env).await;
    }
    if let Some(args) = snapshot
        && let Err(e) = pgscope::snapshot_cmd::check(args)
    {
        return fail(EXIT_CONNECT, &e);
    }
    // A snapshot reads a pooler only when asked on its command line.
    let pooler = match snapshot {
        Some(args) => args.pooler.clone(),
        None => cli.pooler.clone().or_else(|| opts.config.pooler.clone()),
    };
    let conn_flags = snapshot.map_or(&cli.conn, |args| &args.conn);
    let mut target = match conn::resolve(&conn_flags.to_args(), &env) {
        Ok(t) => t,
        Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
    };
    let extra = pgscope::cli::extra_of(conn_flags);
    for warning in target.warnings().iter().chain(&extra) {
        pgscope::terminal::say(&format!("pgscope: warning: {warning}"));
    }
    let prompting = Prompting::from(conn_flags);
    let prompted = prompt_first(&mut target, prompting);
    if snapshot.is_none() && pgscope::pooler::admin::may_be_pgbouncer(&target) {
        match open_as_pooler(&mut target, prompting, prompted).await {
            Ok(Some(admin)) => return pooler_only(target, admin, opts, pooler.is_some()).await,
            Ok(None) => {}
            Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
        }
    }
    // The pooler beside the database, opened once the target is known to be no pooler itself.
    if let Some(conninfo) = pooler {
        match pooler_start(&conninfo, &env).await {
            Ok(start) => opts.pooler = Some(start),
            Err(e) => return fail(EXIT_CONNECT, &e),
        }
    }
    let connected = match connect(&mut target, prompting, session::APPLICATION_NAME, prompted).await
    {
        Ok(c) => c,
        Err(e) => {
            let code = fail(EXIT_CONNECT, &connect_failed(&e, &target));
            if let Some(hint) = pgscope::cli::subcommand_hint(&cli) {
                pgscope::terminal::say(&format!("pgscope: hint: {hint}"));
            }
            return code;
        }
    };
    let session = match session::prepare(connected).await {
        Ok(s) => s,
        Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
    };
    match snapshot {
        Some(args) => ExitCode::from(pgscope::snapshot_cmd::run(session, opts, args).await),
        None => tui(target, session, opts).await,
    }
}

/// The UI, on a terminal only: escape sequences must not land in a file or a pipe.
async fn tui(target: conn::Target, session: session::Session, opts: Options) -> ExitCode {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return fail(EXIT_CONNECT, pgscope::snapshot_cmd::NOT_A_TERMINAL);
    }
    finish(app::run(target, session, opts).await)
}

/// The UI on a PgBouncer admin console alone: the target was one.
async fn pooler_only(
    target: conn::Target,
    admin: pgscope::pooler::Admin,
    mut opts: Options,
    pooler_asked: bool,
) -> ExitCode {
    if pooler_asked {
        pgscope::terminal::say(
            "pgscope: warning: --pooler ignored: the target itself is a PgBouncer admin console",
        );
    }
    opts.pooler = Some(app::PoolerStart {
        target,
        first: Some(admin),
    });
    finish(app::run_pooler_only(opts).await)
}

/// `pgscope snapshot --fleet FILE`: the fleet table once, on standard output.
async fn fleet_snapshot(
    args: &pgscope::cli::SnapshotArgs,
    file: &std::path::Path,
    opts: &app::Options,
    env: &dyn Fn(&str) -> Option<String>,
) -> ExitCode {
    use pgscope::fleet;
    let section = match fleet::config::read_file(file) {
        Ok(f) => opts.config.fleet.clone().merged(f),
        Err(e) => return fail(EXIT_CONNECT, &e),
    };
    let names: Vec<String> = section.servers.keys().cloned().collect();
    let mut servers = match fleet::targets::select(&names, &section, env) {
        Ok(s) => s,
        Err(e) => return fail(EXIT_CONNECT, &e),
    };
    let firsts = fleet::start::first_attempts(&mut servers, args.conn.no_password).await;
    let width = args.width.unwrap_or_else(|| {
        crossterm::terminal::size()
            .ok()
            .filter(|_| std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .map_or(200, |(w, _)| w)
    });
    let code = fleet::snapshot::run(
        &servers,
        firsts,
        opts.interval,
        args.format,
        width,
        opts.themes.current(),
        &opts.keymap,
    )
    .await;
    ExitCode::from(code)
}

/// `pgscope fleet`: the servers resolved (usage errors before anything connects), their first
/// attempts and password prompts before the terminal goes raw, then the fleet screen.
async fn fleet(
    args: &pgscope::cli::FleetArgs,
    opts: app::Options,
    env: &dyn Fn(&str) -> Option<String>,
) -> ExitCode {
    use pgscope::fleet;
    let mut section = opts.config.fleet.clone();
    if let Some(path) = &args.file {
        match fleet::config::read_file(path) {
            Ok(file) => section = section.merged(file),
            Err(e) => return fail(EXIT_CONNECT, &e),
        }
    }
    let mut servers = match fleet::targets::select(&args.targets, &section, env) {
        Ok(s) => s,
        Err(e) => return fail(EXIT_CONNECT, &e),
    };
    for s in &servers {
        for warning in s.target.warnings() {
            pgscope::terminal::say(&format!("pgscope: warning: {}: {warning}", s.name));
        }
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return fail(EXIT_CONNECT, pgscope::snapshot_cmd::NOT_A_TERMINAL);
    }
    let firsts = fleet::start::first_attempts(&mut servers, args.no_password).await;
    finish(fleet::app::run(servers, firsts, opts).await)
}

/// `pgscope cancel` / `terminate`: refused in read-only mode, usage checked before connecting,
/// then one connection for reading and signalling.
async fn act(
    kind: SignalKind,
    args: &pgscope::cli::SignalArgs,
    read_only: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> ExitCode {
    let verb = kind.verb();
    let Some(permit) = SignalPermit::unless_read_only(read_only) else {
        return fail(
            EXIT_CONNECT,
            &format!(
                "{verb}: disabled: read-only (read_only = true in the config file, or --read-only)"
            ),
        );
    };
    let criteria = match script::criteria(kind, args) {
        Ok(c) => c,
        Err(e) => return fail(EXIT_CONNECT, &format!("{verb}: {e}")),
    };
    let mut target = match conn::resolve(&args.conn_args(), env) {
        Ok(t) => t,
        Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
    };
    for warning in target.warnings() {
        pgscope::terminal::say(&format!("pgscope: warning: {warning}"));
    }
    let prompting = Prompting {
        password_prompt: args.password_prompt,
        no_password: args.no_password,
    };
    let prompted = prompt_first(&mut target, prompting);
    let connected = match connect(&mut target, prompting, control::APPLICATION_NAME, prompted).await
    {
        Ok(c) => c,
        Err(e) => return fail(EXIT_CONNECT, &connect_failed(&e, &target)),
    };
    let session = match session::prepare(connected).await {
        Ok(s) => s,
        Err(e) => return fail(EXIT_CONNECT, &e.to_string()),
    };
    let mut out = std::io::stdout().lock();
    let code = script::run(
        &criteria,
        args.dry_run,
        &session,
        &target,
        &permit,
        &mut out,
    )
    .await;
    ExitCode::from(code)
}

/// `--pooler`: resolved and opened before the terminal goes raw, where a password can still be
/// asked. A pooler that is down at startup is not fatal: the pane shows it while the task retries;
/// a conninfo that can never work (not PgBouncer, login refused) ends pgscope with one line.
async fn pooler_start(
    conninfo: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<app::PoolerStart, String> {
    let mut target =
        pgscope::pooler::admin::resolve(conninfo, env).map_err(|e| format!("--pooler: {e}"))?;
    let first = match pgscope::pooler::admin::open_asking(&mut target, &conn::prompt_password).await
    {
        Ok(admin) => Some(admin),
        Err(e) if e.is_fatal_at_start() => return Err(format!("--pooler: {e}")),
        Err(e) => {
            pgscope::terminal::say(&format!(
                "pgscope: warning: pooler: {e}; retrying in the background"
            ));
            None
        }
    };
    Ok(app::PoolerStart { target, first })
}
