//! The Tables pane as lines, from the data and the view alone: the table list on top (scrolled
//! to the selection), then the selected table's indexes and the database's flagged indexes with
//! the statement that would drop each. Server strings are sanitized here, through `text::fit`.

use crate::panes::settings::units::bytes;
use crate::panes::tables::data::{ExactSize, IndexRow, Tables};
use crate::panes::tables::indexes::{self, drop_statement};
use crate::panes::tables::model::{SortKey, TableView};
use crate::panes::tables::view::TablesView;
use crate::snapshot::{Micros, PaneError};
use crate::columns::{Col, Fit, col, fit, render};
use crate::text::{duration_us, fit as fit_text, sanitize};

/// The sort keys in the order [`COLS`] numbers them.
const SORT_KEYS: [SortKey; 8] = [
    SortKey::PastThreshold,
    SortKey::Dead,
    SortKey::DeadPct,
    SortKey::Size,
    SortKey::SeqRate,
    SortKey::SeqScans,
    SortKey::ModsSinceAnalyze,
    SortKey::XidAge,
];

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

/// The table list's columns: the table's name up to its longest, the numbers next to it; the
/// wide ones only from 160 cells. Figures the list sorts by carry their key's place in
/// [`SortKey`]'s order.
pub const COLS: [Col; 17] = [
    col("TABLE", 8).named("table").capped().priority(0),
    col("EST.SIZE", 9).named("size").right().priority(4).sort(3),
    col("LIVE", 10).named("live").right().priority(5),
    col("DEAD", 9).named("dead").right().priority(2).sort(1),
    col("DEAD%", 6).named("dead_pct").right().priority(3).sort(2),
    col("PAST", 9).named("past_threshold").right().priority(1).sort(0),
    col("MODS", 9).named("mods").right().wide().priority(8).sort(6),
    col("VACUUM", 8).named("vacuum").right().wide().priority(11),
    col("AUTOVAC", 8).named("autovacuum").right().priority(6),
    col("ANALYZE", 8).named("analyze").right().wide().priority(13),
    col("AUTOANL", 8).named("autoanalyze").right().wide().priority(12),
    col("SEQSCAN", 9).named("seq_scan").right().wide().priority(10).sort(5),
    col("IDXSCAN", 9).named("idx_scan").right().wide().priority(14),
    col("SEQTUP/S", 9).named("seq_rate").right().wide().priority(9).sort(4),
    col("HOT%", 5).named("hot_pct").right().wide().priority(15),
    col("XIDAGE", 11).named("xid_age").right().wide().priority(7).sort(7),
    col("FRZ%", 5).named("freeze_pct").right().wide().priority(16),
];

/// Every column, in display order.
const ALL: [usize; 17] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

/// Where the list's columns go at width `w`, for these rows' cells.
fn layout(w: usize, rows: &[Vec<String>]) -> Vec<(usize, usize)> {
    let needs = crate::columns::needs(&COLS, rows);
    let fit_to = Fit {
        width: w,
        wide_from: 160,
    };
    fit(&COLS, &ALL, fit_to, |i| needs[i])
}

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

/// An exact size as shown beside its table.
fn exact(size: &Result<ExactSize, String>) -> String {
    match size {
        Ok(ExactSize::Measured { total, .. }) => format!("exact {}", bytes(*total as f64)),
        Ok(ExactSize::Locked) => "locked, try again".to_owned(),
        Ok(ExactSize::Gone) => "gone".to_owned(),
        Err(e) => format!("size: {e}"),
    }
}

/// The title line and the table list (header and one line per table).
pub fn list(t: &Tables, view: &TablesView, w: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let meta = match &t.meta {
        Ok(m) => m,
        Err(e) => return vec![error("tables", e)],
    };
    let m = &view.model;
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
        fit_text(
            &format!(
                " statistics of database {} · {showing} · estimated sizes{reset} · by {}{dir}",
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
    let rows: Vec<Vec<String>> = m
        .rows
        .iter()
        .map(|v| {
            let mut cells = row_cells(v, meta.read_at);
            if let Some(size) = view.sizes.get(&v.row.relid) {
                cells[0] = format!("[{}] {}", exact(size), cells[0]);
            }
            cells
        })
        .collect();
    let lay = layout(w, &rows);
    let sorted = SORT_KEYS.iter().position(|k| *k == view.sort);
    let heads: Vec<String> = COLS
        .iter()
        .map(|c| match c.sort {
            Some(k) if Some(usize::from(k)) == sorted => format!("{}{dir}", c.title),
            _ => c.title.to_owned(),
        })
        .collect();
    out.push(line(Kind::Header, render(&COLS, &lay, &heads)));
    if m.rows.is_empty() {
        out.push(line(Kind::Plain, "no table".to_owned()));
    }
    for (v, cells) in m.rows.iter().zip(&rows) {
        let kind = if v.past_threshold.is_some_and(|p| p > 0.0) {
            Kind::Warning
        } else {
            Kind::Plain
        };
        out.push(Line {
            kind,
            text: render(&COLS, &lay, cells),
            relid: Some(v.row.relid),
        });
    }
    out
}

/// An index line's columns: its name up to the longest shown, then size, scans and flags.
const INDEX_COLS: [Col; 4] = [
    col("INDEX", 10).capped().priority(0),
    col("SIZE", 9).right().priority(1),
    col("SCANS", 14).right().priority(2),
    col("FLAGS", 18).flex().priority(3),
];

/// Where the index lines' columns go at width `w`, for these indexes.
fn index_layout<'a>(w: usize, shown: impl Iterator<Item = &'a IndexRow>) -> Vec<(usize, usize)> {
    let longest = shown
        .map(|ix| crate::text::width(&ix.schema) + 1 + crate::text::width(&ix.name))
        .max()
        .unwrap_or(0);
    let fit_to = Fit {
        width: w,
        wide_from: 0,
    };
    fit(&INDEX_COLS, &[0, 1, 2, 3], fit_to, |i| if i == 0 { longest } else { 0 })
}

fn index_line(ix: &IndexRow, block_size: i64, lay: &[(usize, usize)]) -> Line {
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
    let cells = [
        format!("{}.{}", ix.schema, ix.name),
        bytes((ix.pages * block_size) as f64),
        format!("{} scans", ix.scans),
        flags.join(", "),
    ];
    line(kind, render(&INDEX_COLS, lay, &cells))
}

/// The selected table's indexes, then the database's flagged indexes, each with its DROP.
pub fn details(t: &Tables, view: &TablesView, w: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let block = t.meta.as_ref().map_or(8192, |m| m.block_size);
    match &t.indexes {
        Ok(all) => {
            let selected = view.model.rows.iter().find(|r| Some(r.row.relid) == view.selected);
            let flagged: Vec<&IndexRow> = all
                .rows
                .iter()
                .filter(|i| indexes::health(i).any())
                .collect();
            let own_of = |relid: u32| all.rows.iter().filter(move |i| i.relid == relid);
            let shown = selected
                .into_iter()
                .flat_map(|sel| own_of(sel.row.relid))
                .chain(flagged.iter().copied());
            let lay = index_layout(w, shown);
            if let Some(sel) = selected {
                let own: Vec<&IndexRow> =
                    all.rows.iter().filter(|i| i.relid == sel.row.relid).collect();
                out.push(line(
                    Kind::Title,
                    fit_text(
                        &format!(" indexes of {}.{} · {}", sel.row.schema, sel.row.name, own.len()),
                        w,
                    ),
                ));
                out.extend(own.iter().map(|ix| index_line(ix, block, &lay)));
            }
            out.push(line(
                Kind::Title,
                format!(" flagged indexes in the database · {} (statements shown, never run)", flagged.len()),
            ));
            for ix in flagged {
                out.push(index_line(ix, block, &lay));
                out.push(line(Kind::Plain, fit_text(&format!("    {}", drop_statement(ix)), w)));
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
