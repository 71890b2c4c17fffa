//! Reading server values without trusting them: text that is not valid UTF-8 is decoded
//! lossily instead of failing the row, and timestamps become plain microseconds.

use std::error::Error;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, Type};

use crate::failure::{Failure, Kind};
use crate::snapshot::{Micros, PaneError};

/// Server text decoded lossily: a database in SQL_ASCII or LATIN1 can put any bytes into
/// pg_stat_activity, and one bad row must not blank the pane.
pub struct Lossy(pub String);

impl<'a> FromSql<'a> for Lossy {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(Lossy(String::from_utf8_lossy(raw).into_owned()))
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR | Type::UNKNOWN
        )
    }
}

pub fn text(row: &Row, col: &str) -> Result<Option<String>, PaneError> {
    Ok(row
        .try_get::<_, Option<Lossy>>(col)
        .map_err(|e| decode(col, &e))?
        .map(|l| l.0))
}

pub fn micros(row: &Row, col: &str) -> Result<Option<Micros>, PaneError> {
    let ts: Option<SystemTime> = row.try_get(col).map_err(|e| decode(col, &e))?;
    Ok(ts.map(to_micros))
}

pub fn get<'a, T: FromSql<'a>>(row: &'a Row, col: &str) -> Result<T, PaneError> {
    row.try_get(col).map_err(|e| decode(col, &e))
}

/// Microseconds since the epoch; times before it (never seen in practice) become negative.
pub fn to_micros(t: SystemTime) -> Micros {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_micros()).unwrap_or(i64::MAX),
    }
}

fn decode(col: &str, e: &tokio_postgres::Error) -> PaneError {
    PaneError {
        sqlstate: None,
        message: format!("unexpected value in column {col}: {e}"),
    }
}

/// A driver error as a typed failure: the server's SQLSTATE and its kind, or a lost connection.
pub fn failure(e: &tokio_postgres::Error) -> Failure {
    if let Some(db) = e.as_db_error() {
        return Failure::server(db.code().code(), db.message());
    }
    let io = e.source().is_some_and(<dyn Error>::is::<std::io::Error>);
    let kind = if e.is_closed() || io {
        Kind::Connection
    } else {
        Kind::Client
    };
    Failure::new(kind, e.to_string())
}

/// A pane's error as a typed failure, classified by its SQLSTATE (none: pgscope's own).
pub fn failure_of(e: &PaneError) -> Failure {
    match &e.sqlstate {
        Some(code) => Failure::server(code, e.message.clone()),
        None => Failure::new(Kind::Client, e.message.clone()),
    }
}

/// Keeps the SQLSTATE and the server's own message.
pub fn pane_error(e: &tokio_postgres::Error) -> PaneError {
    match e.as_db_error() {
        Some(db) => PaneError {
            sqlstate: Some(db.code().code().to_owned()),
            message: db.message().to_owned(),
        },
        None => PaneError {
            sqlstate: None,
            message: e.to_string(),
        },
    }
}
