//! Themes: built-in `themes/*.toml` embedded in the binary, parsed into one `Style` per role.
//! Render code asks for roles ("selection", "state_waiting"), never for raw colors.

use std::collections::BTreeMap;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// Built-in themes: (name, file contents).
pub const BUILTIN: [(&str, &str); 3] = [
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("monochrome", include_str!("../../themes/monochrome.toml")),
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThemeError {
    #[error("unknown theme \"{0}\" (built-in: default, light, monochrome)")]
    Unknown(String),
    #[error("theme \"{name}\": {message}")]
    Invalid { name: String, message: String },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Theme {
    pub name: String,
    pub header: Style,
    pub header_label: Style,
    pub header_value: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub table_header: Style,
    pub table_header_sorted: Style,
    pub row: Style,
    pub selection: Style,
    pub state_active: Style,
    pub state_idle: Style,
    pub state_idle_tx: Style,
    pub state_waiting: Style,
    pub warning: Style,
    pub danger: Style,
    pub stale: Style,
    pub paused: Style,
    pub footer: Style,
    pub footer_key: Style,
    pub error: Style,
    pub border: Style,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    roles: BTreeMap<String, RoleSpec>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_excessive_bools)] // mirrors the file format: one flag per modifier
struct RoleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
}

impl Theme {
    /// A built-in theme by name.
    pub fn builtin(name: &str) -> Result<Theme, ThemeError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ThemeError::Unknown(name.to_owned()))?;
        Theme::parse(name, text)
    }

    /// The theme to use when none was asked for: monochrome under NO_COLOR (any non-empty
    /// value, per no-color.org) or a dumb terminal.
    pub fn auto_name(no_color: Option<&str>, term: Option<&str>) -> &'static str {
        if no_color.is_some_and(|v| !v.is_empty()) || term == Some("dumb") {
            "monochrome"
        } else {
            "default"
        }
    }

    pub fn parse(name: &str, text: &str) -> Result<Theme, ThemeError> {
        let invalid = |message: String| ThemeError::Invalid {
            name: name.to_owned(),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| invalid(e.message().to_owned()))?;
        let mut theme = Theme {
            name: file.name,
            ..Theme::default()
        };
        for (role, spec) in &file.roles {
            let style = spec
                .style()
                .map_err(|m| invalid(format!("role {role}: {m}")))?;
            *theme
                .role_mut(role)
                .ok_or_else(|| invalid(format!("unknown role \"{role}\"")))? = style;
        }
        Ok(theme)
    }

    fn role_mut(&mut self, role: &str) -> Option<&mut Style> {
        Some(match role {
            "header" => &mut self.header,
            "header_label" => &mut self.header_label,
            "header_value" => &mut self.header_value,
            "tab" => &mut self.tab,
            "tab_active" => &mut self.tab_active,
            "table_header" => &mut self.table_header,
            "table_header_sorted" => &mut self.table_header_sorted,
            "row" => &mut self.row,
            "selection" => &mut self.selection,
            "state_active" => &mut self.state_active,
            "state_idle" => &mut self.state_idle,
            "state_idle_tx" => &mut self.state_idle_tx,
            "state_waiting" => &mut self.state_waiting,
            "warning" => &mut self.warning,
            "danger" => &mut self.danger,
            "stale" => &mut self.stale,
            "paused" => &mut self.paused,
            "footer" => &mut self.footer,
            "footer_key" => &mut self.footer_key,
            "error" => &mut self.error,
            "border" => &mut self.border,
            _ => return None,
        })
    }
}

impl RoleSpec {
    fn style(&self) -> Result<Style, String> {
        let color = |c: &Option<String>| -> Result<Option<Color>, String> {
            c.as_deref()
                .map(|s| Color::from_str(s).map_err(|_| format!("invalid color \"{s}\"")))
                .transpose()
        };
        let mut style = Style::default();
        if let Some(fg) = color(&self.fg)? {
            style = style.fg(fg);
        }
        if let Some(bg) = color(&self.bg)? {
            style = style.bg(bg);
        }
        let flags = [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
        ];
        for (on, m) in flags {
            if on {
                style = style.add_modifier(m);
            }
        }
        Ok(style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_and_names_every_role() {
        for (name, text) in BUILTIN {
            let theme = Theme::parse(name, text).unwrap();
            assert_eq!(theme.name, name);
            let roles: toml::Table = toml::from_str(text).unwrap();
            assert_eq!(roles["roles"].as_table().unwrap().len(), 21, "{name}");
        }
    }

    #[test]
    fn bad_themes_are_explained() {
        let e = Theme::parse("x", "name='x'\n[roles]\nnope = {}").unwrap_err();
        assert_eq!(e.to_string(), "theme \"x\": unknown role \"nope\"");
        let e = Theme::parse("x", "name='x'\n[roles]\nrow = { fg = 'blurple' }").unwrap_err();
        assert_eq!(
            e.to_string(),
            "theme \"x\": role row: invalid color \"blurple\""
        );
        assert_eq!(
            Theme::builtin("neon").unwrap_err(),
            ThemeError::Unknown("neon".into())
        );
    }

    #[test]
    fn no_color_picks_monochrome() {
        assert_eq!(Theme::auto_name(Some("1"), None), "monochrome");
        assert_eq!(Theme::auto_name(Some(""), Some("xterm")), "default");
        assert_eq!(Theme::auto_name(None, Some("dumb")), "monochrome");
    }
}
