//! NVD CVE records (CVE API 2.0) into [`Advisory`]: a single CVE object (as the per-CVE files
//! of NVD mirrors hold it), or an API response or feed file (`{"format": "NVD_CVE",
//! "vulnerabilities": [{"cve": {...}}, ...]}`), each CVE one record.
//!
//! What is kept: the ID, `published` and `lastModified` (NVD writes them without an offset; they
//! are UTC, so `Z` is added), `vulnStatus` (a `Rejected` record counts as withdrawn), the
//! English description as the summary, CVSS vectors from `metrics` (v3.x, v4.0, v2), the
//! reference URLs, and `configurations` whole (operators, `negate`, every `cpeMatch` with its
//! version bounds).

use super::osv::{Malformed, Parsed};
use crate::model::vuln::{Advisory, CpeConfig, CpeMatch, CpeNode, Operator, Reference, Severity};
use serde::Deserialize;

/// Whether a JSON text is NVD's, by its fields: a CVE object (`id` with `vulnStatus` or
/// `lastModified` and `descriptions`), or a response with `vulnerabilities` holding `cve`
/// objects. A cheap look at the text before a full parse.
pub fn looks_like_nvd(text: &str) -> bool {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    (head.contains("\"vulnerabilities\"")
        && (head.contains("\"NVD_CVE\"") || text.contains("\"cve\"")))
        || (head.contains("\"vulnStatus\"")
            || (head.contains("\"lastModified\"") && head.contains("\"descriptions\"")))
            && head.contains("\"id\"")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    vulnerabilities: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    cve: Cve,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cve {
    id: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    last_modified: Option<String>,
    #[serde(default)]
    vuln_status: Option<String>,
    #[serde(default)]
    descriptions: Vec<LangString>,
    #[serde(default)]
    metrics: Option<Metrics>,
    #[serde(default)]
    configurations: Vec<RawConfig>,
    #[serde(default)]
    references: Vec<RawReference>,
}

#[derive(Deserialize)]
struct LangString {
    lang: String,
    value: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Metrics {
    #[serde(default)]
    cvss_metric_v40: Vec<Metric>,
    #[serde(default)]
    cvss_metric_v31: Vec<Metric>,
    #[serde(default)]
    cvss_metric_v30: Vec<Metric>,
    #[serde(default)]
    cvss_metric_v2: Vec<Metric>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metric {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    cvss_data: CvssData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CvssData {
    vector_string: String,
    #[serde(default)]
    base_score: Option<f64>,
}

#[derive(Deserialize)]
pub(super) struct RawConfig {
    #[serde(default)]
    operator: Option<RawOperator>,
    #[serde(default)]
    negate: bool,
    #[serde(default)]
    nodes: Vec<RawNode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNode {
    #[serde(default)]
    operator: Option<RawOperator>,
    #[serde(default)]
    negate: bool,
    #[serde(default)]
    cpe_match: Vec<RawMatch>,
}

#[derive(Deserialize)]
enum RawOperator {
    #[serde(rename = "OR")]
    Or,
    #[serde(rename = "AND")]
    And,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMatch {
    vulnerable: bool,
    criteria: String,
    #[serde(default)]
    version_start_including: Option<String>,
    #[serde(default)]
    version_start_excluding: Option<String>,
    #[serde(default)]
    version_end_including: Option<String>,
    #[serde(default)]
    version_end_excluding: Option<String>,
}

#[derive(Deserialize)]
struct RawReference {
    url: String,
}

/// Parses an NVD text (see the module documentation). A text that is neither a CVE object
/// nor a response is not a record; one that is but does not have the API's shape is
/// malformed, located by JSON pointer.
pub fn parse(text: &str) -> Result<Parsed, Malformed> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(Malformed {
                pointer: String::new(),
                message: format!("not valid JSON: {e}"),
            });
        }
    };
    let located = |e: serde_path_to_error::Error<serde_json::Error>, base: &str| {
        let path = e.path().to_string();
        let pointer = if path == "." {
            base.to_owned()
        } else {
            format!(
                "{base}/{}",
                path.trim_start_matches('.')
                    .replace(['[', '.'], "/")
                    .replace(']', "")
            )
            .replace("//", "/")
        };
        Malformed {
            pointer,
            message: e.into_inner().to_string(),
        }
    };
    if value.get("vulnerabilities").is_some() {
        let response: Response =
            serde_path_to_error::deserialize(&value).map_err(|e| located(e, ""))?;
        let records: Vec<Advisory> = response
            .vulnerabilities
            .into_iter()
            .map(|i| convert(i.cve))
            .collect();
        return Ok(Parsed::Records(records));
    }
    if value.get("id").is_some_and(serde_json::Value::is_string) {
        let cve: Cve = serde_path_to_error::deserialize(&value).map_err(|e| located(e, ""))?;
        return Ok(Parsed::Record(Box::new(convert(cve))));
    }
    Ok(Parsed::NotARecord(
        "a JSON object that is no NVD CVE record",
    ))
}

/// NVD times have no offset; they are UTC.
pub(super) fn utc(t: Option<String>) -> Option<String> {
    t.map(|t| {
        let has_offset = t.ends_with('Z')
            || t.get(19..)
                .is_some_and(|rest| rest.contains('+') || rest.contains('-'));
        if has_offset { t } else { format!("{t}Z") }
    })
}

/// CPE configurations as NVD's API (and CVE 5's `cpeApplicability`, which has their shape)
/// write them, in the model.
pub(super) fn configurations(raw: Vec<RawConfig>) -> Vec<CpeConfig> {
    raw.into_iter()
        .map(|c| CpeConfig {
            operator: operator(c.operator),
            negate: c.negate,
            nodes: c
                .nodes
                .into_iter()
                .map(|n| CpeNode {
                    operator: operator(n.operator),
                    negate: n.negate,
                    matches: n
                        .cpe_match
                        .into_iter()
                        .map(|m| CpeMatch {
                            vulnerable: m.vulnerable,
                            criteria: m.criteria,
                            start_including: m.version_start_including,
                            start_excluding: m.version_start_excluding,
                            end_including: m.version_end_including,
                            end_excluding: m.version_end_excluding,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn operator(o: Option<RawOperator>) -> Operator {
    match o {
        Some(RawOperator::And) => Operator::And,
        Some(RawOperator::Or) | None => Operator::Or,
    }
}

fn convert(cve: Cve) -> Advisory {
    let mut severity = Vec::new();
    if let Some(m) = cve.metrics {
        // The NVD's own (Primary) scores first, then the others, each vector once.
        let mut push = |kind: &str, list: Vec<Metric>| {
            let (primary, other): (Vec<_>, Vec<_>) = list
                .into_iter()
                .partition(|x| x.kind.as_deref() == Some("Primary"));
            for x in primary.into_iter().chain(other) {
                let s = Severity {
                    kind: kind.to_owned(),
                    score: x.cvss_data.vector_string,
                    base_score: x.cvss_data.base_score.map(|b| format!("{b:.1}")),
                };
                if !severity.contains(&s) {
                    severity.push(s);
                }
            }
        };
        push("CVSS_V3", m.cvss_metric_v31);
        push("CVSS_V3", m.cvss_metric_v30);
        push("CVSS_V4", m.cvss_metric_v40);
        // CVSS v2 vectors carry no `CVSS:2.0/` prefix in NVD; OSV writes them as given.
        push("CVSS_V2", m.cvss_metric_v2);
    }
    let rejected = cve.vuln_status.as_deref() == Some("Rejected");
    let modified = utc(cve.last_modified);
    Advisory {
        id: cve.id,
        aliases: Vec::new(),
        upstream: Vec::new(),
        withdrawn: if rejected {
            modified.clone().or_else(|| Some(String::new()))
        } else {
            None
        },
        modified,
        published: utc(cve.published),
        summary: cve
            .descriptions
            .into_iter()
            .find(|d| d.lang == "en")
            .map(|d| d.value),
        severity,
        severity_label: None,
        affected: Vec::new(),
        references: cve
            .references
            .into_iter()
            .map(|r| Reference {
                kind: "WEB".into(),
                url: r.url,
            })
            .collect(),
        configurations: configurations(cve.configurations),
        status: cve.vuln_status,
        products: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPAT: &str = r#"{
      "id": "CVE-2024-45490", "published": "2024-08-30T03:15:03.757",
      "lastModified": "2024-10-18T12:24:23.597", "vulnStatus": "Analyzed",
      "descriptions": [{"lang": "es", "value": "x"}, {"lang": "en", "value": "An issue in libexpat before 2.6.3."}],
      "metrics": {"cvssMetricV31": [
        {"source": "cna", "type": "Secondary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}},
        {"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}]},
      "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
        {"vulnerable": true, "criteria": "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:*", "versionEndExcluding": "2.6.3", "matchCriteriaId": "X"}]}]}],
      "references": [{"url": "https://github.com/libexpat/libexpat/pull/887", "source": "cve@mitre.org"}]
    }"#;

    #[test]
    fn a_cve_object_becomes_one_record() {
        let Ok(Parsed::Record(a)) = parse(EXPAT) else {
            panic!("a record");
        };
        assert_eq!(a.id, "CVE-2024-45490");
        assert_eq!(a.modified.as_deref(), Some("2024-10-18T12:24:23.597Z"));
        assert_eq!(a.status.as_deref(), Some("Analyzed"));
        assert_eq!(
            a.summary.as_deref(),
            Some("An issue in libexpat before 2.6.3.")
        );
        // The NVD's own score first.
        assert_eq!(
            a.severity[0].score,
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
        );
        assert_eq!(a.severity.len(), 2);
        let m = &a.configurations[0].nodes[0].matches[0];
        assert!(m.vulnerable);
        assert_eq!(m.end_excluding.as_deref(), Some("2.6.3"));
        assert_eq!(a.withdrawn, None);
        assert!(looks_like_nvd(EXPAT));
    }

    #[test]
    fn a_response_holds_many_records_and_bad_shapes_are_located() {
        let response = format!(
            r#"{{"resultsPerPage": 2, "format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{{"cve": {EXPAT}}}, {{"cve": {{"id": "CVE-2000-1", "vulnStatus": "Rejected", "lastModified": "2020-01-01T00:00:00"}}}}]}}"#
        );
        assert!(looks_like_nvd(&response));
        let Ok(Parsed::Records(list)) = parse(&response) else {
            panic!("records");
        };
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].withdrawn.as_deref(), Some("2020-01-01T00:00:00Z"));
        let bad = r#"{"vulnerabilities": [{"cve": {"id": "CVE-1", "configurations": [{"nodes": [{"cpeMatch": [{"criteria": "cpe:2.3:a:x:y:*:*:*:*:*:*:*:*"}]}]}]}}]}"#;
        let err = parse(bad).expect_err("malformed");
        assert_eq!(
            err.pointer,
            "/vulnerabilities/0/cve/configurations/0/nodes/0/cpeMatch/0"
        );
        assert!(err.message.contains("vulnerable"), "{}", err.message);
    }
}
