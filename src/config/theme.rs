//! Themes: built-in `themes/*.toml` embedded in the binary, parsed into one `Style` per role.
//! Render code asks for roles ("selection", "state_waiting"), never for raw colors.

use std::collections::BTreeMap;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use toml::Spanned;

/// Built-in themes: (name, file contents).
pub const BUILTIN: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("monochrome", include_str!("../../themes/monochrome.toml")),
];

/// Every role a theme can name, in file order.
pub const ROLES: [&str; 21] = [
    "header",
    "header_label",
    "header_value",
    "tab",
    "tab_active",
    "table_header",
    "table_header_sorted",
    "row",
    "selection",
    "state_active",
    "state_idle",
    "state_idle_tx",
    "state_waiting",
    "warning",
    "danger",
    "stale",
    "paused",
    "footer",
    "footer_key",
    "error",
    "border",
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThemeError {
    #[error("unknown theme \"{name}\" (available: {available})")]
    Unknown { name: String, available: String },
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
    /// Informational; a theme is known by its file name.
    #[allow(dead_code)]
    name: Option<String>,
    roles: BTreeMap<Spanned<String>, RoleSpec>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_excessive_bools)] // mirrors the file format: one flag per modifier
struct RoleSpec {
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
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
        let (_, text) =
            BUILTIN
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| ThemeError::Unknown {
                    name: name.to_owned(),
                    available: builtin_names(),
                })?;
        Theme::parse(name, text, &Theme::default()).map_err(|(line, message)| ThemeError::Invalid {
            name: name.to_owned(),
            message: format!("line {line}: {message}"),
        })
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

    /// Parses a theme file over `base` (roles the file leaves out keep `base`'s style). An
    /// error is (line, cause).
    pub fn parse(name: &str, text: &str, base: &Theme) -> Result<Theme, (usize, String)> {
        let at = |offset: usize| super::error::line_of(text, offset);
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| at(s.start));
            (line, e.message().trim_end().to_owned())
        })?;
        let mut theme = Theme {
            name: name.to_owned(),
            ..base.clone()
        };
        for (role, spec) in &file.roles {
            let line = at(role.span().start);
            let style = spec
                .style()
                .map_err(|(offset, m)| (at(offset), format!("role {}: {m}", role.get_ref())))?;
            *theme
                .role_mut(role.get_ref())
                .ok_or_else(|| (line, format!("unknown role \"{}\"", role.get_ref())))? = style;
        }
        Ok(theme)
    }

    /// Roles a theme file leaves out (built-in themes must name every one).
    pub fn missing_roles(text: &str) -> Vec<&'static str> {
        let named: BTreeMap<String, toml::Value> = toml::from_str::<toml::Table>(text)
            .ok()
            .and_then(|t| t.get("roles").and_then(|r| r.as_table().cloned()))
            .map(|t| t.into_iter().collect())
            .unwrap_or_default();
        ROLES
            .into_iter()
            .filter(|r| !named.contains_key(*r))
            .collect()
    }

    /// The same theme with every color the terminal cannot show replaced by its nearest.
    #[must_use]
    pub fn degraded(mut self, depth: super::color::Depth) -> Theme {
        for role in ROLES {
            if let Some(style) = self.role_mut(role) {
                if let Some(fg) = style.fg {
                    style.fg = Some(super::color::degrade(fg, depth));
                }
                if let Some(bg) = style.bg {
                    style.bg = Some(super::color::degrade(bg, depth));
                }
            }
        }
        self
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
    /// The style, or (byte offset, cause) of a bad color.
    fn style(&self) -> Result<Style, (usize, String)> {
        let color = |c: &Option<Spanned<String>>| -> Result<Option<Color>, (usize, String)> {
            c.as_ref()
                .map(|s| {
                    Color::from_str(s.get_ref())
                        .map_err(|_| (s.span().start, format!("invalid color \"{}\"", s.get_ref())))
                })
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

/// The built-in theme names, for messages.
pub fn builtin_names() -> String {
    let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_and_names_every_role() {
        for (name, text) in BUILTIN {
            let theme = Theme::builtin(name).unwrap();
            assert_eq!(theme.name, name);
            assert_eq!(Theme::missing_roles(text), Vec::<&str>::new(), "{name}");
        }
    }

    #[test]
    fn bad_themes_are_explained_with_the_line() {
        let base = Theme::default();
        let e = Theme::parse("x", "name='x'\n[roles]\nnope = {}", &base).unwrap_err();
        assert_eq!(e, (3, "unknown role \"nope\"".to_owned()));
        let e = Theme::parse("x", "[roles]\n\nrow = { fg = 'blurple' }", &base).unwrap_err();
        assert_eq!(e, (3, "role row: invalid color \"blurple\"".to_owned()));
        assert_eq!(
            Theme::builtin("neon").unwrap_err().to_string(),
            "unknown theme \"neon\" (available: default, light, high-contrast, monochrome)"
        );
    }

    #[test]
    fn left_out_roles_keep_the_base() {
        let base = Theme::builtin("default").unwrap();
        let t = Theme::parse("mine", "[roles]\nrow = { fg = 'red' }", &base).unwrap();
        assert_eq!(t.row, Style::default().fg(Color::Red));
        assert_eq!(t.selection, base.selection);
    }

    #[test]
    fn no_color_picks_monochrome() {
        assert_eq!(Theme::auto_name(Some("1"), None), "monochrome");
        assert_eq!(Theme::auto_name(Some(""), Some("xterm")), "default");
        assert_eq!(Theme::auto_name(None, Some("dumb")), "monochrome");
    }
}
