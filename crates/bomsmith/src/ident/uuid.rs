//! Name-based UUIDs (RFC 4122 / RFC 9562 version 5) for identifiers derived from content, on
//! the `uuid` crate.

use uuid::Uuid;

/// A name-based (version 5, SHA-1) UUID for `name` in the URL namespace of RFC 4122, as
/// `8-4-4-4-12` lower-case hex: the same name always gives the same UUID.
pub fn uuid_v5_url(name: &str) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
        .hyphenated()
        .to_string()
}

/// True for `8-4-4-4-12` lower-case hex digits (any version or variant).
pub fn is_uuid(s: &str) -> bool {
    // `Uuid::try_parse` also takes upper case, braces, `urn:uuid:` and 32 bare digits; only the
    // hyphenated lower-case form that `uuid_v5_url` writes counts here.
    s.len() == 36
        && !s.bytes().any(|b| b.is_ascii_uppercase())
        && Uuid::try_parse(s).is_ok_and(|u| u.hyphenated().to_string() == s)
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

    /// Known answers from Python's `uuid.uuid5(uuid.NAMESPACE_URL, name)`.
    #[test]
    fn uuid_v5_agrees_with_python_uuid() {
        for (name, want) in [
            (
                "https://pypi.org/project/requests/",
                "051182f3-ac67-5640-8aed-c9740b4e54bc",
            ),
            ("", "1b4db7eb-4057-5ddf-91e0-36dec72071f5"),
            ("urn:x", "90f709ed-492e-56da-89b5-713dabad00b9"),
            (
                "https://spdx.org/spdxdocs/Python-3.13.5-abc",
                "d37ac9b8-bcaa-59f7-9c10-11a196efdff4",
            ),
        ] {
            assert_eq!(uuid_v5_url(name), want, "{name:?}");
            assert!(is_uuid(want));
        }
        for bad in [
            "",
            "{3e671687-395b-41f5-a30f-a58921a69b79}",
            "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
            "3e671687395b41f5a30fa58921a69b79",
            "3e671687-395b-41f5-a30f-a58921a69b7",
            "3e671687-395b-41f5-a30f-a58921a69b7g",
            "3e67168-7395b-41f5-a30f-a58921a69b79",
        ] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }
}
