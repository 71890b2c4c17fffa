//! Fitting a line of chrome (the header) to the terminal by priority: a pure function of the
//! items' widths and ranks, so what drops first is a tested rule, not where a string happens to
//! be cut.

/// One item to place: its width in cells, its rank (lower ranks drop first; `KEEP` never
/// drops), the width of the separator drawn before it when it is not first on its line, and its
/// group (items of a group share a line when the lines allow it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub width: usize,
    pub rank: u8,
    pub sep: usize,
    pub group: u8,
}

/// The rank of items that signal trouble: they never drop.
pub const KEEP: u8 = u8::MAX;

/// The items shown, as indices into `pieces` per line, in order: at most `max_lines` lines of
/// `width` cells. Items drop lowest rank first (the later of equal ranks first) until the rest
/// fit; groups keep to lines of their own while that fits. Items that never drop are all
/// placed even when they cannot fit (the last line then runs over and is cut when drawn).
pub fn flow(pieces: &[Piece], width: usize, max_lines: usize) -> Vec<Vec<usize>> {
    let max_lines = max_lines.max(1);
    let mut kept = vec![true; pieces.len()];
    loop {
        let shown: Vec<usize> = (0..pieces.len()).filter(|&i| kept[i]).collect();
        if let Some(lines) = pack(pieces, &shown, width, max_lines, true)
            .or_else(|| pack(pieces, &shown, width, max_lines, false))
        {
            return lines;
        }
        let drop = shown
            .iter()
            .rev()
            .filter(|&&i| pieces[i].rank != KEEP)
            .min_by_key(|&&i| pieces[i].rank);
        match drop {
            Some(&i) => kept[i] = false,
            None => return overrun(pieces, &shown, width, max_lines),
        }
    }
}

/// Greedy packing of `shown` into lines, breaking at each new group when `grouped`; `None` when
/// it takes more than `max_lines`. An item wider than a line takes a line of its own (and is cut
/// at its edge when drawn).
fn pack(
    pieces: &[Piece],
    shown: &[usize],
    width: usize,
    max_lines: usize,
    grouped: bool,
) -> Option<Vec<Vec<usize>>> {
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    let mut group = None;
    for &i in shown {
        let p = pieces[i];
        let w = p.width.min(width);
        let new_group = grouped && group.is_some_and(|g| g != p.group);
        match lines.last_mut() {
            Some(line) if !new_group && used + p.sep + w <= width => {
                line.push(i);
                used += p.sep + w;
            }
            _ => {
                lines.push(vec![i]);
                used = w;
            }
        }
        group = Some(p.group);
    }
    (lines.len() <= max_lines).then_some(lines)
}

/// Only items that never drop are left and they do not fit: packed as far as they go, the rest
/// on the last line, where drawing cuts them at the edge.
fn overrun(pieces: &[Piece], shown: &[usize], width: usize, max_lines: usize) -> Vec<Vec<usize>> {
    let mut lines = pack(pieces, shown, width, usize::MAX, false).unwrap_or_default();
    while lines.len() > max_lines {
        let last = lines.pop().unwrap_or_default();
        if let Some(prev) = lines.last_mut() {
            prev.extend(last);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(width: usize, rank: u8, group: u8) -> Piece {
        Piece {
            width,
            rank,
            sep: 3,
            group,
        }
    }

    #[test]
    fn groups_keep_their_own_lines_when_they_fit() {
        let p = [piece(10, 1, 0), piece(10, 2, 0), piece(10, 3, 1)];
        assert_eq!(flow(&p, 40, 2), [vec![0, 1], vec![2]]);
        // One line: everything on it.
        assert_eq!(flow(&p, 40, 1), [vec![0, 1, 2]]);
    }

    #[test]
    fn lines_are_shared_before_anything_drops() {
        // The first group needs two lines of its own; packed together all fit in two.
        let p = [
            piece(10, 1, 0),
            piece(10, 2, 0),
            piece(10, 3, 0),
            piece(5, 4, 1),
        ];
        assert_eq!(flow(&p, 25, 2), [vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn lowest_rank_drops_first_and_the_later_of_equals() {
        let p = [
            piece(10, 2, 0),
            piece(10, 1, 0),
            piece(10, KEEP, 0),
            piece(10, 1, 0),
        ];
        // Room for three: the later rank-1 item goes.
        assert_eq!(flow(&p, 36, 1), [vec![0, 1, 2]]);
        // Room for two: both rank-1 items go.
        assert_eq!(flow(&p, 23, 1), [vec![0, 2]]);
        // Room for one: only what never drops.
        assert_eq!(flow(&p, 10, 1), [vec![2]]);
    }

    #[test]
    fn items_that_never_drop_stay_even_when_they_overrun() {
        let p = [piece(30, KEEP, 0), piece(30, KEEP, 1), piece(5, 0, 1)];
        assert_eq!(flow(&p, 20, 1), [vec![0, 1]]);
        // A long message takes a line of its own rather than pushing the others out.
        assert_eq!(flow(&p, 20, 2), [vec![0], vec![1]]);
        let p = [piece(5, 1, 0), piece(30, KEEP, 1), piece(5, 2, 1)];
        assert_eq!(flow(&p, 20, 3), [vec![0], vec![1], vec![2]]);
    }
}
