//! Any bytes as an advisory file (OSV JSON or YAML, NVD CVE JSON, CVE JSON 5): nothing may panic
//! or hang; a malformed record's pointer is a JSON pointer; a record read survives the
//! database's storage form unchanged; and evaluating its ranges against a few versions in every
//! ordering, its CPE configurations against a few CPEs, and its CVE 5 product statements
//! against a few versions, never panics.
#![no_main]

use bomsmith::ident::cpe::CpeName;
use bomsmith::ident::version::Scheme;
use bomsmith::model::vuln::Advisory;
use bomsmith::vuln::cpe_match;
use bomsmith::vuln::cve5;
use bomsmith::vuln::git::GitRepos;
use bomsmith::vuln::osv::Parsed;
use bomsmith::vuln::range;
use bomsmith::vuln::source::parse_file;
use libfuzzer_sys::fuzz_target;

fn check(advisory: &Advisory) {
    let stored = serde_json::to_string(advisory).expect("a record serialises");
    let back: Advisory = serde_json::from_str(&stored).expect("and reads back");
    assert_eq!(back, *advisory);
    for affected in &advisory.affected {
        for scheme in [Scheme::Pep440, Scheme::Semver, Scheme::Debian, Scheme::Rpm, Scheme::Generic] {
            for v in ["0", "1.0.0", "2.0rc1", "1:1.2-3", "v1.2.3", ""] {
                let _ = range::evaluate(affected, v, scheme);
            }
        }
    }
    if !advisory.configurations.is_empty() {
        let targets: Vec<CpeName> = [
            "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*",
            "cpe:2.3:a:python:python:3.13.0:rc1:*:*:*:*:*:*",
            "cpe:2.3:h:netapp:h300s:-:*:*:*:*:*:*:*",
        ]
        .iter()
        .filter_map(|c| CpeName::parse(c).ok())
        .collect();
        for t in &targets {
            let _ = cpe_match::evaluate(&advisory.configurations, t, &targets);
        }
    }

    if !advisory.products.is_empty() {
        let git = GitRepos::new();
        for v in ["0", "3.12.4", "3.13.0rc1", "1.1.1zb", "1:1.2-3", ""] {
            let _ = cve5::evaluate(advisory, |_| true, v, &git);
        }
        for p in &advisory.products {
            let _ = cve5::product_keys(p);
            let _ = cve5::product_repo(p);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match parse_file(data) {
        Ok(Parsed::Record(advisory)) => check(&advisory),
        Ok(Parsed::Records(list)) => list.iter().for_each(check),
        Ok(Parsed::NotARecord(_)) => {}
        Err(m) => assert!(m.pointer.is_empty() || m.pointer.starts_with('/'), "{m:?}"),
    }
});
