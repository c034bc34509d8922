//! Every vector source as protocol cases with exact expected answers, so one list runs through
//! the Rust API ([`crate::native`]) and through the runner guest on every engine
//! ([`crate::guest`]). Each suite pins its case count: a truncated or changed file fails.

use std::path::{Path, PathBuf};

use crate::guest::hex;
use crate::rsp::{self, Schema};

/// One case: a runner-protocol line and the exact answer expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The line sent to the runner.
    pub line: String,
    /// The exact answer (`ok …` or `err N`).
    pub expect: String,
}

/// A set of cases of one algorithm from one source.
#[derive(Clone, Debug)]
pub struct Suite {
    /// Algorithm name as in the WASI-crypto spec.
    pub algorithm: &'static str,
    /// Where the vectors come from (see `SOURCES.md`).
    pub source: String,
    /// The cases.
    pub cases: Vec<Case>,
    /// Exact number of cases this source must yield.
    pub expected_count: usize,
}

impl Suite {
    /// A suite of `cases` that must number exactly `count`.
    pub fn new(algorithm: &'static str, source: &str, cases: Vec<Case>, count: usize) -> Self {
        Suite {
            algorithm,
            source: source.into(),
            cases,
            expected_count: count,
        }
    }
}

/// The answer line of an exact errno.
pub fn err(e: wasmcrypt_core::CryptoErrno) -> String {
    format!("err {}", e.raw())
}

/// The crate's data directory.
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}

fn read(rel: &str) -> Result<String, String> {
    std::fs::read_to_string(data(rel)).map_err(|e| format!("{rel}: {e}"))
}

const SHA_SCHEMA: Schema<'static> = Schema {
    section_keys: &["L"],
    record_keys: &["Len", "Msg", "MD"],
};

/// NIST CAVP SHA-2 byte-oriented ShortMsg + LongMsg for one algorithm.
fn nist_sha2(
    algorithm: &'static str,
    stem: &str,
    len: usize,
    count: usize,
) -> Result<Suite, String> {
    let mut cases = Vec::new();
    for kind in ["ShortMsg", "LongMsg"] {
        let rel = format!("nist-sha2/{stem}{kind}.rsp");
        let text = read(&rel)?;
        let sections = rsp::parse(&text, &SHA_SCHEMA).map_err(|e| format!("{rel}: {e}"))?;
        for rec in sections.iter().flat_map(|s| &s.records) {
            let msg = rec
                .message("Len", "Msg")
                .map_err(|e| format!("{rel}: {e}"))?;
            let md = rec.hex("MD").map_err(|e| format!("{rel}: {e}"))?;
            cases.push(Case {
                line: format!("hash {algorithm} {} {len}", hex(&msg)),
                expect: format!("ok {}", hex(&md)),
            });
        }
    }
    Ok(Suite {
        algorithm,
        source: "NIST CAVP SHAVS ShortMsg+LongMsg".into(),
        cases,
        expected_count: count,
    })
}

/// Every suite, in report order.
///
/// # Errors
/// A data file that is missing or malformed.
pub fn all() -> Result<Vec<Suite>, String> {
    let mut v = vec![
        nist_sha2("SHA-256", "SHA256", 32, 129)?,
        nist_sha2("SHA-384", "SHA384", 48, 257)?,
        nist_sha2("SHA-512", "SHA512", 64, 257)?,
        nist_sha2("SHA-512/256", "SHA512_256", 32, 257)?,
    ];
    v.extend(crate::suites_extra::all()?);
    v.extend(crate::suites_aead::all()?);
    v.extend(crate::suites_asym::all()?);
    v.extend(crate::suites_kem::all()?);
    v.extend(crate::suites_rsa::all()?);
    Ok(v)
}
