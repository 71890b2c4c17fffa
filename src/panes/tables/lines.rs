//! The Tables pane as lines, from the data and the view alone: the table list on top (scrolled
//! to the selection), then the selected table's indexes and the database's flagged indexes with
//! the statement that would drop each. Server strings are sanitized here, through `text::fit`.

use crate::columns::{self, Fit};
use crate::panes::settings::units::bytes;
use crate::panes::tables::columns::{COLUMNS, WIDE};
use crate::panes::tables::data::{ExactSize, IndexRow, Tables};
use crate::panes::tables::indexes::{self, drop_statement};
use crate::panes::tables::model::{SortKey, TableView};
use crate::panes::tables::view::TablesView;
use crate::snapshot::{Micros, PaneError};
use crate::text::{duration_us, fit, fit_right, sanitize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Title,
    Header,
    Plain,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: Kind,
    pub text: String,
    /// The table the line lists, for the selection.
    pub relid: Option<u32>,
}

fn line(kind: Kind, text: String) -> Line {
    Line {
        kind,
        text,
        relid: None,
    }
}

fn error(what: &str, e: &PaneError) -> Line {
    let mut msg = format!("{what}: {}", sanitize(&e.to_string()));
    if e.is_permission() {
        msg.push_str(" — GRANT pg_monitor to the monitoring role");
    }
    line(Kind::Error, msg)
}

/// A label for the sort key, as the title shows it.
pub fn sort_label(k: SortKey) -> &'static str {
    match k {
        SortKey::PastThreshold => "past threshold",
        SortKey::Dead => "dead",
        SortKey::DeadPct => "dead %",
        SortKey::Size => "size",
        SortKey::SeqRate => "seq tup/s",
        SortKey::SeqScans => "seq scans",
        SortKey::ModsSinceAnalyze => "mods since analyze",
        SortKey::XidAge => "xid age",
    }
}

fn opt_pct(p: Option<f64>) -> String {
    p.map_or_else(|| "n/a".to_owned(), |p| format!("{p:.0}%"))
}

fn opt_num(n: Option<f64>) -> String {
    n.map_or_else(|| "n/a".to_owned(), |n| format!("{n:.0}"))
}

fn ago(t: Option<Micros>, now: Micros) -> String {
    t.map_or_else(|| "never".to_owned(), |t| duration_us(now - t))
}

/// Every column's cell for one table, in [`COLUMNS`] order.
fn row_cells(v: &TableView, now: Micros) -> Vec<String> {
    let r = &v.row;
    vec![
        format!("{}.{}", r.schema, r.name),
        bytes(v.est_bytes as f64),
        r.live.to_string(),
        r.dead.to_string(),
        opt_pct(v.dead_pct),
        opt_num(v.past_threshold),
        r.mods_since_analyze.to_string(),
        ago(r.last_vacuum, now),
        ago(r.last_autovacuum, now),
        ago(r.last_analyze, now),
        ago(r.last_autoanalyze, now),
        r.seq_scan.to_string(),
        r.idx_scan.map_or_else(|| "n/a".to_owned(), |n| n.to_string()),
        opt_num(v.seq_tup_per_sec),
        opt_pct(v.hot_pct),
        r.xid_age.map_or_else(|| "n/a".to_owned(), |n| n.to_string()),
        opt_pct(v.freeze_pct),
    ]
}

/// The chosen columns that fit `w`, with their widths, in display order.
pub fn layout(chosen: &[usize], w: usize) -> Vec<(usize, usize)> {
    let fit = Fit {
        width: w,
        wide_from: WIDE,
    };
    columns::fit(&COLUMNS, chosen, fit, |i| COLUMNS[i].width)
}

fn render(lay: &[(usize, usize)], cells: &[String]) -> String {
    let mut out = Vec::with_capacity(lay.len());
    for &(i, w) in lay {
        let c = cells.get(i).map_or("", String::as_str);
        out.push(if COLUMNS[i].right {
            fit_right(c, w)
        } else {
            fit(c, w)
        });
    }
    out.join(" ")
}

/// An exact size as shown beside its table.
fn exact(size: &Result<ExactSize, String>) -> String {
    match size {
        Ok(ExactSize::Measured { total, .. }) => format!("exact {}", bytes(*total as f64)),
        Ok(ExactSize::Locked) => "locked, try again".to_owned(),
        Ok(ExactSize::Gone) => "gone".to_owned(),
        Err(e) => format!("size: {e}"),
    }
}

/// The title line and the table list (header and one line per table), in the `chosen`
/// columns (indices into [`COLUMNS`], from the config file).
pub fn list(t: &Tables, view: &TablesView, chosen: &[usize], w: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let meta = match &t.meta {
        Ok(m) => m,
        Err(e) => {
            // The database asked for cannot be read: say which, and how to leave it.
            let which = view.database.as_deref().map_or_else(
                || "tables".to_owned(),
                |d| format!("database {} (D: next database)", sanitize(d)),
            );
            return vec![error(&which, e)];
        }
    };
    let m = &view.model;
    let switch = match &t.databases {
        Ok(list) if list.len() > 1 => format!(" (D: {} databases)", list.len()),
        _ => String::new(),
    };
    let showing = if m.capped() {
        format!("showing {} of {}", m.rows.len(), m.total)
    } else {
        format!("{} tables", m.rows.len())
    };
    let reset = meta
        .stats_reset
        .map(|r| format!(" · stats reset {} ago", duration_us(meta.read_at - r)))
        .unwrap_or_default();
    let dir = if view.reverse { "▲" } else { "▼" };
    out.push(line(
        Kind::Title,
        fit(
            &format!(
                " statistics of database {}{switch} · {showing} · estimated sizes{reset} · by {}{dir}",
                meta.datname,
                sort_label(view.sort)
            ),
            w,
        ),
    ));
    if let Err(e) = &t.tables {
        out.push(error("tables", e));
        return out;
    }
    let lay = layout(chosen, w);
    let heads: Vec<String> = COLUMNS.iter().map(|c| c.title.to_owned()).collect();
    out.push(line(Kind::Header, render(&lay, &heads)));
    if m.rows.is_empty() {
        out.push(line(Kind::Plain, "no table".to_owned()));
    }
    for v in &m.rows {
        let kind = if v.past_threshold.is_some_and(|p| p > 0.0) {
            Kind::Warning
        } else {
            Kind::Plain
        };
        let mut cells = row_cells(v, meta.read_at);
        if let Some(size) = view.sizes.get(&v.row.relid)
            && let Some(cell) = cells.get_mut(0)
        {
            *cell = format!("[{}] {cell}", exact(size));
        }
        out.push(Line {
            kind,
            text: render(&lay, &cells),
            relid: Some(v.row.relid),
        });
    }
    out
}

fn index_line(ix: &IndexRow, block_size: i64, w: usize) -> Line {
    let h = indexes::health(ix);
    let mut flags = Vec::new();
    if h.invalid {
        flags.push("INVALID".to_owned());
    }
    if h.unused {
        flags.push("unused".to_owned());
    }
    if h.building {
        flags.push("building".to_owned());
    }
    if let Some(d) = &h.duplicate_of {
        flags.push(format!("duplicate of {d}"));
    }
    let kind = if h.any() { Kind::Warning } else { Kind::Plain };
    let text = format!(
        "{} {} {} {}",
        fit(&format!("{}.{}", ix.schema, ix.name), w.saturating_sub(44).max(10)),
        fit_right(&bytes((ix.pages * block_size) as f64), 9),
        fit_right(&format!("{} scans", ix.scans), 14),
        fit(&flags.join(", "), 18)
    );
    line(kind, text)
}

/// The selected table's indexes, then the database's flagged indexes, each with its DROP.
pub fn details(t: &Tables, view: &TablesView, w: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let block = t.meta.as_ref().map_or(8192, |m| m.block_size);
    match &t.indexes {
        Ok(all) => {
            let selected = view.model.rows.iter().find(|r| Some(r.row.relid) == view.selected);
            if let Some(sel) = selected {
                let name = format!("{}.{}", sel.row.schema, sel.row.name);
                // Read for the selected table alone; until the read for a new selection
                // arrives, the previous table's are not shown as this one's.
                match t.table_indexes.as_ref().filter(|_| t.selected == Some(sel.row.relid)) {
                    Some(Ok(own)) => {
                        out.push(line(
                            Kind::Title,
                            fit(&format!(" indexes of {name} · {}", own.rows.len()), w),
                        ));
                        out.extend(own.rows.iter().map(|ix| index_line(ix, block, w)));
                    }
                    Some(Err(e)) => out.push(error(&format!("indexes of {name}"), e)),
                    None => out.push(line(
                        Kind::Title,
                        fit(&format!(" indexes of {name} · reading…"), w),
                    )),
                }
            }
            let flagged: Vec<&IndexRow> = all
                .rows
                .iter()
                .filter(|i| indexes::health(i).any())
                .collect();
            out.push(line(
                Kind::Title,
                format!(" flagged indexes in the database · {} (statements shown, never run)", flagged.len()),
            ));
            for ix in flagged {
                out.push(index_line(ix, block, w));
                out.push(line(Kind::Plain, fit(&format!("    {}", drop_statement(ix)), w)));
            }
        }
        Err(e) => out.push(error("indexes", e)),
    }
    out
}

/// The first list line shown so that the selected table is on screen.
pub fn scroll(list: &[Line], selected: Option<u32>, height: usize) -> usize {
    let at = selected
        .and_then(|id| list.iter().position(|l| l.relid == Some(id)))
        .unwrap_or(0);
    (at + 1).saturating_sub(height)
}

/// Lines for the list and for the details at a body height: the details take at most half.
pub fn split(list_len: usize, details_len: usize, height: usize) -> (usize, usize) {
    let details = details_len.min(height / 2);
    let list = height.saturating_sub(details).min(list_len.max(1));
    (list, height.saturating_sub(list))
}
