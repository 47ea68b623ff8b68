//! Name-based UUIDs (RFC 4122 version 5) for identifiers derived from content.

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
    let hex = hex::encode(u);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
