//! The Tables pane in the collector: read only while shown, ranked by the key the pane asks
//! for, and in the database it asks for. Statistics are per database, so another database is
//! read on a connection of its own (resolved like the monitoring one, same password, same
//! read-only and time-limited session), held only while the pane shows that database. The
//! tables read grows with the number of tables, so it runs at most every [`EVERY_US`] unless
//! the ranking or the database changes; the selected table's indexes are read every refresh.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use crate::collect::pane::Cx;
use crate::collect::rows::pane_error;
use crate::collect::session;
use crate::conn::{self, Target};
use crate::panes::tables::data::Tables;
use crate::panes::tables::model::SortKey;
use crate::panes::tables::read::{self, Gates, Statements};
use crate::snapshot::{PaneError, Part};

/// At most one read of the tables per this many µs.
pub const EVERY_US: i64 = 5_000_000;
/// Connecting to another database must fit in a refresh's deadline beside the pane's queries.
pub const CONNECT_DEADLINE: Duration = Duration::from_millis(1500);
pub const APPLICATION_NAME: &str = "pgscope-tables";
/// A read on another database's connection, within the refresh's deadline beside a connect: a
/// frozen connection there fails this pane, never the monitoring connection's refresh.
pub const READ_DEADLINE: Duration = Duration::from_millis(3200);

pub struct Cached {
    st: Statements,
    version_num: i32,
}

/// What decides the server's ranking: a change reads the tables again at once.
type Ranking = (SortKey, bool, Option<String>);

#[derive(Default)]
pub struct CachedGates {
    gates: Gates,
    /// Boxed: the gates live inside every refresh future.
    last: Option<(Instant, Ranking, Box<Tables>)>,
    other: Option<Other>,
}

/// The connection to the database the pane shows, when it is not the monitoring one's; or
/// why it could not be made, and when (retried after [`EVERY_US`]).
enum Other {
    Up {
        datname: String,
        client: Client,
        st: Box<Statements>,
        gates: Box<Gates>,
    },
    Failed {
        datname: String,
        at: Instant,
        error: PaneError,
    },
}

fn every() -> Duration {
    Duration::from_micros(EVERY_US.unsigned_abs())
}

/// One line saying why `datname` cannot be read.
fn cannot(datname: &str, sqlstate: Option<String>, why: &str) -> PaneError {
    let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
    PaneError {
        sqlstate,
        message: format!("cannot connect to database {datname}: {why}"),
    }
}

/// Connects to `datname` as the monitoring session is set up, within [`CONNECT_DEADLINE`].
pub async fn open(
    target: &Target,
    datname: &str,
    version_num: i32,
) -> Result<(Client, Statements), PaneError> {
    let work = async {
        let client = conn::connect(&target.with_dbname(datname), APPLICATION_NAME)
            .await
            .map_err(|e| cannot(datname, e.sqlstate().map(str::to_owned), &e.to_string()))?;
        client
            .batch_execute(session::SETUP)
            .await
            .map_err(|e| pane_error(&e))?;
        let st = Statements::prepare(&client, version_num).await;
        Ok((client, st))
    };
    match tokio::time::timeout(CONNECT_DEADLINE, work).await {
        Ok(r) => r,
        Err(_) => Err(cannot(
            datname,
            None,
            &format!("no answer within {} ms", CONNECT_DEADLINE.as_millis()),
        )),
    }
}

/// Opens, keeps or drops the connection to the asked database. `None`: read on the monitoring
/// connection.
async fn follow(other: &mut Option<Other>, cx: &Cx<'_>, st: &Cached, datname: Option<&str>) {
    let Some(datname) = datname else {
        *other = None;
        return;
    };
    let keep = match &*other {
        Some(Other::Up {
            datname: d, client, ..
        }) => d == datname && !client.is_closed(),
        Some(Other::Failed { datname: d, at, .. }) => d == datname && at.elapsed() < every(),
        None => false,
    };
    if keep {
        return;
    }
    *other = None;
    let Some(target) = cx.target else {
        *other = Some(Other::Failed {
            datname: datname.to_owned(),
            at: Instant::now(),
            error: cannot(datname, None, "no connection settings to reach it"),
        });
        return;
    };
    *other = Some(match open(target, datname, st.version_num).await {
        Ok((client, stmts)) => Other::Up {
            datname: datname.to_owned(),
            client,
            st: Box::new(stmts),
            gates: Box::default(),
        },
        Err(error) => Other::Failed {
            datname: datname.to_owned(),
            at: Instant::now(),
            error,
        },
    });
}

/// Every section failed with `error`; the database list still comes from the monitoring
/// connection, so the operator can switch elsewhere.
async fn failed(cx: &Cx<'_>, st: &Cached, gates: &mut Gates, error: PaneError) -> Tables {
    let databases = read::databases(cx.client, &st.st, cx.seq, gates).await;
    Tables {
        meta: Err(error.clone()),
        tables: Err(error.clone()),
        indexes: Err(error),
        selected: None,
        table_indexes: None,
        databases,
    }
}

impl crate::collect::pane::Read for super::Def {
    type Statements = Cached;
    type Gates = CachedGates;

    async fn prepare(client: &Client, caps: &crate::snapshot::Capabilities) -> Cached {
        Cached {
            st: Statements::prepare(client, caps.version_num).await,
            version_num: caps.version_num,
        }
    }

    async fn read(cx: Cx<'_>, st: &Cached, g: &mut CachedGates) -> Part<Box<Tables>> {
        if !cx.focused {
            g.last = None;
            g.other = None;
            return None;
        }
        let want = &cx.asks.tables;
        let home = cx.target.map(Target::dbname);
        let datname = want.database.as_deref().filter(|d| Some(*d) != home);
        follow(&mut g.other, &cx, st, datname).await;
        let elsewhere = matches!(g.other, Some(Other::Up { .. }));
        let (client, stmts, gates) = match &mut g.other {
            None => (cx.client, &st.st, &mut g.gates),
            Some(Other::Up {
                client, st, gates, ..
            }) => (&*client, &**st, &mut **gates),
            Some(Other::Failed { error, .. }) => {
                let error = error.clone();
                g.last = None;
                return Some(Ok(Box::new(failed(&cx, st, &mut g.gates, error).await)));
            }
        };
        let ranking: Ranking = (
            want.ask.sort,
            want.ask.ascending,
            datname.map(str::to_owned),
        );
        if let Some((at, r, last)) = &g.last
            && at.elapsed() < every()
            && *r == ranking
        {
            let mut got = last.clone();
            got.selected = want.ask.selected;
            got.table_indexes = match want.ask.selected {
                Some(relid) => {
                    Some(read::table_indexes(client, stmts, cx.seq, gates, relid).await)
                }
                None => None,
            };
            return Some(Ok(got));
        }
        let work = read::collect(client, stmts, cx.seq, gates, want.ask);
        let got = if elsewhere {
            tokio::time::timeout(READ_DEADLINE, work).await.ok()
        } else {
            Some(work.await)
        };
        let Some(got) = got else {
            let error = PaneError {
                sqlstate: None,
                message: format!(
                    "database {}: no answer within {} ms",
                    datname.unwrap_or_default(),
                    READ_DEADLINE.as_millis()
                ),
            };
            // Dropped: the next read connects again.
            g.other = None;
            g.last = None;
            return Some(Ok(Box::new(failed(&cx, st, &mut g.gates, error).await)));
        };
        let got = Box::new(got);
        g.last = Some((Instant::now(), ranking, got.clone()));
        Some(Ok(got))
    }
}

