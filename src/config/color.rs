//! Color depth of the terminal and degrading theme colors to it: truecolor `#rrggbb` becomes the
//! nearest of the 256 xterm colors, and those the nearest of the 16 ANSI colors, so a theme
//! written for a rich terminal stays legible on a poor one.

use ratatui::style::Color;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    Ansi16,
    Ansi256,
    TrueColor,
}

impl Depth {
    /// From `COLORTERM` (`truecolor`/`24bit`) and `TERM` (`*256color*`), as terminals announce it.
    pub fn detect(colorterm: Option<&str>, term: Option<&str>) -> Depth {
        if matches!(colorterm, Some("truecolor" | "24bit")) {
            Depth::TrueColor
        } else if term.is_some_and(|t| t.contains("256color")) {
            Depth::Ansi256
        } else {
            Depth::Ansi16
        }
    }
}

/// The 16 ANSI colors in index order, with xterm's default RGB values.
const ANSI: [(Color, [u8; 3]); 16] = [
    (Color::Black, [0, 0, 0]),
    (Color::Red, [205, 0, 0]),
    (Color::Green, [0, 205, 0]),
    (Color::Yellow, [205, 205, 0]),
    (Color::Blue, [0, 0, 238]),
    (Color::Magenta, [205, 0, 205]),
    (Color::Cyan, [0, 205, 205]),
    (Color::Gray, [229, 229, 229]),
    (Color::DarkGray, [127, 127, 127]),
    (Color::LightRed, [255, 0, 0]),
    (Color::LightGreen, [0, 255, 0]),
    (Color::LightYellow, [255, 255, 0]),
    (Color::LightBlue, [92, 92, 255]),
    (Color::LightMagenta, [255, 0, 255]),
    (Color::LightCyan, [0, 255, 255]),
    (Color::White, [255, 255, 255]),
];

/// Levels of the 6×6×6 cube (indexes 16–231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// `c` as the terminal at `depth` can show it.
pub fn degrade(c: Color, depth: Depth) -> Color {
    match (c, depth) {
        (_, Depth::TrueColor) => c,
        (Color::Rgb(r, g, b), Depth::Ansi256) => Color::Indexed(nearest_256([r, g, b])),
        (Color::Rgb(r, g, b), Depth::Ansi16) => nearest_16([r, g, b]),
        (Color::Indexed(i), Depth::Ansi16) => match ANSI.get(usize::from(i)) {
            Some((named, _)) => *named,
            None => nearest_16(rgb_of(i)),
        },
        _ => c,
    }
}

fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(&x, y)| {
            let d = i32::from(x) - i32::from(y);
            d.unsigned_abs() * d.unsigned_abs()
        })
        .sum()
}

fn nearest_16(rgb: [u8; 3]) -> Color {
    ANSI.iter()
        .min_by_key(|(_, v)| distance(rgb, *v))
        .map_or(Color::Reset, |(c, _)| *c)
}

/// The nearest index among the cube (16–231) and the gray ramp (232–255); the first 16 are
/// left out because terminals redefine them.
pub fn nearest_256(rgb: [u8; 3]) -> u8 {
    let level = |v: u8| {
        (0u8..6)
            .min_by_key(|&i| (i32::from(CUBE[usize::from(i)]) - i32::from(v)).unsigned_abs())
            .unwrap_or(0)
    };
    let (r, g, b) = (level(rgb[0]), level(rgb[1]), level(rgb[2]));
    let cube = 16 + 36 * r + 6 * g + b;
    let avg = (u16::from(rgb[0]) + u16::from(rgb[1]) + u16::from(rgb[2])) / 3;
    let step = (avg.saturating_sub(3) / 10).min(23) as u8;
    let gray = 232 + step;
    if distance(rgb, rgb_of(gray)) < distance(rgb, rgb_of(cube)) {
        gray
    } else {
        cube
    }
}

/// xterm's RGB value of a 256-color index.
fn rgb_of(i: u8) -> [u8; 3] {
    match i {
        0..=15 => ANSI[usize::from(i)].1,
        16..=231 => {
            let n = i - 16;
            [
                CUBE[usize::from(n / 36)],
                CUBE[usize::from(n / 6 % 6)],
                CUBE[usize::from(n % 6)],
            ]
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            [v, v, v]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_from_the_environment() {
        assert_eq!(
            Depth::detect(Some("truecolor"), Some("xterm")),
            Depth::TrueColor
        );
        assert_eq!(Depth::detect(Some("24bit"), None), Depth::TrueColor);
        assert_eq!(Depth::detect(None, Some("tmux-256color")), Depth::Ansi256);
        assert_eq!(Depth::detect(None, Some("xterm")), Depth::Ansi16);
        assert_eq!(Depth::detect(None, None), Depth::Ansi16);
    }

    #[test]
    fn truecolor_degrades_to_the_nearest() {
        let rgb = Color::Rgb(0xb7, 0xd7, 0xff);
        assert_eq!(degrade(rgb, Depth::TrueColor), rgb);
        // #afd7ff is cube (3,4,5).
        assert_eq!(
            degrade(rgb, Depth::Ansi256),
            Color::Indexed(16 + 36 * 3 + 6 * 4 + 5)
        );
        assert_eq!(
            degrade(Color::Rgb(250, 10, 10), Depth::Ansi16),
            Color::LightRed
        );
        assert_eq!(
            degrade(Color::Rgb(128, 128, 128), Depth::Ansi256),
            Color::Indexed(244)
        );
        assert_eq!(degrade(Color::Indexed(9), Depth::Ansi16), Color::LightRed);
        assert_eq!(degrade(Color::Indexed(196), Depth::Ansi16), Color::LightRed);
        // Named colors are already fine everywhere.
        assert_eq!(degrade(Color::Cyan, Depth::Ansi16), Color::Cyan);
    }
}
