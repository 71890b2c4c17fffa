//! One mode's bindings compiled for lookup: single keys and two-key sequences in hash maps (a
//! key press costs one or two hash probes), plus the ordered list the help overlay shows.

use std::collections::{HashMap, HashSet};

use super::chord::{Chord, Seq};
use crate::action::Action;

/// An action and every key sequence bound to it, in the order help lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub action: Action,
    pub keys: Vec<Seq>,
    /// What help says the action does.
    pub help: String,
    /// The keys as help shows them: `j/↓`, `g g`.
    pub label: String,
}

impl Entry {
    pub fn new(action: Action, keys: Vec<Seq>, help: String) -> Entry {
        let mut e = Entry {
            action,
            keys,
            help,
            label: String::new(),
        };
        e.relabel();
        e
    }

    pub fn relabel(&mut self) {
        let labels: Vec<String> = self.keys.iter().map(ToString::to_string).collect();
        self.label = labels.join("/");
    }
}

/// Two actions want the same keys in one mode, or one binding's key starts another's sequence
/// (so the longer one could never be typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub keys: Seq,
    pub first: Action,
    pub second: Action,
    /// `keys` is a prefix of `second`'s sequence rather than equal to it.
    pub prefix_of: Option<Seq>,
}

/// What a key press means, given the key pressed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Action(Action),
    /// The first key of a sequence: wait for the next one.
    Prefix,
    None,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    entries: Vec<Entry>,
    single: HashMap<Chord, Action>,
    double: HashMap<(Chord, Chord), Action>,
    /// First keys of the sequences.
    prefixes: HashSet<Chord>,
}

impl Table {
    /// Compiles `entries`; the clashes found are returned, and the first binding of a clashing
    /// key wins in the table.
    pub fn compile(entries: Vec<Entry>) -> (Table, Vec<Clash>) {
        let mut table = Table::default();
        let mut clashes = Vec::new();
        let mut owner: HashMap<Seq, Action> = HashMap::new();
        for e in &entries {
            for &seq in &e.keys {
                match owner.get(&seq) {
                    Some(&first) if first != e.action => clashes.push(Clash {
                        keys: seq,
                        first,
                        second: e.action,
                        prefix_of: None,
                    }),
                    Some(_) => {}
                    None => {
                        owner.insert(seq, e.action);
                        match seq.second {
                            None => {
                                table.single.insert(seq.first, e.action);
                            }
                            Some(second) => {
                                table.double.insert((seq.first, second), e.action);
                                table.prefixes.insert(seq.first);
                            }
                        }
                    }
                }
            }
        }
        for (&(first, second), &action) in &table.double {
            if let Some(&single) = table.single.get(&first) {
                clashes.push(Clash {
                    keys: Seq::one(first),
                    first: single,
                    second: action,
                    prefix_of: Some(Seq {
                        first,
                        second: Some(second),
                    }),
                });
            }
        }
        // Hash order must not decide the order of the messages.
        clashes.sort_by_key(|c| (c.keys.to_string(), c.prefix_of.map(|p| p.to_string())));
        table.entries = entries;
        (table, clashes)
    }

    /// The meaning of `chord` after `pending` (the first key of a sequence, if one was typed).
    pub fn hit(&self, pending: Option<Chord>, chord: Chord) -> Hit {
        if let Some(first) = pending {
            return self
                .double
                .get(&(first, chord))
                .map_or(Hit::None, |&a| Hit::Action(a));
        }
        if let Some(&a) = self.single.get(&chord) {
            return Hit::Action(a);
        }
        if self.prefixes.contains(&chord) {
            return Hit::Prefix;
        }
        Hit::None
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}
