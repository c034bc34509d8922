//! Limits an embedder chooses per context. One byte budget ([`Config::max_memory`]) bounds
//! the host heap a context holds; every guest-growable resource also has its own cap, so no
//! single buffer can take the whole budget by surprise ([`Config::memory_bound`]).

use crate::budget::CALL_SCRATCH;
use crate::handles::MAX_CAPACITY;

/// Longest symmetric key accepted at import for the algorithms that take keys of any length
/// (HMAC, HKDF-EXTRACT): 4 KiB. Longer keys are refused with `invalid_key`, like any other
/// key of a size the algorithm does not accept here: hashing a long HMAC key would change what
/// `symmetric_key_export` returns, and an HKDF-EXTRACT key is its input keying material,
/// which must not be hashed.
pub const MAX_SYMMETRIC_KEY_LEN: usize = 4096;

/// Per-context limits. `Config::default()` suits a server; [`Config::embedded`] firmware.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Live handles per handle type (options, array outputs, keys, states, tags, …).
    /// At most [`MAX_CAPACITY`]; past it a new handle fails with `too_many_handles`.
    pub max_handles: usize,
    /// Largest value one option may hold (`options_set`), in bytes; past it: `overflow`.
    pub max_option_len: usize,
    /// Largest content of one `array_output`, in bytes.
    pub max_array_output_len: usize,
    /// Largest input a state may buffer (Ed25519 messages, HKDF info); past it: `overflow`.
    pub max_buffered_len: usize,
    /// The context's heap budget in bytes: every allocation a guest can cause (keys, buffered
    /// input, array outputs, option values, boxed state parts, clones, the slot tables) is
    /// charged to it and released on close. Past it, a call that would create an object
    /// answers `too_many_handles`, one that would grow an object or copy an overlapping buffer
    /// `overflow`; nothing changes.
    pub max_memory: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_handles: 256,
            max_option_len: 1024,
            max_array_output_len: 64 * 1024,
            max_buffered_len: 1024 * 1024,
            max_memory: 16 * 1024 * 1024,
        }
    }
}

impl Config {
    /// A small configuration for microcontrollers: 16 handles per type, 4 KiB buffers and a
    /// 32 KiB heap budget.
    pub const fn embedded() -> Self {
        Config {
            max_handles: 16,
            max_option_len: 64,
            max_array_output_len: 4096,
            max_buffered_len: 4096,
            max_memory: 32 * 1024,
        }
    }

    /// The configuration with each limit clamped to what the slot tables can address.
    pub(crate) fn clamped(self) -> Self {
        Config {
            max_handles: self.max_handles.min(MAX_CAPACITY),
            ..self
        }
    }

    /// An upper bound, in bytes, of the host heap one context holds at any instant: the
    /// budget ([`max_memory`](Self::max_memory)) plus a fixed allowance of 64 KiB for scratch
    /// buffers that third-party encoders and big-integer code allocate and free within one
    /// call. The context value itself (`size_of::<Ctx>()`, held by the embedder) is not
    /// included. The hostile-guest tests measure the real peak against this bound on every
    /// engine. Saturates instead of overflowing.
    pub const fn memory_bound(&self) -> usize {
        self.max_memory.saturating_add(CALL_SCRATCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slots hold objects inline: keep every object small to move and to keep tables cheap.
    #[test]
    fn objects_stay_small() {
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
            assert!(size <= 1536, "{size}");
        }
    }

    #[test]
    fn memory_bound_is_the_budget_plus_scratch() {
        assert_eq!(
            Config::default().memory_bound(),
            16 * 1024 * 1024 + 64 * 1024
        );
        assert_eq!(Config::embedded().memory_bound(), 96 * 1024);
        let huge = Config {
            max_memory: usize::MAX,
            ..Config::default()
        };
        assert_eq!(huge.memory_bound(), usize::MAX, "saturates");
    }
}
