//! The behaviour contract for the KEMs ("Key exchange": ML-KEM-512/768/1024, `KYBER768`,
//! X-Wing), one test per rule, through the Rust API. Every answer is an exact errno or exact
//! bytes; the expected bytes come from public vectors (the first record of the ML-KEM-768 KAT
//! of `cryptography-vectors`, the first X-Wing vector of the draft's repository), read from the
//! conformance harness's data directory.

mod support;

use std::collections::BTreeMap;

use wasmcrypt_core::rng::InstanceRng;
use wasmcrypt_core::{
    AlgorithmType, Config, Ctx, Error, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding,
};

use support::{ctx, hex, pull};

const KX: AlgorithmType = AlgorithmType::KeyExchange;
const SIG: AlgorithmType = AlgorithmType::Signatures;

/// (name, encapsulation key, expanded decapsulation key, ciphertext) lengths.
const KEMS: &[(&str, usize, usize, usize)] = &[
    ("ML-KEM-512", 800, 1632, 768),
    ("ML-KEM-768", 1184, 2400, 1088),
    ("ML-KEM-1024", 1568, 3168, 1568),
];

fn data(rel: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/data/mlkem");
    std::fs::read_to_string(p.join(rel)).unwrap()
}

/// The first record (`count = 0`) of `kat_MLKEM_768.rsp`.
fn kat0() -> BTreeMap<String, Vec<u8>> {
    let text = data("kat_MLKEM_768.rsp");
    let mut rec = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() && !rec.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(" = ")
            && k != "count"
        {
            rec.insert(k.to_string(), hex(v.trim()));
        }
    }
    rec
}

/// The first X-Wing vector of the draft's `spec/test-vectors.json`.
fn xwing0() -> BTreeMap<String, Vec<u8>> {
    let text = data("xwing_test_vectors.json");
    let start = text.find('{').unwrap();
    let end = text.find('}').unwrap();
    text[start + 1..end]
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once(':').unwrap();
            (
                k.trim().trim_matches('"').to_string(),
                hex(v.trim().trim_matches('"')),
            )
        })
        .collect()
}

#[test]
fn names_and_kyber768_alias() {
    let mut ctx = ctx();
    for name in [
        "ML-KEM-512",
        "ml-kem-768",
        "ML-KEM-1024",
        "X-WING",
        "x-wing",
        "KYBER768",
        "Kyber768",
    ] {
        let kp = ctx.keypair_generate(KX, name.as_bytes(), None).unwrap();
        ctx.keypair_close(kp).unwrap();
        // A key-exchange algorithm is not a signature algorithm.
        assert_eq!(
            ctx.keypair_generate(SIG, name.as_bytes(), None),
            Err(Error::UnsupportedAlgorithm)
        );
    }
    for name in ["ML-KEM-256", "KYBER512", "KYBER1024", "ML-KEM", "XWING"] {
        assert_eq!(
            ctx.keypair_generate(KX, name.as_bytes(), None),
            Err(Error::UnsupportedAlgorithm),
            "{name}"
        );
    }
    // KYBER768 and ML-KEM-768 are one algorithm: keys mix freely.
    let k = kat0();
    let seed = [k["d"].clone(), k["z"].clone()].concat();
    let sk = ctx
        .secretkey_import(KX, b"KYBER768", &seed, SecretkeyEncoding::Raw)
        .unwrap();
    let pk = ctx
        .publickey_import(KX, b"ML-KEM-768", &k["pk"], PublickeyEncoding::Raw)
        .unwrap();
    let kp = ctx.keypair_from_pk_and_sk(pk, sk).unwrap();
    ctx.keypair_close(kp).unwrap();
    let (ss, ct) = ctx.kx_encapsulate(pk).unwrap();
    let (ss, ct) = (pull(&mut ctx, ss), pull(&mut ctx, ct));
    let back = ctx.kx_decapsulate(sk, &ct).unwrap();
    assert_eq!(pull(&mut ctx, back), ss);
}

/// Every KEM with its ciphertext length.
fn ciphertext_lengths() -> impl Iterator<Item = (&'static str, usize)> {
    KEMS.iter()
        .map(|(n, _, _, ct)| (*n, *ct))
        .chain([("X-WING", 1120)])
}

#[test]
fn encapsulate_decapsulate_round_trip() {
    let mut ctx = ctx();
    for (name, ct_len) in ciphertext_lengths() {
        let kp = ctx.keypair_generate(KX, name.as_bytes(), None).unwrap();
        let pk = ctx.keypair_publickey(kp).unwrap();
        let sk = ctx.keypair_secretkey(kp).unwrap();
        let (ss, ct) = ctx.kx_encapsulate(pk).unwrap();
        assert_eq!(ctx.array_output_len(ss), Ok(32), "{name}");
        assert_eq!(ctx.array_output_len(ct), Ok(ct_len), "{name}");
        let (ss, ct) = (pull(&mut ctx, ss), pull(&mut ctx, ct));
        let back = ctx.kx_decapsulate(sk, &ct).unwrap();
        assert_eq!(pull(&mut ctx, back), ss, "{name}");
        // Fresh randomness per encapsulation.
        let (ss2, ct2) = ctx.kx_encapsulate(pk).unwrap();
        assert_ne!(pull(&mut ctx, ct2), ct, "{name}");
        assert_ne!(pull(&mut ctx, ss2), ss, "{name}");
        // The public key derived from the secret key is the key pair's.
        let pk2 = ctx.publickey_from_secretkey(sk).unwrap();
        let a = ctx.publickey_export(pk, PublickeyEncoding::Raw).unwrap();
        let b = ctx.publickey_export(pk2, PublickeyEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, a), pull(&mut ctx, b), "{name}");
        assert_eq!(ctx.publickey_verify(pk), Ok(()));
        for h in [pk, pk2] {
            ctx.publickey_close(h).unwrap();
        }
        ctx.secretkey_close(sk).unwrap();
        ctx.keypair_close(kp).unwrap();
    }
}

#[test]
fn kat_decapsulation_and_implicit_rejection() {
    let mut ctx = ctx();
    let k = kat0();
    let seed = [k["d"].clone(), k["z"].clone()].concat();
    for (enc, bytes) in [
        (SecretkeyEncoding::Raw, &seed),
        (SecretkeyEncoding::Raw, &k["sk"]),
        (SecretkeyEncoding::Local, &k["sk"]),
    ] {
        let sk = ctx.secretkey_import(KX, b"ML-KEM-768", bytes, enc).unwrap();
        let ss = ctx.kx_decapsulate(sk, &k["ct"]).unwrap();
        assert_eq!(pull(&mut ctx, ss), k["ss"]);
        // A forged ciphertext of the right length: FIPS 203 implicit rejection, the value the
        // KAT states, the same every time.
        for _ in 0..2 {
            let ss = ctx.kx_decapsulate(sk, &k["ct_n"]).unwrap();
            assert_eq!(pull(&mut ctx, ss), k["ss_n"]);
        }
        ctx.secretkey_close(sk).unwrap();
    }
}

#[test]
fn wrong_length_ciphertext_is_verification_failed() {
    let mut ctx = ctx();
    for (name, ct_len) in ciphertext_lengths() {
        let kp = ctx.keypair_generate(KX, name.as_bytes(), None).unwrap();
        let sk = ctx.keypair_secretkey(kp).unwrap();
        for len in [0, 1, 32, ct_len - 1, ct_len + 1, 2 * ct_len] {
            assert_eq!(
                ctx.kx_decapsulate(sk, &vec![0u8; len]),
                Err(Error::VerificationFailed),
                "{name} {len}"
            );
        }
        // An all-zero ciphertext of the right length decapsulates (implicit rejection).
        let a = ctx.kx_decapsulate(sk, &vec![0u8; ct_len]).unwrap();
        let b = ctx.kx_decapsulate(sk, &vec![0u8; ct_len]).unwrap();
        assert_eq!(pull(&mut ctx, a), pull(&mut ctx, b));
        ctx.secretkey_close(sk).unwrap();
        ctx.keypair_close(kp).unwrap();
    }
}

#[test]
fn encodings_seed_expanded_and_public_key() {
    let mut ctx = ctx();
    let k = kat0();
    let seed = [k["d"].clone(), k["z"].clone()].concat();
    // Key pair raw = the seed; its public key is the KAT's; local = the expanded key.
    let kp = ctx
        .keypair_import(KX, b"ML-KEM-768", &seed, KeypairEncoding::Raw)
        .unwrap();
    let out = ctx.keypair_export(kp, KeypairEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), seed);
    let out = ctx.keypair_export(kp, KeypairEncoding::Local).unwrap();
    assert_eq!(pull(&mut ctx, out), k["sk"]);
    let pk = ctx.keypair_publickey(kp).unwrap();
    let out = ctx.publickey_export(pk, PublickeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), k["pk"]);
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let out = ctx.secretkey_export(sk, SecretkeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), seed);
    let out = ctx.secretkey_export(sk, SecretkeyEncoding::Local).unwrap();
    assert_eq!(pull(&mut ctx, out), k["sk"]);
    for enc in [
        SecretkeyEncoding::Pkcs8,
        SecretkeyEncoding::Pem,
        SecretkeyEncoding::Sec,
    ] {
        assert_eq!(
            ctx.secretkey_export(sk, enc),
            Err(Error::UnsupportedEncoding)
        );
        assert_eq!(
            ctx.secretkey_import(KX, b"ML-KEM-768", &seed, enc),
            Err(Error::UnsupportedEncoding)
        );
    }
    for enc in [KeypairEncoding::Pkcs8, KeypairEncoding::Pem] {
        assert_eq!(ctx.keypair_export(kp, enc), Err(Error::UnsupportedEncoding));
    }
    for enc in [
        PublickeyEncoding::Pkcs8,
        PublickeyEncoding::Pem,
        PublickeyEncoding::Sec,
        PublickeyEncoding::Local,
    ] {
        assert_eq!(
            ctx.publickey_export(pk, enc),
            Err(Error::UnsupportedEncoding)
        );
        assert_eq!(
            ctx.publickey_import(KX, b"ML-KEM-768", &k["pk"], enc),
            Err(Error::UnsupportedEncoding)
        );
    }
    // An expanded import has no seed: raw export is unsupported_encoding, local works.
    let sk2 = ctx
        .secretkey_import(KX, b"ML-KEM-768", &k["sk"], SecretkeyEncoding::Raw)
        .unwrap();
    assert_eq!(
        ctx.secretkey_export(sk2, SecretkeyEncoding::Raw),
        Err(Error::UnsupportedEncoding)
    );
    let out = ctx.secretkey_export(sk2, SecretkeyEncoding::Local).unwrap();
    assert_eq!(pull(&mut ctx, out), k["sk"]);
    // The seed is not a `local` form.
    assert_eq!(
        ctx.secretkey_import(KX, b"ML-KEM-768", &seed, SecretkeyEncoding::Local),
        Err(Error::InvalidKey)
    );
}

#[test]
fn imports_are_checked() {
    let mut ctx = ctx();
    for &(name, ek_len, dk_len, _) in KEMS {
        let a = name.as_bytes();
        let kp = ctx.keypair_generate(KX, a, None).unwrap();
        let out = ctx.keypair_export(kp, KeypairEncoding::Local).unwrap();
        let dk = pull(&mut ctx, out);
        assert_eq!(dk.len(), dk_len);
        let pk = ctx.keypair_publickey(kp).unwrap();
        let out = ctx.publickey_export(pk, PublickeyEncoding::Raw).unwrap();
        let ek = pull(&mut ctx, out);
        assert_eq!(ek.len(), ek_len);
        // Wrong lengths: invalid_key for every key kind.
        for len in [0, 32, 63, 65, ek_len] {
            if len == ek_len && len == dk_len {
                continue;
            }
            assert_eq!(
                ctx.secretkey_import(KX, a, &vec![1u8; len], SecretkeyEncoding::Raw),
                Err(Error::InvalidKey),
                "{name} {len}"
            );
            assert_eq!(
                ctx.keypair_import(KX, a, &vec![1u8; len], KeypairEncoding::Raw),
                Err(Error::InvalidKey),
                "{name} {len}"
            );
        }
        for len in [0, 32, 64, ek_len - 1, ek_len + 1, dk_len] {
            assert_eq!(
                ctx.publickey_import(KX, a, &vec![0u8; len], PublickeyEncoding::Raw),
                Err(Error::InvalidKey),
                "{name} {len}"
            );
        }
        // FIPS 203 §7.2 modulus check: a 12-bit coefficient of 0xfff (≥ q = 3329).
        let mut bad = ek.clone();
        bad[0] = 0xff;
        bad[1] |= 0x0f;
        assert_eq!(
            ctx.publickey_import(KX, a, &bad, PublickeyEncoding::Raw),
            Err(Error::InvalidKey)
        );
        // The same inside an expanded decapsulation key (its embedded ek), and §7.3's hash
        // check: the embedded H(ek) altered.
        let ek_at = dk_len - 64 - ek_len;
        let mut bad = dk.clone();
        bad[ek_at] = 0xff;
        bad[ek_at + 1] |= 0x0f;
        let mut bad_hash = dk.clone();
        bad_hash[dk_len - 64] ^= 1;
        for b in [&bad, &bad_hash] {
            for enc in [SecretkeyEncoding::Raw, SecretkeyEncoding::Local] {
                assert_eq!(
                    ctx.secretkey_import(KX, a, b, enc),
                    Err(Error::InvalidKey),
                    "{name}"
                );
            }
            assert_eq!(
                ctx.keypair_import(KX, a, b, KeypairEncoding::Local),
                Err(Error::InvalidKey)
            );
        }
        // A key pair's public key is the secret key's; another key's is not.
        let sk = ctx.keypair_secretkey(kp).unwrap();
        let other = ctx.keypair_generate(KX, a, None).unwrap();
        let other_pk = ctx.keypair_publickey(other).unwrap();
        assert_eq!(
            ctx.keypair_from_pk_and_sk(other_pk, sk),
            Err(Error::InvalidKey)
        );
        let same = ctx.keypair_from_pk_and_sk(pk, sk).unwrap();
        for h in [kp, other, same] {
            ctx.keypair_close(h).unwrap();
        }
        ctx.publickey_close(pk).unwrap();
        ctx.publickey_close(other_pk).unwrap();
        ctx.secretkey_close(sk).unwrap();
    }
}

#[test]
fn kem_and_dh_operations_do_not_mix() {
    let mut ctx = ctx();
    let kem = ctx.keypair_generate(KX, b"ML-KEM-768", None).unwrap();
    let kem_pk = ctx.keypair_publickey(kem).unwrap();
    let kem_sk = ctx.keypair_secretkey(kem).unwrap();
    let xw = ctx.keypair_generate(KX, b"X-WING", None).unwrap();
    let xw_pk = ctx.keypair_publickey(xw).unwrap();
    let xw_sk = ctx.keypair_secretkey(xw).unwrap();
    // kx_dh on a KEM: invalid_operation.
    assert_eq!(ctx.kx_dh(kem_pk, kem_sk), Err(Error::InvalidOperation));
    assert_eq!(ctx.kx_dh(xw_pk, xw_sk), Err(Error::InvalidOperation));
    // Different KEMs: incompatible_keys.
    assert_eq!(ctx.kx_dh(kem_pk, xw_sk), Err(Error::IncompatibleKeys));
    assert_eq!(
        ctx.keypair_from_pk_and_sk(kem_pk, xw_sk),
        Err(Error::IncompatibleKeys)
    );
    // A ciphertext for one KEM given to another's key: a length mismatch.
    let (_, ct) = ctx.kx_encapsulate(kem_pk).unwrap();
    let ct = pull(&mut ctx, ct);
    assert_eq!(
        ctx.kx_decapsulate(xw_sk, &ct),
        Err(Error::VerificationFailed)
    );
    // Encapsulation on a DH or a signature algorithm: invalid_operation.
    let dh = ctx.keypair_generate(KX, b"X25519", None).unwrap();
    let dh_pk = ctx.keypair_publickey(dh).unwrap();
    let dh_sk = ctx.keypair_secretkey(dh).unwrap();
    assert_eq!(ctx.kx_encapsulate(dh_pk), Err(Error::InvalidOperation));
    assert_eq!(
        ctx.kx_decapsulate(dh_sk, &[0; 32]),
        Err(Error::InvalidOperation)
    );
    let ed = ctx.keypair_generate(SIG, b"Ed25519", None).unwrap();
    let ed_pk = ctx.keypair_publickey(ed).unwrap();
    let ed_sk = ctx.keypair_secretkey(ed).unwrap();
    assert_eq!(ctx.kx_encapsulate(ed_pk), Err(Error::InvalidOperation));
    assert_eq!(ctx.kx_decapsulate(ed_sk, &ct), Err(Error::InvalidOperation));
    // A KEM key pair cannot sign.
    assert_eq!(ctx.signature_state_open(kem), Err(Error::InvalidKey));
}

#[test]
fn handle_misuse() {
    let mut ctx = ctx();
    let kp = ctx.keypair_generate(KX, b"ML-KEM-512", None).unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let sk = ctx.keypair_secretkey(kp).unwrap();
    // Closing the key pair leaves its copies working.
    ctx.keypair_close(kp).unwrap();
    let (ss, ct) = ctx.kx_encapsulate(pk).unwrap();
    let (ss, ct) = (pull(&mut ctx, ss), pull(&mut ctx, ct));
    let back = ctx.kx_decapsulate(sk, &ct).unwrap();
    assert_eq!(pull(&mut ctx, back), ss);
    // Closed handles: invalid_handle to use, closed to close again.
    ctx.publickey_close(pk).unwrap();
    ctx.secretkey_close(sk).unwrap();
    assert_eq!(ctx.kx_encapsulate(pk), Err(Error::InvalidHandle));
    assert_eq!(ctx.kx_decapsulate(sk, &ct), Err(Error::InvalidHandle));
    // Handle checks come before the ciphertext's length.
    assert_eq!(ctx.kx_decapsulate(sk, &[]), Err(Error::InvalidHandle));
    assert_eq!(ctx.publickey_close(pk), Err(Error::Closed));
    assert_eq!(ctx.secretkey_close(sk), Err(Error::Closed));
    assert_eq!(ctx.keypair_close(kp), Err(Error::Closed));
}

#[test]
fn deterministic_context_cannot_encapsulate() {
    let k = kat0();
    let mut ctx = Ctx::default();
    assert_eq!(
        ctx.keypair_generate(KX, b"ML-KEM-768", None),
        Err(Error::UnsupportedFeature)
    );
    let pk = ctx
        .publickey_import(KX, b"ML-KEM-768", &k["pk"], PublickeyEncoding::Raw)
        .unwrap();
    assert_eq!(ctx.kx_encapsulate(pk), Err(Error::UnsupportedFeature));
    // Decapsulation needs no randomness.
    let sk = ctx
        .secretkey_import(KX, b"ML-KEM-768", &k["sk"], SecretkeyEncoding::Raw)
        .unwrap();
    let ss = ctx.kx_decapsulate(sk, &k["ct"]).unwrap();
    assert_eq!(pull(&mut ctx, ss), k["ss"]);
}

#[test]
fn encapsulate_leaves_no_output_behind_when_out_of_handles() {
    let cfg = Config {
        max_handles: 2,
        ..Config::default()
    };
    let mut ctx = Ctx::with_rng(cfg, InstanceRng::new(&support::test_base()));
    let kp = ctx.keypair_generate(KX, b"ML-KEM-768", None).unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let held = ctx.keypair_export(kp, KeypairEncoding::Raw).unwrap();
    // One slot left of two: the second output cannot be created, the first is taken back.
    assert_eq!(ctx.kx_encapsulate(pk), Err(Error::TooManyHandles));
    let seed = pull(&mut ctx, held);
    assert_eq!(seed.len(), 64);
    // Both slots free again: it works.
    let (ss, ct) = ctx.kx_encapsulate(pk).unwrap();
    let (ss, ct) = (pull(&mut ctx, ss), pull(&mut ctx, ct));
    let back = ctx.kx_decapsulate(sk, &ct).unwrap();
    assert_eq!(pull(&mut ctx, back), ss);
}

#[test]
fn xwing_draft_vector_and_encodings() {
    let mut ctx = ctx();
    let v = xwing0();
    let kp = ctx
        .keypair_import(KX, b"X-WING", &v["sk"], KeypairEncoding::Raw)
        .unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let out = ctx.publickey_export(pk, PublickeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), v["pk"]);
    let out = ctx.keypair_export(kp, KeypairEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), v["sk"]);
    let sk = ctx
        .secretkey_import(KX, b"X-WING", &v["sk"], SecretkeyEncoding::Raw)
        .unwrap();
    let out = ctx.secretkey_export(sk, SecretkeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), v["sk"]);
    let ss = ctx.kx_decapsulate(sk, &v["ct"]).unwrap();
    assert_eq!(pull(&mut ctx, ss), v["ss"]);
    // Imported public key: its encapsulations decapsulate under the vector's secret key.
    let pk2 = ctx
        .publickey_import(KX, b"X-WING", &v["pk"], PublickeyEncoding::Raw)
        .unwrap();
    let (ss, ct) = ctx.kx_encapsulate(pk2).unwrap();
    let (ss, ct) = (pull(&mut ctx, ss), pull(&mut ctx, ct));
    let back = ctx.kx_decapsulate(sk, &ct).unwrap();
    assert_eq!(pull(&mut ctx, back), ss);
    // Lengths, the ML-KEM half's modulus check, and the encodings X-Wing lacks.
    for len in [0, 31, 33, 64] {
        assert_eq!(
            ctx.secretkey_import(KX, b"X-WING", &vec![1; len], SecretkeyEncoding::Raw),
            Err(Error::InvalidKey)
        );
    }
    for len in [0, 1184, 1215, 1217] {
        assert_eq!(
            ctx.publickey_import(KX, b"X-WING", &vec![0; len], PublickeyEncoding::Raw),
            Err(Error::InvalidKey)
        );
    }
    let mut bad = v["pk"].clone();
    bad[0] = 0xff;
    bad[1] |= 0x0f;
    assert_eq!(
        ctx.publickey_import(KX, b"X-WING", &bad, PublickeyEncoding::Raw),
        Err(Error::InvalidKey)
    );
    assert_eq!(
        ctx.secretkey_import(KX, b"X-WING", &v["sk"], SecretkeyEncoding::Local),
        Err(Error::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.secretkey_export(sk, SecretkeyEncoding::Local),
        Err(Error::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.keypair_export(kp, KeypairEncoding::Local),
        Err(Error::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.publickey_export(pk, PublickeyEncoding::Pkcs8),
        Err(Error::UnsupportedEncoding)
    );
}

#[test]
fn decapsulate_checks_the_operation_before_the_output_slot() {
    let cfg = Config {
        max_handles: 1,
        ..Config::default()
    };
    let mut ctx = Ctx::with_rng(cfg, InstanceRng::new(&support::test_base()));
    let kp = ctx.keypair_generate(KX, b"ML-KEM-512", None).unwrap();
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let held = ctx.keypair_export(kp, KeypairEncoding::Raw).unwrap();
    // The only array-output slot is taken.
    assert_eq!(
        ctx.kx_decapsulate(sk, &[0; 768]),
        Err(Error::TooManyHandles)
    );
    assert_eq!(
        ctx.kx_decapsulate(sk, &[0; 767]),
        Err(Error::VerificationFailed)
    );
    // A Diffie-Hellman key: invalid_operation, whatever the slots.
    ctx.keypair_close(kp).unwrap();
    ctx.secretkey_close(sk).unwrap();
    let dh = ctx.keypair_generate(KX, b"X25519", None).unwrap();
    let dh_sk = ctx.keypair_secretkey(dh).unwrap();
    assert_eq!(
        ctx.kx_decapsulate(dh_sk, &[0; 32]),
        Err(Error::InvalidOperation)
    );
    assert_eq!(pull(&mut ctx, held).len(), 64);
}
