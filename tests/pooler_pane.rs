//! The Pooler pane against a real PgBouncer in front of a real server: the pooler task's reads
//! reach the state through `update`, with the queue of waiting clients, and Enter on a server
//! row joined to its backend selects that backend in Activity.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use pgscope::action::Action;
use pgscope::collect::rows::to_micros;
use pgscope::collect::{self, session};
use pgscope::lab::{PgBouncer, PoolerOptions};
use pgscope::panes::Pane;
use pgscope::panes::pooler::view::{ConnKey, RowKey};
use pgscope::pooler::{admin, task};
use pgscope::snapshot::Link;
use pgscope::state::State;
use pgscope::update::{Msg, update};
use tokio::sync::{oneshot, watch};
use tokio_postgres::NoTls;

const WITHIN: Duration = Duration::from_secs(20);

/// A pooler client holding a transaction (and so a server connection) until dropped.
fn hold(conninfo: String, stop: oneshot::Receiver<()>) {
    tokio::spawn(async move {
        let (client, conn) = tokio_postgres::connect(&conninfo, NoTls).await.unwrap();
        tokio::spawn(conn);
        client.simple_query("BEGIN; SELECT 1").await.unwrap();
        let _ = stop.await;
    });
}

fn waiting(st: &State) -> Option<i64> {
    let p = st.views.pooler.latest.as_deref()?;
    p.pools
        .as_ref()
        .ok()?
        .iter()
        .find(|x| x.database == "postgres" && x.user == "postgres")?
        .cl_waiting
}

#[test]
fn waiting_clients_reach_the_pane_and_enter_opens_the_backend() {
    let cluster = common::cluster(common::majors()[0]);
    let pgb = PgBouncer::start(
        &cluster,
        &PoolerOptions {
            pool_size: 2,
            ..PoolerOptions::default()
        },
    )
    .unwrap();
    common::runtime().block_on(async {
        let stops: Vec<oneshot::Sender<()>> = (0..6)
            .map(|_| {
                let (tx, rx) = oneshot::channel();
                hold(pgb.conninfo("postgres", "postgres"), rx);
                tx
            })
            .collect();

        let target = admin::resolve(&pgb.admin_conninfo("postgres"), &|_| None).unwrap();
        let (reads_tx, mut reads) = watch::channel(None);
        let (link_tx, _link) = watch::channel(Link::Connecting);
        let (_interval_tx, interval) = watch::channel(Duration::from_millis(200));
        let ch = task::Channels {
            reads: reads_tx,
            link: link_tx,
            interval,
        };
        let pooler = tokio::spawn(task::run(target, None, ch));

        let now = to_micros(SystemTime::now());
        let mut st = State::new(Duration::from_secs(1), now);
        st.views.pooler.configured = true;
        update(&mut st, Msg::Resize(200, 50));
        update(&mut st, Msg::Action(Action::Pane(10)));
        assert_eq!(st.pane, Pane::Pooler);

        // The database side, so server rows join their backends.
        let session = session::open(&common::target(&cluster, "postgres"))
            .await
            .unwrap();
        let deadline = Instant::now() + WITHIN;
        loop {
            tokio::time::timeout(WITHIN, reads.changed())
                .await
                .unwrap()
                .unwrap();
            let read = reads.borrow_and_update().clone().unwrap();
            update(&mut st, Msg::Pooler(Arc::clone(&read)));
            let snap = collect::refresh_once(&session, Pane::Activity)
                .await
                .unwrap();
            update(
                &mut st,
                Msg::Snapshot {
                    snapshot: Arc::new(snap),
                    now: to_micros(SystemTime::now()),
                },
            );
            let joined = st
                .views
                .pooler
                .join
                .rows
                .iter()
                .flatten()
                .any(|j| matches!(j, pgscope::pooler::join::BackendJoin::Joined { .. }));
            if waiting(&st) == Some(4) && joined {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "4 waiting clients and a joined server; waiting {:?}, join {:?}",
                waiting(&st),
                st.views.pooler.join
            );
        }
        let sat = st.views.pooler.saturation.as_ref().unwrap();
        assert!(
            sat.databases.iter().any(|d| d.database == "postgres"
                && d.level == pgscope::pooler::saturation::Level::Queuing),
            "{sat:#?}"
        );

        // Enter on a joined server row: Activity, with that backend selected.
        let row = st
            .views
            .pooler
            .join
            .rows
            .iter()
            .position(|j| matches!(j, Some(pgscope::pooler::join::BackendJoin::Joined { .. })))
            .unwrap();
        let Some(pgscope::pooler::join::BackendJoin::Joined { pid, .. }) =
            st.views.pooler.join.rows[row]
        else {
            unreachable!()
        };
        let server = &st
            .views
            .pooler
            .latest
            .as_ref()
            .unwrap()
            .servers
            .as_ref()
            .unwrap()[row];
        let key = RowKey::Server(ConnKey::of(server));
        st.views.pooler.select(key.clone());
        assert_eq!(st.views.pooler.selected, Some(key));
        update(&mut st, Msg::Action(Action::Details));
        assert_eq!(st.pane, Pane::Activity);
        assert_eq!(st.views.activity.selected, Some(pid));

        pooler.abort();
        drop(stops);
    });
}
