//! `pgscope snapshot`: its flags, and the parsing of the values they take.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::ConnFlags;

/// What `pgscope snapshot` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// The table the TUI draws for the pane, plain
    #[default]
    Text,
    /// One JSON document per snapshot (newline-delimited with --count > 1), schema 1
    Json,
    /// One table per pane with a header row
    Csv,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub conn: ConnFlags,

    /// Panes to print, comma-separated (activity, locks, waits, connections, replication,
    /// progress, statements, tables, settings, pooler), or all
    #[arg(
        long,
        value_name = "NAME[,NAME...]",
        value_delimiter = ',',
        default_value = "activity"
    )]
    pub pane: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Snapshots to take, --interval apart (rates from the second on; one snapshot takes two
    /// reads an interval apart so that it has rates too)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,

    /// Width of the text format (default: the terminal's, else 200)
    #[arg(long, value_name = "COLS", value_parser = clap::value_parser!(u16).range(40..=1000))]
    pub width: Option<u16>,

    /// With --format csv: write one file per pane (PANE.csv) into DIR
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// Also read a PgBouncer admin console, for the pooler pane
    #[arg(long, value_name = "CONNINFO")]
    pub pooler: Option<String>,

    /// Print the fleet table of the servers this file names (as `pgscope fleet --fleet FILE`)
    /// instead of panes
    #[arg(long, value_name = "FILE", conflicts_with_all = ["pane", "count", "output_dir", "pooler"])]
    pub fleet: Option<PathBuf>,
}

/// `5s`, `500ms`, `2m`, `1h` or a plain number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("\"{s}\" is not a duration (e.g. 5s, 500ms, 2m)"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("\"{s}\": unit must be ms, s, m or h")),
    };
    if !(0.0..=1e9).contains(&secs) {
        return Err(format!("\"{s}\" is out of range"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("5d").is_err());
    }
}
