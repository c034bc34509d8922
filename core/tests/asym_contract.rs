//! The behaviour contract for the asymmetric half ("Asymmetric keys and encodings",
//! "Signatures", "Key exchange"), one test per rule, through the Rust API. Every answer is an
//! exact errno or exact bytes.

mod support;

use wasmcrypt_core::rng::InstanceRng;
use wasmcrypt_core::{
    AlgorithmType, Config, Ctx, Error, Keypair, KeypairEncoding, Publickey, PublickeyEncoding,
    Secretkey, SecretkeyEncoding, SignatureEncoding,
};

use support::{ctx, hex, pull, raw_sig, sign, verify};

const SIG: AlgorithmType = AlgorithmType::Signatures;
const KX: AlgorithmType = AlgorithmType::KeyExchange;

/// RFC 8032 §7.1 TEST 1: secret key, public key, empty message, signature.
const RFC8032_SK: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const RFC8032_PK: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const RFC8032_SIG: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

#[test]
fn ed25519_key_pair_halves_are_checked() {
    let mut ctx = ctx();
    let good = [hex(RFC8032_SK), hex(RFC8032_PK)].concat();
    let kp = ctx
        .keypair_import(SIG, b"Ed25519", &good, KeypairEncoding::Raw)
        .unwrap();
    let sig = sign(&mut ctx, kp, &[]);
    assert_eq!(raw_sig(&mut ctx, sig), hex(RFC8032_SIG));
    // Another key's public half: refused (peers wrong: unchecked).
    let mut bad = good.clone();
    bad[63] ^= 1;
    assert_eq!(
        ctx.keypair_import(SIG, b"Ed25519", &bad, KeypairEncoding::Raw),
        Err(Error::InvalidKey)
    );
    // The seed alone is not a key pair.
    assert_eq!(
        ctx.keypair_import(SIG, b"Ed25519", &good[..32], KeypairEncoding::Raw),
        Err(Error::InvalidKey)
    );
    // Export gives back exactly seed ‖ public key; the secret key is the seed.
    let out = ctx.keypair_export(kp, KeypairEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), good);
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let out = ctx.secretkey_export(sk, SecretkeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), hex(RFC8032_SK));
    let pk = ctx.publickey_from_secretkey(sk).unwrap();
    let out = ctx.publickey_export(pk, PublickeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), hex(RFC8032_PK));
}

#[test]
fn sign_update_sign_covers_the_whole_transcript_with_fresh_nonces() {
    for alg in ["Ed25519", "ECDSA_P256_SHA256", "ECDSA_K256_SHA256"] {
        let mut ctx = ctx();
        let kp = ctx.keypair_generate(SIG, alg.as_bytes(), None).unwrap();
        let pk = ctx.keypair_publickey(kp).unwrap();
        let st = ctx.signature_state_open(kp).unwrap();
        ctx.signature_state_update(st, b"part one,").unwrap();
        let first = ctx.signature_state_sign(st).unwrap();
        ctx.signature_state_update(st, b" part two").unwrap();
        let second = ctx.signature_state_sign(st).unwrap();
        assert_eq!(verify(&mut ctx, pk, b"part one,", first), Ok(()), "{alg}");
        assert_eq!(
            verify(&mut ctx, pk, b"part one, part two", second),
            Ok(()),
            "{alg}"
        );
        assert_eq!(
            verify(&mut ctx, pk, b" part two", second),
            Err(Error::VerificationFailed),
            "{alg}: the second signature is not over the update alone"
        );
        // Different transcripts, different nonces (peers wrong: the reference reuses
        // Ed25519's R across sign-update-sign, which gives away the secret key).
        let (a, b) = (raw_sig(&mut ctx, first), raw_sig(&mut ctx, second));
        assert_ne!(a[..32], b[..32], "{alg}: R / r reused");
    }
}

#[test]
fn keypair_from_pk_and_sk() {
    let mut ctx = ctx();
    let kp = ctx.keypair_generate(SIG, b"Ed25519", None).unwrap();
    let (pk, sk) = (
        ctx.keypair_publickey(kp).unwrap(),
        ctx.keypair_secretkey(kp).unwrap(),
    );
    let joined = ctx.keypair_from_pk_and_sk(pk, sk).unwrap();
    let (a, b) = (
        ctx.keypair_export(kp, KeypairEncoding::Raw).unwrap(),
        ctx.keypair_export(joined, KeypairEncoding::Raw).unwrap(),
    );
    assert_eq!(pull(&mut ctx, a), pull(&mut ctx, b));
    // Another key of the same algorithm: invalid_key; another algorithm: incompatible_keys.
    let other = ctx.keypair_generate(SIG, b"Ed25519", None).unwrap();
    let other_pk = ctx.keypair_publickey(other).unwrap();
    assert_eq!(
        ctx.keypair_from_pk_and_sk(other_pk, sk),
        Err(Error::InvalidKey)
    );
    let ec = ctx
        .keypair_generate(SIG, b"ECDSA_P256_SHA256", None)
        .unwrap();
    let ec_pk = ctx.keypair_publickey(ec).unwrap();
    assert_eq!(
        ctx.keypair_from_pk_and_sk(ec_pk, sk),
        Err(Error::IncompatibleKeys)
    );
    // The same for ECDSA and the key-exchange algorithms.
    for (t, alg) in [
        (SIG, "ECDSA_K256_SHA256"),
        (KX, "X25519"),
        (KX, "P256-SHA256"),
    ] {
        let kp = ctx.keypair_generate(t, alg.as_bytes(), None).unwrap();
        let kp2 = ctx.keypair_generate(t, alg.as_bytes(), None).unwrap();
        let sk = ctx.keypair_secretkey(kp).unwrap();
        let (pk, pk2) = (
            ctx.keypair_publickey(kp).unwrap(),
            ctx.keypair_publickey(kp2).unwrap(),
        );
        assert!(ctx.keypair_from_pk_and_sk(pk, sk).is_ok(), "{alg}");
        assert_eq!(
            ctx.keypair_from_pk_and_sk(pk2, sk),
            Err(Error::InvalidKey),
            "{alg}"
        );
    }
    // Closing the parts leaves the joined pair intact (independent copies).
    ctx.publickey_close(pk).unwrap();
    ctx.secretkey_close(sk).unwrap();
    let sig = sign(&mut ctx, joined, &[b"m"]);
    let jpk = ctx.keypair_publickey(joined).unwrap();
    assert_eq!(verify(&mut ctx, jpk, b"m", sig), Ok(()));
}

#[test]
fn publickey_verify_really_checks() {
    let mut ctx = ctx();
    // Ed25519: the identity (y = 1) and a point of order 8 have small order.
    for small in [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    ] {
        let pk = ctx
            .publickey_import(SIG, b"Ed25519", &hex(small), PublickeyEncoding::Raw)
            .unwrap();
        assert_eq!(ctx.publickey_verify(pk), Err(Error::InvalidKey), "{small}");
    }
    let pk = ctx
        .publickey_import(SIG, b"Ed25519", &hex(RFC8032_PK), PublickeyEncoding::Raw)
        .unwrap();
    assert_eq!(ctx.publickey_verify(pk), Ok(()));
    // Wrong lengths are refused at import.
    for len in [0, 31, 33] {
        assert_eq!(
            ctx.publickey_import(SIG, b"Ed25519", &vec![1; len], PublickeyEncoding::Raw),
            Err(Error::InvalidKey)
        );
    }
    // X25519: u = 0 and u = 1 have small order; the RFC 7748 base point does not.
    for small in [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    ] {
        let pk = ctx
            .publickey_import(KX, b"X25519", &hex(small), PublickeyEncoding::Raw)
            .unwrap();
        assert_eq!(ctx.publickey_verify(pk), Err(Error::InvalidKey), "{small}");
    }
    let mut nine = [0u8; 32];
    nine[0] = 9;
    let pk = ctx
        .publickey_import(KX, b"X25519", &nine, PublickeyEncoding::Raw)
        .unwrap();
    assert_eq!(ctx.publickey_verify(pk), Ok(()));
    // NIST curves: off-curve points and the identity never import.
    let mut off = vec![4u8];
    off.extend_from_slice(&[1u8; 64]);
    for alg in ["ECDSA_P256_SHA256", "ECDSA_K256_SHA256"] {
        assert_eq!(
            ctx.publickey_import(SIG, alg.as_bytes(), &off, PublickeyEncoding::Sec),
            Err(Error::InvalidKey)
        );
        assert_eq!(
            ctx.publickey_import(SIG, alg.as_bytes(), &[0], PublickeyEncoding::Sec),
            Err(Error::InvalidKey)
        );
    }
    assert_eq!(
        ctx.publickey_import(KX, b"P256-SHA256", &off, PublickeyEncoding::Sec),
        Err(Error::InvalidKey)
    );
}

#[test]
fn x25519_low_order_shared_secret_is_invalid_key() {
    let mut ctx = ctx();
    let kp = ctx.keypair_generate(KX, b"X25519", None).unwrap();
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let zero = ctx
        .publickey_import(KX, b"X25519", &[0u8; 32], PublickeyEncoding::Raw)
        .unwrap();
    assert_eq!(ctx.kx_dh(zero, sk), Err(Error::InvalidKey));
    // Two generated pairs agree.
    let kp2 = ctx.keypair_generate(KX, b"X25519", None).unwrap();
    let (pk1, sk2) = (
        ctx.keypair_publickey(kp).unwrap(),
        ctx.keypair_secretkey(kp2).unwrap(),
    );
    let pk2 = ctx.keypair_publickey(kp2).unwrap();
    let (a, b) = (ctx.kx_dh(pk2, sk).unwrap(), ctx.kx_dh(pk1, sk2).unwrap());
    let (a, b) = (pull(&mut ctx, a), pull(&mut ctx, b));
    assert_eq!(a, b);
    assert_eq!(a.len(), 32);
    // KEM functions on a DH algorithm; signatures keys to kx_dh; mixed algorithms.
    assert_eq!(ctx.kx_encapsulate(pk1), Err(Error::InvalidOperation));
    assert_eq!(
        ctx.kx_decapsulate(sk2, &[0; 32]),
        Err(Error::InvalidOperation)
    );
    let p = ctx.keypair_generate(KX, b"P256-SHA256", None).unwrap();
    let p_pk = ctx.keypair_publickey(p).unwrap();
    assert_eq!(ctx.kx_dh(p_pk, sk), Err(Error::IncompatibleKeys));
    let ed = ctx.keypair_generate(SIG, b"Ed25519", None).unwrap();
    let (ed_pk, ed_sk) = (
        ctx.keypair_publickey(ed).unwrap(),
        ctx.keypair_secretkey(ed).unwrap(),
    );
    assert_eq!(ctx.kx_dh(ed_pk, ed_sk), Err(Error::InvalidKey));
    // A key-exchange key pair cannot sign, a key-exchange public key cannot verify.
    assert_eq!(ctx.signature_state_open(kp), Err(Error::InvalidKey));
    assert_eq!(
        ctx.signature_verification_state_open(pk1),
        Err(Error::InvalidKey)
    );
}

#[test]
fn x25519_key_pair_raw_is_public_then_secret_checked() {
    let mut ctx = ctx();
    // RFC 7748 §6.1: Alice's private key and public key.
    let sk = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    let pk = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    let kp = ctx
        .keypair_import(
            KX,
            b"X25519",
            &[pk.clone(), sk.clone()].concat(),
            KeypairEncoding::Raw,
        )
        .unwrap();
    let p = ctx.keypair_publickey(kp).unwrap();
    let out = ctx.publickey_export(p, PublickeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, out), pk);
    assert_eq!(
        ctx.keypair_import(
            KX,
            b"X25519",
            &[sk.clone(), pk.clone()].concat(),
            KeypairEncoding::Raw
        ),
        Err(Error::InvalidKey)
    );
    // RFC 7748 §6.1: Bob's public key and the shared secret.
    let bob = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    let bob = ctx
        .publickey_import(KX, b"X25519", &bob, PublickeyEncoding::Raw)
        .unwrap();
    let alice = ctx.keypair_secretkey(kp).unwrap();
    let shared = ctx.kx_dh(bob, alice).unwrap();
    assert_eq!(
        pull(&mut ctx, shared),
        hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
    );
}

/// `n - s` for a big-endian 32-byte `s` below `n`.
fn negate(n: &[u8], s: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(n[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        out[i] = (d + 256 * borrow) as u8;
    }
    out
}

#[test]
fn ecdsa_signs_low_s_and_verifies_high_s() {
    let curves = [
        (
            "ECDSA_P256_SHA256",
            "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        ),
        (
            "ECDSA_K256_SHA256",
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        ),
    ];
    for (alg, n) in curves {
        let n = hex(n);
        let half = {
            // n / 2, rounded down: shift right by one bit.
            let mut h = vec![0u8; 32];
            let mut carry = 0u8;
            for i in 0..32 {
                h[i] = (n[i] >> 1) | carry;
                carry = n[i] << 7;
            }
            h
        };
        let mut ctx = ctx();
        let kp = ctx.keypair_generate(SIG, alg.as_bytes(), None).unwrap();
        let pk = ctx.keypair_publickey(kp).unwrap();
        for i in 0..16u8 {
            let msg = [i; 7];
            let sig = sign(&mut ctx, kp, &[&msg]);
            let raw = raw_sig(&mut ctx, sig);
            assert_eq!(raw.len(), 64);
            assert!(raw[32..] <= half[..], "{alg}: high S produced");
            // The same signature with s replaced by n - s (high S) still verifies.
            let high = [&raw[..32], &negate(&n, &raw[32..])[..]].concat();
            let h = ctx
                .signature_import(alg.as_bytes(), &high, SignatureEncoding::Raw)
                .unwrap();
            assert_eq!(
                verify(&mut ctx, pk, &msg, h),
                Ok(()),
                "{alg}: high S refused"
            );
            assert_eq!(
                verify(&mut ctx, pk, b"other", h),
                Err(Error::VerificationFailed)
            );
            // DER round trip.
            let der = ctx.signature_export(sig, SignatureEncoding::Der).unwrap();
            let der = pull(&mut ctx, der);
            let d = ctx
                .signature_import(alg.as_bytes(), &der, SignatureEncoding::Der)
                .unwrap();
            assert_eq!(raw_sig(&mut ctx, d), raw);
        }
        // Hedged nonces: the same message twice gives two different signatures.
        let (a, b) = (
            sign(&mut ctx, kp, &[b"same"]),
            sign(&mut ctx, kp, &[b"same"]),
        );
        assert_ne!(raw_sig(&mut ctx, a), raw_sig(&mut ctx, b));
    }
}

#[test]
fn signature_errors() {
    let mut ctx = ctx();
    let p = ctx
        .keypair_generate(SIG, b"ECDSA_P256_SHA256", None)
        .unwrap();
    let k = ctx
        .keypair_generate(SIG, b"ECDSA_K256_SHA256", None)
        .unwrap();
    let p_sig = sign(&mut ctx, p, &[b"m"]);
    let k_pk = ctx.keypair_publickey(k).unwrap();
    // A signature of another algorithm.
    assert_eq!(
        verify(&mut ctx, k_pk, b"m", p_sig),
        Err(Error::InvalidSignature)
    );
    // Wrong-length raw signatures.
    for (alg, len) in [
        ("Ed25519", 63),
        ("Ed25519", 65),
        ("ECDSA_P256_SHA256", 63),
        ("ECDSA_K256_SHA256", 65),
        ("ECDSA_P256_SHA256", 0),
    ] {
        assert_eq!(
            ctx.signature_import(alg.as_bytes(), &vec![1; len], SignatureEncoding::Raw),
            Err(Error::InvalidSignature),
            "{alg} {len}"
        );
    }
    // r = 0, and malformed DER.
    assert_eq!(
        ctx.signature_import(b"ECDSA_P256_SHA256", &[0; 64], SignatureEncoding::Raw),
        Err(Error::InvalidSignature)
    );
    assert_eq!(
        ctx.signature_import(
            b"ECDSA_P256_SHA256",
            &[0x30, 0x03, 2, 1],
            SignatureEncoding::Der
        ),
        Err(Error::InvalidSignature)
    );
    // Ed25519 has no DER form; a key-exchange name is not a signature algorithm.
    assert_eq!(
        ctx.signature_import(b"Ed25519", &[0; 64], SignatureEncoding::Der),
        Err(Error::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.signature_import(b"X25519", &[0; 64], SignatureEncoding::Raw),
        Err(Error::UnsupportedAlgorithm)
    );
}

#[test]
fn handles_of_the_six_asymmetric_types_are_not_interchangeable() {
    let mut ctx = ctx();
    let kp = ctx.keypair_generate(SIG, b"Ed25519", None).unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let st = ctx.signature_state_open(kp).unwrap();
    let vst = ctx.signature_verification_state_open(pk).unwrap();
    let sig = sign(&mut ctx, kp, &[b"x"]);
    // A verification state used to sign, a signing state used to verify.
    let as_sign = wasmcrypt_core::SignatureState::from_raw(vst.raw());
    assert_eq!(
        ctx.signature_state_update(as_sign, b"a"),
        Err(Error::InvalidHandle)
    );
    assert_eq!(ctx.signature_state_sign(as_sign), Err(Error::InvalidHandle));
    let as_verify = wasmcrypt_core::SignatureVerificationState::from_raw(st.raw());
    assert_eq!(
        ctx.signature_verification_state_verify(as_verify, sig),
        Err(Error::InvalidHandle)
    );
    // Every cross-type use is invalid_handle.
    let kp_as_pk = Publickey::from_raw(kp.raw());
    assert_eq!(ctx.publickey_verify(kp_as_pk), Err(Error::InvalidHandle));
    let pk_as_sk = Secretkey::from_raw(pk.raw());
    assert_eq!(
        ctx.secretkey_export(pk_as_sk, SecretkeyEncoding::Raw),
        Err(Error::InvalidHandle)
    );
    let sk_as_kp = Keypair::from_raw(sk.raw());
    assert_eq!(
        ctx.signature_state_open(sk_as_kp),
        Err(Error::InvalidHandle)
    );
    let sig_as_kp = Keypair::from_raw(sig.raw());
    assert_eq!(ctx.keypair_close(sig_as_kp), Err(Error::InvalidHandle));
    // Close each once: ok, twice: closed; afterwards every use is invalid_handle.
    assert_eq!(ctx.signature_close(sig), Ok(()));
    assert_eq!(ctx.signature_close(sig), Err(Error::Closed));
    assert_eq!(
        ctx.signature_export(sig, SignatureEncoding::Raw),
        Err(Error::InvalidHandle)
    );
    assert_eq!(ctx.signature_state_close(st), Ok(()));
    assert_eq!(ctx.signature_state_close(st), Err(Error::Closed));
    assert_eq!(ctx.signature_verification_state_close(vst), Ok(()));
    assert_eq!(
        ctx.signature_verification_state_close(vst),
        Err(Error::Closed)
    );
    assert_eq!(ctx.keypair_close(kp), Ok(()));
    assert_eq!(ctx.keypair_close(kp), Err(Error::Closed));
    assert_eq!(ctx.signature_state_open(kp), Err(Error::InvalidHandle));
    // The key pair's parts outlive it.
    assert_eq!(ctx.publickey_verify(pk), Ok(()));
    assert_eq!(ctx.publickey_close(pk), Ok(()));
    assert_eq!(ctx.publickey_close(pk), Err(Error::Closed));
    assert!(ctx.secretkey_export(sk, SecretkeyEncoding::Raw).is_ok());
    assert_eq!(ctx.secretkey_close(sk), Ok(()));
    assert_eq!(ctx.secretkey_close(sk), Err(Error::Closed));
    // Managed-key functions on unmanaged keys.
    let kp = ctx.keypair_generate(SIG, b"Ed25519", None).unwrap();
    assert_eq!(
        ctx.keypair_id(kp, &mut [0; 64]),
        Err(Error::UnsupportedFeature)
    );
}

#[test]
fn encodings_each_algorithm_cannot_express() {
    let mut ctx = ctx();
    let ed = ctx.keypair_generate(SIG, b"Ed25519", None).unwrap();
    let x = ctx.keypair_generate(KX, b"X25519", None).unwrap();
    let ec = ctx
        .keypair_generate(SIG, b"ECDSA_P256_SHA256", None)
        .unwrap();
    for kp in [ed, x, ec] {
        assert_eq!(
            ctx.keypair_export(kp, KeypairEncoding::Local),
            Err(Error::UnsupportedEncoding)
        );
    }
    let ed_pk = ctx.keypair_publickey(ed).unwrap();
    assert_eq!(
        ctx.publickey_export(ed_pk, PublickeyEncoding::Sec),
        Err(Error::UnsupportedEncoding)
    );
    let x_sk = ctx.keypair_secretkey(x).unwrap();
    assert_eq!(
        ctx.secretkey_export(x_sk, SecretkeyEncoding::Sec),
        Err(Error::UnsupportedEncoding)
    );
    let ec_sk = ctx.keypair_secretkey(ec).unwrap();
    assert_eq!(
        ctx.secretkey_export(ec_sk, SecretkeyEncoding::Sec),
        Err(Error::UnsupportedEncoding)
    );
    // Every encoding an algorithm has round-trips through import and export.
    for (t, alg, kp) in [
        (SIG, "Ed25519", ed),
        (SIG, "ECDSA_P256_SHA256", ec),
        (KX, "X25519", x),
    ] {
        for enc in [
            KeypairEncoding::Raw,
            KeypairEncoding::Pkcs8,
            KeypairEncoding::Pem,
        ] {
            let a = ctx.keypair_export(kp, enc).unwrap();
            let bytes = pull(&mut ctx, a);
            let back = ctx.keypair_import(t, alg.as_bytes(), &bytes, enc).unwrap();
            let a2 = ctx.keypair_export(back, KeypairEncoding::Raw).unwrap();
            let a1 = ctx.keypair_export(kp, KeypairEncoding::Raw).unwrap();
            assert_eq!(pull(&mut ctx, a1), pull(&mut ctx, a2), "{alg} {enc:?}");
        }
    }
    // PEM that is not UTF-8, DER that is not DER: invalid_key, never a panic.
    for alg in ["Ed25519", "ECDSA_P256_SHA256", "ECDSA_K256_SHA256"] {
        for enc in [KeypairEncoding::Pkcs8, KeypairEncoding::Pem] {
            assert_eq!(
                ctx.keypair_import(SIG, alg.as_bytes(), &[0xff, 0x30, 0x00], enc),
                Err(Error::InvalidKey)
            );
        }
    }
}

#[test]
fn ed25519_transcript_is_capped_and_a_refused_update_changes_nothing() {
    let config = Config {
        max_buffered_len: 16,
        ..Config::default()
    };
    let mut ctx = Ctx::with_rng(config, InstanceRng::new(&support::test_base()));
    let kp = ctx.keypair_generate(SIG, b"Ed25519", None).unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let st = ctx.signature_state_open(kp).unwrap();
    ctx.signature_state_update(st, b"0123456789").unwrap();
    assert_eq!(
        ctx.signature_state_update(st, b"abcdefg"),
        Err(Error::Overflow)
    );
    let sig = ctx.signature_state_sign(st).unwrap();
    assert_eq!(verify(&mut ctx, pk, b"0123456789", sig), Ok(()));
    ctx.signature_state_update(st, b"abcdef").unwrap();
    let sig = ctx.signature_state_sign(st).unwrap();
    assert_eq!(verify(&mut ctx, pk, b"0123456789abcdef", sig), Ok(()));
    let vst = ctx.signature_verification_state_open(pk).unwrap();
    assert_eq!(
        ctx.signature_verification_state_update(vst, &[0; 17]),
        Err(Error::Overflow)
    );
    // ECDSA hashes as it goes: no cap.
    let ec = ctx
        .keypair_generate(SIG, b"ECDSA_P256_SHA256", None)
        .unwrap();
    let est = ctx.signature_state_open(ec).unwrap();
    assert_eq!(ctx.signature_state_update(est, &[7; 1000]), Ok(()));
}

#[test]
fn pkcs8_key_pairs_with_another_public_key_are_refused() {
    let mut ctx = ctx();
    for (t, alg) in [(SIG, "Ed25519"), (KX, "X25519")] {
        let kp = ctx.keypair_generate(t, alg.as_bytes(), None).unwrap();
        let out = ctx.keypair_export(kp, KeypairEncoding::Pkcs8).unwrap();
        let mut der = pull(&mut ctx, out);
        // The OneAsymmetricKey ends with the 32-byte public key.
        assert!(
            ctx.keypair_import(t, alg.as_bytes(), &der, KeypairEncoding::Pkcs8)
                .is_ok()
        );
        let last = der.len() - 1;
        der[last] ^= 1;
        assert_eq!(
            ctx.keypair_import(t, alg.as_bytes(), &der, KeypairEncoding::Pkcs8),
            Err(Error::InvalidKey),
            "{alg}"
        );
        assert_eq!(
            ctx.secretkey_import(t, alg.as_bytes(), &der, SecretkeyEncoding::Pkcs8),
            Err(Error::InvalidKey),
            "{alg}"
        );
    }
}
