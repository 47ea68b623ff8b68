//! Assembly: the project's configuration and the evidence found in the input become the
//! document. This stage decides what the document says: the root package, the packages the
//! evidence supports, which package owns each file, relationships, SPDX IDs and verification
//! codes; and it says where the evidence contradicts what the input declares.

use crate::config::{BundledWheel, Config, InTreeSbom, TemplateVars, VendorComponent};
use crate::detect::in_tree::{KeptSbom, KeptSbomDetector};
use crate::detect::python::{BundledWheelDetector, DistMetadataDetector};
use crate::detect::version::{
    self, ComponentVersion, VersionOutcome, VersionProbe, VersionSource, describe, drift_message,
    first_disagreement,
};
use crate::detect::{Detector, Evidence};
use crate::diag::{Diagnostic, Location};
use crate::digest::verification_code;
use crate::error::{Error, Result};
use crate::format::{Kind, TOOL_CREATOR, spdx2::NOASSERTION};
use crate::glob::PathGlob;
use crate::ident::{IdAllocator, pep503, purl_encode, pypi_purl, spdx_id, split_artifact_name};
use crate::input::Limits;
use crate::inventory::Inventory;
use crate::model::{
    Algorithm, Checksum, DOCUMENT_ID, Document, ExternalRef, File, Package, Purpose, Relationship,
};
use std::collections::{HashMap, HashSet};

crate::rules! {
    RULES, "scan", "docs/scan.md";
    VERSION_DRIFT = "SCAN001", "declared-version-drift", Warning,
        "A component's version, as an SBOM kept in the input declares it, disagrees with the version its source states.";
    ROOT_INCOMPLETE = "SCAN002", "root-version-or-supplier-unknown", Warning,
        "Nothing states the version or the supplier of the root package, so the SBOM lacks NTIA minimum elements; `[root]` in bomsmith.toml can state them.";
}

/// The version probe for a configured component: its `version_file` and `version_pattern`,
/// else its `detector` (`"none"` when the source does not state the version), else the
/// built-in detector named like the component.
pub fn version_probe(c: &VendorComponent) -> VersionProbe {
    let includes: Vec<&str> = c.include.iter().map(|g| g.get_ref().as_str()).collect();
    let source = if let (Some(f), Some(p)) = (&c.version_file, &c.version_pattern) {
        VersionSource::File {
            path: f.get_ref().clone(),
            pattern: p.regex.clone(),
        }
    } else {
        let det = match &c.detector {
            Some(d) if d.get_ref() == "none" => None,
            Some(d) => Some(version::detector(d.get_ref())),
            None => Some(version::detector(c.name.get_ref())),
        };
        match det {
            None => VersionSource::NotStated,
            Some(None) => VersionSource::Unknown,
            Some(Some(d)) => VersionSource::Builtin(d),
        }
    };
    VersionProbe::new(c.name.get_ref(), &includes, source)
}

/// The SBOMs kept in the input that `scan` takes over: not those listing a build's externals.
fn kept_sboms(config: &Config) -> impl Iterator<Item = &InTreeSbom> {
    config.in_tree_sbom.iter().filter(|s| s.externals.is_none())
}

/// The detectors a configuration asks for, in a fixed order.
#[derive(Debug)]
pub struct Detectors {
    kept: Vec<KeptSbomDetector>,
    wheels: Vec<BundledWheelDetector>,
    metadata: DistMetadataDetector,
    /// One probe per configured component of a kept SBOM, with that SBOM's index in `kept`.
    versions: Vec<(usize, VersionProbe)>,
}

impl Detectors {
    /// The detectors `config` calls for; `limits` bound the reading of nested archives.
    pub fn new(config: &Config, limits: &Limits) -> Result<Self> {
        let kept: Vec<KeptSbomDetector> = kept_sboms(config)
            .map(|s| KeptSbomDetector {
                path: s.path.get_ref().clone(),
                required: s.required,
            })
            .collect();
        let wheels = config
            .bundled_wheel
            .iter()
            .map(|w| wheel_detector(w, limits))
            .collect::<Result<_>>()?;
        let versions = kept_sboms(config)
            .enumerate()
            .flat_map(|(i, s)| s.component.iter().map(move |c| (i, version_probe(c))))
            .collect();
        Ok(Detectors {
            kept,
            wheels,
            metadata: DistMetadataDetector,
            versions,
        })
    }

    /// Every detector, in the order [`assemble`] expects their evidence.
    pub fn all(&self) -> Vec<&dyn Detector> {
        let mut all: Vec<&dyn Detector> = Vec::new();
        all.extend(self.kept.iter().map(|d| d as &dyn Detector));
        all.extend(self.wheels.iter().map(|d| d as &dyn Detector));
        all.push(&self.metadata);
        all.extend(self.versions.iter().map(|(_, d)| d as &dyn Detector));
        all
    }
}

fn wheel_detector(w: &BundledWheel, limits: &Limits) -> Result<BundledWheelDetector> {
    let text = w.path.get_ref();
    Ok(BundledWheelDetector {
        pattern: PathGlob::new(text)
            .map_err(|e| Error::invalid("configuration", format!("`{text}`: {e}")))?,
        pattern_text: text.clone(),
        required: w.required,
        vendored: w.vendored.clone(),
        limits: limits.clone(),
    })
}

/// The assembled document, and what assembly found worth saying.
#[derive(Debug)]
pub struct Assembled {
    /// The document.
    pub document: Document,
    /// Warnings (version drift, missing NTIA elements, fields not carried over).
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds the document of `inventory` from `config` and the evidence of `detectors` (one list
/// per detector, in the order of [`Detectors::all`]). `created` is the creation time.
pub fn assemble(
    config: &Config,
    inventory: &Inventory,
    detectors: &Detectors,
    evidence: Vec<Vec<Evidence>>,
    created: &str,
) -> Result<Assembled> {
    let mut lists = evidence.into_iter();
    let mut next = || lists.next().unwrap_or_default();
    let kept: Vec<Vec<KeptSbom>> = detectors
        .kept
        .iter()
        .map(|_| {
            next()
                .into_iter()
                .filter_map(|e| match e {
                    Evidence::Sbom(s) => Some(*s),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let wheels: Vec<Vec<Evidence>> = detectors.wheels.iter().map(|_| next()).collect();
    let metadata = next();
    let versions: Vec<Vec<Evidence>> = detectors.versions.iter().map(|_| next()).collect();

    let mut asm = Assembly {
        config,
        inventory,
        ids: IdAllocator::default(),
        packages: Vec::new(),
        owner: HashMap::new(),
        file_ids: HashMap::new(),
        file_fields: HashMap::new(),
        relationships: Vec::new(),
        diagnostics: Vec::new(),
    };
    let (root_id, vars) = asm.root(&metadata);
    for sbom in kept.iter().flatten() {
        asm.take_kept_sbom(sbom, &root_id)?;
    }
    for (w, found) in config.bundled_wheel.iter().zip(&wheels) {
        for e in found {
            if let Evidence::Wheel(wheel) = e {
                asm.take_wheel(w, wheel, &root_id);
            }
        }
    }
    for ((sbom_index, _), found) in detectors.versions.iter().zip(&versions) {
        for e in found {
            if let Evidence::Version(v) = e {
                for sbom in &kept[*sbom_index] {
                    asm.check_declared_version(sbom, v);
                }
            }
        }
    }
    if let Some(s) = &config.every_package.supplier {
        for p in &mut asm.packages {
            p.supplier = Some(s.clone());
        }
    }
    let document = asm.finish(&root_id, &vars, created);
    Ok(Assembled {
        document,
        diagnostics: asm.diagnostics,
    })
}

/// Applies what the configuration says of packages once the document is assembled: the values
/// of each `[[package]]` (a name no package has is an error at its line), and with
/// `[every_package] in_artifact` the file name of the described package (the scanned archive)
/// on every package without a file of its own, with the archive's checksums of the algorithms
/// the package has none of.
pub fn configure_packages(doc: &mut Document, config: &Config) -> Result<()> {
    for pc in &config.package {
        let name = pc.name.get_ref();
        let mut found = false;
        for p in doc.packages.iter_mut().filter(|p| &p.name == name) {
            found = true;
            let set = |field: &mut Option<String>, value: &Option<String>| {
                if let Some(v) = value {
                    *field = Some(v.clone());
                }
            };
            set(&mut p.supplier, &pc.supplier);
            set(&mut p.originator, &pc.originator);
            set(&mut p.license_concluded, &pc.license_concluded);
            set(&mut p.license_declared, &pc.license_declared);
            set(&mut p.copyright_text, &pc.copyright_text);
        }
        if !found {
            let (line, column) = config.origin.line_col(pc.name.span().start);
            let mut names: Vec<&str> = doc.packages.iter().map(|p| p.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            return Err(Error::Config {
                file: config.origin.name.clone(),
                line,
                column,
                message: format!(
                    "[[package]] `{name}`: the document has no package of that name (it has {})",
                    names.join(", ")
                ),
            });
        }
    }
    if config.every_package.in_artifact {
        let root = doc.described().find_map(|id| {
            doc.packages
                .iter()
                .find(|p| p.id == id && p.file_name.is_some())
        });
        if let Some(root) = root {
            let (file_name, checksums) = (root.file_name.clone(), root.checksums.clone());
            for p in doc.packages.iter_mut().filter(|p| p.file_name.is_none()) {
                p.file_name.clone_from(&file_name);
                // A checksum the input already gives (an in-tree SBOM's, of the upstream
                // release) stays; the archive's fill the algorithms it lacks.
                for c in &checksums {
                    if !p.checksums.iter().any(|have| have.algorithm == c.algorithm) {
                        p.checksums.push(c.clone());
                    }
                }
            }
        }
    }
    Ok(())
}

struct Assembly<'a> {
    config: &'a Config,
    inventory: &'a Inventory,
    ids: IdAllocator,
    packages: Vec<Package>,
    /// File path → owning package ID (when not the root package).
    owner: HashMap<String, String>,
    /// File path → ID taken over from a kept SBOM.
    file_ids: HashMap<String, String>,
    /// File path → fields declared for it in a kept SBOM.
    file_fields: HashMap<String, File>,
    relationships: Vec<Relationship>,
    diagnostics: Vec<Diagnostic>,
}

impl Assembly<'_> {
    /// Where a file of the input is, for diagnostics: a member of the archive, or a file of the
    /// directory.
    fn location(&self, path: &str) -> Location {
        match &self.inventory.root {
            Some(root) => Location::file(root.join(path).display().to_string()),
            None => Location::file(path).in_member(&self.inventory.input),
        }
    }

    /// The root package, from the configuration, the artifact's name and the input's own
    /// distribution metadata. Returns its ID and the template values.
    fn root(&mut self, metadata: &[Evidence]) -> (String, TemplateVars) {
        let config = self.config;
        let artifact = &self.inventory.artifact;
        let is_archive = artifact.kind != crate::input::InputKind::Directory;
        let artifact_name = match &self.inventory.root {
            Some(root) => std::fs::canonicalize(root)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "tree".into()),
            None => std::path::Path::new(&self.inventory.input)
                .file_name()
                .map_or_else(
                    || self.inventory.input.clone(),
                    |n| n.to_string_lossy().into_owned(),
                ),
        };
        let sha256 = self.inventory.sha256();
        let (parsed_name, parsed_version) = split_artifact_name(&artifact_name);
        let name = config.root.name.clone().unwrap_or(parsed_name);
        let version = config.root.version.clone().or(parsed_version);
        let vars = TemplateVars {
            name: name.clone(),
            version: version.clone().unwrap_or_default(),
            artifact: artifact_name.clone(),
            sha256,
        };
        let root_id = match &config.root.id {
            Some(id) => {
                self.ids.reserve(id);
                id.clone()
            }
            None => self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &name)),
        };
        let mut root = Package {
            id: root_id.clone(),
            name: name.clone(),
            version: version.clone(),
            supplier: config.root.supplier.clone(),
            originator: config.root.originator.clone(),
            download_location: config
                .root
                .download_location
                .as_ref()
                .map(|t| vars.expand(t.get_ref())),
            homepage: config.root.homepage.clone(),
            license_concluded: config.root.license_concluded.clone(),
            license_declared: config.root.license_declared.clone(),
            copyright_text: config.root.copyright_text.clone(),
            purpose: config
                .root
                .purpose
                .as_ref()
                .and_then(|p| Purpose::from_name(p.get_ref())),
            ..Package::default()
        };
        if root.supplier.is_none() {
            // A wheel's own metadata names who supplies it.
            root.supplier = metadata
                .iter()
                .filter_map(|e| match e {
                    Evidence::Metadata(m) if pep503(&m.name) == pep503(&name) => m.supplier.clone(),
                    _ => None,
                })
                .min();
        }
        let missing: Vec<&str> = [
            ("version", root.version.is_none()),
            ("supplier", root.supplier.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, absent)| absent.then_some(field))
        .collect();
        if !missing.is_empty() {
            self.diagnostics.push(Diagnostic::new(
                &ROOT_INCOMPLETE,
                Location::file(&self.inventory.input),
                format!(
                    "nothing states the {} of `{name}`, so the SBOM lacks NTIA minimum elements; set them under [root] in bomsmith.toml",
                    missing.join(" or ")
                ),
            ));
        }
        if is_archive {
            root.file_name = Some(artifact_name);
            if let Some(s) = artifact.sha256 {
                root.checksums
                    .push(Checksum::from_bytes(Algorithm::Sha256, &s));
            }
        }
        if let Some(t) = &config.root.cpe {
            root.external_refs
                .push(ExternalRef::cpe23(vars.expand(t.get_ref())));
        }
        if let Some(t) = &config.root.purl {
            root.external_refs
                .push(ExternalRef::purl(vars.expand(t.get_ref())));
        }
        self.packages.push(root);
        (root_id, vars)
    }

    /// Takes over the packages of a kept SBOM, the files it says are theirs (with the IDs and
    /// fields it gives them), and its other relationships among them.
    fn take_kept_sbom(&mut self, sbom: &KeptSbom, root_id: &str) -> Result<()> {
        let where_ = self.inventory.place(&sbom.path);
        if let Some(d) = sbom
            .report
            .diagnostic(self.location(&sbom.path), Kind::Spdx)
        {
            self.diagnostics.push(d);
        }
        let doc = &sbom.document;
        let mut package_ids = HashSet::new();
        for p in &doc.packages {
            if !self.ids.reserve(&p.id) {
                return Err(Error::Mismatch {
                    file: where_,
                    message: format!("package ID `{}` clashes with another package", p.id),
                });
            }
            package_ids.insert(p.id.clone());
            self.relationships
                .push(Relationship::new(root_id, "DEPENDS_ON", p.id.clone()));
            self.packages.push(p.clone());
        }
        let owner_of: HashMap<&str, &str> = doc
            .relationships
            .iter()
            .filter(|r| r.kind == "CONTAINS" && package_ids.contains(&r.from))
            .map(|r| (r.to.as_str(), r.from.as_str()))
            .collect();
        let file_ids: HashSet<&str> = doc.files.iter().map(|f| f.id.as_str()).collect();
        for f in &doc.files {
            if !self.ids.reserve(&f.id) {
                return Err(Error::Mismatch {
                    file: where_,
                    message: format!("file ID `{}` is used twice", f.id),
                });
            }
            self.file_ids.insert(f.name.clone(), f.id.clone());
            if let Some(owner) = owner_of.get(f.id.as_str()) {
                self.owner.insert(f.name.clone(), (*owner).to_owned());
            }
            self.file_fields.insert(f.name.clone(), f.clone());
        }
        // Relationships among its own packages and files (other than ownership) stay.
        for r in &doc.relationships {
            let known = |id: &str| package_ids.contains(id) || file_ids.contains(id);
            if r.kind != "CONTAINS" && r.kind != "DESCRIBES" && known(&r.from) && known(&r.to) {
                self.relationships.push(r.clone());
            }
        }
        Ok(())
    }

    /// A bundled wheel is a package the root depends on; what it vendors, packages it
    /// depends on.
    fn take_wheel(
        &mut self,
        config: &BundledWheel,
        wheel: &crate::detect::python::BundledWheel,
        root_id: &str,
    ) {
        let file_name = wheel.path.rsplit('/').next().unwrap_or(&wheel.path);
        let vars = TemplateVars {
            name: wheel.name.clone(),
            version: wheel.version.clone(),
            artifact: file_name.to_owned(),
            sha256: wheel.sha256.clone(),
        };
        let id = self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &wheel.name));
        let mut refs = Vec::new();
        if let Some(t) = &config.cpe {
            refs.push(ExternalRef::cpe23(vars.expand(t.get_ref())));
        }
        refs.push(ExternalRef::purl(pypi_purl(&wheel.name, &wheel.version)));
        self.relationships
            .push(Relationship::new(root_id, "DEPENDS_ON", id.clone()));
        self.packages.push(Package {
            id: id.clone(),
            name: wheel.name.clone(),
            version: Some(wheel.version.clone()),
            originator: config.originator.clone(),
            // Offline there is no index to ask for the canonical URL: no assertion.
            download_location: None,
            checksums: vec![Checksum {
                algorithm: Algorithm::Sha256,
                value: wheel.sha256.clone(),
            }],
            license_concluded: Some(NOASSERTION.into()),
            external_refs: refs,
            purpose: Some(Purpose::Source),
            ..Package::default()
        });
        for (name, version) in &wheel.vendored {
            let name = name.to_ascii_lowercase();
            let pin_id = self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &name));
            self.relationships
                .push(Relationship::new(&id, "DEPENDS_ON", pin_id.clone()));
            self.packages.push(Package {
                id: pin_id,
                external_refs: vec![ExternalRef::purl(pypi_purl(&name, version))],
                name,
                version: Some(version.clone()),
                download_location: None,
                license_concluded: Some(NOASSERTION.into()),
                purpose: Some(Purpose::Source),
                ..Package::default()
            });
        }
    }

    /// A warning when the version `sbom` declares for a component is not the one its source
    /// states.
    fn check_declared_version(&mut self, sbom: &KeptSbom, found: &ComponentVersion) {
        let VersionOutcome::Found(stated) = &found.outcome else {
            return;
        };
        let Some((index, package)) = sbom
            .document
            .packages
            .iter()
            .enumerate()
            .find(|(_, p)| p.name == found.component)
        else {
            return;
        };
        let declared = package.version.as_deref().unwrap_or("");
        if let Some(first) = first_disagreement(declared, stated) {
            let mut at = self.location(&sbom.path);
            at.pointer = Some(format!("/packages/{index}/versionInfo"));
            self.diagnostics.push(
                Diagnostic::new(
                    &VERSION_DRIFT,
                    at,
                    drift_message(&package.name, declared, first),
                )
                .with_details(stated.iter().map(describe).collect()),
            );
        }
    }

    /// Files (IDs taken over from kept SBOMs first, then the rest in path order), ownership,
    /// verification codes and the document around them.
    fn finish(&mut self, root_id: &str, vars: &TemplateVars, created: &str) -> Document {
        let config = self.config;
        let mut doc_files = Vec::with_capacity(self.inventory.files.len());
        let mut sha1_by_package: HashMap<String, Vec<String>> = HashMap::new();
        for f in &self.inventory.files {
            let Some(digests) = &f.digests else {
                continue;
            };
            let id = match self.file_ids.get(&f.path) {
                Some(id) => id.clone(),
                None => self.ids.allocate(spdx_id("SPDXRef-FILE-", &f.path)),
            };
            let mut checksums = vec![
                Checksum::from_bytes(Algorithm::Sha1, &digests.sha1),
                Checksum::from_bytes(Algorithm::Sha256, &digests.sha256),
            ];
            if let Some(s) = &digests.sha512 {
                checksums.push(Checksum::from_bytes(Algorithm::Sha512, &s[..]));
            }
            let owner = self
                .owner
                .get(&f.path)
                .map_or(root_id, String::as_str)
                .to_owned();
            sha1_by_package
                .entry(owner.clone())
                .or_default()
                .push(hex::encode(digests.sha1));
            self.relationships
                .push(Relationship::new(owner, "CONTAINS", id.clone()));
            let declared = self.file_fields.remove(&f.path).unwrap_or_default();
            doc_files.push(File {
                id,
                name: f.path.clone(),
                checksums,
                license_concluded: declared.license_concluded,
                copyright_text: declared.copyright_text,
                comment: declared.comment,
            });
        }
        for p in &mut self.packages {
            match sha1_by_package.get_mut(&p.id) {
                Some(list) => {
                    p.files_analyzed = true;
                    p.verification_code = Some(verification_code(list));
                }
                None => {
                    p.files_analyzed = false;
                    p.verification_code = None;
                }
            }
        }
        self.relationships
            .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", root_id));

        let base = match vars.version.as_str() {
            "" => vars.name.clone(),
            v => format!("{}-{v}", vars.name),
        };
        let doc_name = config
            .document
            .name
            .as_ref()
            .map_or_else(|| base.clone(), |t| vars.expand(t.get_ref()));
        let namespace = config.document.namespace.as_ref().map_or_else(
            || {
                format!(
                    "https://spdx.org/spdxdocs/{}-{}",
                    purl_encode(&base),
                    vars.sha256
                )
            },
            |t| vars.expand(t.get_ref()),
        );
        let mut creators = vec![TOOL_CREATOR.to_owned()];
        creators.extend(config.document.creators.iter().cloned());
        Document {
            name: doc_name,
            namespace,
            created: created.to_owned(),
            creators,
            license_list_version: Some(crate::spec::license_list_version().to_owned()),
            data_license: "CC0-1.0".to_owned(),
            comment: None,
            packages: std::mem::take(&mut self.packages),
            files: doc_files,
            relationships: std::mem::take(&mut self.relationships),
            extracted_licenses: Vec::new(),
            external_documents: Vec::new(),
        }
    }
}
