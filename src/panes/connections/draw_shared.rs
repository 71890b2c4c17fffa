//! What the Connections pane's draw files share.

use crate::snapshot::Micros;
use crate::text::duration_us;

/// Time since `start`, `-` when unknown.
pub fn age(now: Micros, start: Option<Micros>) -> String {
    start.map_or_else(|| "-".to_owned(), |t| duration_us(now - t))
}
