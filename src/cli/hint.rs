//! Hints for command lines that parsed but probably meant something else: a mistyped
//! subcommand taken as a database name, and psql's extra positional argument.

use clap::CommandFactory;

use super::Cli;

/// When the database name that failed to connect is a plain word a few edits away from a
/// subcommand (`demoo`, `confg`: one edit per three letters), the subcommand it probably meant.
pub fn subcommand_hint(cli: &Cli) -> Option<String> {
    if cli.conn.dbname.is_some() {
        return None;
    }
    let word = cli.conn.conninfo.as_deref()?;
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let cmd = Cli::command();
    let best = cmd
        .get_subcommands()
        .map(|s| (distance(word, s.get_name()), s.get_name().to_owned()))
        .filter(|(d, name)| *d > 0 && *d * 3 <= name.len())
        .min_by_key(|(d, _)| *d)?;
    Some(format!(
        "\"{word}\" was taken as a database name; did you mean `{}`?",
        best.1
    ))
}

/// psql warns about a positional argument beyond DBNAME and USERNAME; with -d the first one is
/// already the user name.
pub fn extra_positional(cli: &Cli) -> Option<String> {
    extra_of(&cli.conn)
}

/// [`extra_positional`] for the connection flags of a subcommand (`pgscope snapshot`).
pub fn extra_of(conn: &super::ConnFlags) -> Option<String> {
    let extra = conn.username.as_deref().filter(|_| conn.dbname.is_some())?;
    Some(format!("extra command-line argument \"{extra}\" ignored"))
}

/// Levenshtein distance over characters (names here are a few ASCII letters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn hint(args: &[&str]) -> Option<String> {
        let cli = Cli::try_parse_from(args).unwrap();
        subcommand_hint(&cli)
    }

    #[test]
    fn near_subcommands_are_suggested() {
        assert_eq!(distance("demoo", "demo"), 1);
        assert_eq!(distance("cnofig", "config"), 2);
        assert_eq!(
            hint(&["pgscope", "demoo"]).as_deref(),
            Some("\"demoo\" was taken as a database name; did you mean `demo`?")
        );
        assert!(hint(&["pgscope", "confg"]).unwrap().contains("`config`"));
        assert_eq!(hint(&["pgscope", "shop"]), None);
        assert_eq!(hint(&["pgscope", "-d", "demoo"]), None);
        assert_eq!(hint(&["pgscope", "host=demo"]), None);
    }
}
