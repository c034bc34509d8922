//! Arbitrary bytes into every (algorithm × key kind × encoding) import of the asymmetric
//! half, and signatures into `signature_import`. Checks:
//! - a refused import answers `invalid_key` (`invalid_signature` for signatures),
//!   `unsupported_encoding`, or `unsupported_algorithm` (a signature of a key-exchange name);
//! - an accepted key exports in every encoding it has, and each export imports again and
//!   exports to the same bytes (round trips are exact);
//! - `publickey_verify` answers `ok` or `invalid_key`; signing with an accepted key pair
//!   gives a signature that verifies under its public key;
//! - KEMs (ML-KEM, `KYBER768`, X-Wing): an accepted public key encapsulates (DH keys answer
//!   `invalid_operation`); an accepted secret key decapsulates the input bytes to a 32-byte
//!   secret or answers `verification_failed` (wrong length), and decapsulates its own public
//!   key's encapsulation to the same secret;
//! - no panic, and no heap left once the context is dropped.

use wasmcrypt_core::{
    AlgorithmType, ArrayOutput, Ctx, Error, KeypairEncoding, Publickey, PublickeyEncoding,
    Secretkey, SecretkeyEncoding, SignatureEncoding,
};

use super::{Input, heap};

const ALGS: &[(AlgorithmType, &str)] = &[
    (AlgorithmType::Signatures, "Ed25519"),
    (AlgorithmType::Signatures, "ECDSA_P256_SHA256"),
    (AlgorithmType::Signatures, "ECDSA_K256_SHA256"),
    (AlgorithmType::KeyExchange, "X25519"),
    (AlgorithmType::KeyExchange, "P256-SHA256"),
    (AlgorithmType::KeyExchange, "ML-KEM-512"),
    (AlgorithmType::KeyExchange, "ML-KEM-768"),
    (AlgorithmType::KeyExchange, "ML-KEM-1024"),
    (AlgorithmType::KeyExchange, "KYBER768"),
    (AlgorithmType::KeyExchange, "X-WING"),
    (AlgorithmType::Signatures, "RSA_PKCS1_2048_SHA256"),
    (AlgorithmType::Signatures, "RSA_PSS_2048_SHA512"),
    (AlgorithmType::Signatures, "RSA_PKCS1_3072_SHA384"),
    (AlgorithmType::Signatures, "RSA_PSS_4096_SHA512"),
];

/// Encapsulation to `pk`: a 32-byte secret and a ciphertext, or `invalid_operation` for a
/// key that is not a KEM's; with `sk`, decapsulation gives the same secret back.
fn kem_round_trip(ctx: &mut Ctx, pk: Publickey, sk: Option<Secretkey>, alg: &str) {
    match ctx.kx_encapsulate(pk) {
        Err(e) => assert_eq!(e, Error::InvalidOperation, "{alg}"),
        Ok((ss, ct)) => {
            let (ss, ct) = (pull(ctx, ss), pull(ctx, ct));
            assert_eq!(ss.len(), 32, "{alg}");
            if let Some(sk) = sk {
                let back = ctx.kx_decapsulate(sk, &ct).expect("decapsulate own");
                assert_eq!(pull(ctx, back), ss, "{alg}");
            }
        }
    }
}

/// Decapsulation of arbitrary bytes: a 32-byte secret, `verification_failed` (length), or
/// `invalid_operation` (not a KEM).
fn kem_decaps(ctx: &mut Ctx, sk: Secretkey, ct: &[u8], alg: &str) {
    match ctx.kx_decapsulate(sk, ct) {
        Ok(ss) => assert_eq!(pull(ctx, ss).len(), 32, "{alg}"),
        Err(e) => assert!(
            e == Error::VerificationFailed || e == Error::InvalidOperation,
            "{alg} {e:?}"
        ),
    }
}

fn pull(ctx: &mut Ctx, a: ArrayOutput) -> Vec<u8> {
    let n = ctx.array_output_len(a).expect("fresh array output");
    let mut v = vec![0; n];
    ctx.array_output_pull(a, &mut v).expect("pull");
    v
}

fn refused(e: Error, signature: bool) {
    let expected = if signature {
        Error::InvalidSignature
    } else {
        Error::InvalidKey
    };
    assert!(
        e == expected || e == Error::UnsupportedEncoding || e == Error::UnsupportedAlgorithm,
        "unexpected {e:?}"
    );
}

/// One import and, when accepted, the export/re-import round trips.
fn one(ctx: &mut Ctx, inp: &mut Input<'_>) {
    let (t, alg) = ALGS[usize::from(inp.byte()) % ALGS.len()];
    let a = alg.as_bytes();
    let kind = inp.byte() % 4;
    let enc = u32::from(inp.byte() % 6);
    // Up to 4 KiB: ML-KEM keys and ciphertexts are 768–3168 bytes, an RSA-4096 PKCS#8 key
    // about 2.4 KB.
    let len = usize::from(inp.byte()) | (usize::from(inp.byte() & 15) << 8);
    let bytes = inp.take(len).to_vec();
    match kind {
        0 => {
            let Ok(enc) = KeypairEncoding::from_raw(enc) else {
                return;
            };
            match ctx.keypair_import(t, a, &bytes, enc) {
                Err(e) => refused(e, false),
                Ok(kp) => {
                    for e in [
                        KeypairEncoding::Raw,
                        KeypairEncoding::Pkcs8,
                        KeypairEncoding::Pem,
                        KeypairEncoding::Local,
                    ] {
                        let Ok(out) = ctx.keypair_export(kp, e) else {
                            continue;
                        };
                        let first = pull(ctx, out);
                        let again = ctx.keypair_import(t, a, &first, e).expect("re-import");
                        let out = ctx.keypair_export(again, e).expect("re-export");
                        assert_eq!(pull(ctx, out), first, "{alg} {e:?}");
                        ctx.keypair_close(again).expect("close");
                    }
                    let pk = ctx.keypair_publickey(kp).expect("public half");
                    if t == AlgorithmType::KeyExchange {
                        let sk = ctx.keypair_secretkey(kp).expect("secret half");
                        kem_round_trip(ctx, pk, Some(sk), alg);
                        kem_decaps(ctx, sk, &bytes, alg);
                        ctx.secretkey_close(sk).expect("close");
                    }
                    if t == AlgorithmType::Signatures {
                        let st = ctx.signature_state_open(kp).expect("sign state");
                        ctx.signature_state_update(st, &bytes).expect("update");
                        let sig = ctx.signature_state_sign(st).expect("sign");
                        let vst = ctx
                            .signature_verification_state_open(pk)
                            .expect("verify state");
                        ctx.signature_verification_state_update(vst, &bytes)
                            .expect("update");
                        assert_eq!(
                            ctx.signature_verification_state_verify(vst, sig),
                            Ok(()),
                            "{alg}"
                        );
                        for h in [
                            ctx.signature_state_close(st),
                            ctx.signature_verification_state_close(vst),
                            ctx.signature_close(sig),
                        ] {
                            h.expect("close");
                        }
                    }
                    ctx.publickey_close(pk).expect("close");
                    ctx.keypair_close(kp).expect("close");
                }
            }
        }
        1 => {
            let Ok(enc) = PublickeyEncoding::from_raw(enc) else {
                return;
            };
            match ctx.publickey_import(t, a, &bytes, enc) {
                Err(e) => refused(e, false),
                Ok(pk) => {
                    let v = ctx.publickey_verify(pk);
                    assert!(v == Ok(()) || v == Err(Error::InvalidKey), "{v:?}");
                    for e in [
                        PublickeyEncoding::Raw,
                        PublickeyEncoding::Sec,
                        PublickeyEncoding::Pkcs8,
                        PublickeyEncoding::Pem,
                        PublickeyEncoding::Local,
                    ] {
                        let Ok(out) = ctx.publickey_export(pk, e) else {
                            continue;
                        };
                        let first = pull(ctx, out);
                        let again = ctx.publickey_import(t, a, &first, e).expect("re-import");
                        let out = ctx.publickey_export(again, e).expect("re-export");
                        assert_eq!(pull(ctx, out), first, "{alg} {e:?}");
                        ctx.publickey_close(again).expect("close");
                    }
                    if t == AlgorithmType::KeyExchange {
                        kem_round_trip(ctx, pk, None, alg);
                    }
                    ctx.publickey_close(pk).expect("close");
                }
            }
        }
        2 => {
            let Ok(enc) = SecretkeyEncoding::from_raw(enc) else {
                return;
            };
            match ctx.secretkey_import(t, a, &bytes, enc) {
                Err(e) => refused(e, false),
                Ok(sk) => {
                    for e in [
                        SecretkeyEncoding::Raw,
                        SecretkeyEncoding::Pkcs8,
                        SecretkeyEncoding::Pem,
                        SecretkeyEncoding::Local,
                    ] {
                        let Ok(out) = ctx.secretkey_export(sk, e) else {
                            continue;
                        };
                        let first = pull(ctx, out);
                        let again = ctx.secretkey_import(t, a, &first, e).expect("re-import");
                        let out = ctx.secretkey_export(again, e).expect("re-export");
                        assert_eq!(pull(ctx, out), first, "{alg} {e:?}");
                        ctx.secretkey_close(again).expect("close");
                    }
                    let pk = ctx.publickey_from_secretkey(sk).expect("public key");
                    if t == AlgorithmType::KeyExchange {
                        kem_round_trip(ctx, pk, Some(sk), alg);
                        kem_decaps(ctx, sk, &bytes, alg);
                    }
                    ctx.publickey_close(pk).expect("close");
                    ctx.secretkey_close(sk).expect("close");
                }
            }
        }
        _ => {
            let Ok(enc) = SignatureEncoding::from_raw(enc) else {
                return;
            };
            match ctx.signature_import(a, &bytes, enc) {
                Err(e) => refused(e, true),
                Ok(sig) => {
                    let out = ctx.signature_export(sig, enc).expect("export");
                    let first = pull(ctx, out);
                    let again = ctx.signature_import(a, &first, enc).expect("re-import");
                    let out = ctx.signature_export(again, enc).expect("re-export");
                    assert_eq!(pull(ctx, out), first, "{alg} {enc:?}");
                    ctx.signature_close(again).expect("close");
                    ctx.signature_close(sig).expect("close");
                }
            }
        }
    }
}

/// Runs one input: up to 16 imports against one fresh context.
///
/// # Panics
/// When a check above fails, or heap is left after the context is dropped.
pub fn run(data: &[u8]) {
    let before = heap::in_use();
    {
        let mut ctx = super::fuzz_ctx();
        let mut inp = Input { data };
        for _ in 0..16 {
            if inp.is_empty() {
                break;
            }
            one(&mut ctx, &mut inp);
        }
    }
    assert_eq!(
        heap::in_use(),
        before,
        "heap left after the context was dropped"
    );
}
