//! The Settings pane through the collect task against a real server: nothing is read while the
//! pane is not focused; focused, the pane's part arrives and `update` lists the pending restart
//! first, with the per-database override, and the pane's `/` search narrows the list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::collector;
use pgscope::action::Action;
use pgscope::collect::sampler::Config;
use pgscope::collect::session;
use pgscope::panes::Pane;
use pgscope::state::State;
use pgscope::update::{FilterKey, Msg, update};

#[test]
fn collect_task_reads_settings_only_while_focused() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "setup")
            .await
            .unwrap();
        for sql in [
            "ALTER DATABASE postgres SET lock_timeout = '7s'",
            "ALTER SYSTEM SET shared_buffers = '64MB'",
            "SELECT pg_reload_conf()",
        ] {
            admin.batch_execute(sql).await.unwrap();
        }
        let t = common::target(&cluster, "postgres");
        let first = session::open(&t).await.unwrap();
        let c = collector::spawn(t, first, Duration::from_millis(300), Config::default());
        let mut snaps = c.snaps;
        snaps.changed().await.unwrap();
        let unfocused = snaps.borrow_and_update().clone().unwrap();
        assert!(unfocused.panes.settings.is_none());

        c.focus.send_replace(Pane::Settings);
        let snap = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                snaps.changed().await.unwrap();
                let snap = snaps.borrow_and_update().clone().unwrap();
                let pending = snap.panes.settings.as_ref().is_some_and(|s| {
                    s.as_ref().is_ok_and(|s| {
                        s.params.as_ref().is_ok_and(|p| {
                            p.rows
                                .iter()
                                .any(|r| r.name == "shared_buffers" && r.pending_restart)
                        })
                    })
                });
                if pending {
                    return snap;
                }
            }
        })
        .await
        .unwrap();

        let mut st = State::new(Duration::from_secs(1), snap.taken_at);
        update(&mut st, Msg::Resize(120, 40));
        update(&mut st, Msg::Action(Action::Pane(9)));
        update(
            &mut st,
            Msg::Snapshot {
                snapshot: snap.clone(),
                now: snap.taken_at,
            },
        );
        assert_eq!(st.pane, Pane::Settings);
        assert_eq!(
            st.views.settings.rows.first().map(String::as_str),
            Some("shared_buffers")
        );
        let settings = st.settings_data().unwrap();
        let overrides = settings.overrides.as_ref().unwrap();
        assert!(
            overrides
                .iter()
                .any(|o| o.name == "lock_timeout" && o.database.as_deref() == Some("postgres")),
            "{overrides:?}"
        );
        update(&mut st, Msg::Action(Action::StartFilter));
        for ch in "shared_b".chars() {
            update(&mut st, Msg::FilterKey(FilterKey::Char(ch)));
        }
        assert_eq!(st.views.settings.rows, vec!["shared_buffers".to_owned()]);
        c.task.abort();
    });
}
