//! What `pgscope snapshot` asks of every pane, through the registry: its part of a JSON
//! document as a stable public type, and which list in it is the pane's CSV table. A pane added
//! to the registry without an `Export` implementation does not build.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::vocab::{ErrorDoc, PaneDoc};
use crate::panes::Pane;
use crate::snapshot::PaneError;
use crate::state::State;

/// A pane's part of the snapshot on screen: its data, or why there is none.
pub fn part<T>(part: Option<&Result<T, PaneError>>) -> Result<&T, PaneError> {
    match part {
        Some(Ok(t)) => Ok(t),
        Some(Err(e)) => Err(e.clone()),
        None => Err(PaneError {
            sqlstate: None,
            message: "not read".to_owned(),
        }),
    }
}

pub trait Export {
    /// The pane's data in a document: explicit fields with units in their names.
    type Out: Serialize + DeserializeOwned + std::fmt::Debug + Clone + PartialEq;

    /// The field of `Out` whose list of flat rows is the pane's CSV table.
    const TABLE: &'static str;

    /// One row of that table: its default gives the CSV header even when there are no rows.
    type Row: Serialize + Default;

    /// The pane's data as its view state holds it (filtered and sorted like the TUI's), or
    /// why it has none.
    fn export(state: &State) -> Result<Self::Out, PaneError>;

    /// A pane made of sections that read on their own: the first section that failed, while
    /// the others have data. The document carries both; the exit status says a pane failed.
    fn partial(_out: &Self::Out) -> Option<PaneError> {
        None
    }
}

/// The error of the sessions read, which panes built on it share.
pub fn activity_error(state: &State) -> Option<PaneError> {
    match state.shown.as_deref().map(|s| &s.activity) {
        None => Some(PaneError {
            sqlstate: None,
            message: "no data".to_owned(),
        }),
        Some(Err(e)) => Some(e.clone()),
        Some(Ok(_)) => None,
    }
}

macro_rules! dispatch {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
        /// The panes of one document, each present when it was asked for.
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Panes {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $module: Option<PaneDoc<<crate::panes::$module::Def as Export>::Out>>,
            )*
        }

        impl Panes {
            /// Adds `pane`'s part from its view state; its error, if it failed.
            pub fn add(&mut self, pane: Pane, state: &State) -> Option<PaneError> {
                match pane {
                    $(Pane::$variant => {
                        let (doc, err) = match <crate::panes::$module::Def as Export>::export(state) {
                            Ok(data) => {
                                let err = <crate::panes::$module::Def as Export>::partial(&data);
                                (PaneDoc { error: err.as_ref().map(ErrorDoc::from), data: Some(data) }, err)
                            }
                            Err(e) => (PaneDoc { error: Some(ErrorDoc::from(&e)), data: None }, Some(e)),
                        };
                        self.$module = Some(doc);
                        err
                    })*
                }
            }

            /// The rows of `pane`'s CSV table, as JSON objects in column order.
            pub fn table(&self, pane: Pane) -> Result<Vec<serde_json::Value>, serde_json::Error> {
                let data = match pane {
                    $(Pane::$variant => match self.$module.as_ref().and_then(|d| d.data.as_ref()) {
                        Some(data) => serde_json::to_value(data)?,
                        None => serde_json::Value::Null,
                    },)*
                };
                let field = table_field(pane);
                Ok(match data.get(field) {
                    Some(serde_json::Value::Array(rows)) => rows.clone(),
                    _ => Vec::new(),
                })
            }
        }

        /// The columns of `pane`'s CSV table, as an empty row of it serializes.
        pub fn columns(pane: Pane) -> Result<serde_json::Value, serde_json::Error> {
            match pane {
                $(Pane::$variant => serde_json::to_value(
                    <<crate::panes::$module::Def as Export>::Row as Default>::default(),
                ),)*
            }
        }

        /// The field holding `pane`'s CSV table.
        pub fn table_field(pane: Pane) -> &'static str {
            match pane {
                $(Pane::$variant => <crate::panes::$module::Def as Export>::TABLE,)*
            }
        }
    };
}
crate::panes::for_each_pane!(dispatch);
