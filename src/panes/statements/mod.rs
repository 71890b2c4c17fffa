//! Pane 7, Statements: pg_stat_statements as rates over the last interval, a window of 1, 5 or
//! 15 minutes, or cumulative since the last reset; cheap at 10,000 entries.
//!
//! `probe` says whether the extension can be read and what fixes it if not; `sql` composes the
//! reads from the installed extension's version; `decode` turns rows into the plain `model`;
//! `read` runs them on the monitoring connection; `held` lets a read return only the changed
//! entries; `texts` caches query texts; `delta` and
//! `window` are the pure rates; `pace` spaces the reads when one costs more than the budget.

mod collect;
pub mod columns;
pub mod export;
mod full_text;
pub mod decode;
pub mod delta;
pub mod draw;
pub mod held;
mod draw_details;
pub mod hit;
pub mod keys;
pub mod model;
pub mod pace;
pub mod probe;
pub mod read;
pub mod sql;
pub mod texts;
pub mod view;
pub mod window;

pub use model::{Counters, Entry, Key, Names, Read, Statements, Unavailable};

/// The pane in the registry.
pub struct Def;

/// The pane's part of a refresh: a read, or why pg_stat_statements cannot be read (with the
/// fix); a failed read is the part's `Err`, with its SQLSTATE.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ready(Statements),
    Missing(probe::Missing),
}

impl crate::snapshot::base::PaneData for Def {
    type Part = Outcome;
}

#[cfg(test)]
mod tests;
