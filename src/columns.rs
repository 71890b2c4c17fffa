//! A table's columns, each defined once: config name, header, width, alignment, priority when
//! space is short, sort key, whether it shows only on wide terminals, takes the spare width or
//! stops at its longest value; and fitting columns to a width (the columns that fit by priority,
//! in display order, the text column taking the spare). Pure; shared by every table: drawing,
//! hit-testing and the config's column lists all read the same `Col`s and the same fit.

/// One column of a table.
#[derive(Debug, Clone, Copy)]
#[allow(clippy::struct_excessive_bools)] // independent facts of one column
pub struct Col {
    /// Its name in the config file (`[replication] senders = [...]`); empty for a table whose
    /// names are still listed in `state::tables`.
    pub name: &'static str,
    /// The header.
    pub title: &'static str,
    /// The width it needs (the flex column gets more).
    pub width: usize,
    /// Right-aligned (numbers).
    pub right: bool,
    /// Shown only on wide terminals.
    pub wide: bool,
    /// Takes the width the other columns leave.
    pub flex: bool,
    /// With `flex`: a name column, which grows only up to its longest value (the spare goes to
    /// the text column first, and numbers stay next to their labels).
    pub capped: bool,
    /// When space is short, columns are kept in priority order (lower first); equal
    /// priorities keep display order.
    pub priority: u8,
    /// The table sorts by this column: its index in the table's own list of sort keys.
    pub sort: Option<u8>,
    /// At least this percent of the table's width (the query column's room at any width).
    pub share: u8,
}

/// The priority of a column that does not set one: after every column that does.
pub const DEFAULT_PRIORITY: u8 = 100;

pub const fn col(title: &'static str, width: usize) -> Col {
    Col {
        name: "",
        title,
        width,
        right: false,
        wide: false,
        flex: false,
        capped: false,
        priority: DEFAULT_PRIORITY,
        sort: None,
        share: 0,
    }
}

impl Col {
    /// Its name in the config file.
    #[must_use]
    pub const fn named(mut self, name: &'static str) -> Col {
        self.name = name;
        self
    }

    #[must_use]
    pub const fn right(mut self) -> Col {
        self.right = true;
        self
    }

    #[must_use]
    pub const fn wide(mut self) -> Col {
        self.wide = true;
        self
    }

    #[must_use]
    pub const fn flex(mut self) -> Col {
        self.flex = true;
        self
    }

    /// A name column: takes spare width, but never past its longest value.
    #[must_use]
    pub const fn capped(mut self) -> Col {
        self.flex = true;
        self.capped = true;
        self
    }

    /// Kept before columns of a higher number when space is short.
    #[must_use]
    pub const fn priority(mut self, priority: u8) -> Col {
        self.priority = priority;
        self
    }

    /// Clicking its header sorts by the table's sort key number `key`.
    #[must_use]
    pub const fn sort(mut self, key: u8) -> Col {
        self.sort = Some(key);
        self
    }

    /// Gets at least `percent` of the table's width.
    #[must_use]
    pub const fn share(mut self, percent: u8) -> Col {
        self.share = percent;
        self
    }

    /// Its least width in a table `total` cells wide.
    pub fn min_width(&self, total: usize) -> usize {
        self.width.max(total * usize::from(self.share) / 100)
    }
}

/// How a table's columns fit a width.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    /// The table's width in cells.
    pub width: usize,
    /// From this width on, the `wide` columns are shown.
    pub wide_from: usize,
}

/// Of the configured columns `chosen` (indices into `cols`, in display order), those shown in
/// `fit.width`, with their widths, in display order. Columns are kept by priority while they
/// fit (each at its least width, one cell between two); then the name columns (`capped`) grow
/// toward `need(i)`, the width of their longest value, by at most half the spare when a text
/// column exists; the text columns (`flex`, not capped) share the rest, the first taking the
/// remainder. A table with no text column leaves the rest blank at the right, so numbers stay
/// next to their labels.
pub fn fit(
    cols: &[Col],
    chosen: &[usize],
    fit: Fit,
    need: impl Fn(usize) -> usize,
) -> Vec<(usize, usize)> {
    let width = fit.width;
    let shown: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&i| {
            cols.get(i)
                .is_some_and(|c| width >= fit.wide_from || !c.wide)
        })
        .collect();
    let mut by_priority = shown.clone();
    by_priority.sort_by_key(|&i| cols[i].priority);
    let mut used = 0;
    let mut kept = Vec::with_capacity(shown.len());
    for i in by_priority {
        let w = cols[i].min_width(width) + usize::from(used > 0);
        if used + w <= width {
            used += w;
            kept.push(i);
        }
    }
    let mut out: Vec<(usize, usize)> = shown
        .iter()
        .filter(|i| kept.contains(i))
        .map(|&i| (i, cols[i].min_width(width)))
        .collect();
    // The first column by priority always shows, cut to the width.
    if out.is_empty()
        && let Some(&i) = shown.iter().min_by_key(|&&i| cols[i].priority)
    {
        return vec![(i, width.min(cols[i].min_width(width)))];
    }
    let mut spare = width - used;
    let texts = out
        .iter()
        .filter(|(i, _)| cols[*i].flex && !cols[*i].capped)
        .count();
    let mut budget = if texts > 0 { spare / 2 } else { spare };
    for (i, w) in &mut out {
        if cols[*i].capped {
            let grow = need(*i).saturating_sub(*w).min(budget);
            *w += grow;
            budget -= grow;
            spare -= grow;
        }
    }
    if texts > 0 {
        let mut extra = spare % texts;
        for (i, w) in &mut out {
            if cols[*i].flex && !cols[*i].capped {
                *w += spare / texts + std::mem::take(&mut extra);
            }
        }
    }
    out
}

/// The width each column's longest value needs, header included: the `need` of [`fit`] for a
/// table whose cells are known before it is laid out.
pub fn needs<S: AsRef<str>>(cols: &[Col], rows: &[Vec<S>]) -> Vec<usize> {
    cols.iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|s| crate::text::width(s.as_ref()))
                .chain([crate::text::width(c.title) + 1])
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// The config names of a table's columns, in default order: what `state::tables` lists.
pub const fn names<const N: usize>(cols: &[Col; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = cols[i].name;
        i += 1;
    }
    out
}

/// The columns that fit in `width` (by priority), in display order; `flex` takes the spare.
pub fn fit_columns<T: Copy + PartialEq>(
    order: &[T],
    priority: &[T],
    width_of: impl Fn(T) -> usize,
    flex: T,
    width: usize,
) -> Vec<(T, usize)> {
    let mut used = 0;
    let mut chosen = Vec::new();
    for &c in priority {
        let w = width_of(c) + usize::from(used > 0);
        if used + w <= width {
            used += w;
            chosen.push(c);
        }
    }
    let spare = width - used;
    order
        .iter()
        .filter(|c| chosen.contains(c))
        .map(|&c| (c, width_of(c) + if c == flex { spare } else { 0 }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NARROW: Fit = Fit {
        width: 40,
        wide_from: 100,
    };

    #[test]
    fn columns_drop_by_priority_and_keep_display_order() {
        let cols = [
            col("A", 10).priority(2),
            col("B", 10).priority(0),
            col("C", 10).priority(1),
            col("D", 10).priority(3),
        ];
        // 10+1+10+1+10 = 32 fits, D (lowest priority) does not.
        let got = fit(&cols, &[0, 1, 2, 3], NARROW, |_| 0);
        assert_eq!(got, vec![(0, 10), (1, 10), (2, 10)]);
    }

    #[test]
    fn a_name_column_stops_at_its_longest_value() {
        let cols = [col("NAME", 8).capped(), col("AGE", 6).right()];
        let got = fit(
            &cols,
            &[0, 1],
            Fit {
                width: 160,
                wide_from: 100,
            },
            |i| [20, 6][i],
        );
        assert_eq!(
            got,
            vec![(0, 20), (1, 6)],
            "the rest stays blank at the right"
        );
    }

    #[test]
    fn the_text_column_takes_the_spare_before_a_name_column() {
        let cols = [col("NAME", 8).capped(), col("QUERY", 20).flex()];
        let got = fit(
            &cols,
            &[0, 1],
            Fit {
                width: 100,
                wide_from: 100,
            },
            |i| [200, 0][i],
        );
        // Spare 71: the name grows by half of it at most, the query takes the rest.
        assert_eq!(got, vec![(0, 8 + 35), (1, 20 + 36)]);
    }

    #[test]
    fn a_share_reserves_room_for_the_query() {
        let cols = [
            col("PID", 7).priority(0),
            col("QUERY", 20).flex().share(38).priority(1),
            col("WIDE", 50).priority(2),
        ];
        let at = |width| {
            fit(
                &cols,
                &[0, 1, 2],
                Fit {
                    width,
                    wide_from: 0,
                },
                |_| 0,
            )
        };
        assert_eq!(
            at(80),
            vec![(0, 7), (1, 72)],
            "WIDE dropped: the query needs 30"
        );
        assert_eq!(at(160), vec![(0, 7), (1, 101), (2, 50)]);
    }

    #[test]
    fn wide_columns_show_from_their_width() {
        let cols = [col("A", 5), col("B", 5).wide()];
        assert_eq!(fit(&cols, &[0, 1], NARROW, |_| 0), vec![(0, 5)]);
        let wide = Fit {
            width: 40,
            wide_from: 40,
        };
        assert_eq!(fit(&cols, &[0, 1], wide, |_| 0), vec![(0, 5), (1, 5)]);
    }

    #[test]
    fn needs_count_the_header_and_its_sort_arrow() {
        let cols = [col("NAME", 4), col("N", 1)];
        let rows = vec![vec!["abcdef", "1"], vec!["ab", "12345"]];
        assert_eq!(needs(&cols, &rows), vec![6, 5]);
    }
}
