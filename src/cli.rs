//! Command-line interface: psql's connection flags, plus pgscope's own options and subcommands.

mod act;
pub mod fleet;
mod generate;
mod help;
mod hint;
pub mod snapshot;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::conn::ConnArgs;
pub use act::SignalArgs;
pub use fleet::FleetArgs;
pub use generate::{completions, man};
pub use help::version;
pub use hint::{extra_of, extra_positional, subcommand_hint};
pub use snapshot::{Format, SnapshotArgs};

#[derive(Debug, Parser)]
#[command(
    name = "pgscope",
    version = help::version(),
    about = "Live PostgreSQL activity explorer for the terminal",
    long_about = help::LONG_ABOUT,
    after_help = help::AFTER_HELP,
    disable_help_flag = true,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: ConnFlags,

    /// Refresh interval in seconds (0.25 to 3600; default 1, or the config file's)
    #[arg(short = 'i', long, value_name = "SECONDS", value_parser = parse_interval, global = true)]
    pub interval: Option<Duration>,

    /// Color theme: default, light, high-contrast, monochrome or a user theme (NO_COLOR picks monochrome)
    #[arg(long, value_name = "NAME", global = true)]
    pub theme: Option<String>,

    /// Config file (default: $XDG_CONFIG_HOME/pgscope/config.toml; also PGSCOPE_CONFIG)
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// Leave the mouse to the terminal (text selection) instead of clicks and the wheel
    #[arg(long, global = true)]
    pub no_mouse: bool,

    /// Refresh at --interval even when one refresh costs the server more than pgscope's budget
    #[arg(long, global = true)]
    pub fixed_interval: bool,

    /// Never cancel, terminate or EXPLAIN: those keys are disabled for the whole run
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Also watch a PgBouncer admin console (e.g. "host=db port=6432 dbname=pgbouncer"): the Pooler pane (P)
    #[arg(long, value_name = "CONNINFO")]
    pub pooler: Option<String>,

    /// Start with this Activity filter (the `/` filter's language: db:, user:, app:, state:, wait:, text)
    #[arg(long, value_name = "EXPR", global = true)]
    pub filter: Option<String>,

    /// Start showing only sessions whose query has run at least this long (5s, 500ms, 2m)
    #[arg(long, value_name = "DURATION", value_parser = snapshot::parse_duration, global = true)]
    pub min_duration: Option<Duration>,

    #[command(flatten)]
    pub sampling: SamplingFlags,

    /// Write a debug log to FILE (created 0600; never the terminal): connections, TLS, pacing,
    /// pane errors, reconnects, actions. PGSCOPE_LOG sets the level (default debug)
    #[arg(long, value_name = "FILE", global = true)]
    pub log: Option<PathBuf>,

    /// Print help
    #[arg(long, action = clap::ArgAction::Help, global = true)]
    pub help: Option<bool>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The same connection flags as psql.
#[derive(Debug, Args)]
pub struct ConnFlags {
    /// Database server host or socket directory
    #[arg(short = 'h', long = "host", value_name = "HOSTNAME")]
    pub host: Option<String>,
    /// Database server port
    #[arg(short = 'p', long = "port", value_name = "PORT")]
    pub port: Option<String>,
    /// Database user name
    #[arg(short = 'U', long = "username", value_name = "USERNAME")]
    pub user: Option<String>,
    /// Database name (or a connection string)
    #[arg(short = 'd', long = "dbname", value_name = "DBNAME")]
    pub dbname: Option<String>,
    /// Connection string ("host=... dbname=...", a postgresql:// URI) or a database name
    #[arg(value_name = "DBNAME")]
    pub conninfo: Option<String>,
    /// Database user name, as psql's second argument (the first one with -d)
    #[arg(value_name = "USERNAME")]
    pub username: Option<String>,
    /// Force a password prompt (before connecting, without echo)
    #[arg(short = 'W', long = "password", conflicts_with = "no_password")]
    pub password_prompt: bool,
    /// Never prompt for a password
    #[arg(short = 'w', long = "no-password")]
    pub no_password: bool,
}

impl ConnFlags {
    /// psql's positional rule: the first word is DBNAME unless -d gave it, the next one
    /// USERNAME. `pgscope shop ops` reaches resolution as `-d shop ops`, where the positional
    /// is the user (or, with -U too, an extra argument that is ignored with a warning).
    pub fn to_args(&self) -> ConnArgs {
        let (dbname, conninfo) = match (&self.dbname, &self.username) {
            (None, Some(user)) => (self.conninfo.clone(), Some(user.clone())),
            _ => (self.dbname.clone(), self.conninfo.clone()),
        };
        ConnArgs {
            host: self.host.clone(),
            port: self.port.clone(),
            user: self.user.clone(),
            dbname,
            conninfo,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a throwaway local cluster with a realistic workload and open pgscope on it
    Demo(DemoArgs),
    /// Show where the config file is read from; --dump prints every setting with its default
    Config(ConfigArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout: `pgscope man > pgscope.1`
    Man,
    /// Cancel the queries of backends, by pid or --filter, with the keys' identity checks; JSON line per target
    Cancel(SignalArgs),
    /// Terminate backends, by pid or --filter, with the keys' identity checks; JSON line per target
    Terminate(SignalArgs),
    /// Print panes once or --count times as text, JSON or CSV, for scripts and tickets
    Snapshot(Box<SnapshotArgs>),
    /// Watch many servers on one screen, a line each; Enter opens one in the full UI
    Fleet(FleetArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the default config file, commented, key bindings included
    #[arg(long)]
    pub dump: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory with the PostgreSQL server binaries (initdb, pg_ctl, postgres)
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
}

/// The wait sampler behind the Waits pane's history.
#[derive(Debug, Args)]
pub struct SamplingFlags {
    /// Wait samples per second (0.5 to 50); halves by itself while samples cost too much server time
    #[arg(long, value_name = "HZ", value_parser = parse_rate, global = true)]
    pub sample_rate: Option<f64>,
    /// No wait sampler: the Waits pane shows only what sessions wait on now
    #[arg(long, global = true)]
    pub no_sampler: bool,
    /// The server's CPU cores, marked on the wait timeline (found by itself on a local socket)
    #[arg(long, value_name = "N", global = true)]
    pub cores: Option<u32>,
}

impl SamplingFlags {
    /// The config file's sampler settings with the flags laid over them (flags win).
    pub fn over(&self, file: crate::collect::sampler::Config) -> crate::collect::sampler::Config {
        let rate_hz = if self.no_sampler {
            0.0
        } else {
            self.sample_rate.unwrap_or(file.rate_hz)
        };
        crate::collect::sampler::Config {
            rate_hz,
            cores: self.cores.or(file.cores),
            ..file
        }
    }
}

fn parse_rate(s: &str) -> Result<f64, String> {
    use crate::collect::sampler::{MAX_RATE_HZ, MIN_RATE_HZ};
    let hz: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("\"{s}\" is not a number of samples per second"))?;
    if !(MIN_RATE_HZ..=MAX_RATE_HZ).contains(&hz) {
        return Err(format!(
            "{s}/s is outside {MIN_RATE_HZ} to {MAX_RATE_HZ} samples per second"
        ));
    }
    Ok(hz)
}

fn parse_interval(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("\"{s}\" is not a number of seconds"))?;
    if !(0.25..=3600.0).contains(&secs) {
        return Err(format!("{s}s is outside 0.25 to 3600 seconds"));
    }
    Ok(Duration::from_secs_f64(secs))
}
