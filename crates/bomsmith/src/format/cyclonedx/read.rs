//! The CycloneDX reader: CycloneDX 1.2–1.7 JSON → model.
//!
//! Fields the schema of the BOM's own `specVersion` does not know are errors with their JSON
//! pointer (CycloneDX 1.2 and 1.3 allow any further member: there they are counted); fields it
//! knows but the model does not hold are counted in the [`ReadReport`], unless their value is
//! empty (`[]`, `""`, `{}`), which carries nothing. `bomsmith:spdx:` properties, written by
//! `write.rs`, take precedence over the native fields they shadow. A `bom-ref` names one object
//! of the BOM: a repeated one is an error naming both places.

use super::props::{Party, alg_from_cdx, cpe_kind, derived_name, expressible, purpose_of};
use super::{FILENAME_PROPERTY, PROPERTY_PREFIX};
use crate::error::Result;
use crate::format::{Fields, ReadReport, is_empty_value, spdx2};
use crate::ident::{IdAllocator, format_timestamp, parse_timestamp, uuid_v5_url};
use crate::json::{self, kind_name, pointer_child as child};
use crate::model::{
    Algorithm, Checksum, DOCUMENT_ID, Document, Evidence, ExternalRef, ExtractedLicense, File,
    Occurrence, Package, Purpose, RefKind, Relationship,
};
use crate::spec::Spec;
use serde_json::{Map, Value};
use sha2::Digest;
use std::collections::{HashMap, HashSet};

/// Reads a CycloneDX 1.2–1.7 JSON document. `file` names it in errors.
pub fn read(bytes: &[u8], file: &str) -> Result<(Document, ReadReport)> {
    read_value(&spdx2::parse_json(bytes, file)?, file)
}

/// Reads a CycloneDX document already parsed as JSON. `file` names it in errors.
///
/// Element IDs are the components' `bom-ref`s when those are valid SPDX IDs
/// (`SPDXRef-[A-Za-z0-9.-]+`), else derived from them (or from the name) deterministically.
/// A BOM without `metadata.timestamp` or creators leaves `created` empty and `creators`
/// without them; [`crate::format::complete`] fills them in before an SPDX document is written.
pub fn read_value(value: &Value, file: &str) -> Result<(Document, ReadReport)> {
    let mut r = Reader {
        file,
        report: ReadReport::default(),
        ids: Vec::new(),
        next: 0,
        refs: HashMap::new(),
        top: Vec::new(),
        doc: Document::default(),
        spec: Spec::CycloneDx16,
    };
    r.document(value)?;
    let mut doc = r.doc;
    // Relationships may repeat what nesting already said; keep one of each.
    let mut seen = HashSet::new();
    doc.relationships.retain(|rel| seen.insert(rel.clone()));
    Ok((doc, r.report))
}

/// Our properties on one object, by field, plus the BSI file name.
#[derive(Default)]
struct Carried {
    fields: HashMap<String, Vec<String>>,
    file_name: Option<String>,
}

impl Carried {
    fn one(&self, field: &str) -> Option<String> {
        self.fields.get(field).and_then(|v| v.first()).cloned()
    }

    fn all(&self, field: &str) -> &[String] {
        self.fields.get(field).map_or(&[], Vec::as_slice)
    }

    fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }
}

struct Reader<'a> {
    file: &'a str,
    report: ReadReport,
    /// Element IDs in depth-first component order, assigned before the components are read.
    ids: Vec<String>,
    next: usize,
    /// `bom-ref` → element ID.
    refs: HashMap<String, String>,
    /// IDs of the top-level components.
    top: Vec<String>,
    doc: Document,
    /// The version the BOM states; its schema says which fields exist.
    spec: Spec,
}

impl Fields for Reader<'_> {
    fn file(&self) -> &str {
        self.file
    }
}

impl Reader<'_> {
    /// Rejects fields the BOM's CycloneDX version does not have on `def`; counts those it has but the model
    /// does not hold under `path` (`components[].`).
    fn check_keys(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        def: &str,
        path: &str,
        modeled: &[&str],
    ) -> Result<()> {
        let known = self.spec.fields(def);
        for (key, value) in m {
            if modeled.contains(&key.as_str()) {
                continue;
            }
            if known.contains(&key.as_str()) {
                self.drop_value(format!("{path}{key}"), value);
                continue;
            }
            if self.spec.open(def) {
                // CycloneDX 1.2 and 1.3 let any object hold further members.
                self.drop_value(format!("{path}{key} (not in {})", self.spec), value);
                continue;
            }
            return Err(self.err(
                &child(pointer, key),
                format!("unknown field `{key}` (not part of {})", self.spec),
            ));
        }
        Ok(())
    }

    /// Counts `field` as dropped unless `value` is empty: an empty value carries nothing.
    fn drop_value(&mut self, field: String, value: &Value) {
        if !is_empty_value(value) {
            self.report.drop(field);
        }
    }

    /// Our properties of an object; other properties are counted as dropped.
    fn carried(&mut self, m: &Map<String, Value>, pointer: &str, path: &str) -> Result<Carried> {
        let mut out = Carried::default();
        for (i, p) in self.array(m, "properties", pointer)?.iter().enumerate() {
            let pp = format!("{pointer}/properties/{i}");
            let pm = self.object(p, &pp)?;
            let name = self.req_str(pm, "name", &pp)?;
            let value = self.opt_str(pm, "value", &pp)?.unwrap_or_default();
            if let Some(field) = name.strip_prefix(PROPERTY_PREFIX) {
                out.fields.entry(field.to_owned()).or_default().push(value);
            } else if name == FILENAME_PROPERTY && out.file_name.is_none() {
                out.file_name = Some(value);
            } else {
                self.report.drop(format!("{path}properties"));
            }
        }
        Ok(out)
    }

    fn document(&mut self, v: &Value) -> Result<()> {
        let m = self.object(v, "")?;
        let format = self.req_str(m, "bomFormat", "")?;
        if format != "CycloneDX" {
            return Err(self.err("/bomFormat", format!("`{format}` is not `CycloneDX`")));
        }
        let stated = self.req_str(m, "specVersion", "")?;
        self.spec = Spec::cyclonedx(&stated).ok_or_else(|| {
            let versions = Spec::CycloneDx16.siblings();
            self.err(
                "/specVersion",
                if matches!(stated.as_str(), "1.0" | "1.1") {
                    format!(
                        "CycloneDX {stated} is not a version bomsmith reads: CycloneDX 1.0 and \
                         1.1 were XML only, its JSON begins with 1.2 ({versions} are read)"
                    )
                } else {
                    format!("CycloneDX `{stated}` is not a version bomsmith reads ({versions} are)")
                },
            )
        })?;
        self.check_keys(
            m,
            "",
            "",
            "",
            &[
                "$schema",
                "bomFormat",
                "specVersion",
                "serialNumber",
                "version",
                "metadata",
                "components",
                "dependencies",
            ],
        )?;
        match m.get("version") {
            None | Some(Value::Number(_)) => {
                if m.get("version")
                    .and_then(Value::as_u64)
                    .is_some_and(|n| n != 1)
                {
                    self.report.drop("version");
                }
            }
            Some(other) => {
                return Err(self.err(
                    "/version",
                    format!("expected an integer, found {}", kind_name(other)),
                ));
            }
        }
        let empty = Map::new();
        let meta = match m.get("metadata") {
            Some(v) => self.object(v, "/metadata")?,
            None => &empty,
        };
        self.check_keys(
            meta,
            "/metadata",
            "metadata",
            "metadata.",
            &[
                "timestamp",
                "tools",
                "authors",
                "manufacturer",
                "manufacture",
                "supplier",
                "component",
                "licenses",
                "properties",
            ],
        )?;
        let carried = self.carried(meta, "/metadata", "metadata.")?;

        // IDs first, so that dependencies and properties can name any component.
        let mut order = Vec::new();
        let mut seen = HashMap::new();
        if let Some(c) = meta.get("component") {
            self.collect(c, "/metadata/component", &mut order, &mut seen)?;
        }
        for (i, c) in self.array(m, "components", "")?.iter().enumerate() {
            self.collect(c, &format!("/components/{i}"), &mut order, &mut seen)?;
        }
        self.assign_ids(&order);

        let root = match meta.get("component") {
            Some(c) => Some(self.component(c, "/metadata/component", None)?),
            None => None,
        };
        for (i, c) in self.array(m, "components", "")?.iter().enumerate() {
            let id = self.component(c, &format!("/components/{i}"), None)?;
            self.top.push(id);
        }
        if let Some(root) = &root {
            self.doc
                .relationships
                .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", root.as_str()));
        }
        self.metadata(meta, &carried, root.as_deref())?;
        self.dependencies(m)?;
        self.document_fields(m, &carried, root.as_deref())?;
        Ok(())
    }

    /// Lists components depth-first with their `bom-ref`s, checking the shape on the way.
    /// A `bom-ref` names one component (CycloneDX: unique within the BOM): two components
    /// with one would become two SPDX elements that dependencies cannot tell apart, so a
    /// repeated one is an error naming both places (`seen`: each `bom-ref`'s first pointer).
    fn collect(
        &self,
        v: &Value,
        pointer: &str,
        out: &mut Vec<(Option<String>, String)>,
        seen: &mut HashMap<String, String>,
    ) -> Result<()> {
        let m = self.object(v, pointer)?;
        // An empty `bom-ref` names nothing.
        let bom_ref = self
            .opt_str(m, "bom-ref", pointer)?
            .filter(|r| !r.is_empty());
        if let Some(r) = &bom_ref {
            let here = child(pointer, "bom-ref");
            if let Some(first) = seen.get(r) {
                return Err(self.err(
                    &here,
                    format!(
                        "duplicate bom-ref `{r}` (first at {first}); a bom-ref names one \
                         component of the BOM"
                    ),
                ));
            }
            seen.insert(r.clone(), here);
        }
        let name = self.opt_str(m, "name", pointer)?.unwrap_or_default();
        let version = self.opt_str(m, "version", pointer)?;
        let hint = match version {
            Some(v) => format!("{name}-{v}"),
            None => name,
        };
        out.push((bom_ref, hint));
        for (i, c) in self.array(m, "components", pointer)?.iter().enumerate() {
            self.collect(c, &format!("{pointer}/components/{i}"), out, seen)?;
        }
        Ok(())
    }

    fn assign_ids(&mut self, order: &[(Option<String>, String)]) {
        let mut alloc = IdAllocator::default();
        alloc.reserve(DOCUMENT_ID);
        let mut kept = vec![false; order.len()];
        for (i, (bom_ref, _)) in order.iter().enumerate() {
            if let Some(r) = bom_ref
                && crate::ident::is_element_id(r)
                && alloc.reserve(r)
            {
                kept[i] = true;
            }
        }
        for (i, (bom_ref, hint)) in order.iter().enumerate() {
            let id = if kept[i] {
                bom_ref.clone().unwrap_or_default()
            } else {
                let base = bom_ref.as_deref().unwrap_or(hint);
                let base = base.strip_prefix("SPDXRef-").unwrap_or(base);
                let wanted = crate::ident::spdx_id("SPDXRef-", base);
                let wanted = if wanted == "SPDXRef-" || wanted == DOCUMENT_ID {
                    "SPDXRef-component".to_owned()
                } else {
                    wanted
                };
                let id = alloc.allocate(wanted);
                if let Some(r) = bom_ref {
                    self.report.drop("bom-ref (renamed to a valid SPDX ID)");
                    self.report.renamed.insert(id.clone(), r.clone());
                }
                id
            };
            if let Some(r) = bom_ref {
                self.refs.entry(r.clone()).or_insert_with(|| id.clone());
            }
            self.ids.push(id);
        }
    }

    /// Reads one component (and what it nests); returns its element ID.
    fn component(&mut self, v: &Value, pointer: &str, parent: Option<&str>) -> Result<String> {
        let id = self.ids.get(self.next).cloned().unwrap_or_default();
        self.next += 1;
        let m = self.object(v, pointer)?;
        let path = "components[].";
        self.check_keys(
            m,
            pointer,
            "component",
            path,
            &[
                "type",
                "bom-ref",
                "name",
                "version",
                "supplier",
                "manufacturer",
                "authors",
                "author",
                "description",
                "hashes",
                "licenses",
                "copyright",
                "cpe",
                "purl",
                "swhid",
                "omniborId",
                "externalReferences",
                "components",
                "properties",
                "evidence",
            ],
        )?;
        let kind = self.req_str(m, "type", pointer)?;
        let carried = self.carried(m, pointer, path)?;
        const PACKAGE_ONLY: [&str; 10] = [
            "version",
            "supplier",
            "manufacturer",
            "authors",
            "author",
            "description",
            "cpe",
            "purl",
            "swhid",
            "omniborId",
        ];
        // Empty values say nothing, so they do not make a file a package.
        let holds = |k: &str| m.get(k).is_some_and(|v| !is_empty_value(v));
        let file_shaped = kind == "file"
            && !carried.has("primaryPackagePurpose")
            && carried.file_name.is_none()
            && !PACKAGE_ONLY.iter().any(|k| holds(k))
            && !holds("externalReferences");
        // An SPDX file must have a SHA-1 checksum (SPDX 2.3, 8.4), which bomsmith cannot
        // make up; a package may have none, so a file without one is a package of purpose FILE.
        let has_sha1 = self
            .array(m, "hashes", pointer)?
            .iter()
            .any(|h| h.get("alg").and_then(Value::as_str) == Some("SHA-1"));
        if file_shaped && !has_sha1 {
            self.report.recast(
                "components[] of type file without a SHA-1 hash (an SPDX file needs one): \
                 packages of purpose FILE",
            );
        }
        if file_shaped && has_sha1 {
            let file = self.file(m, pointer, &carried, id.clone())?;
            self.doc.files.push(file);
        } else {
            let package = self.package(m, pointer, &kind, &carried, id.clone())?;
            self.doc.packages.push(package);
        }
        if let Some(p) = parent {
            self.doc
                .relationships
                .push(Relationship::new(p, "CONTAINS", id.as_str()));
        }
        for (i, c) in self.array(m, "components", pointer)?.iter().enumerate() {
            self.component(c, &format!("{pointer}/components/{i}"), Some(&id))?;
        }
        Ok(id)
    }

    fn hashes(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        carried: &Carried,
    ) -> Result<Vec<Checksum>> {
        let mut out = Vec::new();
        for (i, h) in self.array(m, "hashes", pointer)?.iter().enumerate() {
            let p = format!("{pointer}/hashes/{i}");
            let hm = self.object(h, &p)?;
            let alg = self.req_str(hm, "alg", &p)?;
            let algorithm = alg_from_cdx(&alg).ok_or_else(|| {
                self.err(&child(&p, "alg"), format!("unknown hash algorithm `{alg}`"))
            })?;
            let value = self.req_str(hm, "content", &p)?.to_ascii_lowercase();
            out.push(Checksum { algorithm, value });
        }
        for (i, c) in carried.all("checksum").iter().enumerate() {
            let parsed = c.split_once(": ").and_then(|(alg, value)| {
                Algorithm::from_name(alg).map(|algorithm| Checksum {
                    algorithm,
                    value: value.to_owned(),
                })
            });
            match parsed {
                Some(c) => out.push(c),
                None => {
                    return Err(self.err(
                        &format!("{pointer}/properties"),
                        format!(
                            "property {PROPERTY_PREFIX}checksum #{i}: `{c}` is not `ALGORITHM: hex`"
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// The declared and concluded license expressions of a `licenses` array. Entries without
    /// an acknowledgement count as `default_ack`.
    fn licenses(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        default_ack: &str,
    ) -> Result<(Option<String>, Option<String>)> {
        let mut declared = Vec::new();
        let mut concluded = Vec::new();
        for (i, l) in self.array(m, "licenses", pointer)?.iter().enumerate() {
            let p = format!("{pointer}/licenses/{i}");
            let lm = self.object(l, &p)?;
            let (text, ack) = if let Some(e) = self.opt_str(lm, "expression", &p)? {
                for (key, value) in lm {
                    if !matches!(
                        key.as_str(),
                        "expression" | "acknowledgement" | "expressionDetails"
                    ) {
                        self.drop_value(format!("licenses[].{key}"), value);
                    }
                }
                self.expression_details(lm, &p)?;
                if !expressible(&e) {
                    self.report
                        .drop("licenses[].expression (not a valid SPDX expression)");
                    continue;
                }
                (e, self.opt_str(lm, "acknowledgement", &p)?)
            } else {
                let lp = child(&p, "license");
                let inner = match lm.get("license") {
                    Some(v) => self.object(v, &lp)?,
                    None => return Err(self.err(&p, "neither `license` nor `expression`")),
                };
                for (key, value) in inner {
                    if !matches!(key.as_str(), "id" | "name" | "acknowledgement" | "text") {
                        self.drop_value(format!("licenses[].license.{key}"), value);
                    }
                }
                let ack = self.opt_str(inner, "acknowledgement", &lp)?;
                if let Some(id) = self.opt_str(inner, "id", &lp)? {
                    if let Some(t) = inner.get("text") {
                        self.drop_value("licenses[].license.text".into(), t);
                    }
                    (id, ack)
                } else {
                    let name = self.req_str(inner, "name", &lp)?;
                    (self.named_license(&name, inner, &lp)?, ack)
                }
            };
            let (text, rewritten) = modern_license_ids(&text);
            if rewritten {
                self.report
                    .drop("licenses (deprecated `-with-` identifier rewritten as `WITH`)");
            }
            match ack.as_deref().unwrap_or(default_ack) {
                "concluded" => concluded.push(text),
                _ => declared.push(text),
            }
        }
        let join = |list: Vec<String>| -> Option<String> {
            match list.len() {
                0 => None,
                1 => list.into_iter().next(),
                _ => Some(
                    list.iter()
                        .map(|e| {
                            if e.contains(' ') {
                                format!("({e})")
                            } else {
                                e.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" AND "),
                ),
            }
        };
        Ok((join(declared), join(concluded)))
    }

    /// CycloneDX 1.7's `expressionDetails` of a license expression: the texts (and URLs) of
    /// its `LicenseRef-` identifiers become extracted licenses; the text of a listed license
    /// has no place in SPDX and is counted.
    fn expression_details(&mut self, lm: &Map<String, Value>, pointer: &str) -> Result<()> {
        for (i, d) in self
            .array(lm, "expressionDetails", pointer)?
            .iter()
            .enumerate()
        {
            let dp = format!("{pointer}/expressionDetails/{i}");
            let dm = self.object(d, &dp)?;
            let id = self.req_str(dm, "licenseIdentifier", &dp)?;
            if !crate::ident::is_ref_id(&id, "LicenseRef-")
                || self.doc.extracted_licenses.iter().any(|l| l.id == id)
            {
                let rest = dm.iter().filter(|(k, _)| *k != "licenseIdentifier");
                if !rest.map(|(_, v)| v).all(is_empty_value) {
                    self.report
                        .drop("licenses[].expressionDetails[] (listed license)");
                }
                continue;
            }
            let mut text = None;
            for (key, value) in dm {
                match key.as_str() {
                    "licenseIdentifier" | "url" => {}
                    "text" => {
                        let tp = child(&dp, "text");
                        let tm = self.object(value, &tp)?;
                        if tm.get("encoding").is_some() {
                            self.report
                                .drop("licenses[].expressionDetails[].text (encoded)");
                        } else {
                            text = self.opt_str(tm, "content", &tp)?;
                        }
                    }
                    _ => self.drop_value(format!("licenses[].expressionDetails[].{key}"), value),
                }
            }
            let see_also = self.opt_str(dm, "url", &dp)?.into_iter().collect();
            self.doc.extracted_licenses.push(ExtractedLicense {
                id,
                text: text.unwrap_or_else(|| spdx2::NOASSERTION.to_owned()),
                name: None,
                comment: None,
                see_also,
            });
        }
        Ok(())
    }

    /// A license CycloneDX names but SPDX does not list: a `LicenseRef-` with its text.
    fn named_license(
        &mut self,
        name: &str,
        inner: &Map<String, Value>,
        pointer: &str,
    ) -> Result<String> {
        let id = if crate::ident::is_ref_id(name, "LicenseRef-") {
            name.to_owned()
        } else {
            crate::ident::spdx_id("LicenseRef-", name)
        };
        if !self.doc.extracted_licenses.iter().any(|l| l.id == id) {
            let mut text = None;
            if let Some(t) = inner.get("text") {
                let tp = child(pointer, "text");
                let tm = self.object(t, &tp)?;
                if tm.get("encoding").is_some() {
                    self.report.drop("licenses[].license.text (encoded)");
                } else {
                    text = self.opt_str(tm, "content", &tp)?;
                }
            }
            self.doc.extracted_licenses.push(ExtractedLicense {
                id: id.clone(),
                text: text.unwrap_or_else(|| name.to_owned()),
                name: Some(name.to_owned()),
                comment: None,
                see_also: Vec::new(),
            });
        }
        Ok(id)
    }

    fn entity_party(
        &mut self,
        v: &Value,
        pointer: &str,
        organization: bool,
        path: &str,
    ) -> Result<Option<String>> {
        let m = self.object(v, pointer)?;
        for (key, value) in m {
            if !matches!(key.as_str(), "name" | "contact" | "email") {
                self.drop_value(format!("{path}.{key}"), value);
            }
        }
        let Some(name) = self.opt_str(m, "name", pointer)? else {
            self.drop_value(format!("{path} (no name)"), v);
            return Ok(None);
        };
        let mut email = self.opt_str(m, "email", pointer)?;
        for (i, c) in self.array(m, "contact", pointer)?.iter().enumerate() {
            let cp = format!("{pointer}/contact/{i}");
            let cm = self.object(c, &cp)?;
            match self.opt_str(cm, "email", &cp)? {
                Some(e) if email.is_none() => email = Some(e),
                _ => self.drop_value(format!("{path}.contact"), c),
            }
        }
        Ok(Some(Party::render(organization, &name, email.as_deref())))
    }

    fn package(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        kind: &str,
        carried: &Carried,
        id: String,
    ) -> Result<Package> {
        let path = "components[]";
        let name = self.req_str(m, "name", pointer)?;
        let purpose = match carried.one("primaryPackagePurpose") {
            Some(p) if p == "NONE" => None,
            Some(p) => Some(Purpose::from_name(&p).ok_or_else(|| {
                self.err(
                    &format!("{pointer}/properties"),
                    format!(
                        "unknown package purpose `{p}` in {PROPERTY_PREFIX}primaryPackagePurpose"
                    ),
                )
            })?),
            None => {
                let (p, exact) = purpose_of(kind);
                if !exact {
                    self.report
                        .drop(format!("components[].type ({kind}, read as OTHER)"));
                }
                Some(p)
            }
        };
        let supplier = match (carried.one("supplier"), m.get("supplier")) {
            (Some(s), _) => Some(s),
            (None, Some(v)) => self.entity_party(
                v,
                &child(pointer, "supplier"),
                true,
                "components[].supplier",
            )?,
            (None, None) => None,
        };
        let originator = match carried.one("originator") {
            Some(o) => Some(o),
            None => {
                let mut o = None;
                if let Some(v) = m.get("manufacturer") {
                    o = self.entity_party(
                        v,
                        &child(pointer, "manufacturer"),
                        true,
                        "components[].manufacturer",
                    )?;
                }
                for (i, a) in self.array(m, "authors", pointer)?.iter().enumerate() {
                    let ap = format!("{pointer}/authors/{i}");
                    if o.is_none() {
                        o = self.entity_party(a, &ap, false, "components[].authors[]")?;
                    } else {
                        self.drop_value("components[].authors[]".into(), a);
                    }
                }
                if let Some(a) = self
                    .opt_str(m, "author", pointer)?
                    .filter(|a| !a.is_empty())
                {
                    if o.is_none() {
                        o = Some(Party::render(false, &a, None));
                    } else {
                        self.report.drop("components[].author");
                    }
                }
                o
            }
        };
        let mut download = None;
        let mut homepage = None;
        let mut vex_links = Vec::new();
        for (i, r) in self
            .array(m, "externalReferences", pointer)?
            .iter()
            .enumerate()
        {
            let rp = format!("{pointer}/externalReferences/{i}");
            let rm = self.object(r, &rp)?;
            let t = self.req_str(rm, "type", &rp)?;
            let url = self.req_str(rm, "url", &rp)?;
            // A `file:` URL names a place on the writer's machine (cyclonedx-py writes the
            // wheel it read so); SPDX's download location is where anyone can fetch it from.
            let local = url
                .get(..5)
                .is_some_and(|s| s.eq_ignore_ascii_case("file:"));
            if t == "exploitability-statement" {
                // The package's VEX document: an SPDX `SECURITY`/`advisory` reference, marked.
                vex_links.push(ExternalRef {
                    kind: RefKind::Other {
                        category: "SECURITY".into(),
                        kind: "advisory".into(),
                    },
                    locator: url,
                    comment: Some(crate::model::vex::VEX_REFERENCE_COMMENT.into()),
                });
                continue;
            }
            let slot = match t.as_str() {
                "distribution" if local => {
                    self.report.drop(format!(
                        "{path}.externalReferences[] (distribution, a local file URL)"
                    ));
                    continue;
                }
                "distribution" if download.is_none() => &mut download,
                "website" if homepage.is_none() => &mut homepage,
                _ => {
                    self.report
                        .drop(format!("{path}.externalReferences[] ({t})"));
                    continue;
                }
            };
            for (key, value) in rm {
                if !matches!(key.as_str(), "type" | "url") {
                    self.drop_value(format!("{path}.externalReferences[].{key}"), value);
                }
            }
            *slot = Some(url);
        }
        let (declared, concluded) = self.licenses(m, pointer, "declared")?;
        let mut external_refs = Vec::new();
        let vex_links_at_end = vex_links;
        if let Some(p) = self.opt_str(m, "purl", pointer)? {
            external_refs.push(ExternalRef::purl(p));
        }
        if let Some(c) = self.opt_str(m, "cpe", pointer)? {
            let kind = cpe_kind(&c);
            external_refs.push(ExternalRef {
                kind,
                locator: c,
                comment: None,
            });
        }
        for (key, kind) in [("swhid", RefKind::Swhid), ("omniborId", RefKind::Gitoid)] {
            for (i, s) in self.array(m, key, pointer)?.iter().enumerate() {
                let s = s.as_str().ok_or_else(|| {
                    self.err(&format!("{pointer}/{key}/{i}"), "expected a string")
                })?;
                external_refs.push(ExternalRef {
                    kind: kind.clone(),
                    locator: s.to_owned(),
                    comment: None,
                });
            }
        }
        for r in carried.all("externalRef") {
            let v = spdx2::parse_json(r.as_bytes(), self.file)?;
            external_refs.push(spdx2::read_external_ref(
                &v,
                self.file,
                &format!("{pointer}/properties"),
            )?);
        }
        external_refs.extend(vex_links_at_end);
        let files_analyzed = match carried.one("filesAnalyzed").as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(self.err(
                    &format!("{pointer}/properties"),
                    format!("{PROPERTY_PREFIX}filesAnalyzed `{other}` is not `true` or `false`"),
                ));
            }
        };
        Ok(Package {
            id,
            name,
            version: carried
                .one("versionInfo")
                .or(self.opt_str(m, "version", pointer)?),
            file_name: carried.file_name.clone(),
            supplier,
            originator,
            download_location: carried.one("downloadLocation").or(download),
            homepage: carried.one("homepage").or(homepage),
            files_analyzed,
            verification_code: carried.one("packageVerificationCode"),
            checksums: self.hashes(m, pointer, carried)?,
            license_concluded: carried.one("licenseConcluded").or(concluded),
            license_declared: carried.one("licenseDeclared").or(declared),
            copyright_text: carried.one("copyrightText").or(self.opt_str(
                m,
                "copyright",
                pointer,
            )?),
            summary: carried.one("summary"),
            description: self.opt_str(m, "description", pointer)?,
            comment: carried.one("comment"),
            source_info: carried.one("sourceInfo"),
            external_refs,
            purpose,
            release_date: carried.one("releaseDate"),
            evidence: self.evidence(m, &format!("{path}evidence")),
        })
    }

    /// A component's `evidence`: the technique and confidence of its first identity method,
    /// and its occurrences. Call stacks, licences and copyrights found as evidence are not
    /// held by the model, and are reported as left out.
    fn evidence(&mut self, m: &Map<String, Value>, path: &str) -> Option<Evidence> {
        let e = m.get("evidence")?.as_object()?;
        for (key, value) in e {
            if !matches!(key.as_str(), "identity" | "occurrences") {
                self.drop_value(format!("{path}.{key}"), value);
            }
        }
        let identity = match e.get("identity") {
            Some(Value::Array(a)) => a.first(),
            Some(v) => Some(v),
            None => None,
        };
        let method = identity
            .and_then(|i| i.get("methods"))
            .and_then(Value::as_array)
            .and_then(|a| a.first());
        let confidence = method
            .and_then(|x| x.get("confidence"))
            .or_else(|| identity.and_then(|i| i.get("confidence")))
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let occurrences: Vec<Occurrence> = e
            .get("occurrences")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|o| {
                        Some(Occurrence {
                            location: o.get("location")?.as_str()?.to_owned(),
                            line: o.get("line").and_then(Value::as_u64),
                            text: o
                                .get("additionalContext")
                                .and_then(Value::as_str)
                                .map(str::to_owned),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        if identity.is_none() && occurrences.is_empty() {
            return None;
        }
        Some(Evidence {
            technique: method
                .and_then(|x| x.get("technique"))
                .and_then(Value::as_str)
                .unwrap_or("other")
                .to_owned(),
            confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() as u8,
            occurrences,
        })
    }

    fn file(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        carried: &Carried,
        id: String,
    ) -> Result<File> {
        let (declared, concluded) = self.licenses(m, pointer, "concluded")?;
        if declared.is_some() {
            self.report
                .drop("components[].licenses (declared, on a file)");
        }
        Ok(File {
            id,
            name: self.req_str(m, "name", pointer)?,
            checksums: self.hashes(m, pointer, carried)?,
            license_concluded: carried.one("licenseConcluded").or(concluded),
            copyright_text: carried.one("copyrightText").or(self.opt_str(
                m,
                "copyright",
                pointer,
            )?),
            comment: carried.one("comment"),
        })
    }

    fn metadata(
        &mut self,
        meta: &Map<String, Value>,
        carried: &Carried,
        root: Option<&str>,
    ) -> Result<()> {
        let mut creators = Vec::new();
        match meta.get("tools") {
            None => {}
            Some(Value::Array(legacy)) => {
                for (i, t) in legacy.iter().enumerate() {
                    let tp = format!("/metadata/tools/{i}");
                    let tm = self.object(t, &tp)?;
                    for (key, value) in tm {
                        if !matches!(key.as_str(), "name" | "version") {
                            self.drop_value(format!("metadata.tools[].{key}"), value);
                        }
                    }
                    if let Some(c) = self.tool(tm, &tp)? {
                        creators.push(c);
                    }
                }
            }
            Some(Value::Object(tools)) => {
                for key in ["components", "services"] {
                    for (i, t) in self
                        .array(tools, key, "/metadata/tools")?
                        .iter()
                        .enumerate()
                    {
                        let tp = format!("/metadata/tools/{key}/{i}");
                        let tm = self.object(t, &tp)?;
                        for (k, value) in tm {
                            if !matches!(k.as_str(), "name" | "version" | "type") {
                                self.drop_value(format!("metadata.tools.{key}[].{k}"), value);
                            }
                        }
                        if let Some(c) = self.tool(tm, &tp)? {
                            creators.push(c);
                        }
                    }
                }
            }
            Some(other) => {
                return Err(self.err(
                    "/metadata/tools",
                    format!("expected an object or an array, found {}", kind_name(other)),
                ));
            }
        }
        for (i, a) in self.array(meta, "authors", "/metadata")?.iter().enumerate() {
            if let Some(c) = self.entity_party(
                a,
                &format!("/metadata/authors/{i}"),
                false,
                "metadata.authors[]",
            )? {
                creators.push(c);
            }
        }
        for key in ["manufacturer", "manufacture"] {
            if let Some(v) = meta.get(key) {
                let p = format!("/metadata/{key}");
                if let Some(c) = self.entity_party(v, &p, true, &format!("metadata.{key}"))? {
                    creators.push(c);
                }
            }
        }
        creators.extend(carried.all("creator").iter().cloned());
        self.doc.creators = creators;

        if let Some(v) = meta.get("supplier") {
            let supplier = self.entity_party(v, "/metadata/supplier", true, "metadata.supplier")?;
            let root_pkg = root.and_then(|r| self.doc.packages.iter_mut().find(|p| p.id == r));
            match (root_pkg, supplier) {
                (Some(p), Some(s)) if p.supplier.is_none() => p.supplier = Some(s),
                (Some(p), Some(s)) if p.supplier.as_deref() == Some(s.as_str()) => {}
                (_, None) => {}
                _ => self.report.drop("metadata.supplier"),
            }
        }
        let mut data_license = "CC0-1.0".to_owned();
        for (i, l) in self
            .array(meta, "licenses", "/metadata")?
            .iter()
            .enumerate()
        {
            let cc0 = l
                .get("license")
                .and_then(|x| x.get("id"))
                .and_then(Value::as_str)
                == Some("CC0-1.0")
                || l.get("expression").and_then(Value::as_str) == Some("CC0-1.0");
            if !cc0 {
                self.object(l, &format!("/metadata/licenses/{i}"))?;
                self.report
                    .drop("metadata.licenses (an SPDX document is CC0-1.0)");
            }
        }
        if let Some(d) = carried.one("dataLicense") {
            data_license = d;
        }
        self.doc.data_license = data_license;
        let created = match self.opt_str(meta, "timestamp", "/metadata")? {
            Some(t) => match parse_timestamp(&t) {
                Some((epoch, fraction)) => {
                    if fraction {
                        self.report
                            .drop("metadata.timestamp (fraction of a second)");
                    }
                    format_timestamp(epoch)
                }
                None => {
                    return Err(self.err(
                        "/metadata/timestamp",
                        format!("`{t}` is not an RFC 3339 date-time"),
                    ));
                }
            },
            None => String::new(),
        };
        self.doc.created = carried.one("created").unwrap_or(created);
        Ok(())
    }

    fn tool(&mut self, m: &Map<String, Value>, pointer: &str) -> Result<Option<String>> {
        let Some(name) = self.opt_str(m, "name", pointer)? else {
            if !m.values().all(is_empty_value) {
                self.report.drop("metadata.tools (no name)");
            }
            return Ok(None);
        };
        Ok(Some(match self.opt_str(m, "version", pointer)? {
            Some(v) => format!("Tool: {name}-{v}"),
            None => format!("Tool: {name}"),
        }))
    }

    fn dependencies(&mut self, m: &Map<String, Value>) -> Result<()> {
        for (i, d) in self.array(m, "dependencies", "")?.iter().enumerate() {
            let p = format!("/dependencies/{i}");
            let dm = self.object(d, &p)?;
            if let Some(p) = dm.get("provides") {
                self.drop_value("dependencies[].provides".into(), p);
            }
            let from = self.req_str(dm, "ref", &p)?;
            let Some(from_id) = self.refs.get(&from).cloned() else {
                self.report.drop("dependencies[] (unknown ref)");
                continue;
            };
            let on = self.array(dm, "dependsOn", &p)?;
            if on.is_empty() {
                self.doc
                    .relationships
                    .push(Relationship::new(&from_id, "DEPENDS_ON", "NONE"));
            }
            for (j, t) in on.iter().enumerate() {
                let t = t
                    .as_str()
                    .ok_or_else(|| self.err(&format!("{p}/dependsOn/{j}"), "expected a string"))?;
                match self.refs.get(t) {
                    Some(to) => {
                        let rel = Relationship::new(&from_id, "DEPENDS_ON", to.as_str());
                        self.doc.relationships.push(rel);
                    }
                    None => self.report.drop("dependencies[].dependsOn (unknown ref)"),
                }
            }
        }
        Ok(())
    }

    fn document_fields(
        &mut self,
        m: &Map<String, Value>,
        carried: &Carried,
        root: Option<&str>,
    ) -> Result<()> {
        let root_pkg = root.and_then(|r| self.doc.packages.iter().find(|p| p.id == r));
        self.doc.name = carried
            .one("name")
            .unwrap_or_else(|| derived_name(root_pkg));
        let serial = self.opt_str(m, "serialNumber", "")?;
        self.doc.namespace = match (carried.one("documentNamespace"), serial) {
            (Some(ns), _) => ns,
            (None, Some(s)) => s.to_ascii_lowercase(),
            (None, None) => {
                // No serial number: one derived from the content, so it is the same every time.
                let digest = hex::encode(sha2::Sha256::digest(
                    json::to_compact_string(&Value::Object(m.clone())).as_bytes(),
                ));
                format!("urn:uuid:{}", uuid_v5_url(&format!("urn:sha256:{digest}")))
            }
        };
        self.doc.license_list_version = carried.one("licenseListVersion");
        self.doc.comment = carried.one("comment");
        for (i, r) in carried.all("relationship").iter().enumerate() {
            let v = spdx2::parse_json(r.as_bytes(), self.file)?;
            let field = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
            match (
                field("spdxElementId"),
                field("relationshipType"),
                field("relatedSpdxElement"),
            ) {
                (Some(from), Some(kind), Some(to)) => {
                    self.doc.relationships.push(Relationship { from, kind, to })
                }
                _ => {
                    return Err(self.err(
                        "/metadata/properties",
                        format!("{PROPERTY_PREFIX}relationship #{i}: `{r}` is not an SPDX relationship object"),
                    ));
                }
            }
        }
        for d in carried.all("externalDocumentRef") {
            let v = spdx2::parse_json(d.as_bytes(), self.file)?;
            let reference = spdx2::read_external_document(&v, self.file, "/metadata/properties")?;
            self.doc.external_documents.push(reference);
        }
        // A BOM without a metadata component describes its top-level components (or, with
        // none, nothing), unless the properties say what the SPDX document described.
        let describes = |r: &Relationship| r.from == DOCUMENT_ID && r.kind == "DESCRIBES";
        if !self.doc.relationships.iter().any(describes) && !carried.has("describesNothing") {
            if self.top.is_empty() {
                self.doc
                    .relationships
                    .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", "NONE"));
            }
            for id in std::mem::take(&mut self.top) {
                self.doc
                    .relationships
                    .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", id));
            }
        }
        let mut stated = Vec::new();
        for l in carried.all("extractedLicense") {
            let v = spdx2::parse_json(l.as_bytes(), self.file)?;
            stated.push(spdx2::read_extracted_license(
                &v,
                self.file,
                "/metadata/properties",
            )?);
        }
        // A property states a license exactly; it replaces one made up from a license name.
        self.doc
            .extracted_licenses
            .retain(|x| !stated.iter().any(|s| s.id == x.id));
        self.doc.extracted_licenses.extend(stated);
        self.define_license_refs();
        Ok(())
    }

    /// SPDX requires every `LicenseRef-` an expression uses to be defined in the document
    /// (SPDX 2.3, 10.1); CycloneDX expressions may use one without giving its text. Such an
    /// identifier is defined with the text `NOASSERTION`, and the read says so.
    fn define_license_refs(&mut self) {
        let expressions = self
            .doc
            .packages
            .iter()
            .flat_map(|p| [&p.license_declared, &p.license_concluded])
            .chain(self.doc.files.iter().map(|f| &f.license_concluded))
            .flatten();
        let mut missing = Vec::new();
        for e in expressions {
            for token in e.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
                if crate::ident::is_ref_id(token, "LicenseRef-")
                    && !self.doc.extracted_licenses.iter().any(|l| l.id == token)
                    && !missing.contains(&token)
                {
                    missing.push(token);
                }
            }
        }
        let missing: Vec<String> = missing.into_iter().map(str::to_owned).collect();
        for id in missing {
            self.report.recast(
                "LicenseRef- identifiers without a text: defined with extracted text NOASSERTION",
            );
            self.doc.extracted_licenses.push(ExtractedLicense {
                id,
                text: spdx2::NOASSERTION.to_owned(),
                ..ExtractedLicense::default()
            });
        }
    }
}

/// Deprecated license-list identifiers that name a license with an exception, and the
/// expression that replaced each (SPDX license list 2.0 and later). Several SPDX tools read
/// the old identifiers as exceptions and reject the document, so the reader rewrites them.
const DEPRECATED_WITH: [(&str, &str); 7] = [
    (
        "GPL-2.0-with-autoconf-exception",
        "GPL-2.0-only WITH Autoconf-exception-2.0",
    ),
    (
        "GPL-2.0-with-bison-exception",
        "GPL-2.0-or-later WITH Bison-exception-2.2",
    ),
    (
        "GPL-2.0-with-classpath-exception",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    ),
    (
        "GPL-2.0-with-font-exception",
        "GPL-2.0-only WITH Font-exception-2.0",
    ),
    (
        "GPL-2.0-with-GCC-exception",
        "GPL-2.0-only WITH GCC-exception-2.0",
    ),
    (
        "GPL-3.0-with-autoconf-exception",
        "GPL-3.0-only WITH Autoconf-exception-3.0",
    ),
    (
        "GPL-3.0-with-GCC-exception",
        "GPL-3.0-only WITH GCC-exception-3.1",
    ),
];

/// `expression` with the identifiers of [`DEPRECATED_WITH`] replaced, and whether any was.
fn modern_license_ids(expression: &str) -> (String, bool) {
    let mut out = String::with_capacity(expression.len());
    let mut changed = false;
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String, changed: &mut bool| {
        match DEPRECATED_WITH
            .iter()
            .find(|(old, _)| *old == token.as_str())
        {
            Some((_, new)) => {
                *changed = true;
                out.push('(');
                out.push_str(new);
                out.push(')');
            }
            None => out.push_str(token),
        }
        token.clear();
    };
    for c in expression.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut token, &mut out, &mut changed);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out, &mut changed);
    if !changed {
        return (expression.to_owned(), false);
    }
    // A lone identifier needs no parentheses.
    if let Some(inner) = out.strip_prefix('(').and_then(|o| o.strip_suffix(')'))
        && !inner.contains(['(', ')'])
    {
        return (inner.to_owned(), true);
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    //! JSON in, model out: each test feeds a small hand-written BOM to the reader and checks
    //! the model, the [`ReadReport`] or the error (with its JSON pointer) it gives.

    use super::*;
    use crate::error::Error;
    use serde_json::json;
    use std::collections::BTreeMap;

    const SERIAL: &str = "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e";
    const HEX40: &str = "0123456789abcdef0123456789abcdef01234567";
    const HEX64: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn bom(components: Value) -> Value {
        json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": SERIAL,
            "version": 1,
            "components": components,
        })
    }

    fn read_ok(v: &Value) -> (Document, ReadReport) {
        read_value(v, "t.json").expect("reads")
    }

    /// The JSON pointer and message of the error reading `v` gives.
    fn read_err(v: &Value) -> (String, String) {
        match read_value(v, "t.json") {
            Err(Error::Document {
                file,
                pointer,
                message,
            }) => {
                assert_eq!(file, "t.json");
                (pointer, message)
            }
            other => panic!("expected a document error, got {other:?}"),
        }
    }

    fn dropped(list: &[(&str, usize)]) -> BTreeMap<String, usize> {
        list.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
    }

    fn package(id: &str, name: &str, purpose: Purpose) -> Package {
        Package {
            id: id.into(),
            name: name.into(),
            purpose: Some(purpose),
            ..Package::default()
        }
    }

    fn rel(from: &str, kind: &str, to: &str) -> Relationship {
        Relationship::new(from, kind, to)
    }

    fn sorted(mut list: Vec<Relationship>) -> Vec<Relationship> {
        list.sort();
        list
    }

    fn the<'d>(doc: &'d Document, id: &str) -> &'d Package {
        doc.packages
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("no package {id}"))
    }

    #[test]
    fn metadata_component_is_the_described_root_and_nesting_is_containment() {
        let v = json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "serialNumber": "urn:uuid:0F8FAD5B-D9CB-469F-A165-70867728950E",
            "metadata": {
                "component": {
                    "type": "application", "bom-ref": "SPDXRef-root", "name": "demo",
                    "version": "1.0",
                    "components": [{
                        "type": "library", "bom-ref": "SPDXRef-lib", "name": "lib",
                        "version": "2",
                        "components": [{
                            "type": "file", "bom-ref": "SPDXRef-f", "name": "src/a.c",
                            "hashes": [{"alg": "SHA-1", "content": HEX40}],
                        }],
                    }],
                },
                // Says again what the nesting says; read once.
                "properties": [{
                    "name": "bomsmith:spdx:relationship",
                    "value": "{\"spdxElementId\": \"SPDXRef-root\", \"relationshipType\": \"CONTAINS\", \"relatedSpdxElement\": \"SPDXRef-lib\"}",
                }],
            },
            "components": [{"type": "framework", "bom-ref": "SPDXRef-other", "name": "other"}],
        });
        let (mut doc, report) = read_ok(&v);
        let mut expected = Document {
            name: "demo 1.0".into(),
            namespace: SERIAL.into(),
            data_license: "CC0-1.0".into(),
            packages: vec![
                Package {
                    version: Some("1.0".into()),
                    ..package("SPDXRef-root", "demo", Purpose::Application)
                },
                Package {
                    version: Some("2".into()),
                    ..package("SPDXRef-lib", "lib", Purpose::Library)
                },
                package("SPDXRef-other", "other", Purpose::Framework),
            ],
            files: vec![File {
                id: "SPDXRef-f".into(),
                name: "src/a.c".into(),
                checksums: vec![Checksum {
                    algorithm: Algorithm::Sha1,
                    value: HEX40.into(),
                }],
                ..File::default()
            }],
            relationships: vec![
                rel(DOCUMENT_ID, "DESCRIBES", "SPDXRef-root"),
                rel("SPDXRef-root", "CONTAINS", "SPDXRef-lib"),
                rel("SPDXRef-lib", "CONTAINS", "SPDXRef-f"),
            ],
            ..Document::default()
        };
        doc.canonicalize();
        expected.canonicalize();
        assert_eq!(doc, expected);
        assert_eq!(report, ReadReport::default());
    }

    #[test]
    fn bom_refs_that_are_not_spdx_ids_are_renamed_and_dependencies_follow() {
        let mut v = bom(json!([
            {"type": "library", "bom-ref": "pkg:pypi/requests@2.31.0", "name": "requests"},
            {"type": "library", "bom-ref": "idna", "name": "idna"},
            {"type": "library", "bom-ref": "SPDXRef-idna", "name": "idna-fork"},
            {"type": "library", "name": "no ref"},
        ]));
        v["dependencies"] = json!([
            {"ref": "pkg:pypi/requests@2.31.0", "dependsOn": ["idna", "ghost"]},
            {"ref": "idna"},
            {"ref": "nobody", "dependsOn": ["idna"]},
        ]);
        let (doc, report) = read_ok(&v);
        let ids: Vec<(&str, &str)> = doc
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.id.as_str()))
            .collect();
        // A valid bom-ref keeps its ID even when a derived one, earlier, wanted it.
        assert_eq!(
            ids,
            [
                ("requests", "SPDXRef-pkg-pypi-requests-2.31.0"),
                ("idna", "SPDXRef-idna-2"),
                ("idna-fork", "SPDXRef-idna"),
                ("no ref", "SPDXRef-no-ref"),
            ]
        );
        assert_eq!(
            sorted(doc.relationships),
            sorted(vec![
                rel(
                    "SPDXRef-pkg-pypi-requests-2.31.0",
                    "DEPENDS_ON",
                    "SPDXRef-idna-2"
                ),
                rel("SPDXRef-idna-2", "DEPENDS_ON", "NONE"),
                rel(DOCUMENT_ID, "DESCRIBES", "SPDXRef-pkg-pypi-requests-2.31.0"),
                rel(DOCUMENT_ID, "DESCRIBES", "SPDXRef-idna-2"),
                rel(DOCUMENT_ID, "DESCRIBES", "SPDXRef-idna"),
                rel(DOCUMENT_ID, "DESCRIBES", "SPDXRef-no-ref"),
            ])
        );
        assert_eq!(
            report.dropped,
            dropped(&[
                ("bom-ref (renamed to a valid SPDX ID)", 2),
                ("dependencies[] (unknown ref)", 1),
                ("dependencies[].dependsOn (unknown ref)", 1),
            ])
        );
    }

    #[test]
    fn unknown_fields_are_errors_with_their_pointer() {
        let mut v = bom(json!([]));
        v["colour"] = json!("red");
        assert_eq!(
            read_err(&v),
            (
                "/colour".into(),
                "unknown field `colour` (not part of CycloneDX 1.6)".into()
            )
        );
        let v = json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "metadata": {"component": {
                "type": "application", "name": "root",
                "components": [{"type": "library", "name": "x", "a/b": 1}],
            }},
        });
        assert_eq!(
            read_err(&v),
            (
                "/metadata/component/components/0/a~1b".into(),
                "unknown field `a/b` (not part of CycloneDX 1.6)".into()
            )
        );
    }

    #[test]
    fn wrong_types_and_missing_values_are_errors_with_their_pointer() {
        let lib = |extra: Value| {
            let mut c = json!({"type": "library", "bom-ref": "SPDXRef-a", "name": "a"});
            if let (Some(c), Value::Object(extra)) = (c.as_object_mut(), extra) {
                c.extend(extra);
            }
            bom(json!([c]))
        };
        let with = |key: &str, value: Value| {
            let mut v = bom(json!([]));
            v[key] = value;
            v
        };
        let cases = [
            (
                bom(json!([{"type": "library", "name": 1}])),
                "/components/0/name",
                "expected a string, found a number",
            ),
            (
                bom(json!([{"name": "x"}])),
                "/components/0",
                "required field `type` is missing",
            ),
            (
                with("components", json!({})),
                "/components",
                "expected an array, found an object",
            ),
            (
                with("version", json!("1")),
                "/version",
                "expected an integer, found a string",
            ),
            (
                with("specVersion", json!("1.8")),
                "/specVersion",
                "CycloneDX `1.8` is not a version bomsmith reads (1.2, 1.3, 1.4, 1.5, 1.6, 1.7 are)",
            ),
            (
                with("bomFormat", json!("SPDX")),
                "/bomFormat",
                "`SPDX` is not `CycloneDX`",
            ),
            (
                with("metadata", json!({"timestamp": "yesterday"})),
                "/metadata/timestamp",
                "`yesterday` is not an RFC 3339 date-time",
            ),
            (
                with("metadata", json!({"tools": "x"})),
                "/metadata/tools",
                "expected an object or an array, found a string",
            ),
            (
                lib(json!({"hashes": [{"alg": "SHA-999", "content": "00"}]})),
                "/components/0/hashes/0/alg",
                "unknown hash algorithm `SHA-999`",
            ),
            (
                lib(json!({"licenses": [{}]})),
                "/components/0/licenses/0",
                "neither `license` nor `expression`",
            ),
            (
                lib(json!({"swhid": [1]})),
                "/components/0/swhid/0",
                "expected a string",
            ),
        ];
        for (v, pointer, message) in cases {
            assert_eq!(read_err(&v), (pointer.into(), message.into()), "{v}");
        }
        let mut v = lib(json!({}));
        v["dependencies"] = json!([{"ref": "SPDXRef-a", "dependsOn": [1]}]);
        assert_eq!(
            read_err(&v),
            (
                "/dependencies/0/dependsOn/0".into(),
                "expected a string".into()
            )
        );
    }

    #[test]
    fn malformed_bomsmith_properties_are_errors() {
        let with_prop = |field: &str, value: &str| {
            bom(json!([{
                "type": "library", "name": "a",
                "properties": [{"name": format!("bomsmith:spdx:{field}"), "value": value}],
            }]))
        };
        let cases = [
            (
                with_prop("filesAnalyzed", "yes"),
                "bomsmith:spdx:filesAnalyzed `yes` is not `true` or `false`",
            ),
            (
                with_prop("checksum", "SHA1 abc"),
                "property bomsmith:spdx:checksum #0: `SHA1 abc` is not `ALGORITHM: hex`",
            ),
            (
                with_prop("primaryPackagePurpose", "TOY"),
                "unknown package purpose `TOY` in bomsmith:spdx:primaryPackagePurpose",
            ),
        ];
        for (v, message) in cases {
            assert_eq!(
                read_err(&v),
                ("/components/0/properties".into(), message.into())
            );
        }
        let mut v = bom(json!([]));
        v["metadata"] =
            json!({"properties": [{"name": "bomsmith:spdx:relationship", "value": "{}"}]});
        assert_eq!(
            read_err(&v),
            (
                "/metadata/properties".into(),
                "bomsmith:spdx:relationship #0: `{}` is not an SPDX relationship object".into()
            )
        );
    }

    #[test]
    fn fields_the_model_does_not_hold_are_counted() {
        let v = json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "version": 2,
            "serialNumber": SERIAL,
            "services": [{"name": "svc"}],
            "metadata": {
                "timestamp": "2024-01-02T03:04:05.250Z",
                "lifecycles": [{"phase": "build"}],
                "licenses": [{"license": {"id": "MIT"}}],
            },
            "components": [
                {
                    "type": "platform", "bom-ref": "SPDXRef-a", "name": "a",
                    "group": "g", "scope": "required",
                    "supplier": {"name": "S", "url": ["https://s.example"]},
                    "externalReferences": [{"type": "vcs", "url": "https://git.example/a"}],
                    "properties": [{"name": "other:prop", "value": "x"}],
                },
                {"type": "library", "bom-ref": "SPDXRef-b", "name": "b", "scope": "optional"},
            ],
        });
        let (doc, report) = read_ok(&v);
        assert_eq!(
            report.dropped,
            dropped(&[
                ("components[].externalReferences[] (vcs)", 1),
                ("components[].group", 1),
                ("components[].properties", 1),
                ("components[].scope", 2),
                ("components[].supplier.url", 1),
                ("components[].type (platform, read as OTHER)", 1),
                ("metadata.licenses (an SPDX document is CC0-1.0)", 1),
                ("metadata.lifecycles", 1),
                ("metadata.timestamp (fraction of a second)", 1),
                ("services", 1),
                ("version", 1),
            ])
        );
        assert_eq!(report.total(), 12);
        assert_eq!(doc.created, "2024-01-02T03:04:05Z");
        assert_eq!(doc.data_license, "CC0-1.0");
        let a = the(&doc, "SPDXRef-a");
        assert_eq!(a.purpose, Some(Purpose::Other));
        assert_eq!(a.supplier.as_deref(), Some("Organization: S"));
        assert_eq!(a.download_location, None);
    }

    #[test]
    fn bomsmith_properties_take_precedence_over_native_fields() {
        let prop = |field: &str, value: &str| json!({"name": format!("bomsmith:spdx:{field}"), "value": value});
        let sha224 = format!("SHA224: {}", "0".repeat(56));
        let v = bom(json!([
            {
                "type": "library", "bom-ref": "SPDXRef-p", "name": "p", "version": "1",
                "supplier": {"name": "ACME"},
                "copyright": "Copyright ACME",
                "properties": [
                    prop("supplier", "Person: Jane"),
                    prop("versionInfo", "1.0.0-long"),
                    prop("primaryPackagePurpose", "SOURCE"),
                    prop("copyrightText", "NOASSERTION"),
                    prop("downloadLocation", "NONE"),
                    prop("filesAnalyzed", "true"),
                    prop("packageVerificationCode", "d6a770ba38583ed4bb4525bd96e50461655d2758"),
                    prop("checksum", &sha224),
                    prop("externalRef", r#"{"referenceCategory": "OTHER", "referenceLocator": "https://example.org/adv", "referenceType": "advisory"}"#),
                    prop("licenseDeclared", "NOASSERTION"),
                    prop("summary", "S"),
                    {"name": "bsi:component:filename", "value": "p-1.tar.gz"},
                ],
            },
            {
                "type": "library", "bom-ref": "SPDXRef-q", "name": "q",
                "properties": [prop("primaryPackagePurpose", "NONE")],
            },
        ]));
        let (doc, report) = read_ok(&v);
        assert_eq!(
            the(&doc, "SPDXRef-p"),
            &Package {
                id: "SPDXRef-p".into(),
                name: "p".into(),
                version: Some("1.0.0-long".into()),
                file_name: Some("p-1.tar.gz".into()),
                supplier: Some("Person: Jane".into()),
                download_location: Some("NONE".into()),
                files_analyzed: true,
                verification_code: Some("d6a770ba38583ed4bb4525bd96e50461655d2758".into()),
                checksums: vec![Checksum {
                    algorithm: Algorithm::Sha224,
                    value: "0".repeat(56),
                }],
                license_declared: Some("NOASSERTION".into()),
                copyright_text: Some("NOASSERTION".into()),
                summary: Some("S".into()),
                external_refs: vec![ExternalRef {
                    kind: RefKind::Other {
                        category: "OTHER".into(),
                        kind: "advisory".into(),
                    },
                    locator: "https://example.org/adv".into(),
                    comment: None,
                }],
                purpose: Some(Purpose::Source),
                ..Package::default()
            }
        );
        assert_eq!(the(&doc, "SPDXRef-q").purpose, None);
        assert_eq!(report, ReadReport::default());
    }

    #[test]
    fn native_component_fields_reach_the_package() {
        let v = bom(json!([
            {
                "type": "library", "bom-ref": "SPDXRef-n", "name": "n", "version": "1.2",
                "description": "D", "copyright": "Copyright N",
                "supplier": {"name": "ACME", "contact": [{"email": "sales@acme.example"}]},
                "manufacturer": {"name": "Maker", "contact": [{"email": "m@maker.example"}]},
                "authors": [{"name": "Bob"}],
                "hashes": [{"alg": "SHA-256", "content": "AB".repeat(32)}],
                "purl": "pkg:pypi/n@1.2",
                "cpe": "cpe:2.3:a:n:n:1.2:*:*:*:*:*:*:*",
                "swhid": ["swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2"],
                "omniborId": ["gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64"],
                "externalReferences": [
                    {"type": "distribution", "url": "FILE:///home/me/n-1.2.tar.gz"},
                    {"type": "distribution", "url": "https://example.org/n-1.2.tar.gz"},
                    {"type": "website", "url": "https://example.org/n"},
                    {"type": "distribution", "url": "https://mirror.example/n-1.2.tar.gz"},
                ],
            },
            {
                "type": "library", "bom-ref": "SPDXRef-m", "name": "m", "cpe": "cpe:/a:m:m:1",
                "authors": [{"name": "Bob", "email": "bob@example.org", "phone": "123"}],
            },
            {"type": "library", "bom-ref": "SPDXRef-o", "name": "o", "author": "Carol"},
        ]));
        let (doc, report) = read_ok(&v);
        let other = |kind: RefKind, locator: &str| ExternalRef {
            kind,
            locator: locator.into(),
            comment: None,
        };
        assert_eq!(
            the(&doc, "SPDXRef-n"),
            &Package {
                version: Some("1.2".into()),
                supplier: Some("Organization: ACME (sales@acme.example)".into()),
                originator: Some("Organization: Maker (m@maker.example)".into()),
                download_location: Some("https://example.org/n-1.2.tar.gz".into()),
                homepage: Some("https://example.org/n".into()),
                checksums: vec![Checksum {
                    algorithm: Algorithm::Sha256,
                    value: "ab".repeat(32),
                }],
                copyright_text: Some("Copyright N".into()),
                description: Some("D".into()),
                external_refs: vec![
                    ExternalRef::purl("pkg:pypi/n@1.2"),
                    ExternalRef::cpe23("cpe:2.3:a:n:n:1.2:*:*:*:*:*:*:*"),
                    other(
                        RefKind::Swhid,
                        "swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2"
                    ),
                    other(
                        RefKind::Gitoid,
                        "gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64"
                    ),
                ],
                ..package("SPDXRef-n", "n", Purpose::Library)
            }
        );
        let m = the(&doc, "SPDXRef-m");
        assert_eq!(m.external_refs, [other(RefKind::Cpe22, "cpe:/a:m:m:1")]);
        assert_eq!(
            m.originator.as_deref(),
            Some("Person: Bob (bob@example.org)")
        );
        assert_eq!(
            the(&doc, "SPDXRef-o").originator.as_deref(),
            Some("Person: Carol")
        );
        assert_eq!(
            report.dropped,
            dropped(&[
                ("components[].authors[]", 1),
                ("components[].authors[].phone", 1),
                ("components[].externalReferences[] (distribution)", 1),
                (
                    "components[].externalReferences[] (distribution, a local file URL)",
                    1
                ),
            ])
        );
    }

    #[test]
    fn licenses_split_by_acknowledgement_and_names_become_license_refs() {
        let v = bom(json!([
            {"type": "library", "bom-ref": "SPDXRef-a", "name": "a", "licenses": [
                {"license": {"id": "MIT"}},
                {"expression": "Apache-2.0 OR BSD-3-Clause", "acknowledgement": "declared"},
                {"license": {"id": "GPL-2.0-with-GCC-exception", "acknowledgement": "concluded"}},
            ]},
            {"type": "library", "bom-ref": "SPDXRef-b", "name": "b", "licenses": [
                {"license": {
                    "name": "Foo License",
                    "text": {"content": "Foo text"},
                    "url": "https://foo.example",
                }},
            ]},
            {"type": "library", "bom-ref": "SPDXRef-c", "name": "c", "licenses": [
                {"expression": "MIT AND AND"},
            ]},
        ]));
        let (doc, report) = read_ok(&v);
        let a = the(&doc, "SPDXRef-a");
        // No acknowledgement on a package means declared.
        assert_eq!(
            a.license_declared.as_deref(),
            Some("MIT AND (Apache-2.0 OR BSD-3-Clause)")
        );
        assert_eq!(
            a.license_concluded.as_deref(),
            Some("GPL-2.0-only WITH GCC-exception-2.0")
        );
        let b = the(&doc, "SPDXRef-b");
        assert_eq!(
            b.license_declared.as_deref(),
            Some("LicenseRef-Foo-License")
        );
        assert_eq!(
            doc.extracted_licenses,
            [ExtractedLicense {
                id: "LicenseRef-Foo-License".into(),
                text: "Foo text".into(),
                name: Some("Foo License".into()),
                comment: None,
                see_also: Vec::new(),
            }]
        );
        assert_eq!(the(&doc, "SPDXRef-c").license_declared, None);
        assert_eq!(
            report.dropped,
            dropped(&[
                (
                    "licenses (deprecated `-with-` identifier rewritten as `WITH`)",
                    1
                ),
                ("licenses[].expression (not a valid SPDX expression)", 1),
                ("licenses[].license.url", 1),
            ])
        );
    }

    #[test]
    fn file_components_are_files_unless_they_hold_package_fields() {
        let v = bom(json!([
            {
                "type": "file", "bom-ref": "SPDXRef-f1", "name": "src/a.c",
                "hashes": [{"alg": "SHA-1", "content": "0123456789abcdef0123456789abcdef01234567"}],
                "licenses": [{"license": {"id": "MIT"}}],
                "copyright": "Copyright A",
            },
            {
                "type": "file", "bom-ref": "SPDXRef-f2", "name": "src/b.c",
                "hashes": [{"alg": "SHA-1", "content": HEX40}],
                "licenses": [{"license": {"id": "MIT", "acknowledgement": "declared"}}],
                // Empty values hold nothing a file cannot.
                "version": "", "externalReferences": [],
            },
            {"type": "file", "bom-ref": "SPDXRef-f3", "name": "b.bin", "version": "1"},
            // No SHA-1, which an SPDX file must have: a package of purpose FILE.
            {
                "type": "file", "bom-ref": "SPDXRef-f4", "name": "c.txt",
                "hashes": [{"alg": "SHA-256", "content": HEX64}],
            },
        ]));
        let (doc, report) = read_ok(&v);
        assert_eq!(
            doc.files,
            [
                File {
                    id: "SPDXRef-f1".into(),
                    name: "src/a.c".into(),
                    checksums: vec![Checksum {
                        algorithm: Algorithm::Sha1,
                        value: "0123456789abcdef0123456789abcdef01234567".into(),
                    }],
                    // No acknowledgement on a file means concluded.
                    license_concluded: Some("MIT".into()),
                    copyright_text: Some("Copyright A".into()),
                    comment: None,
                },
                File {
                    id: "SPDXRef-f2".into(),
                    name: "src/b.c".into(),
                    checksums: vec![Checksum {
                        algorithm: Algorithm::Sha1,
                        value: HEX40.into(),
                    }],
                    ..File::default()
                },
            ]
        );
        assert_eq!(
            doc.packages,
            [
                Package {
                    version: Some("1".into()),
                    ..package("SPDXRef-f3", "b.bin", Purpose::File)
                },
                Package {
                    checksums: vec![Checksum {
                        algorithm: Algorithm::Sha256,
                        value: HEX64.into(),
                    }],
                    ..package("SPDXRef-f4", "c.txt", Purpose::File)
                },
            ]
        );
        assert_eq!(
            report.dropped,
            dropped(&[("components[].licenses (declared, on a file)", 1)])
        );
        assert_eq!(
            report.recast,
            dropped(&[(
                "components[] of type file without a SHA-1 hash (an SPDX file needs one): \
                 packages of purpose FILE",
                1
            )])
        );
    }

    #[test]
    fn metadata_gives_creators_the_creation_time_and_the_root_supplier() {
        let mut v = bom(json!([]));
        v["metadata"] = json!({
            "timestamp": "2024-01-02T03:04:05+01:00",
            "tools": {
                "components": [{"type": "application", "name": "scanner", "version": "2.1", "group": "g"}],
                "services": [{"name": "svc"}],
            },
            "authors": [{"name": "Jane", "email": "jane@example.org"}],
            "manufacturer": {"name": "ACME", "contact": [
                {"email": "a@acme.example"}, {"email": "b@acme.example"},
            ]},
            "supplier": {"name": "Sup"},
            "component": {"type": "application", "bom-ref": "SPDXRef-root", "name": "root"},
        });
        let (doc, report) = read_ok(&v);
        assert_eq!(
            doc.creators,
            [
                "Tool: scanner-2.1",
                "Tool: svc",
                "Person: Jane (jane@example.org)",
                "Organization: ACME (a@acme.example)",
            ]
        );
        assert_eq!(doc.created, "2024-01-02T02:04:05Z");
        assert_eq!(
            the(&doc, "SPDXRef-root").supplier.as_deref(),
            Some("Organization: Sup")
        );
        assert_eq!(
            report.dropped,
            dropped(&[
                ("metadata.manufacturer.contact", 1),
                ("metadata.tools.components[].group", 1),
            ])
        );

        // CycloneDX 1.4 lists tools in an array.
        let mut v = bom(json!([]));
        v["metadata"] = json!({"tools": [{"vendor": "V", "name": "old", "version": "1"}]});
        let (doc, report) = read_ok(&v);
        assert_eq!(doc.creators, ["Tool: old-1"]);
        assert_eq!(doc.created, "");
        assert_eq!(report.dropped, dropped(&[("metadata.tools[].vendor", 1)]));
    }

    #[test]
    fn without_a_metadata_component_the_top_level_is_described() {
        let two = json!([
            {"type": "library", "bom-ref": "SPDXRef-a", "name": "a"},
            {"type": "library", "bom-ref": "SPDXRef-b", "name": "b"},
        ]);
        let describes = |v: &Value| -> Vec<String> {
            let (doc, _) = read_ok(v);
            doc.described().map(str::to_owned).collect()
        };
        assert_eq!(describes(&bom(two.clone())), ["SPDXRef-a", "SPDXRef-b"]);
        assert_eq!(describes(&bom(json!([]))), ["NONE"]);

        let mut nothing = bom(two.clone());
        nothing["metadata"] =
            json!({"properties": [{"name": "bomsmith:spdx:describesNothing", "value": "true"}]});
        assert!(describes(&nothing).is_empty());

        let mut stated = bom(two);
        stated["metadata"] = json!({"properties": [{
            "name": "bomsmith:spdx:relationship",
            "value": "{\"spdxElementId\": \"SPDXRef-DOCUMENT\", \"relationshipType\": \"DESCRIBES\", \"relatedSpdxElement\": \"SPDXRef-b\"}",
        }]});
        assert_eq!(describes(&stated), ["SPDXRef-b"]);
    }

    #[test]
    fn spdx_document_values_are_read_back_from_metadata_properties() {
        let prop = |field: &str, value: &str| json!({"name": format!("bomsmith:spdx:{field}"), "value": value});
        let mut v = bom(json!([
            {"type": "library", "bom-ref": "SPDXRef-a", "name": "a",
             "licenses": [{"license": {"name": "Foo License"}}]},
            {"type": "library", "bom-ref": "SPDXRef-b", "name": "b"},
        ]));
        v["metadata"] = json!({"properties": [
            prop("name", "Demo SBOM"),
            prop("documentNamespace", "https://example.org/demo"),
            prop("created", "2024-01-02T03:04:05Z"),
            prop("dataLicense", "CC-BY-4.0"),
            prop("licenseListVersion", "3.25"),
            prop("comment", "hello"),
            prop("creator", "Organization: Second"),
            prop("relationship", r#"{"spdxElementId": "SPDXRef-a", "relationshipType": "GENERATED_FROM", "relatedSpdxElement": "SPDXRef-b"}"#),
            prop("extractedLicense", r#"{"licenseId": "LicenseRef-Foo-License", "extractedText": "exact text", "name": "Foo License", "seeAlsos": ["https://foo.example"]}"#),
            prop("externalDocumentRef", r#"{"externalDocumentId": "DocumentRef-other", "spdxDocument": "https://example.org/other", "checksum": {"algorithm": "SHA1", "checksumValue": "0123456789abcdef0123456789abcdef01234567"}}"#),
        ]});
        let (doc, report) = read_ok(&v);
        assert_eq!(doc.name, "Demo SBOM");
        assert_eq!(doc.namespace, "https://example.org/demo");
        assert_eq!(doc.created, "2024-01-02T03:04:05Z");
        assert_eq!(doc.data_license, "CC-BY-4.0");
        assert_eq!(doc.license_list_version.as_deref(), Some("3.25"));
        assert_eq!(doc.comment.as_deref(), Some("hello"));
        assert_eq!(doc.creators, ["Organization: Second"]);
        assert_eq!(
            sorted(doc.relationships),
            sorted(vec![
                rel("SPDXRef-a", "GENERATED_FROM", "SPDXRef-b"),
                rel(DOCUMENT_ID, "DESCRIBES", "SPDXRef-a"),
                rel(DOCUMENT_ID, "DESCRIBES", "SPDXRef-b"),
            ])
        );
        // The stated license replaces the one made up from the license name.
        assert_eq!(
            doc.extracted_licenses,
            [ExtractedLicense {
                id: "LicenseRef-Foo-License".into(),
                text: "exact text".into(),
                name: Some("Foo License".into()),
                comment: None,
                see_also: vec!["https://foo.example".into()],
            }]
        );
        assert_eq!(doc.external_documents.len(), 1);
        assert_eq!(doc.external_documents[0].id, "DocumentRef-other");
        assert_eq!(
            doc.external_documents[0].checksum,
            Checksum {
                algorithm: Algorithm::Sha1,
                value: "0123456789abcdef0123456789abcdef01234567".into(),
            }
        );
        assert_eq!(report, ReadReport::default());
    }

    #[test]
    fn without_a_serial_number_the_namespace_comes_from_the_content() {
        let v = json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "components": [{"type": "library", "name": "x"}],
        });
        let (doc, _) = read_ok(&v);
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "urn:sha256:" + sha256(json.dumps(v,
        // sort_keys=True)).hexdigest())
        assert_eq!(
            doc.namespace,
            "urn:uuid:3f6a7835-8ab2-5574-9d65-c3fdfdd5283d"
        );
        assert_eq!(doc.name, "CycloneDX BOM");
        assert_eq!(doc.packages[0].id, "SPDXRef-x");
        assert_eq!(doc.described().collect::<Vec<_>>(), ["SPDXRef-x"]);
    }

    #[test]
    fn deprecated_with_identifiers_are_rewritten() {
        assert_eq!(
            modern_license_ids("GPL-2.0-with-GCC-exception"),
            ("GPL-2.0-only WITH GCC-exception-2.0".to_owned(), true)
        );
        assert_eq!(
            modern_license_ids("MIT OR GPL-3.0-with-autoconf-exception"),
            (
                "MIT OR (GPL-3.0-only WITH Autoconf-exception-3.0)".to_owned(),
                true
            )
        );
        assert_eq!(
            modern_license_ids("GPL-2.0-with-bison-exception AND MIT"),
            (
                "(GPL-2.0-or-later WITH Bison-exception-2.2) AND MIT".to_owned(),
                true
            )
        );
        // Only whole identifiers are replaced.
        assert_eq!(
            modern_license_ids("GPL-2.0-with-GCC-exception-foo"),
            ("GPL-2.0-with-GCC-exception-foo".to_owned(), false)
        );
        assert_eq!(
            modern_license_ids("MIT  OR (Apache-2.0)"),
            ("MIT  OR (Apache-2.0)".to_owned(), false)
        );
    }

    #[test]
    fn duplicate_bom_ref_is_an_error_naming_both_pointers() {
        let mut v = bom(json!([
            {"type": "library", "bom-ref": "pkg:npm/a@1", "name": "a"},
            {"type": "library", "bom-ref": "b", "name": "b",
             "components": [{"type": "library", "bom-ref": "pkg:npm/a@1", "name": "a2"}]},
        ]));
        assert_eq!(
            read_err(&v),
            (
                "/components/1/components/0/bom-ref".into(),
                "duplicate bom-ref `pkg:npm/a@1` (first at /components/0/bom-ref); a bom-ref \
                 names one component of the BOM"
                    .into()
            )
        );
        // The metadata component is a component of the BOM too.
        v["components"][1]["components"][0]["bom-ref"] = json!("c");
        v["metadata"] = json!({"component": {"type": "application", "bom-ref": "b", "name": "r"}});
        assert_eq!(
            read_err(&v).0,
            "/components/1/bom-ref",
            "the second occurrence is the one reported"
        );
    }

    #[test]
    fn empty_values_are_not_counted_as_lost() {
        let mut v = bom(json!([{
            "type": "library", "bom-ref": "SPDXRef-a", "name": "a", "group": "", "publisher": "",
            "tags": [], "evidence": {"identity": []}, "author": "",
            "supplier": {"name": "S", "url": [], "contact": [{}]},
            "licenses": [{"license": {"id": "MIT", "url": "", "text": {}}}],
            "externalReferences": [{"type": "website", "url": "https://a.example", "comment": ""}],
        }]));
        v["vulnerabilities"] = json!([]);
        v["services"] = json!([{}]);
        v["metadata"] = json!({
            "lifecycles": [], "supplier": {},
            "tools": [{"name": "t", "vendor": "", "hashes": []}, {}],
        });
        v["dependencies"] = json!([{"ref": "SPDXRef-a", "provides": []}]);
        let (doc, report) = read_ok(&v);
        assert_eq!(report, ReadReport::default());
        assert_eq!(doc.packages[0].originator, None, "an empty author is none");
        assert_eq!(doc.packages[0].supplier.as_deref(), Some("Organization: S"));
        // What is not empty still counts.
        v["vulnerabilities"] = json!([{"id": "CVE-2024-0001"}]);
        v["components"][0]["group"] = json!("g");
        let (_, report) = read_ok(&v);
        assert_eq!(
            report.dropped,
            dropped(&[("components[].group", 1), ("vulnerabilities", 1)])
        );
    }

    #[test]
    fn every_version_reads_with_its_own_schema() {
        // CycloneDX 1.2: tools as an array, `author` and `modified`, no properties.
        let v = json!({
            "bomFormat": "CycloneDX", "specVersion": "1.2", "version": 1,
            "metadata": {"tools": [{"vendor": "v", "name": "t", "version": "1"}]},
            "components": [{
                "type": "library", "name": "a", "version": "1", "author": "Jane",
                "modified": false,
                "licenses": [{"license": {"name": "Custom"}}, {"expression": "MIT"}],
            }],
        });
        let (doc, report) = read_ok(&v);
        assert_eq!(doc.creators, ["Tool: t-1"]);
        let p = &doc.packages[0];
        assert_eq!(p.originator.as_deref(), Some("Person: Jane"));
        assert_eq!(
            p.license_declared.as_deref(),
            Some("LicenseRef-Custom AND MIT")
        );
        assert_eq!(
            report.dropped,
            dropped(&[("components[].modified", 1), ("metadata.tools[].vendor", 1)])
        );
        // 1.2 and 1.3 let objects hold further members: counted, not refused.
        let mut v12 = v.clone();
        v12["components"][0]["colour"] = json!("red");
        let (_, report) = read_ok(&v12);
        assert_eq!(
            report.dropped["components[].colour (not in CycloneDX 1.2)"],
            1
        );
        // 1.4 and later do not.
        let mut v14 = v12;
        v14["specVersion"] = json!("1.4");
        assert_eq!(
            read_err(&v14),
            (
                "/components/0/colour".into(),
                "unknown field `colour` (not part of CycloneDX 1.4)".into()
            )
        );
        // A 1.7 member is unknown to 1.6.
        let mut v16 = bom(json!([{"type": "library", "name": "a", "isExternal": true}]));
        assert_eq!(read_err(&v16).0, "/components/0/isExternal");
        v16["specVersion"] = json!("1.7");
        let (_, report) = read_ok(&v16);
        assert_eq!(report.dropped, dropped(&[("components[].isExternal", 1)]));
        // CycloneDX 1.0 and 1.1 have no JSON.
        let mut v11 = bom(json!([]));
        v11["specVersion"] = json!("1.1");
        let (pointer, message) = read_err(&v11);
        assert_eq!(pointer, "/specVersion");
        assert!(
            message.starts_with(
                "CycloneDX 1.1 is not a version bomsmith reads: CycloneDX 1.0 and 1.1 were XML only"
            ),
            "{message}"
        );
    }

    #[test]
    fn license_refs_get_their_texts_from_expression_details_or_are_defined() {
        let v = json!({
            "bomFormat": "CycloneDX", "specVersion": "1.7", "version": 1,
            "components": [{
                "type": "library", "bom-ref": "SPDXRef-a", "name": "a",
                "licenses": [{
                    "expression": "(LicenseRef-x OR MIT) AND LicenseRef-y",
                    "expressionDetails": [
                        {"licenseIdentifier": "LicenseRef-x", "text": {"content": "X terms"},
                         "url": "https://x.example"},
                        {"licenseIdentifier": "MIT", "text": {"content": "MIT text"}},
                        {"licenseIdentifier": "MIT", "bom-ref": ""},
                    ],
                }],
            }],
        });
        let (doc, report) = read_ok(&v);
        assert_eq!(
            doc.extracted_licenses,
            [
                ExtractedLicense {
                    id: "LicenseRef-x".into(),
                    text: "X terms".into(),
                    see_also: vec!["https://x.example".into()],
                    ..ExtractedLicense::default()
                },
                ExtractedLicense {
                    id: "LicenseRef-y".into(),
                    text: "NOASSERTION".into(),
                    ..ExtractedLicense::default()
                },
            ]
        );
        assert_eq!(
            report.dropped,
            dropped(&[("licenses[].expressionDetails[] (listed license)", 1)])
        );
        assert_eq!(
            report.recast,
            dropped(&[(
                "LicenseRef- identifiers without a text: defined with extracted text NOASSERTION",
                1
            )])
        );
    }
}
