//! `pgscope fleet`: the servers to watch on one screen.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct FleetArgs {
    /// Servers: connection strings, URIs, service=NAME, or names and groups of the config file's [fleet] section (none: all of them)
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    /// A file naming servers and groups: `[servers]` name = "conninfo", `[groups]` name = list of names
    #[arg(long = "fleet", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Never prompt for a password
    #[arg(short = 'w', long = "no-password")]
    pub no_password: bool,
}
