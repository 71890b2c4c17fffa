//! Choosing what a cancel or terminate acts on, from what the operator saw: refusals (our own
//! session, auxiliary processes, nothing to cancel), extra warnings (walsenders, autovacuum,
//! replication and parallel workers), and the identity each target is pinned to.

use crate::effect::{NOT_SIGNALLED, SignalKind, SignalRequest, SignalTarget};
use crate::snapshot::{Backend, Micros};
use crate::state::dialog::Plan;

/// Builds the plan for `chosen` (pid, backend_start) against the rows on screen.
pub fn plan(
    kind: SignalKind,
    chosen: &[(i32, Micros)],
    backends: &[Backend],
    own_pid: i32,
    now: Micros,
) -> Plan {
    plan_with(kind, chosen, backends, own_pid, now, false)
}

/// [`plan`]; `by_xact` when the sessions were chosen for their transaction's age (a filter or
/// sort on it): a terminate is then pinned to that transaction, as it always is for a session
/// idle in transaction, so a session that committed and went on meanwhile is left alone.
pub fn plan_with(
    kind: SignalKind,
    chosen: &[(i32, Micros)],
    backends: &[Backend],
    own_pid: i32,
    now: Micros,
    by_xact: bool,
) -> Plan {
    let mut targets = Vec::new();
    let mut warnings = Vec::new();
    let mut refused = Vec::new();
    for &(pid, started) in chosen {
        let Some(b) = backends
            .iter()
            .find(|b| b.pid == pid && b.backend_start == Some(started))
        else {
            refused.push((pid, "ended or replaced since it was chosen".to_owned()));
            continue;
        };
        if let Some(reason) = refusal(kind, b, own_pid) {
            refused.push((pid, reason));
            continue;
        }
        if let Some(w) = warning(b) {
            warnings.push(format!("pid {pid}: {w}"));
        }
        let since = b.query_start.or(b.backend_start).unwrap_or(now);
        targets.push(SignalTarget {
            pid,
            backend_start: started,
            query_start: if kind == SignalKind::Cancel {
                b.query_start
            } else {
                None
            },
            xact_start: if kind == SignalKind::Terminate && (by_xact || idle_in_transaction(b)) {
                b.xact_start
            } else {
                None
            },
            usename: b.usename.clone().unwrap_or_default(),
            datname: b.datname.clone().unwrap_or_default(),
            backend_type: b.backend_type.clone(),
            query: b.query.chars().take(200).collect(),
            age: now.saturating_sub(since),
        });
    }
    Plan {
        request: SignalRequest { kind, targets },
        warnings,
        refused,
    }
}

fn idle_in_transaction(b: &Backend) -> bool {
    b.state
        .as_deref()
        .is_some_and(|s| s.starts_with("idle in transaction"))
}

fn refusal(kind: SignalKind, b: &Backend, own_pid: i32) -> Option<String> {
    if b.pid == own_pid {
        return Some("pgscope's own monitoring session".to_owned());
    }
    if NOT_SIGNALLED.contains(&b.backend_type.as_str()) {
        return Some(format!("{} is an auxiliary server process", b.backend_type));
    }
    if kind == SignalKind::Cancel && b.state.as_deref() != Some("active") && b.is_client() {
        let state = b.state.as_deref().unwrap_or("unknown");
        return Some(format!("not running a query (state {state})"));
    }
    None
}

fn warning(b: &Backend) -> Option<&'static str> {
    let t = b.backend_type.as_str();
    if t == "walsender" {
        Some("a replication connection: its standby or subscriber disconnects")
    } else if t == "autovacuum worker" {
        Some("autovacuum worker: the work is lost and redone; never interrupt a wraparound vacuum")
    } else if t.starts_with("logical replication") {
        Some("a logical replication worker: replication stops until it restarts")
    } else if t == "parallel worker" {
        Some("a parallel worker: its leader's query fails")
    } else if !b.is_client() {
        Some("a background worker of the server or an extension")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend(pid: i32, kind: &str, state: Option<&str>) -> Backend {
        Backend {
            pid,
            backend_type: kind.to_owned(),
            state: state.map(str::to_owned),
            backend_start: Some(1_000),
            query_start: Some(5_000),
            query: "SELECT pg_sleep(60)".to_owned(),
            ..Backend::default()
        }
    }

    #[test]
    fn refuses_own_auxiliary_idle_and_replaced() {
        let rows = vec![
            backend(1, "client backend", Some("active")),
            backend(2, "checkpointer", None),
            backend(3, "client backend", Some("idle")),
            backend(4, "walsender", Some("active")),
            backend(5, "client backend", Some("active")),
        ];
        let chosen = [
            (1, 1_000),
            (2, 1_000),
            (3, 1_000),
            (4, 1_000),
            (5, 999),
            (6, 1_000),
        ];
        let plan = plan(SignalKind::Cancel, &chosen, &rows, 1, 10_000);
        let pids: Vec<i32> = plan.request.targets.iter().map(|t| t.pid).collect();
        assert_eq!(pids, vec![4]);
        assert_eq!(plan.request.targets[0].query_start, Some(5_000));
        assert_eq!(plan.request.targets[0].age, 5_000);
        let refused: Vec<i32> = plan.refused.iter().map(|r| r.0).collect();
        assert_eq!(refused, vec![1, 2, 3, 5, 6]);
        assert!(plan.warnings[0].contains("replication connection"));
    }

    #[test]
    fn every_process_on_the_shared_list_is_refused() {
        for (i, kind) in NOT_SIGNALLED.iter().enumerate() {
            let pid = i as i32 + 10;
            let rows = vec![backend(pid, kind, Some("active"))];
            for signal in [SignalKind::Cancel, SignalKind::Terminate] {
                let plan = plan(signal, &[(pid, 1_000)], &rows, 1, 10_000);
                assert!(plan.request.targets.is_empty(), "{kind} was planned");
                assert!(plan.refused[0].1.contains("auxiliary"), "{kind}");
            }
        }
    }

    #[test]
    fn terminate_allows_idle_and_does_not_pin_the_query() {
        let rows = vec![backend(3, "client backend", Some("idle in transaction"))];
        let plan = plan(SignalKind::Terminate, &[(3, 1_000)], &rows, 1, 10_000);
        assert_eq!(plan.request.targets.len(), 1);
        assert_eq!(plan.request.targets[0].query_start, None);
        assert!(plan.warnings.is_empty() && plan.refused.is_empty());
    }

    #[test]
    fn terminate_pins_the_transaction_it_was_chosen_for() {
        let mut rows = vec![
            backend(3, "client backend", Some("idle in transaction")),
            backend(4, "client backend", Some("active")),
        ];
        for b in &mut rows {
            b.xact_start = Some(4_000);
        }
        let both = [(3, 1_000), (4, 1_000)];
        let pins = |p: &Plan| -> Vec<Option<Micros>> {
            p.request.targets.iter().map(|t| t.xact_start).collect()
        };
        let p = plan(SignalKind::Terminate, &both, &rows, 1, 10_000);
        assert_eq!(pins(&p), vec![Some(4_000), None]);
        let p = plan_with(SignalKind::Terminate, &both, &rows, 1, 10_000, true);
        assert_eq!(pins(&p), vec![Some(4_000), Some(4_000)]);
        let p = plan_with(SignalKind::Cancel, &both[1..], &rows, 1, 10_000, true);
        assert_eq!(pins(&p), vec![None]);
    }
}
