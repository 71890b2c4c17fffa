//! The keyword -> value map every source resolves into, with libpq's keyword names.

use std::collections::BTreeMap;
use std::fmt;

use super::error::ConnError;
use super::keywords::{self, Keyword};

/// libpq keyword -> value. An empty value is kept (it overrides lower layers, as in libpq) but
/// reads as unset, which means "use the default".
#[derive(Clone, Default, PartialEq, Eq)]
pub(super) struct Params(BTreeMap<&'static str, String>);

impl Params {
    /// Sets a keyword, refusing unknown ones and valid ones that pgscope cannot honour.
    pub(super) fn set(&mut self, key: &str, value: impl Into<String>) -> Result<(), ConnError> {
        let value = value.into();
        match keywords::classify(key) {
            Keyword::Supported(k) => {
                self.0.insert(k, value);
                Ok(())
            }
            // An empty value asks for nothing, so there is nothing to refuse.
            Keyword::NotYet(_) if value.is_empty() => Ok(()),
            Keyword::NotYet(k) => Err(ConnError::Invalid(format!(
                "connection option \"{k}\" is not supported by pgscope"
            ))),
            Keyword::Unknown => Err(ConnError::Invalid(format!(
                "invalid connection option \"{key}\""
            ))),
        }
    }

    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Result<Self, ConnError> {
        let mut params = Self::default();
        for (k, v) in pairs {
            params.set(&k, v)?;
        }
        Ok(params)
    }

    /// The value, or `None` when unset or empty.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The keyword was given, even empty.
    pub(super) fn contains(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// Lays `upper` over `self`: every keyword `upper` mentions wins.
    pub(super) fn overlay(&mut self, upper: Self) {
        self.0.extend(upper.0);
    }
}

/// Manual so that a password can never reach a log or panic message.
impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (k, v) in &self.0 {
            if *k == "password" {
                map.entry(k, &"<redacted>");
            } else {
                map.entry(k, v);
            }
        }
        map.finish()
    }
}
