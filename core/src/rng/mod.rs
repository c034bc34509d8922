//! Randomness: one trusted entropy source, a pool for extra inputs, a base generator shared by
//! the contexts of a process, and one generator per context (`docs/rng.md`, after Linux's random.c).
//!
//! ```text
//! EntropySource (trusted) ──► BaseRng: ChaCha20 fast key erasure, reseeded every 60 s (when a
//! extra inputs ──► Pool ──┘            clock is given), every ~1 MiB drawn, and on request
//!                                      │ 32 bytes taken and erased per instance key
//!                               InstanceRng (one per Ctx; re-keys when the base moves on)
//! ```
//!
//! - A [`BaseRng`] exists only once its trusted source delivered a 32-byte seed, and a
//!   [`Ctx`](crate::Ctx) with randomness needs an [`InstanceRng`] from one: that is how
//!   "instantiation blocks until seeded" holds. Afterwards randomness never fails: a reseed
//!   whose source fails keeps the current key.
//! - Mixing never lowers security: new key = HKDF-SHA-512(salt = 64 bytes of current output,
//!   ikm = source bytes ‖ pool digest). Extra inputs are mixed but never counted as entropy.
//! - Generation counters are 32-bit (`thumbv7em` has no 64-bit atomics).

mod fke;
mod pool;

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};

use hkdf::Hkdf;
use sha2::Sha512;
use zeroize::Zeroize;

use fke::Fke;
use pool::Pool;

/// A trusted source of entropy: the OS, a hardware TRNG, … Only this may seed a generator.
pub trait EntropySource: Send + Sync {
    /// Fills `dest` entirely with unpredictable bytes, or fails.
    ///
    /// # Errors
    /// When the source cannot deliver now; the caller keeps its current state.
    fn fill(&self, dest: &mut [u8]) -> Result<(), EntropyError>;
}

/// A source could not deliver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntropyError;

impl fmt::Display for EntropyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the entropy source failed")
    }
}

impl core::error::Error for EntropyError {}

/// The operating system's generator, through `getrandom` (std hosts; on firmware, getrandom's
/// custom backend: build with `--cfg getrandom_backend="custom"` and define
/// `__getrandom_v03_custom`).
#[cfg(feature = "getrandom")]
#[derive(Clone, Copy, Debug, Default)]
pub struct OsEntropy;

#[cfg(feature = "getrandom")]
impl EntropySource for OsEntropy {
    fn fill(&self, dest: &mut [u8]) -> Result<(), EntropyError> {
        getrandom::fill(dest).map_err(|_| EntropyError)
    }
}

/// Seconds from any fixed origin, for time-based reseeding.
pub trait Clock: Send + Sync {
    /// Seconds elapsed since an arbitrary, fixed origin (monotonic).
    fn now_secs(&self) -> u64;
}

/// A monotonic clock from `std::time::Instant` (feature `std`).
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug)]
pub struct StdClock(std::time::Instant);

#[cfg(feature = "std")]
impl Default for StdClock {
    fn default() -> Self {
        StdClock(std::time::Instant::now())
    }
}

#[cfg(feature = "std")]
impl Clock for StdClock {
    fn now_secs(&self) -> u64 {
        self.0.elapsed().as_secs()
    }
}

/// Reseed the base at least this often (when it has a clock).
pub const RESEED_INTERVAL_SECS: u64 = 60;
/// Reseed the base after instances drew this many bytes since the last reseed.
pub const RESEED_BYTES: u64 = 1 << 20;
/// An instance takes a fresh key from the base after this many bytes…
const INSTANCE_REKEY_BYTES: u64 = 1 << 20;
/// …or this many calls, whichever comes first (so time-based reseeds reach idle-ish instances).
const INSTANCE_REKEY_CALLS: u32 = 1024;

const HKDF_INFO: &[u8] = b"wasmcrypt rng v1 base key";

struct BaseState {
    fke: Fke,
    source: Box<dyn EntropySource>,
    pool: Pool,
    clock: Option<Box<dyn Clock>>,
    last_reseed: u64,
    drawn: u64,
}

impl BaseState {
    /// Mixes fresh source bytes and the pool into a new key. A failing source keeps the
    /// current key (and the pool's contents for next time).
    fn reseed(&mut self) -> Result<(), EntropyError> {
        let mut ikm = [0u8; 32 + pool::DIGEST];
        let (fresh, pooled) = ikm.split_at_mut(32);
        let r = self.source.fill(fresh);
        if r.is_ok() {
            self.pool.finish_into(pooled);
            let mut salt = [0u8; 64];
            self.fke.fill(&mut salt);
            let mut key = [0u8; 32];
            let hk = Hkdf::<Sha512>::new(Some(&salt), &ikm);
            // 32 bytes is far below HKDF-SHA-512's 255 × 64-byte limit: cannot fail.
            let _ = hk.expand(HKDF_INFO, &mut key);
            self.fke = Fke::new(key);
            key.zeroize();
            salt.zeroize();
            self.drawn = 0;
            self.last_reseed = self.clock.as_ref().map_or(0, |c| c.now_secs());
        }
        ikm.zeroize();
        r
    }

    fn due(&self) -> bool {
        self.drawn >= RESEED_BYTES
            || self.clock.as_ref().is_some_and(|c| {
                c.now_secs().saturating_sub(self.last_reseed) >= RESEED_INTERVAL_SECS
            })
    }
}

/// The base generator one process (or one engine) shares among its contexts.
pub struct BaseRng {
    state: spin::Mutex<BaseState>,
    generation: AtomicU32,
}

impl fmt::Debug for BaseRng {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BaseRng")
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

impl BaseRng {
    /// Seeds a base generator from its trusted source. Nothing can draw from it before this
    /// succeeded.
    ///
    /// # Errors
    /// If the source cannot deliver the seed.
    pub fn new(source: Box<dyn EntropySource>) -> Result<Arc<Self>, EntropyError> {
        Self::with_clock(source, None)
    }

    /// As [`BaseRng::new`], with a clock for reseeding every [`RESEED_INTERVAL_SECS`].
    ///
    /// # Errors
    /// If the source cannot deliver the seed.
    pub fn with_clock(
        source: Box<dyn EntropySource>,
        clock: Option<Box<dyn Clock>>,
    ) -> Result<Arc<Self>, EntropyError> {
        let mut seed = [0u8; 32];
        source.fill(&mut seed)?;
        let mut key = [0u8; 32];
        let hk = Hkdf::<Sha512>::new(None, &seed);
        let _ = hk.expand(HKDF_INFO, &mut key);
        seed.zeroize();
        let last_reseed = clock.as_ref().map_or(0, |c| c.now_secs());
        let state = BaseState {
            fke: Fke::new(key),
            source,
            pool: Pool::new(),
            clock,
            last_reseed,
            drawn: 0,
        };
        key.zeroize();
        Ok(Arc::new(BaseRng {
            state: spin::Mutex::new(state),
            generation: AtomicU32::new(0),
        }))
    }

    /// Mixes untrusted bytes (a file, a device, a plugin) into the pool; they take effect at
    /// the next reseed and never make a generator "ready" by themselves.
    pub fn add_input(&self, label: &str, data: &[u8]) {
        self.state.lock().pool.add(label.as_bytes(), data);
    }

    /// Reseeds now from the trusted source and the pool; every instance re-keys before its
    /// next output.
    ///
    /// # Errors
    /// If the source failed; the current key is kept and output continues.
    pub fn reseed(&self) -> Result<(), EntropyError> {
        let r = self.state.lock().reseed();
        if r.is_ok() {
            self.generation.fetch_add(1, Ordering::Release);
        }
        r
    }

    /// Reseeds if the interval or volume limit has passed. Hosts with a timer may call this
    /// periodically; instances also call it whenever they re-key.
    pub fn tick(&self) {
        let mut s = self.state.lock();
        if s.due() && s.reseed().is_ok() {
            self.generation.fetch_add(1, Ordering::Release);
        }
    }

    /// How many successful reseeds happened.
    pub fn generation(&self) -> u32 {
        self.generation.load(Ordering::Acquire)
    }

    /// A fresh instance key (32 bytes taken from the base and erased there), with the
    /// generation it belongs to. `drawn` is what the asking instance produced since its last key.
    fn instance_key(&self, drawn: u64) -> ([u8; 32], u32) {
        let mut s = self.state.lock();
        s.drawn = s.drawn.saturating_add(drawn);
        if s.due() && s.reseed().is_ok() {
            self.generation.fetch_add(1, Ordering::Release);
        }
        let mut key = [0u8; 32];
        s.fke.fill(&mut key);
        (key, self.generation.load(Ordering::Acquire))
    }
}

/// The generator of one context. Never `Clone`, `Copy` or serializable.
pub struct InstanceRng {
    base: Arc<BaseRng>,
    fke: Fke,
    generation: u32,
    drawn: u64,
    calls: u32,
}

impl fmt::Debug for InstanceRng {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InstanceRng { .. }")
    }
}

impl InstanceRng {
    /// A generator keyed from `base`.
    pub fn new(base: &Arc<BaseRng>) -> Self {
        let (mut key, generation) = base.instance_key(0);
        let g = InstanceRng {
            base: Arc::clone(base),
            fke: Fke::new(key),
            generation,
            drawn: 0,
            calls: 0,
        };
        key.zeroize();
        g
    }

    #[cold]
    fn rekey(&mut self) {
        let (mut key, generation) = self.base.instance_key(self.drawn);
        self.fke = Fke::new(key);
        key.zeroize();
        self.generation = generation;
        self.drawn = 0;
        self.calls = 0;
    }

    /// Fills `dest`. Never fails.
    #[inline]
    pub fn fill(&mut self, dest: &mut [u8]) {
        if self.drawn >= INSTANCE_REKEY_BYTES
            || self.calls >= INSTANCE_REKEY_CALLS
            || self.base.generation.load(Ordering::Relaxed) != self.generation
        {
            self.rekey();
        }
        self.fke.fill(dest);
        let n = u64::try_from(dest.len()).unwrap_or(u64::MAX);
        self.drawn = self.drawn.saturating_add(n);
        self.calls = self.calls.saturating_add(1);
    }
}

/// A reproducible source for the project's own unit tests only: never compiled otherwise.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use core::sync::atomic::AtomicBool;

    /// Counts up from a seed; can be told to fail.
    pub(crate) struct CountingSource {
        pub(crate) next: spin::Mutex<u8>,
        pub(crate) fail: AtomicBool,
    }

    impl CountingSource {
        pub(crate) fn new(seed: u8) -> Self {
            CountingSource {
                next: spin::Mutex::new(seed),
                fail: AtomicBool::new(false),
            }
        }
    }

    impl EntropySource for Arc<CountingSource> {
        fn fill(&self, dest: &mut [u8]) -> Result<(), EntropyError> {
            if self.fail.load(Ordering::Relaxed) {
                return Err(EntropyError);
            }
            let mut n = self.next.lock();
            for b in dest.iter_mut() {
                *b = *n;
                *n = n.wrapping_add(1);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::CountingSource;
    use super::*;
    use alloc::collections::BTreeSet;
    use alloc::vec;

    fn base(seed: u8) -> (Arc<BaseRng>, Arc<CountingSource>) {
        let src = Arc::new(CountingSource::new(seed));
        (BaseRng::new(Box::new(Arc::clone(&src))).unwrap(), src)
    }

    #[test]
    fn no_generator_without_a_seed() {
        let src = Arc::new(CountingSource::new(0));
        src.fail.store(true, Ordering::Relaxed);
        assert_eq!(
            BaseRng::new(Box::new(Arc::clone(&src))).err(),
            Some(EntropyError)
        );
    }

    #[test]
    fn two_instances_never_share_output() {
        let (b, _) = base(1);
        let mut x = InstanceRng::new(&b);
        let mut y = InstanceRng::new(&b);
        let (mut bx, mut by) = ([0u8; 64], [0u8; 64]);
        x.fill(&mut bx);
        y.fill(&mut by);
        assert_ne!(bx, by);
        // Even two bases seeded identically hand distinct keys to successive instances.
        let (b2, _) = base(1);
        let mut z = InstanceRng::new(&b2);
        let mut bz = [0u8; 64];
        z.fill(&mut bz);
        assert_eq!(
            bz, bx,
            "same seed, same first instance: the source is the only input"
        );
    }

    #[test]
    fn no_repeated_block_in_a_large_sample() {
        let (b, _) = base(2);
        let mut r = InstanceRng::new(&b);
        let mut seen = BTreeSet::new();
        let mut buf = vec![0u8; 32];
        // 64 Ki blocks of 32 bytes (2 MiB) drawn through small and large requests alike.
        for i in 0..65536usize {
            if i % 1024 == 0 {
                let mut big = vec![0u8; 32 * 64];
                r.fill(&mut big);
                for c in big.chunks(32) {
                    assert!(seen.insert(c.to_vec()), "repeated block");
                }
            }
            r.fill(&mut buf);
            assert!(seen.insert(buf.clone()), "repeated block at {i}");
        }
    }

    #[test]
    fn reseed_changes_all_later_output() {
        let (b1, _) = base(3);
        let (b2, _) = base(3);
        let mut r1 = InstanceRng::new(&b1);
        let mut r2 = InstanceRng::new(&b2);
        let (mut a1, mut a2) = ([0u8; 32], [0u8; 32]);
        r1.fill(&mut a1);
        r2.fill(&mut a2);
        assert_eq!(a1, a2, "identical so far");
        b1.reseed().unwrap();
        assert_eq!(b1.generation(), 1);
        for _ in 0..8 {
            r1.fill(&mut a1);
            r2.fill(&mut a2);
            assert_ne!(a1, a2, "the reseeded instance diverged");
        }
    }

    #[test]
    fn extra_input_is_mixed_at_reseed() {
        let (b1, _) = base(4);
        let (b2, _) = base(4);
        b1.add_input("file:/dev/zero", &[0; 16]);
        b1.reseed().unwrap();
        b2.reseed().unwrap();
        let (mut a1, mut a2) = ([0u8; 32], [0u8; 32]);
        InstanceRng::new(&b1).fill(&mut a1);
        InstanceRng::new(&b2).fill(&mut a2);
        assert_ne!(a1, a2);
    }

    #[test]
    fn failing_source_does_not_stop_output() {
        let (b, src) = base(5);
        let mut r = InstanceRng::new(&b);
        src.fail.store(true, Ordering::Relaxed);
        assert_eq!(b.reseed(), Err(EntropyError));
        assert_eq!(b.generation(), 0, "key kept");
        let mut seen = BTreeSet::new();
        let mut out = [0u8; 32];
        for _ in 0..4096 {
            r.fill(&mut out);
            assert!(seen.insert(out));
        }
        let mut big = vec![0u8; 3 << 20];
        r.fill(&mut big);
        assert!(big.chunks(32).all(|c| c != [0u8; 32]));
    }

    #[test]
    fn volume_triggers_base_reseed() {
        let (b, _) = base(6);
        let mut r = InstanceRng::new(&b);
        let mut big = vec![0u8; (RESEED_BYTES as usize) + 1];
        r.fill(&mut big);
        assert_eq!(b.generation(), 0);
        // The next call re-keys, reporting the volume: the base reseeds.
        r.fill(&mut [0u8; 1]);
        assert_eq!(b.generation(), 1);
    }

    #[test]
    fn time_triggers_base_reseed() {
        struct Fake(Arc<AtomicU32>);
        impl Clock for Fake {
            fn now_secs(&self) -> u64 {
                u64::from(self.0.load(Ordering::Relaxed))
            }
        }
        let t = Arc::new(AtomicU32::new(1000));
        let src = Arc::new(CountingSource::new(7));
        let b = BaseRng::with_clock(Box::new(src), Some(Box::new(Fake(Arc::clone(&t))))).unwrap();
        b.tick();
        assert_eq!(b.generation(), 0);
        t.store(1059, Ordering::Relaxed);
        b.tick();
        assert_eq!(b.generation(), 0);
        t.store(1060, Ordering::Relaxed);
        b.tick();
        assert_eq!(b.generation(), 1);
    }
}
