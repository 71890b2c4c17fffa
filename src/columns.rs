//! Fitting a table's columns to a width: the columns that fit by priority, in display order,
//! one of them taking the spare width. Pure; shared by every table.

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
