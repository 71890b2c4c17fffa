use super::*;

fn params(pairs: &[(&str, &str)]) -> Params {
    Params {
        files_visible: true,
        rows: pairs
            .iter()
            .map(|(n, v)| Param {
                name: (*n).to_owned(),
                setting: (*v).to_owned(),
                ..Param::default()
            })
            .collect(),
    }
}

fn settings(o: &[Observation]) -> Vec<&str> {
    o.iter().map(|o| o.setting).collect()
}

/// A server configured well: nothing to observe.
fn good() -> Vec<(&'static str, &'static str)> {
    vec![
        ("idle_in_transaction_session_timeout", "600000"),
        ("autovacuum", "on"),
        ("track_counts", "on"),
        ("max_connections", "100"),
        ("log_min_duration_statement", "1000"),
        ("track_io_timing", "on"),
        ("log_lock_waits", "on"),
        ("log_autovacuum_min_duration", "600000"),
        ("track_activity_query_size", "4096"),
        ("fsync", "on"),
        ("full_page_writes", "on"),
    ]
}

fn with(changes: &[(&'static str, &'static str)]) -> Params {
    let mut p = good();
    for (n, v) in changes {
        p.retain(|(name, _)| name != n);
        p.push((n, v));
    }
    params(&p)
}

#[test]
fn a_well_configured_server_has_no_observation() {
    let facts = Facts {
        idle_in_xact: 2,
        active: 5,
        sessions: 40,
        complete: true,
        ..Facts::default()
    };
    let cx = Context {
        facts: Some(&facts),
        pooler: false,
    };
    assert_eq!(checks(&params(&good()), cx), []);
}

#[test]
fn idle_in_transaction_without_timeout_only_when_sessions_sit_there() {
    let p = with(&[("idle_in_transaction_session_timeout", "0")]);
    let none = Facts::default();
    let cx = Context {
        facts: Some(&none),
        pooler: false,
    };
    assert_eq!(checks(&p, cx), []);
    let some = Facts {
        idle_in_xact: 3,
        longest_idle_in_xact: Some(125.4),
        ..Facts::default()
    };
    let o = checks(
        &p,
        Context {
            facts: Some(&some),
            pooler: false,
        },
    );
    assert_eq!(settings(&o), ["idle_in_transaction_session_timeout"]);
    assert!(
        o[0].what.contains("3 sessions") && o[0].what.contains("125 s"),
        "{o:?}"
    );
}

#[test]
fn max_connections_far_above_use_without_a_pooler() {
    let p = with(&[("max_connections", "1000")]);
    let facts = Facts {
        active: 4,
        sessions: 30,
        complete: true,
        ..Facts::default()
    };
    let cx = Context {
        facts: Some(&facts),
        pooler: false,
    };
    assert_eq!(settings(&checks(&p, cx)), ["max_connections"]);
    let pooled = Context { pooler: true, ..cx };
    assert_eq!(checks(&p, pooled), []);
    // Without pg_read_all_stats the counts miss other roles: no claim.
    let partial = Facts {
        complete: false,
        ..facts
    };
    assert_eq!(
        checks(
            &p,
            Context {
                facts: Some(&partial),
                pooler: false
            }
        ),
        []
    );
}

#[test]
fn settings_off_and_pending_restarts() {
    let mut p = with(&[
        ("autovacuum", "off"),
        ("log_min_duration_statement", "-1"),
        ("track_io_timing", "off"),
        ("fsync", "off"),
        ("track_activity_query_size", "1024"),
    ]);
    p.rows[0].pending_restart = true;
    let o = checks(&p, Context::default());
    assert_eq!(
        settings(&o),
        [
            "autovacuum",
            "log_min_duration_statement",
            "track_io_timing",
            "track_activity_query_size",
            "fsync",
            "(restart)"
        ]
    );
}
