//! Libraries identified inside native binaries (PE, ELF, Mach-O, fat Mach-O): which
//! libraries a `.dll`, `.pyd`, `.so` or `.dylib` is, or has linked in, and the versions its
//! bytes state, each with the evidence that shows it.
//!
//! Binaries are recognised by their magic bytes and looked at as they stream: the detector
//! keeps what it found, never the bytes. What it looks for is data, the signature table
//! (`signatures.toml`); the evidence it reads is the binary's C strings (with section and
//! offset), its symbols (a tiny function's constant, a `const char *` followed, an integer),
//! its PE version resource, its Authenticode description, and the names it goes by (SONAME,
//! install name, file name). Names a binary links to are never evidence that it bundles them,
//! and a SONAME's number is never a version.

pub mod code;
pub mod read;
pub mod table;
pub mod versioninfo;

use super::{Detector, Evidence};
use crate::error::Result;
use crate::inventory::Inventory;
use read::{Binary, Slice};
use std::collections::BTreeMap;
use std::sync::Mutex;
use table::{Anchor, Library, Pattern, Read, Table};

/// Largest distance, in bytes, between a bare version and the string it must sit beside.
const NEAR: u64 = 512;

/// Longest C string looked at (version strings are short; build paths are not long).
const MAX_STRING: usize = 512;

/// How a library is in a binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Linkage {
    /// The binary is (a build of) the library: a separate shared library.
    Separate,
    /// The library's code is linked into the binary.
    Static,
}

impl Linkage {
    /// How reports name it.
    pub fn name(self) -> &'static str {
        match self {
            Linkage::Separate => "separate shared library",
            Linkage::Static => "statically linked",
        }
    }
}

/// One library found in one binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Component name (the table's).
    pub name: String,
    /// The version the bytes state; `None` when they state none.
    pub version: Option<String>,
    /// Who publishes it (`Organization: …`).
    pub supplier: Option<String>,
    /// NVD's `vendor:product`.
    pub cpe: Option<String>,
    /// Separate or linked in.
    pub linkage: Linkage,
    /// The release series the bytes state without a release (`3.5` from `OPENSSL_3.5.0`).
    pub series: Option<String>,
    /// 0 to 100: how sure the version (or, without one, the presence) is.
    pub confidence: u8,
    /// What shows it, strongest first, each naming its place in the binary.
    pub clues: Vec<String>,
}

/// One binary as examined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Examined {
    /// Its path in the input.
    pub path: String,
    /// Its format and architectures (`ELF X86_64`, `fat Mach-O X86_64+Aarch64`).
    pub kind: String,
    /// The libraries in it.
    pub found: Vec<Found>,
    /// The file names of the libraries it links to (`DT_NEEDED`, `LC_LOAD_DYLIB`, PE
    /// imports): never evidence of what it holds, only of which companion states its version.
    pub links: Vec<String>,
    /// Why it could not be read, when it could not.
    pub problem: Option<String>,
}

/// Finds libraries in the native binaries of an input.
#[derive(Debug, Default)]
pub struct BinaryDetector {
    seen: Mutex<Vec<Examined>>,
}

impl Detector for BinaryDetector {
    fn wants(&self, path: &str) -> bool {
        path.rsplit('/').next() == Some("Info.plist")
    }

    fn looks_at_content(&self) -> bool {
        true
    }

    fn wants_content(&self, path: &str, head: &[u8]) -> bool {
        crate::input::looks_like_binary(head) && !super::vendored::is_fixture(path)
    }

    fn look_at(&self, path: &str, bytes: Option<&[u8]>) {
        let examined = match bytes {
            Some(bytes) => examine(path, bytes),
            None => Examined {
                path: path.to_owned(),
                kind: "binary".into(),
                found: Vec::new(),
                links: Vec::new(),
                problem: Some(format!(
                    "larger than the {} MiB bomsmith reads into memory: not examined",
                    crate::inventory::CAPTURE_LIMIT >> 20
                )),
            },
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(examined);
        }
    }

    fn detect(&self, inventory: &Inventory, found: &mut Vec<Evidence>) -> Result<()> {
        let mut seen: Vec<Examined> = match self.seen.lock() {
            Ok(mut s) => std::mem::take(&mut *s),
            Err(_) => Vec::new(),
        };
        for e in &mut seen {
            e.path = inventory.named(&e.path);
        }
        // Files the excludes left out, or in test directories once the root is stripped.
        seen.retain(|e| inventory.has(&e.path) && !super::vendored::is_fixture(&e.path));
        for path in inventory.under("") {
            if path.rsplit('/').next() == Some("Info.plist")
                && !super::vendored::is_fixture(path)
                && let Some(text) = inventory.text(path)
                && let Some(e) = plist(path, &text)
            {
                seen.push(e);
            }
        }
        seen.sort_by(|a, b| a.path.cmp(&b.path));
        companions(&mut seen);
        found.extend(seen.into_iter().map(Evidence::Binary));
        Ok(())
    }
}

/// Examines the binary `bytes` at `path`.
pub fn examine(path: &str, bytes: &[u8]) -> Examined {
    let table = table::table();
    let binary = match read::read(bytes, &|n| table.symbol_names.contains(n), &|n| {
        table.pointers.contains(n)
    }) {
        Ok(b) => b,
        Err(problem) => {
            return Examined {
                path: path.to_owned(),
                kind: "unreadable".into(),
                found: Vec::new(),
                links: Vec::new(),
                problem: Some(problem),
            };
        }
    };
    let arch: Vec<&str> = binary.slices.iter().map(|s| s.arch.as_str()).collect();
    let kind = format!("{} {}", binary.format.name(), arch.join("+"));
    let file_name = path.rsplit(['/', '!']).next().unwrap_or(path);
    let found = identify(table, &binary, bytes, file_name);
    let links = binary
        .needed
        .iter()
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
        .collect();
    Examined {
        path: path.to_owned(),
        kind,
        found,
        links,
        problem: None,
    }
}

/// A version with its rank (lower is stronger) and what showed it.
struct Stated {
    rank: u8,
    version: String,
    clue: String,
}

/// What one library's rules found in one binary.
#[derive(Default)]
struct Tally {
    present: bool,
    separate: bool,
    stated: Vec<Stated>,
    clues: Vec<String>,
    /// Bare versions: (file offset, text).
    bare: Vec<(u64, String)>,
    /// Offsets of `near` anchors.
    near: Vec<u64>,
    /// A version series stated without its patch level (lcms2's `2190`).
    series: Option<String>,
}

fn identify(table: &Table, binary: &Binary, bytes: &[u8], file_name: &str) -> Vec<Found> {
    let mut tally: Vec<Tally> = table.libraries.iter().map(|_| Tally::default()).collect();
    // Compressed debugging data (`.gnu_debugdata` is an xz stream) holds bytes of no code.
    let packed: Vec<(u64, u64)> = binary
        .slices
        .iter()
        .flat_map(|s| &s.sections)
        .filter(|s| s.name == ".gnu_debugdata" || s.name.starts_with(".zdebug"))
        .filter_map(|s| s.file.map(|(o, n)| (o, o + n)))
        .collect();
    let compressed = |offset: u64| packed.iter().any(|(a, b)| (*a..*b).contains(&offset));
    let place = |offset: u64| -> String {
        let section = binary
            .slices
            .iter()
            .find_map(|s| s.section_at(offset))
            .unwrap_or("file");
        format!("{section} at {offset:#x}")
    };

    // C strings.
    for (offset, text, terminated) in c_strings(bytes) {
        if compressed(offset) {
            continue;
        }
        let matched = table.set.matches(text);
        if !matched.matched_any() {
            continue;
        }
        for k in matched.iter() {
            let (lib, pattern) = table.patterns[k];
            let l = &table.libraries[lib];
            let t = &mut tally[lib];
            match pattern {
                Pattern::String(i) => {
                    t.present = true;
                    let caps = l.strings[i].captures(text);
                    match caps.and_then(|c| c.get(1)) {
                        Some(v) => t.stated.push(Stated {
                            rank: 1,
                            version: v.as_str().to_owned(),
                            clue: format!("string \"{text}\" in {}", place(offset)),
                        }),
                        None => push_clue(
                            &mut t.clues,
                            format!("string \"{text}\" in {}", place(offset)),
                        ),
                    }
                }
                Pattern::Bare if terminated => t.bare.push((offset, text.to_owned())),
                Pattern::Bare => {}
            }
        }
    }
    // Literals anywhere in the bytes.
    for m in table.anchors.find_overlapping_iter(bytes) {
        if compressed(m.start() as u64) {
            continue;
        }
        let (lib, anchor) = table.anchor_of[m.pattern().as_usize()];
        let t = &mut tally[lib];
        match anchor {
            Anchor::Presence => {
                if !t.present {
                    let found = &bytes[m.start()..m.end()];
                    let shown = match &table.anchor_what[m.pattern().as_usize()] {
                        Some(what) => format!("{what} (bytes {})", hex::encode(found)),
                        None => format!("\"{}\"", String::from_utf8_lossy(found)),
                    };
                    push_clue(
                        &mut t.clues,
                        format!("{shown} in {}", place(m.start() as u64)),
                    );
                }
                t.present = true;
            }
            Anchor::Near => t.near.push(m.start() as u64),
        }
    }
    // Symbols.
    for (lib, l) in table.libraries.iter().enumerate() {
        for slice in &binary.slices {
            for s in &l.presence_symbols {
                if slice.symbols.contains_key(s.as_str()) && !tally[lib].present {
                    tally[lib].present = true;
                    push_clue(&mut tally[lib].clues, format!("defines symbol {s}"));
                }
            }
            for rule in &l.symbols {
                let Some(&address) = slice.symbols.get(rule.name.as_str()) else {
                    continue;
                };
                let t = &mut tally[lib];
                t.present = true;
                let Some((value, how)) = symbol_value(slice, bytes, address, rule.read) else {
                    push_clue(
                        &mut t.clues,
                        format!("defines symbol {} ({})", rule.name, slice.arch),
                    );
                    continue;
                };
                let shown = match &value {
                    Value::Number(n) => n.to_string(),
                    Value::Text(s) => format!("\"{s}\""),
                };
                let clue = format!(
                    "{} {} {how} {shown} ({})",
                    kind_of(rule.read),
                    rule.name,
                    slice.arch
                );
                match decode(&rule.decode, &value) {
                    Some(Decoded::Version(v)) => t.stated.push(Stated {
                        rank: 0,
                        version: v,
                        clue,
                    }),
                    Some(Decoded::Series(s)) => {
                        t.series = Some(s);
                        push_clue(&mut t.clues, clue);
                    }
                    None => push_clue(&mut t.clues, clue),
                }
            }
        }
    }
    // The PE version resource and signature.
    let field = |name: &str| {
        binary
            .version_info
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    for (lib, l) in table.libraries.iter().enumerate() {
        let t = &mut tally[lib];
        if let Some(p) = &l.product {
            let named = [
                "ProductName",
                "FileDescription",
                "InternalName",
                "OriginalFilename",
            ]
            .iter()
            .find_map(|k| field(k).filter(|v| p.is_match(v)).map(|v| (*k, v)));
            if let Some((key, value)) = named {
                t.present = true;
                t.separate = true;
                push_clue(
                    &mut t.clues,
                    format!("PE version resource {key} \"{value}\""),
                );
                let version = ["ProductVersion", "FileVersion", "FixedFileVersion"]
                    .iter()
                    .find_map(|k| {
                        let v = resource_version(field(k)?, l.version_parts)?;
                        Some((*k, field(k)?, v))
                    });
                if let Some((key, raw, v)) = version {
                    t.stated.push(Stated {
                        rank: 1,
                        version: v,
                        clue: format!("PE version resource {key} \"{raw}\""),
                    });
                }
            }
        }
        if let Some(p) = &l.nodes {
            // The newest series the definitions name (`OPENSSL_3.5.0` after `OPENSSL_3.0.0`).
            let newest = binary
                .version_nodes
                .iter()
                .filter_map(|n| Some((n, p.captures(n)?.get(1)?.as_str())))
                .max_by(|a, b| {
                    crate::ident::version::compare(crate::ident::version::Scheme::Generic, a.1, b.1)
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
            if let Some((node, series)) = newest {
                t.present = true;
                t.separate = true;
                t.series = Some(series.to_owned());
                push_clue(
                    &mut t.clues,
                    format!("defines ELF symbol version {node} (the {series} series)"),
                );
            }
        }
        if let Some(p) = &l.signed {
            for text in &binary.signed {
                if let Some(v) = p.captures(text).and_then(|c| c.get(1)) {
                    t.present = true;
                    t.stated.push(Stated {
                        rank: 2,
                        version: v.as_str().to_owned(),
                        clue: format!("Authenticode description \"{text}\""),
                    });
                }
            }
        }
        // The names the binary goes by.
        let mut names: Vec<(&str, &str)> = vec![("file name", file_name)];
        for id in &binary.identity {
            let kind = if binary.format == read::Format::Elf {
                "SONAME"
            } else {
                "install name"
            };
            names.push((kind, id.rsplit('/').next().unwrap_or(id)));
        }
        // A name other projects use too makes the binary this library only when its bytes show
        // this library as well (`libcom_err` is MIT krb5's or e2fsprogs'). The longest stem
        // names the binary: `libpcre2-8` is PCRE2, not PCRE.
        let longest = |n: &str| {
            table
                .libraries
                .iter()
                .filter_map(|o| stem_length(n, &o.files))
                .max()
                .unwrap_or(0)
        };
        let named = names
            .iter()
            .find(|(_, n)| stem_length(n, &l.files).is_some_and(|k| k >= longest(n)))
            .or_else(|| {
                names
                    .iter()
                    .find(|(_, n)| t.present && named_as(n, &l.shared_files))
            });
        if let Some((kind, name)) = named {
            t.separate = true;
            t.present = true;
            push_clue(&mut t.clues, format!("{kind} {name}"));
        }
    }
    // Bare versions: beside a `near` string, or the only one where the code is shown present.
    for (lib, l) in table.libraries.iter().enumerate() {
        let t = &mut tally[lib];
        if t.bare.is_empty() || l.bare.is_none() {
            continue;
        }
        let beside: Vec<&(u64, String)> = t
            .bare
            .iter()
            .filter(|(o, _)| t.near.iter().any(|n| n.abs_diff(*o) <= NEAR))
            .collect();
        let pick = |c: &[&(u64, String)]| {
            let mut distinct: Vec<&str> = c.iter().map(|(_, v)| v.as_str()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            (distinct.len() == 1).then(|| c[0].clone())
        };
        let chosen = if !beside.is_empty() {
            pick(&beside).map(|b| (b, "beside a string of its code"))
        } else if t.present {
            let all: Vec<&(u64, String)> = t.bare.iter().collect();
            pick(&all).map(|b| (b, "the only version-shaped string where its code is"))
        } else {
            None
        };
        if let Some(((offset, text), why)) = chosen {
            t.present = true;
            t.stated.push(Stated {
                rank: 3,
                version: text.clone(),
                clue: format!("string \"{text}\" in {}, {why}", place(offset)),
            });
        }
    }

    let mut found: Vec<Found> = Vec::new();
    for (lib, l) in table.libraries.iter().enumerate() {
        let t = std::mem::take(&mut tally[lib]);
        if !t.present {
            continue;
        }
        found.push(conclude(l, t));
    }
    let excluded: Vec<String> = found
        .iter()
        .flat_map(|f| {
            table
                .libraries
                .iter()
                .find(|l| l.name == f.name)
                .map(|l| l.excludes.clone())
                .unwrap_or_default()
        })
        .collect();
    found.retain(|f| !excluded.contains(&f.name));
    // A binary is at most one library; the others are linked into it. With several names
    // matching, the one with the strongest evidence keeps it.
    let separate: Vec<usize> = (0..found.len())
        .filter(|i| found[*i].linkage == Linkage::Separate)
        .collect();
    if separate.len() > 1 {
        let best = *separate
            .iter()
            .max_by_key(|i| (found[**i].version.is_some(), found[**i].confidence))
            .unwrap_or(&separate[0]);
        for i in separate {
            if i != best {
                found[i].linkage = Linkage::Static;
            }
        }
    }
    found
}

/// The version a library's evidence states: the strongest rank, and among equals the one
/// stated most often.
fn conclude(l: &Library, mut t: Tally) -> Found {
    t.stated.sort_by_key(|s| s.rank);
    let version = t.stated.first().map(|best| {
        let same_rank: Vec<&Stated> = t.stated.iter().filter(|s| s.rank == best.rank).collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &same_rank {
            *counts.entry(s.version.as_str()).or_default() += 1;
        }
        let top = counts.values().copied().max().unwrap_or(0);
        let v = same_rank
            .iter()
            .find(|s| counts[s.version.as_str()] == top)
            .map_or(best.version.as_str(), |s| s.version.as_str());
        super::version::strip_describe(v).to_owned()
    });
    let confidence = match t.stated.first().map(|s| s.rank) {
        Some(0 | 1) => 90,
        Some(2) => 80,
        Some(_) => 60,
        None => 40,
    };
    let mut clues: Vec<String> = Vec::new();
    for s in &t.stated {
        push_clue(&mut clues, s.clue.clone());
    }
    for c in t.clues {
        push_clue(&mut clues, c);
    }
    if let (None, Some(series)) = (&version, &t.series)
        && !clues
            .iter()
            .any(|c| c.contains(&format!("the {series} series")))
    {
        push_clue(
            &mut clues,
            format!("states the {series} series only, not the release: no version"),
        );
    }
    Found {
        name: l.name.clone(),
        version,
        supplier: l.supplier.clone(),
        cpe: l.cpe.clone(),
        linkage: if t.separate {
            Linkage::Separate
        } else {
            Linkage::Static
        },
        confidence,
        clues,
        series: t.series,
    }
}

/// Most clues kept for one library in one binary.
const MAX_CLUES: usize = 8;

fn push_clue(clues: &mut Vec<String>, clue: String) {
    if clues.len() < MAX_CLUES && !clues.contains(&clue) {
        clues.push(clue);
    }
}

fn kind_of(read: Read) -> &'static str {
    match read {
        Read::Return => "function",
        Read::Pointer | Read::Chars | Read::Int32 => "symbol",
    }
}

/// How closely the file at `path` goes by a name of the library `library` (a row of the
/// table): the length of the longest of its names that names the file, `None` when none does.
/// `python313.dll` (`python3`) is named after CPython more closely than `python.exe`
/// (`python`); `_asyncio.pyd`, one of its extension modules, is not.
pub fn named_after(library: &str, path: &str) -> Option<usize> {
    let name = path.rsplit(['/', '!']).next().unwrap_or(path);
    table::table()
        .libraries
        .iter()
        .filter(|l| l.name == library)
        .filter_map(|l| stem_length(name, &l.files))
        .max()
}

/// True when `name` (a file name, SONAME or install name) is one of `stems`: the stem, then
/// the end, a `.` or `-`, or (after a stem ending in a digit) more digits and perhaps one
/// letter before those.
fn named_as(name: &str, stems: &[String]) -> bool {
    stem_length(name, stems).is_some()
}

/// The length of the longest of `stems` that names `name` (see [`named_as`]).
fn stem_length(name: &str, stems: &[String]) -> Option<usize> {
    let name = name.to_ascii_lowercase();
    stems
        .iter()
        .filter(|stem| {
            let Some(rest) = name.strip_prefix(stem.as_str()) else {
                return false;
            };
            // Digits may follow a stem that ends in one (`python3` names `python313.dll`);
            // after any other they name another project (`libssl3.so` is NSS, `libz3.so` Z3).
            let rest = if stem.ends_with(|c: char| c.is_ascii_digit()) {
                rest.trim_start_matches(|c: char| c.is_ascii_digit())
            } else {
                rest
            };
            let rest = if rest.len() < name.len() - stem.len() {
                // After digits, one letter may follow (`tcl86t.dll`).
                rest.strip_prefix(|c: char| c.is_ascii_lowercase())
                    .filter(|r| r.is_empty() || r.starts_with(['.', '-']))
                    .unwrap_or(rest)
            } else {
                rest
            };
            rest.is_empty() || rest.starts_with(['.', '-'])
        })
        .map(String::len)
        .max()
}

/// A version-resource version, cut to `parts` parts (`3.45.3.0` is SQLite 3.45.3).
fn resource_version(raw: &str, parts: Option<usize>) -> Option<String> {
    let lead: String = raw
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
        .filter(|c| *c != ' ')
        .map(|c| if c == ',' { '.' } else { c })
        .collect::<String>();
    let lead = lead.trim_end_matches('.');
    if !super::version::is_version(lead) {
        return None;
    }
    let mut v: Vec<&str> = lead.split('.').collect();
    if let Some(n) = parts {
        v.truncate(n);
    }
    Some(v.join("."))
}

/// The C strings of `bytes`: runs of printable ASCII, with their offset and whether a NUL
/// ends them.
fn c_strings(bytes: &[u8]) -> impl Iterator<Item = (u64, &str, bool)> {
    let printable = |b: u8| (0x20..0x7f).contains(&b) || b == b'\t';
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            // Skip to the next printable byte.
            while i < bytes.len() && !printable(bytes[i]) {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && printable(bytes[i]) {
                i += 1;
            }
            let len = i - start;
            if (3..=MAX_STRING).contains(&len) {
                let terminated = bytes.get(i) == Some(&0);
                // Printable ASCII is UTF-8.
                if let Ok(s) = std::str::from_utf8(&bytes[start..i]) {
                    return Some((start as u64, s, terminated));
                }
            }
        }
        None
    })
}

/// A symbol's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A number.
    Number(u64),
    /// A string.
    Text(String),
}

/// Reads the value of the symbol at `address` of `slice`; with how it was had.
fn symbol_value(
    slice: &Slice,
    bytes: &[u8],
    address: u64,
    read: Read,
) -> Option<(Value, &'static str)> {
    let at = |address: u64, n: usize| -> Option<&[u8]> {
        let (offset, room) = slice.offset_of(address)?;
        let n = n.min(room as usize);
        bytes.get(offset as usize..offset as usize + n)
    };
    let text_at = |address: u64| -> Option<String> {
        let b = at(address, 64)?;
        let end = b.iter().position(|c| *c == 0)?;
        let s = std::str::from_utf8(&b[..end]).ok()?;
        (!s.is_empty() && s.chars().all(|c| !c.is_control())).then(|| s.to_owned())
    };
    match read {
        Read::Int32 => {
            let b = at(address, 4)?;
            let v = u32::from_le_bytes(b.try_into().ok()?);
            Some((Value::Number(u64::from(v)), "is"))
        }
        Read::Chars => Some((Value::Text(text_at(address)?), "is")),
        Read::Pointer => {
            let n = usize::from(slice.pointer);
            let b = at(address, n)?;
            let raw = if n == 8 {
                u64::from_le_bytes(b.try_into().ok()?)
            } else {
                u64::from(u32::from_le_bytes(b.try_into().ok()?))
            };
            // The pointer as stored, or (ELF) what a relative relocation puts there, or
            // (Mach-O chained fixups) the target in its low 36 bits, perhaps from the image's
            // start.
            let base = slice.sections.iter().map(|s| s.address).min().unwrap_or(0) & !0xffff_ffff;
            let targets = [
                Some(raw),
                slice.relocated(address),
                Some(raw & 0xf_ffff_ffff),
                Some((raw & 0xf_ffff_ffff) + base),
                Some((raw & 0xffff_ffff) + base),
            ];
            targets
                .into_iter()
                .flatten()
                .filter(|t| *t != 0)
                .find_map(text_at)
                .map(|s| (Value::Text(s), "points to"))
        }
        Read::Return => {
            let code = at(address, 32)?;
            match code::returned(slice.machine, code, address)? {
                code::Returned::Number(n) => Some((Value::Number(n), "returns")),
                code::Returned::Address(a) => Some((Value::Text(text_at(a)?), "returns")),
            }
        }
    }
}

/// What a decoded value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A release version.
    Version(String),
    /// A series only (major and minor), not a release.
    Series(String),
}

/// Makes a version of a symbol's value by the rule `how`:
/// - `text`: the string as it is;
/// - `decimal`: `MMmmpp` (`10658` is 1.6.58; a string of digits is read as a number);
/// - `postgres`: `MMmmmm` from 10 on (`170011` is 17.11), `MMmmpp` before;
/// - `xz`: `MMMmmmmpppS` (`50080042` is 5.8.4);
/// - `shift:A,B,…`: fields at those bit offsets, each up to the next (`0x010600` at 16,8,0 is 1.6.0);
/// - `series`: `MMmm0` (lcms2's `2190` is the 2.19 series).
pub fn decode(how: &str, value: &Value) -> Option<Decoded> {
    let number = || -> Option<u64> {
        match value {
            Value::Number(n) => Some(*n),
            Value::Text(s)
                if !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit()) =>
            {
                s.parse().ok()
            }
            Value::Text(_) => None,
        }
    };
    let version = |v: String| {
        if super::version::is_version(&v) {
            Some(Decoded::Version(v))
        } else {
            None
        }
    };
    match how {
        "text" => match value {
            Value::Text(s) => version(s.clone()),
            Value::Number(_) => None,
        },
        "decimal" => {
            let n = number()?;
            if n == 0 {
                return None;
            }
            version(format!("{}.{}.{}", n / 10_000, n / 100 % 100, n % 100))
        }
        "postgres" => {
            let n = number()?;
            if n >= 100_000 {
                version(format!("{}.{}", n / 10_000, n % 10_000))
            } else if n > 0 {
                version(format!("{}.{}.{}", n / 10_000, n / 100 % 100, n % 100))
            } else {
                None
            }
        }
        "xz" => {
            let n = number()?;
            if n == 0 {
                return None;
            }
            version(format!(
                "{}.{}.{}",
                n / 10_000_000,
                n / 10_000 % 1000,
                n / 10 % 1000
            ))
        }
        "series" => {
            let n = number()?;
            if n == 0 {
                return None;
            }
            Some(Decoded::Series(format!("{}.{}", n / 1000, n % 1000 / 10)))
        }
        _ => {
            let shifts = how.strip_prefix("shift:")?;
            let shifts: Vec<u32> = shifts
                .split(',')
                .map(|s| s.trim().parse::<u32>().ok())
                .collect::<Option<_>>()?;
            if shifts.is_empty()
                || shifts.iter().any(|s| *s >= 64)
                || !shifts.windows(2).all(|w| w[0] > w[1])
            {
                return None;
            }
            let n = number()?;
            if n == 0 {
                return None;
            }
            let parts: Vec<String> = shifts
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let width = if i == 0 { 64 - s } else { shifts[i - 1] - s };
                    let mask = if width >= 64 {
                        u64::MAX
                    } else {
                        (1u64 << width) - 1
                    };
                    ((n >> s) & mask).to_string()
                })
                .collect();
            version(parts.join("."))
        }
    }
}

/// A macOS bundle's `Info.plist` naming a library of the table (CPython's framework).
fn plist(path: &str, text: &str) -> Option<Examined> {
    let value = |key: &str| -> Option<String> {
        let at = text.find(&format!("<key>{key}</key>"))?;
        let rest = &text[at..];
        let open = rest.find("<string>")? + "<string>".len();
        let close = rest[open..].find("</string>")?;
        // Only the string right after the key.
        let between = &rest[rest.find("</key>")? + "</key>".len()..open - "<string>".len()];
        between
            .trim()
            .is_empty()
            .then(|| rest[open..open + close].trim().to_owned())
    };
    let id = value("CFBundleIdentifier")?;
    let table::Bundle {
        name,
        supplier,
        cpe,
    } = table::bundle(&id)?;
    let (key, version) = ["CFBundleVersion", "CFBundleShortVersionString"]
        .iter()
        .find_map(|k| {
            let v = value(k)?;
            let lead = v.split([',', ' ']).next()?.to_owned();
            super::version::is_version(&lead).then_some((*k, lead))
        })
        .map_or((None, None), |(k, v)| (Some(k), Some(v)));
    let mut clues = vec![format!("Info.plist CFBundleIdentifier \"{id}\"")];
    if let (Some(k), Some(v)) = (key, &version) {
        clues.insert(0, format!("Info.plist {k} \"{v}\""));
    }
    Some(Examined {
        path: path.to_owned(),
        kind: "property list".into(),
        found: vec![Found {
            name,
            version,
            supplier,
            cpe,
            linkage: Linkage::Separate,
            confidence: 80,
            clues,
            series: None,
        }],
        links: Vec::new(),
        problem: None,
    })
}

/// Gives a separate library that states no version the version its companion in the input
/// states, if it is in the series the library states: first the library of the same name it
/// links to (`libssl` linking `libcrypto`, which says `OpenSSL 3.5.8`), else the one version
/// the whole input states for it (ncurses' `libpanelw` beside `libncursesw`).
fn companions(seen: &mut [Examined]) {
    let in_series = |f: &Found, v: &str| {
        f.series.as_ref().is_none_or(|s| {
            v.strip_prefix(s.as_str())
                .is_some_and(|r| r.starts_with('.'))
        })
    };
    // The version each binary states for each library, by the binary's file name.
    let mut by_file: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for e in seen.iter() {
        let file = e.path.rsplit(['/', '!']).next().unwrap_or(&e.path);
        for f in &e.found {
            if let Some(v) = &f.version {
                by_file.insert(
                    (file.to_owned(), f.name.clone()),
                    (v.clone(), e.path.clone()),
                );
            }
        }
    }
    let mut versions: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for e in seen.iter() {
        for f in &e.found {
            if let Some(v) = &f.version {
                let list = versions.entry(f.name.clone()).or_default();
                if !list.iter().any(|(x, _)| x == v) {
                    list.push((v.clone(), e.path.clone()));
                }
            }
        }
    }
    for e in seen.iter_mut() {
        for f in &mut e.found {
            if f.version.is_some() || f.linkage != Linkage::Separate {
                continue;
            }
            let linked = e.links.iter().find_map(|l| {
                by_file
                    .get(&(l.clone(), f.name.clone()))
                    .filter(|(v, _)| in_series(f, v))
            });
            if let Some((v, from)) = linked {
                f.version = Some(v.clone());
                f.confidence = 60;
                f.clues.push(format!(
                    "version of the same library in `{from}`, which it links to"
                ));
            } else if let Some([(v, from)]) = versions.get(&f.name).map(Vec::as_slice)
                && in_series(f, v)
            {
                f.version = Some(v.clone());
                f.confidence = 50;
                f.clues.push(format!(
                    "version of the same library in `{from}`, the only one the input states"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_version_numbers_as_libraries_pack_them() {
        let v = |how: &str, n: u64| match decode(how, &Value::Number(n)) {
            Some(Decoded::Version(v)) => v,
            other => panic!("{how} {n}: {other:?}"),
        };
        // Values from the manifest of ../shared/binaries, read there with objdump.
        assert_eq!(v("decimal", 10658), "1.6.58"); // png_access_version_number
        assert_eq!(v("decimal", 10507), "1.5.7"); // ZSTD_versionNumber
        assert_eq!(v("postgres", 170_011), "17.11"); // PQlibVersion
        assert_eq!(v("postgres", 90_624), "9.6.24");
        assert_eq!(v("xz", 50_080_042), "5.8.4"); // lzma_version_number
        assert_eq!(v("shift:24,12,0", 16_785_408), "1.2.0"); // BrotliDecoderVersion
        assert_eq!(v("shift:16,8,0", 67_072), "1.6.0"); // WebPGetDecoderVersion
        assert_eq!(v("shift:8,0", 274), "1.18"); // _libiconv_version 0x0112
        let text = |s: &str| Value::Text(s.into());
        assert_eq!(
            decode("decimal", &text("21406")),
            Some(Decoded::Version("2.14.6".into()))
        );
        assert_eq!(
            decode("series", &Value::Number(2190)),
            Some(Decoded::Series("2.19".into()))
        );
        assert_eq!(decode("decimal", &Value::Number(0)), None);
        assert_eq!(decode("text", &text("not a version")), None);
        assert_eq!(decode("shift:8,16", &Value::Number(1)), None);
    }

    #[test]
    fn names_match_stems_not_prefixes_of_other_names() {
        let stems = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(named_as(
            "libcrypto-3-x64-66da1976.dll",
            &stems(&["libcrypto"])
        ));
        assert!(named_as(
            "libpng16-1d1ba958.so.16.58.0",
            &stems(&["libpng16"])
        ));
        assert!(!named_as(
            "libpng16-1d1ba958.so.16.58.0",
            &stems(&["libpng"])
        ));
        assert!(named_as("python313.dll", &stems(&["python3"])));
        assert!(named_as("tk86t.dll", &stems(&["tk86t"])));
        assert!(named_as("python3.12", &stems(&["python3"])));
        assert!(!named_as("libssl3.so", &stems(&["libssl"])));
        assert!(!named_as("libz3.so.4", &stems(&["libz"])));
        assert!(named_as("SQLITE3.DLL", &stems(&["sqlite3"])));
        assert!(!named_as(
            "libwebpmux-8fb1c9f6.so.3.1.2",
            &stems(&["libwebp"])
        ));
        assert!(!named_as("_sqlite3.pyd", &stems(&["sqlite3"])));
        assert!(!named_as("libzstd.so", &stems(&["libz"])));
    }

    #[test]
    fn resource_versions_are_cut_to_their_parts() {
        assert_eq!(
            resource_version("3.45.3.0", Some(3)).as_deref(),
            Some("3.45.3")
        );
        assert_eq!(
            resource_version("14.42.34226.3", None).as_deref(),
            Some("14.42.34226.3")
        );
        assert_eq!(
            resource_version("18, 0, 4, 0", None).as_deref(),
            Some("18.0.4.0")
        );
        assert_eq!(resource_version("unknown", None), None);
    }

    #[test]
    fn a_companion_version_must_be_in_the_series_the_binary_states() {
        let lib = |path: &str, version: Option<&str>, series: Option<&str>| Examined {
            path: path.into(),
            kind: "ELF X86_64".into(),
            found: vec![Found {
                name: "openssl".into(),
                version: version.map(str::to_owned),
                supplier: None,
                cpe: None,
                linkage: Linkage::Separate,
                confidence: 90,
                clues: Vec::new(),
                series: series.map(str::to_owned),
            }],
            links: Vec::new(),
            problem: None,
        };
        for (series, want) in [
            (Some("3.5"), Some("3.5.8")),
            (None, Some("3.5.8")),
            (Some("3.0"), None),
            (Some("3.50"), None),
            (Some("3"), Some("3.5.8")),
        ] {
            let mut seen = vec![
                lib("libcrypto.so.3", Some("3.5.8"), None),
                lib("libssl.so.3", None, series),
            ];
            companions(&mut seen);
            assert_eq!(seen[1].found[0].version.as_deref(), want, "{series:?}");
        }
    }

    #[test]
    fn a_library_takes_the_version_of_the_companion_it_links_to() {
        let lib = |path: &str, version: Option<&str>, links: &[&str]| Examined {
            path: path.into(),
            kind: "ELF X86_64".into(),
            found: vec![Found {
                name: "openssl".into(),
                version: version.map(str::to_owned),
                supplier: None,
                cpe: None,
                linkage: Linkage::Separate,
                confidence: 90,
                clues: Vec::new(),
                series: None,
            }],
            links: links.iter().map(|l| l.to_string()).collect(),
            problem: None,
        };
        // Two OpenSSL builds in one input: each libssl takes the libcrypto it links to.
        let mut seen = vec![
            lib("a/libcrypto.so.3", Some("3.5.8"), &[]),
            lib("b/libcrypto-x.so.3", Some("3.0.15"), &[]),
            lib("a/libssl.so.3", None, &["libcrypto.so.3", "libc.so.6"]),
            lib("b/libssl-y.so.3", None, &["libcrypto-x.so.3"]),
            lib("c/libssl.so.3", None, &["libz.so.1"]),
        ];
        companions(&mut seen);
        let v = |i: usize| seen[i].found[0].version.as_deref();
        assert_eq!((v(2), v(3)), (Some("3.5.8"), Some("3.0.15")));
        // Linked to neither, with two versions about: no version.
        assert_eq!(v(4), None);
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        let e = examine("x.so", b"\x7fELF\x02\x01\x01\0garbage");
        assert!(e.problem.is_some());
        assert!(e.found.is_empty());
        let e = examine("x", &[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2, 0xff]);
        assert!(e.problem.is_some());
    }
}
