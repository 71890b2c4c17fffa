//! The Waits pane in `pgscope snapshot`: what sessions wait on now, grouped as the pane groups
//! them, and the sampler's history over the windows it holds (samples are taken between the
//! reads of `--count`/`--interval`).

use serde::{Deserialize, Serialize};

use super::data::{EventTotal, WaitClass, Window};
use crate::snapshot::PaneError;
use crate::snapshot_cmd::export::{Export, activity_error};
use crate::state::State;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    /// Sessions in a statement or a transaction now.
    pub in_flight: usize,
    pub now: Vec<NowGroup>,
    /// Shortest window first; empty without samples.
    pub history: Vec<HistoryWindow>,
    /// The sampler's last error, while it backs off.
    pub sampler_error: Option<crate::snapshot_cmd::vocab::ErrorDoc>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NowGroup {
    /// `CPU` or `Type:Event`.
    pub wait: String,
    pub class: String,
    pub sessions: usize,
    pub idle_in_transaction: usize,
    /// The most frequent, with their session counts.
    pub databases: Vec<Count>,
    pub users: Vec<Count>,
    pub queries: Vec<Count>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub name: String,
    pub sessions: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryWindow {
    pub window_s: u32,
    pub samples: u64,
    /// Average sessions per class over the window.
    pub average_sessions: Vec<ClassAverage>,
    pub top_waits: Vec<TopWait>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassAverage {
    pub class: String,
    pub sessions: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopWait {
    pub wait: String,
    pub class: String,
    pub average_sessions: f64,
}

fn counts(v: &[(String, usize)]) -> Vec<Count> {
    v.iter()
        .map(|(name, sessions)| Count {
            name: name.clone(),
            sessions: *sessions,
        })
        .collect()
}

fn top(w: &Window, e: &EventTotal) -> TopWait {
    TopWait {
        wait: e.label.clone(),
        class: e.class.label().to_owned(),
        average_sessions: e.count as f64 / w.samples.max(1) as f64,
    }
}

fn window(w: &Window) -> HistoryWindow {
    HistoryWindow {
        window_s: w.secs,
        samples: w.samples,
        average_sessions: WaitClass::ALL
            .iter()
            .map(|&c| ClassAverage {
                class: c.label().to_owned(),
                sessions: w.average(c),
            })
            .collect(),
        top_waits: w.events.iter().map(|e| top(w, e)).collect(),
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "now";
    type Row = NowGroup;

    fn export(state: &State) -> Result<Out, PaneError> {
        if let Some(e) = activity_error(state) {
            return Err(e);
        }
        if let Some(Err(e)) = state.shown.as_deref().and_then(|s| s.panes.waits.as_ref()) {
            return Err(e.clone());
        }
        let waits = state.waits_data();
        Ok(Out {
            in_flight: state.views.waits.in_flight,
            now: state
                .views
                .waits
                .groups
                .iter()
                .map(|g| NowGroup {
                    wait: g.label.clone(),
                    class: g.class.label().to_owned(),
                    sessions: g.sessions,
                    idle_in_transaction: g.idle_in_transaction,
                    databases: counts(&g.databases),
                    users: counts(&g.users),
                    queries: counts(&g.queries),
                })
                .collect(),
            history: waits.map_or_else(Vec::new, |w| w.windows.iter().map(window).collect()),
            sampler_error: waits
                .and_then(|w| w.sampler.error.as_ref())
                .map(crate::snapshot_cmd::vocab::ErrorDoc::from),
        })
    }
}
