//! Parameter values made readable: `16384` in `8kB` blocks is `128 MiB`, `60000 ms` is
//! `1 min`. Pure; a value it cannot read is shown as the server gave it.

/// One byte count or duration in the parameter's unit, readable. Negative values (`-1` is
/// "disabled" or "use another setting" for many parameters) and unitless ones stay as they are.
pub fn readable(setting: &str, unit: Option<&str>) -> String {
    let Some(unit) = unit.filter(|u| !u.is_empty()) else {
        return setting.to_owned();
    };
    let Ok(value) = setting.trim().parse::<f64>() else {
        return format!("{setting} {unit}");
    };
    if value < 0.0 || !value.is_finite() {
        return setting.to_owned();
    }
    let digits = unit.chars().take_while(char::is_ascii_digit).count();
    let (count, base) = unit.split_at(digits);
    let count = if count.is_empty() {
        1.0
    } else {
        count.parse::<f64>().unwrap_or(1.0)
    };
    if let Some(mult) = byte_unit(base) {
        bytes(value * count * mult)
    } else if let Some(mult) = time_unit(base) {
        millis(value * count * mult)
    } else {
        format!("{setting} {unit}")
    }
}

fn byte_unit(u: &str) -> Option<f64> {
    Some(match u {
        "B" => 1.0,
        "kB" => 1024.0,
        "MB" => 1024.0 * 1024.0,
        "GB" => 1024.0 * 1024.0 * 1024.0,
        "TB" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    })
}

fn time_unit(u: &str) -> Option<f64> {
    Some(match u {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "min" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    })
}

/// IEC units, since PostgreSQL's kB is 1024 bytes; one decimal when not whole.
pub fn bytes(b: f64) -> String {
    const UNITS: [(&str, f64); 5] = [
        ("TiB", 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("GiB", 1024.0 * 1024.0 * 1024.0),
        ("MiB", 1024.0 * 1024.0),
        ("KiB", 1024.0),
        ("B", 1.0),
    ];
    if b == 0.0 {
        return "0".to_owned();
    }
    let (name, size) = UNITS
        .iter()
        .copied()
        .find(|(_, size)| b >= *size)
        .unwrap_or(("B", 1.0));
    number(b / size, name)
}

/// The largest unit the duration is a whole number of (`90 s`, not `1.5 min`).
pub fn millis(ms: f64) -> String {
    const UNITS: [(&str, f64); 5] = [
        ("d", 86_400_000.0),
        ("h", 3_600_000.0),
        ("min", 60_000.0),
        ("s", 1000.0),
        ("ms", 1.0),
    ];
    if ms == 0.0 {
        return "0".to_owned();
    }
    match UNITS
        .iter()
        .copied()
        .find(|(_, size)| ms >= *size && (ms / size).fract() == 0.0)
    {
        Some((name, size)) => number(ms / size, name),
        None => number(ms, "ms"),
    }
}

fn number(v: f64, unit: &str) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0} {unit}")
    } else {
        format!("{v:.1} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::readable;

    #[test]
    fn units_made_readable() {
        assert_eq!(readable("16384", Some("8kB")), "128 MiB");
        assert_eq!(readable("4096", Some("kB")), "4 MiB");
        assert_eq!(readable("1024", Some("MB")), "1 GiB");
        assert_eq!(readable("1536", Some("MB")), "1.5 GiB");
        assert_eq!(readable("16777216", Some("B")), "16 MiB");
        assert_eq!(readable("60000", Some("ms")), "1 min");
        assert_eq!(readable("90", Some("s")), "90 s");
        assert_eq!(readable("3600", Some("s")), "1 h");
        assert_eq!(readable("0.5", Some("ms")), "0.5 ms");
        assert_eq!(readable("2", Some("ms")), "2 ms");
        assert_eq!(readable("0", Some("ms")), "0");
        assert_eq!(readable("0", Some("kB")), "0");
        assert_eq!(readable("-1", Some("ms")), "-1");
        assert_eq!(readable("on", None), "on");
        assert_eq!(readable("100", Some("")), "100");
        assert_eq!(readable("x", Some("kB")), "x kB");
        assert_eq!(readable("5", Some("furlongs")), "5 furlongs");
    }
}
