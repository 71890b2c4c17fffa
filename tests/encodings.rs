//! Text in another database's encoding (faults.md T06): pg_stat_activity hands out query text
//! in the encoding of the session's own database, so from a UTF-8 database a LATIN1 session's
//! text is not valid UTF-8. It is shown with replacement characters; no row and no pane is lost.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use pgscope::collect::{self, session};
use pgscope::panes::Pane;

#[test]
fn latin1_text_read_from_a_utf8_database() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin
            .batch_execute(
                "CREATE DATABASE latin ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' \
                 TEMPLATE template0",
            )
            .await
            .unwrap();
        let latin = Arc::new(cluster.connect("latin", "postgres", "café").await.unwrap());
        let runner = Arc::clone(&latin);
        let task = tokio::spawn(async move {
            let _ = runner
                .batch_execute("SELECT pg_sleep(60) /* café crème */")
                .await;
        });
        let s = session::open(&common::target(&cluster, "postgres"))
            .await
            .unwrap();
        common::eventually(
            Duration::from_secs(10),
            "the LATIN1 session runs",
            || async {
                let snap = Box::pin(collect::refresh_once(&s, Pane::Activity))
                    .await
                    .unwrap();
                snap.activity
                    .unwrap()
                    .backends
                    .iter()
                    .any(|b| b.datname.as_deref() == Some("latin") && b.query.contains("pg_sleep"))
                    .then_some(())
            },
        )
        .await;
        for &pane in Pane::ALL {
            let snap = Box::pin(collect::refresh_once(&s, pane)).await.unwrap();
            let activity = snap.activity.as_ref().unwrap();
            let row = activity
                .backends
                .iter()
                .find(|b| b.datname.as_deref() == Some("latin") && b.query.contains("pg_sleep"))
                .unwrap_or_else(|| panic!("{pane:?}: the LATIN1 session is missing"));
            assert!(
                row.query.contains("caf\u{FFFD} cr\u{FFFD}me"),
                "{:?}",
                row.query
            );
            assert!(
                row.application_name.starts_with("caf"),
                "{:?}",
                row.application_name
            );
        }
        latin
            .cancel_token()
            .cancel_query(tokio_postgres::NoTls)
            .await
            .unwrap();
        let _ = task.await;
    });
}
