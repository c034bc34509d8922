//! XOODYAK-128 through the ABI table, as an engine binding calls it: key sizes, the keyed and
//! unkeyed operation sets with their exact errno, the nonce option, ratchet, squeeze_key, clone
//! rules, tags and failed decryption (behaviour contract, `docs/contract.md`; the family's
//! documented choices are in `core/src/symmetric/xoodyak.rs`).

mod support;

use proptest::prelude::*;
use support::{Guest, hex};
use wasmcrypt_core::{Config, CryptoErrno as E};

const ALG: &str = "XOODYAK-128";
const SYMMETRIC: u64 = 1;

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| i as u8).collect()
}

fn import_key(g: &mut Guest, raw: &[u8]) -> Result<u32, E> {
    let (ap, al) = g.put(ALG.as_bytes());
    let (kp, kl) = g.put(raw);
    let out = g.alloc(4);
    match g.call("symmetric_key_import", &[ap, al, kp, kl, out]) {
        E::Success => Ok(g.u32_at(out)),
        e => {
            assert_eq!(g.u32_at(out), 0, "no handle written on error");
            Err(e)
        }
    }
}

fn export_key(g: &mut Guest, key: u32) -> Vec<u8> {
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_key_export", &[key.into(), out]),
        E::Success
    );
    let ao = g.u32_at(out);
    let len = g.alloc(4);
    assert_eq!(g.call("array_output_len", &[ao.into(), len]), E::Success);
    let n = g.u32_at(len) as usize;
    let buf = g.alloc(n);
    assert_eq!(
        g.call("array_output_pull", &[ao.into(), buf, n as u64, len]),
        E::Success
    );
    g.bytes_at(buf, n)
}

/// Opens XOODYAK-128 with an optional key and an optional `nonce` option.
fn open(g: &mut Guest, key: Option<u32>, nonce: Option<&[u8]>) -> Result<u32, E> {
    let (ap, al) = g.put(ALG.as_bytes());
    let kopt = g.opt(key);
    let oopt = match nonce {
        None => g.opt(None),
        Some(n) => {
            let opts = g.options_open(SYMMETRIC).unwrap();
            let (np, nl) = g.put(b"nonce");
            let (vp, vl) = g.put(n);
            assert_eq!(
                g.call("options_set", &[opts.into(), np, nl, vp, vl]),
                E::Success
            );
            g.opt(Some(opts))
        }
    };
    let out = g.alloc(4);
    match g.call("symmetric_state_open", &[ap, al, kopt, oopt, out]) {
        E::Success => Ok(g.u32_at(out)),
        e => {
            assert_eq!(g.u32_at(out), 0, "no handle written on error");
            Err(e)
        }
    }
}

/// The LWC KAT setup: key 00..0F, nonce 00..0F.
fn kat_state(g: &mut Guest) -> u32 {
    let key = import_key(g, &pattern(16)).unwrap();
    open(g, Some(key), Some(&pattern(16))).unwrap()
}

/// Calls `name` with (state, out, out_len, data, data_len, result) and returns the errno, the
/// output buffer and the result word.
fn crypt(g: &mut Guest, name: &str, st: u32, data: &[u8], out_len: usize) -> (E, Vec<u8>, u32) {
    let (dp, dl) = g.put(data);
    let out = g.alloc(out_len);
    g.mem[out as usize..out as usize + out_len].fill(0xa5);
    let res = g.alloc(4);
    let r = g.call(name, &[st.into(), out, out_len as u64, dp, dl, res]);
    (r, g.bytes_at(out, out_len), g.u32_at(res))
}

fn encrypt(g: &mut Guest, st: u32, pt: &[u8]) -> Vec<u8> {
    let (r, ct, n) = crypt(g, "symmetric_state_encrypt", st, pt, pt.len() + 16);
    assert_eq!(r, E::Success);
    assert_eq!(n as usize, pt.len() + 16);
    ct
}

fn decrypt_detached(g: &mut Guest, st: u32, ct: &[u8], tag: &[u8], out_len: usize) -> (E, Vec<u8>) {
    let (dp, dl) = g.put(ct);
    let (tp, tl) = g.put(tag);
    let out = g.alloc(out_len);
    g.mem[out as usize..out as usize + out_len].fill(0xa5);
    let res = g.alloc(4);
    let r = g.call(
        "symmetric_state_decrypt_detached",
        &[st.into(), out, out_len as u64, dp, dl, tp, tl, res],
    );
    (r, g.bytes_at(out, out_len))
}

fn squeeze_tag(g: &mut Guest, st: u32) -> Result<u32, E> {
    let out = g.alloc(4);
    match g.call("symmetric_state_squeeze_tag", &[st.into(), out]) {
        E::Success => Ok(g.u32_at(out)),
        e => Err(e),
    }
}

fn tag_pull(g: &mut Guest, tag: u32, len: usize) -> (E, Vec<u8>) {
    let buf = g.alloc(len);
    let out = g.alloc(4);
    let r = g.call("symmetric_tag_pull", &[tag.into(), buf, len as u64, out]);
    (r, g.bytes_at(buf, len))
}

fn tag_verify(g: &mut Guest, tag: u32, expected: &[u8]) -> E {
    let (p, l) = g.put(expected);
    g.call("symmetric_tag_verify", &[tag.into(), p, l])
}

fn squeeze_key(g: &mut Guest, st: u32, alg: &str) -> Result<u32, E> {
    let (ap, al) = g.put(alg.as_bytes());
    let out = g.alloc(4);
    match g.call("symmetric_state_squeeze_key", &[st.into(), ap, al, out]) {
        E::Success => Ok(g.u32_at(out)),
        e => {
            assert_eq!(g.u32_at(out), 0, "no handle written on error");
            Err(e)
        }
    }
}

fn clone(g: &mut Guest, st: u32) -> Result<u32, E> {
    let out = g.alloc(4);
    match g.call("symmetric_state_clone", &[st.into(), out]) {
        E::Success => Ok(g.u32_at(out)),
        e => {
            assert_eq!(g.u32_at(out), 0, "no handle written on error");
            Err(e)
        }
    }
}

fn nonce_of(g: &mut Guest, st: u32, buf_len: usize) -> (E, Vec<u8>) {
    let (np, nl) = g.put(b"nonce");
    let buf = g.alloc(buf_len);
    let out = g.alloc(4);
    let r = g.call(
        "symmetric_state_options_get",
        &[st.into(), np, nl, buf, buf_len as u64, out],
    );
    let n = if r == E::Success {
        g.u32_at(out) as usize
    } else {
        0
    };
    (r, g.bytes_at(buf, n))
}

fn close(g: &mut Guest, st: u32) {
    assert_eq!(g.call("symmetric_state_close", &[st.into()]), E::Success);
}

#[test]
fn key_sizes() {
    let mut g = Guest::new();
    for len in [0, 1, 15, 17, 32] {
        assert_eq!(
            import_key(&mut g, &vec![7; len]),
            Err(E::InvalidKey),
            "{len}"
        );
    }
    let k = import_key(&mut g, &[7; 16]).unwrap();
    assert_eq!(export_key(&mut g, k), vec![7; 16]);

    // Generation needs the context's generator: 16 random bytes.
    let mut g = Guest::with_rng(Config::default());
    let (ap, al) = g.put(b"xoodyak-128");
    let none = g.opt(None);
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_key_generate", &[ap, al, none, out]),
        E::Success
    );
    let k1 = g.u32_at(out);
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_key_generate", &[ap, al, none, out]),
        E::Success
    );
    let k2 = g.u32_at(out);
    let (a, b) = (export_key(&mut g, k1), export_key(&mut g, k2));
    assert_eq!(a.len(), 16);
    assert_ne!(a, b);
    // A generated key opens a keyed state; it encrypts once given a nonce.
    let st = open(&mut g, Some(k1), None).unwrap();
    let (r, _, _) = crypt(&mut g, "symmetric_state_encrypt", st, b"x", 17);
    assert_eq!(r, E::NonceRequired);
    let st = open(&mut g, Some(k1), Some(b"n")).unwrap();
    let (r, _, _) = crypt(&mut g, "symmetric_state_encrypt", st, b"x", 17);
    assert_eq!(r, E::Success);
}

#[test]
fn unkeyed_is_a_hash_and_lacks_keyed_operations() {
    let mut g = Guest::new();
    let st = open(&mut g, None, None).unwrap();
    // LWC_HASH_KAT_256 Count 3: Msg = 00 01.
    assert_eq!(g.absorb(st, &[0, 1]), E::Success);
    assert_eq!(
        g.squeeze(st, 32).unwrap(),
        hex("DD3F12E89DB41C61D3C05779705FA946A8C69C79EEFDC1B4A966A5F1AB35073D")
    );
    // Squeeze continues the transcript (not idempotent) and takes any length.
    let next = g.squeeze(st, 32).unwrap();
    assert_ne!(
        next,
        hex("DD3F12E89DB41C61D3C05779705FA946A8C69C79EEFDC1B4A966A5F1AB35073D")
    );
    assert_eq!(g.squeeze(st, 1000).unwrap().len(), 1000);

    let s = u64::from(st);
    let o = g.alloc(8);
    let buf = g.alloc(64);
    let (ap, al) = g.put(ALG.as_bytes());
    let (bp, bl) = g.put(b"NOPE");
    let cases: Vec<(&str, Vec<u64>)> = vec![
        ("symmetric_state_squeeze_tag", vec![s, o]),
        ("symmetric_state_squeeze_key", vec![s, ap, al, o]),
        ("symmetric_state_squeeze_key", vec![s, bp, bl, o]),
        ("symmetric_state_max_tag_len", vec![s, o]),
        ("symmetric_state_encrypt", vec![s, buf, 32, buf, 16, o]),
        ("symmetric_state_encrypt", vec![s, buf + 32, 16, buf, 0, o]),
        (
            "symmetric_state_encrypt_detached",
            vec![s, buf, 16, buf, 16, o],
        ),
        ("symmetric_state_decrypt", vec![s, buf, 16, buf, 32, o]),
        (
            "symmetric_state_decrypt_detached",
            vec![s, buf, 16, buf, 16, buf, 16, o],
        ),
        ("symmetric_state_ratchet", vec![s]),
    ];
    for (name, args) in cases {
        assert_eq!(g.call(name, &args), E::InvalidOperation, "{name}");
    }
    assert_eq!(g.u32_at(o), 0);
    assert_eq!(nonce_of(&mut g, st, 32).0, E::OptionNotSet);
    // The failed calls did not touch the transcript: same output as a fresh twin.
    let twin = open(&mut g, None, None).unwrap();
    g.absorb(twin, &[0, 1]);
    g.squeeze(twin, 32).unwrap();
    g.squeeze(twin, 32).unwrap();
    g.squeeze(twin, 1000).unwrap();
    assert_eq!(g.squeeze(st, 40).unwrap(), g.squeeze(twin, 40).unwrap());
}

#[test]
fn keyed_known_answers_and_operation_set() {
    let mut g = Guest::new();
    // LWC_AEAD_KAT_128_128 Count 1 (PT and AD empty) and Count 35 (PT = 00, AD = 00).
    let st = kat_state(&mut g);
    assert_eq!(g.absorb(st, b""), E::Success);
    assert_eq!(
        encrypt(&mut g, st, b""),
        hex("4968DC9C714B06A98D1905C6447B4939")
    );
    let st = kat_state(&mut g);
    assert_eq!(g.absorb(st, &[0]), E::Success);
    let (r, ct, _) = crypt(&mut g, "symmetric_state_encrypt", st, &[0], 17);
    assert_eq!(r, E::Success);
    // Decrypting it on a peer state gives the plaintext back.
    let peer = kat_state(&mut g);
    g.absorb(peer, &[0]);
    let (r, pt, n) = crypt(&mut g, "symmetric_state_decrypt", peer, &ct, 1);
    assert_eq!((r, pt, n), (E::Success, vec![0], 1));

    // The full keyed set works.
    let st = kat_state(&mut g);
    let o = g.alloc(4);
    assert_eq!(
        g.call("symmetric_state_max_tag_len", &[st.into(), o]),
        E::Success
    );
    assert_eq!(g.u32_at(o), 16);
    assert_eq!(g.absorb(st, b"data"), E::Success);
    assert_eq!(g.squeeze(st, 100).unwrap().len(), 100);
    let t = squeeze_tag(&mut g, st).unwrap();
    assert_eq!(tag_pull(&mut g, t, 16).0, E::Success);
    assert_eq!(g.call("symmetric_state_ratchet", &[st.into()]), E::Success);
    squeeze_key(&mut g, st, "xoodyak-128").unwrap();
    let (r, _, _) = crypt(&mut g, "symmetric_state_encrypt_detached", st, b"abc", 3);
    assert_eq!(r, E::Success);
}

#[test]
fn spec_session_example_runs_identically_on_both_peers() {
    // The spec's "Session authenticated modes" example, run by a sender and a receiver.
    let mut g = Guest::new();
    let key = import_key(&mut g, &pattern(16)).unwrap();
    let run = |g: &mut Guest, sender: Option<&[u8]>| -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
        let st = open(g, Some(key), Some(b"session nonce")).unwrap();
        assert_eq!(g.absorb(st, b"data"), E::Success);
        let ct = match sender {
            None => encrypt(g, st, b"abcd"),
            Some(ct) => {
                let (r, pt, _) = crypt(g, "symmetric_state_decrypt", st, ct, ct.len() - 16);
                assert_eq!((r, pt.as_slice()), (E::Success, &b"abcd"[..]));
                ct.to_vec()
            }
        };
        assert_eq!(g.absorb(st, b"more data"), E::Success);
        let out = g.squeeze(st, 16).unwrap();
        let out2 = g.squeeze(st, 16).unwrap();
        assert_ne!(out, out2, "repeated squeezes continue the transcript");
        assert_eq!(g.call("symmetric_state_ratchet", &[st.into()]), E::Success);
        assert_eq!(g.absorb(st, b"more data"), E::Success);
        let next = squeeze_key(g, st, ALG).unwrap();
        (ct, out, out2, export_key(g, next))
    };
    let a = run(&mut g, None);
    let b = run(&mut g, Some(&a.0));
    assert_eq!(a, b);
    assert_eq!(a.0.len(), 20);
}

#[test]
fn nonce_option() {
    let mut g = Guest::new();
    let key = import_key(&mut g, &pattern(16)).unwrap();
    // |K| + |ID| ≤ Rkin − 1 = 43: at most 27 bytes with the 16-byte key.
    let st = open(&mut g, Some(key), Some(&pattern(27))).unwrap();
    assert_eq!(nonce_of(&mut g, st, 27), (E::Success, pattern(27)));
    assert_eq!(nonce_of(&mut g, st, 26).0, E::Overflow);
    assert_eq!(
        open(&mut g, Some(key), Some(&pattern(28))),
        Err(E::InvalidNonce)
    );
    assert_eq!(
        open(&mut g, Some(key), Some(&pattern(200))),
        Err(E::InvalidNonce)
    );
    // No nonce: the state opens (encryption is refused, see
    // `keyed_without_nonce_refuses_encryption_only`), none generated, option not set.
    let st = open(&mut g, Some(key), None).unwrap();
    assert_eq!(nonce_of(&mut g, st, 32).0, E::OptionNotSet);
    // The nonce is bound: another nonce, another ciphertext.
    let a = open(&mut g, Some(key), Some(&[1])).unwrap();
    let b = open(&mut g, Some(key), Some(&[2])).unwrap();
    assert_ne!(encrypt(&mut g, a, b"msg"), encrypt(&mut g, b, b"msg"));
    // Hash mode has no ID: a nonce there is refused, not ignored.
    assert_eq!(open(&mut g, None, Some(&[1; 16])), Err(E::InvalidNonce));
}

#[test]
fn ratchet_changes_later_output() {
    let mut g = Guest::new();
    let key = import_key(&mut g, &pattern(16)).unwrap();
    let a = open(&mut g, Some(key), Some(b"n")).unwrap();
    let b = open(&mut g, Some(key), Some(b"n")).unwrap();
    g.absorb(a, b"x");
    g.absorb(b, b"x");
    assert_eq!(g.call("symmetric_state_ratchet", &[b.into()]), E::Success);
    assert_ne!(g.squeeze(a, 32).unwrap(), g.squeeze(b, 32).unwrap());
    // A ratchet is not a squeeze: output after it differs from output after a plain squeeze.
    let c = open(&mut g, Some(key), Some(b"n")).unwrap();
    g.absorb(c, b"x");
    g.squeeze(c, 16).unwrap();
    assert_ne!(g.squeeze(b, 16).unwrap(), g.squeeze(c, 16).unwrap());
    // Both peers ratcheting stay in step.
    let d = open(&mut g, Some(key), Some(b"n")).unwrap();
    let e = open(&mut g, Some(key), Some(b"n")).unwrap();
    for st in [d, e] {
        g.absorb(st, b"x");
        assert_eq!(g.call("symmetric_state_ratchet", &[st.into()]), E::Success);
    }
    assert_eq!(g.squeeze(d, 32).unwrap(), g.squeeze(e, 32).unwrap());
}

#[test]
fn squeeze_key_yields_a_usable_xoodyak_key() {
    let mut g = Guest::new();
    let key = import_key(&mut g, &pattern(16)).unwrap();
    let a = open(&mut g, Some(key), Some(b"n")).unwrap();
    let b = open(&mut g, Some(key), Some(b"n")).unwrap();
    // Targets other than XOODYAK-128 are refused, and the transcript is not advanced.
    assert_eq!(
        squeeze_key(&mut g, a, "SHA-256"),
        Err(E::UnsupportedAlgorithm)
    );
    assert_eq!(
        squeeze_key(&mut g, a, "NOPE-1"),
        Err(E::UnsupportedAlgorithm)
    );
    let ka = squeeze_key(&mut g, a, ALG).unwrap();
    let kb = squeeze_key(&mut g, b, "Xoodyak-128").unwrap();
    let raw = export_key(&mut g, ka);
    assert_eq!(raw.len(), 16);
    assert_eq!(raw, export_key(&mut g, kb));
    assert_ne!(raw, pattern(16));
    // The derived keys resume a session; encrypting needs a nonce even under a fresh key.
    let sa = open(&mut g, Some(ka), None).unwrap();
    let (r, _, _) = crypt(&mut g, "symmetric_state_encrypt", sa, b"resumed", 23);
    assert_eq!(r, E::NonceRequired);
    let sa = open(&mut g, Some(ka), Some(b"resume")).unwrap();
    let sb = open(&mut g, Some(kb), Some(b"resume")).unwrap();
    let ct = encrypt(&mut g, sa, b"resumed");
    let (r, pt, _) = crypt(&mut g, "symmetric_state_decrypt", sb, &ct, 7);
    assert_eq!((r, pt.as_slice()), (E::Success, &b"resumed"[..]));
    // Squeezing a key moved the transcript on: the states no longer match a fresh one.
    let fresh = open(&mut g, Some(key), Some(b"n")).unwrap();
    assert_ne!(g.squeeze(a, 16).unwrap(), g.squeeze(fresh, 16).unwrap());
}

#[test]
fn clone_rules() {
    let mut g = Guest::new();
    // Unkeyed: a deep copy.
    let st = open(&mut g, None, None).unwrap();
    g.absorb(st, b"ab");
    let cl = clone(&mut g, st).unwrap();
    assert_ne!(cl, st);
    g.absorb(cl, b"c");
    g.absorb(st, b"X");
    let mut twin = Guest::new();
    let t = open(&mut twin, None, None).unwrap();
    twin.absorb(t, b"ab");
    twin.absorb(t, b"c");
    let want = twin.squeeze(t, 32).unwrap();
    assert_eq!(g.squeeze(cl, 32).unwrap(), want);
    close(&mut g, st);
    assert_eq!(
        g.squeeze(cl, 8).unwrap().len(),
        8,
        "clone outlives original"
    );
    // Keyed: could encrypt, so a clone would fork the keystream.
    let key = import_key(&mut g, &pattern(16)).unwrap();
    let ks = open(&mut g, Some(key), Some(b"n")).unwrap();
    assert_eq!(clone(&mut g, ks), Err(E::ProhibitedOperation));
    let ks = open(&mut g, Some(key), None).unwrap();
    assert_eq!(clone(&mut g, ks), Err(E::ProhibitedOperation));
}

#[test]
fn tags_pull_and_verify() {
    let mut g = Guest::new();
    let key = import_key(&mut g, &pattern(16)).unwrap();
    let a = open(&mut g, Some(key), Some(b"n")).unwrap();
    let b = open(&mut g, Some(key), Some(b"n")).unwrap();
    g.absorb(a, b"msg");
    g.absorb(b, b"msg");
    let ta = squeeze_tag(&mut g, a).unwrap();
    let tb = squeeze_tag(&mut g, b).unwrap();
    let len = g.alloc(4);
    assert_eq!(g.call("symmetric_tag_len", &[ta.into(), len]), E::Success);
    assert_eq!(g.u32_at(len), 16);
    // Pull: too small overflow, too large invalid_length, both leave it open.
    assert_eq!(tag_pull(&mut g, ta, 15).0, E::Overflow);
    assert_eq!(tag_pull(&mut g, ta, 17).0, E::InvalidLength);
    let (r, raw) = tag_pull(&mut g, ta, 16);
    assert_eq!(r, E::Success);
    assert_eq!(
        tag_pull(&mut g, ta, 16).0,
        E::InvalidHandle,
        "closed by pull"
    );
    // Verify on the peer's tag: constant-time, exact length only.
    assert_eq!(tag_verify(&mut g, tb, &raw[..15]), E::InvalidTag);
    assert_eq!(tag_verify(&mut g, tb, &[]), E::InvalidTag);
    let mut long = raw.clone();
    long.push(0);
    assert_eq!(tag_verify(&mut g, tb, &long), E::InvalidTag);
    let mut flipped = raw.clone();
    flipped[0] ^= 1;
    assert_eq!(tag_verify(&mut g, tb, &flipped), E::InvalidTag);
    assert_eq!(tag_verify(&mut g, tb, &raw), E::Success);
    // Squeezing a tag leaves the state usable, and the next tag differs.
    let t2 = squeeze_tag(&mut g, a).unwrap();
    assert_eq!(tag_verify(&mut g, t2, &raw), E::InvalidTag);
}

#[test]
fn encrypt_output_sizes_and_repeated_encryption() {
    let mut g = Guest::new();
    let key = import_key(&mut g, &pattern(16)).unwrap();
    let st = open(&mut g, Some(key), Some(b"n")).unwrap();
    let twin = open(&mut g, Some(key), Some(b"n")).unwrap();
    let pt = pattern(30);
    for name in [
        "symmetric_state_encrypt",
        "symmetric_state_encrypt_detached",
    ] {
        let exact = if name == "symmetric_state_encrypt" {
            46
        } else {
            30
        };
        let (r, out, _) = crypt(&mut g, name, st, &pt, exact - 1);
        assert_eq!(r, E::Overflow, "{name}");
        assert!(out.iter().all(|&b| b == 0xa5), "nothing written");
        let (r, _, _) = crypt(&mut g, name, st, &pt, exact + 1);
        assert_eq!(r, E::InvalidLength, "{name}");
    }
    // Size errors left the transcript alone; the same state encrypts many times, each
    // message under a new part of the transcript.
    let c1 = encrypt(&mut g, st, &pt);
    assert_eq!(c1, encrypt(&mut g, twin, &pt));
    let c2 = encrypt(&mut g, st, &pt);
    assert_ne!(c1, c2);
    // Detached = attached, split.
    let (r, body, tag) = crypt(&mut g, "symmetric_state_encrypt_detached", twin, &pt, 30);
    assert_eq!(r, E::Success);
    assert_eq!(body, c2[..30]);
    let (r, raw) = tag_pull(&mut g, tag, 16);
    assert_eq!(r, E::Success);
    assert_eq!(raw, c2[30..]);
}

#[test]
fn in_place_encryption_matches() {
    let mut g = Guest::new();
    let key = import_key(&mut g, &pattern(16)).unwrap();
    let a = open(&mut g, Some(key), Some(b"n")).unwrap();
    let b = open(&mut g, Some(key), Some(b"n")).unwrap();
    let pt = pattern(40);
    let want = encrypt(&mut g, a, &pt);
    // Output starts where the input starts (overlapping buffers).
    let buf = g.alloc(56);
    g.mem[buf as usize..buf as usize + 40].copy_from_slice(&pt);
    let res = g.alloc(4);
    assert_eq!(
        g.call(
            "symmetric_state_encrypt",
            &[b.into(), buf, 56, buf, 40, res]
        ),
        E::Success
    );
    assert_eq!(g.bytes_at(buf, 56), want);
}

#[test]
fn bad_tag_is_invalid_tag_with_zeroed_output_and_a_dead_state() {
    let mut g = Guest::new();
    let key = import_key(&mut g, &pattern(16)).unwrap();
    let s = open(&mut g, Some(key), Some(b"n")).unwrap();
    let ct = encrypt(&mut g, s, b"attack at dawn");

    // Wrong output sizes first: overflow / invalid_length, nothing processed.
    let r = open(&mut g, Some(key), Some(b"n")).unwrap();
    let (e, _, _) = crypt(&mut g, "symmetric_state_decrypt", r, &ct, 13);
    assert_eq!(e, E::Overflow);
    let (e, _, _) = crypt(&mut g, "symmetric_state_decrypt", r, &ct, 15);
    assert_eq!(e, E::InvalidLength);
    // Shorter than a tag: cannot verify (invalid_tag), output zeroed, state intact.
    let (e, out, _) = crypt(&mut g, "symmetric_state_decrypt", r, &ct[..15], 4);
    assert_eq!((e, out), (E::InvalidTag, vec![0; 4]));
    // Detached tag of the wrong length: invalid_tag, output zeroed, state intact.
    for bad_len in [0, 15, 17, 64] {
        let (e, out) = decrypt_detached(&mut g, r, &ct[..14], &vec![0; bad_len], 14);
        assert_eq!((e, out), (E::InvalidTag, vec![0; 14]), "tag of {bad_len}");
    }
    let (e, pt) = decrypt_detached(&mut g, r, &ct[..14], &ct[14..], 14);
    assert_eq!((e, pt.as_slice()), (E::Success, &b"attack at dawn"[..]));

    // A flipped bit (in the tag, then in the body): invalid_tag — never overflow (peers
    // wrong) — with the whole output zeroed; the state is wiped and refuses further use.
    for i in [ct.len() - 1, 0] {
        let r = open(&mut g, Some(key), Some(b"n")).unwrap();
        let mut bad = ct.clone();
        bad[i] ^= 0x80;
        let (e, out, _) = crypt(&mut g, "symmetric_state_decrypt", r, &bad, 14);
        assert_eq!((e, out), (E::InvalidTag, vec![0; 14]), "flip at {i}");
        assert_eq!(g.absorb(r, b"x"), E::ProhibitedOperation);
        assert_eq!(g.squeeze(r, 16), Err(E::ProhibitedOperation));
        assert_eq!(squeeze_tag(&mut g, r), Err(E::ProhibitedOperation));
        assert_eq!(squeeze_key(&mut g, r, ALG), Err(E::ProhibitedOperation));
        assert_eq!(
            g.call("symmetric_state_ratchet", &[r.into()]),
            E::ProhibitedOperation
        );
        let (e, _, _) = crypt(&mut g, "symmetric_state_encrypt", r, b"x", 17);
        assert_eq!(e, E::ProhibitedOperation);
        let (e, _, _) = crypt(&mut g, "symmetric_state_decrypt", r, &ct, 14);
        assert_eq!(e, E::ProhibitedOperation, "no second attempt");
        assert_eq!(clone(&mut g, r), Err(E::ProhibitedOperation));
        assert_eq!(nonce_of(&mut g, r, 8), (E::Success, b"n".to_vec()));
        close(&mut g, r);
    }

    // Detached with a wrong tag value.
    let r = open(&mut g, Some(key), Some(b"n")).unwrap();
    let mut tag = ct[14..].to_vec();
    tag[3] ^= 1;
    let (e, out) = decrypt_detached(&mut g, r, &ct[..14], &tag, 14);
    assert_eq!((e, out), (E::InvalidTag, vec![0; 14]));
    assert_eq!(g.squeeze(r, 4), Err(E::ProhibitedOperation));
}

/// The independent Cyclist of the `xoodyak` crate, opened like a state: `Cyclist(K, ID, ε)`.
fn oracle(key: &[u8], nonce: Option<&[u8]>) -> xoodyak::XoodyakKeyed {
    xoodyak::XoodyakKeyed::new(key, nonce, None, None).expect("oracle key and nonce")
}

/// The 16 bytes of a tag handle (pulling closes it).
fn tag_bytes(g: &mut Guest, tag: u32) -> Vec<u8> {
    let (r, raw) = tag_pull(g, tag, 16);
    assert_eq!(r, E::Success);
    raw
}

#[test]
fn keyed_without_nonce_refuses_encryption_only() {
    use xoodyak::XoodyakCommon as _;

    let mut g = Guest::new();
    let raw_key = pattern(16);
    let key = import_key(&mut g, &raw_key).unwrap();
    let st = open(&mut g, Some(key), None).unwrap();
    let mut want = oracle(&raw_key, None);

    // encrypt / encrypt_detached: nonce_required, whatever the sizes, before anything is
    // written; the result word stays 0 and no tag handle is created.
    for (name, lens) in [
        ("symmetric_state_encrypt", [19, 18, 20]),
        ("symmetric_state_encrypt_detached", [3, 2, 4]),
    ] {
        for out_len in lens {
            let (r, out, res) = crypt(&mut g, name, st, b"abc", out_len);
            assert_eq!(r, E::NonceRequired, "{name} into {out_len}");
            assert!(out.iter().all(|&b| b == 0xa5), "{name}: nothing written");
            assert_eq!(res, 0, "{name}: no result");
        }
        let (r, out, _) = crypt(&mut g, name, st, b"", 16);
        assert_eq!(r, E::NonceRequired, "{name} of nothing");
        assert!(out.iter().all(|&b| b == 0xa5));
    }

    // Everything else works, and the refused calls did not move the transcript: every output
    // equals the independent implementation's over the same transcript.
    assert_eq!(g.absorb(st, b"associated"), E::Success);
    want.absorb(b"associated");
    let mut x = [0u8; 50];
    want.squeeze(&mut x);
    assert_eq!(g.squeeze(st, 50).unwrap(), x, "squeeze (3 blocks)");

    let t = squeeze_tag(&mut g, st).unwrap();
    let mut x = [0u8; 16];
    want.squeeze(&mut x);
    assert_eq!(tag_bytes(&mut g, t), x, "squeeze_tag");

    let k = squeeze_key(&mut g, st, ALG).unwrap();
    let mut x = [0u8; 16];
    want.squeeze_key(&mut x);
    assert_eq!(export_key(&mut g, k), x, "squeeze_key");

    assert_eq!(g.call("symmetric_state_ratchet", &[st.into()]), E::Success);
    want.ratchet();

    // Decryption of what a nonce-less Cyclist peer sent: Encrypt(P) · Squeeze(16).
    let pt = b"from a peer without an ID";
    let mut sender = want.clone();
    let mut ct = vec![0u8; pt.len()];
    sender.encrypt(&mut ct, pt).unwrap();
    let mut tag = [0u8; 16];
    sender.squeeze(&mut tag);
    let mut sealed = ct.clone();
    sealed.extend_from_slice(&tag);
    let (r, got, n) = crypt(&mut g, "symmetric_state_decrypt", st, &sealed, pt.len());
    assert_eq!(
        (r, got.as_slice(), n as usize),
        (E::Success, &pt[..], pt.len())
    );
    want = sender;
    let mut ct = vec![0u8; 7];
    want.encrypt(&mut ct, b"second!").unwrap();
    let mut tag = [0u8; 16];
    want.squeeze(&mut tag);
    let (r, got) = decrypt_detached(&mut g, st, &ct, &tag, 7);
    assert_eq!((r, got.as_slice()), (E::Success, &b"second!"[..]));
    let mut x = [0u8; 30];
    want.squeeze(&mut x);
    assert_eq!(g.squeeze(st, 30).unwrap(), x, "transcript after decrypts");

    // Still refused after all that; a failed state answers prohibited_operation first.
    let (r, _, _) = crypt(&mut g, "symmetric_state_encrypt", st, b"abc", 19);
    assert_eq!(r, E::NonceRequired);
    let (r, _, _) = crypt(&mut g, "symmetric_state_decrypt", st, &[0u8; 17], 1);
    assert_eq!(r, E::InvalidTag);
    let (r, _, _) = crypt(&mut g, "symmetric_state_encrypt", st, b"abc", 19);
    assert_eq!(r, E::ProhibitedOperation);

    // Two states opened without a nonce under one key would share a keystream; with nonces
    // set, each encrypts, and an explicitly set empty nonce counts as one (ID = ε).
    for nonce in [&b""[..], b"n1"] {
        let st = open(&mut g, Some(key), Some(nonce)).unwrap();
        let mut o = oracle(&raw_key, Some(nonce));
        let mut x = vec![0u8; 3];
        o.encrypt(&mut x, b"abc").unwrap();
        let mut tag = [0u8; 16];
        o.squeeze(&mut tag);
        x.extend_from_slice(&tag);
        assert_eq!(encrypt(&mut g, st, b"abc"), x, "nonce {nonce:?}");
    }
}

/// One step of a random transcript.
#[derive(Clone, Debug)]
enum Op {
    Absorb(Vec<u8>),
    Squeeze(usize),
    SqueezeTag,
    SqueezeKey,
    Ratchet,
    Encrypt(Vec<u8>),
    EncryptDetached(Vec<u8>),
    Decrypt(Vec<u8>),
}

fn op() -> impl Strategy<Value = Op> {
    let bytes = |max| prop::collection::vec(any::<u8>(), 0..max);
    // Crypt inputs are never empty: the oracle crate runs no Crypt block for an empty
    // message, where the Xoodyak specification (and the LWC KATs' 33 empty-plaintext cases,
    // checked in testvectors/tests/xoodyak_kats.rs) run one empty block.
    let msg = || prop::collection::vec(any::<u8>(), 1..80);
    prop_oneof![
        3 => bytes(100).prop_map(Op::Absorb),
        3 => (0usize..=100).prop_map(Op::Squeeze),
        1 => Just(Op::SqueezeTag),
        1 => Just(Op::SqueezeKey),
        2 => Just(Op::Ratchet),
        1 => msg().prop_map(Op::Encrypt),
        1 => msg().prop_map(Op::EncryptDetached),
        1 => msg().prop_map(Op::Decrypt),
    ]
}

/// Runs `ops` on a keyed state (`key`, optional `nonce`) through the ABI and on the `xoodyak`
/// crate, asserting every output equal. Without a nonce, encryption must be `nonce_required`
/// and leave the transcript alone.
fn keyed_transcript_matches_oracle(key: &[u8], nonce: Option<&[u8]>, ops: &[Op]) {
    use xoodyak::XoodyakCommon as _;

    let mut g = Guest::new();
    let k = import_key(&mut g, key).unwrap();
    let st = open(&mut g, Some(k), nonce).unwrap();
    let mut want = oracle(key, nonce);
    for (i, op) in ops.iter().enumerate() {
        let at = format!("op {i} {op:?}");
        match op {
            Op::Absorb(data) => {
                assert_eq!(g.absorb(st, data), E::Success, "{at}");
                want.absorb(data);
            }
            Op::Squeeze(n) => {
                let mut x = vec![0u8; *n];
                want.squeeze(&mut x);
                assert_eq!(g.squeeze(st, *n).unwrap(), x, "{at}");
            }
            Op::SqueezeTag => {
                let mut x = [0u8; 16];
                want.squeeze(&mut x);
                let t = squeeze_tag(&mut g, st).unwrap();
                assert_eq!(tag_bytes(&mut g, t), x, "{at}");
            }
            Op::SqueezeKey => {
                let mut x = [0u8; 16];
                want.squeeze_key(&mut x);
                let nk = squeeze_key(&mut g, st, ALG).unwrap();
                assert_eq!(export_key(&mut g, nk), x, "{at}");
            }
            Op::Ratchet => {
                assert_eq!(
                    g.call("symmetric_state_ratchet", &[st.into()]),
                    E::Success,
                    "{at}"
                );
                want.ratchet();
            }
            Op::Encrypt(pt) | Op::EncryptDetached(pt) => {
                let detached = matches!(op, Op::EncryptDetached(_));
                let (name, out_len) = if detached {
                    ("symmetric_state_encrypt_detached", pt.len())
                } else {
                    ("symmetric_state_encrypt", pt.len() + 16)
                };
                let (r, out, res) = crypt(&mut g, name, st, pt, out_len);
                if nonce.is_none() {
                    assert_eq!(r, E::NonceRequired, "{at}");
                    continue;
                }
                assert_eq!(r, E::Success, "{at}");
                let mut x = vec![0u8; pt.len()];
                want.encrypt(&mut x, pt).unwrap();
                let mut tag = [0u8; 16];
                want.squeeze(&mut tag);
                if detached {
                    assert_eq!(out, x, "{at}: ciphertext");
                    assert_eq!(tag_bytes(&mut g, res), tag, "{at}: tag");
                } else {
                    x.extend_from_slice(&tag);
                    assert_eq!(out, x, "{at}");
                }
            }
            Op::Decrypt(pt) => {
                let mut sealed = vec![0u8; pt.len()];
                want.encrypt(&mut sealed, pt).unwrap();
                let mut tag = [0u8; 16];
                want.squeeze(&mut tag);
                sealed.extend_from_slice(&tag);
                let (r, out, n) = crypt(&mut g, "symmetric_state_decrypt", st, &sealed, pt.len());
                assert_eq!((r, n as usize), (E::Success, pt.len()), "{at}");
                assert_eq!(&out, pt, "{at}");
            }
        }
    }
    // One more squeeze over two blocks pins the final state.
    let mut x = [0u8; 49];
    want.squeeze(&mut x);
    assert_eq!(g.squeeze(st, 49).unwrap(), x, "final state");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Random keyed transcripts (absorb, squeezes of any length, tags, keys, ratchets,
    /// encryption and decryption) against the independent `xoodyak` crate, with a nonce of
    /// 0..=27 bytes or none.
    #[test]
    fn keyed_transcripts_match_the_xoodyak_crate(
        key in prop::array::uniform16(any::<u8>()),
        nonce in prop::option::of(prop::collection::vec(any::<u8>(), 0..=27)),
        ops in prop::collection::vec(op(), 0..24),
    ) {
        keyed_transcript_matches_oracle(&key, nonce.as_deref(), &ops);
    }

    /// Random unkeyed (hash-mode) transcripts of absorbs and squeezes against the crate's
    /// `XoodyakHash`.
    #[test]
    fn hash_transcripts_match_the_xoodyak_crate(
        ops in prop::collection::vec(
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..100).prop_map(Ok),
                (0usize..=100).prop_map(Err),
            ],
            0..24,
        ),
    ) {
        use xoodyak::XoodyakCommon as _;
        let mut g = Guest::new();
        let st = open(&mut g, None, None).unwrap();
        let mut want = xoodyak::XoodyakHash::new();
        for op in &ops {
            match op {
                Ok(data) => {
                    prop_assert_eq!(g.absorb(st, data), E::Success);
                    want.absorb(data);
                }
                Err(n) => {
                    let mut x = vec![0u8; *n];
                    want.squeeze(&mut x);
                    prop_assert_eq!(g.squeeze(st, *n).unwrap(), x);
                }
            }
        }
    }
}
