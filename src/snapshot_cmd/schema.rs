//! The JSON document's schema, composed from the registry: the frame's part (`schema.json`
//! beside this file: the document, the server, rates, errors) and every pane's own part (the
//! `schema.json` in its folder: its `$defs`, one named like its module). The published
//! `assets/snapshot.schema.json` is exactly what this composes; a test keeps them equal.

use serde_json::{Map, Value, json};

/// Why the parts do not compose: a build with a broken part fails its tests, never a user.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("the schema part of {part} is not a JSON object: {message}")]
    Part { part: &'static str, message: String },
    #[error("the schema part of {0} lacks the definition named like the pane")]
    Missing(&'static str),
    #[error("the schema definition \"{0}\" is defined twice")]
    Twice(String),
}

const FRAME: &str = include_str!("schema.json");

macro_rules! parts {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
        /// Every pane's part, in number order: its module and its `schema.json`.
        const PANES: &[(&str, &str)] = &[$(
            (
                stringify!($module),
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"), "/src/panes/", stringify!($module), "/schema.json"
                )),
            ),
        )*];
    };
}
crate::panes::for_each_pane!(parts);

fn object(part: &'static str, text: &str) -> Result<Map<String, Value>, SchemaError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(SchemaError::Part {
            part,
            message: "not an object".to_owned(),
        }),
        Err(e) => Err(SchemaError::Part {
            part,
            message: e.to_string(),
        }),
    }
}

/// `{"error": ..., "data": ...}` of one pane: its data, or why there is none.
fn pane_doc(module: &str) -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["error", "data"],
        "properties": {
            "error": {"anyOf": [{"$ref": "#/$defs/error"}, {"type": "null"}]},
            "data": {"anyOf": [{"$ref": format!("#/$defs/{module}")}, {"type": "null"}]}
        }
    })
}

/// The whole schema: the frame's definitions, then every pane's, then `panes` listing them.
pub fn compose() -> Result<Value, SchemaError> {
    let mut doc = object("the document", FRAME)?;
    let mut defs = match doc.remove("$defs") {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    let mut panes = Map::new();
    for (module, text) in PANES {
        let part = object(module, text)?;
        if !part.contains_key(*module) {
            return Err(SchemaError::Missing(module));
        }
        for (name, def) in part {
            if defs.contains_key(&name) {
                return Err(SchemaError::Twice(name));
            }
            defs.insert(name, def);
        }
        panes.insert((*module).to_owned(), pane_doc(module));
    }
    defs.insert(
        "panes".to_owned(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "description": "The panes asked for (--pane), each with its data or its error",
            "properties": panes
        }),
    );
    doc.insert("$defs".to_owned(), Value::Object(defs));
    Ok(Value::Object(doc))
}

/// The schema as published: two-space indents and a final newline.
pub fn published() -> Result<String, SchemaError> {
    let text = serde_json::to_string_pretty(&compose()?).map_err(|e| SchemaError::Part {
        part: "the document",
        message: e.to_string(),
    })?;
    Ok(text + "\n")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// `assets/snapshot.schema.json` is the composed schema byte for byte. After changing a
    /// part, `PGSCOPE_WRITE_SCHEMA=1 cargo nextest run published_schema` writes it.
    #[test]
    fn the_published_schema_is_the_composed_one() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/snapshot.schema.json");
        let composed = super::published().unwrap();
        if std::env::var_os("PGSCOPE_WRITE_SCHEMA").is_some() {
            std::fs::write(path, &composed).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap();
        assert!(
            committed == composed,
            "assets/snapshot.schema.json differs from the schema composed from the panes' \
             schema.json; PGSCOPE_WRITE_SCHEMA=1 cargo nextest run published_schema rewrites it"
        );
    }
}
