//! NIST Lightweight Cryptography round-3 known-answer tests of Xoodyak through wasmcrypt's Rust
//! API, read from the KAT files in `testvectors/data/xoodyak/` (provenance: `SOURCES.md`):
//!
//! - AEAD (`LWC_AEAD_KAT_128_128.txt`, 1089 cases `Count, Key, Nonce, PT, AD, CT`): import Key,
//!   open `XOODYAK-128` with Nonce as the `nonce` option, absorb AD, encrypt PT; the output must
//!   be CT (ciphertext ‖ 16-byte tag). Every CT also decrypts back (attached and detached), and
//!   a flipped tag bit is `invalid_tag` with the output zeroed and the state dead.
//! - Hash (`LWC_HASH_KAT_256.txt`, 1025 cases `Count, Msg, MD`): unkeyed `XOODYAK-128`, absorb
//!   Msg, squeeze 32 bytes; the output must be MD.
//!
//! Each file is first checked against the SHA-256 recorded in `SOURCES.md` (hashed with
//! wasmcrypt's SHA-256, itself checked by the NIST CAVP vectors), and every failure names its
//! `Count`.

use std::path::{Path, PathBuf};

use wasmcrypt_core::{AlgorithmType, Ctx, Error, SymmetricKey, SymmetricState};
use wasmcrypt_testvectors::rsp::decode_hex;

const ALG: &[u8] = b"XOODYAK-128";
const TAG_LEN: usize = 16;
/// SHA-256 of the two files as copied (`SOURCES.md`).
const AEAD_FILE_SHA256: &str = "6064e17e8ecba23bea6419d2e1da5004241c8cf1436be82be6fef4847e838666";
const HASH_FILE_SHA256: &str = "dc12875027d8d2145a6b58c2ffe78a9ff395e8953d6259328d6e66da8ccd44fb";

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

fn kat_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/xoodyak")
        .join(name)
}

/// One record of a KAT file: its `Count` and its `Key = value` fields in order.
struct Record {
    count: usize,
    fields: Vec<(String, String)>,
}

impl Record {
    fn text(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("Count {}: no {key}", self.count))
    }

    fn bytes(&self, key: &str) -> Vec<u8> {
        decode_hex(self.text(key)).unwrap_or_else(|e| panic!("Count {}: {key}: {e}", self.count))
    }
}

/// Reads a LWC KAT file (checking its SHA-256 first) into its records, which must hold exactly
/// `keys` and be numbered 1, 2, … in order.
fn read_kat(ctx: &mut Ctx, name: &str, sha256_hex: &str, keys: &[&str]) -> Vec<Record> {
    let path = kat_path(name);
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        sha256(ctx, &raw),
        sha256_hex,
        "{name}: not the file SOURCES.md records"
    );
    let text = String::from_utf8(raw).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut records = Vec::new();
    let mut cur: Vec<(String, String)> = Vec::new();
    let finish = |cur: &mut Vec<(String, String)>, records: &mut Vec<Record>| {
        if cur.is_empty() {
            return;
        }
        let fields = std::mem::take(cur);
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, keys, "{name}: record {}", records.len() + 1);
        let count = fields[0].1.parse().unwrap_or(0);
        assert_eq!(
            count,
            records.len() + 1,
            "{name}: records numbered in order"
        );
        records.push(Record { count, fields });
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            finish(&mut cur, &mut records);
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{name}: bad line {line:?}"));
        cur.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    finish(&mut cur, &mut records);
    records
}

/// A keyed state: `key`, the `nonce` option, `ad` absorbed.
fn keyed_state(ctx: &mut Ctx, key: SymmetricKey, nonce: &[u8], ad: &[u8]) -> SymmetricState {
    let opts = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(opts, b"nonce", nonce).unwrap();
    let st = ctx
        .symmetric_state_open(ALG, Some(key), Some(opts))
        .unwrap();
    ctx.options_close(opts).unwrap();
    ctx.symmetric_state_absorb(st, ad).unwrap();
    st
}

#[test]
fn aead_kats() {
    let mut ctx = Ctx::default();
    let records = read_kat(
        &mut ctx,
        "LWC_AEAD_KAT_128_128.txt",
        AEAD_FILE_SHA256,
        &["Count", "Key", "Nonce", "PT", "AD", "CT"],
    );
    assert_eq!(records.len(), 1089, "case count of the AEAD file");

    for r in &records {
        let count = r.count;
        let (key, nonce, pt, ad, ct) = (
            r.bytes("Key"),
            r.bytes("Nonce"),
            r.bytes("PT"),
            r.bytes("AD"),
            r.bytes("CT"),
        );
        let key = ctx.symmetric_key_import(ALG, &key).unwrap();

        // Seal: exactly CT.
        let st = keyed_state(&mut ctx, key, &nonce, &ad);
        let mut out = vec![0u8; pt.len() + TAG_LEN];
        assert_eq!(
            ctx.symmetric_state_encrypt(st, &mut out, &pt),
            Ok(out.len()),
            "Count {count}"
        );
        assert_eq!(
            hex(&out),
            hex(&ct),
            "AEAD Count {count} (PT {} bytes, AD {} bytes)",
            pt.len(),
            ad.len()
        );
        ctx.symmetric_state_close(st).unwrap();

        // Open: CT gives PT back.
        let st = keyed_state(&mut ctx, key, &nonce, &ad);
        let mut back = vec![0xa5u8; pt.len()];
        assert_eq!(
            ctx.symmetric_state_decrypt(st, &mut back, &ct),
            Ok(pt.len()),
            "decrypt Count {count}"
        );
        assert_eq!(back, pt, "decrypt Count {count}");
        ctx.symmetric_state_close(st).unwrap();

        // A flipped tag bit: invalid_tag, output zeroed, state dead.
        let mut bad = ct.clone();
        let bit = count % (TAG_LEN * 8);
        bad[pt.len() + bit / 8] ^= 1 << (bit % 8);
        let st = keyed_state(&mut ctx, key, &nonce, &ad);
        let mut back = vec![0xa5u8; pt.len()];
        assert_eq!(
            ctx.symmetric_state_decrypt(st, &mut back, &bad),
            Err(Error::InvalidTag),
            "flipped tag, Count {count}"
        );
        assert!(back.iter().all(|&b| b == 0), "output zeroed, Count {count}");
        assert_eq!(
            ctx.symmetric_state_squeeze(st, &mut [0u8; 16]),
            Err(Error::ProhibitedOperation),
            "Count {count}"
        );
        ctx.symmetric_state_close(st).unwrap();

        // Detached: the same ciphertext and tag, separately.
        let (body, tag) = ct.split_at(pt.len());
        let st = keyed_state(&mut ctx, key, &nonce, &ad);
        let mut back = vec![0u8; pt.len()];
        assert_eq!(
            ctx.symmetric_state_decrypt_detached(st, &mut back, body, tag),
            Ok(pt.len()),
            "detached Count {count}"
        );
        assert_eq!(back, pt, "detached Count {count}");
        ctx.symmetric_state_close(st).unwrap();
        ctx.symmetric_key_close(key).unwrap();
    }
}

#[test]
fn hash_kats() {
    let mut ctx = Ctx::default();
    let records = read_kat(
        &mut ctx,
        "LWC_HASH_KAT_256.txt",
        HASH_FILE_SHA256,
        &["Count", "Msg", "MD"],
    );
    assert_eq!(records.len(), 1025, "case count of the hash file");
    for r in &records {
        let (msg, md) = (r.bytes("Msg"), r.bytes("MD"));
        let st = ctx.symmetric_state_open(ALG, None, None).unwrap();
        ctx.symmetric_state_absorb(st, &msg).unwrap();
        let mut out = vec![0u8; 32];
        ctx.symmetric_state_squeeze(st, &mut out).unwrap();
        ctx.symmetric_state_close(st).unwrap();
        assert_eq!(
            hex(&out),
            hex(&md),
            "hash Count {} (Msg {} bytes)",
            r.count,
            msg.len()
        );
    }
}
