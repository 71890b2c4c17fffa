//! Drawing the Pooler pane: status, saturation per database, pools (most waiting first,
//! maxwait highlighted) with their rates, servers joined to backends, and clients, stacked so
//! each list keeps its selected row in view. Reads state only; every pooler and server string
//! goes through the sanitizer (the table cells through `fit`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::columns::{DATABASES, POOLS};
use super::draw_conns::{clients_section, servers_section};
use super::draw_shared::{error_line, num, row_style, title, wait_style};
use crate::config::theme::Theme;
use crate::pooler::Pooler;
use crate::pooler::saturation::Level;
use crate::state::State;
use crate::text::{duration_us, sanitize};
use crate::ui::pane::Draw;
use crate::ui::table::{Section, bytes, header, line, stack};

impl Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        let sections = sections(state, theme, area.width);
        // A click plans these lines from the shapes alone: they must be the shapes drawn.
        debug_assert_eq!(
            crate::ui::table::shapes(&sections),
            super::layout::shapes(state)
        );
        frame.render_widget(
            Paragraph::new(stack(sections, usize::from(area.height))),
            area,
        );
    }

    fn summary(state: &State) -> String {
        let v = &state.views.pooler;
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
        format!("{}, {waiting} waiting", sanitize(&p.version))
    }
}

fn sections<'a>(state: &State, theme: &Theme, w: u16) -> Vec<Section<'a>> {
    let status = Section {
        head: super::draw_status::lines(state, theme),
        rows: Vec::new(),
        focus: None,
    };
    let Some(p) = state.views.pooler.latest.as_deref() else {
        return vec![status];
    };
    vec![
        status,
        databases_section(state, theme, w),
        pools_section(p, state, theme, w),
        servers_section(p, state, theme, w),
        clients_section(p, state, theme, w),
    ]
}

fn databases_section<'a>(state: &State, theme: &Theme, w: u16) -> Section<'a> {
    let lay = super::columns::databases(w);
    let s = state.views.pooler.saturation.as_ref();
    let rest = s.map_or_else(String::new, |s| {
        format!(
            "clients {} of max_client_conn {}",
            num(s.clients),
            num(s.max_client_conn)
        )
    });
    let head = vec![
        title("DATABASES", rest, theme),
        header(&DATABASES, &lay, theme.table_header),
    ];
    // Trouble first (the levels sort worst first); no selection, so drawing may reorder.
    let mut dbs: Vec<_> = s.map_or(&[][..], |s| s.databases.as_slice()).iter().collect();
    dbs.sort_by_key(|d| (d.level, d.database.clone()));
    let mut rows: Vec<Line<'a>> = dbs
        .into_iter()
        .map(|d| {
            let (level, style) = match d.level {
                Level::Queuing => ("QUEUING", Some(theme.danger)),
                Level::Full => ("FULL", Some(theme.danger)),
                Level::Reserve => ("reserve", Some(theme.warning)),
                Level::Ok => ("ok", None),
                Level::Unknown => ("n/a", None),
            };
            // Open of the most it may open. The limit is per pool: before the first pool
            // there is none, and without pool_size or reserve_pool it is unknown.
            let servers = match d.server_limit {
                Some(limit) if d.pools > 0 => format!("{}/{limit}", num(d.servers)),
                _ => num(d.servers),
            };
            let cells = vec![
                (d.database.clone(), None),
                (level.to_owned(), style),
                (d.pools.to_string(), None),
                (servers, style),
                (num(d.pool_size), None),
                (num(d.reserve_pool), None),
                (d.max_db_connections.map_or_else(|| "-".to_owned(), |m| m.to_string()), None),
                (num(d.clients_active), None),
                (num(d.clients_waiting), wait_style(d.clients_waiting, theme)),
                (maxwait(d.maxwait_us), wait_style(d.maxwait_us, theme)),
            ];
            line(&DATABASES, &lay, &cells, theme.row)
        })
        .collect();
    if rows.is_empty() {
        rows.push(Line::styled("no database behind the pooler", theme.footer));
    }
    Section {
        head,
        rows,
        focus: None,
    }
}

fn maxwait(us: Option<i64>) -> String {
    us.map_or_else(|| "n/a".to_owned(), duration_us)
}

fn per_s(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |x| format!("{x:.1}"))
}

fn mean_us(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |x| duration_us(x as i64))
}

fn bytes_per_s(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |x| format!("{}/s", bytes(x as i64)))
}

fn pools_section<'a>(p: &Pooler, state: &State, theme: &Theme, w: u16) -> Section<'a> {
    let lay = super::columns::pools(w);
    let v = &state.views.pooler;
    let pools = match &p.pools {
        Ok(pools) => pools,
        Err(e) => {
            return Section {
                head: vec![
                    title("POOLS", String::new(), theme),
                    header(&POOLS, &lay, theme.table_header),
                ],
                rows: vec![error_line("POOLS", e, theme)],
                focus: None,
            };
        }
    };
    let rest = match &p.stats {
        Ok(_) if v.rates.is_empty() => "rates after the next read".to_owned(),
        Ok(_) => "rates per database (SHOW STATS)".to_owned(),
        Err(e) => format!("SHOW STATS: {}", sanitize(&e.to_string())),
    };
    let head = vec![
        title("POOLS", rest, theme),
        header(&POOLS, &lay, theme.table_header),
    ];
    let mut focus = None;
    let mut rows = Vec::with_capacity(pools.len().max(1));
    for (n, &i) in v.pool_order.iter().enumerate() {
        let Some(pool) = pools.get(i) else { continue };
        if v.is_cursor(n) {
            focus = Some(n);
        }
        let rate = v.rates.iter().find(|r| r.database == pool.database);
        let waiting = pool.cl_waiting.filter(|w| *w > 0).map(|_| theme.warning);
        let cells = vec![
            (pool.database.clone(), None),
            (pool.user.clone(), None),
            (pool.pool_mode.clone().unwrap_or_else(|| "n/a".to_owned()), None),
            (num(pool.cl_active), None),
            (num(pool.cl_waiting), waiting),
            (num(pool.sv_active), None),
            (num(pool.sv_idle), None),
            (num(pool.sv_used), None),
            (num(pool.sv_tested), None),
            (num(pool.sv_login), None),
            (maxwait(pool.maxwait_us), wait_style(pool.maxwait_us, theme)),
            (per_s(rate.and_then(|r| r.xact_per_s)), None),
            (per_s(rate.and_then(|r| r.query_per_s)), None),
            (mean_us(rate.and_then(|r| r.avg_xact_us)), None),
            (mean_us(rate.and_then(|r| r.avg_wait_us)), None),
            (bytes_per_s(rate.and_then(|r| r.recv_per_s)), None),
            (bytes_per_s(rate.and_then(|r| r.sent_per_s)), None),
        ];
        rows.push(line(&POOLS, &lay, &cells, row_style(state, n, theme)));
    }
    if rows.is_empty() {
        rows.push(Line::styled("no pool yet: no client has connected", theme.footer));
    }
    Section { head, rows, focus }
}
