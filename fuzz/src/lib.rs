//! Fuzzing logic for `wasmcrypt-core`, shared by the thin targets in `fuzz_targets/`.
//!
//! - [`heap`]: a counting global allocator, so every target can measure the host heap.
//! - [`abi_calls`]: decodes arbitrary bytes into a bounded sequence of ABI calls against one
//!   context and one 64 KiB linear memory, biased towards meaningful arguments, and checks
//!   after every call that the errno is a witx `crypto_errno`, that a failed call wrote nothing,
//!   and that the heap stays within [`wasmcrypt_core::Config::memory_bound`].
//! - [`asym_imports`]: arbitrary bytes into every asymmetric key and signature import, with
//!   exact export/re-import round trips of whatever is accepted.
//! - [`rsa_arith`]: the RSA public operation and the signer's constant-time exponentiation
//!   on arbitrary moduli, exponents and bases, against crypto-bigint's exponentiation.
//! - [`symmetric_names`]: arbitrary algorithm names and data through
//!   `symmetric_state_open/absorb/squeeze/clone/close`, checked against exact expectations.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

use wasmcrypt_core::Config;

pub mod asym_imports;
pub mod rsa_arith;

/// The small configuration every target uses: few handles, small buffers, so limits are hit.
pub fn small_config() -> Config {
    Config {
        max_handles: 8,
        max_option_len: 64,
        max_array_output_len: 4096,
        max_buffered_len: 4096,
        // Small enough that inputs reach the budget's refusals, not just the handle limits.
        max_memory: 24 * 1024,
    }
}

/// A context with a generator seeded from [`CountingEntropy`], so key generation and automatic
/// nonces are reached and every run of an input is reproducible, and a small in-memory key
/// store (a fixed clock), so the secrets manager's functions are reached too.
pub fn fuzz_ctx() -> wasmcrypt_core::Ctx {
    use std::sync::Arc;
    use wasmcrypt_core::keystore::{MemoryStore, StoreLimits};
    use wasmcrypt_core::rng::{BaseRng, InstanceRng};
    let mut ctx = match BaseRng::new(Box::new(CountingEntropy::default())) {
        Ok(base) => wasmcrypt_core::Ctx::with_rng(small_config(), InstanceRng::new(&base)),
        Err(_) => wasmcrypt_core::Ctx::new(small_config()),
    };
    // Small limits: the store's heap is the embedder's, outside the context's budget, and
    // must stay within the harness's slack.
    let limits = StoreLimits {
        max_ids: 4,
        max_versions: 2,
        max_bytes: 1024,
    };
    let store = Arc::new(MemoryStore::new(limits, [0x5a; 32]));
    let _ = ctx.set_key_store(store, b"fuzz", Arc::new(FixedClock));
    ctx
}

/// A wall clock stuck at 2025-01-01, so expirations are reproducible.
pub struct FixedClock;

impl wasmcrypt_core::keystore::WallClock for FixedClock {
    fn unix_secs(&self) -> u64 {
        1_735_689_600
    }
}

/// The fuzz harness's own reproducible entropy source: bytes counting up. Fuzzing only; a
/// host never uses anything but a trusted source.
#[derive(Default)]
pub struct CountingEntropy(std::sync::atomic::AtomicU8);

impl wasmcrypt_core::rng::EntropySource for CountingEntropy {
    fn fill(&self, dest: &mut [u8]) -> Result<(), wasmcrypt_core::rng::EntropyError> {
        for b in dest {
            *b = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }
}

/// Heap accounting: a `#[global_allocator]` wrapping [`std::alloc::System`] that counts the
/// bytes currently allocated and their high-water mark.
pub mod heap {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    static CURRENT: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    /// The counting allocator. It never panics (atomics wrap instead of overflowing).
    pub struct Counting;

    fn grew(n: usize) {
        let now = CURRENT.fetch_add(n, Relaxed).wrapping_add(n);
        PEAK.fetch_max(now, Relaxed);
    }

    fn shrank(n: usize) {
        CURRENT.fetch_sub(n, Relaxed);
    }

    // SAFETY: every method forwards its arguments unchanged to `System`, which implements
    // `GlobalAlloc` correctly, and returns `System`'s result; the counters only observe sizes.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: our caller upholds `GlobalAlloc::alloc`'s contract for `layout`.
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                grew(layout.size());
            }
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: as for `alloc`.
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                grew(layout.size());
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: `ptr` was returned by this allocator, i.e. by `System`, with `layout`.
            unsafe { System.dealloc(ptr, layout) };
            shrank(layout.size());
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: `ptr` was returned by `System` with `layout`; our caller upholds the
            // `new_size` requirements of `GlobalAlloc::realloc`.
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                shrank(layout.size());
                grew(new_size);
            }
            p
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;

    /// Bytes currently allocated through the Rust global allocator.
    pub fn in_use() -> usize {
        CURRENT.load(Relaxed)
    }

    /// Restarts the high-water mark at the current use and returns that use.
    pub fn reset_peak() -> usize {
        let now = in_use();
        PEAK.store(now, Relaxed);
        now
    }

    /// Highest use since the last [`reset_peak`].
    pub fn peak() -> usize {
        PEAK.load(Relaxed)
    }
}

/// A little-endian reader over the fuzzer's bytes; past the end it yields zeros.
struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.data.split_at(n.min(self.data.len()));
        self.data = tail;
        head
    }

    fn byte(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    fn u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        let src = self.take(4);
        b[..src.len()].copy_from_slice(src);
        u32::from_le_bytes(b)
    }

    fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | (u64::from(self.u32()) << 32)
    }
}

/// The ABI call-sequence interpreter.
pub mod abi_calls {
    use super::{Input, heap, small_config};
    use wasmcrypt_core::Ctx;
    use wasmcrypt_core::abi::{FUNCTIONS, Function, ValType};

    /// Linear memory size.
    pub const MEM_SIZE: usize = 64 * 1024;
    /// Calls per input at most.
    pub const MAX_CALLS: usize = 256;
    /// Heap allowed besides `memory_bound()` and the linear memory: the interpreter's own
    /// bookkeeping and allocator rounding.
    pub const SLACK: usize = 16 * 1024;

    /// Names pre-written at [`NAMES`]: valid and near-valid algorithm and option names, and
    /// the 64/65-byte boundary of the ABI's name copy.
    const NAME_LIST: &[&[u8]] = &[
        b"SHA-256",
        b"SHA-512",
        b"SHA-384",
        b"SHA-512/256",
        b"sha-256",
        b"sHa-512/256",
        b"HMAC/SHA-256",
        b"HMAC/SHA-384",
        b"HMAC/SHA-512",
        b"HKDF-EXTRACT/SHA-256",
        b"HKDF-EXPAND/SHA-256",
        b"HKDF-EXTRACT/SHA-512",
        b"HKDF-EXPAND/SHA-512",
        b"AES-128-GCM",
        b"AES-256-GCM",
        b"CHACHA20-POLY1305",
        b"XCHACHA20-POLY1305",
        b"XOODYAK-128",
        b"xoodyak-128",
        b"Ed25519",
        b"X25519",
        b"ECDSA_P256_SHA256",
        b"ECDSA_K256_SHA256",
        b"P256-SHA256",
        b"ML-KEM-512",
        b"ML-KEM-768",
        b"ML-KEM-1024",
        b"KYBER768",
        b"X-WING",
        b"ed25519",
        b"nonce",
        b"NONCE",
        b"context",
        b"salt",
        b"",
        b"SHA-256\0",
        b"SHA-2567",
        b"\xffSHA-256",
        &[b'A'; 64],
        &[b'A'; 65],
    ];

    // Memory layout.
    const NAMES: usize = 0x0000;
    const NONE_UNION: usize = 0x0800;
    const BAD_UNION: usize = 0x0808;
    const SOME_UNIONS: usize = 0x0810;
    const SOME_SLOTS: usize = 16;
    const OUTS: usize = 0x1000;
    const OUT_SLOTS: usize = 32;
    const DATA: usize = 0x2000;
    const DATA_LEN: usize = 0x2000;
    /// Handle kinds (1..=12) and handles remembered per kind.
    const KINDS: usize = 12;
    const RING: usize = 4;

    struct Interp {
        ctx: Ctx,
        mem: Vec<u8>,
        names: [(usize, usize); NAME_LIST.len()],
        /// Recently returned handles, per kind (the top 4 bits of a handle): a ring of
        /// [`RING`] each, and how many were recorded.
        handles: [([u32; RING], usize); KINDS],
        /// The last handle returned, 0 before any.
        last: u32,
        next_some: usize,
    }

    impl Interp {
        fn new() -> Self {
            let mut mem = vec![0u8; MEM_SIZE];
            let mut names = [(0, 0); NAME_LIST.len()];
            let mut at = NAMES;
            for (slot, name) in names.iter_mut().zip(NAME_LIST) {
                mem[at..at + name.len()].copy_from_slice(name);
                *slot = (at, name.len());
                at += name.len();
            }
            assert!(at <= NONE_UNION, "names overflow their region");
            mem[NONE_UNION] = 1;
            mem[BAD_UNION] = 2;
            Interp {
                ctx: super::fuzz_ctx(),
                mem,
                names,
                handles: [([0; RING], 0); KINDS],
                last: 0,
                next_some: 0,
            }
        }

        /// The handle `b` selects: the last one returned, or one of the last [`RING`] of a
        /// kind; before any of that kind, the first value its table issues.
        fn recent_handle(&self, b: u8) -> u32 {
            if b < 0x80 && self.last != 0 {
                return self.last;
            }
            let kind = usize::from(b) % KINDS;
            let (ring, count) = &self.handles[kind];
            let back = usize::from(b) / KINDS % RING;
            match *count {
                0 => ((kind + 1) as u32) << 28,
                n => ring[(n - 1 - back.min(n - 1)) % RING],
            }
        }

        fn record_handle(&mut self, v: u32) {
            let kind = (v >> 28) as usize;
            if let Some((ring, count)) = kind.checked_sub(1).and_then(|k| self.handles.get_mut(k)) {
                self.last = v;
                if !ring.contains(&v) {
                    ring[*count % RING] = v;
                    *count += 1;
                }
            }
        }

        /// Fills `args[..f.params.len()]`. Some choices fill a (pointer, length) pair.
        fn args(&mut self, f: &Function, inp: &mut Input<'_>, args: &mut [u64; 8]) {
            let n = f.params.len();
            let mut i = 0;
            while i < n {
                let mut sel = inp.byte();
                let b = inp.byte();
                // Most functions take a handle first and an out-pointer last: make those the
                // likely choices there.
                if sel >= 0x80 {
                    if i == 0 {
                        sel = 0;
                    } else if i + 1 == n && f.params[i] == ValType::I32 {
                        sel = 7;
                    } else if i + 2 < n {
                        // A (pointer, length) pair in the middle.
                        sel = 10;
                    }
                }
                let pair = i + 1 < n;
                let (v, len) = match sel % 16 {
                    0 | 1 => (u64::from(self.recent_handle(b)), None),
                    // The previous generation of a recent handle: closed or never issued. With
                    // `small_config`'s 8 handles per table, the index has 3 bits
                    // (`core/src/handles.rs`).
                    2 => (u64::from(self.recent_handle(b).wrapping_sub(1 << 3)), None),
                    3 | 4 => {
                        let (p, l) = self.names[usize::from(b) % self.names.len()];
                        (p as u64, Some(l as u64))
                    }
                    5 => match b % 8 {
                        0..=2 => (NONE_UNION as u64, None),
                        3 => (BAD_UNION as u64, None),
                        _ => {
                            let at = SOME_UNIONS + (self.next_some % SOME_SLOTS) * 8;
                            self.next_some += 1;
                            let h = self.recent_handle(inp.byte());
                            self.mem[at..at + 8].fill(0);
                            self.mem[at + 4..at + 8].copy_from_slice(&h.to_le_bytes());
                            (at as u64, None)
                        }
                    },
                    6 => (u64::from(b % 80), None),
                    7 => ((OUTS + (usize::from(b) % OUT_SLOTS) * 8) as u64, None),
                    8 => ((MEM_SIZE - usize::from(b % 16)) as u64, None),
                    9 => {
                        const EDGES: [u64; 8] = [
                            MEM_SIZE as u64,
                            MEM_SIZE as u64 + 1,
                            u32::MAX as u64,
                            0xffff_fff0,
                            1 << 31,
                            (1 << 32) | 8,
                            u64::MAX,
                            0,
                        ];
                        (EDGES[usize::from(b) % EDGES.len()], None)
                    }
                    10 | 11 => {
                        // Guest data copied from the input.
                        let want = if b & 0x80 == 0 {
                            usize::from(b)
                        } else {
                            usize::from(inp.byte()) << 5
                        };
                        let off = usize::from(inp.byte()) * 16;
                        let src = inp.take(want.min(DATA_LEN - off));
                        self.mem[DATA + off..DATA + off + src.len()].copy_from_slice(src);
                        ((DATA + off) as u64, Some(want as u64))
                    }
                    12 => (u64::from(b % 5), None),
                    // All of memory, or one byte more.
                    13 => (0, Some((MEM_SIZE + usize::from(b & 1)) as u64)),
                    _ => match f.params[i] {
                        ValType::I32 => (u64::from(inp.u32()), None),
                        ValType::I64 => (inp.u64(), None),
                    },
                };
                args[i] = v;
                i += 1;
                if let (Some(l), true) = (len, pair) {
                    args[i] = l;
                    i += 1;
                }
            }
        }

        fn window(&self, arg: u64) -> Option<(usize, [u8; 8])> {
            // Pointers are the low 32 bits of an argument.
            let p = (arg & 0xffff_ffff) as usize;
            let w = self.mem.get(p..p.checked_add(8)?)?;
            Some((p, w.try_into().ok()?))
        }

        fn u32_at(&self, arg: u64) -> Option<u32> {
            let p = (arg & 0xffff_ffff) as usize;
            let w = self.mem.get(p..p.checked_add(4)?)?;
            Some(u32::from_le_bytes(w.try_into().ok()?))
        }
    }

    /// Runs one input: at most [`MAX_CALLS`] calls against one fresh context.
    ///
    /// # Panics
    /// When an invariant breaks: an errno outside `0..=30`, memory written by a failed call,
    /// heap beyond the bound, or heap left allocated after the context is dropped.
    pub fn run(data: &[u8]) {
        run_with(data, |_, _, _| {});
    }

    /// [`run`], reporting every call (function, arguments, errno) to `observe`, e.g. to count
    /// how often each function succeeds over a corpus. `observe` must not keep heap
    /// allocated: it is counted as the context's.
    ///
    /// # Panics
    /// As [`run`].
    pub fn run_with(data: &[u8], mut observe: impl FnMut(&Function, &[u64], i32)) {
        let base = heap::reset_peak();
        let bound = small_config().memory_bound();
        let retained_limit = bound + MEM_SIZE + SLACK;
        // A call may copy one guest input span (at most the whole memory) while it runs.
        let peak_limit = retained_limit + MEM_SIZE;

        let mut inp = Input { data };
        let mut it = Interp::new();
        let mut args = [0u64; 8];
        for _ in 0..MAX_CALLS {
            if inp.is_empty() {
                break;
            }
            let f = &FUNCTIONS[usize::from(inp.byte()) % FUNCTIONS.len()];
            let n = f.params.len();
            it.args(f, &mut inp, &mut args);
            let args = &args[..n];

            let mut windows = [None; 8];
            for (w, &a) in windows.iter_mut().zip(args) {
                *w = it.window(a);
            }

            let r = (f.call)(&mut it.ctx, &mut it.mem, args);
            observe(f, args, r);

            assert!(
                (0..=30).contains(&r),
                "{}{args:x?} returned {r}, not a crypto_errno",
                f.name
            );
            if r == 0 {
                // Out-pointers come last; the very last one becomes `last`.
                for &a in &args[n.saturating_sub(2)..] {
                    if let Some(v) = it.u32_at(a) {
                        it.record_handle(v);
                    }
                }
            } else {
                // The one write a failure may make: a decryption that fails with invalid_tag
                // zeroes its whole output span (args 1 and 2) and nothing else.
                let wiped = (r == 21
                    && matches!(
                        f.name,
                        "symmetric_state_decrypt" | "symmetric_state_decrypt_detached"
                    ))
                .then(|| (args[1] as u32 as usize, args[2] as u32 as usize));
                if let Some((p, l)) = wiped {
                    assert!(
                        it.mem[p..p + l].iter().all(|b| *b == 0),
                        "{}{args:x?}: invalid_tag left output bytes unzeroed",
                        f.name
                    );
                }
                for (p, before) in windows.into_iter().flatten() {
                    let inside = wiped.is_some_and(|(o, l)| p < o + l && o < p + 8);
                    if inside {
                        continue;
                    }
                    assert_eq!(
                        it.mem[p..p + 8],
                        before,
                        "{}{args:x?} failed with errno {r} but wrote guest memory at {p:#x}",
                        f.name
                    );
                }
            }
            let used = heap::in_use().wrapping_sub(base);
            assert!(
                used <= retained_limit,
                "{}: {used} heap bytes held, limit {retained_limit}",
                f.name
            );
            let peak = heap::peak().wrapping_sub(base);
            assert!(
                peak <= peak_limit,
                "{}: heap peaked at {peak} bytes, limit {peak_limit}",
                f.name
            );
        }
        drop(it);
        let left = heap::in_use().wrapping_sub(base);
        assert_eq!(left, 0, "{left} heap bytes left after dropping the context");
    }
}

/// Arbitrary algorithm names, keys, nonces and operations through the typed symmetric API.
pub mod symmetric_names {
    use super::{Input, small_config};
    use wasmcrypt_core::{AlgorithmType, Ctx, Error, SymmetricKey, SymmetricState};
    use xoodyak::XoodyakCommon as _;

    /// What the behaviour contract says an algorithm is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Family {
        /// A hash, with its digest length.
        Hash(usize),
        /// HMAC, with its tag length.
        Mac(usize),
        /// HKDF-EXTRACT, with its hash length.
        Extract(usize),
        /// HKDF-EXPAND, with its hash length.
        Expand(usize),
        /// An AEAD: key and nonce lengths, and whether a missing nonce is drawn from the
        /// context's generator (XChaCha20-Poly1305) instead of being `nonce_required`.
        Aead {
            key: usize,
            nonce: usize,
            drawn: bool,
        },
        /// XOODYAK-128: keyed (16-byte key) or unkeyed.
        Xoodyak,
    }

    use Family::*;

    /// Every symmetric algorithm the core implements (`core/src/symmetric/*.rs`).
    const KNOWN: [(&str, Family); 16] = [
        ("SHA-256", Hash(32)),
        ("SHA-384", Hash(48)),
        ("SHA-512", Hash(64)),
        ("SHA-512/256", Hash(32)),
        ("HMAC/SHA-256", Mac(32)),
        ("HMAC/SHA-384", Mac(48)),
        ("HMAC/SHA-512", Mac(64)),
        ("HKDF-EXTRACT/SHA-256", Extract(32)),
        ("HKDF-EXTRACT/SHA-512", Extract(64)),
        ("HKDF-EXPAND/SHA-256", Expand(32)),
        ("HKDF-EXPAND/SHA-512", Expand(64)),
        (
            "AES-128-GCM",
            Aead {
                key: 16,
                nonce: 12,
                drawn: false,
            },
        ),
        (
            "AES-256-GCM",
            Aead {
                key: 32,
                nonce: 12,
                drawn: false,
            },
        ),
        (
            "CHACHA20-POLY1305",
            Aead {
                key: 32,
                nonce: 12,
                drawn: false,
            },
        ),
        (
            "XCHACHA20-POLY1305",
            Aead {
                key: 32,
                nonce: 24,
                drawn: true,
            },
        ),
        ("XOODYAK-128", Xoodyak),
    ];

    /// Longest Xoodyak nonce with its 16-byte key (the Cyclist ID bound).
    const XOODYAK_MAX_NONCE: usize = 27;
    const TAG: usize = 16;

    /// Squeezes `len` bytes into a sentinel-filled buffer.
    fn squeeze(ctx: &mut Ctx, st: SymmetricState, len: usize) -> (Result<(), Error>, Vec<u8>) {
        let mut buf = vec![0xa5u8; len];
        let r = ctx.symmetric_state_squeeze(st, &mut buf);
        (r, buf)
    }

    /// The bytes of a tag (pulling closes it).
    fn tag_bytes(ctx: &mut Ctx, tag: wasmcrypt_core::SymmetricTag, len: usize) -> Vec<u8> {
        assert_eq!(ctx.symmetric_tag_len(tag), Ok(len), "tag length");
        let mut buf = vec![0u8; len];
        assert_eq!(ctx.symmetric_tag_pull(tag, &mut buf), Ok(len));
        buf
    }

    /// The bytes of a key (exported, pulled, closed).
    fn key_bytes(ctx: &mut Ctx, key: SymmetricKey) -> Vec<u8> {
        let ao = ctx.symmetric_key_export(key).expect("export");
        let len = ctx.array_output_len(ao).expect("len");
        let mut buf = vec![0u8; len];
        assert_eq!(ctx.array_output_pull(ao, &mut buf), Ok(len));
        assert_eq!(ctx.symmetric_key_close(key), Ok(()));
        buf
    }

    /// `len` bytes from the input, zero-padded when it runs out.
    fn bytes(inp: &mut Input<'_>, len: usize) -> Vec<u8> {
        let mut v = inp.take(len).to_vec();
        v.resize(len, 0);
        v
    }

    /// The result `symmetric_key_import(name, key)` must give.
    fn import_expect(fam: Option<Family>, len: usize) -> Result<(), Error> {
        let ok = match fam {
            None => return Err(Error::UnsupportedAlgorithm),
            Some(Hash(_)) => return Err(Error::KeyNotSupported),
            Some(Mac(_) | Extract(_)) => true,
            Some(Expand(h)) => len >= h,
            Some(Aead { key, .. }) => len == key,
            Some(Xoodyak) => len == 16,
        };
        if ok { Ok(()) } else { Err(Error::InvalidKey) }
    }

    /// The result `symmetric_state_open` must give (deterministic context: no generator).
    fn open_expect(fam: Option<Family>, key: bool, nonce: Option<usize>) -> Result<(), Error> {
        match fam {
            None => Err(Error::UnsupportedAlgorithm),
            Some(Hash(_)) => Ok(()),
            Some(Mac(_) | Extract(_) | Expand(_)) if key => Ok(()),
            Some(Mac(_) | Extract(_) | Expand(_) | Aead { .. }) if !key => Err(Error::KeyRequired),
            Some(Aead {
                nonce: n, drawn, ..
            }) => match nonce {
                None if drawn => Err(Error::UnsupportedFeature),
                None => Err(Error::NonceRequired),
                Some(len) if len != n => Err(Error::InvalidNonce),
                Some(_) => Ok(()),
            },
            Some(Xoodyak) => match (key, nonce) {
                (false, Some(_)) => Err(Error::InvalidNonce),
                (true, Some(len)) if len > XOODYAK_MAX_NONCE => Err(Error::InvalidNonce),
                _ => Ok(()),
            },
            Some(Mac(_) | Extract(_) | Expand(_)) => unreachable!(),
        }
    }

    /// Runs one input.
    ///
    /// The input picks a name (one of the 16 implemented algorithms with some letters'
    /// case flipped and maybe a byte added or cut, or raw bytes), maybe a key of some length
    /// and maybe a `nonce` option of some length, then up to 64 operations. Invariants, from
    /// the behaviour contract:
    ///
    /// - key import: unknown name `unsupported_algorithm`, a hash `key_not_supported`, a wrong
    ///   length `invalid_key`; open: unknown `unsupported_algorithm`, keyed algorithms without
    ///   a key `key_required`, AEADs without a nonce `nonce_required` (XChaCha20-Poly1305 in a
    ///   deterministic context `unsupported_feature`), a nonce of the wrong size
    ///   `invalid_nonce`, a nonce on unkeyed Xoodyak `invalid_nonce`;
    /// - hashes: a squeeze of `len` ≤ the digest is that prefix of the digest and does not
    ///   change the state, longer is `invalid_length` with nothing written; absorbing in
    ///   pieces equals at once; a clone follows the original;
    /// - XOODYAK-128: every output (squeezes, tags, ratchets, encryption, decryption, keys)
    ///   equals the independent `xoodyak` crate's over the same transcript; a keyed state
    ///   without a nonce refuses `encrypt*` with `nonce_required`; unkeyed, keyed-only
    ///   operations are `invalid_operation`; keyed states do not clone;
    /// - HMAC: tags cover everything absorbed (equal to a fresh state fed it at once) and have
    ///   the hash's length; squeeze, ratchet, encryption are `invalid_operation`;
    /// - HKDF-EXTRACT: `squeeze_key` of the same hash's EXPAND gives the PRK of the salt so far
    ///   (equal to a fresh state's), of any other algorithm `unsupported_algorithm`; squeeze is
    ///   `invalid_operation`; HKDF-EXPAND: the info is bounded (`overflow` past 4 KiB), a
    ///   squeeze up to 255 × HashLen is repeatable, longer `invalid_length`;
    /// - AEADs: AD only before the message (`invalid_operation` after an encryption), one
    ///   encryption per nonce (then `nonce_required`), the ciphertext opens on a fresh state,
    ///   random ciphertexts are `invalid_tag` with the output zeroed, squeeze/tag/key/ratchet
    ///   are `invalid_operation`, no clone before the nonce is used up;
    /// - every state: closed handles are `invalid_handle`, closing twice is `closed`.
    ///
    /// # Panics
    /// When an invariant breaks.
    pub fn run(data: &[u8]) {
        let mut inp = Input { data };
        let mode = inp.byte();
        let mut name = Vec::new();
        if mode & 1 == 0 {
            name.extend_from_slice(KNOWN[usize::from(mode >> 1) % KNOWN.len()].0.as_bytes());
            let flips = inp.u32();
            for (i, c) in name.iter_mut().enumerate() {
                if flips >> (i % 32) & 1 == 1 {
                    c.make_ascii_lowercase();
                }
            }
            match inp.byte() & 7 {
                0 => name.push(inp.byte()),
                1 => {
                    name.pop();
                }
                _ => {}
            }
        } else {
            let len = usize::from(mode >> 1);
            name.extend_from_slice(inp.take(len));
        }
        let known = KNOWN
            .iter()
            .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(&name))
            .copied();
        let fam = known.map(|(_, f)| f);

        let mut ctx = Ctx::new(small_config());

        // Maybe a key, imported under the fuzzed name.
        let kb = inp.byte();
        let mut key: Option<(SymmetricKey, Vec<u8>)> = None;
        if kb & 1 == 1 {
            let raw = bytes(&mut inp, usize::from(kb >> 1) % 72);
            let r = ctx.symmetric_key_import(&name, &raw);
            assert_eq!(
                r.map(|_| ()),
                import_expect(fam, raw.len()),
                "import {name:x?} key of {}",
                raw.len()
            );
            if let Ok(k) = r {
                key = Some((k, raw));
            }
        }

        // Maybe a nonce option (given to AEADs and Xoodyak only).
        let nb = inp.byte();
        let mut nonce: Option<Vec<u8>> = None;
        let uses_nonce = matches!(fam, Some(Aead { .. } | Xoodyak));
        let opts = if nb & 1 == 1 && uses_nonce {
            let n = bytes(&mut inp, usize::from(nb >> 1) % 40);
            let o = ctx.options_open(AlgorithmType::Symmetric).expect("options");
            assert_eq!(ctx.options_set(o, b"nonce", &n), Ok(()));
            nonce = Some(n);
            Some(o)
        } else {
            None
        };

        let opened = ctx.symmetric_state_open(&name, key.as_ref().map(|k| k.0), opts);
        assert_eq!(
            opened.map(|_| ()),
            open_expect(fam, key.is_some(), nonce.as_ref().map(Vec::len)),
            "open({name:x?}), key {:?}, nonce {:?}",
            key.as_ref().map(|k| k.1.len()),
            nonce.as_ref().map(Vec::len)
        );
        let Ok(st) = opened else { return };
        let Some((canonical, fam)) = known else {
            unreachable!()
        };
        let env = Env {
            canonical,
            key: key.as_ref().map(|k| k.0),
            key_raw: key.as_ref().map(|k| k.1.clone()).unwrap_or_default(),
            opts,
            nonce: nonce.clone(),
        };
        match fam {
            Hash(dlen) => hash_ops(&mut ctx, &mut inp, st, &env, dlen),
            Xoodyak => xoodyak_ops(&mut ctx, &mut inp, st, &env),
            Mac(tlen) => mac_ops(&mut ctx, &mut inp, st, &env, tlen),
            Extract(h) => extract_ops(&mut ctx, &mut inp, st, &env, h),
            Expand(h) => expand_ops(&mut ctx, &mut inp, st, h),
            Aead { .. } => aead_ops(&mut ctx, &mut inp, st, &env),
        }

        assert_eq!(ctx.symmetric_state_close(st), Ok(()));
        assert_eq!(squeeze(&mut ctx, st, 1).0, Err(Error::InvalidHandle));
        assert_eq!(
            ctx.symmetric_state_absorb(st, b"x"),
            Err(Error::InvalidHandle)
        );
        assert_eq!(ctx.symmetric_state_close(st), Err(Error::Closed));
    }

    /// What a family's checks need to open twins of the state under test.
    struct Env {
        canonical: &'static str,
        key: Option<SymmetricKey>,
        key_raw: Vec<u8>,
        opts: Option<wasmcrypt_core::Options>,
        nonce: Option<Vec<u8>>,
    }

    impl Env {
        fn open(&self, ctx: &mut Ctx) -> SymmetricState {
            ctx.symmetric_state_open(self.canonical.as_bytes(), self.key, self.opts)
                .expect("open a twin")
        }
    }

    fn hash_ops(ctx: &mut Ctx, inp: &mut Input<'_>, st: SymmetricState, env: &Env, dlen: usize) {
        let mut all = Vec::new();
        let mut twin: Option<SymmetricState> = None;
        for _ in 0..64 {
            if inp.is_empty() {
                break;
            }
            match inp.byte() % 4 {
                0 | 1 => {
                    let n = usize::from(inp.byte()) * 4;
                    let chunk = inp.take(n);
                    assert_eq!(ctx.symmetric_state_absorb(st, chunk), Ok(()));
                    if let Some(t) = twin {
                        assert_eq!(ctx.symmetric_state_absorb(t, chunk), Ok(()));
                    }
                    all.extend_from_slice(chunk);
                }
                2 => {
                    let len = usize::from(inp.byte());
                    let (full_r, full) = squeeze(ctx, st, dlen);
                    assert_eq!(full_r, Ok(()));
                    let (r, buf) = squeeze(ctx, st, len);
                    if len <= dlen {
                        assert_eq!(r, Ok(()), "squeeze {len} of {dlen}");
                        assert_eq!(buf[..], full[..len], "squeeze {len} is a prefix");
                    } else {
                        assert_eq!(r, Err(Error::InvalidLength), "squeeze {len} of {dlen}");
                        assert!(buf.iter().all(|&b| b == 0xa5), "written on error");
                    }
                    let (again_r, again) = squeeze(ctx, st, dlen);
                    assert_eq!(again_r, Ok(()));
                    assert_eq!(again, full, "squeeze changed the state");
                    if let Some(t) = twin {
                        assert_eq!(squeeze(ctx, t, dlen).1, full, "clone diverged");
                    }
                }
                _ => {
                    if let Some(t) = twin.take() {
                        assert_eq!(ctx.symmetric_state_close(t), Ok(()));
                    }
                    twin = Some(
                        ctx.symmetric_state_clone(st)
                            .expect("clone of a hash state"),
                    );
                }
            }
        }
        if let Some(t) = twin.take() {
            assert_eq!(ctx.symmetric_state_close(t), Ok(()));
        }
        // Pieces versus all at once, in a fresh state opened by the canonical name.
        let once = env.open(ctx);
        assert_eq!(ctx.symmetric_state_absorb(once, &all), Ok(()));
        assert_eq!(
            squeeze(ctx, once, dlen),
            squeeze(ctx, st, dlen),
            "absorbing in pieces differs from at once"
        );
        assert_eq!(ctx.symmetric_state_close(once), Ok(()));
        for _ in 0..2 {
            assert_eq!(squeeze(ctx, st, 65).0, Err(Error::InvalidLength));
        }
    }

    enum Oracle {
        Hash(xoodyak::XoodyakHash),
        Keyed(xoodyak::XoodyakKeyed),
    }

    impl Oracle {
        fn absorb(&mut self, d: &[u8]) {
            match self {
                Oracle::Hash(x) => x.absorb(d),
                Oracle::Keyed(x) => x.absorb(d),
            }
        }
        fn squeeze(&mut self, out: &mut [u8]) {
            match self {
                Oracle::Hash(x) => x.squeeze(out),
                Oracle::Keyed(x) => x.squeeze(out),
            }
        }
    }

    /// Encrypt(P) · Squeeze(16) on the oracle: ciphertext ‖ tag. `pt` is never empty (the
    /// crate runs no Crypt block for an empty message, unlike the specification).
    fn oracle_seal(x: &mut xoodyak::XoodyakKeyed, pt: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; pt.len()];
        x.encrypt(&mut out, pt).expect("oracle encrypt");
        let mut tag = [0u8; TAG];
        x.squeeze(&mut tag);
        out.extend_from_slice(&tag);
        out
    }

    fn xoodyak_ops(ctx: &mut Ctx, inp: &mut Input<'_>, st: SymmetricState, env: &Env) {
        let keyed = env.key.is_some();
        let mut want = if keyed {
            Oracle::Keyed(
                xoodyak::XoodyakKeyed::new(&env.key_raw, env.nonce.as_deref(), None, None)
                    .expect("oracle key"),
            )
        } else {
            Oracle::Hash(xoodyak::XoodyakHash::new())
        };
        let inv = |r: Result<(), Error>, what: &str| {
            assert_eq!(r, Err(Error::InvalidOperation), "unkeyed {what}");
        };
        for _ in 0..64 {
            if inp.is_empty() {
                break;
            }
            match inp.byte() % 9 {
                0 | 1 => {
                    let n = usize::from(inp_len(inp));
                    let chunk = inp.take(n);
                    assert_eq!(ctx.symmetric_state_absorb(st, chunk), Ok(()));
                    want.absorb(chunk);
                }
                2 => {
                    let len = usize::from(inp.byte());
                    let (r, got) = squeeze(ctx, st, len);
                    assert_eq!(r, Ok(()));
                    let mut x = vec![0u8; len];
                    want.squeeze(&mut x);
                    assert_eq!(got, x, "squeeze {len}");
                }
                3 => match &mut want {
                    Oracle::Keyed(x) => {
                        let t = ctx.symmetric_state_squeeze_tag(st).expect("squeeze_tag");
                        let mut w = [0u8; TAG];
                        x.squeeze(&mut w);
                        assert_eq!(tag_bytes(ctx, t, TAG), w, "squeeze_tag");
                    }
                    Oracle::Hash(_) => inv(ctx.symmetric_state_squeeze_tag(st).map(|_| ()), "tag"),
                },
                4 => match &mut want {
                    Oracle::Keyed(x) => {
                        assert_eq!(ctx.symmetric_state_ratchet(st), Ok(()));
                        x.ratchet();
                    }
                    Oracle::Hash(_) => inv(ctx.symmetric_state_ratchet(st), "ratchet"),
                },
                5 => {
                    let n = 1 + usize::from(inp.byte() % 64);
                    let pt = bytes(inp, n);
                    let detached = inp.byte() & 1 == 1;
                    let mut out = vec![0xa5u8; pt.len() + if detached { 0 } else { TAG }];
                    let r = if detached {
                        ctx.symmetric_state_encrypt_detached(st, &mut out, &pt)
                            .map(|t| tag_bytes(ctx, t, TAG))
                    } else {
                        ctx.symmetric_state_encrypt(st, &mut out, &pt).map(|n| {
                            assert_eq!(n, out.len());
                            Vec::new()
                        })
                    };
                    match &mut want {
                        Oracle::Hash(_) => inv(r.map(|_| ()), "encrypt"),
                        Oracle::Keyed(_) if env.nonce.is_none() => {
                            assert_eq!(r.map(|_| ()), Err(Error::NonceRequired));
                            assert!(out.iter().all(|&b| b == 0xa5), "written on error");
                        }
                        Oracle::Keyed(x) => {
                            let tag = r.expect("encrypt with a nonce");
                            out.extend_from_slice(&tag);
                            assert_eq!(out, oracle_seal(x, &pt), "encrypt");
                        }
                    }
                }
                6 => {
                    let n = 1 + usize::from(inp.byte() % 64);
                    let pt = bytes(inp, n);
                    match &mut want {
                        Oracle::Keyed(x) => {
                            let sealed = oracle_seal(x, &pt);
                            let mut out = vec![0xa5u8; pt.len()];
                            assert_eq!(
                                ctx.symmetric_state_decrypt(st, &mut out, &sealed),
                                Ok(pt.len())
                            );
                            assert_eq!(out, pt, "decrypt");
                        }
                        Oracle::Hash(_) => {
                            let mut out = vec![0u8; pt.len()];
                            let sealed = vec![0u8; pt.len() + TAG];
                            inv(
                                ctx.symmetric_state_decrypt(st, &mut out, &sealed)
                                    .map(|_| ()),
                                "decrypt",
                            );
                        }
                    }
                }
                7 => match &mut want {
                    Oracle::Keyed(x) => {
                        let k = ctx
                            .symmetric_state_squeeze_key(st, b"XOODYAK-128")
                            .expect("squeeze_key");
                        let mut w = [0u8; 16];
                        x.squeeze_key(&mut w);
                        assert_eq!(key_bytes(ctx, k), w, "squeeze_key");
                    }
                    Oracle::Hash(_) => inv(
                        ctx.symmetric_state_squeeze_key(st, b"XOODYAK-128")
                            .map(|_| ()),
                        "squeeze_key",
                    ),
                },
                _ => match &mut want {
                    Oracle::Keyed(_) => assert_eq!(
                        ctx.symmetric_state_clone(st).map(|_| ()),
                        Err(Error::ProhibitedOperation)
                    ),
                    Oracle::Hash(x) => {
                        let c = ctx.symmetric_state_clone(st).expect("unkeyed clone");
                        let mut y = x.clone();
                        let mut w = [0u8; 40];
                        y.squeeze(&mut w);
                        assert_eq!(squeeze(ctx, c, 40), (Ok(()), w.to_vec()), "clone");
                        assert_eq!(ctx.symmetric_state_close(c), Ok(()));
                    }
                },
            }
        }
        let mut w = [0u8; 50];
        want.squeeze(&mut w);
        assert_eq!(squeeze(ctx, st, 50), (Ok(()), w.to_vec()), "final squeeze");
    }

    /// A data length: small usually, up to 1020 bytes sometimes.
    fn inp_len(inp: &mut Input<'_>) -> u16 {
        let b = inp.byte();
        if b & 0x80 == 0 {
            u16::from(b)
        } else {
            u16::from(b & 0x7f) * 8
        }
    }

    fn mac_ops(ctx: &mut Ctx, inp: &mut Input<'_>, st: SymmetricState, env: &Env, tlen: usize) {
        let mut all = Vec::new();
        for _ in 0..64 {
            if inp.is_empty() {
                break;
            }
            match inp.byte() % 5 {
                0 | 1 => {
                    let n = usize::from(inp_len(inp));
                    let chunk = inp.take(n);
                    assert_eq!(ctx.symmetric_state_absorb(st, chunk), Ok(()));
                    all.extend_from_slice(chunk);
                }
                2 => {
                    let t = ctx.symmetric_state_squeeze_tag(st).expect("squeeze_tag");
                    let got = tag_bytes(ctx, t, tlen);
                    let once = env.open(ctx);
                    assert_eq!(ctx.symmetric_state_absorb(once, &all), Ok(()));
                    let t = ctx.symmetric_state_squeeze_tag(once).expect("squeeze_tag");
                    assert_eq!(got, tag_bytes(ctx, t, tlen), "tag pieces vs at once");
                    assert_eq!(ctx.symmetric_state_close(once), Ok(()));
                }
                3 => {
                    let (r, buf) = squeeze(ctx, st, usize::from(inp.byte() % 80));
                    assert_eq!(r, Err(Error::InvalidOperation), "MAC squeeze");
                    assert!(buf.iter().all(|&b| b == 0xa5));
                }
                _ => {
                    assert_eq!(
                        ctx.symmetric_state_ratchet(st),
                        Err(Error::InvalidOperation)
                    );
                    let mut out = [0u8; 20];
                    assert_eq!(
                        ctx.symmetric_state_encrypt(st, &mut out, b"abcd"),
                        Err(Error::InvalidOperation)
                    );
                }
            }
        }
    }

    fn extract_ops(ctx: &mut Ctx, inp: &mut Input<'_>, st: SymmetricState, env: &Env, h: usize) {
        let expand: &[u8] = if h == 32 {
            b"HKDF-EXPAND/SHA-256"
        } else {
            b"HKDF-EXPAND/SHA-512"
        };
        let mut all = Vec::new();
        for _ in 0..64 {
            if inp.is_empty() {
                break;
            }
            match inp.byte() % 5 {
                0 | 1 => {
                    let n = usize::from(inp_len(inp));
                    let chunk = inp.take(n);
                    assert_eq!(ctx.symmetric_state_absorb(st, chunk), Ok(()));
                    all.extend_from_slice(chunk);
                }
                2 => {
                    let k = ctx.symmetric_state_squeeze_key(st, expand).expect("PRK");
                    let prk = key_bytes(ctx, k);
                    assert_eq!(prk.len(), h);
                    let once = env.open(ctx);
                    assert_eq!(ctx.symmetric_state_absorb(once, &all), Ok(()));
                    let k = ctx.symmetric_state_squeeze_key(once, expand).expect("PRK");
                    assert_eq!(prk, key_bytes(ctx, k), "PRK pieces vs at once");
                    assert_eq!(ctx.symmetric_state_close(once), Ok(()));
                }
                3 => {
                    let other = KNOWN[usize::from(inp.byte()) % KNOWN.len()].0.as_bytes();
                    let r = ctx.symmetric_state_squeeze_key(st, other);
                    if other.eq_ignore_ascii_case(expand) {
                        let k = r.expect("PRK");
                        assert_eq!(key_bytes(ctx, k).len(), h);
                    } else {
                        assert_eq!(r.map(|_| ()), Err(Error::UnsupportedAlgorithm), "{other:?}");
                    }
                    assert_eq!(
                        ctx.symmetric_state_squeeze_key(st, b"NOPE").map(|_| ()),
                        Err(Error::UnsupportedAlgorithm)
                    );
                }
                _ => {
                    let (r, buf) = squeeze(ctx, st, usize::from(inp.byte() % 80));
                    assert_eq!(r, Err(Error::InvalidOperation), "EXTRACT squeeze");
                    assert!(buf.iter().all(|&b| b == 0xa5));
                    assert_eq!(
                        ctx.symmetric_state_ratchet(st),
                        Err(Error::InvalidOperation)
                    );
                }
            }
        }
    }

    fn expand_ops(ctx: &mut Ctx, inp: &mut Input<'_>, st: SymmetricState, h: usize) {
        let max_okm = 255 * h;
        let max_info = small_config().max_buffered_len;
        let mut info_len = 0usize;
        for _ in 0..64 {
            if inp.is_empty() {
                break;
            }
            match inp.byte() % 4 {
                0 => {
                    let n = usize::from(inp_len(inp)) * 4;
                    let chunk = inp.take(n);
                    let r = ctx.symmetric_state_absorb(st, chunk);
                    if info_len + chunk.len() <= max_info {
                        assert_eq!(r, Ok(()));
                        info_len += chunk.len();
                    } else {
                        assert_eq!(r, Err(Error::Overflow), "info past {max_info}");
                    }
                }
                1 | 2 => {
                    let len =
                        usize::from(u16::from_le_bytes([inp.byte(), inp.byte()])) % (max_okm + 100);
                    let (r, got) = squeeze(ctx, st, len);
                    if len <= max_okm {
                        assert_eq!(r, Ok(()), "OKM of {len}");
                        let (r2, again) = squeeze(ctx, st, len);
                        assert_eq!((r2, &again), (Ok(()), &got), "squeeze is repeatable");
                        let short = len / 2;
                        assert_eq!(squeeze(ctx, st, short).1[..], got[..short], "prefix");
                    } else {
                        assert_eq!(r, Err(Error::InvalidLength), "OKM of {len}");
                        assert!(got.iter().all(|&b| b == 0xa5));
                    }
                }
                _ => {
                    assert_eq!(
                        ctx.symmetric_state_squeeze_tag(st).map(|_| ()),
                        Err(Error::InvalidOperation)
                    );
                    assert_eq!(
                        ctx.symmetric_state_squeeze_key(st, b"HKDF-EXPAND/SHA-256")
                            .map(|_| ()),
                        Err(Error::InvalidOperation)
                    );
                    assert_eq!(
                        ctx.symmetric_state_ratchet(st),
                        Err(Error::InvalidOperation)
                    );
                }
            }
        }
    }

    fn aead_ops(ctx: &mut Ctx, inp: &mut Input<'_>, st: SymmetricState, env: &Env) {
        let mut ad = Vec::new();
        let mut sealed: Option<(Vec<u8>, Vec<u8>, Vec<u8>)> = None; // (AD, PT, CT ‖ tag)
        // A decryption was attempted: whether it "processed a message" for the AD rule or used
        // the nonce is the contract's business only for successful ones; stop asserting on
        // absorb and encrypt after one.
        let mut tried_decrypt = false;
        for _ in 0..64 {
            if inp.is_empty() {
                break;
            }
            match inp.byte() % 5 {
                0 | 1 => {
                    let n = usize::from(inp_len(inp));
                    let chunk = inp.take(n);
                    let r = ctx.symmetric_state_absorb(st, chunk);
                    if sealed.is_some() {
                        assert_eq!(r, Err(Error::InvalidOperation), "AD after the message");
                    } else if !tried_decrypt {
                        assert_eq!(r, Ok(()));
                        ad.extend_from_slice(chunk);
                    }
                }
                2 => {
                    let n = usize::from(inp_len(inp));
                    let pt = bytes(inp, n);
                    let mut out = vec![0xa5u8; pt.len() + TAG];
                    let r = ctx.symmetric_state_encrypt(st, &mut out, &pt);
                    if sealed.is_some() {
                        assert_eq!(r, Err(Error::NonceRequired), "second encryption");
                        assert!(out.iter().all(|&b| b == 0xa5));
                    } else if !tried_decrypt {
                        assert_eq!(r, Ok(out.len()));
                        sealed = Some((ad.clone(), pt, out));
                    }
                }
                3 => {
                    tried_decrypt = true;
                    let n = TAG + usize::from(inp.byte() % 64);
                    let ct = bytes(inp, n);
                    let mut out = vec![0xa5u8; ct.len() - TAG];
                    let r = ctx.symmetric_state_decrypt(st, &mut out, &ct);
                    assert_eq!(r, Err(Error::InvalidTag), "a random ciphertext");
                    assert!(out.iter().all(|&b| b == 0), "output zeroed");
                }
                _ => {
                    let (r, buf) = squeeze(ctx, st, usize::from(inp.byte() % 40));
                    assert_eq!(r, Err(Error::InvalidOperation));
                    assert!(buf.iter().all(|&b| b == 0xa5));
                    for r in [
                        ctx.symmetric_state_squeeze_tag(st).map(|_| ()),
                        ctx.symmetric_state_squeeze_key(st, env.canonical.as_bytes())
                            .map(|_| ()),
                        ctx.symmetric_state_ratchet(st),
                    ] {
                        assert_eq!(r, Err(Error::InvalidOperation));
                    }
                    assert_eq!(ctx.symmetric_state_max_tag_len(st), Ok(TAG));
                    if sealed.is_none() && !tried_decrypt {
                        assert_eq!(
                            ctx.symmetric_state_clone(st).map(|_| ()),
                            Err(Error::ProhibitedOperation),
                            "clone before the nonce is used"
                        );
                    }
                }
            }
        }
        // What was sealed opens on a fresh state with the same key, nonce and AD; a flipped
        // bit does not.
        if let Some((ad, pt, ct)) = sealed {
            let fresh = env.open(ctx);
            assert_eq!(ctx.symmetric_state_absorb(fresh, &ad), Ok(()));
            let mut out = vec![0xa5u8; pt.len()];
            assert_eq!(
                ctx.symmetric_state_decrypt(fresh, &mut out, &ct),
                Ok(pt.len())
            );
            assert_eq!(out, pt, "round trip");
            let mut bad = ct.clone();
            let i = bad.len() - 1;
            bad[i] ^= 1;
            assert_eq!(
                ctx.symmetric_state_decrypt(fresh, &mut out, &bad),
                Err(Error::InvalidTag)
            );
            assert!(out.iter().all(|&b| b == 0));
            assert_eq!(ctx.symmetric_state_close(fresh), Ok(()));
        }
    }
}
