//! The themes on offer: the built-in ones, then the user's `themes/*.toml` (a file named like a
//! built-in replaces it), all degraded to the terminal's color depth. `t` cycles through them.

use std::path::Path;

use super::color::Depth;
use super::error::FileError;
use super::theme::{BUILTIN, Theme, ThemeError};

#[derive(Debug, Clone)]
pub struct ThemeSet {
    themes: Vec<Theme>,
    current: usize,
}

impl ThemeSet {
    /// Built-in themes and the `.toml` files of `dir` (if it exists). A broken user file is
    /// skipped and returned as a problem to report.
    pub fn load(dir: Option<&Path>, depth: Depth) -> (ThemeSet, Vec<FileError>) {
        let mut themes: Vec<Theme> = BUILTIN
            .iter()
            .filter_map(|(name, _)| Theme::builtin(name).ok())
            .collect();
        let base = themes.first().cloned().unwrap_or_default();
        let mut problems = Vec::new();
        let mut files: Vec<_> = dir
            .and_then(|d| std::fs::read_dir(d).ok())
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let theme = match std::fs::read_to_string(&path) {
                Ok(text) => Theme::parse(name, &text, &base)
                    .map_err(|(line, cause)| FileError::new(&path, Some(line), cause)),
                Err(e) => Err(FileError::new(&path, None, format!("cannot read: {e}"))),
            };
            match theme {
                Ok(t) => match themes.iter_mut().find(|b| b.name == t.name) {
                    Some(slot) => *slot = t,
                    None => themes.push(t),
                },
                Err(e) => problems.push(e),
            }
        }
        let themes = themes.into_iter().map(|t| t.degraded(depth)).collect();
        (ThemeSet { themes, current: 0 }, problems)
    }

    /// Makes `name` the current theme.
    pub fn select(&mut self, name: &str) -> Result<(), ThemeError> {
        match self.themes.iter().position(|t| t.name == name) {
            Some(i) => {
                self.current = i;
                Ok(())
            }
            None => Err(ThemeError::Unknown {
                name: name.to_owned(),
                available: self.names().join(", "),
            }),
        }
    }

    pub fn current(&self) -> &Theme {
        // `load` always has the built-ins; the fallback only keeps this total.
        static PLAIN: std::sync::OnceLock<Theme> = std::sync::OnceLock::new();
        self.themes
            .get(self.current)
            .unwrap_or_else(|| PLAIN.get_or_init(Theme::default))
    }

    /// Moves to the next theme, wrapping around.
    pub fn cycle(&mut self) -> &Theme {
        self.current = (self.current + 1) % self.themes.len().max(1);
        self.current()
    }

    pub fn names(&self) -> Vec<&str> {
        self.themes.iter().map(|t| t.name.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_themes_join_and_replace_the_builtins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("light.toml"),
            "[roles]\nrow = { fg = 'red' }",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("zebra.toml"),
            "[roles]\nrow = { fg = 'blue' }",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("broken.toml"),
            "[roles]\nrow = { fg = 'nope' }",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a theme").unwrap();
        let (mut set, problems) = ThemeSet::load(Some(dir.path()), Depth::TrueColor);
        assert_eq!(
            set.names(),
            ["default", "light", "high-contrast", "monochrome", "zebra"]
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            format!(
                "{}:2: role row: invalid color \"nope\"",
                dir.path().join("broken.toml").display()
            )
        );
        set.select("light").unwrap();
        assert_eq!(set.current().row.fg, Some(ratatui::style::Color::Red));
        assert_eq!(set.cycle().name, "high-contrast");
        set.select("zebra").unwrap();
        assert_eq!(set.cycle().name, "default");
        assert!(set.select("neon").is_err());
    }
}
