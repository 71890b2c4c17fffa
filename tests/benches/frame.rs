//! Client work per refresh at 10,000 backends: a new snapshot → update (filter, sort, selection)
//! → a full frame rendered at 200x50. Budget: 5 ms for the whole path.

#[path = "../fixtures/mod.rs"]
mod fixtures;

use std::time::Duration;

use divan::Bencher;
use pgscope::config::theme::Theme;
use pgscope::keymap::Keymap;
use pgscope::state::State;
use pgscope::ui;
use pgscope::update::{Msg, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

#[divan::bench(args = [1_000, 10_000])]
fn snapshot_to_frame(bencher: Bencher, n: usize) {
    let theme = Theme::builtin("default").unwrap_or_default();
    let keymap = Keymap::default();
    let mut term = Terminal::new(TestBackend::new(200, 50)).ok();
    let mut st = State::new(Duration::from_secs(1), fixtures::NOW);
    update(&mut st, Msg::Resize(200, 50));
    let mut seq = 0;
    bencher
        .with_inputs(|| {
            seq += 1;
            fixtures::snapshot(seq, fixtures::many(n))
        })
        .bench_local_values(|snap| {
            update(
                &mut st,
                Msg::Snapshot {
                    snapshot: snap,
                    now: fixtures::NOW,
                },
            );
            let ctx = ui::Ctx {
                theme: &theme,
                keymap: &keymap,
            };
            if let Some(t) = term.as_mut() {
                let _ = t.draw(|f| ui::draw(f, &st, &ctx));
            }
        });
}

#[divan::bench(args = [10_000])]
fn filter_keystroke(bencher: Bencher, n: usize) {
    let mut st = State::new(Duration::from_secs(1), fixtures::NOW);
    update(&mut st, Msg::Resize(200, 50));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: fixtures::snapshot(1, fixtures::many(n)),
            now: fixtures::NOW,
        },
    );
    update(&mut st, Msg::Action(pgscope::action::Action::StartFilter));
    bencher.bench_local(|| {
        update(
            &mut st,
            Msg::FilterKey(pgscope::update::FilterKey::Char('7')),
        );
        update(
            &mut st,
            Msg::FilterKey(pgscope::update::FilterKey::Backspace),
        );
    });
}

/// The Locks pane's tree from 5,000 sessions in a pile-up (built on every refresh while the pane
/// is focused). Budget: well under the 5 ms frame budget.
#[divan::bench(args = [5_000])]
fn locks_tree(bencher: Bencher, n: usize) {
    let backends = fixtures::locks::many_waiters(n);
    bencher.bench_local(|| pgscope::panes::locks::tree::build(&backends, None));
}
