//! `wasi_ephemeral_crypto_symmetric`: keys, states and tags.
//!
//! Algorithms are `&'static` descriptors found by name once ([`find`]); a state holds the
//! descriptor and an algorithm-specific inner state. Operations an algorithm lacks return
//! `invalid_operation`.

mod hash;

use crate::errno::{Error, Result};
use crate::options::OptionName;
use crate::secret::SecretBytes;
use crate::types::name_eq;

pub(crate) use hash::HashState;

/// What an algorithm does with keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyRule {
    /// Hash functions: any key is `key_not_supported`.
    None,
}

/// The algorithm family, selecting the inner state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    Hash(hash::HashAlg),
}

/// A symmetric algorithm: its canonical name, key rule and family.
#[derive(Debug, PartialEq, Eq)]
pub struct SymmetricAlgorithm {
    /// Canonical spelling of the name.
    pub name: &'static str,
    pub(crate) key: KeyRule,
    pub(crate) family: Family,
    /// Options this algorithm reads (at open) and reports (`symmetric_state_options_get`).
    pub(crate) options: &'static [OptionName],
}

/// Every symmetric algorithm this build implements.
pub(crate) static ALGORITHMS: &[&SymmetricAlgorithm] = &[
    &hash::SHA256,
    &hash::SHA384,
    &hash::SHA512,
    &hash::SHA512_256,
];

/// Finds an algorithm by name (ASCII case-insensitive): `unsupported_algorithm` if none.
pub(crate) fn find(name: &[u8]) -> Result<&'static SymmetricAlgorithm> {
    ALGORITHMS
        .iter()
        .copied()
        .find(|a| name_eq(name, a.name))
        .ok_or(Error::UnsupportedAlgorithm)
}

/// A symmetric key: its algorithm and its bytes.
pub(crate) struct SymmetricKeyObject {
    pub(crate) alg: &'static SymmetricAlgorithm,
    pub(crate) bytes: SecretBytes,
}

/// An authentication tag, wiped on close.
pub(crate) struct SymmetricTagObject {
    pub(crate) bytes: SecretBytes,
}

/// The inner state of an open symmetric state.
#[derive(Clone)]
pub(crate) enum Inner {
    Hash(HashState),
}

/// An open symmetric state.
#[derive(Clone)]
pub(crate) struct SymmetricStateObject {
    pub(crate) alg: &'static SymmetricAlgorithm,
    pub(crate) inner: Inner,
}

impl SymmetricStateObject {
    /// Opens a state for `alg` with an optional key. Key rules: a hash with a key is
    /// `key_not_supported`.
    pub(crate) fn open(
        alg: &'static SymmetricAlgorithm,
        key: Option<&SymmetricKeyObject>,
    ) -> Result<Self> {
        if let Some(k) = key
            && alg.key != KeyRule::None
            && !core::ptr::eq(k.alg, alg)
        {
            return Err(Error::InvalidKey);
        }
        match (alg.key, alg.family) {
            (KeyRule::None, Family::Hash(h)) => {
                if key.is_some() {
                    return Err(Error::KeyNotSupported);
                }
                Ok(SymmetricStateObject {
                    alg,
                    inner: Inner::Hash(HashState::new(h)),
                })
            }
        }
    }

    pub(crate) fn absorb(&mut self, data: &[u8]) -> Result<()> {
        match &mut self.inner {
            Inner::Hash(h) => {
                h.absorb(data);
                Ok(())
            }
        }
    }

    pub(crate) fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        match &self.inner {
            Inner::Hash(h) => h.squeeze(out),
        }
    }

    /// Whether a clone is allowed (never for states that could encrypt under their nonce).
    pub(crate) fn try_clone(&self) -> Result<Self> {
        match &self.inner {
            Inner::Hash(_) => Ok(self.clone()),
        }
    }
}

/// Checks a key for import/generation of `alg`.
pub(crate) fn check_key_size(alg: &SymmetricAlgorithm, _len: usize) -> Result<()> {
    match alg.key {
        KeyRule::None => Err(Error::KeyNotSupported),
    }
}

#[cfg(test)]
pub(crate) fn hash_sha256_for_test() -> &'static SymmetricAlgorithm {
    &hash::SHA256
}
