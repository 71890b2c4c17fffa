//! A light SQL layout for the details view: a one-line query gets a line break before each
//! top-level clause (FROM, WHERE, JOIN, GROUP BY...). Text inside literals, quoted names,
//! comments and parentheses is left alone; a query that already has line breaks is kept as is.

use crate::explainable::{skip_block_comment, skip_quoted};

/// Clauses that start a new line, longest first so `LEFT JOIN` wins over `JOIN`.
const CLAUSES: [&str; 17] = [
    "LEFT OUTER JOIN",
    "RIGHT OUTER JOIN",
    "FULL OUTER JOIN",
    "INNER JOIN",
    "LEFT JOIN",
    "RIGHT JOIN",
    "CROSS JOIN",
    "GROUP BY",
    "ORDER BY",
    "ON CONFLICT",
    "FROM",
    "WHERE",
    "HAVING",
    "LIMIT",
    "UNION",
    "RETURNING",
    "JOIN",
];

pub fn layout(sql: &str) -> String {
    if sql.contains('\n') {
        return sql.to_owned();
    }
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 32);
    let (mut i, mut depth, mut last) = (0, 0usize, 0);
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => i = skip_quoted(b, i, b[i], false),
            b'-' if b.get(i + 1) == Some(&b'-') => i = b.len(),
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b' ' if depth == 0 => {
                let rest = &sql[i + 1..];
                let clause = CLAUSES.iter().find(|c| starts_with_word(rest, c));
                if let Some(clause) = clause {
                    out.push_str(&sql[last..i]);
                    out.push('\n');
                    last = i + 1;
                    // Past the whole clause: `LEFT JOIN` breaks once, not again at `JOIN`.
                    i += clause.len();
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[last..]);
    out
}

fn starts_with_word(rest: &str, word: &str) -> bool {
    rest.len() >= word.len()
        && rest.is_char_boundary(word.len())
        && rest[..word.len()].eq_ignore_ascii_case(word)
        && !rest[word.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::layout;

    #[test]
    fn breaks_before_top_level_clauses_only() {
        assert_eq!(
            layout(
                "select a from t left join u on u.id = t.id where x = 'from y' and b in (select 1 from v) order by a"
            ),
            "select a\nfrom t\nleft join u on u.id = t.id\nwhere x = 'from y' and b in (select 1 from v)\norder by a"
        );
        assert_eq!(layout("SELECT fromage FROM t"), "SELECT fromage\nFROM t");
        assert_eq!(layout("SELECT 1\nFROM t"), "SELECT 1\nFROM t");
        assert_eq!(
            layout("SELECT 1 /* FROM */ -- WHERE"),
            "SELECT 1 /* FROM */ -- WHERE"
        );
        assert_eq!(
            layout("UPDATE t SET a = 1 WHERE id = 2 RETURNING *"),
            "UPDATE t SET a = 1\nWHERE id = 2\nRETURNING *"
        );
        assert_eq!(
            layout("SELECT 'é' FROM ünïcode"),
            "SELECT 'é'\nFROM ünïcode"
        );
    }
}
