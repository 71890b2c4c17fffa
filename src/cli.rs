//! Command-line interface: psql's connection flags, plus pgscope's own options and subcommands.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::conn::ConnArgs;

#[derive(Debug, Parser)]
#[command(
    name = "pgscope",
    version,
    about = "Live PostgreSQL activity explorer for the terminal",
    disable_help_flag = true,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: ConnFlags,

    /// Refresh interval in seconds (0.25 to 3600)
    #[arg(short = 'i', long, value_name = "SECONDS", default_value = "1", value_parser = parse_interval, global = true)]
    pub interval: Duration,

    /// Color theme: default, light or monochrome (NO_COLOR picks monochrome)
    #[arg(long, value_name = "NAME", global = true)]
    pub theme: Option<String>,

    /// Never cancel, terminate or EXPLAIN: those keys are disabled for the whole run
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Print help
    #[arg(long, action = clap::ArgAction::Help)]
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
    #[arg(value_name = "CONNINFO")]
    pub conninfo: Option<String>,
    /// Force a password prompt (before connecting, without echo)
    #[arg(short = 'W', long = "password", conflicts_with = "no_password")]
    pub password_prompt: bool,
    /// Never prompt for a password
    #[arg(short = 'w', long = "no-password")]
    pub no_password: bool,
}

impl ConnFlags {
    pub fn to_args(&self) -> ConnArgs {
        ConnArgs {
            host: self.host.clone(),
            port: self.port.clone(),
            user: self.user.clone(),
            dbname: self.dbname.clone(),
            conninfo: self.conninfo.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a throwaway local cluster with a realistic workload and open pgscope on it
    Demo(DemoArgs),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory with the PostgreSQL server binaries (initdb, pg_ctl, postgres)
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
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
