//! Fuzzing logic for `wasmcrypt-core`, shared by the thin targets in `fuzz_targets/`.
//!
//! - [`heap`]: a counting global allocator, so every target can measure the host heap.
//! - [`abi_calls`]: decodes arbitrary bytes into a bounded sequence of ABI calls against one
//!   context and one 64 KiB linear memory, biased towards meaningful arguments, and checks
//!   after every call that the errno is a witx `crypto_errno`, that a failed call wrote nothing,
//!   and that the heap stays within [`wasmcrypt_core::Config::memory_bound`].
//! - [`symmetric_names`]: arbitrary algorithm names and data through
//!   `symmetric_state_open/absorb/squeeze/clone/close`, checked against exact expectations.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

use wasmcrypt_core::Config;

/// The small configuration every target uses: few handles, small buffers, so limits are hit.
pub fn small_config() -> Config {
    Config {
        max_handles: 8,
        max_option_len: 64,
        max_array_output_len: 4096,
        max_buffered_len: 4096,
    }
}

/// A context with a generator seeded from [`CountingEntropy`], so key generation and automatic
/// nonces are reached and every run of an input is reproducible.
pub fn fuzz_ctx() -> wasmcrypt_core::Ctx {
    use wasmcrypt_core::rng::{BaseRng, InstanceRng};
    match BaseRng::new(Box::new(CountingEntropy::default())) {
        Ok(base) => wasmcrypt_core::Ctx::with_rng(small_config(), InstanceRng::new(&base)),
        Err(_) => wasmcrypt_core::Ctx::new(small_config()),
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
                    // The previous generation of a recent handle: closed or never issued.
                    2 => (u64::from(self.recent_handle(b).wrapping_sub(1 << 12)), None),
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

/// Arbitrary algorithm names and data through the typed symmetric-state API.
pub mod symmetric_names {
    use super::{Input, small_config};
    use wasmcrypt_core::{Ctx, Error, SymmetricState};

    /// The implemented symmetric algorithms and their digest lengths.
    const KNOWN: [(&str, usize); 4] = [
        ("SHA-256", 32),
        ("SHA-384", 48),
        ("SHA-512", 64),
        ("SHA-512/256", 32),
    ];

    /// Squeezes `len` bytes into a sentinel-filled buffer.
    fn squeeze(ctx: &mut Ctx, st: SymmetricState, len: usize) -> (Result<(), Error>, Vec<u8>) {
        let mut buf = vec![0xa5u8; len];
        let r = ctx.symmetric_state_squeeze(st, &mut buf);
        (r, buf)
    }

    /// Runs one input.
    ///
    /// Invariants: `open` succeeds exactly for the four SHA-2 names (ASCII case-insensitive)
    /// and is otherwise `unsupported_algorithm`; absorbing into an open state always
    /// succeeds; a squeeze of `len` succeeds exactly when `len <= digest length` (so always
    /// fails past 64) with the first `len` bytes of the digest, and fails with
    /// `invalid_length` leaving the buffer untouched; squeezing does not change the state; a
    /// clone follows the original; absorbing in pieces equals absorbing at once; closed
    /// handles are `invalid_handle`, closing twice is `closed`.
    ///
    /// # Panics
    /// When an invariant breaks.
    pub fn run(data: &[u8]) {
        let mut inp = Input { data };
        let mode = inp.byte();
        let mut name = Vec::new();
        if mode & 1 == 0 {
            // A known name with some letters' case flipped and maybe a byte added or cut.
            name.extend_from_slice(KNOWN[usize::from(mode >> 1) % KNOWN.len()].0.as_bytes());
            let flips = inp.u32();
            for (i, c) in name.iter_mut().enumerate() {
                if flips >> (i % 32) & 1 == 1 {
                    c.make_ascii_lowercase();
                }
            }
            match mode >> 3 & 7 {
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

        let expected = KNOWN
            .iter()
            .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(&name));
        let mut ctx = Ctx::new(small_config());
        let opened = ctx.symmetric_state_open(&name, None, None);
        let (st, canonical, dlen) = match (opened, expected) {
            (Ok(st), Some(&(canonical, dlen))) => (st, canonical, dlen),
            (Err(Error::UnsupportedAlgorithm), None) => return,
            (r, e) => panic!("open({name:x?}) = {r:?}, expected digest length {e:?}"),
        };

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
                    let (full_r, full) = squeeze(&mut ctx, st, dlen);
                    assert_eq!(full_r, Ok(()));
                    let (r, buf) = squeeze(&mut ctx, st, len);
                    if len > 64 {
                        assert!(r.is_err(), "squeeze of {len} > 64 bytes succeeded");
                    }
                    if len <= dlen {
                        assert_eq!(r, Ok(()), "squeeze {len} of {dlen}");
                        assert_eq!(buf[..], full[..len], "squeeze {len} is a prefix");
                    } else {
                        assert_eq!(r, Err(Error::InvalidLength), "squeeze {len} of {dlen}");
                        assert!(buf.iter().all(|&b| b == 0xa5), "written on error");
                    }
                    let (again_r, again) = squeeze(&mut ctx, st, dlen);
                    assert_eq!(again_r, Ok(()));
                    assert_eq!(again, full, "squeeze changed the state");
                    if let Some(t) = twin {
                        assert_eq!(squeeze(&mut ctx, t, dlen).1, full, "clone diverged");
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

        // Pieces versus all at once, in a fresh state opened by the canonical name.
        let once = ctx
            .symmetric_state_open(canonical.as_bytes(), None, None)
            .expect("open canonical");
        assert_eq!(ctx.symmetric_state_absorb(once, &all), Ok(()));
        assert_eq!(
            squeeze(&mut ctx, once, dlen),
            squeeze(&mut ctx, st, dlen),
            "absorbing in pieces differs from at once"
        );
        for _ in 0..2 {
            assert_eq!(squeeze(&mut ctx, st, 65).0, Err(Error::InvalidLength));
        }

        assert_eq!(ctx.symmetric_state_close(st), Ok(()));
        assert_eq!(squeeze(&mut ctx, st, 1).0, Err(Error::InvalidHandle));
        assert_eq!(
            ctx.symmetric_state_absorb(st, b"x"),
            Err(Error::InvalidHandle)
        );
        assert_eq!(ctx.symmetric_state_close(st), Err(Error::Closed));
    }
}
