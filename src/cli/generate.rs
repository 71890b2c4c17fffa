//! `pgscope completions SHELL` and `pgscope man`: generated from the same clap definition as
//! the parser, so they never drift from the flags.

use std::fmt::Write as _;
use std::io::{self, Write};

use clap::CommandFactory;

use super::Cli;

/// A completion script for `shell`, written to `out`. Generated into memory first: clap_complete
/// panics on a write error (a closed pipe), and a failed write is an ordinary error here.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "pgscope", &mut script);
    out.write_all(&script)?;
    out.flush()
}

/// The manual page in roff, written to `out`: clap_mangen's sections for the synopsis, options
/// and subcommands, then `--help`'s closing text as EXAMPLES, ENVIRONMENT, FILES and EXIT
/// STATUS.
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    let page = clap_mangen::Man::new(Cli::command()).date(env!("PGSCOPE_BUILD_DATE"));
    let mut text = Vec::new();
    page.render_title(&mut text)?;
    page.render_name_section(&mut text)?;
    page.render_synopsis_section(&mut text)?;
    page.render_description_section(&mut text)?;
    page.render_options_section(&mut text)?;
    page.render_subcommands_section(&mut text)?;
    text.extend_from_slice(sections(super::help::AFTER_HELP).as_bytes());
    page.render_version_section(&mut text)?;
    out.write_all(&text)?;
    out.flush()
}

/// `Heading:` lines become `.SH HEADING`; the lines under one are kept as laid out (`.nf`).
fn sections(help: &str) -> String {
    let mut roff = String::new();
    for line in help.lines() {
        if let Some(heading) = line.strip_suffix(':').filter(|h| !h.starts_with(' ')) {
            if !roff.is_empty() {
                roff.push_str(".fi\n");
            }
            let _ = write!(roff, ".SH \"{}\"\n.nf\n", heading.to_uppercase());
        } else {
            roff.push_str(&escape(line));
            roff.push('\n');
        }
    }
    if !roff.is_empty() {
        roff.push_str(".fi\n");
    }
    roff
}

/// roff-safe text: backslashes escaped, hyphens as minus signs (copyable flags), and a line
/// that starts with a control character made plain text.
fn escape(line: &str) -> String {
    let text = line.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_sections_become_man_sections() {
        let roff = sections("Exit status:\n  0  quit\n.x -y\n");
        assert_eq!(
            roff,
            ".SH \"EXIT STATUS\"\n.nf\n  0  quit\n\\&.x \\-y\n.fi\n"
        );
    }
}
