//! NIST Lightweight Cryptography round-3 known-answer tests of Xoodyak through wasmcrypt's Rust
//! API, in the compact form of `shared/vectors/README.md` (provenance: `SOURCES.md`):
//!
//! - AEAD (`LWC_AEAD_KAT_128_128.txt`, 1089 cases): Key = Nonce = 00..0F; for PT length p in
//!   0..=32, for AD length a in 0..=32: PT = 00 01 .. (p bytes), AD = 00 01 .. (a bytes).
//!   CT ‖ tag = import the key, open `XOODYAK-128` with the `nonce` option, absorb AD, encrypt PT.
//! - Hash (`LWC_HASH_KAT_256.txt`, 1025 cases): Msg = bytes i mod 256 for i in 0..n, n in
//!   0..=1024; MD = unkeyed `XOODYAK-128`, absorb Msg, squeeze 32.
//!
//! The inputs are regenerated from the pattern and only the SHA-256 of the concatenated outputs
//! is kept here (computed with wasmcrypt's own SHA-256, itself checked by the NIST CAVP
//! vectors). When the original files are present at `../../shared/vectors/xoodyak/` (next to
//! the repository), they are parsed too, and the first differing case is named.

use std::path::{Path, PathBuf};

use wasmcrypt_core::{AlgorithmType, Ctx, Error, SymmetricKey};
use wasmcrypt_testvectors::rsp::decode_hex;

const ALG: &[u8] = b"XOODYAK-128";
/// SHA-256 of the 1089 CT values in file order (shared/vectors/README.md).
const AEAD_DIGEST: &str = "7562371a6589f6d836b534833e955d3fd74c265d5756c10838463dd98b1e51a1";
/// SHA-256 of the 1025 MD values in file order (shared/vectors/README.md).
const HASH_DIGEST: &str = "d9959306535eb14ed9a5cc0c75b24aae0b8e16442013495125d563f4d0699631";
const TAG_LEN: usize = 16;

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 256) as u8).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(ctx: &mut Ctx, data: &[u8]) -> String {
    let st = ctx.symmetric_state_open(b"SHA-256", None, None).unwrap();
    ctx.symmetric_state_absorb(st, data).unwrap();
    let mut out = [0u8; 32];
    ctx.symmetric_state_squeeze(st, &mut out).unwrap();
    ctx.symmetric_state_close(st).unwrap();
    hex(&out)
}

/// One AEAD case: (PT, AD) regenerated from the case index.
struct AeadCase {
    count: usize,
    pt: Vec<u8>,
    ad: Vec<u8>,
}

fn aead_cases() -> Vec<AeadCase> {
    let mut cases = Vec::new();
    for p in 0..=32 {
        for a in 0..=32 {
            cases.push(AeadCase {
                count: cases.len() + 1,
                pt: pattern(p),
                ad: pattern(a),
            });
        }
    }
    cases
}

/// A keyed state: key 00..0F, nonce 00..0F, `ad` absorbed.
fn keyed_state(ctx: &mut Ctx, key: SymmetricKey, ad: &[u8]) -> wasmcrypt_core::SymmetricState {
    let opts = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(opts, b"nonce", &pattern(16)).unwrap();
    let st = ctx
        .symmetric_state_open(ALG, Some(key), Some(opts))
        .unwrap();
    ctx.options_close(opts).unwrap();
    ctx.symmetric_state_absorb(st, ad).unwrap();
    st
}

fn seal(ctx: &mut Ctx, key: SymmetricKey, c: &AeadCase) -> Vec<u8> {
    let st = keyed_state(ctx, key, &c.ad);
    let mut out = vec![0u8; c.pt.len() + TAG_LEN];
    let n = ctx.symmetric_state_encrypt(st, &mut out, &c.pt).unwrap();
    assert_eq!(n, out.len());
    ctx.symmetric_state_close(st).unwrap();
    out
}

fn hash(ctx: &mut Ctx, msg: &[u8]) -> Vec<u8> {
    let st = ctx.symmetric_state_open(ALG, None, None).unwrap();
    ctx.symmetric_state_absorb(st, msg).unwrap();
    let mut out = vec![0u8; 32];
    ctx.symmetric_state_squeeze(st, &mut out).unwrap();
    ctx.symmetric_state_close(st).unwrap();
    out
}

/// The directory of the original KAT files, if this checkout sits next to `shared/`.
fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/xoodyak");
    dir.is_dir().then_some(dir)
}

/// Parses a LWC KAT file into its records (`Count = …` blocks of `Key = Value` lines).
fn parse_kat(path: &Path) -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut records = Vec::new();
    let mut cur: Vec<(String, String)> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !cur.is_empty() {
                records.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{}: bad line {line:?}", path.display()));
        cur.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    if !cur.is_empty() {
        records.push(cur);
    }
    records
}

fn field<'a>(rec: &'a [(String, String)], key: &str) -> &'a str {
    rec.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("record without {key}: {rec:?}"))
}

fn field_hex(rec: &[(String, String)], key: &str) -> Vec<u8> {
    decode_hex(field(rec, key)).unwrap_or_else(|e| panic!("{key}: {e}"))
}

#[test]
fn aead_kats() {
    let mut ctx = Ctx::default();
    let key = ctx.symmetric_key_import(ALG, &pattern(16)).unwrap();
    let cases = aead_cases();
    assert_eq!(cases.len(), 1089);
    let sealed: Vec<Vec<u8>> = cases.iter().map(|c| seal(&mut ctx, key, c)).collect();

    // The original file, when present: inputs match the pattern, outputs match ours.
    if let Some(dir) = shared_dir() {
        let records = parse_kat(&dir.join("LWC_AEAD_KAT_128_128.txt"));
        assert_eq!(records.len(), cases.len(), "case count of the AEAD file");
        for ((rec, c), got) in records.iter().zip(&cases).zip(&sealed) {
            let count: usize = field(rec, "Count").parse().unwrap();
            assert_eq!(count, c.count, "case order");
            assert_eq!(field_hex(rec, "Key"), pattern(16), "Count {count}: Key");
            assert_eq!(field_hex(rec, "Nonce"), pattern(16), "Count {count}: Nonce");
            assert_eq!(field_hex(rec, "PT"), c.pt, "Count {count}: PT");
            assert_eq!(field_hex(rec, "AD"), c.ad, "Count {count}: AD");
            assert_eq!(
                hex(got),
                hex(&field_hex(rec, "CT")),
                "first failing AEAD case: Count {count} (PT {} bytes, AD {} bytes)",
                c.pt.len(),
                c.ad.len()
            );
        }
    }

    let all: Vec<u8> = sealed.concat();
    assert_eq!(sha256(&mut ctx, &all), AEAD_DIGEST, "AEAD compact digest");

    // Every ciphertext opens to its plaintext; a flipped tag bit is invalid_tag with the
    // output zeroed, and that state is dead afterwards.
    for (c, ct) in cases.iter().zip(&sealed) {
        let st = keyed_state(&mut ctx, key, &c.ad);
        let mut pt = vec![0xa5u8; c.pt.len()];
        assert_eq!(ctx.symmetric_state_decrypt(st, &mut pt, ct), Ok(c.pt.len()));
        assert_eq!(pt, c.pt, "decrypt Count {}", c.count);
        ctx.symmetric_state_close(st).unwrap();

        let mut bad = ct.clone();
        let bit = c.count % (TAG_LEN * 8);
        let i = c.pt.len() + bit / 8;
        bad[i] ^= 1 << (bit % 8);
        let st = keyed_state(&mut ctx, key, &c.ad);
        let mut pt = vec![0xa5u8; c.pt.len()];
        assert_eq!(
            ctx.symmetric_state_decrypt(st, &mut pt, &bad),
            Err(Error::InvalidTag),
            "flipped tag, Count {}",
            c.count
        );
        assert!(
            pt.iter().all(|&b| b == 0),
            "output zeroed, Count {}",
            c.count
        );
        assert_eq!(
            ctx.symmetric_state_squeeze(st, &mut [0u8; 16]),
            Err(Error::ProhibitedOperation)
        );
        ctx.symmetric_state_close(st).unwrap();

        // Detached: same ciphertext and tag, separately.
        let (body, tag) = ct.split_at(c.pt.len());
        let st = keyed_state(&mut ctx, key, &c.ad);
        let mut pt = vec![0u8; c.pt.len()];
        assert_eq!(
            ctx.symmetric_state_decrypt_detached(st, &mut pt, body, tag),
            Ok(c.pt.len())
        );
        assert_eq!(pt, c.pt);
        ctx.symmetric_state_close(st).unwrap();
    }
    ctx.symmetric_key_close(key).unwrap();
}

#[test]
fn hash_kats() {
    let mut ctx = Ctx::default();
    let msgs: Vec<Vec<u8>> = (0..=1024).map(pattern).collect();
    let digests: Vec<Vec<u8>> = msgs.iter().map(|m| hash(&mut ctx, m)).collect();

    if let Some(dir) = shared_dir() {
        let records = parse_kat(&dir.join("LWC_HASH_KAT_256.txt"));
        assert_eq!(records.len(), msgs.len(), "case count of the hash file");
        for (i, ((rec, msg), got)) in records.iter().zip(&msgs).zip(&digests).enumerate() {
            let count: usize = field(rec, "Count").parse().unwrap();
            assert_eq!(count, i + 1, "case order");
            assert_eq!(field_hex(rec, "Msg"), *msg, "Count {count}: Msg");
            assert_eq!(
                hex(got),
                hex(&field_hex(rec, "MD")),
                "first failing hash case: Count {count} (Msg {} bytes)",
                msg.len()
            );
        }
    }

    let all: Vec<u8> = digests.concat();
    assert_eq!(sha256(&mut ctx, &all), HASH_DIGEST, "hash compact digest");
}
