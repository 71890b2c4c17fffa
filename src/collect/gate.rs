//! A failing pane query backs off (2, 4, 8 ... up to 64 refreshes) and repeats its last error
//! meanwhile, so a failure does not write an error into the server log every second. A missing
//! privilege (42501) backs off much further (2, 60, then 300 refreshes): it is fixed by a GRANT,
//! not by waiting, and a few revoked functions must not fill the log. A lock timeout (55P03)
//! retries every other refresh: the lock goes away by itself, and each try is one log line.

use std::future::Future;

use crate::snapshot::PaneError;

const MAX_SKIP: u64 = 64;
/// Refreshes skipped after each permission failure in a row; the last one repeats.
const DENIED_SKIPS: [u64; 3] = [2, 60, 300];
/// Refreshes skipped after a lock timeout (55P03), every time.
const LOCK_SKIP: u64 = 2;

#[derive(Default)]
pub struct Gate {
    failures: u32,
    retry_at: u64,
    last: Option<PaneError>,
}

impl Gate {
    /// Runs `work` unless the gate is closed for refresh `seq`.
    pub async fn run<T>(
        &mut self,
        seq: u64,
        work: impl Future<Output = Result<T, PaneError>>,
    ) -> Result<T, PaneError> {
        if seq < self.retry_at
            && let Some(err) = &self.last
        {
            return Err(err.clone());
        }
        let result = work.await;
        match &result {
            Ok(_) => *self = Self::default(),
            Err(e) => {
                self.failures = self.failures.saturating_add(1);
                let skip = if e.sqlstate.as_deref() == Some("42501") {
                    let i = (self.failures as usize - 1).min(DENIED_SKIPS.len() - 1);
                    DENIED_SKIPS[i]
                } else if e.sqlstate.as_deref() == Some("55P03") {
                    // A lock is released any moment: retry soon, not after a minute.
                    LOCK_SKIP
                } else {
                    1u64.checked_shl(self.failures)
                        .unwrap_or(MAX_SKIP)
                        .min(MAX_SKIP)
                };
                self.retry_at = seq + skip;
                self.last = Some(e.clone());
                tracing::warn!(
                    sqlstate = e.sqlstate.as_deref(), error = %e.message, failures = self.failures,
                    skip_refreshes = skip, "pane query failed"
                );
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The refreshes at which a query that always fails is actually sent, in the first 300.
    fn attempts(sqlstate: &str) -> Vec<u64> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut gate = Gate::default();
        let mut sent = Vec::new();
        for seq in 1..=300 {
            let _ = rt.block_on(gate.run(seq, async {
                sent.push(seq);
                Err::<(), _>(PaneError {
                    sqlstate: Some(sqlstate.to_owned()),
                    message: "no".to_owned(),
                })
            }));
        }
        sent
    }

    #[test]
    fn failures_back_off_and_permission_failures_further() {
        assert_eq!(attempts("57014"), [1, 3, 7, 15, 31, 63, 127, 191, 255]);
        // Five minutes at 1 s: three errors in the server log for a revoked function.
        assert_eq!(attempts("42501"), [1, 3, 63]);
        // A lock timeout is retried every other refresh: the lock may be gone any moment.
        assert_eq!(attempts("55P03")[..4], [1, 3, 5, 7]);
    }
}
