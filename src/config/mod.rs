//! User-facing configuration: the config file (settings and key rebinds laid over embedded
//! defaults), where it is found, and themes.

pub mod color;
pub mod dump;
pub mod error;
mod file;
pub mod names;
pub mod startup;
mod tables;
pub mod theme;
pub mod themes;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::collect::sampler::Config as SamplerConfig;
use crate::keymap::Rebind;
use crate::panes::Pane;
use crate::panes::activity::columns::Column;
use crate::panes::connections::groups::Grouping;
use crate::slots::Thresholds;
use crate::state::State;
use crate::state::tables::TableColumns;
pub use error::{FileError, FileErrors};

/// The commented defaults `pgscope config --dump` prints (the key bindings are appended from
/// the live table). A test keeps it equal to `Config::default()`.
pub const DEFAULTS: &str = include_str!("../../assets/config.default.toml");

/// Settings after the file was laid over the defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub refresh_interval: Duration,
    pub default_pane: Pane,
    /// `None` picks automatically (monochrome under NO_COLOR or a dumb terminal).
    pub theme: Option<String>,
    pub read_only: bool,
    pub mouse: bool,
    /// Stretch the refresh interval while a refresh costs the server more than its budget.
    pub adaptive_interval: bool,
    /// A PgBouncer admin console conninfo, as `--pooler` (which wins).
    pub pooler: Option<String>,
    pub activity: ActivityDefaults,
    /// The Connections pane's breakdown at start (`o` cycles).
    pub connections_grouping: Grouping,
    /// Columns of the other panes' tables.
    pub tables: TableColumns,
    pub thresholds: Thresholds,
    pub sampler: SamplerConfig,
    pub rebinds: Vec<Rebind>,
    /// Named servers and groups for `pgscope fleet`.
    pub fleet: crate::fleet::config::Section,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityDefaults {
    pub columns: Vec<Column>,
    pub show_idle: bool,
    pub show_background: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            refresh_interval: Duration::from_secs(1),
            default_pane: Pane::Activity,
            theme: None,
            read_only: false,
            mouse: true,
            adaptive_interval: true,
            pooler: None,
            activity: ActivityDefaults {
                columns: Column::ALL.to_vec(),
                show_idle: false,
                show_background: false,
            },
            connections_grouping: Grouping::default(),
            tables: TableColumns::default(),
            thresholds: Thresholds::default(),
            sampler: SamplerConfig::default(),
            rebinds: Vec::new(),
            fleet: crate::fleet::config::Section::default(),
        }
    }
}

impl Config {
    /// Parses a config file's text; `path` is for the messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, FileErrors> {
        file::parse(path, text)
    }

    /// Puts the view settings into a fresh state. Read-only can only be turned on here.
    pub fn apply(&self, state: &mut State) {
        state.pane = self.default_pane;
        state
            .views
            .activity
            .columns
            .clone_from(&self.activity.columns);
        state.views.activity.show_idle = self.activity.show_idle;
        state.views.activity.show_background = self.activity.show_background;
        state.views.connections.grouping = self.connections_grouping;
        state.tables.clone_from(&self.tables);
        state.thresholds = self.thresholds;
        state.read_only |= self.read_only;
    }
}

/// Where the config file comes from. An explicitly named file must load; the default one may
/// be missing or broken (then the defaults are used and the problem is reported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--config PATH` or `PGSCOPE_CONFIG`.
    Explicit(PathBuf),
    /// The platform's config dir (`$XDG_CONFIG_HOME/pgscope/config.toml` on Linux).
    Default(PathBuf),
    /// No home or config dir could be found.
    None,
}

impl Source {
    /// `flag` wins over `env` (`PGSCOPE_CONFIG`), which wins over the default location.
    pub fn locate(flag: Option<&Path>, env: Option<&str>) -> Source {
        if let Some(p) = flag {
            return Source::Explicit(p.to_owned());
        }
        if let Some(p) = env.filter(|p| !p.is_empty()) {
            return Source::Explicit(PathBuf::from(p));
        }
        match default_dir() {
            Some(dir) => Source::Default(dir.join("config.toml")),
            None => Source::None,
        }
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::Explicit(p) | Source::Default(p) => Some(p),
            Source::None => None,
        }
    }

    /// Where user themes live: `themes/` next to the config file.
    pub fn themes_dir(&self) -> Option<PathBuf> {
        self.path()
            .and_then(Path::parent)
            .map(|dir| dir.join("themes"))
    }
}

/// The platform's config directory for pgscope.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pgscope").map(|d| d.config_dir().to_owned())
}

/// The loaded config, and what went wrong with a default-location file (to report before the
/// terminal is taken; the defaults are used then).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<FileError>,
}

/// Reads and parses the config from `source`. Only an explicit file's problems are errors.
pub fn load(source: &Source) -> Result<Loaded, FileErrors> {
    let (path, explicit) = match source {
        Source::Explicit(p) => (p, true),
        Source::Default(p) => (p, false),
        Source::None => {
            return Ok(Loaded {
                config: Config::default(),
                warnings: Vec::new(),
            });
        }
    };
    let parsed = match std::fs::read_to_string(path) {
        Ok(text) => Config::parse(path, &text),
        Err(e) if !explicit && e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(FileError::new(path, None, format!("cannot read: {e}")).into()),
    };
    match parsed {
        Ok(config) => Ok(Loaded {
            config,
            warnings: Vec::new(),
        }),
        Err(e) if explicit => Err(e),
        Err(FileErrors(warnings)) => Ok(Loaded {
            config: Config::default(),
            warnings,
        }),
    }
}

/// What `pgscope config` prints: the defaults with `--dump`, otherwise where the config file is
/// read from and whether it loads.
pub fn describe(dump: bool, flag: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> String {
    if dump {
        return dump::text();
    }
    let source = Source::locate(flag, env("PGSCOPE_CONFIG").as_deref());
    let Some(path) = source.path() else {
        return "no config directory (HOME is not set)\n".to_owned();
    };
    let state = match load(&source) {
        Ok(l) if l.warnings.is_empty() && path.exists() => "loads".to_owned(),
        Ok(l) if l.warnings.is_empty() => "not there: the defaults apply".to_owned(),
        Ok(l) => FileErrors(l.warnings).to_string(),
        Err(e) => e.to_string(),
    };
    let themes = source
        .themes_dir()
        .map_or_else(String::new, |d| format!("user themes: {}\n", d.display()));
    format!(
        "config file: {} ({state})\n{themes}defaults: pgscope config --dump\n",
        path.display()
    )
}
