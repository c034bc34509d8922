//! SHA-2 hash functions (FIPS 180-4): SHA-256, SHA-384, SHA-512, SHA-512/256.
//!
//! `squeeze` finalizes a copy, so the state is unchanged and any number of absorb/squeeze calls
//! work in any order; the output is truncated to the requested length, and asking for more than
//! the digest is `invalid_length`.

use sha2::Digest;

use super::{Family, KeyRule, StateOps, SymmetricAlgorithm};
use crate::budget::Limits;
use crate::errno::{Error, Result};

/// The SHA-2 hash functions.
pub(crate) static ALL: &[&SymmetricAlgorithm] = &[&SHA256, &SHA384, &SHA512, &SHA512_256];

/// The SHA-2 variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HashAlg {
    Sha256,
    Sha384,
    Sha512,
    Sha512_256,
}

pub(crate) static SHA256: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "SHA-256",
    key: KeyRule::None,
    options: &[],
    family: Family::Hash(HashAlg::Sha256),
};
pub(crate) static SHA384: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "SHA-384",
    key: KeyRule::None,
    options: &[],
    family: Family::Hash(HashAlg::Sha384),
};
pub(crate) static SHA512: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "SHA-512",
    key: KeyRule::None,
    options: &[],
    family: Family::Hash(HashAlg::Sha512),
};
pub(crate) static SHA512_256: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "SHA-512/256",
    key: KeyRule::None,
    options: &[],
    family: Family::Hash(HashAlg::Sha512_256),
};

/// A running SHA-2 computation.
#[derive(Clone)]
pub(crate) enum HashState {
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
    Sha512_256(sha2::Sha512_256),
}

fn truncated<D: Digest + Clone>(d: &D, out: &mut [u8]) -> Result<()> {
    let digest = d.clone().finalize();
    let src = digest.get(..out.len()).ok_or(Error::InvalidLength)?;
    out.copy_from_slice(src);
    Ok(())
}

impl HashState {
    pub(crate) fn new(alg: HashAlg) -> Self {
        match alg {
            HashAlg::Sha256 => Self::Sha256(sha2::Sha256::new()),
            HashAlg::Sha384 => Self::Sha384(sha2::Sha384::new()),
            HashAlg::Sha512 => Self::Sha512(sha2::Sha512::new()),
            HashAlg::Sha512_256 => Self::Sha512_256(sha2::Sha512_256::new()),
        }
    }

    #[inline]
    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
            Self::Sha512(h) => h.update(data),
            Self::Sha512_256(h) => h.update(data),
        }
    }

    /// Writes the first `out.len()` bytes of the digest of everything absorbed so far.
    pub(crate) fn digest_into(&self, out: &mut [u8]) -> Result<()> {
        match self {
            Self::Sha256(h) => truncated(h, out),
            Self::Sha384(h) => truncated(h, out),
            Self::Sha512(h) => truncated(h, out),
            Self::Sha512_256(h) => truncated(h, out),
        }
    }
}

impl StateOps for HashState {
    #[inline]
    fn absorb(&mut self, data: &[u8], _limits: &Limits) -> Result<()> {
        self.update(data);
        Ok(())
    }

    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        self.digest_into(out)
    }

    fn try_clone(&self) -> Result<Self> {
        Ok(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // FIPS 180-4 example "abc" (NIST CSRC examples SHA256.pdf / SHA512.pdf / SHA512_256.pdf).
    const ABC_SHA256: [u8; 32] = [
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22,
        0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00,
        0x15, 0xad,
    ];

    #[test]
    fn squeeze_truncates_and_keeps_state() {
        let mut h = HashState::new(HashAlg::Sha256);
        h.update(b"a");
        let mut early = [0u8; 32];
        h.digest_into(&mut early).unwrap();
        h.update(b"bc");
        let mut full = [0u8; 32];
        h.digest_into(&mut full).unwrap();
        assert_eq!(full, ABC_SHA256);
        let mut again = [0u8; 32];
        h.digest_into(&mut again).unwrap();
        assert_eq!(again, ABC_SHA256);
        let mut short = [0u8; 5];
        h.digest_into(&mut short).unwrap();
        assert_eq!(short, ABC_SHA256[..5]);
        let mut long = [0u8; 33];
        assert_eq!(h.digest_into(&mut long), Err(Error::InvalidLength));
        assert_eq!(long, [0u8; 33], "nothing written on error");
    }
}
