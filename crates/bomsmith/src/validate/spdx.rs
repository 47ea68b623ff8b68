//! SPDX 2.3 JSON: the semantic rules of the specification that its JSON schema does not say.

use super::{Sink, array_at, child, item, str_at};
use crate::model::Algorithm;
use crate::spec::Spec;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

crate::rules! {
    RULES, "spdx", "docs/validate.md";
    SCHEMA = "SPDX001", "spdx-schema", Error,
        "The document breaks the official JSON schema of the SPDX version it states (2.2 or 2.3).";
    SPDX_VERSION = "SPDX002", "spdx-version", Error,
        "`spdxVersion` must be a version bomsmith judges: `SPDX-2.2` or `SPDX-2.3`.";
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
        "A document with more than one package, or with files not in a package, must say what it describes (a DESCRIBES relationship from it, DESCRIBED_BY to it, or `documentDescribes`).";
    FILE_SHA1 = "SPDX011", "file-without-sha1", Error,
        "Every file must have a SHA1 checksum.";
    VERIFICATION_CODE_MISSING = "SPDX012", "verification-code-missing", Info,
        "A package whose files were analysed (`filesAnalyzed` true or absent) has no `packageVerificationCode`. Allowed (cardinality 0..1 in SPDX 2.2.2 and 2.3), but a recipient cannot check the package's files.";
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
        "A `purl` external reference must be a well-formed package URL: the purl-spec syntax and its registered type's rules (a namespace the type requires or forbids, a required qualifier such as julia's `uuid`, a `cpan` distribution rather than a `Module::Name`).";
    CPE = "SPDX019", "cpe-malformed", Error,
        "A `cpe23Type` external reference must be a well-formed CPE 2.3 formatted string.";
    IDENTIFIER_VERSION = "SPDX020", "identifier-version-mismatch", Warning,
        "The version in a package's PURL or CPE differs from its `versionInfo` (a CPE version `*` or `-` says nothing).";
    ID_FORM = "SPDX021", "spdxid-form", Error,
        "An SPDXID, and every reference to one, must be `SPDXRef-` followed by letters, digits, `.` and `-` (after an optional `DocumentRef-…:`).";
    DOCUMENT_ID = "SPDX022", "document-spdxid", Error,
        "The document's own SPDXID must be `SPDXRef-DOCUMENT`.";
    DOCUMENT_REF_FORM = "SPDX023", "document-ref-form", Error,
        "An external document ID must be `DocumentRef-` followed by letters, digits, `.`, `-` and `+`.";
    EXTERNAL_REF_TYPE = "SPDX024", "external-ref-type", Error,
        "An external reference's type must be one that Annex F of the document's SPDX version lists for its category, and its locator must have the type's form (no spaces in any).";
    ACTOR_FORM = "SPDX025", "actor-form", Error,
        "A supplier, originator or annotator must be `Person: name`, `Organization: name` (an annotator also `Tool: name`), with a name, or NOASSERTION where allowed.";
    FILES_NOT_ANALYZED = "SPDX026", "files-in-unanalyzed-package", Error,
        "A package with `filesAnalyzed: false` must not contain files (`hasFiles`, CONTAINS or CONTAINED_BY).";
}

/// Checks `doc` (an SPDX document) and reports to `sink`.
pub fn check(spec: Spec, doc: &Value, sink: &mut Sink) {
    if let Some(id) = str_at(doc, "SPDXID")
        && id != crate::model::DOCUMENT_ID
    {
        sink.report(
            &DOCUMENT_ID,
            "/SPDXID",
            format!("the document's SPDXID is `{id}`; it must be `SPDXRef-DOCUMENT`"),
        );
    }
    for (i, r) in array_at(doc, "externalDocumentRefs").iter().enumerate() {
        if let Some(id) = str_at(r, "externalDocumentId")
            && !document_ref(id)
        {
            sink.report(
                &DOCUMENT_REF_FORM,
                child(&item("/externalDocumentRefs", i), "externalDocumentId"),
                format!(
                    "external document ID `{id}` is not `DocumentRef-` and letters, digits, `.`, `-` or `+`"
                ),
            );
        }
    }
    check_annotators(doc, sink);
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
            && reference_form(id, &item("/documentDescribes", i), sink)
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
            && reference_form(from, &child(&at, "spdxElementId"), sink)
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
            && reference_form(to, &child(&at, "relatedSpdxElement"), sink)
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
    // "mandatory if more than one package or set of files (not in a package) is present"
    // (SPDX 2.2.2 and 2.3, clause 11, DESCRIBES). Counted only when nothing is described.
    let packages = array_at(doc, "packages");
    let loose_files = if describes {
        0
    } else {
        let package_ids: HashSet<&str> = packages
            .iter()
            .filter_map(|p| str_at(p, "SPDXID"))
            .collect();
        let mut in_package: HashSet<&str> = packages
            .iter()
            .flat_map(|p| array_at(p, "hasFiles"))
            .filter_map(Value::as_str)
            .collect();
        for (owner, members) in &contains {
            if package_ids.contains(owner) {
                in_package.extend(members.iter().copied());
            }
        }
        array_at(doc, "files")
            .iter()
            .filter_map(|f| str_at(f, "SPDXID"))
            .filter(|id| !in_package.contains(id))
            .count()
    };
    if !describes && doc.is_object() && (packages.len() > 1 || loose_files > 0) {
        sink.report(
            &NO_DESCRIBES,
            "",
            format!(
                "the document does not say what it describes, and it has {}: add a DESCRIBES relationship from SPDXRef-DOCUMENT (or `documentDescribes`)",
                if packages.len() > 1 {
                    format!("{} packages", packages.len())
                } else {
                    format!(
                        "{loose_files} file{} in no package",
                        if loose_files == 1 { "" } else { "s" }
                    )
                }
            ),
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
            && reference_form(from, &child(&at, "snippetFromFile"), sink)
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
    let is_file = |id: &str| ids.get(id).is_some_and(|at| at.starts_with("/files/"));
    let cx = Context {
        spec,
        contains: &contains,
        file_sha1: &file_sha1,
        is_file: &is_file,
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
        if !at.is_empty() && !element_id(id) {
            sink.report(
                &ID_FORM,
                child(&at, "SPDXID"),
                format!("SPDXID `{id}` is not `SPDXRef-` and letters, digits, `.` or `-`"),
            );
        }
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
    /// The version the document states.
    spec: Spec,
    /// Package ID → the elements CONTAINS (and CONTAINED_BY) relationships give it.
    contains: &'a HashMap<&'v str, Vec<&'v str>>,
    /// File ID → (file name, SHA1).
    file_sha1: &'a HashMap<&'v str, (&'v str, &'v str)>,
    /// True for the SPDXID of one of the document's files.
    is_file: &'a dyn Fn(&str) -> bool,
    known: &'a dyn Fn(&str) -> bool,
    licenses: &'a Licenses<'v>,
}

fn check_package(p: &Value, at: &str, cx: &Context<'_, '_>, sink: &mut Sink) {
    let Context {
        spec,
        contains,
        file_sha1,
        is_file,
        known,
        licenses,
    } = *cx;
    let name = str_at(p, "name").unwrap_or("(unnamed)");
    let id = str_at(p, "SPDXID").unwrap_or("");
    check_checksums(array_at(p, "checksums"), at, sink);
    for (i, f) in array_at(p, "hasFiles").iter().enumerate() {
        if let Some(f) = f.as_str()
            && reference_form(f, &item(&child(at, "hasFiles"), i), sink)
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
    if !analyzed {
        let mut files: Vec<&str> = array_at(p, "hasFiles")
            .iter()
            .filter_map(Value::as_str)
            .chain(contains.get(id).into_iter().flatten().copied())
            .filter(|f| is_file(f))
            .collect();
        files.sort_unstable();
        files.dedup();
        if !files.is_empty() {
            sink.report(
                &FILES_NOT_ANALYZED,
                child(at, "filesAnalyzed"),
                format!(
                    "package {name} has filesAnalyzed false but contains {} file{} ({}{}); \"If false, the package shall not contain any files\"",
                    files.len(),
                    if files.len() == 1 { "" } else { "s" },
                    files[..files.len().min(3)].join(", "),
                    if files.len() > 3 { ", …" } else { "" }
                ),
            );
        }
    }
    for key in ["supplier", "originator"] {
        if let Some(actor) = str_at(p, key)
            && let Err(why) = actor_form(actor, false)
        {
            sink.report(
                &ACTOR_FORM,
                child(at, key),
                format!("{key} `{actor}` of package {name} {why}"),
            );
        }
    }
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
        if let (Some(category), Some(kind)) =
            (str_at(r, "referenceCategory"), str_at(r, "referenceType"))
            && let Err(why) = external_ref(spec, category, kind, locator)
        {
            sink.report(
                &EXTERNAL_REF_TYPE,
                child(&item(&child(at, "externalRefs"), i), why.0),
                format!("external reference of package {name}: {}", why.1),
            );
            continue;
        }
        let (kind, rule, found) = match str_at(r, "referenceType") {
            Some("purl") => (
                "PURL",
                &PURL,
                crate::ident::parse_purl(locator).map(|p| p.version().map(str::to_owned)),
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

/// `SPDXRef-` and one or more letters, digits, `.` or `-`.
fn element_id(id: &str) -> bool {
    id.strip_prefix("SPDXRef-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
    })
}

/// `DocumentRef-` and one or more letters, digits, `.`, `-` or `+`.
fn document_ref(id: &str) -> bool {
    id.strip_prefix("DocumentRef-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
    })
}

/// Reports a reference `[DocumentRef-…:]SPDXRef-…` of the wrong form at `at`; true when the
/// form is right (so that whether it exists is worth asking).
fn reference_form(id: &str, at: &str, sink: &mut Sink) -> bool {
    let ok = match id.split_once(':') {
        Some((doc, element)) => document_ref(doc) && element_id(element),
        None => element_id(id),
    };
    if !ok {
        sink.report(
            &ID_FORM,
            at.to_owned(),
            format!(
                "`{id}` is not an SPDX element ID (`SPDXRef-` and letters, digits, `.` or `-`, after an optional `DocumentRef-…:`)"
            ),
        );
    }
    ok
}

/// Checks a supplier, originator (`tool` false) or annotator (`tool` true) against
/// `Person: name`, `Organization: name`, `Tool: name` (annotators only) or NOASSERTION
/// (suppliers and originators only).
fn actor_form(actor: &str, tool: bool) -> Result<(), String> {
    if !tool && actor == "NOASSERTION" {
        return Ok(());
    }
    let kinds: &[&str] = if tool {
        &["Person:", "Organization:", "Tool:"]
    } else {
        &["Person:", "Organization:"]
    };
    match kinds
        .iter()
        .find_map(|k| actor.strip_prefix(k).map(|rest| (k, rest)))
    {
        None => Err(format!(
            "is not {}{}",
            kinds
                .iter()
                .map(|k| format!("`{k} name`"))
                .collect::<Vec<_>>()
                .join(", "),
            if tool { "" } else { " or NOASSERTION" }
        )),
        Some((kind, rest)) => {
            // A name, then an optional `(email)`.
            let name = rest.split_once('(').map_or(rest, |(n, _)| n);
            if name.trim().is_empty() {
                Err(format!("names no one after `{kind}`"))
            } else {
                Ok(())
            }
        }
    }
}

/// Checks every annotator: the document's, its packages', files' and snippets'.
fn check_annotators(doc: &Value, sink: &mut Sink) {
    let check = |element: &Value, pointer: &dyn Fn() -> String, sink: &mut Sink| {
        for (j, a) in array_at(element, "annotations").iter().enumerate() {
            if let Some(who) = str_at(a, "annotator")
                && let Err(why) = actor_form(who, true)
            {
                sink.report(
                    &ACTOR_FORM,
                    child(&item(&child(&pointer(), "annotations"), j), "annotator"),
                    format!("annotator `{who}` {why}"),
                );
            }
        }
    };
    check(doc, &String::new, sink);
    for key in ["packages", "files", "snippets"] {
        for (i, e) in array_at(doc, key).iter().enumerate() {
            check(e, &|| item(&format!("/{key}"), i), sink);
        }
    }
}

/// The external reference types Annex F of `spec` lists for `category`; `None` for OTHER,
/// whose type is free.
fn reference_types(spec: Spec, category: &str) -> Option<&'static [&'static str]> {
    match (category.replace('_', "-").as_str(), spec) {
        ("SECURITY", Spec::Spdx22) => Some(&["cpe22Type", "cpe23Type"]),
        ("SECURITY", _) => Some(&["cpe22Type", "cpe23Type", "advisory", "fix", "url", "swid"]),
        ("PACKAGE-MANAGER", _) => Some(&["maven-central", "npm", "nuget", "bower", "purl"]),
        ("PERSISTENT-ID", Spec::Spdx22) => Some(&["swh"]),
        ("PERSISTENT-ID", _) => Some(&["swh", "gitoid"]),
        _ => None,
    }
}

/// Checks an external reference's type against its category and the type's locator form
/// (Annex F). The error names the member at fault and says why.
fn external_ref(
    spec: Spec,
    category: &str,
    kind: &str,
    locator: &str,
) -> Result<(), (&'static str, String)> {
    if locator.chars().any(char::is_whitespace) {
        return Err((
            "referenceLocator",
            format!("locator `{locator}` has white space, which no locator may have"),
        ));
    }
    match reference_types(spec, category) {
        Some(types) if !types.contains(&kind) => {
            return Err((
                "referenceType",
                format!(
                    "type `{kind}` is not one that {spec} lists for category {category} ({})",
                    types.join(", ")
                ),
            ));
        }
        Some(_) => {}
        // OTHER takes any type (the specification's own example uses a URI there); unknown
        // categories are the schema's to report.
        None => {}
    }
    let form_ok = match kind {
        "cpe22Type" => locator
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("cpe:/")),
        "advisory" | "fix" | "url" => locator.split_once("://").is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }),
        "swid" => locator.starts_with("swid:"),
        "swh" => {
            let parts: Vec<&str> = locator.split(':').collect();
            parts.len() == 4
                && parts[0] == "swh"
                && parts[1] == "1"
                && matches!(parts[2], "snp" | "rel" | "rev" | "dir" | "cnt")
                && parts[3].len() == 40
                && parts[3].bytes().all(|b| b.is_ascii_hexdigit())
        }
        "gitoid" => {
            let parts: Vec<&str> = locator.split(':').collect();
            parts.len() == 4
                && parts[0] == "gitoid"
                && matches!(parts[1], "blob" | "tree" | "commit" | "tag")
                && matches!((parts[2], parts[3].len()), ("sha1", 40) | ("sha256", 64))
                && parts[3].bytes().all(|b| b.is_ascii_hexdigit())
        }
        _ => true,
    };
    if form_ok {
        Ok(())
    } else {
        Err((
            "referenceLocator",
            format!("locator `{locator}` does not have the form of a {kind} reference"),
        ))
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

/// Schema errors the specification's own text overrules: SPDX 2.2's JSON schema lists the
/// external reference categories as `PACKAGE_MANAGER` and lacks `PERSISTENT-ID`, while the 2.2
/// text (clause 7.21) spells them `PACKAGE-MANAGER` and `PERSISTENT-ID` (SPDX 2.3's schema takes
/// both spellings). A 2.2 document written as the text says is not at fault.
pub(crate) fn overruled(spec: Spec, doc: &Value, pointer: &str) -> bool {
    spec == Spec::Spdx22
        && pointer.ends_with("/referenceCategory")
        && doc
            .pointer(pointer)
            .and_then(Value::as_str)
            .is_some_and(|c| matches!(c, "PACKAGE-MANAGER" | "PERSISTENT-ID" | "PERSISTENT_ID"))
}
