//! The import rules of the design, checked on the source: `state/` and `update/` draw nothing
//! and do no I/O, the tasks (`collect/`, `control/`) know nothing of the screen's state, and no
//! two files import each other, directly or around a loop.
//!
//! The module graph is built per file from `crate::` and `super::` paths (in `use` lines, brace
//! groups expanded, and inline), each resolved to the longest prefix that is a file. A file's
//! `#[cfg(test)] mod tests` and comments are left out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Known offenders: the rules below tolerate exactly these and nothing else, so the list can only
/// shrink.
const KNOWN_UI_IMPORTS: &[&str] = &[];
const KNOWN_CYCLES: &[&[&str]] = &[];

/// Every `.rs` file under src/, as a path relative to src/ with `/` separators.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                let text = fs::read_to_string(&path).unwrap();
                out.insert(rel.replace('\\', "/"), code_of(&text));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The code that counts: without comments and without the unit tests at the end of the file.
fn code_of(text: &str) -> String {
    let code = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |i| &text[..i]);
    code.lines()
        .map(|line| line.find("//").map_or(line, |i| &line[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `a::b as c` -> `a::b`: a rename does not change where the path leads.
fn drop_renames(path: &str) -> String {
    let words: Vec<&str> = path.split_whitespace().collect();
    let mut out = String::new();
    let mut skip = false;
    for w in words {
        if skip {
            // The new name, and whatever punctuation follows it.
            out.push_str(w.trim_start_matches(is_ident));
            skip = false;
        } else if w == "as" {
            skip = true;
        } else {
            out.push_str(w);
        }
    }
    out
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path = drop_renames(path);
    let Some(open) = path.find('{') else {
        return vec![path];
    };
    let prefix = path[..open].trim_end_matches(':');
    let body = &path[open + 1..path.rfind('}').unwrap()];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&body[start..]);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand(&format!("{prefix}::{i}")))
        .collect()
}

/// Every `crate::`/`super::` path in the code.
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    // `use` lines first (they may hold brace groups), then the inline paths elsewhere.
    let mut outside_use = String::new();
    while let Some(i) = rest.find("use ") {
        let before_ok = i == 0 || !is_ident(rest[..i].chars().next_back().unwrap());
        outside_use.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let trimmed = after.trim_start();
        if before_ok && (trimmed.starts_with("crate::") || trimmed.starts_with("super::")) {
            let end = after.find(';').unwrap();
            paths.extend(expand(&after[..end]));
            rest = &after[end + 1..];
        } else {
            outside_use.push_str("use ");
            rest = after;
        }
    }
    outside_use.push_str(rest);
    for root in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = outside_use[from..].find(root) {
            let at = from + i;
            from = at + root.len();
            if at > 0 && is_ident(outside_use[..at].chars().next_back().unwrap()) {
                continue;
            }
            let end = outside_use[at..]
                .find(|c: char| !(is_ident(c) || c == ':'))
                .map_or(outside_use.len(), |e| at + e);
            paths.push(outside_use[at..end].trim_end_matches(':').to_owned());
        }
    }
    paths
}

/// The module a file is: `update/mouse.rs` is `update::mouse`.
fn module_of(file: &str) -> Vec<String> {
    let mut segs: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if segs.last().is_some_and(|s| s == "mod") {
        segs.pop();
    }
    segs
}

/// The file a path lands in: the longest prefix of its segments that is a file.
fn resolve(segs: &[String], files: &BTreeSet<&str>) -> String {
    let mut best = "lib.rs".to_owned();
    for k in 1..=segs.len() {
        let base = segs[..k].join("/");
        for candidate in [format!("{base}.rs"), format!("{base}/mod.rs")] {
            if files.contains(candidate.as_str()) {
                best = candidate;
            }
        }
    }
    best
}

/// file -> the files it imports from.
fn graph(sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let files: BTreeSet<&str> = sources.keys().map(String::as_str).collect();
    let mut edges = BTreeMap::new();
    for (file, code) in sources {
        let module = module_of(file);
        let parent = &module[..module.len().saturating_sub(1)];
        let mut to = BTreeSet::new();
        for path in paths_in(code) {
            let mut parts = path.split("::");
            let mut segs: Vec<String> = match parts.next() {
                Some("super") => parent.to_vec(),
                _ => Vec::new(),
            };
            segs.extend(
                parts
                    .filter(|p| !p.is_empty() && *p != "self" && *p != "*")
                    .map(str::to_owned),
            );
            let target = resolve(&segs, &files);
            if target != *file {
                to.insert(target);
            }
        }
        edges.insert(file.clone(), to);
    }
    edges
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<BTreeSet<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w.as_str()]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w.as_str()) {
                    let low = self.low[v].min(self.index[w.as_str()]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = BTreeSet::new();
                loop {
                    let w = self.stack.pop().unwrap();
                    self.on_stack.remove(w);
                    component.insert(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

fn in_dir(file: &str, dirs: &[&str]) -> bool {
    dirs.iter()
        .any(|d| file.starts_with(&format!("{d}/")) || file == format!("{d}.rs"))
}

fn mentions(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

#[test]
fn state_and_update_import_no_drawing_and_no_io() {
    let mut bad = Vec::new();
    for (file, code) in &sources() {
        if !in_dir(file, &["state", "update"]) {
            continue;
        }
        let ui = code.contains("crate::ui::") || mentions(code, "crate::ui");
        if ui && !KNOWN_UI_IMPORTS.contains(&file.as_str()) {
            bad.push(format!("{file}: imports crate::ui"));
        }
        for io in ["tokio", "tokio_postgres"] {
            if mentions(code, io) {
                bad.push(format!("{file}: uses {io}"));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn the_tasks_know_nothing_of_the_screen() {
    let mut bad = Vec::new();
    for (file, code) in &sources() {
        if !in_dir(file, &["collect", "control"]) {
            continue;
        }
        for path in paths_in(code) {
            let top = path.strip_prefix("crate::").unwrap_or("");
            let top = top.split("::").next().unwrap_or("");
            if ["state", "update", "ui"].contains(&top) {
                bad.push(format!("{file}: {path}"));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn no_two_files_import_each_other() {
    let known: Vec<BTreeSet<String>> = KNOWN_CYCLES
        .iter()
        .map(|c| c.iter().map(|f| (*f).to_owned()).collect())
        .collect();
    let found: Vec<BTreeSet<String>> = cycles(&graph(&sources()))
        .into_iter()
        .filter(|c| !known.contains(c))
        .collect();
    assert!(found.is_empty(), "module cycles: {found:#?}");
}

/// The checker itself: it must see a cycle through `super::` and a brace group.
#[test]
fn the_checker_finds_a_planted_cycle() {
    let mut sources = BTreeMap::new();
    sources.insert("a/mod.rs".to_owned(), String::new());
    sources.insert("a/x.rs".to_owned(), "use super::{y::Thing, z};".to_owned());
    sources.insert(
        "a/y.rs".to_owned(),
        "fn f() { crate::a::x::go() }".to_owned(),
    );
    sources.insert(
        "a/z.rs".to_owned(),
        "use crate::{b::{self as bee}};".to_owned(),
    );
    sources.insert("b.rs".to_owned(), "// use crate::a::z;".to_owned());
    let sources = sources.into_iter().map(|(f, t)| (f, code_of(&t))).collect();
    let found = cycles(&graph(&sources));
    let expected: BTreeSet<String> = ["a/x.rs", "a/y.rs"].map(str::to_owned).into();
    assert_eq!(found, vec![expected]);
}
