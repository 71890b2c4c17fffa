//! The tab line fitted to the width: every tab always shows, as its number and name, its number
//! and a short name, or its number alone (the focused tab keeps its name longest); the room left
//! is the pane's summary's. Drawing and mouse hit-testing both read this.

use crate::panes::Pane;
use crate::text::width;

/// How much of a pane's name its tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Full,
    Short,
    Number,
}

/// One tab as placed: its pane, its label and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub pane: Pane,
    pub label: String,
    pub x: usize,
}

/// A pane's tab label in `form` (tabs are separated by one space).
pub fn label(pane: Pane, form: Form) -> String {
    match form {
        Form::Full => format!(" {} {} ", pane.key(), pane.name()),
        Form::Short => format!(" {} {} ", pane.key(), pane.short_name()),
        Form::Number => format!(" {} ", pane.key()),
    }
}

/// The tabs of `panes` at `w` columns: every name whole when they fit; otherwise short names,
/// the tabs farthest from the focused one losing theirs first, then the focused tab's name
/// shortens and goes last.
pub fn place(panes: &[Pane], focused: Pane, w: u16) -> Vec<Tab> {
    let mut forms: Vec<Form> = vec![Form::Full; panes.len()];
    let at = panes.iter().position(|p| *p == focused);
    let fits = |forms: &[Form]| {
        // The separator after the last tab may run past the edge.
        let used: usize = panes
            .iter()
            .zip(forms)
            .map(|(p, f)| width(&label(*p, *f)) + 1)
            .sum();
        used.saturating_sub(1) <= usize::from(w)
    };
    if !fits(&forms) {
        for (i, f) in forms.iter_mut().enumerate() {
            if Some(i) != at {
                *f = Form::Short;
            }
        }
        // Farthest from the focused tab first; of two as far, the later one.
        let mut order: Vec<usize> = (0..panes.len()).filter(|&i| Some(i) != at).collect();
        let home = at.unwrap_or(0);
        order.sort_by_key(|&i| std::cmp::Reverse((i.abs_diff(home), i)));
        let mut steps = order.into_iter().chain(at).chain(at);
        while !fits(&forms) {
            let Some(i) = steps.next() else { break };
            forms[i] = match forms[i] {
                Form::Full => Form::Short,
                _ => Form::Number,
            };
        }
    }
    let mut x = 0;
    panes
        .iter()
        .zip(forms)
        .map(|(&pane, form)| {
            let label = label(pane, form);
            let tab = Tab { pane, label, x };
            x += width(&tab.label) + 1;
            tab
        })
        .collect()
}

/// Columns the tabs take, with the space after the last one.
pub fn used(tabs: &[Tab]) -> usize {
    tabs.last().map_or(0, |t| t.x + width(&t.label) + 1)
}

/// The tab drawn at column `x`.
pub fn at(tabs: &[Tab], x: u16) -> Option<Pane> {
    let x = usize::from(x);
    tabs.iter()
        .find(|t| (t.x..t.x + width(&t.label)).contains(&x))
        .map(|t| t.pane)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(tabs: &[Tab]) -> String {
        tabs.iter()
            .map(|t| t.label.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn names_shorten_then_numbers_only_and_every_tab_stays() {
        let all = Pane::ALL;
        let wide = place(all, Pane::Activity, 200);
        assert!(labels(&wide).contains(" 9 Settings   P Pooler "));
        let mid = place(all, Pane::Waits, 100);
        assert!(labels(&mid).contains(" 3 Waits "), "{}", labels(&mid));
        assert!(labels(&mid).contains(" 4 Conn "), "{}", labels(&mid));
        let narrow = place(all, Pane::Connections, 60);
        assert!(
            labels(&narrow).contains(" 4 Connections "),
            "{}",
            labels(&narrow)
        );
        assert!(labels(&narrow).contains(" 9   P "), "{}", labels(&narrow));
        for w in [40, 60, 80, 120, 160, 200] {
            for &focused in all {
                let tabs = place(all, focused, w);
                assert_eq!(tabs.len(), all.len());
                if w >= 60 {
                    assert!(used(&tabs) <= usize::from(w) + 1, "{w} {focused:?}");
                }
            }
        }
    }

    #[test]
    fn a_click_finds_the_tab_drawn_there() {
        let tabs = place(Pane::ALL, Pane::Locks, 80);
        for t in &tabs {
            assert_eq!(at(&tabs, u16::try_from(t.x).unwrap()), Some(t.pane));
        }
        assert_eq!(at(&tabs, u16::try_from(used(&tabs) + 5).unwrap()), None);
    }
}
