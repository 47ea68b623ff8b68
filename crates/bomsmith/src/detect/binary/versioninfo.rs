//! The PE version resource (`VS_VERSIONINFO`) and the program description of an Authenticode
//! signature (`SpcSpOpusInfo`), which the `object` crate does not read. Both are read from
//! bytes of outside files: every length is checked against the bytes that hold it, and the
//! nesting is bounded.

/// Deepest nesting read in a version resource (root, `StringFileInfo`, table, string).
const MAX_DEPTH: usize = 4;

/// Most fields kept from one version resource.
const MAX_FIELDS: usize = 64;

/// `VS_FIXEDFILEINFO`'s signature.
const FIXED_SIGNATURE: u32 = 0xfeef_04bd;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn align4(n: usize) -> usize {
    n.saturating_add(3) & !3
}

/// UTF-16LE text up to a NUL or the end; with the number of bytes read (NUL included).
fn utf16z(b: &[u8]) -> (String, usize) {
    let mut units = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        let u = u16::from_le_bytes([b[i], b[i + 1]]);
        i += 2;
        if u == 0 {
            break;
        }
        units.push(u);
    }
    (String::from_utf16_lossy(&units), i)
}

/// One node of the resource: its key, value bytes, whether the value is text, and children.
struct Node<'a> {
    key: String,
    value: &'a [u8],
    text: bool,
    children: &'a [u8],
    /// Bytes the node takes, padded to the next node.
    taken: usize,
}

fn node(b: &[u8]) -> Option<Node<'_>> {
    let length = usize::from(u16_at(b, 0)?);
    let value_length = usize::from(u16_at(b, 2)?);
    let kind = u16_at(b, 4)?;
    if length < 6 || length > b.len() {
        return None;
    }
    let b = &b[..length];
    let (key, used) = utf16z(&b[6..]);
    let value_at = align4(6 + used);
    let value_bytes = if kind == 1 {
        value_length.checked_mul(2)?
    } else {
        value_length
    };
    let value = b.get(value_at..value_at.checked_add(value_bytes)?.min(length))?;
    let children_at = align4(value_at + value_bytes).min(length);
    Some(Node {
        key,
        value,
        text: kind == 1,
        children: &b[children_at..],
        taken: align4(length),
    })
}

/// The nodes one after another in `b`.
fn nodes(mut b: &[u8]) -> impl Iterator<Item = Node<'_>> {
    std::iter::from_fn(move || {
        let n = node(b)?;
        b = b.get(n.taken..).unwrap_or(&[]);
        Some(n)
    })
    .take(MAX_FIELDS)
}

/// Reads a `VS_VERSIONINFO` resource into `fields`: `FixedFileVersion` and
/// `FixedProductVersion` from `VS_FIXEDFILEINFO`, then every `StringFileInfo` string.
pub fn parse(bytes: &[u8], fields: &mut Vec<(String, String)>) {
    let Some(root) = node(bytes) else {
        return;
    };
    if root.key != "VS_VERSION_INFO" {
        return;
    }
    if u32_at(root.value, 0) == Some(FIXED_SIGNATURE) {
        let part = |at: usize| u32_at(root.value, at).unwrap_or(0);
        let dotted =
            |ms: u32, ls: u32| format!("{}.{}.{}.{}", ms >> 16, ms & 0xffff, ls >> 16, ls & 0xffff);
        fields.push(("FixedFileVersion".into(), dotted(part(8), part(12))));
        fields.push(("FixedProductVersion".into(), dotted(part(16), part(20))));
    }
    strings(root.children, 1, fields);
}

fn strings(b: &[u8], depth: usize, fields: &mut Vec<(String, String)>) {
    if depth > MAX_DEPTH {
        return;
    }
    for n in nodes(b) {
        if fields.len() >= MAX_FIELDS {
            return;
        }
        match depth {
            // `StringFileInfo` holds tables; `VarFileInfo` holds no text.
            1 if n.key == "StringFileInfo" => strings(n.children, 2, fields),
            2 => strings(n.children, 3, fields),
            3 if n.text => {
                let (value, _) = utf16z(n.value);
                let value = value.trim().to_owned();
                if !value.is_empty() {
                    fields.push((n.key, value));
                }
            }
            _ => {}
        }
    }
}

/// DER of the object identifier 1.3.6.1.4.1.311.2.1.12 (`SPC_SP_OPUS_INFO_OBJID`).
const OPUS_INFO: &[u8] = &[
    0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x0c,
];

/// Most descriptions kept from one certificate table.
const MAX_SIGNED: usize = 8;

/// Finds the program names of the Authenticode signatures in a PE certificate table (each
/// signer's `SpcSpOpusInfo`: `[0] programName`, BMPString `[0]` or IA5String `[1]`).
pub fn signed_descriptions(table: &[u8], found: &mut Vec<String>) {
    let mut rest = table;
    while let Some(at) = memchr::memmem::find(rest, OPUS_INFO) {
        rest = &rest[at + OPUS_INFO.len()..];
        if found.len() >= MAX_SIGNED {
            return;
        }
        // SET { SEQUENCE { [0] { [0] or [1] text } } }: the text's tag is within a few bytes.
        let window = &rest[..rest.len().min(16)];
        let Some(tag_at) = window.iter().position(|b| *b == 0x80 || *b == 0x81) else {
            continue;
        };
        let Some(&len) = rest.get(tag_at + 1) else {
            continue;
        };
        if len >= 0x80 {
            continue;
        }
        let Some(text) = rest.get(tag_at + 2..tag_at + 2 + usize::from(len)) else {
            continue;
        };
        let value = if rest[tag_at] == 0x80 {
            let units: Vec<u16> = text
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(text).into_owned()
        };
        let value = value.trim_matches(char::from(0)).trim().to_owned();
        if !value.is_empty() && !found.contains(&value) {
            found.push(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    /// A node as the resource compiler lays it out.
    fn build(key: &str, value: &[u8], text: bool, children: &[u8]) -> Vec<u8> {
        let mut b = vec![0u8; 6];
        b.extend(utf16(key));
        while !b.len().is_multiple_of(4) {
            b.push(0);
        }
        b.extend(value);
        while !b.len().is_multiple_of(4) {
            b.push(0);
        }
        b.extend(children);
        let len = b.len() as u16;
        b[0..2].copy_from_slice(&len.to_le_bytes());
        let vlen = if text { value.len() / 2 } else { value.len() } as u16;
        b[2..4].copy_from_slice(&vlen.to_le_bytes());
        b[4..6].copy_from_slice(&u16::from(text).to_le_bytes());
        while !b.len().is_multiple_of(4) {
            b.push(0);
        }
        b
    }

    #[test]
    fn reads_fixed_and_string_fields() {
        let mut fixed = Vec::new();
        for w in [
            FIXED_SIGNATURE,
            0x10000,
            0x0003_002d,
            0x0003_0000,
            0x0003_002d,
            0x0003_0000,
        ] {
            fixed.extend(w.to_le_bytes());
        }
        fixed.resize(52, 0);
        let s1 = build("ProductName", &utf16("SQLite"), true, &[]);
        let s2 = build("FileVersion", &utf16("3.45.3"), true, &[]);
        let table = build("040904b0", &[], true, &[s1, s2].concat());
        let sfi = build("StringFileInfo", &[], true, &table);
        let root = build("VS_VERSION_INFO", &fixed, false, &sfi);
        let mut fields = Vec::new();
        parse(&root, &mut fields);
        assert_eq!(
            fields,
            vec![
                ("FixedFileVersion".into(), "3.45.3.0".into()),
                ("FixedProductVersion".into(), "3.45.3.0".into()),
                ("ProductName".into(), "SQLite".into()),
                ("FileVersion".into(), "3.45.3".into()),
            ]
        );
    }

    #[test]
    fn bad_lengths_read_nothing_and_never_panic() {
        let mut fields = Vec::new();
        parse(&[0xff, 0xff, 0xff, 0xff, 1, 0], &mut fields);
        parse(&[], &mut fields);
        let root = build("VS_VERSION_INFO", &[1, 2, 3], false, &[9; 40]);
        parse(&root, &mut fields);
        assert!(fields.is_empty());
        signed_descriptions(
            &[OPUS_INFO, &[0x31, 0x05, 0x30, 0x03, 0xa0, 0x01, 0x80, 0x7f]].concat(),
            &mut Vec::new(),
        );
    }
}
