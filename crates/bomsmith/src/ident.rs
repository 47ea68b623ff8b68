//! Identifiers: SPDX element IDs, package URLs, artifact file names, timestamps.

use std::collections::HashSet;

/// `prefix` + `value` with every run of characters outside `[A-Za-z0-9.-]` replaced by `-`.
pub fn spdx_id(prefix: &str, value: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + value.len());
    out.push_str(prefix);
    let mut in_run = false;
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    out
}

/// True for a well-formed SPDX element ID: `SPDXRef-` and then letters, digits, `.` or `-`
/// (and not the document's own ID).
pub fn is_element_id(s: &str) -> bool {
    is_ref_id(s, "SPDXRef-") && s != crate::model::DOCUMENT_ID
}

/// True for `prefix` followed by one or more letters, digits, `.` or `-`: the shape of SPDX
/// element IDs (`SPDXRef-`) and license references (`LicenseRef-`).
pub fn is_ref_id(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    })
}

/// Hands out document-unique IDs: the first claim of an ID gets it as is, later colliding
/// claims get `-2`, `-3`, ... (the first suffix not yet taken). Deterministic for a given order.
#[derive(Debug, Default)]
pub struct IdAllocator {
    taken: HashSet<String>,
}

impl IdAllocator {
    /// Reserves an ID exactly (an ID that came from an input document). False if taken.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_owned())
    }

    /// A unique ID based on `wanted`.
    pub fn allocate(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        (2u64..)
            .map(|n| format!("{wanted}-{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

/// PEP 503 normalised project name: lower case, runs of `-`, `_`, `.` as one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if c == '-' || c == '_' || c == '.' {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Percent-encodes a PURL component (everything but unreserved characters).
pub fn purl_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The canonical PURL of a PyPI project release.
pub fn pypi_purl(name: &str, version: &str) -> String {
    format!(
        "pkg:pypi/{}@{}",
        purl_encode(&pep503(name)),
        purl_encode(version)
    )
}

/// Archive suffixes recognised when a name and version are read from a file name.
const SUFFIXES: &[&str] = &[
    ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz", ".txz", ".tbz2", ".tbz", ".tzst", ".tar",
    ".zip", ".whl", ".jar",
];

/// Reads `NAME-VERSION.EXT` (and wheel names `NAME-VERSION-TAGS.whl`): the name, and the
/// version when one follows the first `-` that precedes a digit.
pub fn split_artifact_name(file_name: &str) -> (String, Option<String>) {
    let lower = file_name.to_ascii_lowercase();
    let stem = SUFFIXES
        .iter()
        .find(|s| lower.ends_with(*s))
        .map_or(file_name, |s| &file_name[..file_name.len() - s.len()]);
    if lower.ends_with(".whl") {
        let mut parts = stem.split('-');
        if let (Some(n), Some(v)) = (parts.next(), parts.next()) {
            return (n.to_owned(), Some(v.to_owned()));
        }
    }
    let bytes = stem.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'-' && i > 0 && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return (stem[..i].to_owned(), Some(stem[i + 1..].to_owned()));
        }
    }
    (stem.to_owned(), None)
}

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

/// A name-based (version 5, SHA-1) UUID for `name` in the URL namespace of RFC 4122, as
/// `8-4-4-4-12` lower-case hex: the same name always gives the same UUID.
pub fn uuid_v5_url(name: &str) -> String {
    use sha1::Digest;
    // The RFC 4122 namespace ID for URLs, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
    const URL_NAMESPACE: [u8; 16] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    let mut h = sha1::Sha1::new();
    h.update(URL_NAMESPACE);
    h.update(name.as_bytes());
    let d = h.finalize();
    let mut u = [0u8; 16];
    u.copy_from_slice(&d[..16]);
    u[6] = (u[6] & 0x0f) | 0x50;
    u[8] = (u[8] & 0x3f) | 0x80;
    let hex = crate::digest::hex(&u);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// True for `8-4-4-4-12` lower-case hex digits.
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')))
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
    fn uuid_v5_matches_rfc_4122() {
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "https://www.python.org/")
        assert_eq!(
            uuid_v5_url("https://www.python.org/"),
            "5406f80d-92e9-51cd-a176-77445955e733"
        );
        assert!(is_uuid(&uuid_v5_url("x")));
        assert!(!is_uuid("3E671687-395b-41f5-a30f-a58921a69b79"));
    }

    #[test]
    fn spdx_ids() {
        assert_eq!(
            spdx_id("SPDXRef-FILE-", "Lib/a b/c_d.py"),
            "SPDXRef-FILE-Lib-a-b-c-d.py"
        );
        assert_eq!(spdx_id("SPDXRef-FILE-", "a//__b"), "SPDXRef-FILE-a-b");
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("X-a".into()), "X-a");
        assert_eq!(ids.allocate("X-a".into()), "X-a-2");
        assert!(ids.reserve("X-a-3"));
        assert_eq!(ids.allocate("X-a".into()), "X-a-4");
    }

    #[test]
    fn python_names() {
        assert_eq!(pep503("Typing_Extensions"), "typing-extensions");
        assert_eq!(pep503("zope.interface"), "zope-interface");
        assert_eq!(
            pypi_purl("tomli_w", "1.0+local"),
            "pkg:pypi/tomli-w@1.0%2Blocal"
        );
    }

    #[test]
    fn artifact_names() {
        assert_eq!(
            split_artifact_name("Python-3.13.5.tar.xz"),
            ("Python".into(), Some("3.13.5".into()))
        );
        assert_eq!(
            split_artifact_name("foo-bar-1.2.tgz"),
            ("foo-bar".into(), Some("1.2".into()))
        );
        assert_eq!(
            split_artifact_name("pip-25.1.1-py3-none-any.whl"),
            ("pip".into(), Some("25.1.1".into()))
        );
        assert_eq!(split_artifact_name("tree"), ("tree".into(), None));
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

/// Parses `name==version` (a pinned requirement without markers or extras).
pub fn parse_pin(line: &str) -> Option<(&str, &str)> {
    let (name, version) = line.split_once("==")?;
    pin_parts(name, version)
}

/// The trimmed name and version of a pin, if both are well-formed.
pub fn pin_parts<'a>(name: &'a str, version: &'a str) -> Option<(&'a str, &'a str)> {
    let (name, version) = (name.trim(), version.trim());
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let version_ok = !version.is_empty()
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-' | '_'));
    (name_ok && version_ok).then_some((name, version))
}

/// A CPE 2.3 formatted string, split into its 13 colon-separated components (escapes kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpe23 {
    /// `cpe`, `2.3`, part, vendor, product, version, update, edition, language, sw_edition,
    /// target_sw, target_hw, other.
    pub fields: Vec<String>,
}

impl Cpe23 {
    /// The version component (`*` for any, `-` for not applicable).
    pub fn version(&self) -> &str {
        &self.fields[5]
    }
}

/// Parses a CPE 2.3 formatted string (`cpe:2.3:part:vendor:product:version:...`, 13
/// components, `\` escapes).
pub fn parse_cpe23(s: &str) -> std::result::Result<Cpe23, String> {
    let mut fields = Vec::with_capacity(13);
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) if n.is_ascii_graphic() => {
                    cur.push('\\');
                    cur.push(n);
                }
                _ => return Err("a `\\` must escape a printable character".into()),
            },
            ':' => fields.push(std::mem::take(&mut cur)),
            c if c.is_ascii_graphic() => cur.push(c),
            c => return Err(format!("character {c:?} is not allowed in a CPE")),
        }
    }
    fields.push(cur);
    if fields.len() != 13 {
        return Err(format!(
            "a CPE 2.3 string has 13 colon-separated components, this one has {}",
            fields.len()
        ));
    }
    if fields[0] != "cpe" || fields[1] != "2.3" {
        return Err("a CPE 2.3 string starts with `cpe:2.3:`".into());
    }
    if !["a", "o", "h", "*", "-"].contains(&fields[2].as_str()) {
        return Err(format!(
            "part `{}` is not one of a, o, h, * or -",
            fields[2]
        ));
    }
    if let Some(i) = fields.iter().position(String::is_empty) {
        return Err(format!("component {} is empty (use `*` for any)", i + 1));
    }
    Ok(Cpe23 { fields })
}

/// `cpe` with its version component set to `version`, as CPython's externals tooling edits
/// it (the fifth field after `cpe`); `None` when the string has too few fields.
pub fn cpe_with_version(cpe: &str, version: &str) -> Option<String> {
    let mut parts: Vec<&str> = cpe.splitn(7, ':').collect();
    if parts.len() < 7 || parts[0] != "cpe" || parts[1..6].iter().any(|p| p.is_empty()) {
        return None;
    }
    parts[5] = version;
    Some(parts.join(":"))
}

/// A parsed package URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    /// Type, lower-cased (`pypi`, `npm`, `generic`, ...).
    pub ty: String,
    /// Namespace segments, decoded, joined with `/`.
    pub namespace: Option<String>,
    /// Name, decoded.
    pub name: String,
    /// Version, decoded.
    pub version: Option<String>,
}

fn percent_decode(s: &str) -> std::result::Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent-encoding in `{s}`"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{s}` does not decode to UTF-8"))
}

/// Parses a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`).
pub fn parse_purl(s: &str) -> std::result::Result<Purl, String> {
    let Some((scheme, rest)) = s.split_once(':') else {
        return Err("a package URL starts with `pkg:`".into());
    };
    if !scheme.eq_ignore_ascii_case("pkg") {
        return Err("a package URL starts with `pkg:`".into());
    }
    let rest = rest.split('#').next().unwrap_or("");
    let (rest, qualifiers) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    if let Some(q) = qualifiers {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let Some((k, _)) = pair.split_once('=') else {
                return Err(format!("qualifier `{pair}` has no `=`"));
            };
            if k.is_empty()
                || !k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                return Err(format!("qualifier key `{k}` is not valid"));
            }
        }
    }
    let rest = rest.trim_start_matches('/');
    let (rest, version) = match rest.rsplit_once('@') {
        Some((r, v)) if !r.contains('@') || !v.contains('/') => (r, Some(percent_decode(v)?)),
        _ => (rest, None),
    };
    let Some((ty, path)) = rest.split_once('/') else {
        return Err("a package URL needs a type and a name (`pkg:type/name`)".into());
    };
    let valid_type = ty
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '.' || c == '+' || c == '-')
        && ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
    if !valid_type {
        return Err(format!("`{ty}` is not a valid package URL type"));
    }
    let segments: Vec<&str> = path
        .trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let Some((name, namespace)) = segments.split_last() else {
        return Err("the package URL has no name".into());
    };
    let name = percent_decode(name)?;
    if name.is_empty() {
        return Err("the package URL has no name".into());
    }
    let namespace = if namespace.is_empty() {
        None
    } else {
        Some(
            namespace
                .iter()
                .map(|s| percent_decode(s))
                .collect::<std::result::Result<Vec<_>, _>>()?
                .join("/"),
        )
    };
    if version.as_deref() == Some("") {
        return Err("the version after `@` is empty".into());
    }
    Ok(Purl {
        ty: ty.to_ascii_lowercase(),
        namespace,
        name,
        version,
    })
}

#[cfg(test)]
mod identifier_tests {
    use super::*;

    #[test]
    fn cpes() {
        let c =
            parse_cpe23("cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*").expect("valid");
        assert_eq!(c.version(), "2.6.3");
        assert!(parse_cpe23("cpe:2.3:a:x:y:1").is_err());
        assert!(parse_cpe23("cpe:/a:x:y:1").is_err());
        assert!(parse_cpe23("cpe:2.3:q:x:y:1:*:*:*:*:*:*:*").is_err());
        assert!(parse_cpe23("cpe:2.3:a:x::1:*:*:*:*:*:*:*").is_err());
        assert!(parse_cpe23(r"cpe:2.3:a:x:y\:z:1:*:*:*:*:*:*:*").is_ok());
        assert_eq!(
            cpe_with_version("cpe:2.3:a:bzip:bzip2:1.0.6:*:*:*:*:*:*:*", "1.0.8").as_deref(),
            Some("cpe:2.3:a:bzip:bzip2:1.0.8:*:*:*:*:*:*:*")
        );
        assert_eq!(cpe_with_version("cpe:2.3:a", "1"), None);
    }

    #[test]
    fn purls() {
        let p = parse_purl("pkg:pypi/macholib@1.0").expect("valid");
        assert_eq!((p.ty.as_str(), p.name.as_str()), ("pypi", "macholib"));
        assert_eq!(p.version.as_deref(), Some("1.0"));
        let p = parse_purl("pkg:npm/%40angular/core@16.0.0?x=y#sub").expect("valid");
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(p.version.as_deref(), Some("16.0.0"));
        assert!(parse_purl("pypi/macholib@1.0").is_err());
        assert!(parse_purl("pkg:pypi").is_err());
        assert!(parse_purl("pkg:1py/x").is_err());
        assert!(parse_purl("pkg:pypi/x@").is_err());
        assert!(parse_purl("pkg:pypi/x%zz").is_err());
    }
}
