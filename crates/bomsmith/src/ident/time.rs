//! Timestamps: RFC 3339 in UTC, and the creation time (`SOURCE_DATE_EPOCH`), on `jiff`.
//!
//! `jiff` does the calendar: days in a month, leap years, offsets, the epoch. This module keeps
//! RFC 3339's grammar stricter than `jiff`'s ISO 8601 parser (which also takes a space for `T`,
//! a missing offset with a zone annotation, or week dates): `YYYY-MM-DDTHH:MM:SS`, an optional
//! fraction of any length, then `Z` or `±HH:MM`.

use jiff::SignedDuration;
use jiff::civil::DateTime;

/// The Unix epoch as a civil date-time in UTC. Civil date-times (years -9999 to 9999, to the
/// last second of 9999) are used rather than `jiff::Timestamp`, whose range stops a day short of
/// the end of 9999 so that every offset stays in range.
const EPOCH: DateTime = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);

/// Formats seconds since the Unix epoch as `YYYY-MM-DDThh:mm:ssZ` (UTC). Seconds outside the
/// years -9999 to 9999 are held at the nearest end of that range.
pub fn format_timestamp(epoch: i64) -> String {
    let dt = EPOCH
        .checked_add(SignedDuration::from_secs(epoch))
        .unwrap_or(if epoch < 0 {
            DateTime::MIN
        } else {
            DateTime::MAX
        });
    dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parses an RFC 3339 date-time (`2024-05-01T12:00:00Z`, `...T12:00:00.5+02:00`) into seconds
/// since the Unix epoch (UTC) and whether a fraction of a second was dropped. A leap second
/// (`:60`) counts as `:59`.
pub fn parse_timestamp(s: &str) -> Option<(i64, bool)> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|p| p.iter().all(u8::is_ascii_digit));
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return None;
    }
    let mut rest = &s[19..];
    let mut fraction = false;
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        fraction = f[..n].bytes().any(|d| d != b'0');
        rest = &f[n..];
    }
    let offset: i64 = match rest {
        "Z" | "z" => 0,
        _ => {
            let o = rest.as_bytes();
            let ok = o.len() == 6
                && matches!(o[0], b'+' | b'-')
                && o[1..3].iter().all(u8::is_ascii_digit)
                && o[3] == b':'
                && o[4..6].iter().all(u8::is_ascii_digit)
                && &rest[1..3] <= "23"
                && &rest[4..6] <= "59";
            if !ok {
                return None;
            }
            let hh: i64 = rest[1..3].parse().ok()?;
            let mm: i64 = rest[4..6].parse().ok()?;
            let sign = if o[0] == b'-' { -1 } else { 1 };
            sign * (hh * 3600 + mm * 60)
        }
    };
    // Whole seconds only: the fraction is reported, not kept. jiff checks the calendar (and
    // reads a leap second, `:60`, as `:59`).
    let dt: DateTime = format!("{}T{}", &s[..10], &s[11..19]).parse().ok()?;
    let since = dt.duration_since(EPOCH).as_secs();
    Some((since - offset, fraction))
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
        None => Ok(format_timestamp(jiff::Timestamp::now().as_second())),
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

    /// Known answers from Python: `datetime.fromtimestamp(e, timezone.utc).isoformat()` and
    /// `calendar.timegm` of `datetime.fromisoformat(s)` moved to UTC.
    #[test]
    fn timestamps_agree_with_python_datetime() {
        for (epoch, text) in [
            (-1, "1969-12-31T23:59:59Z"),
            (86_399, "1970-01-01T23:59:59Z"),
            (682_560_000, "1991-08-19T00:00:00Z"),
            (946_684_799, "1999-12-31T23:59:59Z"),
            (951_868_800, "2000-03-01T00:00:00Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (-2_208_988_800, "1900-01-01T00:00:00Z"),
            (1_709_164_800, "2024-02-29T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
        ] {
            assert_eq!(format_timestamp(epoch), text, "{epoch}");
            assert_eq!(parse_timestamp(text), Some((epoch, false)), "{text}");
        }
        for (text, epoch, fraction) in [
            ("1900-03-01T00:00:00Z", -2_203_891_200, false),
            ("2024-02-29T23:59:59-05:30", 1_709_270_999, false),
            ("0001-01-01T00:30:00+00:01", -62_135_595_060, false),
            ("2100-02-28t12:34:56z", 4_107_501_296, false),
            ("1969-12-31T23:59:59.999999Z", -1, true),
            ("2000-02-29T12:00:00+14:00", 951_775_200, false),
            ("2000-02-29T12:00:00.000+14:00", 951_775_200, false),
        ] {
            assert_eq!(parse_timestamp(text), Some((epoch, fraction)), "{text}");
        }
        // A leap second counts as the second before it (Python refuses `:60`).
        assert_eq!(
            parse_timestamp("2016-12-31T23:59:60Z"),
            parse_timestamp("2016-12-31T23:59:59Z")
        );
        // Not RFC 3339: no such day, hour or offset; a space for `T`; `+0530`; an empty fraction.
        for bad in [
            "1900-02-29T00:00:00Z",
            "2024-02-29 23:59:59Z",
            "2024-02-29T23:59:59+0530",
            "2024-02-29T23:59:59.Z",
            "2024-13-01T00:00:00Z",
            "2024-02-29T24:00:00Z",
            "2024-02-29T23:59:59+24:00",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
