//! The published guest library `wasi-crypto-guest` 0.1.7, unmodified, signs, verifies and agrees
//! on keys through the host on every engine (`guests/libguest`). The transcript holds exact bytes
//! where a public vector gives them (RFC 8032 §7.1 TEST 1, RFC 7748 §6.1) and the outcome of
//! every other check.

use wasmcrypt_testvectors::engines::{ENGINES, capture};
use wasmcrypt_testvectors::guest::build_guest_crate;

const EXPECTED: &str = "\
Ed25519 RFC 8032 test 1: e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b
Ed25519: verify true, tampered rejected true, raw round trip true, multipart true
ECDSA_P256_SHA256: verify true, tampered rejected true, raw round trip true, multipart true
ECDSA_K256_SHA256: verify true, tampered rejected true, raw round trip true, multipart true
ECDSA_P256_SHA256 DER round trip verifies: true
X25519 RFC 7748 6.1: 4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742
X25519: 32 byte secret, both sides agree true
P256-SHA256: 32 byte secret, both sides agree true
";

#[test]
fn published_guest_library_signs_verifies_and_agrees_on_every_engine() {
    let wasm = build_guest_crate("testvectors/guests/libguest", "wasmcrypt-libguest.wasm")
        .expect("build the library guest");
    for engine in ENGINES {
        let argv = vec![wasm.display().to_string()];
        let out = (engine.run)(&wasm, &argv, capture(None))
            .unwrap_or_else(|e| panic!("{}: {e}", engine.name));
        assert_eq!(out.exit_code, 0, "{}", engine.name);
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            EXPECTED,
            "{}",
            engine.name
        );
    }
}
