//! The behaviour contract (`docs/contract.md`) for HMAC and HKDF, driven through the ABI table
//! exactly as an engine binding calls it: key rules, tags, squeeze_key targets, limits. Every
//! case asserts the exact errno and, where it matters, that nothing was written.

mod support;

use support::{Guest, hex};
use wasmcrypt_core::{Config, CryptoErrno as E};

const HMACS: [(&str, usize); 3] = [
    ("HMAC/SHA-256", 32),
    ("HMAC/SHA-384", 48),
    ("HMAC/SHA-512", 64),
];
const EXTRACTS: [(&str, usize); 2] = [("HKDF-EXTRACT/SHA-256", 32), ("HKDF-EXTRACT/SHA-512", 64)];
const EXPANDS: [(&str, usize); 2] = [("HKDF-EXPAND/SHA-256", 32), ("HKDF-EXPAND/SHA-512", 64)];

// RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
const JEFE_DATA: &[u8] = b"what do ya want for nothing?";
const JEFE_256: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
const JEFE_384: &str = "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e\
                        8e2240ca5e69e2c78b3239ecfab21649";
const JEFE_512: &str = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
                        9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";

// RFC 5869 A.1 and A.3 (SHA-256).
const A1_IKM: &str = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
const A1_SALT: &str = "000102030405060708090a0b0c";
const A1_INFO: &str = "f0f1f2f3f4f5f6f7f8f9";
const A1_PRK: &str = "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5";
const A1_OKM: &str = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf\
                      34007208d5b887185865";
const A3_PRK: &str = "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04";
const A3_OKM: &str = "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d\
                      9d201395faa4b61a96c8";

/// `symmetric_key_import`.
fn import(g: &mut Guest, alg: &str, raw: &[u8]) -> Result<u32, E> {
    let (ap, al) = g.put(alg.as_bytes());
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

/// `symmetric_key_generate` without options.
fn generate(g: &mut Guest, alg: &str) -> Result<u32, E> {
    let (ap, al) = g.put(alg.as_bytes());
    let none = g.opt(None);
    let out = g.alloc(4);
    match g.call("symmetric_key_generate", &[ap, al, none, out]) {
        E::Success => Ok(g.u32_at(out)),
        e => Err(e),
    }
}

/// `symmetric_key_export`, then the whole array output pulled.
fn export(g: &mut Guest, key: u32) -> Vec<u8> {
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_key_export", &[key.into(), out]),
        E::Success
    );
    let ao = g.u32_at(out);
    assert_eq!(g.call("array_output_len", &[ao.into(), out]), E::Success);
    let len = g.u32_at(out) as usize;
    let buf = g.alloc(len);
    assert_eq!(
        g.call("array_output_pull", &[ao.into(), buf, len as u64, out]),
        E::Success
    );
    assert_eq!(g.u32_at(out) as usize, len);
    g.bytes_at(buf, len)
}

/// `symmetric_state_open` with an optional key and no options.
fn open(g: &mut Guest, alg: &str, key: Option<u32>) -> Result<u32, E> {
    let (ap, al) = g.put(alg.as_bytes());
    let k = g.opt(key);
    let none = g.opt(None);
    let out = g.alloc(4);
    match g.call("symmetric_state_open", &[ap, al, k, none, out]) {
        E::Success => Ok(g.u32_at(out)),
        e => {
            assert_eq!(g.u32_at(out), 0, "no handle written on error");
            Err(e)
        }
    }
}

/// Imports `raw` for `alg` and opens a state with it.
fn keyed(g: &mut Guest, alg: &str, raw: &[u8]) -> u32 {
    let k = import(g, alg, raw).unwrap();
    open(g, alg, Some(k)).unwrap()
}

fn squeeze_tag(g: &mut Guest, st: u32) -> Result<u32, E> {
    let out = g.alloc(4);
    match g.call("symmetric_state_squeeze_tag", &[st.into(), out]) {
        E::Success => Ok(g.u32_at(out)),
        e => Err(e),
    }
}

fn tag_len(g: &mut Guest, tag: u32) -> Result<usize, E> {
    let out = g.alloc(4);
    match g.call("symmetric_tag_len", &[tag.into(), out]) {
        E::Success => Ok(g.u32_at(out) as usize),
        e => Err(e),
    }
}

/// `symmetric_tag_pull` into a buffer of `n` bytes.
fn tag_pull(g: &mut Guest, tag: u32, n: usize) -> Result<Vec<u8>, E> {
    let buf = g.alloc(n);
    let out = g.alloc(4);
    match g.call("symmetric_tag_pull", &[tag.into(), buf, n as u64, out]) {
        E::Success => {
            assert_eq!(g.u32_at(out) as usize, n);
            Ok(g.bytes_at(buf, n))
        }
        e => {
            assert_eq!(g.bytes_at(buf, n), vec![0; n], "nothing written on error");
            Err(e)
        }
    }
}

fn tag_verify(g: &mut Guest, tag: u32, expected: &[u8]) -> E {
    let (p, l) = g.put(expected);
    g.call("symmetric_tag_verify", &[tag.into(), p, l])
}

/// The full tag over everything absorbed so far.
fn tag_of(g: &mut Guest, st: u32) -> Vec<u8> {
    let t = squeeze_tag(g, st).unwrap();
    let n = tag_len(g, t).unwrap();
    tag_pull(g, t, n).unwrap()
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

fn clone_state(g: &mut Guest, st: u32) -> u32 {
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_state_clone", &[st.into(), out]),
        E::Success
    );
    g.u32_at(out)
}

#[test]
fn key_import_sizes() {
    let mut g = Guest::new();
    for (alg, _) in HMACS.iter().chain(&EXTRACTS) {
        for len in [0usize, 1, 16, 32, 64, 65, 129, 300] {
            assert!(import(&mut g, alg, &vec![0x5a; len]).is_ok(), "{alg} {len}");
        }
    }
    for (alg, n) in EXPANDS {
        assert_eq!(import(&mut g, alg, &[]), Err(E::InvalidKey), "{alg} empty");
        assert_eq!(
            import(&mut g, alg, &vec![1; n - 1]),
            Err(E::InvalidKey),
            "{alg} short"
        );
        assert!(import(&mut g, alg, &vec![1; n]).is_ok(), "{alg}");
        assert!(import(&mut g, alg, &vec![1; n + 100]).is_ok(), "{alg}");
    }
    // Names fold case; unknown ones do not resolve.
    assert!(import(&mut g, "hmac/sha-256", b"k").is_ok());
    assert!(import(&mut g, "Hkdf-Expand/Sha-512", &[2; 64]).is_ok());
    assert_eq!(
        import(&mut g, "HMAC/SHA-1", b"k"),
        Err(E::UnsupportedAlgorithm)
    );
    assert_eq!(
        import(&mut g, "HKDF-EXPAND/SHA-384", &[0; 48]),
        Err(E::UnsupportedAlgorithm)
    );
}

#[test]
fn generated_key_sizes() {
    let mut g = Guest::with_rng(Config::default());
    for (alg, n) in HMACS.iter().chain(&EXTRACTS).chain(&EXPANDS) {
        let a = generate(&mut g, alg).unwrap();
        let b = generate(&mut g, alg).unwrap();
        let (ka, kb) = (export(&mut g, a), export(&mut g, b));
        assert_eq!(ka.len(), *n, "{alg}");
        assert_eq!(kb.len(), *n, "{alg}");
        assert_ne!(ka, kb, "{alg}: two generated keys differ");
        // A generated key opens a state of its algorithm.
        assert!(open(&mut g, alg, Some(a)).is_ok(), "{alg}");
    }
    // A deterministic context cannot generate.
    let mut det = Guest::new();
    assert_eq!(
        generate(&mut det, "HMAC/SHA-256"),
        Err(E::UnsupportedFeature)
    );
}

#[test]
fn open_requires_a_key_of_the_same_algorithm() {
    let mut g = Guest::new();
    for (alg, _) in HMACS.iter().chain(&EXTRACTS).chain(&EXPANDS) {
        assert_eq!(open(&mut g, alg, None), Err(E::KeyRequired), "{alg}");
    }
    let hmac256 = import(&mut g, "HMAC/SHA-256", &[1; 32]).unwrap();
    let hmac512 = import(&mut g, "HMAC/SHA-512", &[1; 64]).unwrap();
    let extract256 = import(&mut g, "HKDF-EXTRACT/SHA-256", &[1; 32]).unwrap();
    let expand256 = import(&mut g, "HKDF-EXPAND/SHA-256", &[1; 32]).unwrap();
    let expand512 = import(&mut g, "HKDF-EXPAND/SHA-512", &[1; 64]).unwrap();
    for (alg, key) in [
        ("HMAC/SHA-512", hmac256),
        ("HMAC/SHA-384", hmac512),
        ("HMAC/SHA-256", extract256),
        ("HKDF-EXTRACT/SHA-256", hmac256),
        ("HKDF-EXTRACT/SHA-256", expand256),
        ("HKDF-EXPAND/SHA-256", extract256),
        ("HKDF-EXPAND/SHA-256", expand512),
        ("HKDF-EXPAND/SHA-512", hmac512),
    ] {
        assert_eq!(open(&mut g, alg, Some(key)), Err(E::InvalidKey), "{alg}");
    }
    // A hash takes no key at all.
    assert_eq!(
        open(&mut g, "SHA-256", Some(hmac256)),
        Err(E::KeyNotSupported)
    );
    // A closed key handle is rejected; a state opened before the close lives on.
    let st = open(&mut g, "HMAC/SHA-256", Some(hmac256)).unwrap();
    assert_eq!(g.call("symmetric_key_close", &[hmac256.into()]), E::Success);
    assert_eq!(
        open(&mut g, "HMAC/SHA-256", Some(hmac256)),
        Err(E::InvalidHandle)
    );
    assert_eq!(g.absorb(st, b"x"), E::Success);
    assert!(squeeze_tag(&mut g, st).is_ok());
}

#[test]
fn hmac_known_answers_and_tag_lengths() {
    let mut g = Guest::new();
    for ((alg, n), want) in HMACS.iter().zip([JEFE_256, JEFE_384, JEFE_512]) {
        let st = keyed(&mut g, alg, b"Jefe");
        assert_eq!(g.absorb(st, &JEFE_DATA[..10]), E::Success);
        assert_eq!(g.absorb(st, b""), E::Success);
        assert_eq!(g.absorb(st, &JEFE_DATA[10..]), E::Success);
        let t = squeeze_tag(&mut g, st).unwrap();
        assert_eq!(tag_len(&mut g, t), Ok(*n));
        assert_eq!(tag_pull(&mut g, t, *n).unwrap(), hex(want), "{alg}");
    }
    // Keys longer than a block are hashed first (RFC 4231 test case 6, SHA-256).
    let st = keyed(&mut g, "HMAC/SHA-256", &[0xaa; 131]);
    g.absorb(
        st,
        b"Test Using Larger Than Block-Size Key - Hash Key First",
    );
    assert_eq!(
        tag_of(&mut g, st),
        hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    );
}

#[test]
fn squeeze_tag_keeps_the_state_absorbing() {
    let mut g = Guest::new();
    for (alg, _) in HMACS {
        let st = keyed(&mut g, alg, b"key");
        g.absorb(st, b"a");
        let tag_a = tag_of(&mut g, st);
        // The same tag again: squeezing did not finalize.
        assert_eq!(tag_of(&mut g, st), tag_a, "{alg}");
        g.absorb(st, b"b");
        let tag_ab = tag_of(&mut g, st);
        assert_ne!(
            tag_a, tag_ab,
            "{alg}: different transcripts, different tags"
        );
        // Tag over "ab" in one piece from a fresh state equals the tag over "a" + "b".
        let fresh = keyed(&mut g, alg, b"key");
        g.absorb(fresh, b"ab");
        assert_eq!(tag_of(&mut g, fresh), tag_ab, "{alg}");
        // A different key gives a different tag.
        let other = keyed(&mut g, alg, b"kez");
        g.absorb(other, b"ab");
        assert_ne!(tag_of(&mut g, other), tag_ab, "{alg}");
    }
}

#[test]
fn tag_verify_and_pull_rules() {
    let mut g = Guest::new();
    let st = keyed(&mut g, "HMAC/SHA-256", b"Jefe");
    g.absorb(st, JEFE_DATA);
    let want = hex(JEFE_256);
    let t = squeeze_tag(&mut g, st).unwrap();
    // Verification compares the whole tag; any other length is invalid_tag.
    assert_eq!(tag_verify(&mut g, t, &want), E::Success);
    assert_eq!(tag_verify(&mut g, t, &want), E::Success, "verify keeps it");
    let mut flipped = want.clone();
    flipped[31] ^= 1;
    assert_eq!(tag_verify(&mut g, t, &flipped), E::InvalidTag);
    flipped = want.clone();
    flipped[0] ^= 0x80;
    assert_eq!(tag_verify(&mut g, t, &flipped), E::InvalidTag);
    assert_eq!(tag_verify(&mut g, t, &[]), E::InvalidTag, "empty tag");
    assert_eq!(tag_verify(&mut g, t, &want[..16]), E::InvalidTag, "prefix");
    assert_eq!(tag_verify(&mut g, t, &want[..31]), E::InvalidTag);
    let mut longer = want.clone();
    longer.push(0);
    assert_eq!(tag_verify(&mut g, t, &longer), E::InvalidTag);
    // Pull: too small overflow, too large invalid_length; the tag stays open on error.
    assert_eq!(tag_pull(&mut g, t, 0), Err(E::Overflow));
    assert_eq!(tag_pull(&mut g, t, 31), Err(E::Overflow));
    assert_eq!(tag_pull(&mut g, t, 33), Err(E::InvalidLength));
    assert_eq!(tag_pull(&mut g, t, 64), Err(E::InvalidLength));
    assert_eq!(tag_len(&mut g, t), Ok(32));
    assert_eq!(tag_pull(&mut g, t, 32).unwrap(), want);
    // Success closed it.
    assert_eq!(tag_len(&mut g, t), Err(E::InvalidHandle));
    assert_eq!(tag_verify(&mut g, t, &want), E::InvalidHandle);
    assert_eq!(
        g.call("symmetric_tag_close", &[t.into()]),
        E::Closed,
        "closing an already-closed handle"
    );
    // An explicitly closed tag.
    let t2 = squeeze_tag(&mut g, st).unwrap();
    assert_eq!(g.call("symmetric_tag_close", &[t2.into()]), E::Success);
    assert_eq!(g.call("symmetric_tag_close", &[t2.into()]), E::Closed);
    assert_eq!(tag_verify(&mut g, t2, &want), E::InvalidHandle);
}

#[test]
fn operations_a_mac_or_kdf_lacks_are_invalid_operation() {
    let mut g = Guest::new();
    let o = g.alloc(8);
    let buf = g.alloc(64);
    let (ap, al) = g.put(b"HKDF-EXPAND/SHA-256");
    let (up, ul) = g.put(b"NO-SUCH-ALG");
    let mac = u64::from(keyed(&mut g, "HMAC/SHA-256", &[3; 32]));
    let extract = u64::from(keyed(&mut g, "HKDF-EXTRACT/SHA-256", &[3; 32]));
    let expand = u64::from(keyed(&mut g, "HKDF-EXPAND/SHA-256", &[3; 32]));
    let mut cases: Vec<(&str, Vec<u64>)> = Vec::new();
    for st in [mac, extract, expand] {
        cases.extend([
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
        ]);
    }
    cases.extend([
        // MAC: no squeeze, no squeeze_key (whatever the name).
        ("symmetric_state_squeeze", vec![mac, buf, 32]),
        ("symmetric_state_squeeze", vec![mac, buf, 0]),
        ("symmetric_state_squeeze_key", vec![mac, ap, al, o]),
        ("symmetric_state_squeeze_key", vec![mac, up, ul, o]),
        // EXTRACT: no squeeze, no tag.
        ("symmetric_state_squeeze", vec![extract, buf, 32]),
        ("symmetric_state_squeeze_tag", vec![extract, o]),
        // EXPAND: no squeeze_key, no tag.
        ("symmetric_state_squeeze_key", vec![expand, ap, al, o]),
        ("symmetric_state_squeeze_key", vec![expand, up, ul, o]),
        ("symmetric_state_squeeze_tag", vec![expand, o]),
    ]);
    for (name, args) in cases {
        assert_eq!(g.call(name, &args), E::InvalidOperation, "{name} {args:?}");
    }
    assert_eq!(g.u32_at(o), 0, "no handle written");
    assert_eq!(g.bytes_at(buf, 64), vec![0; 64], "nothing written");
}

#[test]
fn extract_then_expand_rfc5869() {
    let mut g = Guest::new();
    // A.1: salt in two pieces, info in two pieces.
    let ex = keyed(&mut g, "HKDF-EXTRACT/SHA-256", &hex(A1_IKM));
    let salt = hex(A1_SALT);
    assert_eq!(g.absorb(ex, &salt[..6]), E::Success);
    assert_eq!(g.absorb(ex, &salt[6..]), E::Success);
    let prk = squeeze_key(&mut g, ex, "hkdf-expand/sha-256").unwrap();
    assert_eq!(export(&mut g, prk), hex(A1_PRK));
    let exp = open(&mut g, "HKDF-EXPAND/SHA-256", Some(prk)).unwrap();
    let info = hex(A1_INFO);
    assert_eq!(g.absorb(exp, &info[..1]), E::Success);
    assert_eq!(g.absorb(exp, &info[1..]), E::Success);
    assert_eq!(g.squeeze(exp, 42).unwrap(), hex(A1_OKM));
    // Deterministic: the same output again, and a shorter one is its prefix.
    assert_eq!(g.squeeze(exp, 42).unwrap(), hex(A1_OKM));
    assert_eq!(g.squeeze(exp, 5).unwrap(), hex(A1_OKM)[..5]);
    assert_eq!(g.squeeze(exp, 0).unwrap(), Vec::<u8>::new());
    // The PRK is a key of the EXPAND algorithm only.
    assert_eq!(open(&mut g, "HMAC/SHA-256", Some(prk)), Err(E::InvalidKey));
    assert_eq!(
        open(&mut g, "HKDF-EXTRACT/SHA-256", Some(prk)),
        Err(E::InvalidKey)
    );
    // The EXTRACT state is unchanged by squeeze_key and still absorbs.
    let again = squeeze_key(&mut g, ex, "HKDF-EXPAND/SHA-256").unwrap();
    assert_eq!(export(&mut g, again), hex(A1_PRK));
    assert_eq!(g.absorb(ex, b"more salt"), E::Success);
    let other = squeeze_key(&mut g, ex, "HKDF-EXPAND/SHA-256").unwrap();
    assert_ne!(export(&mut g, other), hex(A1_PRK));

    // A.3: no absorb at all = empty salt and empty info.
    let ex = keyed(&mut g, "HKDF-EXTRACT/SHA-256", &hex(A1_IKM));
    let prk = squeeze_key(&mut g, ex, "HKDF-EXPAND/SHA-256").unwrap();
    assert_eq!(export(&mut g, prk), hex(A3_PRK));
    let exp = open(&mut g, "HKDF-EXPAND/SHA-256", Some(prk)).unwrap();
    assert_eq!(g.squeeze(exp, 42).unwrap(), hex(A3_OKM));
    // An empty absorb is the same as none.
    let ex = keyed(&mut g, "HKDF-EXTRACT/SHA-256", &hex(A1_IKM));
    assert_eq!(g.absorb(ex, b""), E::Success);
    let prk = squeeze_key(&mut g, ex, "HKDF-EXPAND/SHA-256").unwrap();
    assert_eq!(export(&mut g, prk), hex(A3_PRK));
}

#[test]
fn extract_then_expand_sha512_matches_imported_prk() {
    let mut g = Guest::new();
    let ex = keyed(&mut g, "HKDF-EXTRACT/SHA-512", b"input keying material");
    // A salt longer than SHA-512's 128-byte block, absorbed in pieces across the boundary.
    let salt: Vec<u8> = (0..=255u8).collect();
    for chunk in salt.chunks(100) {
        assert_eq!(g.absorb(ex, chunk), E::Success);
    }
    let prk = squeeze_key(&mut g, ex, "HKDF-EXPAND/SHA-512").unwrap();
    let raw = export(&mut g, prk);
    assert_eq!(raw.len(), 64);
    let one_piece = keyed(&mut g, "HKDF-EXTRACT/SHA-512", b"input keying material");
    assert_eq!(g.absorb(one_piece, &salt), E::Success);
    let prk2 = squeeze_key(&mut g, one_piece, "HKDF-EXPAND/SHA-512").unwrap();
    assert_eq!(export(&mut g, prk2), raw);
    // The squeezed key and the same bytes imported expand alike.
    let a = open(&mut g, "HKDF-EXPAND/SHA-512", Some(prk)).unwrap();
    let b = keyed(&mut g, "HKDF-EXPAND/SHA-512", &raw);
    g.absorb(a, b"context");
    g.absorb(b, b"con");
    g.absorb(b, b"text");
    let okm = g.squeeze(a, 100).unwrap();
    assert_eq!(g.squeeze(b, 100).unwrap(), okm);
    assert_ne!(okm, vec![0; 100]);
}

#[test]
fn squeeze_key_targets() {
    let mut g = Guest::new();
    let ex256 = keyed(&mut g, "HKDF-EXTRACT/SHA-256", b"ikm");
    let ex512 = keyed(&mut g, "HKDF-EXTRACT/SHA-512", b"ikm");
    for (st, target) in [
        (ex256, "HKDF-EXPAND/SHA-512"),
        (ex256, "HKDF-EXTRACT/SHA-256"),
        (ex256, "HMAC/SHA-256"),
        (ex256, "SHA-256"),
        (ex512, "HKDF-EXPAND/SHA-256"),
        (ex512, "HKDF-EXTRACT/SHA-512"),
        (ex512, "HMAC/SHA-512"),
        // Unknown names: the lookup's own error.
        (ex256, "HKDF-EXPAND/SHA-384"),
        (ex256, "HKDF-EXPAND/SHA-256 "),
        (ex256, ""),
        (ex512, "NOPE"),
    ] {
        assert_eq!(
            squeeze_key(&mut g, st, target),
            Err(E::UnsupportedAlgorithm),
            "{target}"
        );
    }
    // Non-UTF-8 name.
    let (p, l) = g.put(&[0xff, 0xfe]);
    let out = g.alloc(4);
    assert_eq!(
        g.call("symmetric_state_squeeze_key", &[ex256.into(), p, l, out]),
        E::UnsupportedAlgorithm
    );
    assert!(squeeze_key(&mut g, ex256, "HKDF-EXPAND/SHA-256").is_ok());
    assert!(squeeze_key(&mut g, ex512, "HKDF-EXPAND/SHA-512").is_ok());
}

#[test]
fn expand_output_limit() {
    for (alg, n) in EXPANDS {
        let mut g = Guest::new();
        let st = keyed(&mut g, alg, &vec![7; n]);
        let max = 255 * n;
        // One buffer for both calls: guest memory above the argument area is 32 KiB.
        let p = g.alloc(max + 1);
        let at = p as usize;
        assert_eq!(
            g.call("symmetric_state_squeeze", &[st.into(), p, max as u64]),
            E::Success
        );
        let full = g.bytes_at(p, max);
        assert_ne!(full[max - n..], vec![0; n], "the last block is written");
        g.mem[at..at + max + 1].fill(0xaa);
        assert_eq!(
            g.call("symmetric_state_squeeze", &[st.into(), p, (max + 1) as u64]),
            E::InvalidLength,
            "{alg}"
        );
        assert_eq!(g.bytes_at(p, max + 1), vec![0xaa; max + 1], "untouched");
        // The state is fine afterwards.
        assert_eq!(g.squeeze(st, n).unwrap(), full[..n]);
    }
}

#[test]
fn mac_clone_is_deep() {
    let mut g = Guest::new();
    let st = keyed(&mut g, "HMAC/SHA-256", b"Jefe");
    g.absorb(st, b"what do ya ");
    let cl = clone_state(&mut g, st);
    assert_ne!(cl, st);
    g.absorb(cl, b"want for nothing?");
    g.absorb(st, b"something else");
    assert_eq!(tag_of(&mut g, cl), hex(JEFE_256));
    assert_ne!(tag_of(&mut g, st), hex(JEFE_256));
    // Closing the original leaves the clone alive.
    assert_eq!(g.call("symmetric_state_close", &[st.into()]), E::Success);
    assert_eq!(tag_of(&mut g, cl), hex(JEFE_256));
}

#[test]
fn kdf_clones_are_deep() {
    let mut g = Guest::new();
    let ex = keyed(&mut g, "HKDF-EXTRACT/SHA-256", &hex(A1_IKM));
    let salt = hex(A1_SALT);
    g.absorb(ex, &salt[..3]);
    let ex2 = clone_state(&mut g, ex);
    g.absorb(ex2, &salt[3..]);
    g.absorb(ex, b"x");
    let prk = squeeze_key(&mut g, ex2, "HKDF-EXPAND/SHA-256").unwrap();
    assert_eq!(export(&mut g, prk), hex(A1_PRK));
    let exp = open(&mut g, "HKDF-EXPAND/SHA-256", Some(prk)).unwrap();
    let info = hex(A1_INFO);
    g.absorb(exp, &info[..4]);
    let exp2 = clone_state(&mut g, exp);
    g.absorb(exp2, &info[4..]);
    g.absorb(exp, b"y");
    assert_eq!(g.squeeze(exp2, 42).unwrap(), hex(A1_OKM));
    assert_ne!(g.squeeze(exp, 42).unwrap(), hex(A1_OKM));
}

#[test]
fn info_past_the_buffer_limit_is_overflow() {
    let mut g = Guest::with_config(Config {
        max_buffered_len: 16,
        ..Config::default()
    });
    let st = keyed(&mut g, "HKDF-EXPAND/SHA-256", &hex(A1_PRK));
    assert_eq!(g.absorb(st, &[0; 17]), E::Overflow, "one absorb past it");
    let info = hex(A1_INFO);
    assert_eq!(g.absorb(st, &info), E::Success);
    assert_eq!(g.absorb(st, &[0; 7]), E::Overflow, "the total counts");
    assert_eq!(g.absorb(st, &[]), E::Success);
    // Nothing of the refused absorbs was kept.
    assert_eq!(g.squeeze(st, 42).unwrap(), hex(A1_OKM));
    assert_eq!(g.absorb(st, &[0; 6]), E::Success, "exactly at the limit");
    assert_eq!(g.absorb(st, &[0; 1]), E::Overflow);
    // The salt streams: it has no such limit.
    let ex = keyed(&mut g, "HKDF-EXTRACT/SHA-256", b"ikm");
    for _ in 0..10 {
        assert_eq!(g.absorb(ex, &[9; 1000]), E::Success);
    }
    assert!(squeeze_key(&mut g, ex, "HKDF-EXPAND/SHA-256").is_ok());
    // A MAC streams too.
    let mac = keyed(&mut g, "HMAC/SHA-512", b"k");
    assert_eq!(g.absorb(mac, &[1; 1000]), E::Success);
}
