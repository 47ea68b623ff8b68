//! Assembly: the project's configuration and the evidence found in the input become the
//! document. This stage decides what the document says: the root package, the packages the
//! evidence supports, which package owns each file, relationships, SPDX IDs and verification
//! codes; and it says where the evidence contradicts what the input declares.

use crate::config::{BundledWheel, Config, InTreeSbom, TemplateVars, VendorComponent};
use crate::detect::binary::{self, BinaryDetector, Examined};
use crate::detect::in_tree::{KeptSbom, KeptSbomDetector};
use crate::detect::npm::{NpmManifestDetector, NpmPackage};
use crate::detect::python::{BundledWheelDetector, DistMetadata, DistMetadataDetector};
use crate::detect::vendored::{self, Candidate, VendoredCodeDetector};
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
use crate::ident::{
    ArtifactName, Convention, IdAllocator, npm_purl, parse_artifact_name, parse_top_directory,
    pep503, purl_encode, pypi_purl, spdx_id,
};
use crate::input::Limits;
use crate::inventory::Inventory;
use crate::model::{
    self, Algorithm, Checksum, DOCUMENT_ID, Document, ExternalRef, ExtractedLicense, File,
    Occurrence, Package, Purpose, Relationship,
};
use std::collections::{HashMap, HashSet};

crate::rules! {
    RULES, "scan", "docs/scan.md";
    VERSION_DRIFT = "SCAN001", "declared-version-drift", Warning,
        "A component's version, as an SBOM kept in the input declares it, disagrees with the version its source states.";
    ROOT_INCOMPLETE = "SCAN002", "root-version-or-supplier-unknown", Warning,
        "Nothing states the version or the supplier of the root package, so the SBOM lacks NTIA minimum elements; `[root]` in bomsmith.toml can state them.";
    UNDECLARED_VENDORED = "SCAN003", "undeclared-vendored-code", Warning,
        "The input holds code that looks vendored, which the SBOM it keeps does not declare; `bomsmith vendor detect` prints a stanza declaring it.";
    BINARY_NOT_EXAMINED = "SCAN004", "binary-not-examined", Warning,
        "A file that starts like a native binary (PE, ELF, Mach-O) could not be read as one, or is too large to read into memory: the libraries in it are not identified; it is listed as a file all the same.";
    SOURCE_VERSION_DIFFERS = "SCAN005", "source-version-differs", Warning,
        "A component's version, as the source the artifact was built from (`scan --source`) declares it, is not the version the artifact's bytes state.";
    SOURCE_RELEASE_DIFFERS = "SCAN006", "source-release-differs", Warning,
        "The source given with `scan --source` is another release than the artifact: its declarations are compared all the same, and may differ for that reason alone.";
    SOURCE_VERSION_UNSTATED = "SCAN007", "source-version-unstated", Info,
        "The source declares a version of a component whose bytes in the artifact state none: the declaration is all there is to go on.";
    SOURCE_COMPONENT_ABSENT = "SCAN008", "source-component-absent", Info,
        "The source declares a component the artifact does not hold (a library of another platform's build, or of an optional part not shipped in this artifact).";
    ROOT_NOT_FOUND = "SCAN009", "root-not-found-in-binaries", Warning,
        "The configuration's `[root] found` names a component no binary of the artifact states a version of, so the root's version is not read from the artifact's bytes.";
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
    npm: NpmManifestDetector,
    /// One probe per configured component of a kept SBOM, with that SBOM's index in `kept`.
    versions: Vec<(usize, VersionProbe)>,
    /// Vendored code found from source evidence.
    vendored: VendoredCodeDetector,
    /// Libraries found in native binaries.
    binaries: BinaryDetector,
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
            npm: NpmManifestDetector,
            versions,
            vendored: VendoredCodeDetector {
                limits: limits.clone(),
                enabled: config.scan.vendored.unwrap_or(true),
            },
            binaries: BinaryDetector::default(),
        })
    }

    /// Every detector, in the order [`assemble`] expects their evidence.
    pub fn all(&self) -> Vec<&dyn Detector> {
        let mut all: Vec<&dyn Detector> = Vec::new();
        all.extend(self.kept.iter().map(|d| d as &dyn Detector));
        all.extend(self.wheels.iter().map(|d| d as &dyn Detector));
        all.push(&self.metadata);
        all.push(&self.npm);
        all.extend(self.versions.iter().map(|(_, d)| d as &dyn Detector));
        all.push(&self.vendored);
        all.push(&self.binaries);
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
    let mut metadata = next();
    metadata.extend(next());
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
        extracted_licenses: Vec::new(),
        diagnostics: Vec::new(),
    };
    let vendored_list = next();
    let binaries: Vec<Examined> = next()
        .into_iter()
        .filter_map(|e| match e {
            Evidence::Binary(b) => Some(b),
            _ => None,
        })
        .collect();
    let found_root = config
        .root
        .found
        .as_deref()
        .and_then(|name| found_version(&binaries, name));
    let (root_id, vars) = asm.root(&metadata, found_root.as_ref());
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
    let vendored: Vec<Candidate> = vendored_list
        .into_iter()
        .filter_map(|e| match e {
            Evidence::Vendored(c) => Some(c),
            _ => None,
        })
        .collect();
    asm.take_vendored(vendored, &root_id, !detectors.kept.is_empty());
    asm.take_binaries(binaries, &root_id);
    if let Some(name) = &config.root.found
        && found_root.is_none()
    {
        asm.diagnostics.push(Diagnostic::new(
            &ROOT_NOT_FOUND,
            Location::file(&inventory.input),
            format!(
                "no binary of the artifact states a version of `{name}` (`[root] found`): the root's version is not read from its bytes (its sourceInfo says where it comes from)"
            ),
        ));
    }
    asm.name_variants(&root_id, &vars.artifact);
    if let Some(s) = &config.every_package.supplier {
        for p in &mut asm.packages {
            // The distributor supplies every package; who publishes the component itself, as
            // identification knows it, is its originator.
            if config.every_package.publisher_as_originator
                && p.originator.is_none()
                && p.supplier.as_ref().is_some_and(|had| had != s)
            {
                p.originator = p.supplier.take();
            }
            p.supplier = Some(s.clone());
        }
    }
    let document = asm.finish(&root_id, &vars, created);
    Ok(Assembled {
        document,
        diagnostics: asm.diagnostics,
    })
}

/// Gives a finished document whose configuration templates no namespace its default one:
/// `https://spdx.org/spdxdocs/NAME-VERSION-DIGEST`, the root's name and version and a SHA-256
/// over the whole document with the namespace left empty. The same input, options and creation
/// time give the same namespace; documents that differ in anything (a file left out by
/// `--exclude`, a SHA-512 more) have different ones. The CycloneDX serial number is derived
/// from the namespace, so it follows.
pub fn seal_namespace(doc: &mut Document) {
    doc.namespace.clear();
    let digest = hex::encode(content_digest(doc));

    let root = doc
        .described()
        .next()
        .and_then(|id| doc.packages.iter().find(|p| p.id == id));
    let base = match root {
        Some(p) => match &p.version {
            Some(v) if !v.is_empty() => format!("{}-{v}", p.name),
            _ => p.name.clone(),
        },
        None => doc.name.clone(),
    };
    doc.namespace = format!("https://spdx.org/spdxdocs/{}-{digest}", purl_encode(&base));
}

/// SHA-256 over everything `doc` says: its files and relationships fed field by field (they
/// are most of a document, and writing them as JSON only to hash them cost a tenth of a scan of
/// the CPython tarball), then the rest as SPDX 2.3 JSON. Each value goes in with its length, so
/// no two documents feed the same bytes; destructuring makes a new field of either a compile
/// error here until it is fed too.
fn content_digest(doc: &mut Document) -> [u8; 32] {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    let mut feed = |tag: &[u8], value: Option<&str>| {
        h.update(tag);
        match value {
            Some(v) => {
                h.update((v.len() as u64).to_le_bytes());
                h.update(v.as_bytes());
            }
            None => h.update(u64::MAX.to_le_bytes()),
        }
    };
    for file in &doc.files {
        let File {
            id,
            name,
            checksums,
            license_concluded,
            copyright_text,
            comment,
        } = file;
        feed(b"F", Some(id));
        feed(b"n", Some(name));
        for c in checksums {
            feed(b"c", Some(c.algorithm.name()));
            feed(b"v", Some(&c.value));
        }
        feed(b"l", license_concluded.as_deref());
        feed(b"r", copyright_text.as_deref());
        feed(b"m", comment.as_deref());
    }
    for r in &doc.relationships {
        let Relationship { from, kind, to } = r;
        feed(b"R", Some(from));
        feed(b"k", Some(kind));
        feed(b"t", Some(to));
    }
    // The rest, written without what was fed above (put back after).
    let files = std::mem::take(&mut doc.files);
    let relationships = std::mem::take(&mut doc.relationships);
    feed(b"D", Some(&crate::format::spdx2::write(doc)));
    doc.files = files;
    doc.relationships = relationships;
    h.finalize().into()
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
    /// Licences the root's own metadata declares in words, not as an SPDX expression.
    extracted_licenses: Vec<ExtractedLicense>,
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

    /// The root package: each field from the configuration's `[root]`, else from what the
    /// artifact says of itself inside (a wheel's `METADATA`, an sdist's `PKG-INFO`, an npm
    /// `package.json`), else from its single top directory (`Python-3.13.5`), else from its
    /// file name. Where a field came from is recorded (see [`Identity::source_info`]). Returns
    /// the root's ID and the template values.
    /// `found`: the version binary identification read for the component `[root] found`
    /// names, and the binary it was read from.
    fn root(
        &mut self,
        metadata: &[Evidence],
        found: Option<&(String, String)>,
    ) -> (String, TemplateVars) {
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
        // A lone binary's name is a file name (`libpcre2-8.so.0.11.2`), not `NAME-VERSION`.
        let from_name = if artifact.kind == crate::input::InputKind::Binary {
            crate::ident::artifact::ArtifactName {
                name: artifact_name.clone(),
                version: None,
                convention: Convention::Bare,
            }
        } else {
            parse_artifact_name(&artifact_name)
        };
        let top = self
            .inventory
            .stripped_root
            .as_deref()
            .and_then(|t| parse_top_directory(t).map(|a| (t, a)));
        let declared = own_metadata(metadata, &from_name);
        // Without a binary stating it, the version a configured pattern reads from the name.
        let named = config.root.version_from_name.as_ref().and_then(|p| {
            let v = p
                .regex
                .captures(&artifact_name)?
                .get(1)?
                .as_str()
                .to_owned();
            Some((
                v,
                "the file name, as `[root] version_from_name` reads it".to_owned(),
            ))
        });
        let found = found
            .map(|(v, path)| (v.clone(), format!("the bytes of `{path}`")))
            .or(named);
        let id = Identity::decide(
            config,
            declared.as_ref(),
            found.as_ref(),
            top,
            &from_name,
            if is_archive {
                "file name"
            } else {
                "directory name"
            },
        );
        let name = id.name.clone();
        let version = id.version.clone();
        // What Debian renamed: `python3.13_3.13.5.orig.tar.xz` holding `Python-3.13.5/` was
        // published upstream as `Python-3.13.5.tar.xz`.
        let release_file = match (
            &from_name.convention,
            self.inventory.stripped_root.as_deref(),
        ) {
            (Convention::DebianOrig { component: None }, Some(top_dir))
                if parse_top_directory(top_dir).is_some() =>
            {
                artifact_name
                    .to_ascii_lowercase()
                    .rfind(".orig.")
                    .map(|i| format!("{top_dir}{}", &artifact_name[i + ".orig".len()..]))
            }
            _ => None,
        }
        .unwrap_or_else(|| artifact_name.clone());
        let vars = TemplateVars {
            name: name.clone(),
            version: version.clone().unwrap_or_default(),
            artifact: artifact_name.clone(),
            release_file,
            sha256,
        };
        let root_id = match &config.root.id {
            Some(id) => {
                self.ids.reserve(id);
                id.clone()
            }
            None => self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &name)),
        };
        let license_declared = match (&config.root.license_declared, &declared) {
            (Some(l), _) => Some(l.clone()),
            (None, Some(d)) => d.license.as_ref().map(|(text, field)| {
                self.declared_license(text, &format!("`{field}` of `{}`", d.path))
            }),
            (None, None) => None,
        };
        let mut root = Package {
            id: root_id.clone(),
            name: name.clone(),
            version: version.clone(),
            supplier: config
                .root
                .supplier
                .clone()
                .or_else(|| declared.as_ref().and_then(|d| d.supplier.clone())),
            originator: config.root.originator.clone(),
            // A directory was not downloaded as a file: a template naming the artifact's file
            // does not apply to it.
            download_location: config
                .root
                .download_location
                .as_ref()
                .filter(|t| {
                    is_archive
                        || config.root.directory_download.unwrap_or(true)
                        || !(t.get_ref().contains("{release_file}")
                            || t.get_ref().contains("{artifact}"))
                })
                .map(|t| vars.expand(t.get_ref())),
            homepage: config
                .root
                .homepage
                .clone()
                .or_else(|| declared.as_ref().and_then(|d| d.homepage.clone())),
            license_concluded: config.root.license_concluded.clone(),
            license_declared,
            copyright_text: config.root.copyright_text.clone(),
            purpose: config
                .root
                .purpose
                .as_ref()
                .and_then(|p| Purpose::from_name(p.get_ref())),
            source_info: id.source_info(),
            comment: id.comment.clone(),
            ..Package::default()
        };
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
        match &config.root.purl {
            Some(t) => root
                .external_refs
                .push(ExternalRef::purl(vars.expand(t.get_ref()))),
            None => {
                if let Some(purl) = declared.as_ref().and_then(Declared::purl) {
                    root.external_refs.push(ExternalRef::purl(purl));
                }
            }
        }
        if let Some(url) = &config.vex.published {
            root.external_refs.push(ExternalRef {
                kind: crate::model::RefKind::Other {
                    category: "SECURITY".into(),
                    kind: "advisory".into(),
                },
                locator: vars.expand(url),
                comment: Some(crate::model::vex::VEX_REFERENCE_COMMENT.into()),
            });
        }
        self.packages.push(root);
        (root_id, vars)
    }

    /// A licence the artifact declares: an SPDX expression as it is (its identifiers spelt as
    /// the licence list spells them: `mit` is written `MIT`); anything else (free text
    /// such as `LGPL with exceptions`) as a `LicenseRef-` whose extracted text is exactly what
    /// was declared, so that nothing is guessed.
    fn declared_license(&mut self, text: &str, source: &str) -> String {
        if crate::spec::license_expression(text).is_ok() {
            return crate::spec::canonical_case(text).into_owned();
        }
        let id = license_ref_id(text);
        if !self.extracted_licenses.iter().any(|l| l.id == id) {
            self.extracted_licenses.push(ExtractedLicense {
                id: id.clone(),
                text: text.to_owned(),
                name: None,
                comment: Some(format!(
                    "declared in {source}, which is not an SPDX license expression"
                )),
                see_also: Vec::new(),
            });
        }
        id
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
            release_file: file_name.to_owned(),
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

    /// Vendored code found from source evidence: a package for each copy whose files no
    /// declared package owns, depending from the root and containing its files (deepest copies
    /// first, so a copy inside another owns its own files). When the input keeps an SBOM of
    /// its vendored code (`declared`), that SBOM speaks for it, and each copy it leaves out is
    /// a warning instead.
    fn take_vendored(&mut self, mut found: Vec<Candidate>, root_id: &str, declared: bool) {
        found.sort_by_key(|c| std::cmp::Reverse(c.path.matches('/').count()));
        let mut taken: Vec<(String, String)> = Vec::new();
        for c in found {
            let files: Vec<String> = if c.is_file {
                vec![c.path.clone()]
            } else {
                self.inventory.under(&c.path).map(str::to_owned).collect()
            };
            let mine: Vec<String> = files
                .into_iter()
                .filter(|f| {
                    !taken
                        .iter()
                        .any(|(p, _)| f == p || f.starts_with(&format!("{p}/")))
                })
                .collect();
            if mine.is_empty() || mine.iter().any(|f| self.owner.contains_key(f)) {
                continue;
            }
            let bundled_wheel = self
                .config
                .bundled_wheel
                .iter()
                .any(|w| PathGlob::new(w.path.get_ref()).is_ok_and(|g| g.is_match(&c.path)));
            if bundled_wheel {
                continue;
            }
            if declared {
                // A lone license file or a place is too little to warn a project about.
                if c.confidence == vendored::Confidence::Place {
                    continue;
                }
                let version = c
                    .version
                    .as_deref()
                    .unwrap_or("a version it does not state");
                self.diagnostics.push(Diagnostic::new(
                    &UNDECLARED_VENDORED,
                    self.location(&c.path),
                    format!(
                        "`{}` looks like vendored code ({} {version}), and no kept SBOM declares it",
                        c.path, c.name
                    ),
                ));
                continue;
            }
            let id = self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &c.name));
            for f in &mine {
                self.owner.insert(f.clone(), id.clone());
            }
            taken.push((c.path.clone(), id.clone()));
            self.relationships
                .push(Relationship::new(root_id, "DEPENDS_ON", id.clone()));
            self.packages.push(vendored_package(&c, id));
        }
    }

    /// Libraries found in native binaries: a separate shared library is its library's package
    /// (which `CONTAINS` it); a binary with a library linked in keeps its owner, which
    /// `DEPENDS_ON` the library's package, and the binary `STATIC_LINK`s it. One package per
    /// library and version. Files another package already owns (a kept SBOM's, a vendored
    /// copy's) are left to it.
    /// Names in the root's summary the builds (`[[root.variant]]`) whose files the artifact
    /// holds, or whose name the artifact's file name carries.
    fn name_variants(&mut self, root_id: &str, artifact_name: &str) {
        let names: Vec<&str> = self
            .config
            .root
            .variant
            .iter()
            .filter(|v| {
                v.artifact
                    .as_ref()
                    .is_some_and(|p| p.regex.is_match(artifact_name))
                    || v.file.as_ref().is_some_and(|p| {
                        self.inventory
                            .files
                            .iter()
                            .any(|f| p.regex.is_match(&f.path))
                    })
            })
            .map(|v| v.name.as_str())
            .collect();
        if names.is_empty() {
            return;
        }
        if let Some(root) = self.packages.iter_mut().find(|p| p.id == root_id) {
            root.summary = Some(format!("{} build", names.join(", ")));
        }
    }

    fn take_binaries(&mut self, seen: Vec<Examined>, root_id: &str) {
        let mut packages: HashMap<(String, Option<String>), usize> = HashMap::new();
        let mut linked: Vec<(String, String, String)> = Vec::new();
        for e in &seen {
            if let Some(problem) = &e.problem {
                self.diagnostics.push(Diagnostic::new(
                    &BINARY_NOT_EXAMINED,
                    self.location(&e.path),
                    format!("`{}` was not examined for libraries: {problem}", e.path),
                ));
            }
        }
        for pass in [binary::Linkage::Separate, binary::Linkage::Static] {
            for e in &seen {
                if self
                    .owner
                    .get(&e.path)
                    .is_some_and(|o| !packages.values().any(|i| &self.packages[*i].id == o))
                {
                    continue;
                }
                for f in e.found.iter().filter(|f| f.linkage == pass) {
                    let root_version = self
                        .packages
                        .iter()
                        .find(|p| p.id == root_id)
                        .and_then(|p| p.version.clone());
                    if self.config.root.found.as_deref() == Some(f.name.as_str())
                        && (f.version.is_none() || f.version == root_version)
                    {
                        // The root is this component: its evidence goes on the root, whose
                        // files these are already.
                        if let Some(root) = self.packages.iter_mut().find(|p| p.id == root_id) {
                            root.evidence.get_or_insert_with(|| model::Evidence {
                                technique: "binary-analysis".into(),
                                confidence: f.confidence,
                                occurrences: Vec::new(),
                            });
                            add_binary_evidence(root, &e.path, f);
                        }
                        continue;
                    }
                    let key = (f.name.clone(), f.version.clone());
                    let index = match packages.get(&key) {
                        Some(i) => *i,
                        None => {
                            let id = self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &f.name));
                            self.packages.push(binary_package(f, id));
                            packages.insert(key, self.packages.len() - 1);
                            self.packages.len() - 1
                        }
                    };
                    let package = &mut self.packages[index];
                    add_binary_evidence(package, &e.path, f);
                    let id = package.id.clone();
                    match pass {
                        binary::Linkage::Separate => {
                            self.owner.insert(e.path.clone(), id.clone());
                            linked.push((root_id.to_owned(), "DEPENDS_ON".into(), id));
                        }
                        binary::Linkage::Static => {
                            let owner = self
                                .owner
                                .get(&e.path)
                                .cloned()
                                .unwrap_or_else(|| root_id.to_owned());
                            let file_id = match self.file_ids.get(&e.path) {
                                Some(id) => id.clone(),
                                None => {
                                    let fid = self.ids.allocate(spdx_id("SPDXRef-FILE-", &e.path));
                                    self.file_ids.insert(e.path.clone(), fid.clone());
                                    fid
                                }
                            };
                            if owner != id {
                                linked.push((owner, "DEPENDS_ON".into(), id.clone()));
                            }
                            linked.push((file_id, "STATIC_LINK".into(), id));
                        }
                    }
                }
            }
        }
        let mut done: std::collections::HashSet<(String, String, String)> =
            std::collections::HashSet::new();
        for (from, kind, to) in linked {
            if done.insert((from.clone(), kind.clone(), to.clone())) {
                self.relationships
                    .push(Relationship::new(from, kind.as_str(), to));
            }
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
        // Without a template, [`seal_namespace`] names the finished document after its content.
        let namespace = config
            .document
            .namespace
            .as_ref()
            .map_or_else(String::new, |t| vars.expand(t.get_ref()));
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
            extracted_licenses: std::mem::take(&mut self.extracted_licenses),
            external_documents: Vec::new(),
        }
    }
}

/// `value` as a CPE 2.3 formatted-string attribute: characters other than letters, digits,
/// `.`, `_` and `-` quoted with a backslash.
fn cpe_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The package of a copy of vendored code: its name and the version its source states, a
/// CPE from the detector table or a PURL in the registry its metadata names (never guessed),
/// and the evidence, as a comment and as structured evidence.
fn vendored_package(c: &Candidate, id: String) -> Package {
    let mut refs = Vec::new();
    if let Some(v) = &c.version {
        if let Some((vendor, product)) = c.cpe.and_then(|t| t.split_once(':')) {
            refs.push(ExternalRef::cpe23(format!(
                "cpe:2.3:a:{vendor}:{product}:{}:*:*:*:*:*:*:*",
                cpe_quote(v)
            )));
        }
        match c.registry {
            Some(vendored::Registry::PyPi) => refs.push(ExternalRef::purl(pypi_purl(&c.name, v))),
            Some(vendored::Registry::Npm) => refs.push(ExternalRef::purl(npm_purl(&c.name, v))),
            Some(vendored::Registry::Cargo) => refs.push(ExternalRef::purl(format!(
                "pkg:cargo/{}@{}",
                purl_encode(&c.name),
                purl_encode(v)
            ))),
            None => {}
        }
    }
    let mut comment = format!(
        "Found by bomsmith from source evidence ({} confidence) at `{}`:",
        c.confidence.name(),
        c.path
    );
    for line in &c.evidence {
        comment.push_str("\n- ");
        comment.push_str(line);
    }
    let mut occurrences: Vec<Occurrence> = c
        .statements
        .iter()
        .map(|s| Occurrence {
            location: s.file.clone(),
            line: (s.line > 0).then_some(s.line as u64),
            text: Some(format!("{} ({})", s.excerpt, s.version)),
        })
        .collect();
    if occurrences.is_empty() {
        occurrences.push(Occurrence {
            location: c.path.clone(),
            line: None,
            text: c.evidence.first().cloned(),
        });
    }
    Package {
        id,
        name: c.name.clone(),
        // A copy whose source states no version says so: an explicit unknown, as for binaries.
        version: Some(c.version.clone().unwrap_or_else(|| NOASSERTION.into())),
        supplier: c.supplier.clone(),
        file_name: c
            .is_file
            .then(|| c.path.rsplit('/').next().unwrap_or(&c.path).to_owned()),
        download_location: None,
        license_concluded: Some(NOASSERTION.into()),
        comment: Some(comment),
        external_refs: refs,
        purpose: Some(Purpose::Source),
        evidence: Some(model::Evidence {
            technique: if c.is_file {
                "manifest-analysis".into()
            } else {
                "source-code-analysis".into()
            },
            confidence: (c.confidence.score() * 100.0).round() as u8,
            occurrences,
        }),
        ..Package::default()
    }
}

/// The package of a library found in binaries (its evidence is added binary by binary).
/// The version binary identification read for the component `name`, and the binary it read
/// it from: a binary named after it first, the most closely (`python313.dll`, then
/// `python.exe`, not `_asyncio.pyd`), a separate build before a static copy, the shallowest,
/// then in path order.
fn found_version(binaries: &[Examined], name: &str) -> Option<(String, String)> {
    binaries
        .iter()
        .flat_map(|e| {
            e.found.iter().filter(|f| f.name == name).filter_map(|f| {
                let v = f.version.as_deref()?;
                let key = (
                    std::cmp::Reverse(binary::named_after(name, &e.path)),
                    f.linkage != binary::Linkage::Separate,
                    e.path.matches('/').count(),
                    e.path.as_str(),
                );
                Some((key, v))
            })
        })
        .min()
        .map(|((.., path), v)| (v.to_owned(), path.to_owned()))
}

fn binary_package(f: &binary::Found, id: String) -> Package {
    let mut refs = Vec::new();
    if let (Some(v), Some((vendor, product))) =
        (&f.version, f.cpe.as_deref().and_then(|t| t.split_once(':')))
    {
        refs.push(ExternalRef::cpe23(format!(
            "cpe:2.3:a:{vendor}:{product}:{}:*:*:*:*:*:*:*",
            cpe_quote(v)
        )));
    }
    Package {
        id,
        name: f.name.clone(),
        // The bytes state none: an explicit unknown, never a guess.
        version: Some(f.version.clone().unwrap_or_else(|| NOASSERTION.into())),
        supplier: f.supplier.clone(),
        license_concluded: Some(NOASSERTION.into()),
        external_refs: refs,
        purpose: Some(Purpose::Library),
        evidence: Some(model::Evidence {
            technique: "binary-analysis".into(),
            confidence: f.confidence,
            occurrences: Vec::new(),
        }),
        ..Package::default()
    }
}

/// Adds what binary `path` shows of `f` to its package: the occurrences, and a line of the
/// package comment.
fn add_binary_evidence(p: &mut Package, path: &str, f: &binary::Found) {
    let version = f.version.as_deref().unwrap_or("no version stated");
    let line = format!(
        "- `{path}` ({}, {version}): {}",
        f.linkage.name(),
        f.clues.join("; ")
    );
    let comment = p.comment.get_or_insert_with(|| {
        "Found by bomsmith in native binaries, from the evidence in their bytes:".to_owned()
    });
    comment.push('\n');
    comment.push_str(&line);
    if let Some(e) = &mut p.evidence {
        e.confidence = e.confidence.max(f.confidence);
        for clue in &f.clues {
            e.occurrences.push(Occurrence {
                location: path.to_owned(),
                line: None,
                text: Some(clue.clone()),
            });
        }
    }
}

/// What the artifact says of itself inside: the metadata of the one distribution it is.
#[derive(Debug)]
struct Declared {
    /// The file it was read from (`PKG-INFO`, `x-1.dist-info/METADATA`, `package.json`).
    path: String,
    /// The registry it names the package in.
    registry: Registry,
    name: String,
    version: Option<String>,
    /// The licence as declared, and the field it was declared in.
    license: Option<(String, &'static str)>,
    supplier: Option<String>,
    homepage: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Registry {
    PyPi,
    /// npm; a `private` package was never published there.
    Npm {
        private: bool,
    },
}

impl Declared {
    fn python(m: &DistMetadata) -> Self {
        let license = match (&m.license_expression, &m.license) {
            (Some(e), _) => Some((e.clone(), "License-Expression")),
            (None, Some(l)) => Some((l.clone(), "License")),
            (None, None) => None,
        };
        Declared {
            path: m.path.clone(),
            registry: Registry::PyPi,
            name: m.name.clone(),
            version: m.version.clone(),
            license,
            supplier: m.supplier.clone(),
            homepage: m.homepage.clone(),
        }
    }

    fn npm(p: &NpmPackage) -> Self {
        Declared {
            path: p.path.clone(),
            registry: Registry::Npm { private: p.private },
            name: p.name.clone(),
            version: p.version.clone(),
            license: p.license.clone().map(|l| (l, "license")),
            supplier: p.supplier.clone(),
            homepage: p.homepage.clone(),
        }
    }

    /// The package's PURL in its registry, from its own name and version.
    fn purl(&self) -> Option<String> {
        let version = self.version.as_deref()?;
        match self.registry {
            Registry::PyPi => Some(pypi_purl(&self.name, version)),
            Registry::Npm { private: false } => Some(npm_purl(&self.name, version)),
            Registry::Npm { private: true } => None,
        }
    }
}

/// The metadata of the distribution the input is, when it says: a wheel's own
/// `*.dist-info/METADATA` (of several, the one named like the file), else an sdist's
/// `PKG-INFO`, else an npm `package.json`.
fn own_metadata(evidence: &[Evidence], from_name: &ArtifactName) -> Option<Declared> {
    let python: Vec<&DistMetadata> = evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Metadata(m) => Some(m),
            _ => None,
        })
        .collect();
    let wheel: Vec<&DistMetadata> = python
        .iter()
        .copied()
        .filter(|m| m.path.ends_with(".dist-info/METADATA"))
        .collect();
    let chosen = match wheel.as_slice() {
        [one] => Some(*one),
        [] => python.iter().copied().find(|m| m.path == "PKG-INFO"),
        several => several
            .iter()
            .copied()
            .find(|m| pep503(&m.name) == pep503(&from_name.name)),
    };
    if let Some(m) = chosen {
        return Some(Declared::python(m));
    }
    evidence.iter().find_map(|e| match e {
        Evidence::Npm(p) => Some(Declared::npm(p)),
        _ => None,
    })
}

/// Where a field of the root package came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// `[root]` of the configuration: not recorded, the configuration is the user's own.
    Config,
    /// The artifact's name by the plain `NAME-VERSION` convention (or no convention): the
    /// default, not recorded.
    PlainName,
    /// Recorded: what the field was read from, in words.
    Recorded(String),
}

/// The root package's name and version, and where each of its fields came from.
#[derive(Debug)]
struct Identity {
    name: String,
    version: Option<String>,
    /// `(field, source)` for every field whose source is recorded, in a fixed order.
    sources: Vec<(&'static str, String)>,
    /// The Debian source package the file name names, when the root is named otherwise.
    comment: Option<String>,
}

impl Identity {
    /// Decides the name and version: `[root]` > metadata inside > top directory > file name.
    fn decide(
        config: &Config,
        declared: Option<&Declared>,
        found: Option<&(String, String)>,
        top: Option<(&str, ArtifactName)>,
        from_name: &ArtifactName,
        name_kind: &str,
    ) -> Self {
        let file_source = match from_name.convention {
            Convention::NameVersion | Convention::Bare => Source::PlainName,
            ref c => Source::Recorded(format!("the {name_kind} ({})", c.describe())),
        };
        let top_source = top.as_ref().map(|(dir, a)| {
            let same = from_name.convention == Convention::NameVersion
                && a.name == from_name.name
                && a.version == from_name.version;
            if same {
                Source::PlainName
            } else {
                Source::Recorded(format!("the top directory `{dir}`"))
            }
        });
        let declared_source =
            declared.map(|d| Source::Recorded(format!("`{}` in the artifact", d.path)));

        let (name, name_source) = match (&config.root.name, declared, &top) {
            (Some(n), _, _) => (n.clone(), Source::Config),
            (None, Some(d), _) => (
                d.name.clone(),
                declared_source.clone().unwrap_or(Source::Config),
            ),
            (None, None, Some((_, a))) => (
                a.name.clone(),
                top_source.clone().unwrap_or(Source::PlainName),
            ),
            (None, None, None) => (from_name.name.clone(), file_source.clone()),
        };
        let (version, version_source) = if let Some(v) = &config.root.version {
            (Some(v.clone()), Source::Config)
        } else if let Some((v, whence)) = found {
            (Some(v.clone()), Source::Recorded(whence.clone()))
        } else if let Some(v) = declared.and_then(|d| d.version.clone()) {
            (Some(v), declared_source.clone().unwrap_or(Source::Config))
        } else if let Some((_, a)) = &top {
            (
                a.version.clone(),
                top_source.clone().unwrap_or(Source::PlainName),
            )
        } else {
            (from_name.version.clone(), file_source.clone())
        };

        let mut sources = Vec::new();
        for (field, source) in [("name", &name_source), ("version", &version_source)] {
            if let Source::Recorded(s) = source {
                sources.push((field, s.clone()));
            }
        }
        if let (Some(d), Some(Source::Recorded(s))) = (declared, &declared_source) {
            let root = &config.root;
            for (field, has, configured) in [
                (
                    "declared licence",
                    d.license.is_some(),
                    root.license_declared.is_some(),
                ),
                ("supplier", d.supplier.is_some(), root.supplier.is_some()),
                ("home page", d.homepage.is_some(), root.homepage.is_some()),
                ("PURL", d.purl().is_some(), root.purl.is_some()),
            ] {
                if has && !configured {
                    sources.push((field, s.clone()));
                }
            }
        }

        let comment = if from_name.convention.is_debian()
            && (from_name.name != name || from_name.version != version)
        {
            Some(format!(
                "Debian source package `{}`{}, as its file name says ({})",
                from_name.name,
                from_name
                    .version
                    .as_ref()
                    .map_or_else(String::new, |v| format!(" version {v}")),
                from_name.convention.describe()
            ))
        } else {
            None
        };
        Identity {
            name,
            version,
            sources,
            comment,
        }
    }

    /// SPDX `sourceInfo` of the root: which fields were read from where, when any were read
    /// from somewhere other than the configuration or a plain `NAME-VERSION` name.
    fn source_info(&self) -> Option<String> {
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for (field, source) in &self.sources {
            match groups.iter_mut().find(|(s, _)| s == source) {
                Some((_, fields)) => fields.push(field),
                None => groups.push((source, vec![field])),
            }
        }
        if groups.is_empty() {
            return None;
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|(source, fields)| {
                let list = match fields.split_last() {
                    Some((last, [])) => (*last).to_owned(),
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                };
                format!("{list} from {source}")
            })
            .collect();
        Some(parts.join("; "))
    }
}

/// The `LicenseRef-` ID of a licence declared in words: the words, with every run of
/// characters an ID may not hold as one `-`; long or multi-line texts by their first words and
/// a digest of the whole.
fn license_ref_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-');
    if id.is_empty() || id.len() > 64 || text.contains('\n') {
        use sha2::Digest;
        let digest = hex::encode(sha2::Sha256::digest(text.as_bytes()));
        let head: String = id.chars().take(32).collect();
        let head = head.trim_matches('-');
        return match head {
            "" => format!("LicenseRef-{}", &digest[..16]),
            h => format!("LicenseRef-{h}-{}", &digest[..16]),
        };
    }
    format!("LicenseRef-{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_ref_ids_hold_only_id_characters() {
        assert_eq!(
            license_ref_id("LGPL with exceptions"),
            "LicenseRef-LGPL-with-exceptions"
        );
        assert_eq!(
            license_ref_id("  BSD (3 clause) "),
            "LicenseRef-BSD-3-clause"
        );
        let long = "Copyright (c) 2024 Someone\nPermission is hereby granted, free of charge";
        let id = license_ref_id(long);
        // The first 32 characters of the words, then the first 16 hex digits of the text's
        // SHA-256 (Python's hashlib).
        assert_eq!(
            id,
            "LicenseRef-Copyright-c-2024-Someone-Permiss-7238769b975758c2"
        );
        assert!(crate::ident::is_ref_id(&id, "LicenseRef-"), "{id}");
        assert_eq!(license_ref_id("©"), license_ref_id("©"));
        assert!(license_ref_id("©").starts_with("LicenseRef-"));
    }

    fn identity(
        root_name: Option<&str>,
        declared: Option<&Declared>,
        top: Option<&str>,
        file: &str,
    ) -> Identity {
        let mut config = Config::default();
        config.root.name = root_name.map(str::to_owned);
        Identity::decide(
            &config,
            declared,
            None,
            top.and_then(|t| parse_top_directory(t).map(|a| (t, a))),
            &parse_artifact_name(file),
            "file name",
        )
    }

    #[test]
    fn precedence_config_metadata_top_directory_file_name() {
        // The top directory names what the Debian file name does not.
        let id = identity(
            None,
            None,
            Some("Python-3.13.5"),
            "python3.13_3.13.5.orig.tar.xz",
        );
        assert_eq!(
            (id.name.as_str(), id.version.as_deref()),
            ("Python", Some("3.13.5"))
        );
        assert_eq!(
            id.source_info().as_deref(),
            Some("name and version from the top directory `Python-3.13.5`")
        );
        let comment = id.comment.expect("Debian name kept");
        assert!(comment.contains("`python3.13` version 3.13.5"), "{comment}");
        // The configuration's name wins; the version is still the top directory's.
        let id = identity(
            Some("CPython"),
            None,
            Some("Python-3.13.5"),
            "python3.13_3.13.5.orig.tar.xz",
        );
        assert_eq!(
            (id.name.as_str(), id.version.as_deref()),
            ("CPython", Some("3.13.5"))
        );
        assert_eq!(
            id.source_info().as_deref(),
            Some("version from the top directory `Python-3.13.5`")
        );
        // A plain NAME-VERSION file name whose top directory agrees records nothing.
        let id = identity(
            Some("CPython"),
            None,
            Some("Python-3.13.5"),
            "Python-3.13.5.tar.xz",
        );
        assert_eq!(id.source_info(), None);
        assert_eq!(id.comment, None);
        // The Debian packaging tarball: its file name is all there is.
        let id = identity(None, None, None, "curl_7.88.1-10+deb12u15.debian.tar.xz");
        assert_eq!(
            (id.name.as_str(), id.version.as_deref()),
            ("curl", Some("7.88.1-10+deb12u15"))
        );
        assert!(
            id.source_info().is_some_and(
                |s| s.starts_with("name and version from the file name (Debian packaging")
            ),
            "{:?}",
            id.source_info()
        );
        assert_eq!(id.comment, None);
        // Metadata inside wins over both.
        let declared = Declared {
            path: "PKG-INFO".into(),
            registry: Registry::PyPi,
            name: "requests".into(),
            version: Some("2.32.3".into()),
            license: Some(("Apache-2.0".into(), "License")),
            supplier: None,
            homepage: None,
        };
        let id = identity(None, Some(&declared), Some("other-1.0"), "x-2.0.tar.gz");
        assert_eq!(
            (id.name.as_str(), id.version.as_deref()),
            ("requests", Some("2.32.3"))
        );
        assert_eq!(
            id.source_info().as_deref(),
            Some("name, version, declared licence and PURL from `PKG-INFO` in the artifact")
        );
    }
}
