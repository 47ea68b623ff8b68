//! Any bytes as a build script's table of file rules (CPython's `PACKAGE_TO_FILES`), read as
//! data: nothing may panic or hang, every refusal names a line and column inside the text, and
//! every rule read points into the text it came from.
#![no_main]

use bomsmith::config::{Config, RulesSource};
use bomsmith::pyliteral;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let lines = text.matches('\n').count() + 1;
        for result in [
            pyliteral::parse(text).map(Some),
            pyliteral::assignment(text, "PACKAGE_TO_FILES"),
        ] {
            match result {
                Ok(Some(node)) => assert!(node.offset <= text.len()),
                Ok(None) => {}
                Err(e) => assert!(
                    e.line >= 1 && e.line <= lines && e.column >= 1,
                    "{e} outside the text"
                ),
            }
        }
    }
    let mut config = Config::preset("cpython").expect("bundled preset");
    let bytes = data.to_vec();
    let said = config.apply_tree_rules(&|_| Some(Ok(bytes.clone())));
    assert_eq!(said.len(), 1);
    match &said[0] {
        RulesSource::Tree { components, .. } => {
            let sbom = &config.in_tree_sbom[0];
            assert_eq!(sbom.component.len(), *components);
            for c in &sbom.component {
                assert!(!c.include.is_empty());
                for g in c.include.iter().chain(&c.exclude).chain([&c.name]) {
                    assert!(g.span().start < data.len(), "a rule outside the text");
                }
            }
        }
        RulesSource::Bundled { unreadable, .. } => {
            let why = unreadable.as_deref().expect("the file was given");
            assert!(
                why.starts_with("Tools/build/generate_sbom.py"),
                "a refusal that does not name the file: {why}"
            );
        }
    }
});
