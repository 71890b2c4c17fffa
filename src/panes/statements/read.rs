//! Reading the pane's data on the monitoring connection: probe once (again after an error),
//! then every refresh the counters and the reset facts, pipelined: the changed entries only
//! where the extension allows (see `held`), every entry now and then, with the missing texts
//! when a text read is due (see `texts`); role and database names when an unknown oid shows up.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use tokio_postgres::{Client, Statement};

use super::decode;
use super::held::Held;
use super::model::{Key, Names, Read, Statements, Unavailable};
use super::pace::Pace;
use super::probe::{self, Setup};
use super::sql::{MARK, Sql};
use super::texts::{Texts, Want};
pub use super::full_text::{full_text, full_text_of};
use crate::collect::rows::{Lossy, pane_error};
use crate::snapshot::PaneError;

/// Prepared once the probe found the extension.
struct Ready {
    setup: Arc<Setup>,
    counters: Statement,
    changed: Option<Statement>,
    info: Statement,
    texts: Statement,
}

/// The pane's reader for one connection: what it prepared, the last read, the text cache.
#[derive(Default)]
pub struct Reader {
    ready: Option<Ready>,
    /// The last two reads, the newest last.
    before: Option<Arc<Read>>,
    prev: Option<Arc<Read>>,
    texts: Texts,
    held: Held,
    names: Arc<Names>,
    pace: Pace,
    /// Our own counters read's entry, once found by its text.
    own: Option<Key>,
}

impl Reader {
    pub fn new() -> Reader {
        Reader::default()
    }

    /// The setup found by the last successful probe.
    pub fn setup(&self) -> Option<&Arc<Setup>> {
        self.ready.as_ref().map(|r| &r.setup)
    }

    /// Whether a refresh of the pane is due `since` the last one, with `asked` the refresh
    /// interval (see `pace`): when not, the caller shows the last `Statements` again.
    pub fn due(&self, asked: std::time::Duration, since: std::time::Duration) -> bool {
        self.pace.due(asked, since)
    }

    /// How far apart reads are at the refresh interval `asked`.
    pub fn every(&self, asked: std::time::Duration) -> std::time::Duration {
        self.pace.every(asked)
    }

    /// Whether the cost comes from our own entry in pg_stat_statements (else the round trip).
    pub fn measures_itself(&self) -> bool {
        self.own.is_some()
    }

    /// What one counters read costs the server, in µs (running mean), once measured.
    pub fn cost_us(&self) -> Option<f64> {
        self.pace.cost_us()
    }

    /// Texts held in the cache.
    pub fn cached_texts(&self) -> usize {
        self.texts.len()
    }

    /// One refresh of the pane.
    pub async fn refresh(&mut self, client: &Client) -> Result<Statements, Unavailable> {
        if self.ready.is_none() {
            self.ready = Some(prepare(client).await?);
        }
        let result = self.read(client).await;
        if let Err(e) = &result {
            // The extension may have been dropped, updated or unloaded: probe again next time.
            if !matches!(e, Unavailable::Error(p) if p.sqlstate.as_deref() == Some("57014")) {
                self.ready = None;
                self.before = None;
                self.prev = None;
                self.texts.clear();
                self.held.clear();
            }
        }
        result
    }

    async fn read(&mut self, client: &Client) -> Result<Statements, Unavailable> {
        let Some(ready) = &self.ready else {
            return Err(Unavailable::Error(PaneError {
                sqlstate: None,
                message: "pg_stat_statements was not probed".to_owned(),
            }));
        };
        let want = self.texts.due(self.before.as_deref(), self.prev.as_deref());
        let changed = ready.changed.as_ref().filter(|_| {
            want == Want::Nothing && !self.held.whole_due(self.prev.as_deref())
        });
        let started = Instant::now();
        let (info, rows) = match (&want, changed) {
            (Want::Nothing, Some(changed)) => {
                let fps = self.held.fingerprints();
                let params: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&fps];
                tokio::join!(
                    client.query_one(&ready.info, &[]),
                    client.query(changed, &params)
                )
            }
            (Want::Nothing, None) => {
                tokio::join!(
                    client.query_one(&ready.info, &[]),
                    client.query(&ready.counters, &[])
                )
            }
            (Want::All | Want::Some(_), _) => {
                let ids: &[i64] = match &want {
                    Want::Some(ids) => ids,
                    _ => &[],
                };
                let all = want == Want::All;
                let params: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&ids, &all];
                tokio::join!(
                    client.query_one(&ready.info, &[]),
                    client.query(&ready.texts, &params)
                )
            }
        };
        let read_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let info = info.map_err(|e| failed(&e))?;
        let rows = rows.map_err(|e| failed(&e))?;
        let texts_read = want != Want::Nothing;
        let mut rows_sent = rows.len();
        let (entries, fps) = decode::entries(&rows, texts_read).map_err(Unavailable::Error)?;
        drop(rows);
        let mut read = decode::read(&info, entries).map_err(Unavailable::Error)?;
        let evicted = self
            .prev
            .as_deref()
            .is_some_and(|p| p.dealloc != read.dealloc);
        let complete = if let (Some(_), Some(prev)) = (changed, self.prev.as_deref()) {
            self.held.merge(prev, &mut read, fps)
        } else {
            self.held.whole(fps, evicted);
            true
        };
        if !complete {
            // Entries left since the last read, which a read of the changed ones cannot see.
            let rows = client
                .query(&ready.counters, &[])
                .await
                .map_err(|e| failed(&e))?;
            rows_sent += rows.len();
            let (entries, fps) = decode::entries(&rows, false).map_err(Unavailable::Error)?;
            read.entries = entries;
            self.held.whole(fps, true);
        }
        if texts_read {
            self.texts.keep(&read);
        }
        self.texts.attach(&mut read);
        if let Some(names) = names_if_unknown(client, &self.names, &read).await {
            self.names = Arc::new(names.map_err(Unavailable::Error)?);
        }
        let setup = Arc::clone(&ready.setup);
        self.observe_cost(&read, read_us, texts_read);
        let read = Arc::new(read);
        self.before = self.prev.replace(Arc::clone(&read));
        Ok(Statements {
            read,
            names: Arc::clone(&self.names),
            setup,
            read_us,
            cost_us: self.pace.cost_us(),
            on_server: self.own.is_some(),
            every_ms: 0,
            texts_read,
            rows_sent,
        })
    }
}

impl Reader {
    /// Feeds the pace with what a counters read costs the server: from our own entry in
    /// pg_stat_statements (execution time per call between two reads, rows sent included)
    /// once its text shows it, else the round trip (an upper bound). Reads with texts are rare
    /// outliers and are not counted.
    fn observe_cost(&mut self, read: &Read, read_us: u64, texts_read: bool) {
        if self.own.is_none() {
            self.own = read
                .entries
                .iter()
                .find(|e| e.text.as_deref().is_some_and(|t| t.contains(MARK)))
                .map(|e| e.key);
        }
        let find = |r: &Read| {
            let own = self.own?;
            r.entries.iter().find(|e| e.key == own).map(|e| e.counters)
        };
        let server = match (find(read), self.prev.as_deref().and_then(find)) {
            (Some(now), Some(then)) if now.calls > then.calls && now.exec_ms >= then.exec_ms => {
                Some(1000.0 * (now.exec_ms - then.exec_ms) / (now.calls - then.calls) as f64)
            }
            _ => None,
        };
        match server {
            Some(us) => self.pace.observe(us),
            None if !texts_read && self.own.is_none() => self.pace.observe(read_us as f64),
            None => {}
        }
    }
}

/// The extension's function fills a tuplestore of every entry, all columns, before the first
/// row comes out, and the tuplestore is bounded by `work_mem`: at the default 4 MB, 9,600
/// entries spill to a temporary file (402 blocks written and read back per read), which doubled
/// the read's backend CPU (18.7 ms against 10.7 ms with room, see `pace`). The monitoring
/// session's `work_mem` is raised to hold every entry (~650 bytes each in memory; 1 kB kept per
/// entry of `pg_stat_statements.max`), never lowered; the other panes' statements are small.
const WORK_MEM: &str = "SELECT set_config('work_mem', $1, false)
  WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes($1)";

/// Room for `max` entries: 1 kB each, between 4 MB and 64 MB.
fn work_mem(max: Option<i64>) -> String {
    let kb = max.unwrap_or(5000).clamp(4 * 1024, 64 * 1024);
    format!("{kb}kB")
}

async fn prepare(client: &Client) -> Result<Ready, Unavailable> {
    let row = client
        .query_one(probe::SQL, &[])
        .await
        .map_err(|e| Unavailable::Error(pane_error(&e)))?;
    let found = probe::decode(&row).map_err(Unavailable::Error)?;
    let setup = probe::diagnose(&found).map_err(Unavailable::Missing)?;
    client
        .query(WORK_MEM, &[&work_mem(setup.max)])
        .await
        .map_err(|e| failed(&e))?;
    let sql = Sql::compose(setup.features, &setup.schema);
    let prep = |text: &str| {
        let text = text.to_owned();
        async move { client.prepare(&text).await.map_err(|e| failed(&e)) }
    };
    let changed = async {
        match &sql.changed {
            Some(text) => prep(text).await.map(Some),
            None => Ok(None),
        }
    };
    let (counters, changed, info, texts) = tokio::join!(
        prep(&sql.counters),
        changed,
        prep(&sql.info),
        prep(&sql.texts)
    );
    Ok(Ready {
        setup: Arc::new(setup),
        counters: counters?,
        changed: changed?,
        info: info?,
        texts: texts?,
    })
}

/// A read error, as the pane shows it: the library unloaded under the extension is the
/// "not loaded" case with its fix, anything else keeps its SQLSTATE.
fn failed(e: &tokio_postgres::Error) -> Unavailable {
    let err = pane_error(e);
    if probe::is_not_loaded(&err) {
        Unavailable::Missing(probe::Missing::NotLoaded { preload: None })
    } else {
        Unavailable::Error(err)
    }
}

/// Fresh role and database names when `read` has an oid `known` lacks.
async fn names_if_unknown(
    client: &Client,
    known: &Names,
    read: &Read,
) -> Option<Result<Names, PaneError>> {
    let unknown = read.entries.iter().any(|e| {
        !known.roles.contains_key(&e.key.userid) || !known.databases.contains_key(&e.key.dbid)
    });
    if !unknown {
        return None;
    }
    let load = async {
        let (roles, dbs) = tokio::join!(
            client.query("SELECT oid, rolname::text FROM pg_roles", &[]),
            client.query("SELECT oid, datname::text FROM pg_database", &[]),
        );
        let map = |rows: Vec<tokio_postgres::Row>| -> Result<HashMap<u32, String>, PaneError> {
            rows.iter()
                .map(|r| {
                    let oid: u32 = r.try_get(0).map_err(|e| pane_error(&e))?;
                    let name: Lossy = r.try_get(1).map_err(|e| pane_error(&e))?;
                    Ok((oid, name.0))
                })
                .collect()
        };
        Ok(Names {
            roles: map(roles.map_err(|e| pane_error(&e))?)?,
            databases: map(dbs.map_err(|e| pane_error(&e))?)?,
        })
    };
    Some(load.await)
}

#[cfg(test)]
mod tests {
    #[test]
    fn work_mem_holds_every_entry_within_bounds() {
        assert_eq!(super::work_mem(Some(10_000)), "10000kB");
        assert_eq!(super::work_mem(None), "5000kB");
        assert_eq!(super::work_mem(Some(100)), "4096kB");
        assert_eq!(super::work_mem(Some(1_000_000)), "65536kB");
    }
}
