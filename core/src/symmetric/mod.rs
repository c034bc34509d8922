//! `wasi_ephemeral_crypto_symmetric`: keys, states and tags.
//!
//! Algorithms are `&'static` descriptors found by name once ([`find`]); each family (hashes,
//! MACs, KDFs, AEADs, Xoodyak) lives in its own file, lists its descriptors in `ALL`, and
//! implements [`StateOps`] for its state. A state holds its descriptor and its family's state;
//! operations a family lacks fall back to the trait's defaults, `invalid_operation`.

mod aead;
pub(crate) mod hash;
mod kdf;
mod mac;
mod xoodyak;

use crate::budget::{Footprint, Limits};
use crate::config::MAX_SYMMETRIC_KEY_LEN;
use crate::errno::{Error, Result};
use crate::options::{OptionName, OptionsObject};
use crate::secret::SecretBytes;
use crate::types::name_eq;

/// What an algorithm does with keys, checked at import, generation and open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyRule {
    /// No key (hash functions): a key is `key_not_supported`.
    None,
    /// A key of any length up to [`MAX_SYMMETRIC_KEY_LEN`] is required (HMAC, HKDF-EXTRACT);
    /// generated keys have `generate` bytes.
    Any { generate: usize },
    /// A key of at least `min` bytes, at most [`MAX_SYMMETRIC_KEY_LEN`], is required
    /// (HKDF-EXPAND: at least the hash length).
    AtLeast { min: usize, generate: usize },
    /// A key of exactly `len` bytes is required (AEADs).
    Exact { len: usize },
    /// Keyed or unkeyed (Xoodyak): a key, when given, has exactly `len` bytes.
    Optional { len: usize },
}

impl KeyRule {
    /// Checks a key's length for import: `invalid_key` when wrong (including longer than
    /// [`MAX_SYMMETRIC_KEY_LEN`]), `key_not_supported` when the algorithm takes none.
    pub(crate) fn check_len(self, len: usize) -> Result<()> {
        let ok = match self {
            KeyRule::None => return Err(Error::KeyNotSupported),
            KeyRule::Any { .. } => len <= MAX_SYMMETRIC_KEY_LEN,
            KeyRule::AtLeast { min, .. } => len >= min && len <= MAX_SYMMETRIC_KEY_LEN,
            KeyRule::Exact { len: l } | KeyRule::Optional { len: l } => len == l,
        };
        if ok { Ok(()) } else { Err(Error::InvalidKey) }
    }

    /// Size of a generated key.
    pub(crate) fn generate_len(self) -> Result<usize> {
        match self {
            KeyRule::None => Err(Error::KeyNotSupported),
            KeyRule::Any { generate } | KeyRule::AtLeast { generate, .. } => Ok(generate),
            KeyRule::Exact { len } | KeyRule::Optional { len } => Ok(len),
        }
    }
}

/// The algorithm family, selecting the state type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    Hash(hash::HashAlg),
    Mac(mac::MacAlg),
    Kdf(kdf::KdfAlg),
    Aead(aead::AeadAlg),
    Xoodyak,
}

/// A symmetric algorithm: its canonical name, key rule, family and options.
#[derive(Debug, PartialEq, Eq)]
pub struct SymmetricAlgorithm {
    /// Canonical spelling of the name.
    pub name: &'static str,
    pub(crate) key: KeyRule,
    pub(crate) family: Family,
    /// Options this algorithm reads (at open) and reports (`symmetric_state_options_get`).
    pub(crate) options: &'static [OptionName],
}

/// Every symmetric algorithm this build implements, family by family.
static FAMILIES: &[&[&SymmetricAlgorithm]] =
    &[hash::ALL, mac::ALL, kdf::ALL, aead::ALL, xoodyak::ALL];

/// Finds an algorithm by name (ASCII case-insensitive): `unsupported_algorithm` if none.
pub(crate) fn find(name: &[u8]) -> Result<&'static SymmetricAlgorithm> {
    FAMILIES
        .iter()
        .flat_map(|f| f.iter())
        .copied()
        .find(|a| name_eq(name, a.name))
        .ok_or(Error::UnsupportedAlgorithm)
}

/// A symmetric key: its algorithm and its bytes, and where it is stored if it is managed.
pub(crate) struct SymmetricKeyObject {
    pub(crate) alg: &'static SymmetricAlgorithm,
    pub(crate) bytes: SecretBytes,
    pub(crate) managed: Option<crate::ctx::Managed>,
}

/// An authentication tag, wiped on close.
pub(crate) struct SymmetricTagObject {
    pub(crate) bytes: SecretBytes,
}

impl Footprint for SymmetricKeyObject {
    fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

impl Footprint for SymmetricTagObject {
    fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

impl Footprint for SymmetricStateObject {
    #[inline]
    fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes()
    }
}

/// What a state may use while it opens: the options it copies and the context's generator
/// (for automatic nonces). Limits reach a state where it can grow, in `absorb`.
pub(crate) struct OpenEnv<'a> {
    pub(crate) options: Option<&'a OptionsObject>,
    /// Fills a buffer from the context's generator; `unsupported_feature` when deterministic.
    pub(crate) random: &'a mut dyn FnMut(&mut [u8]) -> Result<()>,
}

/// The operations of `symmetric_state_*`. A family implements what it supports; everything
/// else is `invalid_operation`.
pub(crate) trait StateOps: Sized {
    /// Bytes of heap the state owns (exactly: capacities of its buffers and boxes). Most
    /// states live inline in their slot and own none.
    fn heap_bytes(&self) -> usize {
        0
    }
    /// Absorbs data (hash input, MAC input, salt/info, additional data, …). Buffers a family
    /// keeps grow at most to `limits.max_len`, and allocate only within `limits.room`; past
    /// either, `overflow` and the state unchanged.
    fn absorb(&mut self, _data: &[u8], _limits: &Limits) -> Result<()> {
        Err(Error::InvalidOperation)
    }
    fn squeeze(&mut self, _out: &mut [u8]) -> Result<()> {
        Err(Error::InvalidOperation)
    }
    /// A tag over everything absorbed; the state stays usable.
    fn squeeze_tag(&mut self) -> Result<SecretBytes> {
        Err(Error::InvalidOperation)
    }
    /// Key bytes for `target`, the lookup of the requested name: families that derive keys
    /// return its error (`unsupported_algorithm`) or refuse a target they cannot produce
    /// (`unsupported_algorithm`); all others are `invalid_operation` whatever the name.
    fn squeeze_key(&mut self, _target: Result<&'static SymmetricAlgorithm>) -> Result<SecretBytes> {
        Err(Error::InvalidOperation)
    }
    fn max_tag_len(&self) -> Result<usize> {
        Err(Error::InvalidOperation)
    }
    /// Writes ciphertext ‖ tag into `out` (exactly `data.len() + tag` bytes) and returns the
    /// length written. `out` and `data` never overlap here (the ABI layer copies if needed).
    fn encrypt(&mut self, _out: &mut [u8], _data: &[u8]) -> Result<usize> {
        Err(Error::InvalidOperation)
    }
    fn encrypt_detached(&mut self, _out: &mut [u8], _data: &[u8]) -> Result<SecretBytes> {
        Err(Error::InvalidOperation)
    }
    /// Decrypts ciphertext ‖ tag into `out` (exactly `data.len() - tag` bytes). On
    /// `invalid_tag` the whole of `out` is zeroed.
    fn decrypt(&mut self, _out: &mut [u8], _data: &[u8]) -> Result<usize> {
        Err(Error::InvalidOperation)
    }
    fn decrypt_detached(&mut self, _out: &mut [u8], _data: &[u8], _tag: &[u8]) -> Result<usize> {
        Err(Error::InvalidOperation)
    }
    fn ratchet(&mut self) -> Result<()> {
        Err(Error::InvalidOperation)
    }
    /// A byte-string option's current value (e.g. the nonce, given or generated).
    fn option(&self, _name: OptionName) -> Result<&[u8]> {
        Err(Error::UnsupportedOption)
    }
    /// An independent deep copy, or `prohibited_operation` where a copy would be unsafe (a
    /// state that could still encrypt under its nonce).
    fn try_clone(&self) -> Result<Self>;
}

macro_rules! families {
    ($($variant:ident($ty:ty)),*) => {
        /// The state of one family, held inline: states live in fixed slot tables, so opening
        /// one never allocates (the largest variant bounds `Config::memory_bound`).
        #[allow(clippy::large_enum_variant, reason = "inline in fixed slots, no allocation per open")]
        pub(crate) enum Inner { $($variant($ty)),* }

        macro_rules! dispatch {
            ($self:expr, $s:ident => $e:expr) => {
                match $self { $(Inner::$variant($s) => $e),* }
            };
        }

        impl Inner {
            fn heap_bytes(&self) -> usize {
                match self { $(Inner::$variant(s) => s.heap_bytes()),* }
            }

            fn try_clone(&self) -> Result<Self> {
                match self { $(Inner::$variant(s) => s.try_clone().map(Inner::$variant)),* }
            }
        }
    };
}

families!(
    Hash(hash::HashState),
    Mac(mac::MacState),
    Kdf(kdf::KdfState),
    Aead(aead::AeadState),
    Xoodyak(xoodyak::XoodyakState)
);

/// An open symmetric state.
pub(crate) struct SymmetricStateObject {
    pub(crate) alg: &'static SymmetricAlgorithm,
    pub(crate) inner: Inner,
}

impl SymmetricStateObject {
    /// Opens a state for `alg`. Key rules first: a key for a keyless algorithm is
    /// `key_not_supported`, none for a keyed one `key_required`, a key of another algorithm
    /// `invalid_key`.
    pub(crate) fn open(
        alg: &'static SymmetricAlgorithm,
        key: Option<&SymmetricKeyObject>,
        env: &mut OpenEnv<'_>,
    ) -> Result<Self> {
        match (alg.key, key) {
            (KeyRule::None, Some(_)) => return Err(Error::KeyNotSupported),
            (KeyRule::None | KeyRule::Optional { .. }, None) => {}
            (_, None) => return Err(Error::KeyRequired),
            (_, Some(k)) if !core::ptr::eq(k.alg, alg) => return Err(Error::InvalidKey),
            (_, Some(_)) => {}
        }
        let key = key.map(|k| k.bytes.expose());
        let inner = match alg.family {
            Family::Hash(a) => Inner::Hash(hash::HashState::new(a)),
            Family::Mac(a) => Inner::Mac(mac::MacState::open(a, key, env)?),
            Family::Kdf(a) => Inner::Kdf(kdf::KdfState::open(a, key, env)?),
            Family::Aead(a) => Inner::Aead(aead::AeadState::open(a, key, env)?),
            Family::Xoodyak => Inner::Xoodyak(xoodyak::XoodyakState::open(key, env)?),
        };
        Ok(SymmetricStateObject { alg, inner })
    }

    #[inline]
    pub(crate) fn absorb(&mut self, data: &[u8], limits: &Limits) -> Result<()> {
        dispatch!(&mut self.inner, s => s.absorb(data, limits))
    }

    pub(crate) fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        dispatch!(&mut self.inner, s => s.squeeze(out))
    }

    pub(crate) fn squeeze_tag(&mut self) -> Result<SecretBytes> {
        dispatch!(&mut self.inner, s => s.squeeze_tag())
    }

    pub(crate) fn squeeze_key(
        &mut self,
        target: Result<&'static SymmetricAlgorithm>,
    ) -> Result<SecretBytes> {
        dispatch!(&mut self.inner, s => s.squeeze_key(target))
    }

    pub(crate) fn max_tag_len(&self) -> Result<usize> {
        dispatch!(&self.inner, s => s.max_tag_len())
    }

    pub(crate) fn encrypt(&mut self, out: &mut [u8], data: &[u8]) -> Result<usize> {
        dispatch!(&mut self.inner, s => s.encrypt(out, data))
    }

    pub(crate) fn encrypt_detached(&mut self, out: &mut [u8], data: &[u8]) -> Result<SecretBytes> {
        dispatch!(&mut self.inner, s => s.encrypt_detached(out, data))
    }

    pub(crate) fn decrypt(&mut self, out: &mut [u8], data: &[u8]) -> Result<usize> {
        dispatch!(&mut self.inner, s => s.decrypt(out, data))
    }

    pub(crate) fn decrypt_detached(
        &mut self,
        out: &mut [u8],
        data: &[u8],
        tag: &[u8],
    ) -> Result<usize> {
        dispatch!(&mut self.inner, s => s.decrypt_detached(out, data, tag))
    }

    pub(crate) fn ratchet(&mut self) -> Result<()> {
        dispatch!(&mut self.inner, s => s.ratchet())
    }

    /// A byte option of this state: `unsupported_option` for names the algorithm does not use.
    pub(crate) fn option(&self, name: OptionName) -> Result<&[u8]> {
        if !self.alg.options.contains(&name) {
            return Err(Error::UnsupportedOption);
        }
        dispatch!(&self.inner, s => s.option(name))
    }

    pub(crate) fn try_clone(&self) -> Result<Self> {
        Ok(SymmetricStateObject {
            alg: self.alg,
            inner: self.inner.try_clone()?,
        })
    }
}

#[cfg(test)]
pub(crate) fn hash_sha256_for_test() -> &'static SymmetricAlgorithm {
    &hash::SHA256
}

/// Bytes from hex, for the families' unit tests.
#[cfg(test)]
pub(crate) fn hex(s: &str) -> alloc::vec::Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Opens `alg` with `key` (a key object of `key_alg`) in a deterministic environment, for unit
/// tests of the families.
#[cfg(test)]
pub(crate) fn open_for_test(
    alg: &'static SymmetricAlgorithm,
    key_alg: &'static SymmetricAlgorithm,
    key: &[u8],
) -> Result<SymmetricStateObject> {
    let mut random = |_: &mut [u8]| Err(Error::UnsupportedFeature);
    let mut env = OpenEnv {
        options: None,
        random: &mut random,
    };
    let key = SymmetricKeyObject {
        managed: None,
        alg: key_alg,
        bytes: SecretBytes::copy_from(key)?,
    };
    SymmetricStateObject::open(alg, Some(&key), &mut env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_rules() {
        assert_eq!(KeyRule::None.check_len(0), Err(Error::KeyNotSupported));
        assert_eq!(KeyRule::Any { generate: 32 }.check_len(0), Ok(()));
        let at_least = KeyRule::AtLeast {
            min: 32,
            generate: 32,
        };
        assert_eq!(at_least.check_len(31), Err(Error::InvalidKey));
        assert_eq!(at_least.check_len(64), Ok(()));
        assert_eq!(
            KeyRule::Exact { len: 16 }.check_len(32),
            Err(Error::InvalidKey)
        );
        assert_eq!(KeyRule::Optional { len: 16 }.check_len(16), Ok(()));
        assert_eq!(KeyRule::Exact { len: 32 }.generate_len(), Ok(32));
        assert_eq!(KeyRule::None.generate_len(), Err(Error::KeyNotSupported));
    }
}
