//! Statements composed for one server version: one base text with `{slot}`s, filled with the
//! pieces in effect on that version, so a column or a view added later is written once.

/// A piece of SQL in effect from `.0` (a `server_version_num`) on.
pub type Since = (i32, &'static str);

/// Of pieces that replace one another (the same columns, renamed in a later version), the one
/// in effect on `version_num`: the newest not above it, or the oldest on a server older still.
pub fn one(version_num: i32, pieces: &[Since]) -> &'static str {
    super::capabilities::pick(version_num, pieces)
}

/// Of pieces that add up (one branch per view), those in effect on `version_num`, in order,
/// joined by `sep`.
pub fn all(version_num: i32, pieces: &[Since], sep: &str) -> String {
    pieces
        .iter()
        .filter(|(since, _)| *since <= version_num)
        .map(|(_, sql)| sql.trim_end())
        .collect::<Vec<_>>()
        .join(sep)
}

/// `base` with each `{name}` replaced by its text. A slot left unfilled is a bug in the caller:
/// the server would refuse the statement, so tests that prepare it on every major catch it.
pub fn fill(base: &str, slots: &[(&str, &str)]) -> String {
    let mut out = base.to_owned();
    for (name, text) in slots {
        out = out.replace(&format!("{{{name}}}"), text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{all, fill, one};

    #[test]
    fn pieces_in_effect_by_version() {
        let added = [(120_000, "a"), (130_000, "b"), (140_000, "c")];
        assert_eq!(all(130_005, &added, ","), "a,b");
        assert_eq!(all(180_000, &added, ","), "a,b,c");
        let renamed = [(120_000, "old"), (170_000, "new")];
        assert_eq!(one(160_004, &renamed), "old");
        assert_eq!(one(170_000, &renamed), "new");
        assert_eq!(fill("x {a} y {b}", &[("a", "1"), ("b", "2")]), "x 1 y 2");
    }
}
