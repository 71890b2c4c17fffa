//! `--format csv`: one table per pane, the rows of its JSON part flattened (lists joined by
//! spaces, nested objects as `parent.field` columns), with the snapshot's number and time in
//! front. Text cells that a spreadsheet would run as a formula are neutralized (OWASP CSV
//! injection); numbers stay numbers, negative ones included.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use serde_json::Value;

use super::doc::Meta;
use super::export::Panes;
use super::shown::{Shown, report};
use super::vocab::time_opt;

/// Writes each pane's rows; the header row with the first snapshot. With `dir`, into
/// `DIR/PANE.csv` (created, or appended to by later snapshots); else to `out`.
pub fn write(
    out: &mut dyn Write,
    shown: &[Shown],
    dir: Option<&Path>,
    meta: &Meta,
) -> io::Result<bool> {
    let mut failed = false;
    for s in shown {
        let mut panes = Panes::default();
        if let Some(e) = panes.add(s.pane, &s.state) {
            failed = true;
            report(s.pane, &e);
        }
        let rows = panes.table(s.pane).map_err(io::Error::other)?;
        let empty = super::export::columns(s.pane).map_err(io::Error::other)?;
        let taken = s
            .state
            .shown
            .as_deref()
            .and_then(|snap| time_opt(Some(snap.taken_at)))
            .unwrap_or_default();
        let table = table(&empty, &rows, meta.number, &taken);
        let first = meta.number == 1;
        match dir {
            Some(dir) => {
                let path = dir.join(format!("{}.csv", s.pane.name().to_ascii_lowercase()));
                let mut file = OpenOptions::new()
                    .create(true)
                    .write(true)
                    .append(!first)
                    .truncate(first)
                    .open(&path)?;
                emit(&mut file, &table, first)?;
            }
            None => emit(out, &table, first)?,
        }
    }
    Ok(failed)
}

/// A table: its header and its rows of cells.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The rows flattened, with `snapshot` and `taken_at` first. The header is `empty`'s columns
/// (an empty row of the table), then any the rows add, in first-seen order; a row without a
/// column leaves its cell empty.
pub fn table(empty: &Value, rows: &[Value], number: u32, taken_at: &str) -> Table {
    let mut header: Vec<String> = vec!["snapshot".to_owned(), "taken_at".to_owned()];
    let mut columns = Vec::new();
    flatten("", empty, &mut columns);
    header.extend(
        columns
            .into_iter()
            .map(|(name, _)| name)
            .filter(|n| !n.is_empty()),
    );
    let flat: Vec<Vec<(String, String)>> = rows
        .iter()
        .map(|row| {
            let mut cells = Vec::new();
            flatten("", row, &mut cells);
            cells
        })
        .collect();
    for cells in &flat {
        for (name, _) in cells {
            if !header.contains(name) {
                header.push(name.clone());
            }
        }
    }
    let rows = flat
        .into_iter()
        .map(|cells| {
            header
                .iter()
                .map(|h| match h.as_str() {
                    "snapshot" => number.to_string(),
                    "taken_at" => taken_at.to_owned(),
                    _ => cells
                        .iter()
                        .find(|(n, _)| n == h)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .collect();
    Table { header, rows }
}

fn emit(out: &mut dyn Write, table: &Table, header: bool) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if header {
        w.write_record(&table.header)?;
    }
    for row in &table.rows {
        w.write_record(row)?;
    }
    w.flush()
}

/// `value` as cells named under `prefix`.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if v.is_object() {
                    flatten(&name, v, out);
                } else {
                    out.push((name, cell(v)));
                }
            }
        }
        v => out.push((prefix.to_owned(), cell(v))),
    }
}

/// One cell: numbers and booleans as written, null empty, lists joined by spaces, text
/// neutralized.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => neutralize(s),
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().map(item).collect();
            let all_numbers = items.iter().all(Value::is_number);
            if all_numbers {
                joined.join(" ")
            } else {
                neutralize(&joined.join(" "))
            }
        }
        Value::Object(_) => neutralize(&v.to_string()),
    }
}

/// A list item in a cell: an object (a name with its count) as its values joined by `:`.
fn item(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(map) => map.values().map(item).collect::<Vec<_>>().join(":"),
        other => other.to_string(),
    }
}

/// OWASP: a text cell that begins with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a
/// spreadsheet shows it instead of running it.
pub fn neutralize(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_neutralized_numbers_kept() {
        let rows = vec![serde_json::json!({
            "pid": -1, "app": "=cmd|' /C calc'!A0", "ids": [1, 2], "x": {"a": null, "b": "@x"},
            "t": "\tx", "ok": "plain"
        })];
        let t = table(
            &serde_json::json!({"pid": 0}),
            &rows,
            1,
            "2025-01-01T00:00:00+00:00",
        );
        assert_eq!(
            t.header,
            [
                "snapshot", "taken_at", "pid", "app", "ids", "x.a", "x.b", "t", "ok"
            ]
        );
        assert_eq!(
            t.rows[0],
            [
                "1",
                "2025-01-01T00:00:00+00:00",
                "-1",
                "'=cmd|' /C calc'!A0",
                "1 2",
                "",
                "'@x",
                "'\tx",
                "plain"
            ]
        );
    }
}
