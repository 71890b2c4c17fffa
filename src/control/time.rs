//! Microseconds since the epoch back to the `SystemTime` the server compares exactly.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::snapshot::Micros;

pub fn to_system(us: Micros) -> SystemTime {
    let magnitude = Duration::from_micros(us.unsigned_abs());
    if us >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH - magnitude
    }
}
