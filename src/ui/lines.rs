//! Lines already fitted to their width, drawn straight into the buffer. A `Paragraph` would
//! truncate them again, and splitting plain ASCII into graphemes is most of a table's cost.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

/// Draws `lines` top-down from the area's top-left corner; what does not fit is cut off.
/// Left-aligned only: a line's own alignment is not looked at (no table line has one).
pub fn draw(buf: &mut Buffer, area: Rect, lines: &[Line<'_>]) {
    let area = area.intersection(buf.area);
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        let mut x = area.x;
        for span in line {
            if x >= area.right() {
                break;
            }
            let style = line.style.patch(span.style);
            x = if is_plain(&span.content) {
                ascii(buf, x, y, area.right(), &span.content, style)
            } else {
                let room = usize::from(area.right() - x);
                buf.set_stringn(x, y, &span.content, room, style).0
            };
        }
    }
}

/// Printable ASCII: one byte, one cell. Anything else (control characters cannot reach here:
/// server text is sanitized) goes the grapheme-aware way.
fn is_plain(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn ascii(buf: &mut Buffer, mut x: u16, y: u16, right: u16, s: &str, style: Style) -> u16 {
    for b in s.bytes() {
        if x >= right {
            break;
        }
        if let Some(cell) = buf.cell_mut((x, y)) {
            cell.set_char(char::from(b)).set_style(style);
        }
        x += 1;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::text::Span;

    /// The fast path draws exactly what `set_line` draws, ASCII or not.
    #[test]
    fn same_cells_as_set_line() {
        let area = Rect::new(0, 0, 12, 3);
        let lines = vec![
            Line::from(vec![
                Span::styled("pid ", Style::new().bold()),
                Span::raw("SELECT 1 FROM t"),
            ]),
            Line::from(vec![Span::raw("日本語 x"), Span::raw("ab")]).style(Style::new().italic()),
            Line::raw("short"),
        ];
        let mut fast = Buffer::empty(area);
        draw(&mut fast, area, &lines);
        let mut slow = Buffer::empty(area);
        for (y, line) in (0u16..).zip(&lines) {
            slow.set_line(0, y, line, area.width);
        }
        assert_eq!(fast, slow);
    }
}
