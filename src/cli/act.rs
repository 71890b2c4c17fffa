//! `pgscope cancel` / `pgscope terminate`: the keys' actions for scripts and runbooks, with the
//! same targeting and the same signalling statement. Connection flags as psql's, minus the
//! positional DBNAME (the positionals are pids here).

use clap::Args;

use crate::conn::ConnArgs;

#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct SignalArgs {
    /// Backend pids to signal (with --filter: only those of them that match)
    #[arg(value_name = "PID")]
    pub pids: Vec<i32>,
    /// Every client session matching this Activity filter (`app:=x idle>1m`, `user:batch xact>5m`)
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// List the targets as JSON lines; signal nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Only if the backend started at this time (RFC 3339, as `pgscope snapshot --format json` prints backend_start)
    #[arg(long, value_name = "TIME")]
    pub if_backend_start: Option<String>,
    /// Only if its current query started at this time (query_start)
    #[arg(long, value_name = "TIME")]
    pub if_query_start: Option<String>,
    /// Only if its current transaction started at this time (xact_start)
    #[arg(long, value_name = "TIME")]
    pub if_xact_start: Option<String>,
    /// Do nothing when more sessions than this match
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub max: usize,
    /// Database server host or socket directory
    #[arg(short = 'h', long = "host", value_name = "HOSTNAME")]
    pub host: Option<String>,
    /// Database server port
    #[arg(short = 'p', long = "port", value_name = "PORT")]
    pub port: Option<String>,
    /// Database user name
    #[arg(short = 'U', long = "username", value_name = "USERNAME")]
    pub user: Option<String>,
    /// Database name or connection string
    #[arg(short = 'd', long = "dbname", value_name = "DBNAME")]
    pub dbname: Option<String>,
    /// Force a password prompt (before connecting, without echo)
    #[arg(short = 'W', long = "password", conflicts_with = "no_password")]
    pub password_prompt: bool,
    /// Never prompt for a password
    #[arg(short = 'w', long = "no-password")]
    pub no_password: bool,
}

impl SignalArgs {
    pub fn conn_args(&self) -> ConnArgs {
        ConnArgs {
            host: self.host.clone(),
            port: self.port.clone(),
            user: self.user.clone(),
            dbname: self.dbname.clone(),
            conninfo: None,
        }
    }
}
