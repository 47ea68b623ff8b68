//! BSI TR-03183-2 v2.1.0 (August 2025): the SBOM and component data fields, on CycloneDX 1.6
//! and later, the only JSON form of SBOM bomsmith judges that v2.1.0 accepts.
//!
//! Where each field lives in CycloneDX follows the TR's own mapping table (Appendix 8.2) and
//! the BSI CycloneDX property taxonomy (`bsi:component:*`). Required fields (§5.2.1 for the
//! SBOM, §5.2.2 for each component) are errors. The additional fields of §5.2.3 and §5.2.4
//! ("MUST be provided if they exist") are warnings: whether a source URI or a CPE exists is
//! not something a document can tell. The optional fields of §5.2.5 are not asked for.

use super::{Sink, array_at, child, item, str_at};
use crate::format::Kind;
use serde_json::Value;
use std::collections::HashSet;

crate::rules! {
    RULES, "bsi-2.1", "docs/validate.md";
    FORMAT = "BSI101", "bsi21-format", Error,
        "TR-03183-2 v2.1.0 §4: the SBOM must be CycloneDX 1.6 or later or SPDX 3.0.1 or later; SPDX 2 and CycloneDX before 1.6 are not accepted (one finding; the fields are then not judged).";
    SBOM_CREATOR = "BSI102", "bsi21-sbom-creator", Error,
        "TR-03183-2 v2.1.0 §5.2.1: the creator of the SBOM, with an email address or URL (CycloneDX: `metadata.manufacturer` with a `url` or a contact `email`, or `metadata.authors[].email`).";
    TIMESTAMP = "BSI103", "bsi21-timestamp", Error,
        "TR-03183-2 v2.1.0 §5.2.1: the date and time the SBOM was compiled (CycloneDX: `metadata.timestamp`).";
    COMPONENT_CREATOR = "BSI104", "bsi21-component-creator", Error,
        "TR-03183-2 v2.1.0 §5.2.2: every component's creator, with an email address or URL (CycloneDX: the component's `manufacturer` with a `url` or a contact `email`, or `authors[].email`).";
    COMPONENT_NAME = "BSI105", "bsi21-component-name", Error,
        "TR-03183-2 v2.1.0 §5.2.2: every component's name.";
    COMPONENT_VERSION = "BSI106", "bsi21-component-version", Error,
        "TR-03183-2 v2.1.0 §5.2.2: every component's version.";
    FILENAME = "BSI107", "bsi21-filename", Error,
        "TR-03183-2 v2.1.0 §5.2.2: the file name of every component's deployable form (CycloneDX property `bsi:component:filename`, once, not empty).";
    DEPENDENCIES = "BSI108", "bsi21-dependencies", Error,
        "TR-03183-2 v2.1.0 §5.2.2: every component's dependencies on other components (CycloneDX: the component is in the `dependencies` graph, is nested in another component, or is the metadata component).";
    COMPLETENESS = "BSI109", "bsi21-dependency-completeness", Error,
        "TR-03183-2 v2.1.0 §5.2.2: the completeness of every component's dependency enumeration (CycloneDX: a `compositions` entry listing the component's bom-ref under `dependencies` or `assemblies`, with an `aggregate` other than `not_specified`).";
    DISTRIBUTION_LICENCE = "BSI110", "bsi21-distribution-licence", Error,
        "TR-03183-2 v2.1.0 §5.2.2 and §6.1: every component's distribution licences, as the SBOM creator concludes them (CycloneDX: a `licenses` entry with `acknowledgement` `concluded`).";
    DEPLOYABLE_HASH = "BSI111", "bsi21-deployable-hash", Error,
        "TR-03183-2 v2.1.0 §5.2.2: a SHA-512 hash of every component's deployable form (CycloneDX: the `distribution` external reference's `hashes`, or the component's own `hashes`).";
    EXECUTABLE = "BSI112", "bsi21-executable", Error,
        "TR-03183-2 v2.1.0 §5.2.2: every component says whether it is executable (CycloneDX property `bsi:component:executable`, once: `executable` or `non-executable`).";
    ARCHIVE = "BSI113", "bsi21-archive", Error,
        "TR-03183-2 v2.1.0 §5.2.2: every component says whether it is an archive (CycloneDX property `bsi:component:archive`, once: `archive` or `no archive`).";
    STRUCTURED = "BSI114", "bsi21-structured", Error,
        "TR-03183-2 v2.1.0 §5.2.2: every component says whether it is structured (CycloneDX property `bsi:component:structured`, once: `structured` or `unstructured`).";
    SBOM_URI = "BSI115", "bsi21-sbom-uri", Warning,
        "TR-03183-2 v2.1.0 §5.2.3: the SBOM-URI, when there is one (CycloneDX: `serialNumber`, which with `version` makes the BOM-Link).";
    SOURCE_URI = "BSI116", "bsi21-source-uri", Warning,
        "TR-03183-2 v2.1.0 §5.2.4: the URI of a component's source code, when there is one (CycloneDX: an external reference of type `source-distribution`).";
    DEPLOYABLE_URI = "BSI117", "bsi21-deployable-uri", Warning,
        "TR-03183-2 v2.1.0 §5.2.4: the URI of a component's deployable form, when there is one (CycloneDX: an external reference of type `distribution`).";
    OTHER_IDENTIFIERS = "BSI118", "bsi21-other-identifiers", Warning,
        "TR-03183-2 v2.1.0 §5.2.4: a component's other unique identifiers, when there are some (CycloneDX: `cpe`, `swid` or `purl`).";
    ORIGINAL_LICENCE = "BSI119", "bsi21-original-licence", Warning,
        "TR-03183-2 v2.1.0 §5.2.4 and §6.1: a component's original licences, as its creator declares them, when known (CycloneDX: a `licenses` entry with `acknowledgement` `declared`).";
}

/// The property names of the BSI CycloneDX taxonomy, with the values each may take.
const FLAGS: [(&Rule, &str, [&str; 2]); 3] = [
    (
        &EXECUTABLE,
        "bsi:component:executable",
        ["executable", "non-executable"],
    ),
    (&ARCHIVE, "bsi:component:archive", ["archive", "no archive"]),
    (
        &STRUCTURED,
        "bsi:component:structured",
        ["structured", "unstructured"],
    ),
];

use crate::diag::Rule;

fn contact(s: &str) -> bool {
    let s = s.trim();
    (s.contains('@') && !s.contains(char::is_whitespace)) || s.contains("://")
}

/// An `organizationalEntity` with a URL or a contact's email.
fn entity_contact(v: Option<&Value>) -> bool {
    let Some(v) = v else { return false };
    array_at(v, "url")
        .iter()
        .filter_map(Value::as_str)
        .any(contact)
        || array_at(v, "contact")
            .iter()
            .any(|c| str_at(c, "email").is_some_and(contact))
}

/// `organizationalContact`s of which one has an email.
fn authors_contact(v: Option<&Value>) -> bool {
    v.and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|c| str_at(c, "email").is_some_and(contact)))
}

fn present(s: Option<&str>) -> bool {
    s.is_some_and(|s| !s.trim().is_empty())
}

/// One component as v2.1.0 judges it: any component but a file, at any depth.
struct Component<'v> {
    pointer: String,
    value: &'v Value,
    /// The metadata component, or nested in a component that is not a file.
    placed: bool,
}

fn walk<'v>(c: &'v Value, pointer: String, placed: bool, out: &mut Vec<Component<'v>>) {
    let file = str_at(c, "type") == Some("file");
    for (i, sub) in array_at(c, "components").iter().enumerate() {
        walk(sub, item(&child(&pointer, "components"), i), !file, out);
    }
    if !file {
        out.push(Component {
            pointer,
            value: c,
            placed,
        });
    }
}

/// The stated CycloneDX minor version (`1.6` → 6).
fn cyclonedx_minor(doc: &Value) -> Option<u32> {
    str_at(doc, "specVersion")?.strip_prefix("1.")?.parse().ok()
}

/// Checks `doc` against TR-03183-2 v2.1.0.
pub fn check(kind: Kind, doc: &Value, sink: &mut Sink) {
    match kind {
        Kind::Spdx => {
            let v = str_at(doc, "spdxVersion").unwrap_or("SPDX 2");
            sink.report(
                &FORMAT,
                "/spdxVersion",
                format!(
                    "TR-03183-2 v2.1.0 does not accept {v}: it asks for SPDX 3.0.1 or later or CycloneDX 1.6 or later (`bomsmith convert --to cyclonedx-json` makes CycloneDX 1.6 of it)"
                ),
            );
            return;
        }
        Kind::CycloneDx => {
            let stated = str_at(doc, "specVersion").unwrap_or("");
            if cyclonedx_minor(doc).is_some_and(|m| m < 6) {
                sink.report(
                    &FORMAT,
                    "/specVersion",
                    format!("TR-03183-2 v2.1.0 does not accept CycloneDX {stated}: it asks for CycloneDX 1.6 or later"),
                );
                return;
            }
        }
    }
    let meta = doc.get("metadata");
    let m = |k: &str| meta.and_then(|m| m.get(k));
    if !entity_contact(m("manufacturer")) && !authors_contact(m("authors")) {
        sink.report(
            &SBOM_CREATOR,
            if meta.is_some() { "/metadata" } else { "" },
            "the SBOM's creator is not given with an email address or URL (metadata.manufacturer url or contact email, or an author's email)".into(),
        );
    }
    if !present(m("timestamp").and_then(Value::as_str)) {
        sink.report(
            &TIMESTAMP,
            if meta.is_some() { "/metadata" } else { "" },
            "the SBOM has no metadata.timestamp".into(),
        );
    }
    if !present(str_at(doc, "serialNumber")) {
        sink.report(
            &SBOM_URI,
            "",
            "the SBOM has no serialNumber, so no SBOM-URI (BOM-Link)".into(),
        );
    }

    let mut graph: HashSet<&str> = HashSet::new();
    for d in array_at(doc, "dependencies") {
        graph.extend(str_at(d, "ref"));
        graph.extend(array_at(d, "dependsOn").iter().filter_map(Value::as_str));
    }
    let mut stated: HashSet<&str> = HashSet::new();
    for c in array_at(doc, "compositions") {
        if matches!(str_at(c, "aggregate"), None | Some("not_specified")) {
            continue;
        }
        for key in ["dependencies", "assemblies"] {
            stated.extend(array_at(c, key).iter().filter_map(Value::as_str));
        }
    }

    let mut components = Vec::new();
    if let Some(root) = m("component") {
        walk(root, "/metadata/component".into(), true, &mut components);
    }
    for (i, c) in array_at(doc, "components").iter().enumerate() {
        walk(c, item("/components", i), false, &mut components);
    }
    for c in &components {
        check_component(c, &graph, &stated, sink);
    }
}

fn check_component(
    c: &Component<'_>,
    graph: &HashSet<&str>,
    stated: &HashSet<&str>,
    sink: &mut Sink,
) {
    let v = c.value;
    let label = match str_at(v, "name") {
        Some(n) => format!("`{n}`"),
        None => format!("at {}", c.pointer),
    };
    let mut report = |rule: &'static Rule, what: String| {
        sink.report(rule, c.pointer.clone(), format!("component {label} {what}"));
    };
    if !entity_contact(v.get("manufacturer")) && !authors_contact(v.get("authors")) {
        report(
            &COMPONENT_CREATOR,
            "has no creator with an email address or URL (manufacturer url or contact email, or an author's email)".into(),
        );
    }
    if !present(str_at(v, "name")) {
        report(&COMPONENT_NAME, "has no name".into());
    }
    if !present(str_at(v, "version")) {
        report(&COMPONENT_VERSION, "has no version".into());
    }
    let values = |name: &str| -> Vec<&str> {
        array_at(v, "properties")
            .iter()
            .filter(|p| str_at(p, "name") == Some(name))
            .map(|p| str_at(p, "value").unwrap_or(""))
            .collect()
    };
    match values(crate::format::cyclonedx::FILENAME_PROPERTY).as_slice() {
        [f] if present(Some(*f)) => {}
        [] => report(&FILENAME, "has no property bsi:component:filename".into()),
        [_] => report(&FILENAME, "has an empty bsi:component:filename".into()),
        more => report(
            &FILENAME,
            format!(
                "has bsi:component:filename {} times; once is allowed",
                more.len()
            ),
        ),
    }
    let bom_ref = str_at(v, "bom-ref");
    if !c.placed && !bom_ref.is_some_and(|r| graph.contains(r)) {
        report(
            &DEPENDENCIES,
            "is not in the dependency graph (dependencies) and not nested in another component"
                .into(),
        );
    }
    if !bom_ref.is_some_and(|r| stated.contains(r)) {
        report(
            &COMPLETENESS,
            "has no statement of the completeness of its dependencies (a compositions entry listing its bom-ref, with an aggregate)".into(),
        );
    }
    let acks: Vec<&str> = array_at(v, "licenses")
        .iter()
        .filter_map(|l| {
            str_at(l, "acknowledgement")
                .or_else(|| l.get("license").and_then(|x| str_at(x, "acknowledgement")))
        })
        .collect();
    if !acks.contains(&"concluded") {
        report(
            &DISTRIBUTION_LICENCE,
            "has no distribution licence (a licenses entry acknowledged `concluded`)".into(),
        );
    }
    if !acks.contains(&"declared") {
        report(
            &ORIGINAL_LICENCE,
            "has no original licence (a licenses entry acknowledged `declared`)".into(),
        );
    }
    let sha512 = |hashes: &[Value]| {
        hashes
            .iter()
            .any(|h| str_at(h, "alg") == Some("SHA-512") && present(str_at(h, "content")))
    };
    let refs = array_at(v, "externalReferences");
    let of_type = |t: &'static str| -> Vec<&Value> {
        refs.iter()
            .filter(|r| str_at(r, "type") == Some(t) && present(str_at(r, "url")))
            .collect()
    };
    let hashed = sha512(array_at(v, "hashes"))
        || of_type("distribution")
            .iter()
            .any(|r| sha512(array_at(r, "hashes")));
    if !hashed {
        report(
            &DEPLOYABLE_HASH,
            "has no SHA-512 hash of its deployable form".into(),
        );
    }
    for (rule, name, allowed) in FLAGS {
        match values(name).as_slice() {
            [value] if allowed.contains(value) => {}
            [] => report(rule, format!("has no property {name}")),
            [value] => report(
                rule,
                format!(
                    "has {name} `{value}`; it must be `{}` or `{}`",
                    allowed[0], allowed[1]
                ),
            ),
            more => report(
                rule,
                format!("has {name} {} times; exactly once is required", more.len()),
            ),
        }
    }
    if of_type("source-distribution").is_empty() {
        report(
            &SOURCE_URI,
            "has no source code URI (an external reference of type source-distribution)".into(),
        );
    }
    if of_type("distribution").is_empty() {
        report(
            &DEPLOYABLE_URI,
            "has no URI of its deployable form (an external reference of type distribution)".into(),
        );
    }
    if !["cpe", "purl"].iter().any(|k| present(str_at(v, k))) && v.get("swid").is_none() {
        report(
            &OTHER_IDENTIFIERS,
            "has no other unique identifier (cpe, swid or purl)".into(),
        );
    }
}
