//! Reading a native binary (PE, ELF, Mach-O, fat Mach-O with every slice) for what
//! identification needs, and nothing more: its sections, the symbols the signature table names,
//! the names it goes by and links to, ELF version nodes, the PE version resource and the
//! description of its Authenticode signature. The `object` crate parses the formats; the PE
//! version resource and the signature's description, which it does not read, are read here,
//! every length checked against the bytes that hold it.

use object::read::elf::{Dyn, FileHeader, Rela, SectionHeader};
use object::read::macho::{FatArch, LoadCommandVariant, MachHeader, MachOFatFile32};
use object::read::pe::{ImageNtHeaders, PeFile};
use object::{Object, ObjectSection, ObjectSymbol};
use std::collections::HashMap;

/// Most slices read from a fat Mach-O (real ones have two or three): the count that makes a
/// file one at all.
const MAX_SLICES: usize = crate::input::MAX_FAT_SLICES as usize;

/// Most version-definition nodes and linked libraries kept from one binary.
const MAX_NAMES: usize = 4096;

/// The container format of a binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Windows Portable Executable (`.exe`, `.dll`, `.pyd`).
    Pe,
    /// ELF (`.so`, executables).
    Elf,
    /// Mach-O, one architecture.
    MachO,
    /// A fat (universal) Mach-O holding one slice per architecture.
    Fat,
}

impl Format {
    /// How reports name the format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pe => "PE",
            Format::Elf => "ELF",
            Format::MachO => "Mach-O",
            Format::Fat => "fat Mach-O",
        }
    }
}

/// The instruction set of a slice, for the few instructions decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Machine {
    /// x86-64.
    X86_64,
    /// AArch64 (arm64).
    Aarch64,
    /// Anything else: no code is decoded.
    Other,
}

/// A section of a slice.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its name (`.rodata`, `__cstring`, `.rdata`).
    pub name: String,
    /// Its address when loaded.
    pub address: u64,
    /// Its size when loaded.
    pub size: u64,
    /// Where its bytes are in the whole file (offset, length), when it has any.
    pub file: Option<(u64, u64)>,
}

/// One architecture's image: the whole file, or one slice of a fat Mach-O.
#[derive(Debug, Clone)]
pub struct Slice {
    /// The architecture, as `object` names it (`X86_64`, `Aarch64`).
    pub arch: String,
    /// The instruction set, for decoding.
    pub machine: Machine,
    /// Bytes in a pointer (4 or 8).
    pub pointer: u8,
    /// Where the slice starts in the file, and its length.
    pub range: (u64, u64),
    /// Its sections.
    pub sections: Vec<Section>,
    /// Addresses of the defined symbols asked for, by name (without Mach-O's leading `_`).
    pub symbols: HashMap<String, u64>,
    /// ELF relative relocations (place, addend), read only when a pointer symbol is defined.
    pub relative: Vec<(u64, u64)>,
}

/// What a binary says of itself.
#[derive(Debug, Clone)]
pub struct Binary {
    /// Its format.
    pub format: Format,
    /// Its images (one, or one per fat slice).
    pub slices: Vec<Slice>,
    /// Names it goes by: ELF `DT_SONAME`, Mach-O `LC_ID_DYLIB`.
    pub identity: Vec<String>,
    /// Libraries it links to: ELF `DT_NEEDED`, Mach-O `LC_LOAD_DYLIB` and kin, PE imports.
    pub needed: Vec<String>,
    /// ELF symbol-version definitions (`OPENSSL_3.5.0`).
    pub version_nodes: Vec<String>,
    /// The PE version resource: `StringFileInfo` fields, and `FixedFileVersion` from
    /// `VS_FIXEDFILEINFO`, in the order found.
    pub version_info: Vec<(String, String)>,
    /// The program descriptions of its Authenticode signatures.
    pub signed: Vec<String>,
}

impl Binary {
    fn new(format: Format) -> Self {
        Binary {
            format,
            slices: Vec::new(),
            identity: Vec::new(),
            needed: Vec::new(),
            version_nodes: Vec::new(),
            version_info: Vec::new(),
            signed: Vec::new(),
        }
    }
}

/// Reads `data`. `wanted` says which symbol names to look up (without a leading `_`);
/// `pointers` which of them hold a pointer to follow (for which an ELF image's relative
/// relocations are read, and only then).
pub fn read(
    data: &[u8],
    wanted: &dyn Fn(&str) -> bool,
    pointers: &dyn Fn(&str) -> bool,
) -> Result<Binary, String> {
    if data.starts_with(&[0xca, 0xfe, 0xba, 0xbe]) {
        return read_fat(data, wanted, pointers);
    }
    let mut binary = Binary::new(Format::Elf);
    read_image(data, 0, wanted, pointers, &mut binary)?;
    Ok(binary)
}

fn read_fat(
    data: &[u8],
    wanted: &dyn Fn(&str) -> bool,
    pointers: &dyn Fn(&str) -> bool,
) -> Result<Binary, String> {
    let mut binary = Binary::new(Format::Fat);
    // 64-bit fat headers are rare; both are tried.
    let ranges: Vec<(u64, u64)> = match MachOFatFile32::parse(data) {
        Ok(fat) => fat.arches().iter().map(|a| a.file_range()).collect(),
        Err(_) => object::read::macho::MachOFatFile64::parse(data)
            .map_err(|e| format!("fat Mach-O header: {e}"))?
            .arches()
            .iter()
            .map(|a| a.file_range())
            .collect(),
    };
    if ranges.len() > MAX_SLICES {
        return Err(format!("{} slices, more than {MAX_SLICES}", ranges.len()));
    }
    for (offset, size) in ranges {
        let end = offset
            .checked_add(size)
            .filter(|e| *e <= data.len() as u64)
            .ok_or_else(|| format!("slice at {offset} of {size} bytes runs past the file"))?;
        read_image(
            &data[offset as usize..end as usize],
            offset,
            wanted,
            pointers,
            &mut binary,
        )?;
    }
    binary.format = Format::Fat;
    Ok(binary)
}

/// Reads one image starting at `base` in the file into `binary`.
fn read_image(
    data: &[u8],
    base: u64,
    wanted: &dyn Fn(&str) -> bool,
    pointers: &dyn Fn(&str) -> bool,
    binary: &mut Binary,
) -> Result<(), String> {
    let file = object::File::parse(data).map_err(|e| e.to_string())?;
    let machine = match file.architecture() {
        object::Architecture::X86_64 => Machine::X86_64,
        object::Architecture::Aarch64 => Machine::Aarch64,
        _ => Machine::Other,
    };
    let mut slice = Slice {
        arch: format!("{:?}", file.architecture()),
        machine,
        pointer: if file.is_64() { 8 } else { 4 },
        range: (base, data.len() as u64),
        sections: Vec::new(),
        symbols: HashMap::new(),
        relative: Vec::new(),
    };
    for s in file.sections() {
        slice.sections.push(Section {
            name: s.name().unwrap_or("").to_owned(),
            address: s.address(),
            size: s.size(),
            file: s.file_range().map(|(o, n)| (base + o, n)),
        });
    }
    let macho = matches!(file, object::File::MachO32(_) | object::File::MachO64(_));
    let mut keep = |name: &str, address: u64| {
        let name = if macho {
            name.strip_prefix('_').unwrap_or(name)
        } else {
            name
        };
        if wanted(name) {
            slice.symbols.entry(name.to_owned()).or_insert(address);
        }
    };
    for s in file.symbols().chain(file.dynamic_symbols()) {
        if s.is_definition()
            && let Ok(name) = s.name()
        {
            keep(name, s.address());
        }
    }
    if let Ok(exports) = file.exports() {
        for e in exports.into_iter().map_while(|e| e.ok()) {
            if let (
                object::read::NameOrOrdinal::Name(name),
                object::read::ExportTarget::Address { address },
            ) = (e.name(), e.target())
                && let Ok(name) = std::str::from_utf8(name)
            {
                keep(name, address);
            }
        }
    }
    let follow = slice.symbols.keys().any(|n| pointers(n));
    match &file {
        object::File::Elf32(f) => {
            binary.format = Format::Elf;
            elf_facts(
                f.elf_header(),
                f.data(),
                binary,
                follow.then_some(&mut slice),
            )?;
        }
        object::File::Elf64(f) => {
            binary.format = Format::Elf;
            elf_facts(
                f.elf_header(),
                f.data(),
                binary,
                follow.then_some(&mut slice),
            )?;
        }
        object::File::MachO32(f) => {
            binary.format = Format::MachO;
            macho_facts(f.macho_header(), data, binary)?;
        }
        object::File::MachO64(f) => {
            binary.format = Format::MachO;
            macho_facts(f.macho_header(), data, binary)?;
        }
        object::File::Pe32(f) => {
            binary.format = Format::Pe;
            pe_facts(f, data, binary);
        }
        object::File::Pe64(f) => {
            binary.format = Format::Pe;
            pe_facts(f, data, binary);
        }
        _ => return Err("not a PE, ELF or Mach-O image".into()),
    }
    if let Ok(imports) = file.imports()
        && binary.format == Format::Pe
    {
        for i in imports.into_iter().map_while(|i| i.ok()) {
            if binary.needed.len() >= MAX_NAMES {
                break;
            }
            let lib = String::from_utf8_lossy(i.library()).into_owned();
            if !binary.needed.contains(&lib) {
                binary.needed.push(lib);
            }
        }
    }
    binary.slices.push(slice);
    Ok(())
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if list.len() < MAX_NAMES && !list.contains(&value) {
        list.push(value);
    }
}

/// ELF: `DT_SONAME`, `DT_NEEDED`, version definitions and (for pointers) relative relocations.
fn elf_facts<Elf: FileHeader<Endian = object::Endianness>>(
    header: &Elf,
    data: &[u8],
    binary: &mut Binary,
    slice: Option<&mut Slice>,
) -> Result<(), String> {
    let endian = header.endian().map_err(|e| e.to_string())?;
    let sections = header.sections(endian, data).map_err(|e| e.to_string())?;
    if let Ok(Some((entries, index))) = sections.dynamic(endian, data) {
        let link = sections
            .section(index)
            .map_err(|e| e.to_string())?
            .link(endian);
        if let Ok(strings) = sections.strings(endian, data, link) {
            for d in entries {
                let tag = d.d_tag(endian);
                let val: u64 = d.d_val(endian).into();
                let name = |v: u64| {
                    u32::try_from(v)
                        .ok()
                        .and_then(|v| strings.get(v).ok())
                        .map(|s| String::from_utf8_lossy(s).into_owned())
                };
                match tag {
                    t if t == object::elf::DT_SONAME => {
                        if let Some(n) = name(val) {
                            push_unique(&mut binary.identity, n);
                        }
                    }
                    t if t == object::elf::DT_NEEDED => {
                        if let Some(n) = name(val) {
                            push_unique(&mut binary.needed, n);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Ok(Some((mut defs, link))) = sections.gnu_verdef(endian, data)
        && let Ok(strings) = sections.strings(endian, data, link)
    {
        while let Ok(Some((_def, mut auxs))) = defs.next() {
            if let Ok(Some(aux)) = auxs.next()
                && let Ok(name) = aux.name(endian, strings)
            {
                push_unique(
                    &mut binary.version_nodes,
                    String::from_utf8_lossy(name).into_owned(),
                );
            }
            if binary.version_nodes.len() >= MAX_NAMES {
                break;
            }
        }
    }
    if let Some(slice) = slice {
        let is64 = slice.pointer == 8;
        for s in sections.iter() {
            if s.sh_type(endian) != object::elf::SHT_RELA {
                continue;
            }
            let Ok(Some((relas, _))) = s.rela(endian, data) else {
                continue;
            };
            for r in relas {
                let kind = r.r_type(endian, header.is_mips64el(endian));
                let relative = if is64 {
                    kind == object::elf::R_X86_64_RELATIVE
                        || kind == object::elf::R_AARCH64_RELATIVE
                } else {
                    kind == object::elf::R_386_RELATIVE || kind == object::elf::R_ARM_RELATIVE
                };
                if relative {
                    slice
                        .relative
                        .push((r.r_offset(endian).into(), r.r_addend(endian).into() as u64));
                }
            }
        }
        slice.relative.sort_unstable();
    }
    Ok(())
}

/// Mach-O: `LC_ID_DYLIB` and the dylibs it loads.
fn macho_facts<Mach: MachHeader<Endian = object::Endianness>>(
    header: &Mach,
    data: &[u8],
    binary: &mut Binary,
) -> Result<(), String> {
    let endian = header.endian().map_err(|e| e.to_string())?;
    let mut commands = header
        .load_commands(endian, data, 0)
        .map_err(|e| e.to_string())?;
    while let Ok(Some(command)) = commands.next() {
        match command.variant() {
            Ok(LoadCommandVariant::IdDylib(d)) => {
                if let Ok(name) = command.string(endian, d.dylib.name) {
                    push_unique(
                        &mut binary.identity,
                        String::from_utf8_lossy(name).into_owned(),
                    );
                }
            }
            Ok(LoadCommandVariant::Dylib(d)) => {
                if let Ok(name) = command.string(endian, d.dylib.name) {
                    push_unique(
                        &mut binary.needed,
                        String::from_utf8_lossy(name).into_owned(),
                    );
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// PE: the version resource and the signature's description.
fn pe_facts<Pe: ImageNtHeaders>(file: &PeFile<'_, Pe>, data: &[u8], binary: &mut Binary) {
    let directories = file.data_directories();
    let sections = file.section_table();
    if let Ok(Some(resources)) = directories.resource_directory(data, &sections)
        && let Some(bytes) = version_resource(resources, &sections, data)
    {
        super::versioninfo::parse(bytes, &mut binary.version_info);
    }
    if let Some(security) = directories.get(object::pe::IMAGE_DIRECTORY_ENTRY_SECURITY) {
        // The certificate table's address is a file offset, not an RVA.
        let (offset, size) = security.address_range();
        let start = offset as usize;
        if let Some(table) = start
            .checked_add(size as usize)
            .filter(|end| *end <= data.len())
            .map(|end| &data[start..end])
        {
            super::versioninfo::signed_descriptions(table, &mut binary.signed);
        }
    }
}

/// The bytes of the first `RT_VERSION` resource.
fn version_resource<'a>(
    resources: object::read::pe::ResourceDirectory<'a>,
    sections: &object::read::pe::SectionTable<'a>,
    data: &'a [u8],
) -> Option<&'a [u8]> {
    use object::read::pe::{ResourceDirectoryEntryData, ResourceNameOrId};
    let root = resources.root().ok()?;
    let entry = root
        .entries
        .iter()
        .find(|e| matches!(e.name_or_id(), ResourceNameOrId::Id(16)))?;
    let names = entry.data(resources).ok()?.table()?;
    let languages = names.entries.first()?.data(resources).ok()?.table()?;
    let ResourceDirectoryEntryData::Data(leaf) = languages.entries.first()?.data(resources).ok()?
    else {
        return None;
    };
    let rva = leaf.offset_to_data.get(object::LittleEndian);
    let size = leaf.size.get(object::LittleEndian) as usize;
    let bytes = sections.pe_data_at(data, rva)?;
    Some(&bytes[..size.min(bytes.len())])
}

impl Slice {
    /// The file offset of the loaded address `address`, with how many bytes of its section
    /// follow it in the file.
    pub fn offset_of(&self, address: u64) -> Option<(u64, u64)> {
        self.sections.iter().find_map(|s| {
            let (offset, size) = s.file?;
            let within = address.checked_sub(s.address)?;
            (within < size.min(s.size)).then(|| (offset + within, size.min(s.size) - within))
        })
    }

    /// The name of the section holding file offset `offset`.
    pub fn section_at(&self, offset: u64) -> Option<&str> {
        self.sections.iter().find_map(|s| {
            let (start, size) = s.file?;
            (offset >= start && offset - start < size).then_some(s.name.as_str())
        })
    }

    /// The ELF relative relocation at `address`, if any.
    pub fn relocated(&self, address: u64) -> Option<u64> {
        self.relative
            .binary_search_by_key(&address, |(at, _)| *at)
            .ok()
            .map(|i| self.relative[i].1)
    }
}
