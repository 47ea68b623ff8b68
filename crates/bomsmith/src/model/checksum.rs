//! Checksums and their algorithms.

use std::fmt;

/// Hex value of the checksum with algorithm `alg` in `list`, if present.
pub fn find_checksum(list: &[Checksum], alg: Algorithm) -> Option<&str> {
    list.iter()
        .find(|c| c.algorithm == alg)
        .map(|c| c.value.as_str())
}

/// A checksum: algorithm and lowercase hex value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Checksum {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Lowercase hexadecimal digest.
    pub value: String,
}

impl Checksum {
    /// A checksum from raw digest bytes.
    pub fn from_bytes(algorithm: Algorithm, bytes: &[u8]) -> Self {
        Checksum {
            algorithm,
            value: hex::encode(bytes),
        }
    }
}

/// Checksum algorithms the model knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum Algorithm {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha3_256,
    Sha3_384,
    Sha3_512,
    Blake2b256,
    Blake2b384,
    Blake2b512,
    Blake3,
    Md2,
    Md4,
    Md5,
    Md6,
    Adler32,
}

impl Algorithm {
    /// Every algorithm, in a fixed order.
    pub const ALL: [Algorithm; 17] = [
        Algorithm::Sha1,
        Algorithm::Sha224,
        Algorithm::Sha256,
        Algorithm::Sha384,
        Algorithm::Sha512,
        Algorithm::Sha3_256,
        Algorithm::Sha3_384,
        Algorithm::Sha3_512,
        Algorithm::Blake2b256,
        Algorithm::Blake2b384,
        Algorithm::Blake2b512,
        Algorithm::Blake3,
        Algorithm::Md2,
        Algorithm::Md4,
        Algorithm::Md5,
        Algorithm::Md6,
        Algorithm::Adler32,
    ];

    /// The conventional upper-case name (`SHA256`, `BLAKE2b-256`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha224 => "SHA224",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha384 => "SHA384",
            Algorithm::Sha512 => "SHA512",
            Algorithm::Sha3_256 => "SHA3-256",
            Algorithm::Sha3_384 => "SHA3-384",
            Algorithm::Sha3_512 => "SHA3-512",
            Algorithm::Blake2b256 => "BLAKE2b-256",
            Algorithm::Blake2b384 => "BLAKE2b-384",
            Algorithm::Blake2b512 => "BLAKE2b-512",
            Algorithm::Blake3 => "BLAKE3",
            Algorithm::Md2 => "MD2",
            Algorithm::Md4 => "MD4",
            Algorithm::Md5 => "MD5",
            Algorithm::Md6 => "MD6",
            Algorithm::Adler32 => "ADLER32",
        }
    }

    /// Parses the conventional name, as [`Algorithm::name`] writes it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Length of the hex digest, where fixed.
    pub fn hex_len(self) -> Option<usize> {
        Some(match self {
            Algorithm::Sha1 => 40,
            Algorithm::Sha224 => 56,
            Algorithm::Sha256 | Algorithm::Sha3_256 | Algorithm::Blake2b256 | Algorithm::Blake3 => {
                64
            }
            Algorithm::Sha384 | Algorithm::Sha3_384 | Algorithm::Blake2b384 => 96,
            Algorithm::Sha512 | Algorithm::Sha3_512 | Algorithm::Blake2b512 => 128,
            Algorithm::Md2 | Algorithm::Md4 | Algorithm::Md5 => 32,
            Algorithm::Adler32 => 8,
            Algorithm::Md6 => return None,
        })
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
