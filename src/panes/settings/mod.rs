//! The Settings pane (9): the server's parameters not at their defaults, pending restarts first,
//! per-database and per-role overrides, configuration file errors, and a few checks.
