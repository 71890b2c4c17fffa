//! A SQL_ASCII database accepts any bytes in a query, and the server refuses to send text that
//! is not valid in the client encoding (22021). With pgscope connected to such a database and a
//! session whose query holds non-UTF-8 bytes, every pane still reads; the text is shown lossily.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use pgscope::collect::sampler::{Config, Sampler};
use pgscope::collect::{self, session};
use pgscope::control;
use pgscope::effect::{DetailsRequest, Done, ExplainRequest, Job};
use pgscope::lab::Cluster;
use pgscope::panes::Pane;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

/// A session that sends `sql` as raw bytes (no client library would send non-UTF-8 text), with
/// the v3 protocol by hand: startup (trust), wait for ReadyForQuery, then one simple Query.
async fn raw_session(cluster: &Cluster, db: &str, sql: &[u8]) -> UnixStream {
    let path = cluster
        .socket_dir()
        .join(format!(".s.PGSQL.{}", cluster.port()));
    let mut s = UnixStream::connect(path).await.unwrap();
    let mut body = 196_608i32.to_be_bytes().to_vec();
    for kv in [
        "user",
        "postgres",
        "database",
        db,
        "application_name",
        "raw",
    ] {
        body.extend_from_slice(kv.as_bytes());
        body.push(0);
    }
    body.push(0);
    let len = i32::try_from(body.len() + 4).unwrap();
    s.write_all(&[&len.to_be_bytes()[..], &body].concat())
        .await
        .unwrap();
    loop {
        let tag = s.read_u8().await.unwrap();
        let len = s.read_i32().await.unwrap();
        let mut rest = vec![0; usize::try_from(len - 4).unwrap()];
        s.read_exact(&mut rest).await.unwrap();
        assert_ne!(
            tag,
            b'E',
            "startup failed: {}",
            String::from_utf8_lossy(&rest)
        );
        if tag == b'Z' {
            break;
        }
    }
    let mut q = sql.to_vec();
    q.push(0);
    let len = i32::try_from(q.len() + 4).unwrap();
    s.write_all(&[&[b'Q'][..], &len.to_be_bytes(), &q].concat())
        .await
        .unwrap();
    s
}

#[test]
fn every_pane_reads_a_sql_ascii_database_with_non_utf8_queries() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin
            .batch_execute(
                "CREATE DATABASE ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' \
                 TEMPLATE template0",
            )
            .await
            .unwrap();
        let _raw = raw_session(
            &cluster,
            "ascii",
            b"SELECT pg_sleep(60) /* caf\xe9 \xff\xfe */",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;

        let s = session::open(&common::target(&cluster, "ascii"))
            .await
            .unwrap();
        for &pane in Pane::ALL {
            let snap = Box::pin(collect::refresh_once(&s, pane)).await.unwrap();
            let activity = snap
                .activity
                .as_ref()
                .unwrap_or_else(|e| panic!("{pane:?}: {e}"));
            let row = activity
                .backends
                .iter()
                .find(|b| b.application_name == "raw")
                .unwrap_or_else(|| panic!("{pane:?}: the session is missing"));
            assert!(
                row.query.contains("caf\u{FFFD} \u{FFFD}\u{FFFD}"),
                "{:?}",
                row.query
            );
            if let Some(Err(e)) = &snap.panes.locks {
                panic!("locks: {e}");
            }
            if let Some(p) = &snap.panes.progress {
                let p = p.as_ref().unwrap();
                assert!(p.ops.is_ok(), "progress: {:?}", p.ops);
                assert!(p.overdue.is_ok(), "progress: {:?}", p.overdue);
                assert!(p.freeze.is_ok(), "progress: {:?}", p.freeze);
                assert!(p.horizon.is_ok(), "progress: {:?}", p.horizon);
            }
        }
        let mut sampler = Sampler::new(Config::default());
        sampler.sample(&s).await.unwrap();
        let waits = sampler.summary(&s.caps, 0);
        assert!(
            waits.sampler.error.is_none(),
            "waits: {:?}",
            waits.sampler.error
        );

        // Details and EXPLAIN through the control task, connected to the same database.
        let snap = Box::pin(collect::refresh_once(&s, Pane::Activity))
            .await
            .unwrap();
        let row = snap
            .activity
            .as_ref()
            .unwrap()
            .backends
            .iter()
            .find(|b| b.application_name == "raw")
            .unwrap()
            .clone();
        let (jobs, rx) = tokio::sync::mpsc::unbounded_channel();
        let (tx, mut done) = tokio::sync::mpsc::unbounded_channel();
        let ctx = control::Context {
            target: common::target(&cluster, "ascii"),
            version_num: s.caps.version_num,
            login: "postgres".to_owned(),
            permit: None,
            lend: None,
        };
        let task = tokio::spawn(control::run(ctx, rx, tx));
        jobs.send(Job::Details(DetailsRequest {
            pid: row.pid,
            backend_start: row.backend_start.unwrap(),
        }))
        .unwrap();
        match done.recv().await.unwrap() {
            Done::Details(d) => {
                assert!(d.error.is_none(), "{:?}", d.error);
                assert!(d.query.unwrap().contains("caf\u{FFFD} \u{FFFD}\u{FFFD}"));
            }
            other => panic!("{other:?}"),
        }
        jobs.send(Job::Explain(ExplainRequest {
            pid: row.pid,
            backend_start: row.backend_start.unwrap(),
            query_start: row.query_start,
            datname: "ascii".to_owned(),
            consented: false,
        }))
        .unwrap();
        match done.recv().await.unwrap() {
            Done::Explain(r) => assert!(
                r.result.unwrap_err().to_string().contains("not UTF-8"),
                "explain"
            ),
            other => panic!("{other:?}"),
        }
        drop(jobs);
        task.await.unwrap();
    });
}
