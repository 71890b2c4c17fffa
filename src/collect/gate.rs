//! A failing pane query backs off (2, 4, 8 ... up to 64 refreshes) and repeats its last error
//! meanwhile, so a missing privilege does not write an error into the server log every second.

use std::future::Future;

use crate::snapshot::PaneError;

const MAX_SKIP: u64 = 64;

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
                let skip = 1u64
                    .checked_shl(self.failures)
                    .unwrap_or(MAX_SKIP)
                    .min(MAX_SKIP);
                self.retry_at = seq + skip;
                self.last = Some(e.clone());
            }
        }
        result
    }
}
