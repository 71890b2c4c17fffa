//! Drawing the Pooler pane: the link, the saturation line, Pools (most waiting first, maxwait
//! highlighted), Servers joined to backends, and Clients. Reads state only; every pooler and
//! server string goes through the sanitizer here.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::pooler::model::{Conn, Pool};
use crate::pooler::saturation::Level;
use crate::snapshot::Link;
use crate::state::State;
use crate::text::{fit, fit_right, sanitize};
use crate::ui::pane::Draw;

/// A wait this long (µs) is drawn as danger; any wait at all as a warning.
const MAXWAIT_DANGER_US: i64 = 1_000_000;

impl Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        let lines = lines(state, theme, usize::from(area.width));
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn summary(state: &State) -> String {
        let v = &state.pooler;
        if !v.configured {
            return "no pooler configured (--pooler)".to_owned();
        }
        let Some(p) = v.latest.as_deref() else {
            return "waiting for the pooler…".to_owned();
        };
        let waiting: i64 = p
            .pools
            .as_ref()
            .map_or(0, |ps| ps.iter().filter_map(|x| x.cl_waiting).sum());
        format!("PgBouncer {}, {waiting} waiting", sanitize(&p.version))
    }
}

fn num(v: Option<i64>) -> String {
    v.map_or_else(|| "-".to_owned(), |n| n.to_string())
}

fn lines<'a>(state: &'a State, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let v = &state.pooler;
    let mut out = Vec::new();
    let link = match &v.link {
        Link::Connected => None,
        Link::Connecting => Some("pooler: connecting…".to_owned()),
        Link::Down { cause, retry_in } => Some(format!(
            "pooler down: {} (retry in {}s)",
            sanitize(&cause.to_string()),
            retry_in.as_secs()
        )),
    };
    if let Some(text) = link {
        out.push(Line::styled(fit(&text, width), theme.error));
    }
    let Some(p) = v.latest.as_deref() else {
        if !v.configured {
            out.push(Line::raw("no pooler configured: start with --pooler CONNINFO"));
        }
        return out;
    };
    out.push(saturation_line(state, theme, width));
    out.push(Line::styled(fit("Pools", width), theme.table_header));
    match &p.pools {
        Ok(pools) => pool_lines(&mut out, pools, state, theme, width),
        Err(e) => out.push(Line::styled(fit(&sanitize(&e.to_string()), width), theme.error)),
    }
    out.push(Line::styled(
        fit(
            &format!(
                "Servers  {:<10} {:<7} {:<12} {:<12} {:<8} Query",
                "Backend", "State", "Database", "User", "Bk state"
            ),
            width,
        ),
        theme.table_header,
    ));
    for why in &v.join.unjoinable {
        out.push(Line::styled(fit(&sanitize(&why.to_string()), width), theme.warning));
    }
    match &p.servers {
        Ok(servers) => server_lines(&mut out, servers, state, theme, width),
        Err(e) => out.push(Line::styled(fit(&sanitize(&e.to_string()), width), theme.error)),
    }
    out.push(Line::styled(
        fit(
            &format!(
                "Clients  {:<7} {:<12} {:<12} {:<21} {:>8}",
                "State", "Database", "User", "Address", "Wait"
            ),
            width,
        ),
        theme.table_header,
    ));
    match &p.clients {
        Ok(clients) => {
            for c in clients {
                let addr = format!(
                    "{}:{}",
                    sanitize(c.addr.as_deref().unwrap_or("-")),
                    num(c.port.map(i64::from))
                );
                let wait = c.wait_us.map_or_else(String::new, crate::text::duration_us);
                let style = if c.state == "waiting" { theme.warning } else { theme.row };
                let text = format!(
                    "         {} {} {} {} {}",
                    fit(&sanitize(&c.state), 7),
                    fit(&sanitize(&c.database), 12),
                    fit(&sanitize(&c.user), 12),
                    fit(&addr, 21),
                    fit_right(&wait, 8)
                );
                out.push(Line::styled(fit(&text, width), style));
            }
        }
        Err(e) => out.push(Line::styled(fit(&sanitize(&e.to_string()), width), theme.error)),
    }
    out
}

fn saturation_line<'a>(state: &State, theme: &Theme, width: usize) -> Line<'a> {
    let Some(s) = &state.pooler.saturation else {
        return Line::raw("");
    };
    let mut text = format!(
        "clients {} of max_client_conn {}",
        num(s.clients),
        num(s.max_client_conn)
    );
    let mut style = theme.row;
    for db in &s.databases {
        let (word, st) = match db.level {
            Level::Queuing => ("QUEUING", theme.danger),
            Level::Full => ("FULL", theme.danger),
            Level::Reserve => ("reserve in use", theme.warning),
            Level::Ok | Level::Unknown => continue,
        };
        let _ = write!(text, "  {}: {word}", sanitize(&db.database));
        if st == theme.danger || style == theme.row {
            style = st;
        }
    }
    Line::styled(fit(&text, width), style)
}

fn pool_lines(out: &mut Vec<Line<'_>>, pools: &[Pool], state: &State, theme: &Theme, width: usize) {
    out.push(Line::styled(
        fit(
            &format!(
                "  {:<12} {:<12} {:<11} {:>6} {:>7} {:>6} {:>7} {:>8} {:>7} {:>7}",
                "Database", "User", "Mode", "Cl act", "Cl wait", "Sv act", "Sv idle", "Maxwait",
                "TPS", "QPS"
            ),
            width,
        ),
        theme.table_header,
    ));
    let mut sorted: Vec<&Pool> = pools.iter().collect();
    sorted.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.cl_waiting.unwrap_or(0)),
            std::cmp::Reverse(p.maxwait_us.unwrap_or(0)),
        )
    });
    for p in sorted {
        let rate = state.pooler.rates.iter().find(|r| r.database == p.database);
        let per_s = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |x| format!("{x:.1}"));
        let maxwait = p.maxwait_us.unwrap_or(0);
        let wait_style = if maxwait >= MAXWAIT_DANGER_US {
            theme.danger
        } else if maxwait > 0 || p.cl_waiting.unwrap_or(0) > 0 {
            theme.warning
        } else {
            theme.row
        };
        let head = format!(
            "  {} {} {} {} {} {} {} ",
            fit(&sanitize(&p.database), 12),
            fit(&sanitize(&p.user), 12),
            fit(&sanitize(p.pool_mode.as_deref().unwrap_or("-")), 11),
            fit_right(&num(p.cl_active), 6),
            fit_right(&num(p.cl_waiting), 7),
            fit_right(&num(p.sv_active), 6),
            fit_right(&num(p.sv_idle), 7),
        );
        let wait = fit_right(&crate::text::duration_us(maxwait), 8);
        let tail = format!(
            " {} {}",
            fit_right(&per_s(rate.and_then(|r| r.xact_per_s)), 7),
            fit_right(&per_s(rate.and_then(|r| r.query_per_s)), 7)
        );
        out.push(clip(
            vec![
                Span::styled(head, theme.row),
                Span::styled(wait, wait_style),
                Span::styled(tail, theme.row),
            ],
            width,
        ));
    }
}

fn server_lines(out: &mut Vec<Line<'_>>, servers: &[Conn], state: &State, theme: &Theme, width: usize) {
    let activity = state.shown.as_deref().and_then(|s| s.activity.as_ref().ok());
    for (i, s) in servers.iter().enumerate() {
        let outcome = state.pooler.join.rows.get(i).copied().flatten();
        let backend = activity.and_then(|a| state.pooler.join.backend(i, a));
        let pid = match (outcome, s.remote_pid) {
            (Some(crate::pooler::join::BackendJoin::Joined { pid, .. }), _) => pid.to_string(),
            (Some(o), _) => o.label().to_owned(),
            (None, Some(pid)) => format!("({pid})"),
            (None, None) => "-".to_owned(),
        };
        let (bk_state, query) = backend.map_or((String::new(), String::new()), |b| {
            (
                sanitize(b.state.as_deref().unwrap_or("")).into_owned(),
                sanitize(&b.query).into_owned(),
            )
        });
        let text = format!(
            "         {} {} {} {} {} {}",
            fit(&pid, 10),
            fit(&sanitize(&s.state), 7),
            fit(&sanitize(&s.database), 12),
            fit(&sanitize(&s.user), 12),
            fit(&bk_state, 8),
            query
        );
        let style: Style = if i == state.pooler.selected && state.pane == crate::panes::Pane::Pooler {
            theme.selection
        } else {
            theme.row
        };
        out.push(Line::styled(fit(&text, width), style));
    }
}

/// Spans cut to `width` cells.
fn clip(spans: Vec<Span<'_>>, width: usize) -> Line<'_> {
    let mut left = width;
    let mut kept = Vec::new();
    for s in spans {
        if left == 0 {
            break;
        }
        let w = crate::text::width(&s.content);
        let content = if w > left {
            crate::text::truncate(&s.content, left).into_owned()
        } else {
            s.content.into_owned()
        };
        left = left.saturating_sub(crate::text::width(&content));
        kept.push(Span::styled(content, s.style));
    }
    Line::from(kept)
}
