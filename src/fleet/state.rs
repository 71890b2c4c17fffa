//! The fleet screen's state and its pure update: members as their collectors last published
//! them, the selection (by member, so it follows a server when the order changes), sort, filter.
//! No I/O and no clock reads: `now` arrives in messages.

use std::sync::Arc;
use std::time::Duration;

use super::member::Member;
use super::table::{self, Sort};
use crate::action::Action;
use crate::snapshot::Micros;
use crate::state::INTERVALS_MS;
use crate::update::FilterKey;

pub struct Fleet {
    pub members: Vec<Arc<Member>>,
    /// The selected member (an index into `members`).
    pub selected: Option<usize>,
    pub sort: Sort,
    pub reverse: bool,
    /// The applied `/` filter.
    pub filter: String,
    /// The filter being typed, if it is.
    pub typing: Option<String>,
    pub now: Micros,
    pub utc_offset: i32,
    pub interval: Duration,
    /// A one-line message for the footer (an Enter that failed, a theme change).
    pub message: Option<String>,
    pub width: u16,
    pub height: u16,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Action(Action),
    Filter(FilterKey),
    Members(Vec<Arc<Member>>),
    Tick(Micros),
    Resize(u16, u16),
    UtcOffset(i32),
    Status(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Open this member in the full UI.
    Open(usize),
    SetInterval(Duration),
    Suspend,
    CycleTheme,
}

/// Rows around the table: title, column header, the selected server's findings, footer.
pub const CHROME_ROWS: u16 = 4;

impl Fleet {
    pub fn new(members: Vec<Arc<Member>>, interval: Duration, now: Micros) -> Fleet {
        Fleet {
            members,
            selected: None,
            sort: Sort::default(),
            reverse: false,
            filter: String::new(),
            typing: None,
            now,
            utc_offset: 0,
            interval,
            message: None,
            width: 80,
            height: 24,
        }
    }

    /// The lines in screen order, as drawn.
    pub fn lines(&self) -> Vec<table::Line> {
        let filter = self.typing.as_deref().unwrap_or(&self.filter);
        table::lines(
            &self.members,
            self.sort,
            self.reverse,
            filter,
            self.now,
            self.utc_offset,
        )
    }

    /// The selected line's position on screen; the first line when the selection is gone.
    pub fn selected_line(&self, lines: &[table::Line]) -> Option<usize> {
        let by_member = self
            .selected
            .and_then(|s| lines.iter().position(|l| l.member == s));
        by_member.or((!lines.is_empty()).then_some(0))
    }

    pub fn page_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(CHROME_ROWS))
    }
}

pub fn update(f: &mut Fleet, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Members(m) => f.members = m,
        Msg::Tick(now) => f.now = now,
        Msg::Resize(w, h) => {
            f.width = w;
            f.height = h;
        }
        Msg::UtcOffset(o) => f.utc_offset = o,
        Msg::Status(s) => f.message = Some(s),
        Msg::Filter(key) => filter_key(f, key),
        Msg::Action(a) => {
            f.message = None;
            return action(f, a);
        }
    }
    Vec::new()
}

fn filter_key(f: &mut Fleet, key: FilterKey) {
    let Some(text) = &mut f.typing else {
        return;
    };
    match key {
        FilterKey::Char(c) => text.push(c),
        FilterKey::Backspace => {
            text.pop();
        }
        FilterKey::Enter => f.filter = f.typing.take().unwrap_or_default(),
        FilterKey::Esc => f.typing = None,
    }
}

fn action(f: &mut Fleet, a: Action) -> Vec<Effect> {
    let page = f.page_rows().max(1) as isize;
    match a {
        Action::Quit => return vec![Effect::Quit],
        Action::Down => move_by(f, 1),
        Action::Up => move_by(f, -1),
        Action::PageDown => move_by(f, page),
        Action::PageUp => move_by(f, -page),
        Action::Top => move_by(f, isize::MIN / 2),
        Action::Bottom => move_by(f, isize::MAX / 2),
        Action::StartFilter => f.typing = Some(f.filter.clone()),
        Action::Clear => f.filter.clear(),
        Action::SortNext | Action::SortPrev => {
            f.sort = f.sort.cycle(a == Action::SortNext);
            f.reverse = false;
        }
        Action::SortReverse => f.reverse = !f.reverse,
        Action::Details => {
            let lines = f.lines();
            if let Some(i) = f.selected_line(&lines) {
                return vec![Effect::Open(lines[i].member)];
            }
        }
        Action::FasterRefresh | Action::SlowerRefresh => {
            let cur = f.interval.as_millis() as u64;
            let next = if a == Action::FasterRefresh {
                INTERVALS_MS.iter().rev().find(|&&ms| ms < cur)
            } else {
                INTERVALS_MS.iter().find(|&&ms| ms > cur)
            };
            if let Some(&ms) = next {
                f.interval = Duration::from_millis(ms);
                return vec![Effect::SetInterval(f.interval)];
            }
        }
        Action::Suspend => return vec![Effect::Suspend],
        Action::CycleTheme => return vec![Effect::CycleTheme],
        _ => {}
    }
    Vec::new()
}

/// Moves the selection by `by` lines, clamped; it then follows that member.
fn move_by(f: &mut Fleet, by: isize) {
    let lines = f.lines();
    let Some(cur) = f.selected_line(&lines) else {
        return;
    };
    let last = lines.len().saturating_sub(1) as isize;
    let next = (cur as isize).saturating_add(by).clamp(0, last) as usize;
    f.selected = Some(lines[next].member);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet(names: &[&str]) -> Fleet {
        let members = names
            .iter()
            .map(|n| Arc::new(Member::new(n, None, Duration::from_secs(1))))
            .collect();
        Fleet::new(members, Duration::from_secs(1), 0)
    }

    #[test]
    fn the_selection_follows_the_member_and_enter_opens_it() {
        let mut f = fleet(&["b", "a", "c"]);
        update(&mut f, Msg::Action(Action::SortNext)); // by name
        assert_eq!(f.sort, Sort::Name);
        update(&mut f, Msg::Action(Action::Down));
        assert_eq!(f.selected, Some(0)); // "b", second by name
        update(&mut f, Msg::Action(Action::SortReverse));
        let fx = update(&mut f, Msg::Action(Action::Details));
        assert_eq!(fx, vec![Effect::Open(0)]);
    }

    #[test]
    fn the_filter_is_typed_then_applied_and_esc_clears_it() {
        let mut f = fleet(&["db1", "db2"]);
        update(&mut f, Msg::Action(Action::StartFilter));
        for c in "db2".chars() {
            update(&mut f, Msg::Filter(FilterKey::Char(c)));
        }
        assert_eq!(f.lines().len(), 1);
        update(&mut f, Msg::Filter(FilterKey::Enter));
        assert_eq!(f.filter, "db2");
        update(&mut f, Msg::Action(Action::Clear));
        assert_eq!(f.lines().len(), 2);
    }
}
