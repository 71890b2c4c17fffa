//! User-facing configuration: built-in themes for now.

pub mod theme;
