//! Which backends a `pgscope cancel`/`terminate` acts on: pids and/or a filter over the sessions
//! read just before, the `--max` guard, then the keys' own targeting (refusals, warnings,
//! identity) and the pins from the command line. Pure: tested without a server.

use crate::effect::SignalKind;
use crate::snapshot::{Backend, Micros};
use crate::state::dialog::Plan;
use crate::state::filter::Filter;
use crate::update::targeting;

/// Identity pins from the command line (`--if-backend-start`...), for a single pid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pins {
    pub backend_start: Option<Micros>,
    pub query_start: Option<Micros>,
    pub xact_start: Option<Micros>,
}

impl Pins {
    fn any(&self) -> bool {
        self.backend_start.is_some() || self.query_start.is_some() || self.xact_start.is_some()
    }
}

pub struct Criteria {
    pub kind: SignalKind,
    pub pids: Vec<i32>,
    pub filter: Option<Filter>,
    pub max: usize,
    pub pins: Pins,
}

#[derive(Debug)]
pub enum Choice {
    /// What to send, with the keys' refusals and warnings; `missing`: pids not found.
    Act { plan: Plan, missing: Vec<i32> },
    /// Nothing is done: why, in one line.
    Nothing(String),
}

impl Criteria {
    /// A usage problem, checked before connecting.
    pub fn problem(&self) -> Option<String> {
        if self.pids.is_empty() && self.filter.is_none() {
            return Some("name the backends: PID... or --filter EXPR".to_owned());
        }
        if let Some(why) = self.filter.as_ref().and_then(Filter::problem) {
            return Some(format!("--filter: {why}"));
        }
        if self.filter.as_ref().is_some_and(Filter::is_empty) {
            return Some("--filter: an empty filter would match every session".to_owned());
        }
        if self.pins.any() && self.pids.len() != 1 {
            return Some(
                "--if-backend-start, --if-query-start and --if-xact-start pin one PID".to_owned(),
            );
        }
        None
    }

    /// Chooses the targets among `backends`, read at server time `now`.
    pub fn choose(&self, backends: &[Backend], own_pid: i32, now: Micros) -> Choice {
        let wanted = |b: &&Backend| {
            let by_pid = self.pids.is_empty() || self.pids.contains(&b.pid);
            // A filter alone picks client sessions; background processes are named by pid.
            let by_filter = self.filter.as_ref().is_none_or(|f| {
                (!self.pids.is_empty() || b.is_client() || crate::slots::maybe_client(b))
                    && f.matches(b, now)
            });
            by_pid && by_filter
        };
        let matched: Vec<&Backend> = backends.iter().filter(wanted).collect();
        let missing: Vec<i32> = self
            .pids
            .iter()
            .copied()
            .filter(|p| !backends.iter().any(|b| b.pid == *p))
            .collect();
        if matched.is_empty() && missing.is_empty() {
            return Choice::Nothing(match &self.filter {
                Some(f) => format!("no session matches --filter '{}': nothing done", f.text),
                None => "none of these pids matches: nothing done".to_owned(),
            });
        }
        if matched.len() > self.max {
            return Choice::Nothing(format!(
                "{} sessions match, more than --max {}: nothing done",
                matched.len(),
                self.max
            ));
        }
        // Without a start time (another role's session, hidden) a backend cannot be pinned.
        let chosen: Vec<(i32, Micros)> = matched
            .iter()
            .map(|b| (b.pid, b.backend_start.unwrap_or(Micros::MIN)))
            .collect();
        let by_xact = self.filter.as_ref().is_some_and(Filter::selects_on_xact);
        let mut plan = targeting::plan_with(self.kind, &chosen, backends, own_pid, now, by_xact);
        for t in &mut plan.request.targets {
            if let Some(at) = self.pins.backend_start {
                t.backend_start = at;
            }
            if let Some(at) = self.pins.query_start {
                t.query_start = Some(at);
            }
            if let Some(at) = self.pins.xact_start {
                t.xact_start = Some(at);
            }
        }
        Choice::Act { plan, missing }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Micros = 1_000_000;
    const NOW: Micros = 1_000 * S;

    fn session(pid: i32, app: &str, state: &str, idle_secs: Micros) -> Backend {
        Backend {
            pid,
            application_name: app.into(),
            backend_type: "client backend".into(),
            state: Some(state.into()),
            backend_start: Some(S),
            state_change: Some(NOW - idle_secs * S),
            query_start: Some(NOW - idle_secs * S),
            xact_start: (state != "idle").then_some(NOW - idle_secs * S),
            ..Backend::default()
        }
    }

    fn criteria(kind: SignalKind, pids: &[i32], filter: Option<&str>) -> Criteria {
        Criteria {
            kind,
            pids: pids.to_vec(),
            filter: filter.map(Filter::parse),
            max: 50,
            pins: Pins::default(),
        }
    }

    fn pids(choice: &Choice) -> Vec<i32> {
        match choice {
            Choice::Act { plan, .. } => plan.request.targets.iter().map(|t| t.pid).collect(),
            Choice::Nothing(why) => panic!("nothing: {why}"),
        }
    }

    fn rows() -> Vec<Backend> {
        vec![
            session(10, "x", "idle", 120),
            session(11, "x", "idle", 5),
            session(12, "x", "active", 120),
            session(13, "y", "idle", 120),
            session(14, "x", "idle in transaction", 90),
            Backend {
                pid: 15,
                backend_type: "checkpointer".into(),
                backend_start: Some(S),
                ..Backend::default()
            },
        ]
    }

    #[test]
    fn a_filter_picks_client_sessions_and_pins_their_transactions() {
        let c = criteria(SignalKind::Terminate, &[], Some("app:=x idle>1m"));
        let choice = c.choose(&rows(), 1, NOW);
        assert_eq!(pids(&choice), vec![10, 14]);
        let Choice::Act { plan, .. } = choice else {
            unreachable!()
        };
        assert_eq!(plan.request.targets[0].xact_start, None);
        assert_eq!(plan.request.targets[1].xact_start, Some(NOW - 90 * S));
    }

    #[test]
    fn nothing_matched_and_too_many_do_nothing() {
        let c = criteria(SignalKind::Terminate, &[], Some("app:=nobody"));
        assert!(
            matches!(c.choose(&rows(), 1, NOW), Choice::Nothing(w) if w.contains("no session matches"))
        );
        let mut c = criteria(SignalKind::Terminate, &[], Some("app:=x"));
        c.max = 3;
        assert!(
            matches!(c.choose(&rows(), 1, NOW), Choice::Nothing(w) if w.contains("4 sessions match, more than --max 3"))
        );
    }

    #[test]
    fn pids_refusals_missing_and_pins() {
        let mut c = criteria(SignalKind::Terminate, &[15, 99, 1], None);
        let Choice::Act { plan, missing } = c.choose(&rows(), 1, NOW) else {
            panic!()
        };
        assert!(plan.request.targets.is_empty());
        assert_eq!(missing, vec![99, 1]);
        assert!(plan.refused[0].1.contains("auxiliary"));
        c.pids = vec![12];
        c.pins = Pins {
            backend_start: Some(7),
            query_start: Some(8),
            xact_start: Some(9),
        };
        assert_eq!(c.problem(), None);
        let Choice::Act { plan, .. } = c.choose(&rows(), 1, NOW) else {
            panic!()
        };
        let t = &plan.request.targets[0];
        assert_eq!(
            (t.backend_start, t.query_start, t.xact_start),
            (7, Some(8), Some(9))
        );
        c.pids = vec![12, 13];
        assert!(c.problem().unwrap().contains("pin one PID"));
        assert!(criteria(SignalKind::Cancel, &[], None).problem().is_some());
        assert!(
            criteria(SignalKind::Cancel, &[], Some("idle>soon"))
                .problem()
                .is_some()
        );
    }
}
