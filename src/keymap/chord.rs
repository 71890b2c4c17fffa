//! Keys as written in the config file (`q`, `ctrl-c`, `shift-tab`, `pgdn`, `g g`) and as shown in
//! help (`Ctrl-C`, `S-Tab`, `PgDn`, `g g`). A chord is one key with its modifiers; a sequence is
//! one or two chords.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key press with modifiers, normalized so that what the terminal sends and what the config
/// names compare equal: Shift is dropped for characters (the character carries it: `G`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// One or two chords pressed in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Seq {
    pub first: Chord,
    pub second: Option<Chord>,
}

/// The longest sequence a binding may have.
pub const MAX_SEQ: usize = 2;

const NAMED: [(&str, KeyCode); 20] = [
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
];

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Chord {
        let mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        match code {
            KeyCode::Char(c) => {
                // Ctrl-C arrives as 'c' with CONTROL; "ctrl-C" in a file means the same key.
                let c = if mods.contains(KeyModifiers::CONTROL) {
                    c.to_ascii_lowercase()
                } else {
                    c
                };
                Chord {
                    code: KeyCode::Char(c),
                    mods: mods - KeyModifiers::SHIFT,
                }
            }
            // Terminals report Shift-Tab as BackTab, with or without the Shift flag.
            KeyCode::BackTab => Chord {
                code,
                mods: mods - KeyModifiers::SHIFT,
            },
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => Chord {
                code: KeyCode::BackTab,
                mods: mods - KeyModifiers::SHIFT,
            },
            _ => Chord { code, mods },
        }
    }

    pub fn plain(code: KeyCode) -> Chord {
        Chord::new(code, KeyModifiers::NONE)
    }

    pub fn from_event(ev: &KeyEvent) -> Chord {
        Chord::new(ev.code, ev.modifiers)
    }

    /// Parses one chord: `x`, `ctrl-x`, `alt-enter`, `shift-tab`, `f5`, `-`, `ctrl--`.
    pub fn parse(text: &str) -> Result<Chord, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            // A single character is always the key itself, so "-" and "c" are keys.
            if rest.chars().count() <= 1 {
                break;
            }
            let lower = rest.to_ascii_lowercase();
            let found = [
                ("ctrl-", KeyModifiers::CONTROL),
                ("c-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("m-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
                ("s-", KeyModifiers::SHIFT),
            ]
            .into_iter()
            .find(|(p, _)| lower.starts_with(p));
            let Some((prefix, m)) = found else { break };
            mods |= m;
            rest = &rest[prefix.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            (None, _) => return Err(format!("empty key in \"{text}\"")),
            _ => named(&rest.to_ascii_lowercase())
                .ok_or_else(|| format!("unknown key \"{rest}\" in \"{text}\""))?,
        };
        Ok(Chord::new(code, mods))
    }
}

impl Chord {
    /// The chord as the config file spells it (`ctrl-c`, `pgdn`, `space`).
    pub fn spec(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::F(n) => {
                out.push('f');
                out.push_str(&n.to_string());
            }
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => out.push_str(name),
                None => out.push('?'),
            },
        }
        out
    }
}

impl Seq {
    /// The sequence as the config file spells it (`g g`).
    pub fn spec(&self) -> String {
        match self.second {
            Some(second) => format!("{} {}", self.first.spec(), second.spec()),
            None => self.first.spec(),
        }
    }
}

fn named(name: &str) -> Option<KeyCode> {
    if let Some(code) = NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| *c) {
        return Some(code);
    }
    let n: u8 = name.strip_prefix('f')?.parse().ok()?;
    (1..=24).contains(&n).then_some(KeyCode::F(n))
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("S-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            other => write!(f, "{other}"),
        }
    }
}

impl Seq {
    pub fn one(first: Chord) -> Seq {
        Seq {
            first,
            second: None,
        }
    }

    /// Parses a sequence: chords separated by spaces (`g g`, `ctrl-w j`).
    pub fn parse(text: &str) -> Result<Seq, String> {
        let chords = text
            .split_whitespace()
            .map(Chord::parse)
            .collect::<Result<Vec<_>, _>>()?;
        match chords.as_slice() {
            [] => Err("empty key".to_owned()),
            [one] => Ok(Seq::one(*one)),
            [first, second] => Ok(Seq {
                first: *first,
                second: Some(*second),
            }),
            _ => Err(format!(
                "\"{text}\": a binding is at most {MAX_SEQ} keys in a row"
            )),
        }
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first)?;
        if let Some(second) = self.second {
            write!(f, " {second}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> Chord {
        Chord::from_event(&KeyEvent::new(code, mods))
    }

    #[test]
    fn config_names_match_what_the_terminal_sends() {
        let p = |s| Chord::parse(s).unwrap();
        assert_eq!(p("q"), ev(KeyCode::Char('q'), KeyModifiers::NONE));
        assert_eq!(p("G"), ev(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert_eq!(p("ctrl-c"), ev(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(p("Ctrl-C"), p("ctrl-c"));
        assert_eq!(p("shift-tab"), ev(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(p("backtab"), ev(KeyCode::BackTab, KeyModifiers::NONE));
        assert_eq!(p("-"), ev(KeyCode::Char('-'), KeyModifiers::NONE));
        assert_eq!(p("ctrl--"), ev(KeyCode::Char('-'), KeyModifiers::CONTROL));
        assert_eq!(p("alt-enter"), ev(KeyCode::Enter, KeyModifiers::ALT));
        assert_eq!(p("space"), ev(KeyCode::Char(' '), KeyModifiers::NONE));
        assert_eq!(p("f5"), ev(KeyCode::F(5), KeyModifiers::NONE));
        assert_eq!(p("PgDn"), ev(KeyCode::PageDown, KeyModifiers::NONE));
    }

    #[test]
    fn bad_keys_are_explained() {
        assert_eq!(
            Chord::parse("ctrl-bogus").unwrap_err(),
            "unknown key \"bogus\" in \"ctrl-bogus\""
        );
        assert_eq!(
            Seq::parse("g g g").unwrap_err(),
            "\"g g g\": a binding is at most 2 keys in a row"
        );
        assert_eq!(Seq::parse(" ").unwrap_err(), "empty key");
        assert!(Chord::parse("f99").is_err());
    }

    #[test]
    fn labels_read_like_help() {
        let label = |s| Seq::parse(s).unwrap().to_string();
        assert_eq!(label("ctrl-c"), "Ctrl-C");
        assert_eq!(label("g g"), "g g");
        assert_eq!(label("shift-tab"), "S-Tab");
        assert_eq!(label("down"), "↓");
        assert_eq!(label("space"), "Space");
        assert_eq!(label("enter"), "Enter");
    }

    #[test]
    fn specs_parse_back() {
        for s in [
            "q", "ctrl-c", "g g", "backtab", "pgdn", "space", "f5", "alt-x", "-", "<",
        ] {
            assert_eq!(Seq::parse(s).unwrap().spec(), s);
        }
    }
}
