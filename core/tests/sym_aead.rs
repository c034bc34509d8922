//! The behaviour contract (`docs/contract.md`, "Symmetric states", AEAD) for AES-128-GCM,
//! AES-256-GCM, CHACHA20-POLY1305 and XCHACHA20-POLY1305, driven through the ABI table exactly
//! as an engine binding calls it: key and nonce rules, options, output sizes, one encryption
//! per nonce, repeated decryption, clones, overlapping buffers and failed decryptions. Every
//! case asserts the exact errno.

mod support;

use support::{Guest, hex};
use wasmcrypt_core::{Config, CryptoErrno as E};

/// (name, key size, nonce size)
const AEADS: [(&str, usize, usize); 4] = [
    ("AES-128-GCM", 16, 12),
    ("AES-256-GCM", 32, 12),
    ("CHACHA20-POLY1305", 32, 12),
    ("XCHACHA20-POLY1305", 32, 24),
];

// Fixed scratch areas of guest memory (below `support::ARGS`), reused by every call so that
// long loops never run out of memory.
const DATA: usize = 0x0100;
const OUT: usize = 0x1100;
const TAG: usize = 0x2100;
const NAME: usize = 0x2200;
const SIZE: usize = 0x2300;
const OPT_KEY: usize = 0x2400;
const OPT_OPTS: usize = 0x2408;
const VALUE: usize = 0x2500;
/// A region for overlapping in/out buffers.
const OVERLAP: usize = 0x3000;

fn write(g: &mut Guest, at: usize, bytes: &[u8]) -> (u64, u64) {
    g.mem[at..at + bytes.len()].copy_from_slice(bytes);
    (at as u64, bytes.len() as u64)
}

fn opt_at(g: &mut Guest, at: usize, h: Option<u32>) -> u64 {
    let mut u = [0u8; 8];
    match h {
        Some(h) => u[4..].copy_from_slice(&h.to_le_bytes()),
        None => u[0] = 1,
    }
    write(g, at, &u).0
}

fn size_at(g: &Guest) -> usize {
    g.u32_at(SIZE as u64) as usize
}

fn import(g: &mut Guest, alg: &str, raw: &[u8]) -> Result<u32, E> {
    let (ap, al) = write(g, NAME, alg.as_bytes());
    let (kp, kl) = write(g, DATA, raw);
    write(g, SIZE, &[0; 4]);
    match g.call("symmetric_key_import", &[ap, al, kp, kl, SIZE as u64]) {
        E::Success => Ok(g.u32_at(SIZE as u64)),
        e => {
            assert_eq!(g.u32_at(SIZE as u64), 0, "no handle written on error");
            Err(e)
        }
    }
}

fn generate(g: &mut Guest, alg: &str) -> Result<u32, E> {
    let (ap, al) = write(g, NAME, alg.as_bytes());
    let none = opt_at(g, OPT_OPTS, None);
    match g.call("symmetric_key_generate", &[ap, al, none, SIZE as u64]) {
        E::Success => Ok(g.u32_at(SIZE as u64)),
        e => Err(e),
    }
}

fn export(g: &mut Guest, key: u32) -> Vec<u8> {
    assert_eq!(
        g.call("symmetric_key_export", &[key.into(), SIZE as u64]),
        E::Success
    );
    let ao = g.u32_at(SIZE as u64);
    assert_eq!(
        g.call("array_output_len", &[ao.into(), SIZE as u64]),
        E::Success
    );
    let n = size_at(g);
    assert_eq!(
        g.call(
            "array_output_pull",
            &[ao.into(), OUT as u64, n as u64, SIZE as u64]
        ),
        E::Success
    );
    g.bytes_at(OUT as u64, n)
}

fn options_with(g: &mut Guest, nonce: Option<&[u8]>) -> u32 {
    let h = g.options_open(1).unwrap();
    if let Some(n) = nonce {
        set_nonce(g, h, n);
    }
    h
}

fn set_nonce(g: &mut Guest, opts: u32, nonce: &[u8]) {
    let (np, nl) = write(g, NAME, b"nonce");
    let (vp, vl) = write(g, VALUE, nonce);
    assert_eq!(
        g.call("options_set", &[opts.into(), np, nl, vp, vl]),
        E::Success
    );
}

fn open(g: &mut Guest, alg: &str, key: Option<u32>, opts: Option<u32>) -> Result<u32, E> {
    let (ap, al) = write(g, NAME, alg.as_bytes());
    let k = opt_at(g, OPT_KEY, key);
    let o = opt_at(g, OPT_OPTS, opts);
    write(g, SIZE, &[0; 4]);
    match g.call("symmetric_state_open", &[ap, al, k, o, SIZE as u64]) {
        E::Success => Ok(g.u32_at(SIZE as u64)),
        e => {
            assert_eq!(g.u32_at(SIZE as u64), 0, "no handle written on error");
            Err(e)
        }
    }
}

/// A state for `alg` under `key` and `nonce` (fresh key and options handles).
fn state(g: &mut Guest, alg: &str, key: &[u8], nonce: &[u8]) -> u32 {
    let k = import(g, alg, key).unwrap();
    let o = options_with(g, Some(nonce));
    let st = open(g, alg, Some(k), Some(o)).unwrap();
    assert_eq!(g.call("options_close", &[o.into()]), E::Success);
    assert_eq!(g.call("symmetric_key_close", &[k.into()]), E::Success);
    st
}

fn absorb(g: &mut Guest, st: u32, ad: &[u8]) -> E {
    let (p, l) = write(g, DATA, ad);
    g.call("symmetric_state_absorb", &[st.into(), p, l])
}

/// `symmetric_state_encrypt` into an `out_len` buffer (pre-filled with 0xaa).
fn encrypt(g: &mut Guest, st: u32, data: &[u8], out_len: usize) -> Result<Vec<u8>, E> {
    let (dp, dl) = write(g, DATA, data);
    write(g, OUT, &vec![0xaa; out_len]);
    match g.call(
        "symmetric_state_encrypt",
        &[st.into(), OUT as u64, out_len as u64, dp, dl, SIZE as u64],
    ) {
        E::Success => {
            assert_eq!(size_at(g), out_len);
            Ok(g.bytes_at(OUT as u64, out_len))
        }
        e => {
            assert_eq!(
                g.bytes_at(OUT as u64, out_len),
                vec![0xaa; out_len],
                "nothing written on error"
            );
            Err(e)
        }
    }
}

/// Pulls a tag handle's bytes (the handle closes).
fn pull_tag(g: &mut Guest, tag: u32) -> Vec<u8> {
    assert_eq!(
        g.call("symmetric_tag_len", &[tag.into(), SIZE as u64]),
        E::Success
    );
    let n = size_at(g);
    assert_eq!(
        g.call(
            "symmetric_tag_pull",
            &[tag.into(), TAG as u64, n as u64, SIZE as u64]
        ),
        E::Success
    );
    g.bytes_at(TAG as u64, n)
}

/// `symmetric_state_encrypt_detached`: (ciphertext, tag).
fn encrypt_detached(
    g: &mut Guest,
    st: u32,
    data: &[u8],
    out_len: usize,
) -> Result<(Vec<u8>, Vec<u8>), E> {
    let (dp, dl) = write(g, DATA, data);
    write(g, OUT, &vec![0xaa; out_len]);
    match g.call(
        "symmetric_state_encrypt_detached",
        &[st.into(), OUT as u64, out_len as u64, dp, dl, SIZE as u64],
    ) {
        E::Success => {
            let tag = g.u32_at(SIZE as u64);
            let ct = g.bytes_at(OUT as u64, out_len);
            Ok((ct, pull_tag(g, tag)))
        }
        e => {
            assert_eq!(g.bytes_at(OUT as u64, out_len), vec![0xaa; out_len]);
            Err(e)
        }
    }
}

/// `symmetric_state_decrypt` into an `out_len` buffer pre-filled with 0xaa: the errno and the
/// buffer afterwards.
fn decrypt(g: &mut Guest, st: u32, data: &[u8], out_len: usize) -> (E, Vec<u8>) {
    let (dp, dl) = write(g, DATA, data);
    write(g, OUT, &vec![0xaa; out_len]);
    let r = g.call(
        "symmetric_state_decrypt",
        &[st.into(), OUT as u64, out_len as u64, dp, dl, SIZE as u64],
    );
    if r == E::Success {
        assert_eq!(size_at(g), out_len);
    }
    (r, g.bytes_at(OUT as u64, out_len))
}

fn decrypt_detached(
    g: &mut Guest,
    st: u32,
    data: &[u8],
    tag: &[u8],
    out_len: usize,
) -> (E, Vec<u8>) {
    let (dp, dl) = write(g, DATA, data);
    let (tp, tl) = write(g, TAG, tag);
    write(g, OUT, &vec![0xaa; out_len]);
    let r = g.call(
        "symmetric_state_decrypt_detached",
        &[
            st.into(),
            OUT as u64,
            out_len as u64,
            dp,
            dl,
            tp,
            tl,
            SIZE as u64,
        ],
    );
    if r == E::Success {
        assert_eq!(size_at(g), out_len);
    }
    (r, g.bytes_at(OUT as u64, out_len))
}

fn options_get(g: &mut Guest, st: u32, name: &str, buf_len: usize) -> Result<Vec<u8>, E> {
    let (np, nl) = write(g, NAME, name.as_bytes());
    match g.call(
        "symmetric_state_options_get",
        &[st.into(), np, nl, VALUE as u64, buf_len as u64, SIZE as u64],
    ) {
        E::Success => {
            let n = size_at(g);
            Ok(g.bytes_at(VALUE as u64, n))
        }
        e => Err(e),
    }
}

fn clone(g: &mut Guest, st: u32) -> Result<u32, E> {
    write(g, SIZE, &[0; 4]);
    match g.call("symmetric_state_clone", &[st.into(), SIZE as u64]) {
        E::Success => Ok(g.u32_at(SIZE as u64)),
        e => Err(e),
    }
}

fn close(g: &mut Guest, st: u32) {
    assert_eq!(g.call("symmetric_state_close", &[st.into()]), E::Success);
}

// ---- Known answers --------------------------------------------------------------------------

struct Kat {
    alg: &'static str,
    key: &'static str,
    nonce: &'static str,
    ad: &'static str,
    pt: &'static str,
    ct_tag: &'static str,
}

// McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 4 and 16; RFC 8439
// §2.8.2; draft-irtf-cfrg-xchacha-03 A.3.1.
const SUNSCREEN: &str = "4c616469657320616e642047656e746c656d656e206f662074686520636c6173\
                         73206f66202739393a204966204920636f756c64206f6666657220796f75206f\
                         6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73\
                         637265656e20776f756c642062652069742e";
const KATS: [Kat; 4] = [
    Kat {
        alg: "AES-128-GCM",
        key: "feffe9928665731c6d6a8f9467308308",
        nonce: "cafebabefacedbaddecaf888",
        ad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        pt: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
             1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        ct_tag: "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e\
                 21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091\
                 5bc94fbc3221a5db94fae95ae7121a47",
    },
    Kat {
        alg: "AES-256-GCM",
        key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
        nonce: "cafebabefacedbaddecaf888",
        ad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        pt: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
             1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        ct_tag: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
                 8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662\
                 76fc6ece0f4e1768cddf8853bb2d551b",
    },
    Kat {
        alg: "CHACHA20-POLY1305",
        key: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
        nonce: "070000004041424344454647",
        ad: "50515253c0c1c2c3c4c5c6c7",
        pt: SUNSCREEN,
        ct_tag: "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6\
                 3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36\
                 92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc\
                 3ff4def08e4b7a9de576d26586cec64b6116\
                 1ae10b594f09e26a7e902ecbd0600691",
    },
    Kat {
        alg: "XCHACHA20-POLY1305",
        key: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
        nonce: "404142434445464748494a4b4c4d4e4f5051525354555657",
        ad: "50515253c0c1c2c3c4c5c6c7",
        pt: SUNSCREEN,
        ct_tag: "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb\
                 731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452\
                 2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9\
                 21f9664c97637da9768812f615c68b13b52e\
                 c0875924c1c7987947deafd8780acf49",
    },
];

#[test]
fn known_answers_attached_and_detached() {
    let mut g = Guest::new();
    for k in &KATS {
        let (key, nonce, ad, pt, want) = (
            hex(k.key),
            hex(k.nonce),
            hex(k.ad),
            hex(k.pt),
            hex(k.ct_tag),
        );
        // Attached, with the AD in two pieces and the name in another case.
        let lower = k.alg.to_ascii_lowercase();
        let st = state(&mut g, &lower, &key, &nonce);
        assert_eq!(absorb(&mut g, st, &ad[..5]), E::Success);
        assert_eq!(absorb(&mut g, st, &ad[5..]), E::Success);
        assert_eq!(
            encrypt(&mut g, st, &pt, pt.len() + 16).unwrap(),
            want,
            "{}",
            k.alg
        );
        close(&mut g, st);
        // Detached.
        let st = state(&mut g, k.alg, &key, &nonce);
        assert_eq!(absorb(&mut g, st, &ad), E::Success);
        let (ct, tag) = encrypt_detached(&mut g, st, &pt, pt.len()).unwrap();
        assert_eq!([ct, tag].concat(), want, "{}", k.alg);
        close(&mut g, st);
        // Decrypt, attached and detached, on one state.
        let st = state(&mut g, k.alg, &key, &nonce);
        assert_eq!(absorb(&mut g, st, &ad), E::Success);
        assert_eq!(
            decrypt(&mut g, st, &want, pt.len()),
            (E::Success, pt.clone())
        );
        let (ct, tag) = want.split_at(pt.len());
        assert_eq!(
            decrypt_detached(&mut g, st, ct, tag, pt.len()),
            (E::Success, pt.clone())
        );
        // Other AD: invalid_tag.
        let st2 = state(&mut g, k.alg, &key, &nonce);
        assert_eq!(absorb(&mut g, st2, &ad[1..]), E::Success);
        assert_eq!(
            decrypt(&mut g, st2, &want, pt.len()),
            (E::InvalidTag, vec![0; pt.len()])
        );
        close(&mut g, st);
        close(&mut g, st2);
    }
}

// ---- Keys -----------------------------------------------------------------------------------

#[test]
fn key_sizes_are_checked_at_import_and_generate_gives_the_key_size() {
    let mut g = Guest::with_rng(Config::default());
    for (alg, klen, _) in AEADS {
        for bad in [0usize, 1, 15, 17, 24, 31, 33, 64] {
            if bad != klen {
                assert_eq!(
                    import(&mut g, alg, &vec![1; bad]),
                    Err(E::InvalidKey),
                    "{alg} {bad}"
                );
            }
        }
        let k = import(&mut g, alg, &vec![1; klen]).unwrap();
        assert_eq!(export(&mut g, k), vec![1; klen]);
        let k = generate(&mut g, alg).unwrap();
        let bytes = export(&mut g, k);
        assert_eq!(bytes.len(), klen, "{alg}");
        assert!(bytes.iter().any(|b| *b != 0));
        let k2 = generate(&mut g, alg).unwrap();
        assert_ne!(export(&mut g, k2), bytes, "fresh keys differ");
    }
    // A deterministic context generates nothing.
    let mut det = Guest::new();
    for (alg, _, _) in AEADS {
        assert_eq!(generate(&mut det, alg), Err(E::UnsupportedFeature));
    }
}

#[test]
fn key_required_and_key_of_another_algorithm() {
    let mut g = Guest::new();
    for (alg, klen, nlen) in AEADS {
        let o = options_with(&mut g, Some(&vec![0; nlen]));
        assert_eq!(
            open(&mut g, alg, None, Some(o)),
            Err(E::KeyRequired),
            "{alg}"
        );
        assert_eq!(open(&mut g, alg, None, None), Err(E::KeyRequired), "{alg}");
        // A key of every other algorithm (even of the same size) is invalid_key.
        for (other, olen, _) in AEADS {
            if other != alg {
                let k = import(&mut g, other, &vec![0; olen]).unwrap();
                assert_eq!(
                    open(&mut g, alg, Some(k), Some(o)),
                    Err(E::InvalidKey),
                    "{other} key for {alg}"
                );
            }
        }
        let hmac = import(&mut g, "HMAC/SHA-256", &vec![0; klen]).unwrap();
        assert_eq!(open(&mut g, alg, Some(hmac), Some(o)), Err(E::InvalidKey));
        // Closing the key after open does not affect the state.
        let k = import(&mut g, alg, &vec![3; klen]).unwrap();
        let st = open(&mut g, alg, Some(k), Some(o)).unwrap();
        assert_eq!(g.call("symmetric_key_close", &[k.into()]), E::Success);
        let ct = encrypt(&mut g, st, b"abc", 19).unwrap();
        let st2 = state(&mut g, alg, &vec![3; klen], &vec![0; nlen]);
        assert_eq!(decrypt(&mut g, st2, &ct, 3), (E::Success, b"abc".to_vec()));
    }
}

// ---- Nonces and options ---------------------------------------------------------------------

#[test]
fn nonce_required_and_invalid_nonce() {
    let mut g = Guest::with_rng(Config::default());
    for (alg, klen, nlen) in AEADS {
        let k = import(&mut g, alg, &vec![0; klen]).unwrap();
        let empty = options_with(&mut g, None);
        if alg != "XCHACHA20-POLY1305" {
            assert_eq!(
                open(&mut g, alg, Some(k), None),
                Err(E::NonceRequired),
                "{alg}"
            );
            assert_eq!(
                open(&mut g, alg, Some(k), Some(empty)),
                Err(E::NonceRequired),
                "{alg}"
            );
        }
        for bad in [0usize, 1, 8, 11, 12, 13, 16, 23, 24, 25, 32] {
            if bad != nlen {
                let o = options_with(&mut g, Some(&vec![0; bad]));
                assert_eq!(
                    open(&mut g, alg, Some(k), Some(o)),
                    Err(E::InvalidNonce),
                    "{alg} {bad}"
                );
                assert_eq!(g.call("options_close", &[o.into()]), E::Success);
            }
        }
        // The nonce given is the state's `nonce` option.
        let nonce: Vec<u8> = (0..nlen as u8).collect();
        let o = options_with(&mut g, Some(&nonce));
        let st = open(&mut g, alg, Some(k), Some(o)).unwrap();
        assert_eq!(options_get(&mut g, st, "nonce", 64).unwrap(), nonce);
        assert_eq!(options_get(&mut g, st, "NONCE", nlen).unwrap(), nonce);
        assert_eq!(options_get(&mut g, st, "nonce", nlen - 1), Err(E::Overflow));
        assert_eq!(
            options_get(&mut g, st, "context", 64),
            Err(E::UnsupportedOption)
        );
        let (np, nl) = write(&mut g, NAME, b"nonce");
        assert_eq!(
            g.call(
                "symmetric_state_options_get_u64",
                &[st.into(), np, nl, SIZE as u64]
            ),
            E::UnsupportedOption
        );
    }
}

#[test]
fn xchacha_draws_a_fresh_nonce_readable_as_an_option() {
    let mut g = Guest::with_rng(Config::default());
    let alg = "XCHACHA20-POLY1305";
    let k = import(&mut g, alg, &[9; 32]).unwrap();
    let empty = options_with(&mut g, None);
    let a = open(&mut g, alg, Some(k), None).unwrap();
    let b = open(&mut g, alg, Some(k), Some(empty)).unwrap();
    let c = open(&mut g, alg, Some(k), Some(empty)).unwrap();
    let na = options_get(&mut g, a, "nonce", 64).unwrap();
    let nb = options_get(&mut g, b, "nonce", 64).unwrap();
    let nc = options_get(&mut g, c, "nonce", 64).unwrap();
    assert_eq!((na.len(), nb.len(), nc.len()), (24, 24, 24));
    assert!(na != nb && nb != nc && na != nc, "a fresh nonce per state");
    // The drawn nonce was never written into the shared options object: a state that needs
    // a nonce still finds none there.
    let k2 = import(&mut g, "CHACHA20-POLY1305", &[9; 32]).unwrap();
    assert_eq!(
        open(&mut g, "CHACHA20-POLY1305", Some(k2), Some(empty)),
        Err(E::NonceRequired)
    );
    // The ciphertext is the one under the reported nonce.
    let ct = encrypt(&mut g, a, b"attack at dawn", 30).unwrap();
    let st = state(&mut g, alg, &[9; 32], &na);
    assert_eq!(
        decrypt(&mut g, st, &ct, 14),
        (E::Success, b"attack at dawn".to_vec())
    );
    // A deterministic context cannot draw one.
    let mut det = Guest::new();
    let k = import(&mut det, alg, &[9; 32]).unwrap();
    assert_eq!(
        open(&mut det, alg, Some(k), None),
        Err(E::UnsupportedFeature)
    );
}

#[test]
fn options_changed_or_closed_after_open_do_not_affect_the_state() {
    let mut g = Guest::new();
    for (alg, klen, nlen) in AEADS {
        let key = vec![4; klen];
        let (n1, n2) = (vec![1; nlen], vec![2; nlen]);
        let k = import(&mut g, alg, &key).unwrap();
        let o = options_with(&mut g, Some(&n1));
        let st = open(&mut g, alg, Some(k), Some(o)).unwrap();
        set_nonce(&mut g, o, &n2);
        assert_eq!(options_get(&mut g, st, "nonce", 64).unwrap(), n1);
        assert_eq!(g.call("options_close", &[o.into()]), E::Success);
        let ct = encrypt(&mut g, st, b"payload", 23).unwrap();
        let expect_n1 = state(&mut g, alg, &key, &n1);
        assert_eq!(
            encrypt(&mut g, expect_n1, b"payload", 23).unwrap(),
            ct,
            "{alg}"
        );
        let under_n2 = state(&mut g, alg, &key, &n2);
        assert_ne!(encrypt(&mut g, under_n2, b"payload", 23).unwrap(), ct);
    }
}

// ---- Encryption and decryption rules --------------------------------------------------------

#[test]
fn output_sizes_exactly() {
    let mut g = Guest::new();
    for (alg, klen, nlen) in AEADS {
        let st = state(&mut g, alg, &vec![1; klen], &vec![2; nlen]);
        let msg = b"0123456789";
        // Size errors leave the nonce unused.
        assert_eq!(encrypt(&mut g, st, msg, 25), Err(E::Overflow), "{alg}");
        assert_eq!(encrypt(&mut g, st, msg, 0), Err(E::Overflow));
        assert_eq!(encrypt(&mut g, st, msg, 27), Err(E::InvalidLength));
        assert_eq!(encrypt_detached(&mut g, st, msg, 9), Err(E::Overflow));
        assert_eq!(encrypt_detached(&mut g, st, msg, 11), Err(E::InvalidLength));
        let ct = encrypt(&mut g, st, msg, 26).unwrap();
        // Empty message: just the tag.
        let st_e = state(&mut g, alg, &vec![1; klen], &vec![3; nlen]);
        let tag_only = encrypt(&mut g, st_e, b"", 16).unwrap();
        assert_eq!(decrypt(&mut g, st_e, &tag_only, 0), (E::Success, vec![]));
        // Decrypt: out exactly data - 16.
        assert_eq!(decrypt(&mut g, st, &ct, 9).0, E::Overflow);
        assert_eq!(decrypt(&mut g, st, &ct, 11).0, E::InvalidLength);
        assert_eq!(decrypt(&mut g, st, &ct, 10), (E::Success, msg.to_vec()));
        // Detached: out exactly data.
        let (c, t) = ct.split_at(10);
        assert_eq!(decrypt_detached(&mut g, st, c, t, 9).0, E::Overflow);
        assert_eq!(decrypt_detached(&mut g, st, c, t, 11).0, E::InvalidLength);
        assert_eq!(
            decrypt_detached(&mut g, st, c, t, 10),
            (E::Success, msg.to_vec())
        );
        let mut mtl = [0u8; 8];
        write(&mut g, SIZE, &[0; 4]);
        assert_eq!(
            g.call("symmetric_state_max_tag_len", &[st.into(), SIZE as u64]),
            E::Success
        );
        mtl[..4].copy_from_slice(&g.mem[SIZE..SIZE + 4]);
        assert_eq!(u64::from_le_bytes(mtl), 16);
    }
}

#[test]
fn one_encryption_per_nonce_and_repeated_decryption() {
    let mut g = Guest::new();
    for (alg, klen, nlen) in AEADS {
        let st = state(&mut g, alg, &vec![5; klen], &vec![6; nlen]);
        assert_eq!(absorb(&mut g, st, b"header"), E::Success);
        let ct = encrypt(&mut g, st, b"first", 21).unwrap();
        assert_eq!(
            encrypt(&mut g, st, b"second", 22),
            Err(E::NonceRequired),
            "{alg}"
        );
        assert_eq!(encrypt(&mut g, st, b"first", 21), Err(E::NonceRequired));
        assert_eq!(
            encrypt_detached(&mut g, st, b"second", 6),
            Err(E::NonceRequired)
        );
        // The AD must precede the message.
        assert_eq!(absorb(&mut g, st, b"more"), E::InvalidOperation);
        assert_eq!(absorb(&mut g, st, b""), E::InvalidOperation);
        // Decryption repeats with the AD absorbed before the message.
        for _ in 0..3 {
            assert_eq!(decrypt(&mut g, st, &ct, 5), (E::Success, b"first".to_vec()));
        }
        // A receiving state: decrypt twice, then it refuses to encrypt under the peer's nonce
        // and refuses more AD.
        let rx = state(&mut g, alg, &vec![5; klen], &vec![6; nlen]);
        assert_eq!(absorb(&mut g, rx, b"head"), E::Success);
        assert_eq!(absorb(&mut g, rx, b"er"), E::Success);
        assert_eq!(decrypt(&mut g, rx, &ct, 5), (E::Success, b"first".to_vec()));
        assert_eq!(decrypt(&mut g, rx, &ct, 5), (E::Success, b"first".to_vec()));
        assert_eq!(absorb(&mut g, rx, b"x"), E::InvalidOperation);
        assert_eq!(encrypt(&mut g, rx, b"reply", 21), Err(E::NonceRequired));
        // Operations an AEAD lacks.
        let p = OUT as u64;
        assert_eq!(
            g.call("symmetric_state_squeeze", &[st.into(), p, 16]),
            E::InvalidOperation
        );
        assert_eq!(
            g.call("symmetric_state_squeeze_tag", &[st.into(), SIZE as u64]),
            E::InvalidOperation
        );
        let (ap, al) = write(&mut g, NAME, alg.as_bytes());
        assert_eq!(
            g.call(
                "symmetric_state_squeeze_key",
                &[st.into(), ap, al, SIZE as u64]
            ),
            E::InvalidOperation
        );
        assert_eq!(
            g.call("symmetric_state_ratchet", &[st.into()]),
            E::InvalidOperation
        );
    }
}

#[test]
fn clone_prohibited_while_the_state_can_encrypt() {
    let mut g = Guest::new();
    for (alg, klen, nlen) in AEADS {
        let st = state(&mut g, alg, &vec![7; klen], &vec![8; nlen]);
        assert_eq!(clone(&mut g, st), Err(E::ProhibitedOperation), "{alg}");
        assert_eq!(absorb(&mut g, st, b"ad"), E::Success);
        assert_eq!(clone(&mut g, st), Err(E::ProhibitedOperation));
        let ct = encrypt(&mut g, st, b"message", 23).unwrap();
        // Now it cannot encrypt anymore: a clone is allowed, and it is independent.
        let cl = clone(&mut g, st).unwrap();
        assert_ne!(cl, st);
        assert_eq!(encrypt(&mut g, cl, b"message", 23), Err(E::NonceRequired));
        assert_eq!(
            decrypt(&mut g, cl, &ct, 7),
            (E::Success, b"message".to_vec())
        );
        close(&mut g, st);
        assert_eq!(
            decrypt(&mut g, cl, &ct, 7),
            (E::Success, b"message".to_vec())
        );
        assert_eq!(options_get(&mut g, cl, "nonce", 64).unwrap(), vec![8; nlen]);
        // A receiving state may be cloned after its first decryption.
        let rx = state(&mut g, alg, &vec![7; klen], &vec![8; nlen]);
        assert_eq!(absorb(&mut g, rx, b"ad"), E::Success);
        assert_eq!(clone(&mut g, rx), Err(E::ProhibitedOperation));
        assert_eq!(decrypt(&mut g, rx, &ct, 7).0, E::Success);
        let rx2 = clone(&mut g, rx).unwrap();
        assert_eq!(
            decrypt(&mut g, rx2, &ct, 7),
            (E::Success, b"message".to_vec())
        );
    }
}

#[test]
fn failed_decryption_zeroes_the_whole_output() {
    let mut g = Guest::new();
    for (alg, klen, nlen) in AEADS {
        let key = vec![9; klen];
        let nonce = vec![1; nlen];
        let st = state(&mut g, alg, &key, &nonce);
        let msg = b"a secret of some length: 40 bytes long!!";
        let ct = encrypt(&mut g, st, msg, msg.len() + 16).unwrap();
        let rx = state(&mut g, alg, &key, &nonce);
        let zero = vec![0u8; msg.len()];
        // Flipped bits anywhere.
        for i in [0usize, 7, 39, 40, 55] {
            let mut bad = ct.clone();
            bad[i] ^= 0x10;
            assert_eq!(
                decrypt(&mut g, rx, &bad, msg.len()),
                (E::InvalidTag, zero.clone()),
                "{alg} byte {i}"
            );
            let (c, t) = bad.split_at(msg.len());
            assert_eq!(
                decrypt_detached(&mut g, rx, c, t, msg.len()),
                (E::InvalidTag, zero.clone())
            );
        }
        // Data shorter than a tag.
        for n in [0usize, 1, 15] {
            assert_eq!(
                decrypt(&mut g, rx, &ct[..n], 4),
                (E::InvalidTag, vec![0; 4])
            );
        }
        // Detached tags of the wrong length, including empty and longer than any tag.
        let (c, t) = ct.split_at(msg.len());
        for tl in [0usize, 1, 15, 17, 32, 100] {
            let tag: Vec<u8> = t.iter().copied().cycle().take(tl).collect();
            assert_eq!(
                decrypt_detached(&mut g, rx, c, &tag, msg.len()),
                (E::InvalidTag, zero.clone()),
                "{alg} tag len {tl}"
            );
        }
        // Truncated tag inside an attached ciphertext.
        assert_eq!(
            decrypt(&mut g, rx, &ct[..ct.len() - 1], msg.len() - 1),
            (E::InvalidTag, vec![0; msg.len() - 1])
        );
        // The state still decrypts the genuine ciphertext.
        assert_eq!(
            decrypt(&mut g, rx, &ct, msg.len()),
            (E::Success, msg.to_vec())
        );
    }
}

// ---- Overlapping buffers --------------------------------------------------------------------

/// Calls `symmetric_state_encrypt` with data at `OVERLAP + data_off` and out at
/// `OVERLAP + out_off`; returns the out bytes.
fn encrypt_at(
    g: &mut Guest,
    st: u32,
    data: &[u8],
    data_off: usize,
    out_off: usize,
    out_len: usize,
) -> Vec<u8> {
    g.mem[OVERLAP..OVERLAP + 512].fill(0x55);
    let (dp, dl) = write(g, OVERLAP + data_off, data);
    let op = (OVERLAP + out_off) as u64;
    assert_eq!(
        g.call(
            "symmetric_state_encrypt",
            &[st.into(), op, out_len as u64, dp, dl, SIZE as u64]
        ),
        E::Success
    );
    assert_eq!(size_at(g), out_len);
    g.bytes_at(op, out_len)
}

fn decrypt_at(
    g: &mut Guest,
    st: u32,
    data: &[u8],
    data_off: usize,
    out_off: usize,
    out_len: usize,
) -> (E, Vec<u8>) {
    g.mem[OVERLAP..OVERLAP + 512].fill(0x55);
    let (dp, dl) = write(g, OVERLAP + data_off, data);
    let op = (OVERLAP + out_off) as u64;
    let r = g.call(
        "symmetric_state_decrypt",
        &[st.into(), op, out_len as u64, dp, dl, SIZE as u64],
    );
    (r, g.bytes_at(op, out_len))
}

#[test]
fn overlapping_buffers_give_the_disjoint_result() {
    let mut g = Guest::new();
    let msg: Vec<u8> = (0..100u8).collect();
    for (alg, klen, nlen) in AEADS {
        let key = vec![3; klen];
        let nonce = vec![4; nlen];
        let st = state(&mut g, alg, &key, &nonce);
        let want = encrypt(&mut g, st, &msg, 116).unwrap();
        // (data offset, out offset): in place, out shifted forwards/backwards by a little and
        // by more than a block, out ending inside data.
        for (d, o) in [
            (64, 64),
            (64, 65),
            (64, 63),
            (64, 80),
            (64, 0),
            (64, 100),
            (64, 150),
            (0, 16),
        ] {
            let st = state(&mut g, alg, &key, &nonce);
            assert_eq!(
                encrypt_at(&mut g, st, &msg, d, o, 116),
                want,
                "{alg} encrypt data@{d} out@{o}"
            );
            let rx = state(&mut g, alg, &key, &nonce);
            assert_eq!(
                decrypt_at(&mut g, rx, &want, d, o, 100),
                (E::Success, msg.clone()),
                "{alg} decrypt data@{d} out@{o}"
            );
            // A forged ciphertext in place: the output region is zeroed.
            let mut bad = want.clone();
            bad[3] ^= 1;
            assert_eq!(
                decrypt_at(&mut g, rx, &bad, d, o, 100),
                (E::InvalidTag, vec![0; 100]),
                "{alg} forged data@{d} out@{o}"
            );
        }
        // Detached in place: out == data region exactly.
        let st = state(&mut g, alg, &key, &nonce);
        g.mem[OVERLAP..OVERLAP + 512].fill(0x55);
        let (dp, dl) = write(&mut g, OVERLAP + 32, &msg);
        assert_eq!(
            g.call(
                "symmetric_state_encrypt_detached",
                &[st.into(), dp, dl, dp, dl, SIZE as u64]
            ),
            E::Success
        );
        let tag = g.u32_at(SIZE as u64);
        assert_eq!(g.bytes_at(dp, 100), want[..100]);
        assert_eq!(pull_tag(&mut g, tag), want[100..]);
        let rx = state(&mut g, alg, &key, &nonce);
        let (tp, tl) = write(&mut g, TAG, &want[100..]);
        assert_eq!(
            g.call(
                "symmetric_state_decrypt_detached",
                &[rx.into(), dp, dl, dp, dl, tp, tl, SIZE as u64]
            ),
            E::Success
        );
        assert_eq!(g.bytes_at(dp, 100), msg);
    }
}
