//! The per-context byte budget, measured against the real heap.
//!
//! A counting global allocator records the live heap and its peak, per thread. Two properties:
//! - after every call, the bytes a context reports as charged (`Ctx::memory_used`) are exactly
//!   the heap it holds (the live bytes since it was created), so the accountant misses nothing
//!   and invents nothing;
//! - a hostile sequence that imports the largest keys, opens every kind of object until
//!   refused, grows every buffer and clones every state never takes the heap past
//!   `Config::memory_bound()`, and every refusal is the contract's errno and changes nothing.

mod support;

use wasmcrypt_core::rng::InstanceRng;
use wasmcrypt_core::{
    AlgorithmType, Config, Ctx, Error, KeypairEncoding, MAX_SYMMETRIC_KEY_LEN, SignatureEncoding,
};

#[path = "support/heap.rs"]
mod heap;
use heap::{baseline, live, peak_since};

#[global_allocator]
static ALLOC: heap::Counting = heap::Counting;

fn ctx(config: Config) -> Ctx {
    Ctx::with_rng(config, InstanceRng::new(&support::test_base()))
}

/// Runs each kind of operation once on a throwaway context, so one-time global
/// initializations of the libraries underneath (CPU feature caches, lazily built tables) are
/// done before a measurement starts.
fn warm_up() {
    let mut c = ctx(Config::default());
    let k = c
        .symmetric_key_generate(b"CHACHA20-POLY1305", None)
        .unwrap();
    let n = c.options_open(AlgorithmType::Symmetric).unwrap();
    c.options_set(n, b"nonce", &[9; 12]).unwrap();
    let s = c
        .symmetric_state_open(b"CHACHA20-POLY1305", Some(k), Some(n))
        .unwrap();
    c.symmetric_state_absorb(s, &[5; 300]).unwrap();
    let mut out = vec![0u8; 16 + 64];
    c.symmetric_state_encrypt(s, &mut out, &[6; 64]).unwrap();
    for alg in [&b"Ed25519"[..], b"ECDSA_P256_SHA256", b"ECDSA_K256_SHA256"] {
        let kp = c
            .keypair_generate(AlgorithmType::Signatures, alg, None)
            .unwrap();
        let st = c.signature_state_open(kp).unwrap();
        c.signature_state_update(st, b"m").unwrap();
        c.signature_state_sign(st).unwrap();
        c.keypair_export(kp, KeypairEncoding::Pkcs8).unwrap();
    }
    let x = c
        .keypair_generate(AlgorithmType::KeyExchange, b"X25519", None)
        .unwrap();
    let (p, q) = (
        c.keypair_publickey(x).unwrap(),
        c.keypair_secretkey(x).unwrap(),
    );
    c.kx_dh(p, q).unwrap();
    for alg in [&b"ML-KEM-768"[..], b"ML-KEM-1024", b"X-WING"] {
        let kp = c
            .keypair_generate(AlgorithmType::KeyExchange, alg, None)
            .unwrap();
        let pk = c.keypair_publickey(kp).unwrap();
        c.kx_encapsulate(pk).unwrap();
    }
}

/// `Ctx::memory_used` equals the heap the context holds, after every kind of call.
#[test]
fn memory_used_is_exactly_the_heap_the_context_holds() {
    let _ = support::test_base();
    warm_up();
    let mut c = ctx(Config::default());
    // Buffers this test holds live on the stack, so the heap is the context's alone.
    let base = baseline();
    let check = |c: &Ctx, what: &str| {
        assert_eq!(
            live() - base,
            c.memory_used() as isize,
            "after {what}: heap held vs charged"
        );
    };
    check(&c, "creation");

    // Options: set, overwrite with a longer value.
    let o = c.options_open(AlgorithmType::Symmetric).unwrap();
    c.options_set(o, b"nonce", &[7; 12]).unwrap();
    check(&c, "options_set");
    c.options_set(o, b"nonce", &[7; 24]).unwrap();
    check(&c, "options_set again");

    // Keys: any-length keys up to the cap, generated keys.
    let k100 = c.symmetric_key_import(b"HMAC/SHA-256", &[1; 100]).unwrap();
    let kmax = c
        .symmetric_key_import(b"HKDF-EXTRACT/SHA-512", &[2; MAX_SYMMETRIC_KEY_LEN])
        .unwrap();
    check(&c, "key imports");
    let before = c.memory_used();
    assert_eq!(
        c.symmetric_key_import(b"HMAC/SHA-256", &[1; MAX_SYMMETRIC_KEY_LEN + 1]),
        Err(Error::InvalidKey)
    );
    assert_eq!(c.memory_used(), before);
    let gk = c
        .symmetric_key_generate(b"CHACHA20-POLY1305", None)
        .unwrap();
    check(&c, "key generate");

    // States: HKDF-EXTRACT copies its key; clones copy it again; salt streams.
    let ex = c
        .symmetric_state_open(b"HKDF-EXTRACT/SHA-512", Some(kmax), None)
        .unwrap();
    let ex2 = c.symmetric_state_clone(ex).unwrap();
    c.symmetric_state_absorb(ex2, &[3; 1000]).unwrap();
    check(&c, "extract states");
    let prk = c
        .symmetric_state_squeeze_key(ex, b"HKDF-EXPAND/SHA-512")
        .unwrap();
    let exp = c
        .symmetric_state_open(b"HKDF-EXPAND/SHA-512", Some(prk), None)
        .unwrap();
    for n in [10, 1000, 5000, 70_000] {
        c.symmetric_state_absorb(exp, &vec![4; n]).unwrap();
        check(&c, "expand info");
    }
    let exp2 = c.symmetric_state_clone(exp).unwrap();
    check(&c, "expand clone");
    c.symmetric_state_close(exp2).unwrap();
    check(&c, "expand clone closed");

    // ChaCha20-Poly1305: AD past the inline buffer boxes a Poly1305 state.
    let n = c.options_open(AlgorithmType::Symmetric).unwrap();
    c.options_set(n, b"nonce", &[9; 12]).unwrap();
    let aead = c
        .symmetric_state_open(b"CHACHA20-POLY1305", Some(gk), Some(n))
        .unwrap();
    c.symmetric_state_absorb(aead, &[5; 300]).unwrap();
    check(&c, "boxed Poly1305");
    let mut out = [0u8; 16 + 64];
    c.symmetric_state_encrypt(aead, &mut out, &[6; 64]).unwrap();
    check(&c, "aead encrypt");
    let aead2 = c.symmetric_state_clone(aead).unwrap();
    check(&c, "aead clone");
    c.symmetric_state_close(aead2).unwrap();

    // Tags, exports and array outputs.
    let mac = c
        .symmetric_state_open(b"HMAC/SHA-256", Some(k100), None)
        .unwrap();
    c.symmetric_state_absorb(mac, b"data").unwrap();
    let tag = c.symmetric_state_squeeze_tag(mac).unwrap();
    check(&c, "tag");
    c.symmetric_tag_close(tag).unwrap();
    let ao = c.symmetric_key_export(kmax).unwrap();
    check(&c, "key export");
    let mut buf = [0u8; 1000];
    c.array_output_pull(ao, &mut buf).unwrap();
    check(&c, "partial pull");
    let mut rest = [0u8; MAX_SYMMETRIC_KEY_LEN];
    c.array_output_pull(ao, &mut rest).unwrap();
    check(&c, "pull to the end (closes itself)");

    // Asymmetric: Ed25519 buffers its transcript; ECDSA and X25519 hold keys inline.
    let ed = c
        .keypair_generate(AlgorithmType::Signatures, b"Ed25519", None)
        .unwrap();
    let st = c.signature_state_open(ed).unwrap();
    for n in [100, 10_000, 100_000] {
        c.signature_state_update(st, &vec![1; n]).unwrap();
        check(&c, "Ed25519 sign update");
    }
    let sig = c.signature_state_sign(st).unwrap();
    let sig_out = c.signature_export(sig, SignatureEncoding::Raw).unwrap();
    let pk = c.keypair_publickey(ed).unwrap();
    let vs = c.signature_verification_state_open(pk).unwrap();
    c.signature_verification_state_update(vs, &vec![1; 110_100])
        .unwrap();
    c.signature_verification_state_verify(vs, sig).unwrap();
    check(&c, "Ed25519 verify");
    let p8 = c.keypair_export(ed, KeypairEncoding::Pkcs8).unwrap();
    let ec = c
        .keypair_generate(AlgorithmType::Signatures, b"ECDSA_P256_SHA256", None)
        .unwrap();
    let ecs = c.signature_state_open(ec).unwrap();
    c.signature_state_update(ecs, b"m").unwrap();
    let ecsig = c.signature_state_sign(ecs).unwrap();
    let x = c
        .keypair_generate(AlgorithmType::KeyExchange, b"X25519", None)
        .unwrap();
    let xpk = c.keypair_publickey(x).unwrap();
    let xsk = c.keypair_secretkey(x).unwrap();
    let shared = c.kx_dh(xpk, xsk).unwrap();
    check(&c, "ECDSA, X25519");
    // KEM keys live in boxes: generated, copied into public and secret keys, used.
    for alg in [&b"ML-KEM-768"[..], b"ML-KEM-1024", b"X-WING"] {
        let kp = c
            .keypair_generate(AlgorithmType::KeyExchange, alg, None)
            .unwrap();
        let pk = c.keypair_publickey(kp).unwrap();
        let sk = c.keypair_secretkey(kp).unwrap();
        let (ss, ct) = c.kx_encapsulate(pk).unwrap();
        let mut ct_bytes = [0u8; 1600];
        let n = c.array_output_len(ct).unwrap();
        c.array_output_pull(ct, &mut ct_bytes[..n]).unwrap();
        let ss2 = c.kx_decapsulate(sk, &ct_bytes[..n]).unwrap();
        check(&c, "KEM");
        c.keypair_close(kp).unwrap();
        c.publickey_close(pk).unwrap();
        c.secretkey_close(sk).unwrap();
        drain(&mut c, ss).unwrap();
        drain(&mut c, ss2).unwrap();
        check(&c, "KEM closed");
    }

    // Closing everything releases every object's heap; the slot tables stay.
    for r in [
        c.options_close(o),
        c.options_close(n),
        c.symmetric_key_close(k100),
        c.symmetric_key_close(kmax),
        c.symmetric_key_close(gk),
        c.symmetric_key_close(prk),
        c.symmetric_state_close(ex),
        c.symmetric_state_close(ex2),
        c.symmetric_state_close(exp),
        c.symmetric_state_close(aead),
        c.symmetric_state_close(mac),
        c.signature_state_close(st),
        c.signature_state_close(ecs),
        c.signature_verification_state_close(vs),
        c.signature_close(sig),
        c.signature_close(ecsig),
        drain(&mut c, sig_out),
        drain(&mut c, p8),
        drain(&mut c, shared),
        c.keypair_close(ed),
        c.keypair_close(ec),
        c.keypair_close(x),
        c.publickey_close(pk),
        c.publickey_close(xpk),
        c.secretkey_close(xsk),
    ] {
        r.unwrap();
    }
    check(&c, "closing everything");
    drop(c);
    assert_eq!(live(), base, "a dropped context holds nothing");
}

/// Pulls an array output to its end, which closes it.
fn drain(c: &mut Ctx, ao: wasmcrypt_core::ArrayOutput) -> Result<(), Error> {
    let mut buf = vec![0u8; c.array_output_len(ao)?.max(1)];
    c.array_output_pull(ao, &mut buf).map(|_| ())
}

/// Fills a context every way a guest can until each kind of call is refused, and checks the
/// heap never passes `memory_bound()` (measured peak, including every call's scratch).
fn hostile(config: Config) -> usize {
    let _ = support::test_base();
    warm_up();
    let mut c = ctx(config);
    let base = baseline();
    let within = |c: &Ctx| assert!(c.memory_used() <= config.max_memory);

    // The largest keys, until refused.
    let mut keys = Vec::new();
    let err = loop {
        match c.symmetric_key_import(b"HKDF-EXTRACT/SHA-256", &[1; MAX_SYMMETRIC_KEY_LEN]) {
            Ok(k) => keys.push(k),
            Err(e) => break e,
        }
        within(&c);
    };
    assert_eq!(err, Error::TooManyHandles);
    assert!(!keys.is_empty());
    // Free one key: its budget goes to states that copy other keys, until refused.
    c.symmetric_key_close(keys.pop().unwrap()).unwrap();
    let mut states = Vec::new();
    let err = loop {
        match c.symmetric_state_open(b"HKDF-EXTRACT/SHA-256", Some(keys[0]), None) {
            Ok(s) => states.push(s),
            Err(e) => break e,
        }
        within(&c);
    };
    assert_eq!(err, Error::TooManyHandles);
    if let Some(&s) = states.first() {
        let before = c.memory_used();
        assert_eq!(c.symmetric_state_clone(s), Err(Error::TooManyHandles));
        assert_eq!(c.memory_used(), before, "a refused clone charges nothing");
    }
    // Release everything but one state, then grow buffers until refused.
    for k in keys.drain(1..) {
        c.symmetric_key_close(k).unwrap();
    }
    for s in states.drain(..) {
        c.symmetric_state_close(s).unwrap();
    }
    let prk = c
        .symmetric_key_import(b"HKDF-EXPAND/SHA-256", &[3; 32])
        .unwrap();
    // An Ed25519 transcript grows until refused.
    let ed = c
        .keypair_generate(AlgorithmType::Signatures, b"Ed25519", None)
        .unwrap();
    let st = c.signature_state_open(ed).unwrap();
    let err = loop {
        if let Err(e) = c.signature_state_update(st, &[1; 512]) {
            break e;
        }
        within(&c);
    };
    assert_eq!(err, Error::Overflow);
    c.signature_state_close(st).unwrap();
    // HKDF info buffers grow until refused, in as many states as the budget holds.
    let mut expands = Vec::new();
    while let Ok(e) = c.symmetric_state_open(b"HKDF-EXPAND/SHA-256", Some(prk), None) {
        expands.push(e);
        let chunk = vec![4u8; 1024];
        let err = loop {
            if let Err(err) = c.symmetric_state_absorb(e, &chunk) {
                break err;
            }
            within(&c);
        };
        assert_eq!(err, Error::Overflow);
        let before = c.memory_used();
        assert_eq!(c.symmetric_state_absorb(e, &chunk), Err(Error::Overflow));
        assert_eq!(c.memory_used(), before, "a refused absorb charges nothing");
        if c.memory_used() + 2048 > config.max_memory {
            break;
        }
    }
    // Clones, options and array outputs, until refused.
    if let Some(&e) = expands.first() {
        loop {
            if c.symmetric_state_clone(e).is_err() {
                break;
            }
            within(&c);
        }
    }
    while let Ok(o) = c.options_open(AlgorithmType::Symmetric) {
        if c.options_set(o, b"nonce", &vec![5; config.max_option_len])
            .is_err()
        {
            break;
        }
        within(&c);
    }
    loop {
        if c.symmetric_key_export(keys[0]).is_err() {
            break;
        }
        within(&c);
    }
    within(&c);
    // The sequence really reached the budget, not just the handle limits.
    assert!(
        c.memory_used() * 10 >= config.max_memory * 9,
        "{} of {}",
        c.memory_used(),
        config.max_memory
    );
    let peak = peak_since(base);
    assert!(
        peak <= config.memory_bound(),
        "peak {peak} > bound {}",
        config.memory_bound()
    );
    drop(c);
    drop((keys, states, expands));
    assert_eq!(live(), base, "a dropped context holds nothing");
    peak
}

#[test]
fn a_hostile_sequence_stays_within_the_bound() {
    for config in [
        Config::embedded(),
        Config {
            max_memory: 256 * 1024,
            ..Config::default()
        },
        Config::default(),
    ] {
        let peak = hostile(config);
        println!(
            "max_memory {} bound {} measured peak {peak}",
            config.max_memory,
            config.memory_bound()
        );
    }
}

/// RSA keys live in the `rsa` and `crypto-bigint` crates' own boxes, so their charge is an
/// upper bound, not exact: after every call, the heap a context holds is at most what it was
/// charged (and within twice the heap, so the bound is not slack).
#[test]
fn rsa_objects_are_charged_at_least_their_heap() {
    let _ = support::test_base();
    warm_up();
    for alg in [
        &b"RSA_PKCS1_2048_SHA256"[..],
        b"RSA_PSS_3072_SHA384",
        b"RSA_PKCS1_4096_SHA512",
    ] {
        let mut c = ctx(Config::default());
        // Tables first, so the measurement below is the objects' heap alone.
        let warm = c
            .keypair_generate(AlgorithmType::Signatures, alg, None)
            .unwrap();
        let wpk = c.keypair_publickey(warm).unwrap();
        let wst = c.signature_state_open(warm).unwrap();
        let wsig = c.signature_state_sign(wst).unwrap();
        let wvs = c.signature_verification_state_open(wpk).unwrap();
        let wsk = c.keypair_secretkey(warm).unwrap();
        let (base, charged0) = (live(), c.memory_used() as isize);
        let check = |c: &Ctx, what: &str| {
            let heap = live() - base;
            let charged = c.memory_used() as isize - charged0;
            assert!(heap <= charged, "{what}: heap {heap} > charged {charged}");
            assert!(
                charged <= 2 * heap.max(1),
                "{what}: charged {charged} vs heap {heap}"
            );
        };
        let kp = c
            .keypair_generate(AlgorithmType::Signatures, alg, None)
            .unwrap();
        check(&c, "key pair");
        let pk = c.keypair_publickey(kp).unwrap();
        let sk = c.keypair_secretkey(kp).unwrap();
        check(&c, "public and secret keys");
        let st = c.signature_state_open(kp).unwrap();
        c.signature_state_update(st, b"message").unwrap();
        let sig = c.signature_state_sign(st).unwrap();
        let vs = c.signature_verification_state_open(pk).unwrap();
        c.signature_verification_state_update(vs, b"message")
            .unwrap();
        c.signature_verification_state_verify(vs, sig).unwrap();
        check(&c, "states and signature");
        for r in [
            c.signature_state_close(st),
            c.signature_verification_state_close(vs),
            c.signature_close(sig),
            c.keypair_close(kp),
            c.publickey_close(pk),
            c.secretkey_close(sk),
        ] {
            r.unwrap();
        }
        assert_eq!(live() - base, 0);
        assert_eq!(c.memory_used() as isize - charged0, 0);
        let _ = (wpk, wst, wsig, wvs, wsk);
    }
}
