//! `pgscope config --dump`: the embedded commented defaults, then the key bindings written out
//! from the live default table (so the dump can never disagree with the keys).

use std::fmt::Write as _;

use super::DEFAULTS;
use crate::keymap::{KeyMode, Keymap, names};

const KEYS_INTRO: &str = "
# Key bindings, per mode. Naming an action replaces all of its keys; [] unbinds it. A key given
# to one action here is taken away from the default binding of any other; two actions named
# here with the same key are an error. Keys: a character (q, G, ?, <), or a name (enter, esc,
# tab, backtab, space, backspace, up, down, left, right, home, end, pgup, pgdn, delete, insert,
# f1 to f24), with ctrl-, alt- or shift- in front; two keys in a row with a space between
# (\"g g\"). [keys.popup] is for the details and EXPLAIN views; keys it does not bind work there
# as in [keys.normal].
";

/// The whole default config file.
pub fn text() -> String {
    let keymap = Keymap::default();
    let mut out = String::from(DEFAULTS);
    out.push_str(KEYS_INTRO);
    for mode in KeyMode::ALL {
        let _ = write!(out, "\n[keys.{}]\n", mode.name());
        if keymap.documented_in(mode).next().is_none() {
            out.push_str("# nothing of its own by default; e.g. down = [\"j\", \"space\"]\n");
        }
        for e in keymap.documented_in(mode) {
            let keys: Vec<String> = e.keys.iter().map(|k| format!("{:?}", k.spec())).collect();
            let _ = writeln!(
                out,
                "{} = [{}]  # {}",
                names::name(e.action),
                keys.join(", "),
                e.help
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    #[test]
    fn the_dump_is_the_defaults() {
        let text = text();
        let parsed = Config::parse(Path::new("dump.toml"), &text).unwrap();
        let (keymap, clashes) = Keymap::build(&parsed.rebinds);
        assert!(clashes.is_empty(), "{clashes:?}");
        let live: Vec<_> = keymap.documented().cloned().collect();
        let default: Vec<_> = Keymap::default().documented().cloned().collect();
        assert_eq!(live, default);
        assert_eq!(
            Config {
                rebinds: Vec::new(),
                ..parsed
            },
            Config::default()
        );
    }

    #[test]
    fn the_defaults_have_no_clashes() {
        assert_eq!(Keymap::build(&[]).1, Vec::new());
    }
}
