//! Any text as versions in every scheme: up to three versions, one a line. Nothing may panic;
//! a version that parses equals itself; comparison is antisymmetric (a?b is the reverse of
//! b?a) and transitive; a refusal names its scheme and carries the text it refused.
#![no_main]

use bomsmith::ident::version::{Scheme, Version, parse};
use libfuzzer_sys::fuzz_target;
use std::cmp::Ordering;

const SCHEMES: [Scheme; 5] = [
    Scheme::Pep440,
    Scheme::Semver,
    Scheme::Debian,
    Scheme::Rpm,
    Scheme::Generic,
];

fn cmp(a: &Version, b: &Version) -> Ordering {
    a.compare(b).expect("one scheme")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let texts: Vec<&str> = text.splitn(3, '\n').collect();
    for scheme in SCHEMES {
        let mut parsed = Vec::new();
        for t in &texts {
            match parse(scheme, t) {
                Ok(v) => {
                    assert_eq!(v.as_str(), *t);
                    assert_eq!(v.scheme(), scheme);
                    assert_eq!(cmp(&v, &v), Ordering::Equal, "{scheme} {t:?} != itself");
                    parsed.push(v);
                }
                Err(e) => {
                    assert_eq!(e.scheme, scheme);
                    assert_eq!(e.text, *t);
                    assert!(!e.reason.is_empty());
                }
            }
        }
        for a in &parsed {
            for b in &parsed {
                assert_eq!(
                    cmp(a, b),
                    cmp(b, a).reverse(),
                    "{scheme}: {:?} vs {:?} not antisymmetric",
                    a.as_str(),
                    b.as_str()
                );
                for c in &parsed {
                    if cmp(a, b) != Ordering::Greater && cmp(b, c) != Ordering::Greater {
                        assert_ne!(
                            cmp(a, c),
                            Ordering::Greater,
                            "{scheme}: {:?} <= {:?} <= {:?} but not transitive",
                            a.as_str(),
                            b.as_str(),
                            c.as_str()
                        );
                    }
                }
            }
        }
    }
});
