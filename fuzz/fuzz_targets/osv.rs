//! Any bytes as an OSV record (JSON or YAML): nothing may panic or hang; a malformed record's
//! pointer is a JSON pointer; a record read survives the database's storage form unchanged; and
//! evaluating its ranges against a few versions in every ordering never panics.
#![no_main]

use bomsmith::ident::version::Scheme;
use bomsmith::model::vuln::Advisory;
use bomsmith::vuln::osv::{self, Parsed};
use bomsmith::vuln::range;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match osv::parse(data) {
        Ok(Parsed::Record(advisory)) => {
            let stored = serde_json::to_string(&advisory).expect("a record serialises");
            let back: Advisory = serde_json::from_str(&stored).expect("and reads back");
            assert_eq!(back, *advisory);
            for affected in &advisory.affected {
                for scheme in [Scheme::Pep440, Scheme::Semver, Scheme::Debian, Scheme::Rpm, Scheme::Generic] {
                    for v in ["0", "1.0.0", "2.0rc1", "1:1.2-3", "v1.2.3", ""] {
                        let _ = range::evaluate(affected, v, scheme);
                    }
                }
            }
        }
        Ok(Parsed::NotARecord(_)) => {}
        Err(m) => assert!(m.pointer.is_empty() || m.pointer.starts_with('/'), "{m:?}"),
    }
});
