//! Decoding the few instructions of a tiny exported function that returns a constant: a
//! version number (`PQlibVersion`, `ZSTD_versionNumber`) or the address of a version string
//! (`opj_version`, `avifVersion`). Only the exact shapes compilers emit for `return CONSTANT;`
//! are recognised; anything else is no answer, never a guess.

use super::read::Machine;

/// What a tiny function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// An integer.
    Number(u64),
    /// An address (of a string, for the caller to read).
    Address(u64),
}

/// Decodes the function whose first bytes are `code`, loaded at `address`.
pub fn returned(machine: Machine, code: &[u8], address: u64) -> Option<Returned> {
    match machine {
        Machine::X86_64 => x86_64(code, address),
        Machine::Aarch64 => aarch64(code, address),
        Machine::Other => None,
    }
}

fn x86_64(code: &[u8], address: u64) -> Option<Returned> {
    // `endbr64` may come first.
    let (code, address) = match code {
        [0xf3, 0x0f, 0x1e, 0xfa, rest @ ..] => (rest, address.checked_add(4)?),
        _ => (code, address),
    };
    let imm32 =
        |b: &[u8]| -> Option<u32> { Some(u32::from_le_bytes(b.get(..4)?.try_into().ok()?)) };
    match code {
        // mov $imm32, %eax; ret
        [0xb8, rest @ ..] if rest.get(4) == Some(&0xc3) => {
            Some(Returned::Number(u64::from(imm32(rest)?)))
        }
        // mov $imm32, %rax (sign-extended); ret
        [0x48, 0xc7, 0xc0, rest @ ..] if rest.get(4) == Some(&0xc3) => {
            Some(Returned::Number(i64::from(imm32(rest)? as i32) as u64))
        }
        // xor %eax, %eax; ret
        [0x31 | 0x33, 0xc0, 0xc3, ..] => Some(Returned::Number(0)),
        // lea disp32(%rip), %rax; ret
        [0x48, 0x8d, 0x05, rest @ ..] if rest.get(4) == Some(&0xc3) => {
            let disp = i64::from(imm32(rest)? as i32);
            let next = address.checked_add(7)?;
            Some(Returned::Address(next.checked_add_signed(disp)?))
        }
        _ => None,
    }
}

const RET: u32 = 0xd65f_03c0;
const RETAB: u32 = 0xd65f_0fff;
const PACIBSP: u32 = 0xd503_237f;

fn aarch64(code: &[u8], address: u64) -> Option<Returned> {
    let words: Vec<u32> = code
        .chunks_exact(4)
        .take(6)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut value: Option<u64> = None;
    let mut page: Option<u64> = None;
    for (i, &w) in words.iter().enumerate() {
        let pc = address.checked_add(4 * i as u64)?;
        if w == PACIBSP && i == 0 {
            continue;
        }
        if w == RET || w == RETAB {
            return match (value, page) {
                (Some(v), None) => Some(Returned::Number(v)),
                (None, Some(p)) => Some(Returned::Address(p)),
                _ => None,
            };
        }
        // Every instruction must write register 0.
        if w & 0x1f != 0 {
            return None;
        }
        let hw = u64::from((w >> 21) & 3) * 16;
        let imm16 = u64::from((w >> 5) & 0xffff);
        match w & 0x7f80_0000 {
            // MOVZ (32- or 64-bit).
            0x5280_0000 if page.is_none() => value = Some(imm16 << hw),
            // MOVK: keeps the other bits.
            0x7280_0000 if value.is_some() => {
                let v = value?;
                value = Some((v & !(0xffff << hw)) | (imm16 << hw));
            }
            _ => {
                if w & 0x9f00_0000 == 0x9000_0000 && value.is_none() && page.is_none() {
                    // ADRP x0, page.
                    let immlo = u64::from((w >> 29) & 3);
                    let immhi = u64::from((w >> 5) & 0x7ffff);
                    let imm = ((immhi << 2) | immlo) as i64;
                    let imm = (imm << 43) >> 43; // sign-extend 21 bits
                    page = Some((pc & !0xfff).checked_add_signed(imm << 12)?);
                } else if w & 0xff80_0000 == 0x9100_0000 && page.is_some() && (w >> 5) & 0x1f == 0 {
                    // ADD x0, x0, #imm12{, lsl #12}.
                    let imm =
                        u64::from((w >> 10) & 0xfff) << (if w & (1 << 22) != 0 { 12 } else { 0 });
                    page = Some(page?.checked_add(imm)?);
                } else {
                    return None;
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x86_64_constants_and_addresses() {
        // PQlibVersion of psycopg2's Linux libpq: mov $0x2981b,%eax; ret (170011).
        assert_eq!(
            returned(Machine::X86_64, &[0xb8, 0x1b, 0x98, 0x02, 0x00, 0xc3], 0),
            Some(Returned::Number(170_011))
        );
        assert_eq!(
            returned(
                Machine::X86_64,
                &[0xf3, 0x0f, 0x1e, 0xfa, 0xb8, 1, 0, 0, 0, 0xc3],
                0
            ),
            Some(Returned::Number(1))
        );
        // lea 0x10(%rip),%rax; ret at 0x1000: 0x1007 + 0x10.
        assert_eq!(
            returned(
                Machine::X86_64,
                &[0x48, 0x8d, 0x05, 0x10, 0, 0, 0, 0xc3],
                0x1000
            ),
            Some(Returned::Address(0x1017))
        );
        // A call is not a constant.
        assert_eq!(
            returned(Machine::X86_64, &[0xe8, 0, 0, 0, 0, 0xc3], 0),
            None
        );
        assert_eq!(returned(Machine::X86_64, &[0xb8, 1], 0), None);
    }

    #[test]
    fn aarch64_movz_movk_ret() {
        // psycopg2's macOS libpq: movz w0,#0x981b; movk w0,#0x2,lsl#16; ret.
        let words: [u32; 3] = [0x5293_0360, 0x72a0_0040, RET];
        let code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(
            returned(Machine::Aarch64, &code, 0),
            Some(Returned::Number(170_011))
        );
        // adrp x0, 1 page; add x0, x0, #0x10; ret at 0x4000.
        let words: [u32; 3] = [0xb000_0000, 0x9100_4000, RET];
        let code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(
            returned(Machine::Aarch64, &code, 0x4000),
            Some(Returned::Address(0x5010))
        );
        // Addresses at the top of the space overflow: no answer, no panic (found by fuzzing).
        assert_eq!(returned(Machine::Aarch64, &code, u64::MAX - 4), None);
        assert_eq!(
            returned(
                Machine::X86_64,
                &[0xf3, 0x0f, 0x1e, 0xfa, 0xb8, 1, 0, 0, 0, 0xc3],
                u64::MAX - 2
            ),
            None
        );
        // A write to another register first is no answer.
        let words: [u32; 2] = [0x5280_0021, RET];
        let code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(returned(Machine::Aarch64, &code, 0), None);
    }
}
