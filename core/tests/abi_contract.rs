//! The behaviour contract (`docs/contract.md`) for hashes, handles, options and guest memory,
//! driven through the ABI table exactly as an engine binding calls it. Every case asserts the
//! exact errno and, where it matters, that nothing was written.

mod support;

use support::{Guest, MEM, hex};
use wasmcrypt_core::{Config, CryptoErrno as E};

// FIPS 180-4 examples ("abc"), NIST CSRC example documents.
const ABC_256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const ABC_384: &str = "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
                       8086072ba1e7cc2358baeca134c825a7";
const ABC_512: &str = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                       2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
const ABC_512_256: &str = "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23";

#[test]
fn hashes_known_answers() {
    let mut g = Guest::new();
    for (alg, want) in [
        ("SHA-256", ABC_256),
        ("SHA-384", ABC_384),
        ("SHA-512", ABC_512),
        ("SHA-512/256", ABC_512_256),
    ] {
        let st = g.open_state(alg).unwrap();
        assert_eq!(g.absorb(st, b"ab"), E::Success);
        assert_eq!(g.absorb(st, b""), E::Success);
        assert_eq!(g.absorb(st, b"c"), E::Success);
        let want = hex(want);
        assert_eq!(g.squeeze(st, want.len()).unwrap(), want, "{alg}");
        assert_eq!(g.call("symmetric_state_close", &[st.into()]), E::Success);
    }
}

#[test]
fn names_fold_case_and_reject_unknown() {
    let mut g = Guest::new();
    let st = g.open_state("sha-512/256").unwrap();
    g.absorb(st, b"abc");
    assert_eq!(g.squeeze(st, 32).unwrap(), hex(ABC_512_256));
    assert_eq!(g.open_state("SHA-1"), Err(E::UnsupportedAlgorithm));
    assert_eq!(g.open_state("SHA-256 "), Err(E::UnsupportedAlgorithm));
    assert_eq!(g.open_state(""), Err(E::UnsupportedAlgorithm));
    let bad = [0xffu8, 0xfe, b'S'];
    let (p, l) = g.put(&bad);
    let none = g.opt(None);
    let out = g.alloc(4);
    let r = g.call("symmetric_state_open", &[p, l, none, none, out]);
    assert_eq!(r, E::UnsupportedAlgorithm, "non-UTF-8 name");
}

#[test]
fn squeeze_truncates_refuses_longer_and_keeps_state() {
    let mut g = Guest::new();
    let st = g.open_state("SHA-256").unwrap();
    g.absorb(st, b"abc");
    let full = hex(ABC_256);
    assert_eq!(g.squeeze(st, 7).unwrap(), full[..7]);
    assert_eq!(g.squeeze(st, 0).unwrap(), Vec::<u8>::new());
    // More than the digest: invalid_length, and the output buffer untouched.
    let p = g.alloc(33);
    g.mem[p as usize..p as usize + 33].fill(0xaa);
    assert_eq!(
        g.call("symmetric_state_squeeze", &[st.into(), p, 33]),
        E::InvalidLength
    );
    assert_eq!(g.bytes_at(p, 33), vec![0xaa; 33]);
    // Squeezing did not finalize: the same digest again, then more input changes it.
    assert_eq!(g.squeeze(st, 32).unwrap(), full);
    g.absorb(st, b"d");
    let mut abcd = Guest::new();
    let s2 = abcd.open_state("SHA-256").unwrap();
    abcd.absorb(s2, b"abcd");
    assert_eq!(g.squeeze(st, 32).unwrap(), abcd.squeeze(s2, 32).unwrap());
}

#[test]
fn clone_is_deep() {
    let mut g = Guest::new();
    let st = g.open_state("SHA-256").unwrap();
    g.absorb(st, b"ab");
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_state_clone", &[st.into(), out]),
        E::Success
    );
    let cl = g.u32_at(out);
    assert_ne!(cl, st);
    // Absorbing into the clone never changes the original, and the reverse.
    g.absorb(cl, b"c");
    g.absorb(st, b"X");
    assert_eq!(g.squeeze(cl, 32).unwrap(), hex(ABC_256));
    assert_ne!(g.squeeze(st, 32).unwrap(), hex(ABC_256));
    // Closing the original leaves the clone alive.
    assert_eq!(g.call("symmetric_state_close", &[st.into()]), E::Success);
    assert_eq!(g.squeeze(cl, 32).unwrap(), hex(ABC_256));
}

#[test]
fn hashes_take_no_key() {
    let mut g = Guest::new();
    let (p, l) = g.put(b"SHA-256");
    let none = g.opt(None);
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_key_generate", &[p, l, none, out]),
        E::KeyNotSupported
    );
    let (kp, kl) = g.put(&[0u8; 32]);
    assert_eq!(
        g.call("symmetric_key_import", &[p, l, kp, kl, out]),
        E::KeyNotSupported
    );
    assert_eq!(g.u32_at(out), 0, "no handle written on error");
    // A key handle that was never issued is rejected before the key rule.
    let bogus = g.opt(Some(0xa000_0000));
    assert_eq!(
        g.call("symmetric_state_open", &[p, l, bogus, none, out]),
        E::InvalidHandle
    );
    let (up, ul) = g.put(b"NOPE-256");
    assert_eq!(
        g.call("symmetric_key_import", &[up, ul, kp, kl, out]),
        E::UnsupportedAlgorithm
    );
}

#[test]
fn operations_a_hash_lacks_are_invalid_operation() {
    let mut g = Guest::new();
    let st = u64::from(g.open_state("SHA-512").unwrap());
    let o = g.alloc(8);
    let buf = g.alloc(64);
    let (ap, al) = g.put(b"HKDF-EXPAND/SHA-512");
    let cases: Vec<(&str, Vec<u64>)> = vec![
        ("symmetric_state_squeeze_tag", vec![st, o]),
        ("symmetric_state_squeeze_key", vec![st, ap, al, o]),
        ("symmetric_state_max_tag_len", vec![st, o]),
        ("symmetric_state_encrypt", vec![st, buf, 32, buf, 16, o]),
        (
            "symmetric_state_encrypt_detached",
            vec![st, buf, 16, buf, 16, o],
        ),
        ("symmetric_state_decrypt", vec![st, buf, 16, buf, 32, o]),
        (
            "symmetric_state_decrypt_detached",
            vec![st, buf, 16, buf, 16, buf, 16, o],
        ),
        ("symmetric_state_ratchet", vec![st]),
    ];
    for (name, args) in cases {
        assert_eq!(g.call(name, &args), E::InvalidOperation, "{name}");
    }
    assert_eq!(g.u32_at(o), 0);
}

#[test]
fn handle_lifecycle_errors() {
    let mut g = Guest::new();
    let st = g.open_state("SHA-256").unwrap();
    let close = |g: &mut Guest, h: u32| g.call("symmetric_state_close", &[h.into()]);
    assert_eq!(close(&mut g, st), E::Success);
    assert_eq!(close(&mut g, st), E::Closed, "closing twice");
    assert_eq!(g.absorb(st, b"x"), E::InvalidHandle, "use after close");
    assert_eq!(close(&mut g, 0), E::InvalidHandle, "never issued");
    assert_eq!(close(&mut g, 0xffff_ffff), E::InvalidHandle);
    assert_eq!(
        close(&mut g, st + (1 << 12)),
        E::InvalidHandle,
        "future gen"
    );
    // A reused slot gets a new generation: the stale handle stays dead.
    let st2 = g.open_state("SHA-256").unwrap();
    assert_ne!(st2, st);
    assert_eq!(g.absorb(st, b"x"), E::InvalidHandle);
    assert_eq!(g.absorb(st2, b"x"), E::Success);
    // Handles are typed: an options handle is not a state, and the reverse.
    let opts = g.options_open(1).unwrap();
    assert_eq!(g.absorb(opts, b"x"), E::InvalidHandle);
    assert_eq!(g.call("options_close", &[st2.into()]), E::InvalidHandle);
    assert_eq!(
        g.call("symmetric_tag_close", &[st2.into()]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call("array_output_len", &[st2.into(), 0]),
        E::InvalidHandle
    );
    assert_eq!(g.call("options_close", &[opts.into()]), E::Success);
    assert_eq!(g.call("options_close", &[opts.into()]), E::Closed);
}

#[test]
fn too_many_handles_and_recovery() {
    let mut g = Guest::with_config(Config {
        max_handles: 3,
        ..Config::default()
    });
    let hs: Vec<u32> = (0..3).map(|_| g.open_state("SHA-256").unwrap()).collect();
    assert_eq!(g.open_state("SHA-256"), Err(E::TooManyHandles));
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_state_clone", &[hs[0].into(), out]),
        E::TooManyHandles
    );
    // Other tables are separate.
    assert!(g.options_open(1).is_ok());
    assert_eq!(g.call("symmetric_state_close", &[hs[1].into()]), E::Success);
    let again = g.open_state("SHA-256").unwrap();
    assert_eq!(g.absorb(again, b"abc"), E::Success);
    assert_eq!(g.squeeze(again, 32).unwrap(), hex(ABC_256));
}

#[test]
fn options_contract() {
    let mut g = Guest::new();
    assert_eq!(g.options_open(3), Err(E::InvalidOperation));
    assert_eq!(g.options_open(0xffff_ffff), Err(E::InvalidOperation));
    let sym = g.options_open(1).unwrap();
    let sig = g.options_open(0).unwrap();
    let kx = g.options_open(2).unwrap();
    assert!(sym != sig && sig != kx);

    let (np, nl) = g.put(b"nonce");
    let (vp, vl) = g.put(&[7u8; 12]);
    let set =
        |g: &mut Guest, h: u32, np, nl, vp, vl| g.call("options_set", &[h.into(), np, nl, vp, vl]);
    assert_eq!(set(&mut g, sym, np, nl, vp, vl), E::Success);
    assert_eq!(set(&mut g, sym, np, nl, vp, vl), E::Success, "overwrite");
    let (up, ul) = g.put(b"frobnicate");
    assert_eq!(set(&mut g, sym, up, ul, vp, vl), E::UnsupportedOption);
    assert_eq!(set(&mut g, sig, np, nl, vp, vl), E::UnsupportedOption);
    let (bp, bl) = g.put(&[0u8; 1025]);
    assert_eq!(
        set(&mut g, sym, np, nl, bp, bl),
        E::Overflow,
        "past max_option_len"
    );
    assert_eq!(
        g.call("options_set_u64", &[sym.into(), np, nl, 5]),
        E::UnsupportedOption
    );
    let (mp, ml) = g.put(b"memory_limit");
    assert_eq!(
        g.call("options_set_u64", &[sym.into(), mp, ml, 5]),
        E::UnsupportedOption
    );
    let buf = g.alloc(64);
    let (bn, bnl) = g.put(b"buffer");
    assert_eq!(
        g.call("options_set_guest_buffer", &[sym.into(), bn, bnl, buf, 64]),
        E::UnsupportedOption
    );
    assert_eq!(
        g.call("options_set_guest_buffer", &[0, bn, bnl, buf, 64]),
        E::InvalidHandle
    );

    // Options of another algorithm type given to a symmetric operation: invalid_handle.
    let (ap, al) = g.put(b"SHA-256");
    let none = g.opt(None);
    let o_sig = g.opt(Some(sig));
    let o_sym = g.opt(Some(sym));
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_state_open", &[ap, al, none, o_sig, out]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call("symmetric_state_open", &[ap, al, none, o_sym, out]),
        E::Success
    );
    let st = g.u32_at(out);
    // A hash uses no option: reading one is unsupported_option, known or not.
    let v = g.alloc(32);
    let o = g.alloc(8);
    for name in [&b"nonce"[..], b"nope"] {
        let (np, nl) = g.put(name);
        assert_eq!(
            g.call(
                "symmetric_state_options_get",
                &[st.into(), np, nl, v, 32, o]
            ),
            E::UnsupportedOption
        );
        assert_eq!(
            g.call("symmetric_state_options_get_u64", &[st.into(), np, nl, o]),
            E::UnsupportedOption
        );
    }
    // Closing the options does not affect the state that was opened with them.
    assert_eq!(g.call("options_close", &[sym.into()]), E::Success);
    assert_eq!(g.absorb(st, b"abc"), E::Success);
    assert_eq!(g.squeeze(st, 32).unwrap(), hex(ABC_256));
    assert_eq!(set(&mut g, sym, np, nl, vp, vl), E::InvalidHandle);
}

#[test]
fn guest_memory_is_checked_before_anything_happens() {
    let mut g = Guest::with_config(Config {
        max_handles: 1,
        ..Config::default()
    });
    let (ap, al) = g.put(b"SHA-256");
    let none = g.opt(None);
    let end = MEM as u64;
    // The out-pointer straddles the end of memory: guest_error and no handle created (the
    // single slot is still free afterwards).
    assert_eq!(
        g.call("symmetric_state_open", &[ap, al, none, none, end - 2]),
        E::GuestError
    );
    assert_eq!(
        g.call("symmetric_state_open", &[ap, al, none, none, end]),
        E::GuestError
    );
    // A name past memory, a length that wraps.
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_state_open", &[end - 3, 7, none, none, out]),
        E::GuestError
    );
    assert_eq!(
        g.call("symmetric_state_open", &[ap, 0xffff_ffff, none, none, out]),
        E::GuestError
    );
    // A union tag that is neither 0 nor 1, and a union that does not fit.
    let mut bad = [0u8; 8];
    bad[0] = 2;
    let (bp, _) = g.put(&bad);
    assert_eq!(
        g.call("symmetric_state_open", &[ap, al, bp, none, out]),
        E::GuestError
    );
    assert_eq!(
        g.call("symmetric_state_open", &[ap, al, none, end - 4, out]),
        E::GuestError
    );
    assert_eq!(g.u32_at(out), 0, "nothing written");
    let st = g.open_state("SHA-256").unwrap();
    // Absorb from outside memory: guest_error and the state unchanged.
    assert_eq!(
        g.call("symmetric_state_absorb", &[st.into(), end - 1, 2]),
        E::GuestError
    );
    assert_eq!(g.absorb(st, b"abc"), E::Success);
    assert_eq!(
        g.call("symmetric_state_squeeze", &[st.into(), end - 31, 32]),
        E::GuestError
    );
    assert_eq!(g.squeeze(st, 32).unwrap(), hex(ABC_256));
    // Zero-length buffers at the very end of memory are in bounds.
    assert_eq!(
        g.call("symmetric_state_absorb", &[st.into(), end, 0]),
        E::Success
    );
    // options_open with a bad out-pointer does not create a handle either.
    assert_eq!(g.call("options_open", &[1, end - 1]), E::GuestError);
    assert!(g.options_open(1).is_ok());
    assert_eq!(g.options_open(1), Err(E::TooManyHandles));
}

#[test]
fn array_output_and_tag_handles_when_none_exist() {
    let mut g = Guest::new();
    let buf = g.alloc(16);
    let out = g.alloc(4);
    assert_eq!(
        g.call("array_output_len", &[0x2000_0000, out]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call("array_output_pull", &[0x2000_0000, buf, 16, out]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call("symmetric_tag_len", &[0xc000_0000, out]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call("symmetric_tag_verify", &[0xc000_0000, buf, 16]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call("symmetric_tag_pull", &[0xc000_0000, buf, 16, out]),
        E::InvalidHandle
    );
}

#[test]
fn asymmetric_names_enums_and_unissued_handles() {
    let mut g = Guest::new();
    let out = g.alloc(8);
    let out2 = g.alloc(8);
    let none = g.opt(None);
    let (ap, al) = g.put(b"Ed25519");
    let (xp, xl) = g.put(b"Ed448");
    let (ep, el) = g.put(&[0u8; 64]);
    // A name this host does not have, and a known name under another algorithm type.
    assert_eq!(
        g.call("keypair_generate", &[0, xp, xl, none, out]),
        E::UnsupportedAlgorithm
    );
    assert_eq!(
        g.call("signature_import", &[xp, xl, ep, el, 0, out]),
        E::UnsupportedAlgorithm
    );
    assert_eq!(
        g.call("keypair_generate", &[2, ap, al, none, out]),
        E::UnsupportedAlgorithm
    );
    assert_eq!(
        g.call("publickey_import", &[2, ap, al, ep, el, 0, out]),
        E::UnsupportedAlgorithm
    );
    // A deterministic context cannot generate keys.
    assert_eq!(
        g.call("keypair_generate", &[0, ap, al, none, out]),
        E::UnsupportedFeature
    );
    // 64 zero bytes: a seed whose public key is not the zero string.
    assert_eq!(
        g.call("keypair_import", &[0, ap, al, ep, el, 0, out]),
        E::InvalidKey
    );
    // Enum arguments outside their witx range.
    assert_eq!(
        g.call("keypair_generate", &[3, ap, al, none, out]),
        E::InvalidOperation
    );
    assert_eq!(
        g.call("keypair_import", &[0, ap, al, ep, el, 4, out]),
        E::UnsupportedEncoding
    );
    assert_eq!(
        g.call("secretkey_import", &[0, ap, al, ep, el, 5, out]),
        E::UnsupportedEncoding
    );
    assert_eq!(
        g.call("signature_import", &[ap, al, ep, el, 2, out]),
        E::UnsupportedEncoding
    );
    // Handles never issued.
    for (name, args) in [
        ("signature_state_open", vec![0x4000_0000, out]),
        ("signature_verification_state_open", vec![0x5000_0000, out]),
        ("kx_dh", vec![0x5000_0000, 0x6000_0000, out]),
        ("kx_encapsulate", vec![0x5000_0000, out, out2]),
        ("kx_decapsulate", vec![0x6000_0000, ep, el, out]),
        ("keypair_close", vec![0x4000_0000]),
        ("publickey_verify", vec![0x5000_0000]),
        ("signature_close", vec![0x7000_0000]),
    ] {
        assert_eq!(g.call(name, &args), E::InvalidHandle, "{name}");
    }
    // Secrets manager: handle checks first, then unsupported_feature.
    assert_eq!(
        g.call("secrets_manager_open", &[none, out]),
        E::UnsupportedFeature
    );
    let opts = g.options_open(1).unwrap();
    let some = g.opt(Some(opts));
    assert_eq!(
        g.call("secrets_manager_open", &[some, out]),
        E::UnsupportedFeature
    );
    let bogus = g.opt(Some(0x1fff_ffff));
    assert_eq!(
        g.call("secrets_manager_open", &[bogus, out]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call("secrets_manager_close", &[0x3000_0000]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call("external_secret_store", &[0x3000_0000, ep, el, 0, ep, el]),
        E::InvalidHandle
    );
    assert_eq!(
        g.call(
            "symmetric_key_generate_managed",
            &[0x3000_0000, ap, al, none, out]
        ),
        E::InvalidHandle
    );
    assert_eq!(g.u32_at(out), 0, "no out-value written on any error");
}
