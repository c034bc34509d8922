//! NIST CAVP SHA-2 vectors through a real guest (the Rust runner over raw imports) on every
//! engine: the same cases and counts as the Rust-API run in `nist_sha2.rs`.

use wasmcrypt_testvectors::engines::ENGINES;
use wasmcrypt_testvectors::guest::{hex, run_cases};
use wasmcrypt_testvectors::rsp::{self, Schema};

const SCHEMA: Schema<'static> = Schema {
    section_keys: &["L"],
    record_keys: &["Len", "Msg", "MD"],
};

const FILES: &[(&str, &str, usize, usize)] = &[
    ("SHA-256", "SHA256", 32, 129),
    ("SHA-384", "SHA384", 48, 257),
    ("SHA-512", "SHA512", 64, 257),
    ("SHA-512/256", "SHA512_256", 32, 257),
];

#[test]
fn nist_sha2_short_and_long_messages_through_guests() {
    for (alg, stem, len, count) in FILES {
        let mut cases = Vec::new();
        let mut want = Vec::new();
        for kind in ["ShortMsg", "LongMsg"] {
            let path = format!(
                "{}/data/nist-sha2/{stem}{kind}.rsp",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(&path).unwrap();
            for section in rsp::parse(&text, &SCHEMA).unwrap() {
                for rec in &section.records {
                    let msg = rec.message("Len", "Msg").unwrap();
                    cases.push(format!("hash {alg} {} {len}", hex(&msg)));
                    want.push(format!("ok {}", hex(&rec.hex("MD").unwrap())));
                }
            }
        }
        assert_eq!(cases.len(), *count, "{alg} case count");
        for e in ENGINES {
            let got = run_cases(e, &cases).unwrap();
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(g, w, "{alg} case {i} on {}", e.name);
            }
        }
    }
}
