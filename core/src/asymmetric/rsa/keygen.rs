//! RSA key generation with a hard bound on its work.
//!
//! The `rsa` crate's generator loops until it finds primes: it ends with probability 1, but
//! nothing bounds one call. Here every loop has a fixed limit, on the same building blocks
//! (crypto-primes' small-factor sieve and its Baillie-PSW test, the `rsa` crate's key
//! assembly from two primes):
//!
//! - a prime of `b` bits takes at most [`TESTS_PER_BIT`]·`b` primality tests over at most
//!   [`STARTS`] random starting points; a sieve survivor of 1024 bits is prime with
//!   probability about 1/36 (1/710 for a random integer, raised by discarding evens and
//!   multiples of small primes), so running out of tests has probability about
//!   `e^(-4096/36)` < 2⁻¹⁶⁰, and the same at every size (the limit grows with `b` as the
//!   expected count does);
//! - a key takes at most [`PAIRS`] pairs of primes: a pair is drawn again when the primes are
//!   too close (`|p - q| ≤ 2^(b-100)`, FIPS 186-5 §A.1.3), when `e` is not invertible modulo
//!   `λ(n)` (probability about 2/65537) or when the key fails the import checks.
//!
//! Past a limit the call answers `algorithm_failure`; nothing loops without bound. Both primes
//! have their two top bits set, so `n` has exactly the requested size.

use core::num::NonZeroU32;

use ::rsa::{BoxedUint, PrivateKey};
use crypto_bigint::{BitOps, RandomBits};
use crypto_primes::hazmat::SmallFactorsSieve;
use crypto_primes::{Flavor, is_prime};
use rand_core::TryCryptoRng;
use zeroize::Zeroize;

use crate::errno::{Error, Result};

/// Primality tests per bit of the prime sought.
pub(super) const TESTS_PER_BIT: usize = 4;
/// Random starting points per prime (a sieve runs from each up to the end of the bit size, so
/// one start nearly always suffices).
pub(super) const STARTS: usize = 64;
/// Pairs of primes per key.
pub(super) const PAIRS: usize = 8;

/// A key of exactly `bits` bits with public exponent `e` (odd, at least 3), from `rng`.
pub(super) fn generate<R>(rng: &mut R, bits: usize, e: u64) -> Result<PrivateKey>
where
    R: TryCryptoRng + ?Sized,
{
    let half = u32::try_from(bits / 2).map_err(|_| Error::InternalError)?;
    if !bits.is_multiple_of(2) || half < 128 {
        return Err(Error::InternalError);
    }
    for _ in 0..PAIRS {
        let mut p = prime(rng, half)?;
        let mut q = prime(rng, half)?;
        let far = far_apart(&p, &q, half);
        if far {
            // `from_p_q` computes d = e⁻¹ mod λ(n) and the CRT values, and refuses an e not
            // invertible modulo λ(n).
            if let Ok(key) = PrivateKey::from_p_q(p.clone(), q.clone(), BoxedUint::from(e)) {
                p.zeroize();
                q.zeroize();
                return Ok(key);
            }
        }
        p.zeroize();
        q.zeroize();
    }
    Err(Error::AlgorithmFailure)
}

/// `|p - q| > 2^(half - 100)`.
fn far_apart(p: &BoxedUint, q: &BoxedUint, half: u32) -> bool {
    let (big, small) = if p > q { (p, q) } else { (q, p) };
    let mut d = big.wrapping_sub(small);
    let far = d.bit_width_vartime() > half.saturating_sub(100).saturating_add(1);
    d.zeroize();
    far
}

/// A prime of exactly `bits` bits with its two top bits set, within [`TESTS_PER_BIT`]·`bits`
/// primality tests (`algorithm_failure` past them).
fn prime<R>(rng: &mut R, bits: u32) -> Result<BoxedUint>
where
    R: TryCryptoRng + ?Sized,
{
    let budget = usize::try_from(bits)
        .map_err(|_| Error::InternalError)?
        .saturating_mul(TESTS_PER_BIT);
    prime_within(rng, bits, budget)
}

/// [`prime`] within `budget` primality tests.
fn prime_within<R>(rng: &mut R, bits: u32, mut budget: usize) -> Result<BoxedUint>
where
    R: TryCryptoRng + ?Sized,
{
    let nz_bits = NonZeroU32::new(bits).ok_or(Error::InternalError)?;
    let top = bits.checked_sub(1).ok_or(Error::InternalError)?;
    let second = bits.checked_sub(2).ok_or(Error::InternalError)?;
    for _ in 0..STARTS {
        let mut start =
            BoxedUint::try_random_bits(rng, bits).map_err(|_| Error::AlgorithmFailure)?;
        start.set_bit_vartime(0, true);
        start.set_bit_vartime(top, true);
        start.set_bit_vartime(second, true);
        let sieve =
            SmallFactorsSieve::new(start, nz_bits, false).map_err(|_| Error::InternalError)?;
        for mut candidate in sieve {
            if budget == 0 {
                candidate.zeroize();
                return Err(Error::AlgorithmFailure);
            }
            budget = budget.saturating_sub(1);
            if is_prime(Flavor::Any, &candidate) && candidate.bit(second).into() {
                return Ok(candidate);
            }
            candidate.zeroize();
        }
    }
    Err(Error::AlgorithmFailure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::rsa::traits::{PrivateKeyParts, PublicKeyParts};

    /// A fixed-seed generator (ChaCha20), so the test is repeatable.
    struct Seeded(chacha20::ChaCha20);

    impl rand_core::TryRng for Seeded {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
            let mut b = [0u8; 4];
            self.try_fill_bytes(&mut b)?;
            Ok(u32::from_le_bytes(b))
        }
        fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
            let mut b = [0u8; 8];
            self.try_fill_bytes(&mut b)?;
            Ok(u64::from_le_bytes(b))
        }
        fn try_fill_bytes(&mut self, d: &mut [u8]) -> core::result::Result<(), Self::Error> {
            use chacha20::cipher::StreamCipher;
            d.fill(0);
            self.0.apply_keystream(d);
            Ok(())
        }
    }
    impl TryCryptoRng for Seeded {}

    fn seeded(seed: u8) -> Seeded {
        use chacha20::cipher::KeyIvInit;
        Seeded(chacha20::ChaCha20::new(&[seed; 32].into(), &[0; 12].into()))
    }

    /// Keys have the exact size, e = 65537, two distinct primes far apart whose product is n.
    #[test]
    fn keys_have_the_requested_shape() {
        for (seed, bits) in [(1u8, 1024usize), (2, 2048)] {
            let key = generate(&mut seeded(seed), bits, 65537).unwrap();
            assert_eq!(key.n().bit_width_vartime() as usize, bits);
            assert_eq!(*key.e(), BoxedUint::from(65537u64));
            let primes = key.primes();
            assert_eq!(primes.len(), 2);
            assert!(far_apart(&primes[0], &primes[1], (bits / 2) as u32));
            key.validate().unwrap();
        }
    }

    /// A generator whose every output is zero never yields a prime (the start is 2^(b-1) +
    /// 2^(b-2) + 1 each time, the same survivors): the call ends with `algorithm_failure`
    /// within its bound instead of looping.
    #[test]
    fn a_stuck_generator_ends_in_algorithm_failure() {
        struct Zeros;
        impl rand_core::TryRng for Zeros {
            type Error = core::convert::Infallible;
            fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
                Ok(0)
            }
            fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
                Ok(0)
            }
            fn try_fill_bytes(&mut self, d: &mut [u8]) -> core::result::Result<(), Self::Error> {
                d.fill(0);
                Ok(())
            }
        }
        impl TryCryptoRng for Zeros {}
        // From a fixed start the sieve finds the same prime every time, so both primes of
        // each pair are equal (not far apart): every pair is refused and the bound ends it.
        assert_eq!(
            generate(&mut Zeros, 512, 65537).unwrap_err(),
            Error::AlgorithmFailure
        );
        // The test budget: 2^255 + 2^254 + 1 and its next sieve survivors are composite for
        // the first few tests, so a budget of one test runs out; a full budget finds a prime.
        assert_eq!(
            prime_within(&mut Zeros, 256, 1).unwrap_err(),
            Error::AlgorithmFailure
        );
        let p = prime(&mut Zeros, 256).unwrap();
        assert!(is_prime(Flavor::Any, &p));
        assert_eq!(p.bit_width_vartime(), 256);
    }
}
