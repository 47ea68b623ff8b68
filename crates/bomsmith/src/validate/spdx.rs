//! SPDX 2.3 JSON: the semantic rules of the specification that its JSON schema does not say.

use super::{Sink, array_at, child, item, str_at};
use crate::model::Algorithm;
use crate::spec::Spec;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

crate::rules! {
    RULES, "spdx", "docs/validate.md";
    SCHEMA = "SPDX001", "spdx-schema", Error,
        "The document breaks the official SPDX 2.3 JSON schema.";
    SPDX_VERSION = "SPDX002", "spdx-version", Error,
        "`spdxVersion` must be `SPDX-2.3` for an SPDX 2.3 document.";
    DATA_LICENSE = "SPDX003", "data-license", Error,
        "`dataLicense` must be `CC0-1.0`.";
    NAMESPACE = "SPDX004", "document-namespace", Error,
        "`documentNamespace` must be an absolute URI without a `#` part.";
    CREATED = "SPDX005", "created-timestamp", Error,
        "`creationInfo.created` must be a UTC timestamp `YYYY-MM-DDThh:mm:ssZ`.";
    CREATORS = "SPDX006", "creators", Error,
        "`creationInfo.creators` must be a non-empty array of `Tool: …`, `Person: …` or `Organization: …` strings.";
    LICENSE_LIST_VERSION = "SPDX007", "license-list-version", Error,
        "`licenseListVersion` must be `MAJOR.MINOR` (as `3.27`, not `3.27.0`).";
    DUPLICATE_ID = "SPDX008", "duplicate-spdxid", Error,
        "Two elements have the same SPDXID.";
    DANGLING_REFERENCE = "SPDX009", "dangling-reference", Error,
        "A relationship, `documentDescribes`, `hasFiles` or `snippetFromFile` names an element that is not in the document (nor a declared external document).";
    NO_DESCRIBES = "SPDX010", "no-describes", Error,
        "The document describes nothing: no DESCRIBES relationship from it and no `documentDescribes`.";
    FILE_SHA1 = "SPDX011", "file-without-sha1", Error,
        "Every file must have a SHA1 checksum.";
    VERIFICATION_CODE_MISSING = "SPDX012", "verification-code-missing", Error,
        "A package whose files were analysed (`filesAnalyzed` true or absent) must have `packageVerificationCode`.";
    VERIFICATION_CODE_WRONG = "SPDX013", "verification-code-mismatch", Warning,
        "`packageVerificationCodeValue` is not the SHA1 of the sorted SHA1s of the package's files listed in the document (excluded files left out). A warning, because a document may list only some of a package's files, as the specification's own example does.";
    VERIFICATION_CODE_UNEXPECTED = "SPDX014", "verification-code-unexpected", Error,
        "A package with `filesAnalyzed: false` must not have `packageVerificationCode`.";
    CHECKSUM_FORM = "SPDX015", "checksum-form", Error,
        "A checksum value must be lower-case hex of the algorithm's length.";
    LICENSE_EXPRESSION = "SPDX016", "spdx-license-expression", Error,
        "A license field must be NONE, NOASSERTION or a valid SPDX license expression over the SPDX license list.";
    LICENSE_REF_UNDECLARED = "SPDX017", "license-ref-undeclared", Error,
        "A `LicenseRef-` used in the document must be declared in `hasExtractedLicensingInfos`.";
    PURL = "SPDX018", "spdx-purl-malformed", Error,
        "A `purl` external reference must be a well-formed package URL.";
    CPE = "SPDX019", "cpe-malformed", Error,
        "A `cpe23Type` external reference must be a well-formed CPE 2.3 formatted string.";
    IDENTIFIER_VERSION = "SPDX020", "identifier-version-mismatch", Warning,
        "The version in a package's PURL or CPE differs from its `versionInfo` (a CPE version `*` or `-` says nothing).";
}

/// Checks `doc` (an SPDX document) and reports to `sink`.
pub fn check(_spec: Spec, doc: &Value, sink: &mut Sink) {
    if let Some(v) = str_at(doc, "dataLicense")
        && v != "CC0-1.0"
    {
        sink.report(
            &DATA_LICENSE,
            "/dataLicense",
            format!("dataLicense is `{v}`, it must be `CC0-1.0`"),
        );
    }
    if let Some(ns) = str_at(doc, "documentNamespace")
        && let Err(why) = absolute_uri(ns)
    {
        sink.report(
            &NAMESPACE,
            "/documentNamespace",
            format!("documentNamespace `{ns}` {why}"),
        );
    }
    check_creation_info(doc, sink);
    let licenses = Licenses::of(doc);

    let ids = check_ids(doc, sink);
    let external: HashSet<&str> = array_at(doc, "externalDocumentRefs")
        .iter()
        .filter_map(|r| str_at(r, "externalDocumentId"))
        .collect();
    let known = |id: &str| {
        ids.contains_key(id)
            || id
                .split_once(':')
                .is_some_and(|(d, _)| d.starts_with("DocumentRef-") && external.contains(d))
    };
    let mut describes = false;
    for (i, id) in array_at(doc, "documentDescribes").iter().enumerate() {
        describes = true;
        if let Some(id) = id.as_str()
            && !known(id)
        {
            sink.report(
                &DANGLING_REFERENCE,
                item("/documentDescribes", i),
                format!("documentDescribes names {id}, which is not in the document"),
            );
        }
    }
    let doc_id = str_at(doc, "SPDXID").unwrap_or("SPDXRef-DOCUMENT");
    let mut contains: HashMap<&str, Vec<&str>> = HashMap::new();
    for (i, r) in array_at(doc, "relationships").iter().enumerate() {
        let at = item("/relationships", i);
        let kind = str_at(r, "relationshipType").unwrap_or("");
        let from = str_at(r, "spdxElementId");
        let to = str_at(r, "relatedSpdxElement");
        if let Some(from) = from
            && !known(from)
        {
            sink.report(
                &DANGLING_REFERENCE,
                child(&at, "spdxElementId"),
                format!("{kind} relationship from {from}, which is not in the document"),
            );
        }
        if let Some(to) = to
            && !matches!(to, "NONE" | "NOASSERTION")
            && !known(to)
        {
            sink.report(
                &DANGLING_REFERENCE,
                child(&at, "relatedSpdxElement"),
                format!("{kind} relationship to {to}, which is not in the document"),
            );
        }
        match (kind, from, to) {
            ("DESCRIBES", Some(f), _) if f == doc_id => describes = true,
            ("DESCRIBED_BY", _, Some(t)) if t == doc_id => describes = true,
            ("CONTAINS", Some(f), Some(t)) => contains.entry(f).or_default().push(t),
            ("CONTAINED_BY", Some(f), Some(t)) => contains.entry(t).or_default().push(f),
            _ => {}
        }
    }
    if !describes && doc.is_object() {
        sink.report(
            &NO_DESCRIBES,
            "",
            "the document describes nothing: add a DESCRIBES relationship from SPDXRef-DOCUMENT (or `documentDescribes`)".into(),
        );
    }

    let mut file_sha1: HashMap<&str, (&str, &str)> = HashMap::new();
    for (i, f) in array_at(doc, "files").iter().enumerate() {
        let at = item("/files", i);
        let name = str_at(f, "fileName").unwrap_or("(unnamed)");
        let sums = array_at(f, "checksums");
        check_checksums(sums, &at, sink);
        match sums
            .iter()
            .find(|c| str_at(c, "algorithm") == Some("SHA1"))
            .and_then(|c| str_at(c, "checksumValue"))
        {
            Some(v) => {
                if let Some(id) = str_at(f, "SPDXID") {
                    file_sha1.insert(id, (str_at(f, "fileName").unwrap_or(""), v));
                }
            }
            None if f.get("checksums").is_some() => sink.report(
                &FILE_SHA1,
                child(&at, "checksums"),
                format!("file {name} has no SHA1 checksum"),
            ),
            None => sink.report(
                &FILE_SHA1,
                at.clone(),
                format!("file {name} has no checksums, and SHA1 is required"),
            ),
        }
        licenses.field(f, "licenseConcluded", &at, sink);
        licenses.list(f, "licenseInfoInFiles", &at, sink);
    }
    for (i, s) in array_at(doc, "snippets").iter().enumerate() {
        let at = item("/snippets", i);
        if let Some(from) = str_at(s, "snippetFromFile")
            && !known(from)
        {
            sink.report(
                &DANGLING_REFERENCE,
                child(&at, "snippetFromFile"),
                format!("snippet from {from}, which is not in the document"),
            );
        }
        licenses.field(s, "licenseConcluded", &at, sink);
        licenses.list(s, "licenseInfoInSnippets", &at, sink);
    }
    let cx = Context {
        contains: &contains,
        file_sha1: &file_sha1,
        known: &known,
        licenses: &licenses,
    };
    for (i, p) in array_at(doc, "packages").iter().enumerate() {
        check_package(p, &item("/packages", i), &cx, sink);
    }
}

fn check_creation_info(doc: &Value, sink: &mut Sink) {
    let Some(ci) = doc.get("creationInfo").filter(|c| c.is_object()) else {
        return;
    };
    if let Some(created) = ci.get("created") {
        match created.as_str() {
            Some(c) if utc_timestamp(c) => {}
            _ => sink.report(
                &CREATED,
                "/creationInfo/created",
                format!("created is {created}, not a timestamp like 2024-01-31T12:00:00Z"),
            ),
        }
    }
    match ci.get("creators") {
        None => {}
        Some(Value::Array(list)) if !list.is_empty() => {
            for (i, c) in list.iter().enumerate() {
                let ok = c.as_str().is_some_and(|c| {
                    ["Tool:", "Person:", "Organization:"].iter().any(|p| {
                        c.strip_prefix(p)
                            .is_some_and(|rest| !rest.trim().is_empty())
                    })
                });
                if !ok {
                    sink.report(
                        &CREATORS,
                        item("/creationInfo/creators", i),
                        format!(
                            "creator {c} is not `Tool: name`, `Person: name` or `Organization: name`"
                        ),
                    );
                }
            }
        }
        Some(other) => sink.report(
            &CREATORS,
            "/creationInfo/creators",
            format!(
                "creators is {}, it must be a non-empty array of strings",
                crate::json::kind_name(other)
            ),
        ),
    }
    if let Some(v) = ci.get("licenseListVersion") {
        let ok = v.as_str().is_some_and(|s| {
            s.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && b.bytes().all(|c| c.is_ascii_digit())
            })
        });
        if !ok {
            sink.report(
                &LICENSE_LIST_VERSION,
                "/creationInfo/licenseListVersion",
                format!("licenseListVersion is {v}; it must be MAJOR.MINOR, as \"3.27\""),
            );
        }
    }
}

/// Every element's SPDXID → its pointer; duplicates reported.
fn check_ids<'v>(doc: &'v Value, sink: &mut Sink) -> HashMap<&'v str, String> {
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut add = |id: Option<&'v str>, at: String, sink: &mut Sink| {
        let Some(id) = id else { return };
        if let Some(first) = ids.get(id) {
            sink.report(
                &DUPLICATE_ID,
                child(&at, "SPDXID"),
                format!("SPDXID {id} is already used at {first}"),
            );
        } else {
            ids.insert(id, at);
        }
    };
    add(str_at(doc, "SPDXID"), String::new(), sink);
    for key in ["packages", "files", "snippets"] {
        for (i, e) in array_at(doc, key).iter().enumerate() {
            add(str_at(e, "SPDXID"), item(&format!("/{key}"), i), sink);
        }
    }
    ids
}

/// What the package checks need from the rest of the document.
struct Context<'a, 'v> {
    /// Package ID → the files CONTAINS relationships give it.
    contains: &'a HashMap<&'v str, Vec<&'v str>>,
    /// File ID → (file name, SHA1).
    file_sha1: &'a HashMap<&'v str, (&'v str, &'v str)>,
    known: &'a dyn Fn(&str) -> bool,
    licenses: &'a Licenses<'v>,
}

fn check_package(p: &Value, at: &str, cx: &Context<'_, '_>, sink: &mut Sink) {
    let Context {
        contains,
        file_sha1,
        known,
        licenses,
    } = *cx;
    let name = str_at(p, "name").unwrap_or("(unnamed)");
    let id = str_at(p, "SPDXID").unwrap_or("");
    check_checksums(array_at(p, "checksums"), at, sink);
    for (i, f) in array_at(p, "hasFiles").iter().enumerate() {
        if let Some(f) = f.as_str()
            && !known(f)
        {
            sink.report(
                &DANGLING_REFERENCE,
                item(&child(at, "hasFiles"), i),
                format!("package {name} has file {f}, which is not in the document"),
            );
        }
    }
    let analyzed = p
        .get("filesAnalyzed")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let code = p.get("packageVerificationCode");
    match (analyzed, code) {
        (true, None) => sink.report(
            &VERIFICATION_CODE_MISSING,
            at.to_owned(),
            format!(
                "package {name} has filesAnalyzed {} but no packageVerificationCode",
                if p.get("filesAnalyzed").is_some() {
                    "true"
                } else {
                    "absent (true)"
                }
            ),
        ),
        (false, Some(_)) => sink.report(
            &VERIFICATION_CODE_UNEXPECTED,
            child(at, "packageVerificationCode"),
            format!("package {name} has filesAnalyzed false but a packageVerificationCode"),
        ),
        (true, Some(code)) => {
            let Some(value) = str_at(code, "packageVerificationCodeValue") else {
                return;
            };
            let excluded: HashSet<&str> = array_at(code, "packageVerificationCodeExcludedFiles")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let mut members: Vec<&str> = array_at(p, "hasFiles")
                .iter()
                .filter_map(Value::as_str)
                .chain(contains.get(id).into_iter().flatten().copied())
                .collect();
            members.sort_unstable();
            members.dedup();
            let mut sums: Vec<String> = members
                .iter()
                .filter_map(|f| file_sha1.get(f))
                .filter(|(name, _)| !excluded.contains(name))
                .map(|(_, sha1)| sha1.to_ascii_lowercase())
                .collect();
            let want = crate::digest::verification_code(&mut sums);
            if !value.eq_ignore_ascii_case(&want) {
                sink.report(
                    &VERIFICATION_CODE_WRONG,
                    child(&child(at, "packageVerificationCode"), "packageVerificationCodeValue"),
                    format!(
                        "package {name} has verification code {value}, but the {} file{} the document lists for it give {want}",
                        sums.len(),
                        if sums.len() == 1 { "" } else { "s" }
                    ),
                );
            }
        }
        (false, None) => {}
    }
    for key in ["licenseConcluded", "licenseDeclared"] {
        licenses.field(p, key, at, sink);
    }
    licenses.list(p, "licenseInfoFromFiles", at, sink);
    let version = str_at(p, "versionInfo");
    for (i, r) in array_at(p, "externalRefs").iter().enumerate() {
        let ref_at = child(&item(&child(at, "externalRefs"), i), "referenceLocator");
        let Some(locator) = str_at(r, "referenceLocator") else {
            continue;
        };
        let (kind, rule, found) = match str_at(r, "referenceType") {
            Some("purl") => (
                "PURL",
                &PURL,
                crate::ident::parse_purl(locator).map(|p| p.version),
            ),
            Some("cpe23Type") => (
                "CPE",
                &CPE,
                crate::ident::parse_cpe23(locator)
                    .map(|c| Some(c.version().replace('\\', "")).filter(|v| v != "*" && v != "-")),
            ),
            _ => continue,
        };
        match (found, version) {
            (Err(why), _) => sink.report(
                rule,
                ref_at,
                format!("{kind} `{locator}` of package {name} is malformed: {why}"),
            ),
            (Ok(Some(found)), Some(v)) if found != v => sink.report(
                &IDENTIFIER_VERSION,
                ref_at,
                format!("{kind} `{locator}` names version {found}, but package {name} is {v}"),
            ),
            _ => {}
        }
    }
}

fn check_checksums(sums: &[Value], at: &str, sink: &mut Sink) {
    for (i, c) in sums.iter().enumerate() {
        let (Some(alg), Some(value)) = (str_at(c, "algorithm"), str_at(c, "checksumValue")) else {
            continue;
        };
        let Some(len) = Algorithm::from_name(alg).and_then(Algorithm::hex_len) else {
            continue;
        };
        let hex = value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if value.len() != len || !hex {
            sink.report(
                &CHECKSUM_FORM,
                child(&item(&child(at, "checksums"), i), "checksumValue"),
                format!("{alg} checksum `{value}` is not {len} lower-case hex digits"),
            );
        }
    }
}

/// The license fields' checker: each expression is parsed once, for its syntax and for the
/// `LicenseRef-`s it uses, which `hasExtractedLicensingInfos` must declare.
struct Licenses<'v> {
    declared: HashSet<&'v str>,
}

impl<'v> Licenses<'v> {
    fn of(doc: &'v Value) -> Self {
        Licenses {
            declared: array_at(doc, "hasExtractedLicensingInfos")
                .iter()
                .filter_map(|l| str_at(l, "licenseId"))
                .collect(),
        }
    }

    fn field(&self, v: &Value, key: &str, at: &str, sink: &mut Sink) {
        if let Some(e) = v.get(key) {
            self.value(e, &child(at, key), sink);
        }
    }

    fn list(&self, v: &Value, key: &str, at: &str, sink: &mut Sink) {
        for (j, e) in array_at(v, key).iter().enumerate() {
            self.value(e, &item(&child(at, key), j), sink);
        }
    }

    fn value(&self, e: &Value, at: &str, sink: &mut Sink) {
        let Some(text) = e.as_str() else {
            return;
        };
        let expr = match crate::spec::license_expression(text) {
            Ok(Some(expr)) => expr,
            Ok(None) => return,
            Err(why) => {
                sink.report(
                    &LICENSE_EXPRESSION,
                    at.to_owned(),
                    format!("license `{text}` is not a valid SPDX license expression: {why}"),
                );
                return;
            }
        };
        for req in expr.requirements() {
            if let spdx::LicenseItem::Other(r) = &req.req.license
                && r.doc_ref.is_none()
            {
                let id = format!("LicenseRef-{}", r.lic_ref);
                if !self.declared.contains(id.as_str()) {
                    sink.report(
                        &LICENSE_REF_UNDECLARED,
                        at.to_owned(),
                        format!("{id} is used but not declared in hasExtractedLicensingInfos"),
                    );
                }
            }
        }
    }
}

/// `Ok` for an absolute URI (scheme, then `:`, then something) with no fragment.
fn absolute_uri(s: &str) -> Result<(), &'static str> {
    let Some((scheme, rest)) = s.split_once(':') else {
        return Err("is not an absolute URI (no scheme)");
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return Err("is not an absolute URI");
    }
    if s.contains('#') {
        return Err("has a `#` part, which the namespace must not have");
    }
    if s.chars().any(|c| c.is_whitespace()) {
        return Err("has white space, which a URI cannot have");
    }
    Ok(())
}

/// `YYYY-MM-DDThh:mm:ssZ` with plausible field values.
pub fn utc_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 20 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(99);
    digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b'Z'
        && (1..=12).contains(&num(5..7))
        && (1..=31).contains(&num(8..10))
        && num(11..13) < 24
        && num(14..16) < 60
        && num(17..19) < 61
}
