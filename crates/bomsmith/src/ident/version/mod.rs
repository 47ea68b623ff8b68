//! TEMPORARY STUB (replaced by the `ver` branch at merge).
#![allow(missing_docs)]
use std::cmp::Ordering;
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    Pep440,
    Semver,
    Debian,
    Rpm,
    Generic,
}
impl Scheme {
    pub fn for_ecosystem(e: &str) -> Scheme {
        match e.split(':').next().unwrap_or("") {
            "PyPI" => Scheme::Pep440,
            "npm" | "crates.io" | "Go" => Scheme::Semver,
            "Debian" | "Ubuntu" => Scheme::Debian,
            _ => Scheme::Generic,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Pep440 => "PEP 440",
            Scheme::Semver => "SemVer",
            Scheme::Debian => "Debian",
            Scheme::Rpm => "RPM",
            Scheme::Generic => "generic",
        }
    }
}
#[derive(Clone, Debug)]
pub struct Version {
    scheme: Scheme,
    text: String,
    parts: Vec<u64>,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotEvaluable {
    pub scheme: Scheme,
    pub text: String,
    pub reason: String,
}
impl std::fmt::Display for NotEvaluable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a {} version: {}",
            self.text,
            self.scheme.name(),
            self.reason
        )
    }
}
impl std::error::Error for NotEvaluable {}
pub fn parse(scheme: Scheme, text: &str) -> Result<Version, NotEvaluable> {
    let parts: Option<Vec<u64>> = text.split('.').map(|p| p.parse().ok()).collect();
    match parts {
        Some(parts) if !text.is_empty() => Ok(Version {
            scheme,
            text: text.into(),
            parts,
        }),
        _ => Err(NotEvaluable {
            scheme,
            text: text.into(),
            reason: "stub".into(),
        }),
    }
}
impl Version {
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
    pub fn as_str(&self) -> &str {
        &self.text
    }
    pub fn is_lenient(&self) -> bool {
        false
    }
    pub fn compare(&self, o: &Version) -> Option<Ordering> {
        if self.scheme != o.scheme {
            return None;
        }
        let n = self.parts.len().max(o.parts.len());
        for i in 0..n {
            let a = self.parts.get(i).copied().unwrap_or(0);
            let b = o.parts.get(i).copied().unwrap_or(0);
            if a != b {
                return Some(a.cmp(&b));
            }
        }
        Some(Ordering::Equal)
    }
}
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, NotEvaluable> {
    let a = parse(scheme, a)?;
    let b = parse(scheme, b)?;
    Ok(a.compare(&b).unwrap_or(Ordering::Equal))
}
