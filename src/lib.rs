//! pgscope: a live PostgreSQL activity explorer for the terminal.
//!
//! Data flows one way: the collect task builds an owned [`snapshot::Snapshot`] per refresh,
//! the app loop feeds it to the pure [`update`] function, and [`ui`] draws the resulting state.

pub mod action;
pub mod app;
pub mod churn;
pub mod cli;
pub mod collect;
pub mod columns;
pub mod config;
pub mod conn;
pub mod control;
pub mod demo;
pub mod effect;
pub mod explainable;
pub mod failure;
pub mod fault;
pub mod fleet;
pub mod hit;
pub mod keymap;
pub mod lab;
pub mod layout;
pub mod lend;
pub mod log;
pub mod panes;
pub mod pooler;
pub mod rates;
pub mod script;
pub mod slots;
pub mod snapshot;
pub mod snapshot_cmd;
pub mod sqlfmt;
pub mod state;
pub mod terminal;
pub mod text;
pub mod ui;
pub mod update;
