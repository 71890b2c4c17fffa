//! Every pane's view model, held by `State` in one struct the registry generates: a pane added
//! to the registry gets its field here, named like its module, or the build fails because its
//! folder lacks an `impl View`.

/// What a pane keeps between frames: its rows, selection, sort and scroll.
pub trait View {
    type Model: std::fmt::Debug + Clone + Default;
}

macro_rules! views {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
        /// Every pane's view model, named like the pane's module.
        #[derive(Debug, Clone, Default)]
        pub struct Views {
            $(pub $module: <crate::panes::$module::Def as View>::Model,)*
        }
    };
}
crate::panes::for_each_pane!(views);
