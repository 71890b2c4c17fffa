//! Building a mode's bindings: the defaults grouped by action, with the user's rebinds laid over
//! them. A rebind replaces every default key of its action; a key the user gives to one action
//! is taken away from the default binding of any other (the user said what they want), while
//! two rebinds wanting the same key are a clash to report.

use super::chord::{Chord, Seq};
use super::table::Entry;
use super::{Binding, KeyMode, Rebind, names};

/// The default entries of `mode`, grouped by action in the order the table lists them.
pub fn default_entries(mode: KeyMode, defaults: &[Binding]) -> Vec<Entry> {
    if mode != KeyMode::Normal {
        // Other modes fall back to normal; they only hold what the user adds.
        return Vec::new();
    }
    let mut entries: Vec<Entry> = Vec::new();
    for b in defaults {
        let seq = Seq::one(Chord::new(b.code, b.modifiers));
        match entries.iter_mut().find(|e| e.action == b.action) {
            Some(e) => {
                if !e.keys.contains(&seq) {
                    e.keys.push(seq);
                }
                if e.help.is_empty() {
                    b.help.clone_into(&mut e.help);
                }
            }
            None => entries.push(Entry::new(b.action, vec![seq], b.help.to_owned())),
        }
    }
    for e in &mut entries {
        e.relabel();
    }
    entries
}

/// `mode`'s entries after the user's rebinds.
pub fn entries(mode: KeyMode, defaults: &[Binding], rebinds: &[Rebind]) -> Vec<Entry> {
    let base = default_entries(KeyMode::Normal, defaults);
    let mut entries = default_entries(mode, defaults);
    let mine: Vec<&Rebind> = rebinds.iter().filter(|r| r.mode == mode).collect();
    let taken: Vec<Seq> = mine.iter().flat_map(|r| r.keys.iter().copied()).collect();
    let collides = |s: &Seq| {
        taken
            .iter()
            .any(|t| t == s || (t.second.is_some() != s.second.is_some() && t.first == s.first))
    };
    for e in &mut entries {
        if !mine.iter().any(|r| r.action == e.action) {
            e.keys.retain(|s| !collides(s));
        }
    }
    for r in mine {
        if let Some(e) = entries.iter_mut().find(|e| e.action == r.action) {
            e.keys.clone_from(&r.keys);
        } else {
            // Help text of an action the defaults of this mode do not bind.
            let help = base.iter().find(|e| e.action == r.action).map_or_else(
                || names::name(r.action).replace('_', " "),
                |e| e.help.clone(),
            );
            entries.push(Entry::new(r.action, r.keys.clone(), help));
        }
    }
    for e in &mut entries {
        e.relabel();
    }
    entries
}
