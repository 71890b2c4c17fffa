//! From the command line, the environment and the config file to the settings a run starts
//! with. Flags win over the file, the file over the defaults. Problems of an explicitly named
//! file (or theme) are errors; those of the default-location file are warnings, and the
//! defaults are used.

use std::path::Path;
use std::time::Duration;

use super::color::Depth;
use super::themes::ThemeSet;
use super::{Config, Source};
use crate::keymap::Keymap;

/// What the command line says about configuration.
#[derive(Debug, Clone, Default)]
pub struct Flags<'a> {
    pub config: Option<&'a Path>,
    pub interval: Option<Duration>,
    pub theme: Option<&'a str>,
    pub read_only: bool,
    pub no_mouse: bool,
}

pub struct Startup {
    pub config: Config,
    pub interval: Duration,
    pub read_only: bool,
    pub mouse: bool,
    pub keymap: Keymap,
    pub themes: ThemeSet,
    /// Problems to report before the terminal is taken (pgscope goes on).
    pub warnings: Vec<String>,
}

/// Resolves the settings; `env` reads an environment variable. An error is one line for a
/// usage error (exit status 2).
pub fn resolve(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Result<Startup, String> {
    let source = Source::locate(flags.config, env("PGSCOPE_CONFIG").as_deref());
    let loaded = super::load(&source).map_err(|e| e.to_string())?;
    let mut warnings: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| format!("{w} (using the default settings)"))
        .collect();
    let config = loaded.config;
    // Clashes were reported by the parser, so this cannot find new ones.
    let (keymap, _) = Keymap::build(&config.rebinds);

    let depth = Depth::detect(env("COLORTERM").as_deref(), env("TERM").as_deref());
    let themes_dir = source.themes_dir();
    let (mut themes, problems) = ThemeSet::load(themes_dir.as_deref(), depth);
    warnings.extend(problems.iter().map(|p| format!("{p} (theme skipped)")));
    let auto =
        || super::theme::Theme::auto_name(env("NO_COLOR").as_deref(), env("TERM").as_deref());
    match (flags.theme, config.theme.as_deref()) {
        (Some(name), _) => themes.select(name).map_err(|e| e.to_string())?,
        (None, Some(name)) => {
            if let Err(e) = themes.select(name) {
                let msg = format!(
                    "{}: {e}",
                    source
                        .path()
                        .map_or_else(String::new, |p| p.display().to_string())
                );
                if matches!(source, Source::Explicit(_)) {
                    return Err(msg);
                }
                warnings.push(format!("{msg} (using the automatic theme)"));
                themes.select(auto()).map_err(|e| e.to_string())?;
            }
        }
        (None, None) => themes.select(auto()).map_err(|e| e.to_string())?,
    }

    Ok(Startup {
        interval: flags.interval.unwrap_or(config.refresh_interval),
        read_only: flags.read_only || config.read_only,
        mouse: config.mouse && !flags.no_mouse,
        keymap,
        themes,
        warnings,
        config,
    })
}
