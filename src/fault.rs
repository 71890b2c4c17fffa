//! Fault injection for the exit-path tests: `PGSCOPE_FAULT=panic@render` (or `panic@collect`,
//! `panic@control`) makes that part panic, to prove the terminal is restored and the exit code
//! says so. Debug builds only: a release binary ignores the variable.

/// True when the fault named `at` was asked for.
pub fn injected(at: &str) -> bool {
    cfg!(debug_assertions) && std::env::var("PGSCOPE_FAULT").is_ok_and(|f| f == at)
}
