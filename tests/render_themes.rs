//! Render snapshots of every built-in theme (the buffer with its styles, so a role that lost its
//! color shows up in review), and of help and the footer drawn from a remapped keymap.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::path::Path;
use std::time::Duration;

use fixtures::{NOW, busy, snapshot};
use pgscope::action::Action;
use pgscope::config::Config;
use pgscope::config::theme::{BUILTIN, Theme};
use pgscope::keymap::Keymap;
use pgscope::state::State;
use pgscope::ui;
use pgscope::update::{Msg, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

fn state(w: u16, h: u16) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, busy()),
            now: NOW,
        },
    );
    st
}

fn draw(st: &State, theme: &Theme, keymap: &Keymap, w: u16, h: u16) -> Buffer {
    let ctx = ui::Ctx { theme, keymap };
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::draw(f, st, &ctx)).unwrap();
    term.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += u16::try_from(pgscope::text::width(sym).max(1)).unwrap();
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_builtin_theme() {
    let st = state(80, 24);
    let keymap = Keymap::default();
    for (name, _) in BUILTIN {
        let theme = Theme::builtin(name).unwrap();
        let buf = draw(&st, &theme, &keymap, 80, 24);
        insta::assert_debug_snapshot!(format!("theme_{name}"), buf);
    }
}

#[test]
fn help_and_footer_show_the_live_keymap() {
    let text_cfg = "[keys.normal]\nquit = [\"ctrl-q\"]\ntop = [\"g g\"]\nhelp = [\"f1\", \"?\"]\n\
                    [keys.popup]\ndown = [\"space\"]\n";
    let config = Config::parse(Path::new("keys.toml"), text_cfg).unwrap();
    let (keymap, clashes) = Keymap::build(&config.rebinds);
    assert!(clashes.is_empty());
    let theme = Theme::builtin("default").unwrap();
    let mut st = state(100, 50);
    let footer = text(&draw(&st, &theme, &keymap, 100, 50));
    let last = footer.lines().last().unwrap();
    assert!(last.starts_with("F1 help"), "{last}");
    update(&mut st, Msg::Action(Action::ToggleHelp));
    insta::assert_snapshot!(text(&draw(&st, &theme, &keymap, 100, 50)));
}
