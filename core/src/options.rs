//! Options objects (witx `options_*`): per algorithm type, a fixed set of known names, each
//! with one value type. Values are copied in; a state copies what it needs when it opens, so later
//! changes to an options object never reach a live state, and states never write back.

use crate::budget::{Footprint, Limits};
use crate::errno::{Error, Result};
use crate::secret::SecretBytes;
use crate::types::{AlgorithmType, name_eq};

/// How an option is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueKind {
    Bytes,
    U64,
}

/// A known option name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OptionName {
    /// `nonce`: nonce or IV for ciphers (symmetric, bytes).
    Nonce = 0,
    /// `expiration`: UNIX seconds after which a managed key expires (every type, u64).
    Expiration = 1,
}

struct Known {
    name: &'static str,
    id: OptionName,
    alg_type: AlgorithmType,
    kind: ValueKind,
}

/// Every option name an implemented algorithm uses. A name not listed here is
/// `unsupported_option` for `options_set*` and for `symmetric_state_options_get*`.
const KNOWN: &[Known] = &[
    Known {
        name: "nonce",
        id: OptionName::Nonce,
        alg_type: AlgorithmType::Symmetric,
        kind: ValueKind::Bytes,
    },
    Known {
        name: "expiration",
        id: OptionName::Expiration,
        alg_type: AlgorithmType::Symmetric,
        kind: ValueKind::U64,
    },
    Known {
        name: "expiration",
        id: OptionName::Expiration,
        alg_type: AlgorithmType::Signatures,
        kind: ValueKind::U64,
    },
    Known {
        name: "expiration",
        id: OptionName::Expiration,
        alg_type: AlgorithmType::KeyExchange,
        kind: ValueKind::U64,
    },
];

/// Number of distinct names an options object can hold.
pub(crate) const OPTION_NAMES: usize = 1;

impl OptionName {
    /// Finds a known name (ASCII case-insensitively) for `alg_type` and value `kind`.
    pub(crate) fn find(alg_type: AlgorithmType, name: &[u8], kind: ValueKind) -> Result<Self> {
        KNOWN
            .iter()
            .find(|k| k.alg_type == alg_type && k.kind == kind && name_eq(name, k.name))
            .map(|k| k.id)
            .ok_or(Error::UnsupportedOption)
    }

    /// Finds a known name whatever its value type (for reading from a state).
    pub(crate) fn find_any(alg_type: AlgorithmType, name: &[u8]) -> Result<Self> {
        KNOWN
            .iter()
            .find(|k| k.alg_type == alg_type && name_eq(name, k.name))
            .map(|k| k.id)
            .ok_or(Error::UnsupportedOption)
    }
}

/// A set of options for one algorithm type.
pub(crate) struct OptionsObject {
    alg_type: AlgorithmType,
    bytes: [Option<SecretBytes>; OPTION_NAMES],
    expiration: Option<u64>,
}

impl OptionsObject {
    pub(crate) fn new(alg_type: AlgorithmType) -> Self {
        OptionsObject {
            alg_type,
            bytes: [None],
            expiration: None,
        }
    }

    pub(crate) fn alg_type(&self) -> AlgorithmType {
        self.alg_type
    }

    /// Sets (or overwrites) a byte-string option. Longer than `limits.max_len`, or more than
    /// the budget's room: `overflow`, the option unchanged.
    pub(crate) fn set(&mut self, name: &[u8], value: &[u8], limits: &Limits) -> Result<()> {
        let id = OptionName::find(self.alg_type, name, ValueKind::Bytes)?;
        if value.len() > limits.max_len {
            return Err(Error::Overflow);
        }
        limits.admit(value.len())?;
        let slot = self
            .bytes
            .get_mut(id as usize)
            .ok_or(Error::InternalError)?;
        *slot = Some(SecretBytes::copy_from(value)?);
        Ok(())
    }

    /// Sets an integer option (`expiration`, for managed keys).
    pub(crate) fn set_u64(&mut self, name: &[u8], value: u64) -> Result<()> {
        match OptionName::find(self.alg_type, name, ValueKind::U64)? {
            OptionName::Expiration => self.expiration = Some(value),
            OptionName::Nonce => return Err(Error::UnsupportedOption),
        }
        Ok(())
    }

    /// The `expiration` option, if set.
    pub(crate) fn expiration(&self) -> Option<u64> {
        self.expiration
    }

    /// A byte-string option's value: `option_not_set` when known but unset.
    pub(crate) fn get(&self, id: OptionName) -> Result<&[u8]> {
        self.bytes
            .get(id as usize)
            .and_then(Option::as_ref)
            .map(SecretBytes::expose)
            .ok_or(Error::OptionNotSet)
    }
}

impl Footprint for OptionsObject {
    fn heap_bytes(&self) -> usize {
        self.bytes
            .iter()
            .flatten()
            .fold(0, |n, v| n.saturating_add(v.capacity()))
    }
}

/// An `array_output`: host-produced bytes pulled by the guest in one or more calls.
pub(crate) struct ArrayOutputObject {
    data: SecretBytes,
    pos: usize,
}

impl ArrayOutputObject {
    pub(crate) fn new(data: &[u8], max_len: usize) -> Result<Self> {
        if data.len() > max_len {
            return Err(Error::Overflow);
        }
        Ok(ArrayOutputObject {
            data: SecretBytes::copy_from(data)?,
            pos: 0,
        })
    }

    /// Total length (not the remainder).
    pub(crate) fn len(&self) -> usize {
        self.data.len()
    }

    /// Copies `min(buf.len(), remaining)` bytes and returns that count and whether every byte
    /// has now been consumed by a pull that asked for at least one byte.
    pub(crate) fn pull(&mut self, buf: &mut [u8]) -> Result<(usize, bool)> {
        let rest = self
            .data
            .expose()
            .get(self.pos..)
            .ok_or(Error::InternalError)?;
        let n = rest.len().min(buf.len());
        let (src, dst) = (rest.get(..n), buf.get_mut(..n));
        match (src, dst) {
            (Some(s), Some(d)) => d.copy_from_slice(s),
            _ => return Err(Error::InternalError),
        }
        self.pos = self.pos.checked_add(n).ok_or(Error::InternalError)?;
        let done = !buf.is_empty() && self.pos == self.data.len();
        Ok((n, done))
    }
}

impl Footprint for ArrayOutputObject {
    fn heap_bytes(&self) -> usize {
        self.data.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim(max_len: usize) -> Limits {
        Limits {
            max_len,
            room: usize::MAX,
        }
    }

    #[test]
    fn set_get_overwrite() {
        let mut o = OptionsObject::new(AlgorithmType::Symmetric);
        assert_eq!(o.get(OptionName::Nonce), Err(Error::OptionNotSet));
        o.set(b"nonce", b"abc", &lim(16)).unwrap();
        o.set(b"NONCE", b"xyz1", &lim(16)).unwrap();
        assert_eq!(o.get(OptionName::Nonce).unwrap(), b"xyz1");
        assert_eq!(o.set(b"nonce", &[0; 17], &lim(16)), Err(Error::Overflow));
        assert_eq!(
            o.set(b"context", b"", &lim(16)),
            Err(Error::UnsupportedOption)
        );
        assert_eq!(o.set_u64(b"nonce", 1), Err(Error::UnsupportedOption));
        assert_eq!(o.expiration(), None);
        o.set_u64(b"EXPIRATION", 7).unwrap();
        assert_eq!(o.expiration(), Some(7));
        assert_eq!(
            o.set(b"expiration", b"x", &lim(16)),
            Err(Error::UnsupportedOption)
        );
        let mut s = OptionsObject::new(AlgorithmType::Signatures);
        assert_eq!(
            s.set(b"nonce", b"abc", &lim(16)),
            Err(Error::UnsupportedOption)
        );
    }

    #[test]
    fn array_output_pulls_in_pieces() {
        let mut a = ArrayOutputObject::new(b"hello", 16).unwrap();
        let mut b = [0u8; 2];
        assert_eq!(a.pull(&mut []).unwrap(), (0, false));
        assert_eq!(a.pull(&mut b).unwrap(), (2, false));
        assert_eq!(&b, b"he");
        assert_eq!(a.pull(&mut b).unwrap(), (2, false));
        let mut c = [0u8; 8];
        assert_eq!(a.pull(&mut c).unwrap(), (1, true));
        assert_eq!(c[0], b'o');
        assert_eq!(a.len(), 5);
        assert_eq!(
            ArrayOutputObject::new(&[0; 17], 16).err(),
            Some(Error::Overflow)
        );
    }
}
