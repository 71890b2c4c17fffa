//! The servers a fleet watches, by name: the config file's `[fleet]` section or a `--fleet FILE`
//! of the same shape. Names are what the fleet shows; groups select several at once.
//!
//! ```toml
//! [fleet.servers]
//! db1 = "host=db1 dbname=postgres"
//! db1-bouncer = "host=db1 port=6432 dbname=pgbouncer user=stats"
//! [fleet.groups]
//! prod = ["db1", "db1-bouncer"]
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// Named servers (conninfo, URI or `service=NAME`) and groups of those names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[serde(default)]
    pub servers: BTreeMap<String, String>,
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<String>>,
}

/// A `--fleet FILE`: the section's keys at the top level, or under `[fleet]` (so a config
/// file can be named too).
#[derive(Deserialize)]
#[serde(untagged)]
enum FleetFile {
    Nested { fleet: Section },
    Flat(Section),
}

impl Section {
    /// Every name a group lists must be a server; checked before anything connects.
    pub fn check(&self) -> Result<(), String> {
        for (group, names) in &self.groups {
            if self.servers.contains_key(group) {
                return Err(format!("group \"{group}\" has the name of a server"));
            }
            if let Some(unknown) = names.iter().find(|n| !self.servers.contains_key(*n)) {
                return Err(format!(
                    "group \"{group}\": no server named \"{unknown}\" in [fleet.servers]"
                ));
            }
        }
        Ok(())
    }

    /// The servers `word` names: a server, or a group's servers in its order. `None`: neither.
    pub fn lookup(&self, word: &str) -> Option<Vec<(String, String)>> {
        if let Some(conninfo) = self.servers.get(word) {
            return Some(vec![(word.to_owned(), conninfo.clone())]);
        }
        let names = self.groups.get(word)?;
        Some(
            names
                .iter()
                .filter_map(|n| self.servers.get(n).map(|c| (n.clone(), c.clone())))
                .collect(),
        )
    }

    /// The group each server is first listed in, for the fleet's filter.
    pub fn group_of(&self, name: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|(_, names)| names.iter().any(|n| n == name))
            .map(|(g, _)| g.as_str())
    }

    /// Laid over: `other`'s servers and groups win over ours of the same name.
    #[must_use]
    pub fn merged(mut self, other: Section) -> Section {
        self.servers.extend(other.servers);
        self.groups.extend(other.groups);
        self
    }
}

/// Reads a `--fleet FILE`; the message names the file and, for a syntax error, the line.
pub fn read_file(path: &Path) -> Result<Section, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("--fleet {shown}: {e}"))?;
    let Ok(FleetFile::Nested { fleet: section } | FleetFile::Flat(section)) =
        toml::from_str::<FleetFile>(&text)
    else {
        // The untagged enum hides the real message: parse again as the flat form for it.
        let e = toml::from_str::<Section>(&text).err();
        let why = e.map_or_else(|| "not a fleet file".to_owned(), |e| one_line(&e, &text));
        return Err(format!("--fleet {shown}: {why}"));
    };
    section
        .check()
        .map_err(|e| format!("--fleet {shown}: {e}"))?;
    Ok(section)
}

/// toml's message on one line, with its line number.
fn one_line(e: &toml::de::Error, text: &str) -> String {
    let msg = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let line = text
                .get(..span.start)
                .map_or(0, |t| t.lines().count().max(1));
            format!("line {line}: {msg}")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> Section {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn groups_name_servers() {
        let s =
            section("[servers]\na = \"host=a\"\nb = \"host=b\"\n[groups]\nboth = [\"b\", \"a\"]\n");
        s.check().unwrap();
        let got = s.lookup("both").unwrap();
        assert_eq!(got[0].0, "b");
        assert_eq!(got[1].1, "host=a");
        assert!(s.lookup("host=c").is_none());
        assert_eq!(s.group_of("a"), Some("both"));
    }

    #[test]
    fn a_group_of_unknown_servers_is_refused() {
        let s = section("[servers]\na = \"host=a\"\n[groups]\ng = [\"a\", \"zz\"]\n");
        assert_eq!(
            s.check().unwrap_err(),
            "group \"g\": no server named \"zz\" in [fleet.servers]"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<Section>("[server]\na = \"x\"\n").is_err());
    }
}
