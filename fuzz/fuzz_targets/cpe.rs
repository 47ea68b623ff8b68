//! Any text as one or two CPE 2.3 formatted strings (a line each): nothing may panic; a name
//! without wildcards equals itself; comparing two names gives the mirror relation the other way
//! round whenever both are free of wildcards.
#![no_main]

use bomsmith::ident::cpe::{CpeName, Relation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = s.splitn(2, '\n');
    let Some(Ok(a)) = lines.next().map(CpeName::parse) else {
        return;
    };
    let literal = |n: &CpeName| (0..11).all(|i| n.attr(i).is_literal());
    if literal(&a) {
        assert_eq!(a.compare(&a), Relation::Equal);
    }
    let Some(Ok(b)) = lines.next().map(CpeName::parse) else {
        return;
    };
    let ab = a.compare(&b);
    let ba = b.compare(&a);
    if literal(&a) && literal(&b) {
        let mirror = match ab {
            Relation::Superset => Relation::Subset,
            Relation::Subset => Relation::Superset,
            r => r,
        };
        assert_eq!(ba, mirror, "{a:?} {b:?}");
    }
});
