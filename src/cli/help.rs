//! The long texts of `--help` and the man page: examples, environment, files, exit status; and
//! the version line with the commit and date of the build.

use std::sync::LazyLock;

pub const LONG_ABOUT: &str = "\
Live PostgreSQL activity explorer for the terminal: every backend with its state, wait event, \
transaction and query age, who blocks whom, connections, replication, long operations and \
waits over time, refreshed live; cancel, terminate and EXPLAIN the right backend safely. \
It connects like psql: the same flags, connection strings, URIs, PG* variables, service file, \
password file and TLS settings.";

pub const AFTER_HELP: &str = "\
Examples:
  pgscope                               local socket, your OS user, database of the same name
  pgscope shop ops                      database shop as user ops (psql's DBNAME USERNAME)
  pgscope -h db1 -p 5433 -U ops postgres
  pgscope \"postgresql://ops@db1/postgres?sslmode=verify-full\"
  pgscope service=prod --read-only      a [prod] entry of ~/.pg_service.conf; no cancel/terminate
  pgscope demo                          a throwaway cluster with a realistic workload
  pgscope snapshot --pane locks shop    the blocking tree as plain text, for a ticket
  pgscope snapshot --format json --count 10 -i 5 shop | jq .rates.tps
  pgscope --log /tmp/pgscope.log shop   a debug log of connections, TLS, pacing, pane errors
  pgscope completions bash > ~/.local/share/bash-completion/completions/pgscope
  pgscope man > ~/.local/share/man/man1/pgscope.1
  pgscope terminate -U ops --filter 'app:=billing idle>10m' --dry-run
                                        list what a scripted terminate would hit (JSON lines)

Environment:
  PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE PGPASSFILE PGSSLMODE
  PGSSLROOTCERT PGCONNECT_TIMEOUT PGAPPNAME PGTARGETSESSIONATTRS ... (libpq's list)
                   read as psql reads them
  PGPASSWORD       works, but other users of the machine may see it: prefer ~/.pgpass
  PGSCOPE_CONFIG   the config file (--config wins)
  PGSCOPE_LOG      debug log level: error, warn, info, debug or trace; without --log the log
                   goes to the state directory (pgscope.log)
  PGSCOPE_PG_BIN   the demo's PostgreSQL server binaries (--pg-bin wins)
  NO_COLOR         the monochrome theme, unless a theme is asked for

Files:
  $XDG_CONFIG_HOME/pgscope/config.toml   (~/.config/pgscope/config.toml) the config file;
                                         `pgscope config` shows the one in use
  $XDG_CONFIG_HOME/pgscope/themes/       your themes, NAME.toml
  $XDG_STATE_HOME/pgscope/actions.log    (~/.local/state/pgscope/) every cancel and terminate
  $XDG_STATE_HOME/pgscope/pgscope.log    the debug log with PGSCOPE_LOG and no --log
  ~/.pgpass ~/.pg_service.conf ~/.postgresql/   as libpq

Exit status:
  0        quit
  1        runtime error (terminal I/O, demo failure); `snapshot`: a pane failed (its error in
           the output)
  2        usage or connection error (like psql); cancel/terminate when read-only; the TUI
           with a standard output that is not a terminal (use `pgscope snapshot`)
  3        cancel/terminate: nothing done (no session matched, or more than --max)
  4        cancel/terminate: some targets were not signalled (changed, refused...)
  101      panic (the terminal is restored first)
  128+n    ended by signal n: 129 SIGHUP or the terminal went away, 130 SIGINT, 143 SIGTERM";

/// `0.1.0 (commit 23fc4b4a1b2c, built 2026-11-24)`; without a commit (a build from a tarball
/// outside git) only the date.
pub fn version() -> &'static str {
    static VERSION: LazyLock<String> = LazyLock::new(|| {
        version_line(
            env!("CARGO_PKG_VERSION"),
            env!("PGSCOPE_BUILD_COMMIT"),
            env!("PGSCOPE_BUILD_DATE"),
        )
    });
    VERSION.as_str()
}

fn version_line(version: &str, commit: &str, date: &str) -> String {
    if commit.is_empty() {
        format!("{version} (built {date})")
    } else {
        format!("{version} (commit {commit}, built {date})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_the_commit_when_known() {
        assert_eq!(
            version_line("0.1.0", "23fc4b4a1b2c", "2026-11-24"),
            "0.1.0 (commit 23fc4b4a1b2c, built 2026-11-24)"
        );
        assert_eq!(
            version_line("0.1.0", "", "2026-11-24"),
            "0.1.0 (built 2026-11-24)"
        );
    }
}
