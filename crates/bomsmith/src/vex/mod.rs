//! VEX documents in and out: reading any of the three formats (recognised by content), merging
//! documents statement by statement, and writing the model in each format.

pub mod apply;
pub mod store;

use crate::error::{Error, Result};
use crate::format::ReadReport;
use crate::format::csaf;
use crate::format::cyclonedx::vex as cdx;
use crate::format::openvex;
use crate::ident::time::parse_timestamp;
use crate::model::vex::{Product, Statement, Status, VexDocument};
use std::collections::BTreeMap;

/// The VEX formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VexFormat {
    /// OpenVEX 0.2.0 (and 0.0.x, read only).
    OpenVex,
    /// CycloneDX VEX (a BOM's vulnerabilities with analyses; written as 1.6).
    CycloneDx,
    /// CSAF 2.0 with the `csaf_vex` profile.
    Csaf,
}

impl VexFormat {
    /// The name used on the command line (`openvex`, `cyclonedx-vex`, `csaf-vex`).
    pub fn name(self) -> &'static str {
        match self {
            VexFormat::OpenVex => "openvex",
            VexFormat::CycloneDx => "cyclonedx-vex",
            VexFormat::Csaf => "csaf-vex",
        }
    }
}

/// A VEX document read from a file.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file as given.
    pub file: String,
    /// Its format.
    pub format: VexFormat,
    /// Its statements and metadata.
    pub document: VexDocument,
    /// What the model could not hold, and what it holds in another form.
    pub report: ReadReport,
}

/// The largest VEX document read (Red Hat's CSAF files reach tens of MiB).
pub const MAX_BYTES: usize = 256 << 20;

/// What a JSON document that is no VEX document is, for the refusal's message.
fn what_else(v: &serde_json::Value) -> &'static str {
    let has = |k: &str| v.get(k).is_some();
    if has("runs") && (has("$schema") || has("version")) {
        "a SARIF log (scanner results), not a VEX document"
    } else if has("spdxVersion") || has("SPDXID") {
        "an SPDX SBOM, not a VEX document"
    } else if v.get("bomFormat").and_then(|b| b.as_str()) == Some("CycloneDX") {
        "a CycloneDX BOM without vulnerabilities: it holds no VEX statement"
    } else if has("ID") && has("Sources") {
        "a VEX Hub package manifest (it lists VEX documents; read those)"
    } else if has("packages") && has("updated_at") {
        "a VEX Hub index (it lists VEX documents; read those)"
    } else if has("versions") && has("name") && has("description") {
        "a VEX repository description (it says where VEX documents are)"
    } else if has("@context") {
        "a JSON-LD document that is not OpenVEX"
    } else {
        "a JSON document of no VEX format bomsmith reads (OpenVEX, CycloneDX VEX, CSAF VEX)"
    }
}

/// Reads a VEX document of any of the three formats, recognised by content. Anything else is
/// refused with what it is.
pub fn read(bytes: &[u8], file: &str) -> Result<Loaded> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::Unsupported {
            path: file.to_owned(),
            message: format!(
                "larger than {} MiB: not read as a VEX document",
                MAX_BYTES >> 20
            ),
        });
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| Error::Document {
        file: file.to_owned(),
        pointer: String::new(),
        message: format!("not JSON (line {}, column {}): {e}", e.line(), e.column()),
    })?;
    let (format, (document, report)) = if openvex::is_openvex(&v) {
        (VexFormat::OpenVex, openvex::read(&v, file)?)
    } else if csaf::is_csaf(&v) {
        (VexFormat::Csaf, csaf::read(&v, file)?)
    } else if cdx::is_cyclonedx_vex(&v) {
        (VexFormat::CycloneDx, cdx::read(&v, file)?)
    } else {
        return Err(Error::Unsupported {
            path: file.to_owned(),
            message: what_else(&v).to_owned(),
        });
    };
    Ok(Loaded {
        file: file.to_owned(),
        format,
        document,
        report,
    })
}

/// Gives a product the SBOM component's name, PURL and CPE where it has none.
fn enrich(p: &mut Product, links: &SbomLinks) {
    if let Some(c) = links.components.get(&p.id) {
        p.name.get_or_insert_with(|| c.name.clone());
        if p.purl.is_none() && !p.id.starts_with("pkg:") {
            p.purl.clone_from(&c.purl);
        }
        if p.cpe.is_none() && !p.id.starts_with("cpe:") {
            p.cpe.clone_from(&c.cpe);
        }
    }
}

/// A statement as merged: one vulnerability, one product, where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The statement, narrowed to one product (times filled in from its document).
    pub statement: Statement,
    /// The file it came from.
    pub source: String,
}

/// Two statements about one (vulnerability, product) that disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The vulnerability.
    pub vulnerability: String,
    /// The product.
    pub product: String,
    /// The statement kept (the newer), and its source.
    pub kept: (Status, String),
    /// The statement set aside, and its source.
    pub dropped: (Status, String),
}

/// A sort key for a time: (seconds, nanoseconds); unparsable or absent times are oldest.
fn time_key(t: Option<&str>) -> (i64, u32) {
    let Some(t) = t else {
        return (i64::MIN, 0);
    };
    let Some((secs, _)) = parse_timestamp(t) else {
        return (i64::MIN, 0);
    };
    let nanos = t
        .get(19..)
        .and_then(|r| r.strip_prefix('.'))
        .map(|f| {
            let digits: String = f.chars().take_while(char::is_ascii_digit).take(9).collect();
            format!("{digits:0<9}").parse::<u32>().unwrap_or(0)
        })
        .unwrap_or(0);
    (secs, nanos)
}

/// The identity a product is merged by: its ID, versions and subcomponents' IDs.
pub fn product_key(p: &Product) -> String {
    let mut key = p.id.clone();
    for v in &p.versions {
        key.push('@');
        key.push_str(v);
    }
    for s in &p.subcomponents {
        key.push('/');
        key.push_str(&s.id);
    }
    key
}

/// Merges documents: every statement split into one per product, and per (vulnerability,
/// product) the newest statement kept (its `last_updated`, else its `timestamp`, else the
/// document's); statements of different documents that disagree (another status or
/// justification) are conflicts, reported with both sources. Within one document a newer
/// statement is the next version of an older one (a history), not a conflict. At equal times the later document wins. The result is sorted by
/// vulnerability, then product.
pub fn merge(docs: &[Loaded]) -> (Vec<Merged>, Vec<Conflict>) {
    // Per (vulnerability, product key): the statement kept, its time and its document's index.
    type Kept = (Merged, (i64, u32), usize);
    let mut best: BTreeMap<(String, String), Kept> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for (n, d) in docs.iter().enumerate() {
        for s in &d.document.statements {
            let time = s
                .last_updated
                .as_deref()
                .or(s.timestamp.as_deref())
                .or(d.document.last_updated.as_deref())
                .or(d.document.timestamp.as_deref());
            let key_time = time_key(time);
            for p in &s.products {
                let mut one = s.clone();
                one.products = vec![p.clone()];
                if one.timestamp.is_none() {
                    one.timestamp = d.document.timestamp.clone();
                }
                let merged = Merged {
                    statement: one,
                    source: d.file.clone(),
                };
                let key = (s.vulnerability.name.clone(), product_key(p));
                match best.get(&key) {
                    None => {
                        best.insert(key, (merged, key_time, n));
                    }
                    Some((old, old_time, old_n)) => {
                        let newer = (key_time, n) >= (*old_time, *old_n);
                        // Within one document a later statement is the earlier one's next
                        // version (OpenVEX keeps history so), not a disagreement.
                        let differ = *old_n != n
                            && (old.statement.status != s.status
                                || old.statement.justification != s.justification);
                        let (kept, set_aside) = if newer {
                            (&merged, old)
                        } else {
                            (old, &merged)
                        };
                        if differ {
                            conflicts.push(Conflict {
                                vulnerability: key.0.clone(),
                                product: key.1.clone(),
                                kept: (kept.statement.status, kept.source.clone()),
                                dropped: (set_aside.statement.status, set_aside.source.clone()),
                            });
                        }
                        if newer {
                            best.insert(key, (merged, key_time, n));
                        }
                    }
                }
            }
        }
    }
    (best.into_values().map(|(m, ..)| m).collect(), conflicts)
}

/// The tool name and version bomsmith writes into documents it makes.
pub const TOOL: &str = concat!("bomsmith-", env!("CARGO_PKG_VERSION"));

/// A written VEX document: its text, what it could not carry (what, how often), and the values
/// the format requires that bomsmith supplied (the model had none).
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The document, canonical JSON.
    pub text: String,
    /// What the target format has no place for.
    pub not_carried: BTreeMap<String, usize>,
    /// Required values supplied, as `field: value`.
    pub supplied: Vec<String>,
}

/// An SBOM the VEX document speaks of: how its products are referred to in it.
#[derive(Debug, Clone, Default)]
pub struct SbomLinks {
    /// For a CycloneDX SBOM, its serial number (`urn:uuid:...`) and version: products become
    /// BOM-Links into it.
    pub serial: Option<(String, u64)>,
    /// Per product or subcomponent ID of the VEX document, the SBOM component it names: its
    /// reference (a `bom-ref`; for an SPDX SBOM `NAMESPACE#SPDXRef-...`), name and version,
    /// PURL and CPE.
    pub components: std::collections::HashMap<String, LinkedComponent>,
}

/// An SBOM component a VEX product names.
#[derive(Debug, Clone, Default)]
pub struct LinkedComponent {
    /// How the VEX refers to it.
    pub reference: String,
    /// Its name and version, for people.
    pub name: String,
    /// Its PURL.
    pub purl: Option<String>,
    /// Its CPE 2.3.
    pub cpe: Option<String>,
}

/// Resolves every product and subcomponent of `vex` to the component of `sbom` it names (the
/// rules of `vulns --vex`); `serial` is the SBOM's CycloneDX serial number and version, when
/// it is a CycloneDX BOM.
pub fn link_to_sbom(
    vex: &VexDocument,
    sbom: &crate::model::Document,
    renamed: &BTreeMap<String, String>,
    serial: Option<(String, u64)>,
) -> SbomLinks {
    let mut links = SbomLinks {
        serial: serial.clone(),
        ..SbomLinks::default()
    };
    let ids: Vec<&str> = vex
        .statements
        .iter()
        .flat_map(|s| &s.products)
        .flat_map(|p| std::iter::once(p).chain(&p.subcomponents))
        .map(|p| p.id.as_str())
        .collect();
    for id in ids {
        if links.components.contains_key(id) {
            continue;
        }
        let Some(p) = apply::first_named(sbom, renamed, id) else {
            continue;
        };
        let own = renamed.get(&p.id).cloned().unwrap_or_else(|| p.id.clone());
        let reference = if serial.is_some() {
            own
        } else {
            format!("{}#{}", sbom.namespace, p.id)
        };
        let of = |k: crate::model::RefKind| {
            p.external_refs
                .iter()
                .find(|r| r.kind == k)
                .map(|r| r.locator.clone())
        };
        links.components.insert(
            id.to_owned(),
            LinkedComponent {
                reference,
                name: match &p.version {
                    Some(v) => format!("{} {v}", p.name),
                    None => p.name.clone(),
                },
                purl: of(crate::model::RefKind::Purl),
                cpe: of(crate::model::RefKind::Cpe23),
            },
        );
    }
    links
}

/// Writes `doc` in `to`. `time` (RFC 3339; `SOURCE_DATE_EPOCH` or now) dates a document that
/// states no time; a missing ID is derived from the statements, so the same statements give
/// the same bytes. bomsmith is named among the tools. A document none of whose statements the
/// format can carry (CSAF needs a product per statement) is an error, not an empty document.
pub fn write(doc: &VexDocument, to: VexFormat, time: &str, file: &str) -> Result<Written> {
    write_for(doc, to, time, file, None)
}

/// [`write`], for the SBOM `links` describe: CycloneDX names the products by BOM-Links into it
/// (or SPDX element references), lists no components of its own; CSAF's product tree gives
/// each product the SBOM component's name, PURL and CPE.
pub fn write_for(
    doc: &VexDocument,
    to: VexFormat,
    time: &str,
    file: &str,
    links: Option<&SbomLinks>,
) -> Result<Written> {
    let mut doc = doc.clone();
    if let (Some(l), VexFormat::Csaf) = (links, to) {
        for s in &mut doc.statements {
            for p in &mut s.products {
                enrich(p, l);
                for sub in &mut p.subcomponents {
                    enrich(sub, l);
                }
            }
        }
    }
    let content = serde_json::to_string(&doc.statements).unwrap_or_default();
    let uuid = crate::ident::uuid_v5_url(&format!("bomsmith-vex:{content}"));
    let mut supplied = Vec::new();
    doc.tooling = Some(match doc.tooling.take() {
        Some(t) if !t.starts_with("bomsmith-") => format!("{TOOL}, {t}"),
        _ => TOOL.to_owned(),
    });
    let (value, not_carried) = match to {
        VexFormat::OpenVex => {
            let fallback = openvex::Fallback {
                id: format!("urn:uuid:{uuid}"),
                author: "unknown".into(),
                timestamp: time.to_owned(),
            };
            if doc.id.is_none() {
                supplied.push(format!("@id: {}", fallback.id));
            }
            if doc.author.is_none() {
                supplied.push("author: unknown".into());
            }
            if doc.timestamp.is_none() {
                supplied.push(format!("timestamp: {time}"));
            }
            openvex::to_json(&doc, &fallback)
        }
        VexFormat::CycloneDx => {
            let serial = match doc.id.as_deref() {
                Some(id)
                    if id
                        .strip_prefix("urn:uuid:")
                        .is_some_and(crate::ident::is_uuid) =>
                {
                    id.to_owned()
                }
                _ => {
                    supplied.push(format!("serialNumber: urn:uuid:{uuid}"));
                    format!("urn:uuid:{uuid}")
                }
            };
            if doc.timestamp.is_none() {
                supplied.push(format!("metadata.timestamp: {time}"));
            }
            let target = match links {
                Some(l) => cdx::Target {
                    sbom: l.serial.clone(),
                    refs: l
                        .components
                        .iter()
                        .map(|(k, c)| (k.clone(), c.reference.clone()))
                        .collect(),
                },
                None => cdx::Target::default(),
            };
            cdx::to_json(&doc, &serial, time, &target)
        }
        VexFormat::Csaf => {
            let fallback = csaf::Fallback {
                id: format!("bomsmith-vex-{}", &uuid[..8]),
                publisher: "unknown".into(),
                namespace: "urn:bomsmith:publisher-not-stated".into(),
                title: "VEX statements".into(),
                timestamp: time.to_owned(),
            };
            if doc.id.is_none() {
                supplied.push(format!("document.tracking.id: {}", fallback.id));
            }
            if doc.author.is_none() {
                supplied.push("document.publisher.name: unknown".into());
            }
            supplied.push(format!(
                "document.publisher.namespace: {}",
                fallback.namespace
            ));
            if doc.timestamp.is_none() {
                supplied.push(format!("document.tracking.initial_release_date: {time}"));
            }
            csaf::to_json(&doc, &fallback)
        }
    };
    if to == VexFormat::OpenVex && doc.statements.is_empty() {
        return Err(Error::Unsupported {
            path: file.to_owned(),
            message:
                "no statement to write as OpenVEX (a document needs one): the input states none"
                    .into(),
        });
    }
    if to == VexFormat::Csaf
        && value
            .get("vulnerabilities")
            .and_then(serde_json::Value::as_array)
            .is_none_or(Vec::is_empty)
    {
        return Err(Error::Unsupported {
            path: file.to_owned(),
            message: "no statement to write as CSAF: each names no product, and CSAF states a status per product".into(),
        });
    }
    Ok(Written {
        text: crate::json::to_canonical_string(&value),
        not_carried,
        supplied,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vex::Vulnerability;

    fn doc(file: &str, time: &str, status: Status) -> Loaded {
        Loaded {
            file: file.into(),
            format: VexFormat::OpenVex,
            document: VexDocument {
                timestamp: Some(time.into()),
                statements: vec![Statement {
                    vulnerability: Vulnerability {
                        name: "CVE-1".into(),
                        ..Vulnerability::default()
                    },
                    products: vec![
                        Product::named("pkg:pypi/a@1"),
                        Product::named("pkg:pypi/b@1"),
                    ],
                    status,
                    ..Statement::default()
                }],
                ..VexDocument::default()
            },
            report: ReadReport::default(),
        }
    }

    /// Found by the `vex` fuzz target: a document with no statement (Red Hat's CSAF template)
    /// written as CycloneDX must read back.
    #[test]
    fn a_document_with_no_statement_writes_as_cyclonedx_and_reads_back() {
        let empty = VexDocument::default();
        assert!(write(&empty, VexFormat::OpenVex, "2024-01-01T00:00:00Z", "x").is_err());
        assert!(write(&empty, VexFormat::Csaf, "2024-01-01T00:00:00Z", "x").is_err());
        let w = write(&empty, VexFormat::CycloneDx, "2024-01-01T00:00:00Z", "x").expect("writes");
        let back = read(w.text.as_bytes(), "back.json").expect("reads back");
        assert_eq!(back.format, VexFormat::CycloneDx);
        assert!(back.document.statements.is_empty());
        // A BOM without the member is still no VEX document.
        let sbom = br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}"#;
        assert!(read(sbom, "sbom.json").is_err());
    }

    #[test]
    fn the_newest_statement_per_vulnerability_and_product_wins_and_disagreement_is_said() {
        let old = doc(
            "old.json",
            "2024-01-01T00:00:00Z",
            Status::UnderInvestigation,
        );
        let new = doc(
            "new.json",
            "2024-06-01T00:00:00.5+02:00",
            Status::NotAffected,
        );
        // Given newest first, the older document still loses.
        let (merged, conflicts) = merge(&[new.clone(), old.clone()]);
        assert_eq!(merged.len(), 2, "one per product");
        assert!(merged.iter().all(|m| m.source == "new.json"));
        assert!(merged.iter().all(|m| m.statement.products.len() == 1));
        assert_eq!(conflicts.len(), 2);
        assert_eq!(
            conflicts[0].kept,
            (Status::NotAffected, "new.json".to_owned())
        );
        assert_eq!(
            conflicts[0].dropped,
            (Status::UnderInvestigation, "old.json".to_owned())
        );
        // The same words twice are no conflict; at equal times the later document wins.
        let again = doc(
            "again.json",
            "2024-06-01T00:00:00.5+02:00",
            Status::NotAffected,
        );
        let (merged, conflicts) = merge(&[new, again]);
        assert!(conflicts.is_empty());
        assert!(merged.iter().all(|m| m.source == "again.json"));
        // A fraction of a second orders too.
        assert!(
            time_key(Some("2024-01-01T00:00:00.2Z")) > time_key(Some("2024-01-01T00:00:00.1Z"))
        );
        assert!(time_key(None) < time_key(Some("1970-01-01T00:00:00Z")));
    }
}
