//! The signature table (`signatures.toml`, bundled): what binaries say of the libraries built
//! into them, as data. Parsed and compiled once.

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::OnceLock;

const SOURCE: &str = include_str!("signatures.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    library: Vec<RawLibrary>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLibrary {
    name: String,
    supplier: Option<String>,
    cpe: Option<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    shared_files: Vec<String>,
    #[serde(default)]
    strings: Vec<String>,
    #[serde(default)]
    symbols: Vec<SymbolRule>,
    product: Option<String>,
    nodes: Option<String>,
    signed: Option<String>,
    bare: Option<String>,
    #[serde(default)]
    near: Vec<String>,
    #[serde(default)]
    presence: Vec<String>,
    #[serde(default)]
    presence_bytes: Vec<Bytes>,
    #[serde(default)]
    presence_symbols: Vec<String>,
    #[serde(default)]
    excludes: Vec<String>,
    version_parts: Option<usize>,
    plist: Option<String>,
}

/// Bytes only the library's code holds, and what they are.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bytes {
    hex: String,
    what: String,
}

/// How a symbol's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Read {
    /// A tiny function returning a constant (a number, or a string's address).
    Return,
    /// A `const char *` variable: the pointer is followed to the string.
    Pointer,
    /// A `char[]` variable: the string is at the symbol.
    Chars,
    /// An `int` variable.
    Int32,
}

/// A symbol that states the version.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymbolRule {
    /// Its name, without Mach-O's leading `_`.
    pub name: String,
    /// How its value is read.
    pub read: Read,
    /// How the value becomes a version (see [`super::decode`]).
    pub decode: String,
}

/// One library's signature, compiled.
#[derive(Debug)]
pub struct Library {
    /// The component name.
    pub name: String,
    /// `Organization: …`.
    pub supplier: Option<String>,
    /// NVD's `vendor:product`.
    pub cpe: Option<String>,
    /// Names its own binaries go by (lower case).
    pub files: Vec<String>,
    /// Names it shares with other projects: they name it only where its bytes show it.
    pub shared_files: Vec<String>,
    /// Patterns over C strings (group 1, if any, is the version).
    pub strings: Vec<Regex>,
    /// Version symbols.
    pub symbols: Vec<SymbolRule>,
    /// Pattern over the PE version resource's names.
    pub product: Option<Regex>,
    /// Pattern over ELF symbol-version definitions; group 1 is the series they name.
    pub nodes: Option<Regex>,
    /// Pattern over Authenticode descriptions.
    pub signed: Option<Regex>,
    /// A version standing alone.
    pub bare: Option<Regex>,
    /// Defined symbols that prove the code is there.
    pub presence_symbols: Vec<String>,
    /// Libraries its evidence rules out in the same binary.
    pub excludes: Vec<String>,
    /// Parts of a version-resource version kept.
    pub version_parts: Option<usize>,
}

/// What an anchor (a literal searched in the whole binary) shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The library's code is there.
    Presence,
    /// A bare version beside it is the library's.
    Near,
}

/// What a string pattern of the set is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// `strings[i]` of the library.
    String(usize),
    /// The library's `bare` pattern.
    Bare,
}

/// The whole table.
#[derive(Debug)]
pub struct Table {
    /// The libraries, in table order.
    pub libraries: Vec<Library>,
    /// Every string and bare pattern, to test each C string once.
    pub set: RegexSet,
    /// For each pattern of `set`: its library and kind.
    pub patterns: Vec<(usize, Pattern)>,
    /// Every presence and near literal.
    pub anchors: AhoCorasick,
    /// For each anchor: its library and kind.
    pub anchor_of: Vec<(usize, Anchor)>,
    /// For each anchor that is not text: what it is.
    pub anchor_what: Vec<Option<String>>,
    /// Every symbol name any rule reads or tests.
    pub symbol_names: HashSet<String>,
    /// The symbols whose value is a pointer to follow.
    pub pointers: HashSet<String>,
}

/// The bundled table.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    // The table is part of the program, checked by a unit test: it always compiles.
    TABLE.get_or_init(|| compile(SOURCE).expect("the bundled signature table compiles"))
}

/// A library a macOS bundle identifier names.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The component name.
    pub name: String,
    /// `Organization: …`.
    pub supplier: Option<String>,
    /// NVD's `vendor:product`.
    pub cpe: Option<String>,
}

/// The library whose macOS bundle identifier is `id`. Read from the table's text without
/// compiling its patterns (which take megabytes), since a source tree may hold an
/// `Info.plist` and no binary at all.
pub fn bundle(id: &str) -> Option<Bundle> {
    static BUNDLES: OnceLock<Vec<(String, Bundle)>> = OnceLock::new();
    BUNDLES
        .get_or_init(|| {
            toml::from_str::<Raw>(SOURCE)
                .map(|raw| {
                    raw.library
                        .into_iter()
                        .filter_map(|l| {
                            let bundle = Bundle {
                                name: l.name,
                                supplier: l.supplier,
                                cpe: l.cpe,
                            };
                            Some((l.plist?, bundle))
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .iter()
        .find(|(p, _)| p == id)
        .map(|(_, b)| b.clone())
}

fn hex(s: &str) -> Result<Vec<u8>, String> {
    hex::decode(s).map_err(|e| format!("presence_bytes `{s}`: {e}"))
}

fn compile(source: &str) -> Result<Table, String> {
    let raw: Raw = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut libraries = Vec::new();
    let mut set_patterns = Vec::new();
    let mut patterns = Vec::new();
    let mut anchor_bytes: Vec<Vec<u8>> = Vec::new();
    let mut anchor_of = Vec::new();
    let mut anchor_what = Vec::new();
    let mut symbol_names = HashSet::new();
    let mut pointers = HashSet::new();
    // Binaries' strings are ASCII: ASCII classes (`\d` is 0-9) compile in a fraction of the
    // time of Unicode ones, which matters on every scan that meets a binary.
    let re = |p: &str| {
        RegexBuilder::new(p)
            .unicode(false)
            .build()
            .map_err(|e| format!("pattern `{p}`: {e}"))
    };
    for (i, r) in raw.library.into_iter().enumerate() {
        for (k, p) in r.strings.iter().enumerate() {
            set_patterns.push(p.clone());
            patterns.push((i, Pattern::String(k)));
        }
        if let Some(p) = &r.bare {
            set_patterns.push(p.clone());
            patterns.push((i, Pattern::Bare));
        }
        for p in &r.presence {
            anchor_bytes.push(p.as_bytes().to_vec());
            anchor_of.push((i, Anchor::Presence));
            anchor_what.push(None);
        }
        for b in &r.presence_bytes {
            anchor_bytes.push(hex(&b.hex)?);
            anchor_of.push((i, Anchor::Presence));
            anchor_what.push(Some(b.what.clone()));
        }
        for p in &r.near {
            anchor_bytes.push(p.as_bytes().to_vec());
            anchor_of.push((i, Anchor::Near));
            anchor_what.push(None);
        }
        for s in &r.symbols {
            symbol_names.insert(s.name.clone());
            if s.read == Read::Pointer {
                pointers.insert(s.name.clone());
            }
            if s.decode != "text"
                && super::decode(&s.decode, &super::Value::Number(10_101)).is_none()
            {
                return Err(format!("{}: unknown decode `{}`", r.name, s.decode));
            }
        }
        symbol_names.extend(r.presence_symbols.iter().cloned());
        libraries.push(Library {
            name: r.name,
            supplier: r.supplier,
            cpe: r.cpe,
            files: r.files.iter().map(|f| f.to_ascii_lowercase()).collect(),
            shared_files: r
                .shared_files
                .iter()
                .map(|f| f.to_ascii_lowercase())
                .collect(),
            strings: r.strings.iter().map(|p| re(p)).collect::<Result<_, _>>()?,
            symbols: r.symbols,
            product: r.product.as_deref().map(re).transpose()?,
            nodes: r.nodes.as_deref().map(re).transpose()?,
            signed: r.signed.as_deref().map(re).transpose()?,
            bare: r.bare.as_deref().map(re).transpose()?,
            presence_symbols: r.presence_symbols,
            excludes: r.excludes,
            version_parts: r.version_parts,
        });
    }
    for l in &libraries {
        for e in &l.excludes {
            if !libraries.iter().any(|o| &o.name == e) {
                return Err(format!("{}: excludes unknown library `{e}`", l.name));
            }
        }
    }
    let set = RegexSetBuilder::new(&set_patterns)
        .unicode(false)
        .build()
        .map_err(|e| e.to_string())?;
    let anchors = AhoCorasick::new(&anchor_bytes).map_err(|e| e.to_string())?;
    Ok(Table {
        libraries,
        set,
        patterns,
        anchors,
        anchor_of,
        anchor_what,
        symbol_names,
        pointers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_table_compiles_and_names_are_unique() {
        let t = table();
        let mut names: Vec<&str> = t.libraries.iter().map(|l| l.name.as_str()).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "duplicate library names");
        assert!(n >= 40, "{n} libraries");
        for l in &t.libraries {
            assert!(l.supplier.is_some(), "{} has no supplier", l.name);
            if let Some(c) = &l.cpe {
                assert_eq!(c.split(':').count(), 2, "{}: cpe `{c}`", l.name);
            }
        }
    }

    #[test]
    fn unknown_fields_and_bad_patterns_are_refused() {
        assert!(compile("[[library]]\nname = \"x\"\nstrngs = []\n").is_err());
        assert!(compile("[[library]]\nname = \"x\"\nstrings = ['(']\n").is_err());
        assert!(compile("[[library]]\nname = \"x\"\nexcludes = ['y']\n").is_err());
        assert!(
            compile(
                "[[library]]\nname = \"x\"\nsymbols = [{name='a', read='return', decode='nope'}]\n"
            )
            .is_err()
        );
    }
}
