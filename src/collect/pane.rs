//! What the collector asks of every pane, through the registry: its statements on a new
//! connection, its part of each refresh (read only while it is on screen, unless the pane says
//! otherwise), and a last step with what lives across refreshes (the wait sampler).

use std::future::Future;

use tokio_postgres::Client;

use crate::panes::Pane;
use crate::panes::waits::data::Waits;
use crate::snapshot::{Capabilities, Micros, PaneData, Part, Parts};

/// What the panes ask of the collector beyond being on screen, sent by the app beside the
/// focus: the Tables pane's ranking, selection and database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asks {
    pub tables: crate::panes::tables::model::Want,
}

/// One refresh, as a pane's reader sees it.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    pub client: &'a Client,
    /// How the monitoring connection was reached, for a pane that reads another database;
    /// `None` in one-shot reads without it.
    pub target: Option<&'a crate::conn::Target>,
    pub asks: &'a Asks,
    pub caps: &'a Capabilities,
    /// The refresh's sequence number, for the failure gates.
    pub seq: u64,
    /// The pane is on screen.
    pub focused: bool,
}

/// The wait sampler's history as a pane sees it after a refresh (the sampler implements it;
/// this module does not depend on the sampler).
pub trait WaitHistory {
    /// The history summarized as of `now` (Unix seconds).
    fn summary(&self, caps: &Capabilities, now: i64) -> Waits;
}

/// The refresh just read, with what lives across refreshes.
pub struct After<'a> {
    pub sampler: &'a dyn WaitHistory,
    pub caps: &'a Capabilities,
    /// Client clock when the refresh completed.
    pub taken_at: Micros,
    /// The server's clock at the refresh (the client's when the header failed).
    pub now: Micros,
    pub focused: bool,
}

/// A pane's SQL and decode. `Statements` are prepared once per connection (one that fails
/// keeps its error for the pane to show); `Gates` back a failing query off and outlive
/// reconnects.
pub trait Read: PaneData {
    type Statements: Send + Sync;
    type Gates: Default + Send;

    fn prepare(
        client: &Client,
        caps: &Capabilities,
    ) -> impl Future<Output = Self::Statements> + Send;

    /// The pane's part of one refresh; `None` when it reads nothing this time.
    fn read(
        cx: Cx<'_>,
        st: &Self::Statements,
        gates: &mut Self::Gates,
    ) -> impl Future<Output = Part<Self::Part>> + Send;

    /// Statements one read sends while the pane is on screen, each its own transaction: the
    /// header's TPS leaves pgscope's own out.
    const STATEMENTS: i64 = 0;

    /// After the refresh, for a part built on the client rather than read by a query.
    fn after(_cx: &After<'_>, _part: &mut Part<Self::Part>) {}
}

macro_rules! dispatch {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
        /// Every pane's statements on one connection.
        pub struct Statements {
            $(pub $module: <crate::panes::$module::Def as Read>::Statements,)*
        }

        /// Every pane's failure gates.
        #[derive(Default)]
        pub struct Gates {
            $($module: <crate::panes::$module::Def as Read>::Gates,)*
        }

        /// Prepares every pane's statements, pipelined.
        pub async fn prepare(client: &Client, caps: &Capabilities) -> Statements {
            let ($($module,)*) = tokio::join!(
                $(<crate::panes::$module::Def as Read>::prepare(client, caps),)*
            );
            Statements { $($module,)* }
        }

        /// Every pane's part of one refresh, concurrently on the one connection. Each is boxed:
        /// the refresh future would otherwise carry every pane's pipelined queries inline.
        #[allow(clippy::too_many_arguments)] // one refresh's inputs, passed through
        pub async fn read(
            client: &Client,
            target: Option<&crate::conn::Target>,
            asks: &Asks,
            caps: &Capabilities,
            seq: u64,
            focus: Pane,
            st: &Statements,
            gates: &mut Gates,
        ) -> Parts {
            let Gates { $($module,)* } = gates;
            let ($($module,)*) = tokio::join!($(
                Box::pin(<crate::panes::$module::Def as Read>::read(
                    Cx { client, target, asks, caps, seq, focused: focus == Pane::$variant },
                    &st.$module,
                    $module,
                )),
            )*);
            Parts { $($module,)* }
        }

        /// Statements the focused pane's read sends (a failing one backing off sends fewer).
        pub fn statements(focus: Pane) -> i64 {
            match focus {
                $(Pane::$variant => <crate::panes::$module::Def as Read>::STATEMENTS,)*
            }
        }

        /// Every pane's last step after a refresh.
        pub fn after(sampler: &dyn WaitHistory, snapshot: &mut crate::snapshot::Snapshot, focus: Pane) {
            $(
                let cx = After {
                    sampler,
                    caps: &snapshot.caps,
                    taken_at: snapshot.taken_at,
                    now: snapshot.server.as_ref().map_or(snapshot.taken_at, |s| s.now),
                    focused: focus == Pane::$variant,
                };
                <crate::panes::$module::Def as Read>::after(&cx, &mut snapshot.panes.$module);
            )*
        }
    };
}
crate::panes::for_each_pane!(dispatch);
