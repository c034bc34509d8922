//! A dudect-style timing test ("dude, is my code constant time?", Reparaz, Balasch and
//! Verbauwhede, 2017) for the tag comparisons of `wasmcrypt_core`, through its Rust API.
//!
//! For every check, the secret is a correct tag and the input a candidate tag in one of three
//! classes: `equal` (the correct tag), `first` (its first byte flipped) and `last` (its last
//! byte flipped). Each class gets the same number of samples, in a random order, so drift of
//! the machine (clock frequency, other load) falls on all of them alike. Each candidate is
//! copied into one buffer and the operation timed alone with `std::time::Instant`; per pair of
//! classes, Welch's t-statistic is computed over all samples and over the samples below a few
//! percentiles of the pooled timings (dudect's cropping, which removes interrupts and other
//! long outliers). A check reports the largest |t| it saw; |t| > 4.5 is flagged as a timing
//! difference. Where success does more work than failure by design (AEADs decrypt), the pairs
//! with `equal` measure the public outcome and are shown but not counted.
//!
//! Run it in release mode on an otherwise idle machine:
//!
//! ```text
//! cargo run -p wasmcrypt-benches --release --bin dudect              # 10^6 samples per class
//! cargo run -p wasmcrypt-benches --release --bin dudect -- 100000    # fewer, for a quick look
//! cargo run -p wasmcrypt-benches --release --bin dudect -- 1000000 HMAC/SHA-384   # one check
//! ```
//!
//! The process exits with status 1 if any check is flagged.

use std::time::Instant;

use wasmcrypt_core::{AlgorithmType, Ctx, SymmetricState, SymmetricTag};

/// The three input classes.
const CLASSES: [&str; 3] = ["equal", "first", "last"];
/// The threshold dudect uses: beyond it, the timings of two classes differ.
const THRESHOLD: f64 = 4.5;
/// Crops: keep the samples at or below this quantile of all timings of a check (1.0: all).
const CROPS: [f64; 6] = [1.0, 0.99, 0.95, 0.90, 0.75, 0.50];

/// SplitMix64: the class sequence only has to be unpredictable to the code under test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `samples` of each class, in random order (Fisher-Yates).
    fn classes(&mut self, samples: usize) -> Vec<u8> {
        let mut v: Vec<u8> = (0..3u8)
            .flat_map(|c| std::iter::repeat_n(c, samples))
            .collect();
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
        v
    }
}

/// Running mean and variance (Welford).
#[derive(Clone, Copy, Default)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }

    fn var(&self) -> f64 {
        if self.n < 2.0 {
            0.0
        } else {
            self.m2 / (self.n - 1.0)
        }
    }
}

/// Welch's t-statistic of two samples.
fn welch(a: &Moments, b: &Moments) -> f64 {
    let se = (a.var() / a.n + b.var() / b.n).sqrt();
    if se == 0.0 {
        0.0
    } else {
        (a.mean - b.mean) / se
    }
}

/// The outcome of one check.
struct Report {
    name: String,
    outcome_differs: bool,
    /// Max |t| per pair (equal–first, equal–last, first–last) over all crops.
    pairs: [f64; 3],
    /// Median time per class, ns.
    medians: [u64; 3],
}

/// Times the part of `op` between `Timer::start` and `Timer::stop`.
struct Timer {
    t0: Instant,
    ns: u64,
}

impl Timer {
    #[inline(always)]
    fn start(&mut self) {
        self.t0 = Instant::now();
    }

    #[inline(always)]
    fn stop(&mut self) {
        self.ns = u64::try_from(self.t0.elapsed().as_nanos()).unwrap_or(u64::MAX);
    }
}

/// Runs `op(class, timer)` `samples` times per class, classes interleaved at random; `op`
/// returns whether the candidate verified. With `outcome_differs`, the success path does more
/// work than a failure by design (it decrypts): equal–first and equal–last then measure the
/// public outcome, and only first–last counts towards the verdict.
fn measure(
    name: &str,
    samples: usize,
    outcome_differs: bool,
    rng: &mut Rng,
    mut op: impl FnMut(usize, &mut Timer) -> bool,
) -> Report {
    let mut timer = Timer {
        t0: Instant::now(),
        ns: 0,
    };
    // Warm-up, and a sanity check of the classes: only `equal` may verify.
    for i in 0..30_000 {
        let c = i % 3;
        let ok = op(c, &mut timer);
        assert_eq!(ok, c == 0, "{name}: class {} verified: {ok}", CLASSES[c]);
    }
    let class = rng.classes(samples);
    let mut time = Vec::with_capacity(class.len());
    for &c in &class {
        let ok = op(usize::from(c), &mut timer);
        std::hint::black_box(ok);
        time.push(timer.ns);
    }
    let mut sorted = time.clone();
    sorted.sort_unstable();
    let mut pairs = [0f64; 3];
    for crop in CROPS {
        let idx = ((sorted.len() as f64 - 1.0) * crop) as usize;
        let limit = sorted[idx];
        let mut m = [Moments::default(); 3];
        for (&c, &t) in class.iter().zip(&time) {
            if t <= limit {
                m[usize::from(c)].push(t as f64);
            }
        }
        for (p, (a, b)) in [(0, 1), (0, 2), (1, 2)].into_iter().enumerate() {
            pairs[p] = pairs[p].max(welch(&m[a], &m[b]).abs());
        }
    }
    let mut by_class: [Vec<u64>; 3] = Default::default();
    for (&c, &t) in class.iter().zip(&time) {
        by_class[usize::from(c)].push(t);
    }
    let medians = by_class.map(|mut v| {
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    });
    Report {
        name: name.to_owned(),
        outcome_differs,
        pairs,
        medians,
    }
}

/// The one buffer every candidate is copied into before it is timed, so that all classes are
/// read from the same address (separate buffers would differ in alignment and cache state).
struct Input([u8; 64]);

impl Input {
    fn load(&mut self, cand: &[u8]) -> &[u8] {
        let dst = &mut self.0[..cand.len()];
        dst.copy_from_slice(cand);
        std::hint::black_box(dst)
    }
}

/// The correct tag and the three candidates.
fn candidates(tag: &[u8]) -> [Vec<u8>; 3] {
    let equal = tag.to_vec();
    let mut first = tag.to_vec();
    first[0] ^= 0x01;
    let mut last = tag.to_vec();
    let n = last.len() - 1;
    last[n] ^= 0x80;
    [equal, first, last]
}

fn hmac_state(ctx: &mut Ctx, alg: &str, msg: &[u8]) -> SymmetricState {
    let key = ctx
        .symmetric_key_import(alg.as_bytes(), &[0x0b; 32])
        .expect("key");
    let st = ctx
        .symmetric_state_open(alg.as_bytes(), Some(key), None)
        .expect("state");
    ctx.symmetric_state_absorb(st, msg).expect("absorb");
    st
}

fn pull(ctx: &mut Ctx, tag: SymmetricTag) -> Vec<u8> {
    let mut buf = vec![0u8; ctx.symmetric_tag_len(tag).expect("len")];
    ctx.symmetric_tag_pull(tag, &mut buf).expect("pull");
    buf
}

/// `symmetric_tag_verify` on one open tag handle (an HMAC/SHA-256 tag).
fn tag_verify(samples: usize, rng: &mut Rng) -> Report {
    let mut ctx = Ctx::default();
    let st = hmac_state(&mut ctx, "HMAC/SHA-256", b"a message of some length");
    let tag = ctx.symmetric_state_squeeze_tag(st).expect("tag");
    let t2 = ctx.symmetric_state_squeeze_tag(st).expect("tag");
    let cand = candidates(&pull(&mut ctx, t2));
    let mut input = Input([0; 64]);
    let name = "symmetric_tag_verify, 32-byte tag";
    measure(name, samples, false, rng, |c, timer| {
        let cand = input.load(&cand[c]);
        timer.start();
        let r = ctx.symmetric_tag_verify(tag, cand);
        timer.stop();
        r.is_ok()
    })
}

/// HMAC verification as a guest does it: `squeeze_tag` on a state that absorbed the message,
/// then `symmetric_tag_verify` against the received tag (the tag handle is closed untimed).
fn hmac_verify(alg: &str, samples: usize, rng: &mut Rng) -> Report {
    let mut ctx = Ctx::default();
    let st = hmac_state(&mut ctx, alg, &[0x5a; 64]);
    let t = ctx.symmetric_state_squeeze_tag(st).expect("tag");
    let cand = candidates(&pull(&mut ctx, t));
    let mut input = Input([0; 64]);
    let name = format!("{alg}: squeeze_tag + symmetric_tag_verify, 64-byte message");
    measure(&name, samples, false, rng, |c, timer| {
        let cand = input.load(&cand[c]);
        timer.start();
        let tag = ctx.symmetric_state_squeeze_tag(st).expect("tag");
        let r = ctx.symmetric_tag_verify(tag, cand);
        timer.stop();
        ctx.symmetric_tag_close(tag).expect("close");
        r.is_ok()
    })
}

/// An AEAD's parameters: name, key and nonce sizes, and whether a state decrypts repeatedly
/// (the RFC AEADs) or is used up by a decryption (Xoodyak's duplex: a fresh state per sample).
struct Aead {
    alg: &'static str,
    key_len: usize,
    nonce_len: usize,
    repeatable: bool,
}

const AEADS: [Aead; 5] = [
    Aead {
        alg: "AES-128-GCM",
        key_len: 16,
        nonce_len: 12,
        repeatable: true,
    },
    Aead {
        alg: "AES-256-GCM",
        key_len: 32,
        nonce_len: 12,
        repeatable: true,
    },
    Aead {
        alg: "CHACHA20-POLY1305",
        key_len: 32,
        nonce_len: 12,
        repeatable: true,
    },
    Aead {
        alg: "XCHACHA20-POLY1305",
        key_len: 32,
        nonce_len: 24,
        repeatable: true,
    },
    Aead {
        alg: "XOODYAK-128",
        key_len: 16,
        nonce_len: 16,
        repeatable: false,
    },
];

/// AEAD decryption with a detached tag after 16 bytes of AD. The RFC AEADs decrypt repeatedly
/// on one state (the contract allows it); Xoodyak opens a fresh state per sample, untimed.
/// After the tag check, success goes on to decrypt (keystream set-up even for an empty
/// message) and failure zeroes the output (Xoodyak: and wipes the state), so equal–first and
/// equal–last measure the outcome the call returns anyway; first–last, two wrong tags that
/// differ only in where they differ, is the verdict.
fn aead_decrypt(a: &Aead, msg_len: usize, samples: usize, rng: &mut Rng) -> Report {
    let mut ctx = Ctx::default();
    let alg = a.alg.as_bytes();
    let key = ctx
        .symmetric_key_import(alg, &vec![0x42; a.key_len])
        .expect("key");
    let opts = ctx.options_open(AlgorithmType::Symmetric).expect("options");
    ctx.options_set(opts, b"nonce", &vec![0x24; a.nonce_len])
        .expect("nonce");
    let ad = [0x11u8; 16];
    let msg = vec![0x77u8; msg_len];
    let enc = ctx
        .symmetric_state_open(alg, Some(key), Some(opts))
        .expect("state");
    ctx.symmetric_state_absorb(enc, &ad).expect("ad");
    let mut ct_all = [0u8; 64];
    let ct = &mut ct_all[..msg_len];
    let tag = ctx
        .symmetric_state_encrypt_detached(enc, ct, &msg)
        .expect("encrypt");
    ctx.symmetric_state_close(enc).expect("close");
    let cand = candidates(&pull(&mut ctx, tag));
    let mut input = Input([0; 64]);
    // Output slices of a real allocation, as guest memory always is: an empty `Vec` has a
    // dangling address (0x1), and wiping an empty slice there makes glibc's AVX-512 memset
    // issue a masked store to an unmapped page, which costs ~100 ns of microcode assist on
    // this CPU, on the failure path only. That is the harness, not the code under test.
    let mut out_buf = [0u8; 64];
    let out = &mut out_buf[..msg_len];
    let ct = &ct_all[..msg_len];
    let open = |ctx: &mut Ctx| {
        let st = ctx
            .symmetric_state_open(alg, Some(key), Some(opts))
            .expect("state");
        ctx.symmetric_state_absorb(st, &ad).expect("ad");
        st
    };
    let name = format!(
        "{}: decrypt_detached, {msg_len}-byte message, 16-byte AD",
        a.alg
    );
    let mut dec = open(&mut ctx);
    measure(&name, samples, true, rng, |c, timer| {
        if !a.repeatable {
            ctx.symmetric_state_close(dec).expect("close");
            dec = open(&mut ctx);
        }
        let cand = input.load(&cand[c]);
        timer.start();
        let r = ctx.symmetric_state_decrypt_detached(dec, out, ct, cand);
        timer.stop();
        r.is_ok()
    })
}

fn main() {
    let samples: usize = match std::env::args().nth(1) {
        None => 1_000_000,
        Some(s) => s.parse().expect("samples per class: a number"),
    };
    // An optional second argument runs only the checks whose algorithm contains it.
    let only = std::env::args().nth(2).unwrap_or_default();
    let wanted = |alg: &str| alg.contains(only.as_str());
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    let mut rng = Rng(seed);
    println!(
        "dudect: {samples} samples per class (classes interleaved at random), \
         crops at quantiles {CROPS:?}, threshold |t| > {THRESHOLD}"
    );
    let started = Instant::now();
    let mut reports = Vec::new();
    if wanted("symmetric_tag_verify") {
        reports.push(tag_verify(samples, &mut rng));
    }
    for alg in ["HMAC/SHA-256", "HMAC/SHA-384", "HMAC/SHA-512"] {
        if wanted(alg) {
            reports.push(hmac_verify(alg, samples, &mut rng));
        }
    }
    for a in AEADS.iter().filter(|a| wanted(a.alg)) {
        for msg_len in [0, 64] {
            reports.push(aead_decrypt(a, msg_len, samples, &mut rng));
        }
    }
    println!();
    println!(
        "| check | median ns (equal/first/last) | \\|t\\| equal–first | \\|t\\| equal–last | \\|t\\| first–last | max \\|t\\| |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    let mut flagged = false;
    for r in &reports {
        // Pairs that measure the public outcome (success decrypts) are shown in parentheses
        // and left out of the verdict.
        let counted: &[f64] = if r.outcome_differs {
            &r.pairs[2..]
        } else {
            &r.pairs
        };
        let max = counted.iter().copied().fold(0.0, f64::max);
        let flag = if max > THRESHOLD {
            flagged = true;
            " FLAGGED"
        } else {
            ""
        };
        let shown = |i: usize| {
            if r.outcome_differs && i < 2 {
                format!("({:.2})", r.pairs[i])
            } else {
                format!("{:.2}", r.pairs[i])
            }
        };
        println!(
            "| {} | {}/{}/{} | {} | {} | {} | {:.2}{} |",
            r.name,
            r.medians[0],
            r.medians[1],
            r.medians[2],
            shown(0),
            shown(1),
            shown(2),
            max,
            flag
        );
    }
    println!();
    println!(
        "{} checks, {samples} samples per class each; took {:.0} s",
        reports.len(),
        started.elapsed().as_secs_f64()
    );
    if flagged {
        println!("a check is FLAGGED: |t| > {THRESHOLD}");
        std::process::exit(1);
    }
}
