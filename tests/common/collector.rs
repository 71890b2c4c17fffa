//! The collect task in a test: started on an open session, with the channels the app would hold.

use std::sync::Arc;
use std::time::Duration;

use pgscope::collect::{self, Channels, Session, sampler};
use pgscope::conn::Target;
use pgscope::panes::Pane;
use pgscope::snapshot::{Link, Snapshot};
use tokio::sync::watch;

pub struct Collector {
    pub snaps: watch::Receiver<Option<Arc<Snapshot>>>,
    pub link: watch::Receiver<Link>,
    pub interval: watch::Sender<Duration>,
    pub focus: watch::Sender<Pane>,
    pub asks: watch::Sender<collect::pane::Asks>,
    pub task: tokio::task::JoinHandle<()>,
    /// Where the control task would ask for the monitoring connection.
    pub lend: tokio::sync::mpsc::UnboundedSender<pgscope::lend::Ask>,
}

/// Refreshes every `interval` (paced as by default) with Activity focused.
pub fn spawn(
    t: Target,
    first: Session,
    interval: Duration,
    sampling: sampler::Config,
) -> Collector {
    let (snap_tx, snaps) = watch::channel(None);
    let (link_tx, link) = watch::channel(Link::Connected);
    let (interval_tx, interval_rx) = watch::channel(interval);
    let (focus_tx, focus_rx) = watch::channel(Pane::Activity);
    let (lend_tx, lend_rx) = tokio::sync::mpsc::unbounded_channel();
    let (asks_tx, asks_rx) = watch::channel(collect::pane::Asks::default());
    let channels = Channels {
        snapshots: snap_tx,
        link: link_tx,
        interval: interval_rx,
        focus: focus_rx,
        lend: lend_rx,
        asks: asks_rx,
    };
    let task = tokio::spawn(collect::run_with(t, Some(first), channels, sampling, true));
    Collector {
        snaps,
        link,
        interval: interval_tx,
        focus: focus_tx,
        asks: asks_tx,
        task,
        lend: lend_tx,
    }
}
