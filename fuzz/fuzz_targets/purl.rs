//! Any string through the PURL parser (lenient and strict): what parses must write a canonical
//! string that parses back to the same PURL and the same string, and building the parsed
//! components again must give that string too. Nothing may panic.
#![no_main]

use bomsmith::ident::purl::{Purl, parse_purl};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let strict = Purl::parse_strict(s);
    let Ok(p) = parse_purl(s) else {
        assert!(
            strict.is_err(),
            "strict parse took what the lenient one refused: {s:?}"
        );
        return;
    };
    if let Ok(q) = &strict {
        assert_eq!(q, &p, "strict and lenient parses differ: {s:?}");
    }
    let canonical = p.to_canonical_string();
    let back = parse_purl(&canonical)
        .unwrap_or_else(|e| panic!("canonical {canonical:?} of {s:?} does not parse: {e}"));
    assert_eq!(back, p, "{s:?} -> {canonical:?} parses to another PURL");
    assert_eq!(
        back.to_canonical_string(),
        canonical,
        "canonical form of {s:?} is not stable"
    );
    assert!(
        Purl::parse_strict(&canonical).is_ok(),
        "canonical {canonical:?} is not strictly valid"
    );
    let qualifiers: Vec<(&str, &str)> = p
        .qualifiers()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let built = Purl::from_parts(
        p.ty(),
        p.namespace(),
        p.name(),
        p.version(),
        &qualifiers,
        p.subpath(),
    )
    .unwrap_or_else(|e| panic!("components of {s:?} do not build: {e}"));
    assert_eq!(
        built.to_canonical_string(),
        canonical,
        "build of {s:?} differs"
    );
    let _ = p.package_key();
});
