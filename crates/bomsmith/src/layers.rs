//! The layering rule, checked: each stage imports only the stages below it.
//!
//! Every source file belongs to a top-level module; every `crate::X` path in its code (comments
//! aside) names the module `X` it uses. A module may use itself and the modules listed before
//! it in [`ORDER`], never one after it. `cargo nextest run -p bomsmith layers` runs the check.

/// The modules, lowest first: the order of the pipeline and of `lib.rs`.
const ORDER: &[&str] = &[
    "model",
    "json",
    "pyliteral",
    "error",
    "ident",
    "glob",
    "spec",
    "diag",
    "output",
    "format",
    "input",
    "digest",
    "inventory",
    "detect",
    "config",
    "assemble",
    "crosscheck",
    "scan",
    "validate",
    "intree",
    "diff",
    "vuln",
    "vex",
];

/// The top-level modules a line of code names through `crate::` paths (`crate::a::b`,
/// `crate::{a, b::c}`).
fn used_modules(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        // `$crate::` (a macro's own crate) counts the same.
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                    _ => item.push(c),
                }
            }
            items.push(item);
            out.extend(items.iter().filter_map(|i| head(i.trim())));
        } else if let Some(h) = head(rest) {
            out.push(h);
        }
    }
    out
}

/// The module the leading identifier of a path belongs to: itself, or for what the crate root
/// re-exports (`crate::Result`, the `crate::rules!` macro) the module that defines it.
fn head(path: &str) -> Option<String> {
    let ident: String = path
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let module = match ident.as_str() {
        "" => return None,
        "Result" | "Error" => "error",
        "rules" => "diag",
        other => other,
    };
    Some(module.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn paths_are_read() {
        assert_eq!(
            used_modules("use crate::diag::{Diagnostic, Location};"),
            ["diag"]
        );
        assert_eq!(
            used_modules("use crate::{model::Document, input::{self, X}};"),
            ["model", "input"]
        );
        assert_eq!(
            used_modules("let x = crate::spec::license_list_version(); // crate::scan"),
            ["spec"]
        );
        assert_eq!(used_modules("$crate::diag::Rule"), ["diag"]);
    }

    #[test]
    fn no_module_imports_a_later_stage() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        files.sort();
        let rank = |m: &str| ORDER.iter().position(|o| *o == m);
        let mut seen_modules = std::collections::BTreeSet::new();
        let mut violations = Vec::new();
        for file in &files {
            let rel = file.strip_prefix(&src).expect("under src");
            let first = rel
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .expect("utf-8")
                .trim_end_matches(".rs")
                .to_owned();
            if first == "lib" || first == "layers" {
                continue;
            }
            let own =
                rank(&first).unwrap_or_else(|| panic!("{} is in no stage of ORDER", rel.display()));
            seen_modules.insert(first.clone());
            let text = std::fs::read_to_string(file).expect("source is UTF-8");
            for (n, line) in text.lines().enumerate() {
                let trimmed = line.trim_start();
                if trimmed.starts_with("//") {
                    continue;
                }
                for used in used_modules(line) {
                    match rank(&used) {
                        Some(r) if r > own => violations.push(format!(
                            "src/{}:{}: {first} uses crate::{used}, a later stage",
                            rel.display(),
                            n + 1
                        )),
                        Some(_) => {}
                        None => violations.push(format!(
                            "src/{}:{}: crate::{used} is in no stage of ORDER",
                            rel.display(),
                            n + 1
                        )),
                    }
                }
            }
        }
        assert!(violations.is_empty(), "{}", violations.join("\n"));
        // Every stage of ORDER exists, so the list stays true.
        for m in ORDER {
            assert!(seen_modules.contains(*m), "{m} is in ORDER but not in src/");
        }
    }
}
