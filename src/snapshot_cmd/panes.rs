//! `--pane NAME[,NAME...]|all`: names as the registry spells the panes, in number order.

use crate::panes::Pane;

/// The panes named, deduplicated, in the registry's order; `all` is every pane but the pooler,
/// which is read only with `--pooler` and then named.
pub fn select(names: &[String]) -> Result<Vec<Pane>, String> {
    let mut wanted = Vec::new();
    for name in names.iter().map(|n| n.trim().to_ascii_lowercase()) {
        if name == "all" {
            wanted.extend(Pane::ALL.iter().copied().filter(|p| *p != Pane::Pooler));
            continue;
        }
        let pane = Pane::ALL
            .iter()
            .copied()
            .find(|p| p.name().eq_ignore_ascii_case(&name))
            .ok_or_else(|| {
                let known: Vec<String> = Pane::ALL
                    .iter()
                    .map(|p| p.name().to_ascii_lowercase())
                    .collect();
                format!("unknown pane \"{name}\" (panes: {}, all)", known.join(", "))
            })?;
        wanted.push(pane);
    }
    let panes: Vec<Pane> = Pane::ALL
        .iter()
        .copied()
        .filter(|p| wanted.contains(p))
        .collect();
    if panes.is_empty() {
        return Err("--pane names no pane".to_owned());
    }
    Ok(panes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_all() {
        let s = |v: &[&str]| select(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(
            s(&["locks", "Activity"]),
            Ok(vec![Pane::Activity, Pane::Locks])
        );
        assert_eq!(s(&["all"]).map(|p| p.len()), Ok(Pane::ALL.len() - 1));
        assert_eq!(s(&["all", "pooler"]).map(|p| p.len()), Ok(Pane::ALL.len()));
        assert!(s(&["lock"]).unwrap_err().contains("unknown pane"));
    }
}
