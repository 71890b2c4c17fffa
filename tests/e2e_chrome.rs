//! The screen's chrome in the real binary, in tmux, against a real server with a lock chain, at
//! 80x24, 120x40 and 200x50 (one session, resized): the header keeps its priority items, the
//! tab line shows every tab, the footer starts with the focused pane's own keys on every pane,
//! and every binding of the help overlay is reached by paging through it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::Tmux;
use pgscope::keymap::Keymap;
use pgscope::layout::header_rows;
use pgscope::panes::Pane;

/// `(first, last, total)` of the help overlay's title ` keys 1-18 of 51 `, or the whole list
/// when it fits (` keys `).
fn help_range(screen: &str, rows: usize) -> Option<(usize, usize, usize)> {
    let at = screen.find(" keys ")?;
    let rest = &screen[at + " keys ".len()..];
    let parsed = (|| {
        let (range, tail) = rest.split_once(" of ")?;
        let (a, b) = range.split_once('-')?;
        let total: String = tail.chars().take_while(char::is_ascii_digit).collect();
        Some((a.parse().ok()?, b.parse().ok()?, total.parse().ok()?))
    })();
    Some(parsed.unwrap_or((1, rows, rows)))
}

/// The help overlay's lines of a screen: those inside its frame.
fn boxed(screen: &str) -> Vec<&str> {
    screen.lines().filter(|l| l.contains('│')).collect()
}

/// The screen once `pred` holds and the help overlay is drawn whole: capture-pane can catch a
/// frame half written, so the overlay must read the same in two captures in a row.
fn settled(tmux: &Tmux, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        let screen = tmux.wait_for(what, |s| pred(s) && s.contains('└'));
        if boxed(&screen) == boxed(&last) {
            return screen;
        }
        last = screen;
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{what}: the screen never settled:\n{last}");
}

/// The footer's expected start on `pane`: help, then the pane's first key and its word.
fn footer_start(keymap: &Keymap, pane: Pane) -> String {
    let (action, word) = pgscope::update::pane::hints(pane)[0];
    let key = keymap
        .documented()
        .find(|e| e.action == action)
        .and_then(|e| e.keys.first())
        .unwrap()
        .to_string();
    format!("? help  {key} {word}")
}

#[test]
fn chrome_fits_at_80x24_120x40_and_200x50() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let _chain = rt.block_on(async {
        pgscope::lab::setup(&cluster).await.unwrap();
        pgscope::lab::lock_chain(&cluster, 3).await.unwrap()
    });
    let keymap = Keymap::default();
    let documented: Vec<String> = keymap
        .documented()
        .map(|e| format!("{}  {}", e.label, e.help))
        .collect();
    // The demo's shape: a PgBouncer in front, so the Pooler pane and its tab are there too.
    let pgb =
        pgscope::lab::PgBouncer::start(&cluster, &pgscope::lab::PoolerOptions::default()).unwrap();
    let tmux = Tmux::start("chrome", 80, 24);
    let cmd = common::tmux::pgscope_on(&cluster).replace(
        "; echo EXIT",
        &format!(" --pooler '{}'; echo EXIT", pgb.admin_conninfo("postgres")),
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the activity table", |s| s.contains("QUERY AGE"));
    for (w, h) in [(80u16, 24u16), (120, 40), (200, 50)] {
        tmux.run(&[
            "resize-window",
            "-t",
            "t",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        let head_rows = usize::from(header_rows(w));
        // The header: role, connections, lock waits and the data's clock at every width.
        let screen = tmux.wait_for("the header at the new size", |s| {
            let head: Vec<&str> = s.lines().take(head_rows).collect();
            let head = head.join("\n");
            ["PRIMARY", "conns ", "lock waits 2", "updated "]
                .iter()
                .all(|i| head.contains(i))
        });
        let head: Vec<&str> = screen.lines().take(head_rows).collect();
        assert!(
            !head.join("\n").contains('…') || head.join("\n").contains("tps"),
            "{w}x{h}: {screen}"
        );

        // Each pane: every tab on the tab line, the focused one by name, its keys first in
        // the footer.
        for &pane in Pane::ALL {
            tmux.keys(&[&pane.key().to_string()]);
            let want = footer_start(&keymap, pane);
            let screen = tmux.wait_for(&format!("{pane:?}'s keys in the footer"), |s| {
                s.lines().last().is_some_and(|l| l.starts_with(&want))
            });
            // capture-pane drops the blanks at the end of a line.
            let tabs = format!("{} ", screen.lines().nth(head_rows).unwrap());
            for &p in Pane::ALL {
                assert!(
                    tabs.contains(&format!(" {} ", p.key())),
                    "{w}x{h} {pane:?}: tab {p:?} missing: {tabs}"
                );
            }
            assert!(
                tabs.contains(&format!(" {} {} ", pane.key(), pane.name())),
                "{w}x{h}: {tabs}"
            );
        }

        // Help, opened with F1 here, paged through to its end: every binding shows.
        tmux.keys(&["1"]);
        tmux.wait_for("Activity", |s| s.contains("QUERY AGE"));
        tmux.keys(&["F1"]);
        let rows = documented.len();
        let mut screen = settled(&tmux, "help", |s| s.contains("Activity pane"));
        let mut seen = String::new();
        loop {
            seen.push_str(&screen);
            let (_, last, total) = help_range(&screen, rows).unwrap();
            if last >= total {
                break;
            }
            tmux.keys(&["NPage"]);
            screen = settled(&tmux, "the next help page", |s| {
                help_range(s, rows).is_some_and(|(_, l, _)| l > last)
            });
        }
        for line in &documented {
            assert!(
                seen.contains(line.as_str()),
                "{w}x{h}: {line:?} never shown:\n{seen}"
            );
        }
        // The search narrows the list; Esc clears it, and closes help the next time.
        tmux.keys(&["/", "terminate"]);
        tmux.wait_for("the search", |s| {
            s.contains("search: terminate") && !s.contains("reverse sort")
        });
        tmux.escape();
        tmux.wait_for("the whole list", |s| s.contains("Activity pane"));
        tmux.escape();
        tmux.wait_for("help closed", |s| !s.contains("Activity pane"));
    }
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
}
