//! The Pooler pane's view model: the pooler's newest read and what update derives from it
//! (rates between two reads, saturation, the join of server rows to backends).

use std::sync::Arc;

use crate::pooler::Pooler;
use crate::pooler::join::Join;
use crate::pooler::rates::DbRates;
use crate::pooler::saturation::Saturation;
use crate::snapshot::Link;

#[derive(Debug, Clone, Default)]
pub struct PoolerView {
    /// A pooler was given (`--pooler`, the config file, or the target itself): the pane is
    /// reachable. Without one, Tab skips it.
    pub configured: bool,
    /// The pooler task's connection, apart from the database's.
    pub link: Link,
    /// The read on screen.
    pub latest: Option<Arc<Pooler>>,
    pub rates: Vec<DbRates>,
    pub saturation: Option<Saturation>,
    /// One outcome per server row of `latest`, against the shown Activity snapshot.
    pub join: Join,
    /// Selected server row.
    pub selected: usize,
}
