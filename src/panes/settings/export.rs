//! The Settings pane in `pgscope snapshot`: the parameters the pane lists, in its order, with
//! where each value comes from, and the configuration file errors.

use serde::{Deserialize, Serialize};

use super::data::{Param, Settings};
use crate::snapshot::PaneError;
use crate::snapshot_cmd::vocab::ErrorDoc;
use crate::snapshot_cmd::export::{Export, part};
use crate::state::State;

pub use crate::panes::replication::export::SectionError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    pub parameters: Vec<Row>,
    pub file_errors: Vec<FileErrorRow>,
    pub errors: Vec<SectionError>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub name: String,
    /// As pg_settings has it, in `unit`.
    pub setting: String,
    pub unit: Option<String>,
    pub vartype: String,
    pub category: String,
    pub context: String,
    pub source: String,
    pub sourcefile: Option<String>,
    pub sourceline: Option<i32>,
    pub boot_val: Option<String>,
    pub reset_val: Option<String>,
    pub pending_restart: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileErrorRow {
    pub sourcefile: Option<String>,
    pub sourceline: Option<i32>,
    pub name: Option<String>,
    pub setting: Option<String>,
    pub error: String,
}

fn row(p: &Param) -> Row {
    Row {
        name: p.name.clone(),
        setting: p.setting.clone(),
        unit: p.unit.clone(),
        vartype: p.vartype.clone(),
        category: p.category.clone(),
        context: p.context.clone(),
        source: p.source.clone(),
        sourcefile: p.sourcefile.clone(),
        sourceline: p.sourceline,
        boot_val: p.boot_val.clone(),
        reset_val: p.reset_val.clone(),
        pending_restart: p.pending_restart,
    }
}

fn out(s: &Settings, listed: &[String]) -> Out {
    let mut errors = Vec::new();
    let mut fail = |section: &str, e: &PaneError| {
        errors.push(SectionError {
            section: section.to_owned(),
            error: ErrorDoc::from(e),
        });
    };
    let parameters = match &s.params {
        Ok(p) => listed
            .iter()
            .filter_map(|name| p.rows.iter().find(|r| &r.name == name))
            .map(row)
            .collect(),
        Err(e) => {
            fail("parameters", e);
            Vec::new()
        }
    };
    let file_errors = match &s.file_errors {
        Ok(v) => v
            .iter()
            .map(|f| FileErrorRow {
                sourcefile: f.sourcefile.clone(),
                sourceline: f.sourceline,
                name: f.name.clone(),
                setting: f.setting.clone(),
                error: f.error.clone(),
            })
            .collect(),
        Err(e) => {
            fail("file_errors", e);
            Vec::new()
        }
    };
    Out {
        parameters,
        file_errors,
        errors,
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "parameters";
    type Row = Row;

    fn export(state: &State) -> Result<Out, PaneError> {
        let s = part(state.shown.as_deref().and_then(|s| s.panes.settings.as_ref()))?;
        Ok(out(s, &state.views.settings.rows))
    }

    fn partial(out: &Out) -> Option<PaneError> {
        SectionError::first(&out.errors)
    }
}
