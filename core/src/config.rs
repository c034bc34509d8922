//! Limits an embedder chooses per context. Every guest-growable resource is capped here, so the
//! host memory one context can hold is bounded and known in advance ([`Config::memory_bound`]).

use crate::handles::MAX_CAPACITY;

/// Per-context limits. `Config::default()` suits a server; firmware shrinks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Live handles per handle type (options, array outputs, keys, states, tags, …).
    /// At most [`MAX_CAPACITY`]; past it a new handle fails with `too_many_handles`.
    pub max_handles: usize,
    /// Largest value one option may hold (`options_set`), in bytes; past it: `overflow`.
    pub max_option_len: usize,
    /// Largest content of one `array_output`, in bytes.
    pub max_array_output_len: usize,
    /// Largest input a state may buffer (Ed25519 messages, AEAD additional data, HKDF
    /// info/salt); past it: `overflow`.
    pub max_buffered_len: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_handles: 256,
            max_option_len: 1024,
            max_array_output_len: 64 * 1024,
            max_buffered_len: 1024 * 1024,
        }
    }
}

/// Upper bound of the heap one live object of any type can hold besides its guest-grown buffers
/// (hash/cipher states, key schedules, asymmetric keys and signing states, and a
/// ChaCha20-Poly1305 state's boxed Poly1305 once its AD outgrew the inline buffer). Checked
/// against the real sizes by a test.
#[cfg(not(feature = "mlkem"))]
pub(crate) const MAX_OBJECT_SIZE: usize = 1536;
/// With the KEMs, a key pair object also holds its boxed keys on the heap (ML-KEM-1024: a
/// ~4.1 KiB decapsulation key and a ~2.1 KiB encapsulation key).
#[cfg(feature = "mlkem")]
pub(crate) const MAX_OBJECT_SIZE: usize = 7 * 1024;

/// Number of handle types with a slot table of their own.
pub(crate) const HANDLE_TYPES: usize = 12;

/// Number of distinct option names an options object can hold at once.
pub(crate) const MAX_OPTION_NAMES: usize = crate::options::OPTION_NAMES;

impl Config {
    /// A small configuration for microcontrollers: 16 handles per type, 4 KiB buffers.
    pub const fn embedded() -> Self {
        Config {
            max_handles: 16,
            max_option_len: 64,
            max_array_output_len: 4096,
            max_buffered_len: 4096,
        }
    }

    /// The configuration with each limit clamped to what the slot tables can address.
    pub(crate) fn clamped(self) -> Self {
        Config {
            max_handles: self.max_handles.min(MAX_CAPACITY),
            ..self
        }
    }

    /// An upper bound, in bytes, of the host heap one context can hold with these limits:
    /// every slot of every table full, each object at its largest. Saturates instead of
    /// overflowing.
    pub fn memory_bound(&self) -> usize {
        let c = self.clamped();
        let per_object = MAX_OBJECT_SIZE
            .saturating_add(c.max_array_output_len)
            .saturating_add(c.max_buffered_len)
            .saturating_add(c.max_option_len.saturating_mul(MAX_OPTION_NAMES));
        per_object
            .saturating_mul(c.max_handles)
            .saturating_mul(HANDLE_TYPES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_fit_the_per_object_bound() {
        use crate::symmetric::{SymmetricKeyObject, SymmetricStateObject, SymmetricTagObject};
        for size in [
            core::mem::size_of::<SymmetricStateObject>(),
            core::mem::size_of::<SymmetricKeyObject>(),
            core::mem::size_of::<SymmetricTagObject>(),
            core::mem::size_of::<crate::options::OptionsObject>(),
            core::mem::size_of::<crate::options::ArrayOutputObject>(),
            core::mem::size_of::<crate::asymmetric::KeypairObject>(),
            core::mem::size_of::<crate::asymmetric::PublickeyObject>(),
            core::mem::size_of::<crate::asymmetric::SecretkeyObject>(),
            core::mem::size_of::<crate::asymmetric::SignatureObject>(),
            core::mem::size_of::<crate::asymmetric::SignatureStateObject>(),
            core::mem::size_of::<crate::asymmetric::VerificationStateObject>(),
        ] {
            assert!(size <= MAX_OBJECT_SIZE, "{size} > {MAX_OBJECT_SIZE}");
        }
        let chacha_streaming = core::mem::size_of::<SymmetricStateObject>()
            + core::mem::size_of::<poly1305::Poly1305>();
        assert!(chacha_streaming <= MAX_OBJECT_SIZE, "{chacha_streaming}");
        #[cfg(feature = "mlkem")]
        {
            let kem_pair = core::mem::size_of::<crate::asymmetric::KeypairObject>()
                + crate::asymmetric::MAX_KEM_KEY_HEAP;
            assert!(kem_pair <= MAX_OBJECT_SIZE, "{kem_pair}");
        }
    }

    #[test]
    fn memory_bound_is_finite_and_grows_with_limits() {
        let small = Config::embedded().memory_bound();
        let big = Config::default().memory_bound();
        assert!(small < big);
        assert!(big < usize::MAX);
        let huge = Config {
            max_handles: usize::MAX,
            max_option_len: usize::MAX,
            max_array_output_len: usize::MAX,
            max_buffered_len: usize::MAX,
        };
        assert_eq!(huge.memory_bound(), usize::MAX, "saturates");
    }
}
