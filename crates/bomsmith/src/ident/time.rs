//! Timestamps: RFC 3339 in UTC, and the creation time (`SOURCE_DATE_EPOCH`).

/// Formats seconds since the Unix epoch as `YYYY-MM-DDThh:mm:ssZ` (UTC).
pub fn format_timestamp(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    // Civil date from a day count (proleptic Gregorian), shifted to start in March.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Parses an RFC 3339 date-time (`2024-05-01T12:00:00Z`, `...T12:00:00.5+02:00`) into seconds
/// since the Unix epoch (UTC) and whether a fraction of a second was dropped.
pub fn parse_timestamp(s: &str) -> Option<(i64, bool)> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    let mut fraction = false;
    if let Some(f) = rest.strip_prefix('.') {
        let digits = f.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        fraction = f[..digits].bytes().any(|d| d != b'0');
        rest = &f[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let o = rest.as_bytes();
            if o.len() != 6 || o[3] != b':' {
                return None;
            }
            let hh: i64 = rest[1..3].parse().ok()?;
            let mm: i64 = rest[4..6].parse().ok()?;
            if hh > 23 || mm > 59 {
                return None;
            }
            sign * (hh * 3600 + mm * 60)
        }
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month) || day < 1 || day > month_days[(month - 1) as usize] {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Day count from the civil date (proleptic Gregorian), the inverse of `format_timestamp`.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((
        days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset,
        fraction,
    ))
}

/// The creation time to record: `SOURCE_DATE_EPOCH` when given, else now.
pub fn creation_time(source_date_epoch: Option<&str>) -> crate::Result<String> {
    match source_date_epoch {
        Some(s) => {
            let epoch: i64 = s.trim().parse().map_err(|_| {
                crate::Error::invalid(
                    "SOURCE_DATE_EPOCH",
                    format!("`{s}` is not a whole number of seconds"),
                )
            })?;
            if !(0..=253_402_300_799).contains(&epoch) {
                return Err(crate::Error::invalid(
                    "SOURCE_DATE_EPOCH",
                    format!("`{s}` is outside the years 1970 to 9999"),
                ));
            }
            Ok(format_timestamp(epoch))
        }
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            Ok(format_timestamp(now))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_back_to_what_format_writes() {
        for epoch in [0, 951_782_400, 1_700_000_000, 253_402_300_799] {
            let text = format_timestamp(epoch);
            assert_eq!(parse_timestamp(&text), Some((epoch, false)), "{text}");
        }
        assert_eq!(
            parse_timestamp("2023-11-14T23:13:20+01:00"),
            Some((1_700_000_000, false))
        );
        assert_eq!(
            parse_timestamp("2023-11-14T22:13:20.250Z"),
            Some((1_700_000_000, true))
        );
        for bad in [
            "2023-02-29T00:00:00Z",
            "2023-11-14 22:13:20Z",
            "2023-11-14T22:13:20",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(format_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert!(creation_time(Some("x")).is_err());
        assert_eq!(
            creation_time(Some("86400")).expect("valid"),
            "1970-01-02T00:00:00Z"
        );
    }
}
