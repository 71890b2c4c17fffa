//! The single sanitizer for server text and the width-aware fitting helpers. Every string that
//! came from the server goes through [`sanitize`] before it reaches the terminal, and every
//! column is measured with [`width`], never with `chars().count()`.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Shown for C1 controls and invisible or direction-changing format characters.
const HIDDEN: char = '\u{FFFD}';

/// Makes server text safe for a single terminal line: line breaks and tabs become spaces, other
/// C0 controls and DEL become their visible control pictures (ESC → ␛, BEL → ␇), and C1
/// controls, bidi overrides and zero-width format characters become U+FFFD. Nothing the server
/// sends can then start an escape sequence, move the cursor or reorder text.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_plain) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(replacement).collect())
}

/// Server text for the clipboard: line breaks and tabs kept (a query stays readable when
/// pasted), a carriage return made a line break, and every other control, C1 or
/// direction-changing character shown as `sanitize` shows it, so a paste cannot replay escape
/// sequences into a shell or psql. At most `CLIPBOARD_CHARS` characters.
pub fn for_clipboard(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .take(CLIPBOARD_CHARS)
        .map(|c| match c {
            '\n' | '\t' => c,
            '\r' => '\n',
            _ => replacement(c),
        })
        .collect()
}

/// The most a copy carries: a full query (track_activity_query_size is at most 1 MB).
pub const CLIPBOARD_CHARS: usize = 1 << 20;

fn is_plain(c: char) -> bool {
    replacement(c) == c
}

fn replacement(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' => ' ',
        // Control pictures: U+2400 + code for C0, U+2421 for DEL.
        '\0'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or(HIDDEN),
        '\u{7F}' => '\u{2421}',
        '\u{80}'..='\u{9F}' => HIDDEN,
        _ if is_format(c) => HIDDEN,
        _ => c,
    }
}

/// Invisible or text-direction characters that can hide or reorder what is shown.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{61C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, ending on a grapheme boundary and marking the cut with `…`.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let budget = max - 1;
    let mut used = 0;
    let mut out = String::with_capacity(max * 2);
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > budget {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Sanitizes, truncates and pads `s` to exactly `cells` cells (left-aligned).
pub fn fit(s: &str, cells: usize) -> String {
    let clean = sanitize(s);
    let cut = truncate(&clean, cells);
    let mut out = String::with_capacity(cut.len() + cells);
    out.push_str(&cut);
    for _ in width(&cut)..cells {
        out.push(' ');
    }
    out
}

/// Like [`fit`] but right-aligned, for numbers.
pub fn fit_right(s: &str, cells: usize) -> String {
    let clean = sanitize(s);
    let cut = truncate(&clean, cells);
    let mut out = String::with_capacity(cut.len() + cells);
    for _ in width(&cut)..cells {
        out.push(' ');
    }
    out.push_str(&cut);
    out
}

/// Splits one line into pieces of at most `cells` cells, at grapheme boundaries, for scrolling
/// views that wrap long lines themselves.
pub fn wrap(s: &str, cells: usize) -> Vec<&str> {
    let cells = cells.max(1);
    let mut pieces = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (at, g) in s.grapheme_indices(true) {
        let w = width(g);
        if used + w > cells && at > start {
            pieces.push(&s[start..at]);
            start = at;
            used = 0;
        }
        used += w;
    }
    pieces.push(&s[start..]);
    pieces
}

/// "1 standby", "2 standbys": a count with its noun in the right number.
pub fn counted(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Human duration from microseconds: `850ms`, `12s`, `4m05s`, `3h12m`, `5d04h`. Negative values
/// (clock skew between client and server) show as `0s`.
pub fn duration_us(us: i64) -> String {
    if us < 0 {
        return "0s".to_owned();
    }
    let ms = us / 1_000;
    if ms < 1_000 {
        return format!("{ms}ms");
    }
    let s = ms / 1_000;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m{:02}s", s / 60, s % 60),
        3_600..86_400 => format!("{}h{:02}m", s / 3_600, (s % 3_600) / 60),
        _ => format!("{}d{:02}h", s / 86_400, (s % 86_400) / 3_600),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_take_the_right_number() {
        assert_eq!(counted(1, "standby", "standbys"), "1 standby");
        assert_eq!(counted(0, "standby", "standbys"), "0 standbys");
        assert_eq!(
            counted(2, "inactive slot", "inactive slots"),
            "2 inactive slots"
        );
    }

    #[test]
    fn clipboard_text_cannot_replay_escapes() {
        let raw = "SELECT 1;\r\n\t-- \u{1b}]0;pwned\u{7}\u{1b}[6n\u{9b}x\u{202e}y\rz";
        let copied = super::for_clipboard(raw);
        assert_eq!(
            copied,
            "SELECT 1;\n\t-- ␛]0;pwned␇␛[6n\u{FFFD}x\u{FFFD}y\nz"
        );
        assert!(
            !copied
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
        );
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_become_visible() {
        let s = sanitize("a\u{1b}]0;pwned\u{7}b\u{9b}c\u{202e}d\u{7f}");
        assert_eq!(s, "a␛]0;pwned␇b\u{FFFD}c\u{FFFD}d␡");
    }

    #[test]
    fn whitespace_becomes_space() {
        assert_eq!(
            sanitize("SELECT 1 /*\rDROP*/\n\tx"),
            "SELECT 1 /* DROP*/  x"
        );
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("select 1 -- 日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncates_on_grapheme_and_width() {
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(fit("日本語", 4), "日… ");
        assert_eq!(width(&fit("日本語", 5)), 5);
        assert_eq!(fit_right("42", 5), "   42");
    }

    #[test]
    fn wraps_by_width() {
        assert_eq!(wrap("abcdef", 4), vec!["abcd", "ef"]);
        assert_eq!(wrap("日本語", 4), vec!["日本", "語"]);
        assert_eq!(wrap("", 4), vec![""]);
    }

    #[test]
    fn durations() {
        assert_eq!(duration_us(-5), "0s");
        assert_eq!(duration_us(850_000), "850ms");
        assert_eq!(duration_us(245_000_000), "4m05s");
        assert_eq!(duration_us(i64::MAX), "106751991d04h");
    }

    proptest! {
        #[test]
        fn fit_is_exact_width_and_clean(s in any::<String>(), cells in 0usize..120) {
            let out = fit(&s, cells);
            prop_assert_eq!(width(&out), cells);
            prop_assert!(!out.chars().any(char::is_control));
        }

        #[test]
        fn duration_never_panics(us in any::<i64>()) {
            let _ = duration_us(us);
        }
    }
}
