//! A table's columns, each defined once: config name, header, width, alignment, whether it
//! shows only on wide terminals or takes the spare width; and fitting columns to a width (the
//! columns that fit by priority, in display order, one of them taking the spare). Pure; shared
//! by every table.

/// One column of a table.
#[derive(Debug, Clone, Copy)]
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
}

pub const fn col(title: &'static str, width: usize) -> Col {
    Col {
        name: "",
        title,
        width,
        right: false,
        wide: false,
        flex: false,
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
