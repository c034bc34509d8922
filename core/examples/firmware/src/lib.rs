//! Giving wasmcrypt its entropy on a microcontroller (no OS), e.g. `thumbv7em-none-eabihf`.
//!
//! Randomness is injected: the core never reads a device itself. Firmware picks one of two
//! paths.
//!
//! 1. **Pass a trusted [`EntropySource`]** (shown here): wrap the chip's TRNG, seed one
//!    [`BaseRng`] at boot, and give each Wasm instance its own [`InstanceRng`]. No context with
//!    randomness can exist before the TRNG delivered the seed.
//! 2. **getrandom's custom backend**: build the core with `--features getrandom` and
//!    `RUSTFLAGS='--cfg getrandom_backend="custom"'`, and define in the firmware
//!    ```ignore
//!    #[unsafe(no_mangle)]
//!    unsafe extern "Rust" fn __getrandom_v03_custom(dest: *mut u8, len: usize)
//!        -> Result<(), getrandom::Error> { /* fill from the TRNG */ }
//!    ```
//!    then use `wasmcrypt_core::rng::OsEntropy` as the source.
//!
//! Firmware also provides a `#[global_allocator]` (the core needs `alloc`) and, for the 60 s
//! reseed, a [`Clock`](wasmcrypt_core::rng::Clock) over its tick counter
//! (`BaseRng::with_clock`); without one the base reseeds every ~1 MiB and on request.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::sync::Arc;

use wasmcrypt_core::rng::{BaseRng, EntropyError, EntropySource, InstanceRng};
use wasmcrypt_core::{Config, Ctx};

/// A hardware TRNG read one 32-bit word at a time, e.g. an STM32's `RNG->DR` after checking
/// `RNG->SR.DRDY`, returning `None` on a seed or clock error (`SEIS`/`CEIS`).
pub struct Trng {
    /// Reads one word, or `None` if the peripheral reports an error.
    pub read_word: fn() -> Option<u32>,
}

impl EntropySource for Trng {
    fn fill(&self, dest: &mut [u8]) -> Result<(), EntropyError> {
        for chunk in dest.chunks_mut(4) {
            let word = (self.read_word)().ok_or(EntropyError)?.to_le_bytes();
            for (d, s) in chunk.iter_mut().zip(word) {
                *d = s;
            }
        }
        Ok(())
    }
}

/// At boot: seed the base generator from the TRNG. Fails (and the firmware must not start
/// guests) if the TRNG cannot deliver.
///
/// # Errors
/// If the TRNG reports an error while seeding.
pub fn boot(read_word: fn() -> Option<u32>) -> Result<Arc<BaseRng>, EntropyError> {
    BaseRng::new(Box::new(Trng { read_word }))
}

/// Per Wasm instance: a context with the small embedded limits and its own generator.
pub fn instance_context(base: &Arc<BaseRng>) -> Ctx {
    Ctx::with_rng(Config::embedded(), InstanceRng::new(base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::{AtomicU32, Ordering};

    static WORD: AtomicU32 = AtomicU32::new(0x1234_5678);

    fn fake_trng() -> Option<u32> {
        // A stand-in peripheral for the host test (not random: the base only needs bytes).
        Some(WORD.fetch_add(0x9e37_79b9, Ordering::Relaxed))
    }

    fn broken_trng() -> Option<u32> {
        None
    }

    #[test]
    fn boots_and_serves_instances() {
        let base = boot(fake_trng).unwrap();
        let mut a = instance_context(&base);
        let mut b = instance_context(&base);
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        a.random_fill(&mut x).unwrap();
        b.random_fill(&mut y).unwrap();
        assert_ne!(x, y);
        assert_eq!(a.config(), &Config::embedded());
    }

    #[test]
    fn no_context_without_a_seed() {
        assert_eq!(boot(broken_trng).err(), Some(EntropyError));
    }
}
