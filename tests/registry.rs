//! A pane is its folder, one registry line and its default config: the registry alone gives it
//! its key, tab, help section, view model in `State`, part of a refresh, part of the JSON
//! document and of its schema, and CSV table. Nothing outside `src/panes/` lists every pane, so
//! a pane added to the registry needs no edit anywhere else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use fixtures::screen::screen;
use fixtures::{NOW, busy, snapshot};
use pgscope::action::Action;
use pgscope::keymap::Keymap;
use pgscope::snapshot_cmd::export::{Panes, columns, table_field};
use pgscope::snapshot_cmd::schema::compose;
use pgscope::state::{Pane, State};
use pgscope::update::{Msg, update};

fn modules() -> Vec<&'static str> {
    Pane::ALL.iter().map(|p| p.module()).collect()
}

fn state() -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    st.views.pooler.configured = true;
    update(&mut st, Msg::Resize(200, 50));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, busy()),
            now: NOW,
        },
    );
    st
}

#[test]
fn every_pane_has_its_key_tab_help_and_view_from_the_registry() {
    let mut st = state();
    assert_eq!(st.tab_panes(), Pane::ALL);
    let views = format!("{:?}", st.views);
    let parts = format!("{:?}", pgscope::snapshot::Parts::default());
    let keymap = Keymap::default();
    for &pane in Pane::ALL {
        let m = pane.module();
        assert!(views.contains(&format!(" {m}: ")), "State::views lacks {m}");
        assert!(
            parts.contains(&format!(" {m}: ")),
            "Snapshot parts lack {m}"
        );
        let bound = keymap
            .documented()
            .any(|e| e.action == Action::Pane(pane.number()));
        assert!(bound, "no key selects {}", pane.name());
        update(&mut st, Msg::Action(Action::Pane(pane.number())));
        assert_eq!(st.pane, pane);
        let help = pgscope::update::help::rows(&keymap, pane, "");
        assert!(
            format!("{:?}", help[0]).contains(&format!("{} pane", pane.name())),
            "help for {}",
            pane.name()
        );
        let shown = screen(&st, 200, 50);
        assert!(shown.contains(pane.name()), "tab of {}", pane.name());
    }
}

#[test]
fn every_pane_has_its_part_of_the_document_its_schema_and_its_csv_table() {
    let schema = compose().unwrap();
    let defs = schema["$defs"].as_object().unwrap();
    let listed: Vec<&str> = defs["panes"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(listed, modules());

    let st = state();
    let mut panes = Panes::default();
    for &pane in Pane::ALL {
        panes.add(pane, &st);
        let m = pane.module();
        let table = &defs[m]["properties"][table_field(pane)];
        assert_eq!(table["type"], "array", "{m}: its CSV table is a list");
        let row = table["items"]["$ref"].as_str().unwrap();
        let row = &defs[row.trim_start_matches("#/$defs/")];
        let in_schema: Vec<&String> = row["properties"].as_object().unwrap().keys().collect();
        let csv = columns(pane).unwrap();
        let in_csv: Vec<&String> = csv.as_object().unwrap().keys().collect();
        assert_eq!(in_csv, in_schema, "{m}: CSV columns and schema row");
    }
    let doc = serde_json::to_value(&panes).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, modules());

    // Every pane's part, here its error as there is no read, is valid against the schema.
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("s.json", schema).unwrap();
    let index = compiler
        .compile("s.json#/$defs/panes", &mut schemas)
        .unwrap();
    schemas.validate(&doc, index).unwrap();
}

/// Every `.rs` file under `dir`, relative to the crate, without comments.
fn sources(dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let code: Vec<&str> = text
                .lines()
                .map(|l| l.find("//").map_or(l, |i| &l[..i]))
                .collect();
            let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
            out.insert(rel.to_string_lossy().replace('\\', "/"), code.join("\n"));
        }
    }
}

/// A match or a list over every pane names each of them; outside `src/panes/` only the
/// registry's macros may, so a new pane's line reaches every layer without another edit.
#[test]
fn nothing_outside_the_panes_lists_every_pane() {
    let mut files = BTreeMap::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let names = |code: &str, form: &dyn Fn(Pane) -> String| {
        Pane::ALL.iter().all(|&p| {
            let needle = form(p);
            code.match_indices(&needle).any(|(i, _)| {
                let after = code[i + needle.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
    };
    let offenders: Vec<&String> = files
        .iter()
        .filter(|(path, _)| !path.starts_with("src/panes/"))
        .filter(|(_, code)| {
            names(code, &|p| format!("Pane::{}", p.name()))
                || names(code, &|p| format!("panes::{}", p.module()))
        })
        .map(|(path, _)| path)
        .collect();
    assert!(offenders.is_empty(), "these list every pane: {offenders:?}");
    let registry = &files["src/panes/mod.rs"];
    for &pane in Pane::ALL {
        let line = format!("'{}', {}, {},", pane.key(), pane.name(), pane.module());
        assert!(
            registry.contains(&line),
            "the registry line of {}",
            pane.name()
        );
    }
}

/// The pane's own files the README names exist for every pane.
#[test]
fn every_pane_folder_has_its_own_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/panes");
    for m in modules() {
        for file in [
            "mod.rs",
            "view.rs",
            "keys.rs",
            "draw.rs",
            "hit.rs",
            "export.rs",
            "schema.json",
        ] {
            assert!(root.join(m).join(file).is_file(), "src/panes/{m}/{file}");
        }
    }
}
