//! `pgscope snapshot`: panes printed once or `--count` times as text, JSON or CSV, for scripts
//! and tickets. The collector, the view models (filter, sort) and the draw code are the TUI's;
//! this module only drives them and writes what they produce.

pub mod csv_out;
pub mod doc;
pub mod export;
pub mod json;
mod panes;
pub mod run;
pub mod schema;
pub mod shown;
pub mod text;
pub mod vocab;

pub use panes::select;
pub use run::run;

use crate::cli::{Format, SnapshotArgs};

/// The one line the TUI prints instead of escape sequences into a file or a pipe.
pub const NOT_A_TERMINAL: &str =
    "standard output is not a terminal; use `pgscope snapshot` for text, JSON or CSV output";

/// Exit statuses: every asked pane read; a pane failed; connection or usage error.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PANE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Usage checks made before connecting: the pane names, and CSV of several panes only into a
/// directory.
pub fn check(args: &SnapshotArgs) -> Result<(), String> {
    let panes = select(&args.pane)?;
    if args.format == Format::Csv && panes.len() > 1 && args.output_dir.is_none() {
        return Err(format!(
            "--format csv prints one pane; {} panes need --output-dir DIR (one file per pane)",
            panes.len()
        ));
    }
    if args.output_dir.is_some() && args.format != Format::Csv {
        return Err("--output-dir is for --format csv".to_owned());
    }
    Ok(())
}
