//! `scan`: from an input to a document, along the pipeline: the inventory (input and digests),
//! the detectors the configuration calls for, and assembly.

use crate::assemble::{self, Detectors};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::digest::DigestSet;
use crate::error::Result;
use crate::glob::Excludes;
use crate::input::ReadOptions;
use crate::inventory::{self, Summary};
use crate::model::Document;
use std::path::Path;

/// Everything a scan needs besides the input path.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Project configuration or preset.
    pub config: Config,
    /// How to read the input (bounds; for a directory, whether through git).
    pub read: ReadOptions,
    /// Paths to leave out, besides the configuration's `[scan] exclude`.
    pub excludes: Vec<String>,
    /// Paths to leave out exactly as named (relative to the input's root): a command's own
    /// output file when it lies inside the scanned directory.
    pub leave_out: Vec<String>,
    /// Digests beyond SHA-1 and SHA-256.
    pub digests: DigestSet,
    /// Creation time (`YYYY-MM-DDThh:mm:ssZ`).
    pub created: String,
    /// Counters a progress display reads while the input is read.
    pub progress: Option<std::sync::Arc<crate::digest::Progress>>,
    /// Levels of archives inside the input to look into, over the configuration's
    /// `[scan] nested_depth` (default [`inventory::DEFAULT_NESTED_DEPTH`]); 0 lists them as
    /// files only.
    pub nested_depth: Option<usize>,
    /// The source release the (binary) input was built from, whose declared versions are
    /// cross-checked against the document (`[source]` of the configuration says what to read).
    pub source: Option<std::path::PathBuf>,
}

/// The result of a scan.
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    /// The assembled document.
    pub document: Document,
    /// What was read.
    pub summary: Summary,
    /// Problems that left the document complete and correct, and contradictions worth a look.
    pub diagnostics: Vec<Diagnostic>,
}

/// Scans the input at `path` and assembles its document.
pub fn scan(path: &Path, options: &ScanOptions) -> Result<ScanOutcome> {
    let config = &options.config;
    let mut patterns = options.excludes.clone();
    patterns.extend(config.scan.exclude.iter().cloned());
    let mut excludes = Excludes::new(&patterns, "exclude pattern")?;
    for path in &options.leave_out {
        excludes.leave_out(path.clone());
    }
    let inventory_options = inventory::Options {
        read: options.read.clone(),
        excludes,
        digests: options.digests,
        strip_root: config.scan.strip_root_dir,
        hash_only: None,
        progress: options.progress.clone(),
        nested_depth: options
            .nested_depth
            .or(config.scan.nested_depth)
            .unwrap_or(inventory::DEFAULT_NESTED_DEPTH),
    };
    let detectors = Detectors::new(config, &options.read.limits)?;
    let (inventory, evidence) = crate::detect::run(path, &inventory_options, &detectors.all())?;
    let mut assembled =
        assemble::assemble(config, &inventory, &detectors, evidence, &options.created)?;
    if options.digests.sha512 && inventory.artifact.kind != crate::input::InputKind::Directory {
        add_artifact_sha512(&mut assembled.document, path)?;
    }
    assemble::configure_packages(&mut assembled.document, config)?;
    if config.document.namespace.is_none() {
        assemble::seal_namespace(&mut assembled.document);
    }
    let mut diagnostics = inventory.diagnostics.clone();
    diagnostics.extend(assembled.diagnostics);
    if let Some(source) = &options.source {
        let facts = crate::crosscheck::read_source(source, config, &options.read)?;
        diagnostics.extend(crate::crosscheck::cross_check(&assembled.document, &facts));
    }
    Ok(ScanOutcome {
        document: assembled.document,
        summary: inventory.summary,
        diagnostics,
    })
}

/// The bundled preset that fits the input at `path`, for a preset `name` that stands for a
/// family: `cpython` is the source release preset, `cpython-windows` for an input holding a
/// `python3NN.dll` (an embeddable, NuGet or install manager package, an installed layout, a
/// lone PE binary) and `cpython-macos` for a flat installer package, a framework or a lone
/// Mach-O binary. A tar is taken for a source release (python.org ships binaries as zips,
/// installers and packages). Any other name is returned as it is. Also returns why, for the
/// summary.
pub fn pick_preset(name: &str, path: &Path, read: &ReadOptions) -> Result<(String, String)> {
    use crate::input::{InputKind, detect};
    if name != "cpython" {
        return Ok((name.to_owned(), String::new()));
    }
    let pick = |preset: &str, why: &str| Ok((preset.to_owned(), why.to_owned()));
    match detect(path)? {
        InputKind::Xar => pick("cpython-macos", "a macOS installer package"),
        InputKind::Tar(_) | InputKind::Cpio(_) => pick("cpython", "a source release"),
        InputKind::Binary => {
            let mut head = [0u8; 4];
            let shown = path.display().to_string();
            std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                .map_err(|e| crate::error::Error::io(&shown, e))?;
            match head {
                [b'M', b'Z', ..] => pick("cpython-windows", "a Windows (PE) binary"),
                [0x7f, b'E', b'L', b'F'] => Err(crate::error::Error::Unsupported {
                    path: shown,
                    message: "an ELF binary: the cpython presets describe source releases and python.org's Windows and macOS artifacts; scan it without a preset, or name one with --preset".into(),
                }),
                _ => pick("cpython-macos", "a macOS (Mach-O) binary"),
            }
        }
        kind @ (InputKind::Zip | InputKind::Directory) => {
            let mut names = Names::default();
            crate::input::read_input(path, kind, read, &mut names)?;
            Ok(names.pick())
        }
    }
}

/// The file names of an input, for [`pick_preset`]; bodies are not read.
#[derive(Default)]
struct Names {
    source: bool,
    windows: bool,
    macos: bool,
}

impl Names {
    fn see(&mut self, path: &str) {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let below = path.split_once('/').map_or("", |(_, r)| r);
        if ["Include/patchlevel.h", "Misc/sbom.spdx.json"]
            .iter()
            .any(|m| path == *m || below == *m)
        {
            self.source = true;
        }
        let windows_dll = name.strip_prefix("python3").is_some_and(|rest| {
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            let rest = rest.strip_prefix('t').unwrap_or(rest);
            let rest = rest.strip_prefix("_d").unwrap_or(rest);
            rest == ".dll"
        });
        self.windows |= windows_dll;
        self.macos |= name.ends_with("-darwin.so")
            || path
                .split('/')
                .any(|c| c == "Python.framework" || c == "PythonT.framework");
    }

    fn pick(&self) -> (String, String) {
        let (preset, why) = if self.source {
            ("cpython", "a source tree")
        } else if self.windows {
            ("cpython-windows", "it holds a python3NN.dll")
        } else if self.macos {
            (
                "cpython-macos",
                "it holds a framework or Darwin extension modules",
            )
        } else {
            ("cpython", "no Windows or macOS build found in it")
        };
        (preset.to_owned(), why.to_owned())
    }
}

impl crate::input::EntrySink for Names {
    fn file(&mut self, path: &str, _: &mut dyn std::io::Read) -> std::io::Result<()> {
        self.see(path);
        Ok(())
    }
    fn file_at(&mut self, path: &str, _: &Path) -> std::io::Result<()> {
        self.see(path);
        Ok(())
    }
    fn hard_link(&mut self, path: &str, _: &str) {
        self.see(path);
    }
    fn other(&mut self, path: &str, _: crate::input::EntryKind) {
        self.see(path);
    }
    fn warn(&mut self, _: Diagnostic) {}
}

/// Adds the SHA-512 of the archive at `path` to the described package that stands for it
/// (`--sha512`: the hash of the deployable form, as BSI TR-03183-2 asks).
fn add_artifact_sha512(doc: &mut Document, path: &Path) -> Result<()> {
    use sha2::Digest;
    use std::io::Read;
    let shown = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|e| crate::error::Error::io(&shown, e))?;
    let mut hasher = sha2::Sha512::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| crate::error::Error::io(&shown, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finalize();
    let described: Vec<String> = doc.described().map(str::to_owned).collect();
    if let Some(root) = doc
        .packages
        .iter_mut()
        .find(|p| described.contains(&p.id) && p.file_name.is_some())
    {
        root.checksums.push(crate::model::Checksum::from_bytes(
            crate::model::Algorithm::Sha512,
            &digest[..],
        ));
    }
    Ok(())
}

/// Puts what `[cyclonedx]` of `config` says into CycloneDX write options: the BSI
/// TR-03183-2 component properties, and the completeness of the dependencies.
pub fn cyclonedx_statements(config: &Config, options: &mut crate::format::cyclonedx::WriteOptions) {
    for (key, value) in config.cyclonedx.set() {
        let value = value.get_ref().clone();
        match key {
            "dependencies" => options.dependencies_aggregate = Some(value),
            flag => {
                options.component_properties.insert(
                    format!("{}{flag}", crate::format::cyclonedx::BSI_PROPERTY_PREFIX),
                    value,
                );
            }
        }
    }
}
