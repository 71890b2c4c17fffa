//! One folder per pane: its SQL, the decoding into its snapshot part, and its pure model.

pub mod statements;
