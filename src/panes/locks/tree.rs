//! The blocking tree, a pure function of the activity rows (who blocks whom, from
//! `pg_blocking_pids`) and the contended locks (what each waiter wants, what its blockers hold).
//! Root blockers first, each with its whole pile of waiters; a waiter blocked by several appears
//! under each of them; a cycle is shown once, never followed round.

use std::collections::{HashMap, HashSet};

use crate::snapshot::Backend;
use crate::panes::locks::data::{Lock, Locks, Prepared};

/// A node of the tree: a backend, or a prepared transaction (which has no backend: its locks
/// outlive the session that prepared it; pg_blocking_pids reports it as pid 0).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKey {
    Pid(i32),
    /// By gid; empty when the Locks pane's data is not there to name it.
    Prepared(String),
}

/// One line of the tree, in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeRow {
    pub key: NodeKey,
    /// The blocker this line is shown under (`None` for a root).
    pub parent: Option<NodeKey>,
    pub depth: usize,
    /// Tree guides drawn before the node, e.g. `│ └─ `.
    pub prefix: String,
    /// Index into the activity rows, when the backend is there.
    pub backend: Option<usize>,
    /// Blocked by more than one session: this waiter is listed under each of them.
    pub multi: bool,
    /// The node is already on the path above: a cycle (a deadlock in the making) closes here.
    pub cycle: bool,
    /// Already shown with its waiters further up; not expanded again.
    pub repeat: bool,
    /// Distinct sessions waiting, directly or not, on this node.
    pub blocked_below: usize,
    /// Index into `Locks::contended`: the lock this node waits for.
    pub wants: Option<usize>,
    /// Index into `Locks::contended`: the parent's lock on the object this node waits for.
    pub parent_holds: Option<usize>,
    /// Index into `Locks::contended`: this node's lock on what its first waiter wants.
    pub holds: Option<usize>,
    pub prepared: Option<Prepared>,
}

/// The tree and what it could not show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LockTree {
    pub rows: Vec<TreeRow>,
    pub roots: usize,
    /// Sessions waiting on a lock (with a known blocker).
    pub waiting: usize,
    /// Lock waits in pg_locks whose session is invisible to this login (no pg_read_all_stats).
    pub hidden_waiters: usize,
}

struct Node {
    key: NodeKey,
    backend: Option<usize>,
    parents: Vec<usize>,
    children: Vec<usize>,
    below: usize,
    wants: Option<usize>,
}

/// Builds the tree. `locks` is `None` when the Locks pane's data was not collected: the tree's
/// shape is then the same, only lock details and prepared transaction names are missing.
pub fn build(backends: &[Backend], locks: Option<&Locks>) -> LockTree {
    let contended: &[Lock] = locks.map_or(&[], |l| l.contended.as_slice());
    let mut nodes: Vec<Node> = Vec::new();
    let mut index: HashMap<NodeKey, usize> = HashMap::new();
    let by_pid: HashMap<i32, usize> = backends
        .iter()
        .enumerate()
        .map(|(i, b)| (b.pid, i))
        .collect();
    let mut node = |key: NodeKey, nodes: &mut Vec<Node>| -> usize {
        *index.entry(key.clone()).or_insert_with(|| {
            let backend = match key {
                NodeKey::Pid(pid) => by_pid.get(&pid).copied(),
                NodeKey::Prepared(_) => None,
            };
            let wants = match key {
                NodeKey::Pid(pid) => contended
                    .iter()
                    .position(|l| l.pid == Some(pid) && !l.granted),
                NodeKey::Prepared(_) => None,
            };
            nodes.push(Node {
                key,
                backend,
                parents: Vec::new(),
                children: Vec::new(),
                below: 0,
                wants,
            });
            nodes.len() - 1
        })
    };
    let mut waiting = 0;
    for b in backends.iter().filter(|b| !b.blocked_by.is_empty()) {
        waiting += 1;
        let child = node(NodeKey::Pid(b.pid), &mut nodes);
        let mut parents: Vec<NodeKey> = Vec::new();
        for &p in &b.blocked_by {
            if p == 0 {
                parents.extend(prepared_blockers(b.pid, contended));
            } else {
                parents.push(NodeKey::Pid(p));
            }
        }
        parents.sort();
        parents.dedup();
        for key in parents {
            let parent = node(key, &mut nodes);
            if parent != child && !nodes[child].parents.contains(&parent) {
                nodes[child].parents.push(parent);
                nodes[parent].children.push(child);
            }
        }
    }
    count_below(&mut nodes);
    let age = |n: &Node| -> i64 {
        n.backend
            .and_then(|i| backends[i].xact_start.or(backends[i].query_start))
            .map_or(i64::MAX, |t| t)
    };
    // Most blocked first, then the oldest transaction, then by key so the order is stable.
    let order = |nodes: &[Node], a: usize, b: usize| {
        nodes[b]
            .below
            .cmp(&nodes[a].below)
            .then_with(|| age(&nodes[a]).cmp(&age(&nodes[b])))
            .then_with(|| nodes[a].key.cmp(&nodes[b].key))
    };
    for i in 0..nodes.len() {
        let mut children = std::mem::take(&mut nodes[i].children);
        children.sort_by(|&a, &b| order(&nodes, a, b));
        nodes[i].children = children;
    }
    let mut roots: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].parents.is_empty())
        .collect();
    roots.sort_by(|&a, &b| order(&nodes, a, b));
    let mut tree = LockTree {
        roots: roots.len(),
        waiting,
        hidden_waiters: hidden_waiters(backends, &by_pid, contended),
        ..LockTree::default()
    };
    let mut shown = vec![false; nodes.len()];
    for root in roots {
        flatten(&nodes, root, contended, &mut shown, &mut tree.rows);
    }
    // What is left hangs in cycles only: enter each cycle at its most blocking node.
    while let Some(start) = (0..nodes.len())
        .filter(|&i| !shown[i])
        .min_by(|&a, &b| order(&nodes, a, b))
    {
        tree.roots += 1;
        flatten(&nodes, start, contended, &mut shown, &mut tree.rows);
    }
    tree
}

/// The prepared transactions holding a lock on what `pid` waits for.
fn prepared_blockers(pid: i32, contended: &[Lock]) -> Vec<NodeKey> {
    let wanted: Vec<&Lock> = contended
        .iter()
        .filter(|l| l.pid == Some(pid) && !l.granted)
        .collect();
    let found: Vec<NodeKey> = contended
        .iter()
        .filter(|l| l.pid.is_none() && wanted.iter().any(|w| w.target.same_object(&l.target)))
        .filter_map(|l| l.prepared.as_ref())
        .map(|p| NodeKey::Prepared(p.gid.clone()))
        .collect();
    if found.is_empty() {
        vec![NodeKey::Prepared(String::new())]
    } else {
        found
    }
}

/// Waiting locks of sessions whose activity row hides its wait (another user's session seen
/// without pg_read_all_stats).
fn hidden_waiters(backends: &[Backend], by_pid: &HashMap<i32, usize>, locks: &[Lock]) -> usize {
    let mut pids: Vec<i32> = locks
        .iter()
        .filter(|l| !l.granted)
        .filter_map(|l| l.pid)
        .filter(|pid| {
            by_pid
                .get(pid)
                .is_none_or(|&i| backends[i].wait_event_type.is_none())
        })
        .collect();
    pids.sort_unstable();
    pids.dedup();
    pids.len()
}

/// Distinct descendants of every node; a stamp per walk keeps shared waiters from counting
/// twice and cycles from looping.
fn count_below(nodes: &mut [Node]) {
    let mut stamp = vec![usize::MAX; nodes.len()];
    let mut stack = Vec::new();
    for start in 0..nodes.len() {
        let mut count = 0;
        stamp[start] = start;
        stack.clear();
        stack.extend_from_slice(&nodes[start].children);
        while let Some(n) = stack.pop() {
            if stamp[n] == start {
                continue;
            }
            stamp[n] = start;
            count += 1;
            stack.extend_from_slice(&nodes[n].children);
        }
        nodes[start].below = count;
    }
}

/// Appends `root` and its waiters in display order, iteratively (a 5,000-deep chain must not
/// exhaust the stack).
fn flatten(
    nodes: &[Node],
    root: usize,
    contended: &[Lock],
    shown: &mut [bool],
    out: &mut Vec<TreeRow>,
) {
    // (node, parent, depth, last among its siblings)
    let mut stack: Vec<(usize, Option<usize>, usize, bool)> = vec![(root, None, 0, true)];
    // path[d] = node at depth d on the current path; more[d] = siblings follow it.
    let mut path: Vec<usize> = Vec::new();
    let mut more: Vec<bool> = Vec::new();
    while let Some((n, parent, depth, last)) = stack.pop() {
        path.truncate(depth);
        more.truncate(depth);
        let cycle = path.contains(&n);
        let repeat = !cycle && shown[n];
        let mut prefix = String::new();
        for &m in more.iter().skip(1) {
            prefix.push_str(if m { "│ " } else { "  " });
        }
        if depth > 0 {
            prefix.push_str(if last { "└─" } else { "├─" });
        }
        let node = &nodes[n];
        out.push(TreeRow {
            key: node.key.clone(),
            parent: parent.map(|p| nodes[p].key.clone()),
            depth,
            prefix,
            backend: node.backend,
            multi: node.parents.len() > 1,
            cycle,
            repeat,
            blocked_below: node.below,
            wants: node.wants,
            parent_holds: parent.and_then(|p| held_by(&nodes[p].key, node.wants, contended)),
            holds: node
                .children
                .first()
                .and_then(|&c| held_by(&node.key, nodes[c].wants, contended)),
            prepared: prepared_of(&node.key, contended),
        });
        if cycle || repeat {
            continue;
        }
        shown[n] = true;
        path.push(n);
        more.push(!last);
        let kids = &node.children;
        for (i, &c) in kids.iter().enumerate().rev() {
            stack.push((c, Some(n), depth + 1, i + 1 == kids.len()));
        }
    }
}

/// The lock `holder` has on the object of the wanted lock: granted first, else its place in
/// the queue ahead of the waiter.
fn held_by(holder: &NodeKey, wants: Option<usize>, contended: &[Lock]) -> Option<usize> {
    let wanted = &contended.get(wants?)?.target;
    let mine = |l: &Lock| match holder {
        NodeKey::Pid(pid) => l.pid == Some(*pid),
        NodeKey::Prepared(gid) => {
            l.pid.is_none() && l.prepared.as_ref().is_some_and(|p| &p.gid == gid)
        }
    };
    let on_it = |l: &&Lock| mine(l) && l.target.same_object(wanted);
    contended
        .iter()
        .position(|l| on_it(&l) && l.granted)
        .or_else(|| contended.iter().position(|l| on_it(&l)))
}

fn prepared_of(key: &NodeKey, contended: &[Lock]) -> Option<Prepared> {
    let NodeKey::Prepared(gid) = key else {
        return None;
    };
    contended
        .iter()
        .filter_map(|l| l.prepared.as_ref())
        .find(|p| &p.gid == gid)
        .cloned()
}

/// The root blockers above `key`, most blocking first: where its pile starts. A waiter under
/// several blockers may have several roots; in a cycle, the node the tree entered it by.
pub fn roots_of(tree: &LockTree, key: &NodeKey) -> Vec<NodeKey> {
    let mut parents: HashMap<&NodeKey, Vec<&NodeKey>> = HashMap::new();
    for row in &tree.rows {
        if let Some(p) = &row.parent {
            parents.entry(&row.key).or_default().push(p);
        }
    }
    let mut seen: HashSet<&NodeKey> = HashSet::from([key]);
    let mut todo: Vec<&NodeKey> = vec![key];
    while let Some(k) = todo.pop() {
        for &p in parents.get(k).map_or(&[][..], Vec::as_slice) {
            if seen.insert(p) {
                todo.push(p);
            }
        }
    }
    tree.rows
        .iter()
        .filter(|r| r.depth == 0 && seen.contains(&r.key))
        .map(|r| r.key.clone())
        .collect()
}
