//! Guest programs run through every engine, with exact expected transcripts.
//!
//! One list of engines; adding an engine is one line in `ENGINES`. Each guest prints one line
//! per case; the expected values are digests from FIPS 180-4 (examples "abc", the empty message
//! and one million 'a' from the NIST CSRC example documents) and errno values from the
//! behaviour contract (witx `crypto_errno` numbering).

use std::path::{Path, PathBuf};

use wasmcrypt_testvectors::engines::{ENGINES, capture};
use wasmcrypt_wasmtime::command::{Options, Outcome, RunError, Stdio};

fn guest(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("guests")
        .join(name)
}

fn argv(path: &Path, args: &[&str]) -> Vec<String> {
    let mut argv = vec![path.display().to_string()];
    argv.extend(args.iter().map(|s| s.to_string()));
    argv
}

fn run_everywhere(name: &str, args: &[&str]) -> Vec<(&'static str, Outcome)> {
    let path = guest(name);
    ENGINES
        .iter()
        .map(|e| {
            let out = (e.run)(&path, &argv(&path, args), capture(None))
                .unwrap_or_else(|err| panic!("{name} on {}: {err}", e.name));
            (e.name, out)
        })
        .collect()
}

const CONFORMANCE_HASH: &str = "\
sha256-abc ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
sha384-abc cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7
sha512-abc ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f
sha512/256-abc 53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23
sha256-empty e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
sha256-million-a cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0
sha256-truncated-4 ba7816bf
squeeze-too-long 9
squeeze-again-same ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
squeeze-tag-hash 22
squeeze-key-hash 22
encrypt-hash 22
ratchet-hash 22
max-tag-len-hash 22
options-get-on-hash 7
close-twice 14
absorb-after-close 15
clone-independent ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
clone-original-unchanged 1
open-unknown 6
open-lowercase 0
open-name-out-of-bounds 1
open-union-tag-2 1
open-out-pointer-out-of-bounds 1
key-generate-hash 19
key-import-hash 19
options-open-type-3 22
open-with-signature-options 15
options-set-unknown-name 7
options-set-u64 7
wrong-handle-type 15
kx-keypair-ed25519-wrong 6
secrets-manager-open 3
close-never-issued 15
symmetric-tag-close-bad 15
";

#[test]
fn conformance_hash_transcript_on_every_engine() {
    for (engine, out) in run_everywhere("conformance-hash.wat", &[]) {
        let text = String::from_utf8(out.stdout).expect("utf-8 output");
        for (i, (got, want)) in text.lines().zip(CONFORMANCE_HASH.lines()).enumerate() {
            assert_eq!(got, want, "{engine}: line {}", i + 1);
        }
        assert_eq!(text, CONFORMANCE_HASH, "{engine}: whole transcript");
        assert_eq!(out.exit_code, 0, "{engine}");
    }
}

#[test]
fn demo_guest_prints_digests_on_every_engine() {
    for (engine, out) in run_everywhere("sha2-demo.wat", &["abc", ""]) {
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "SHA-256(\"abc\") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n\
             SHA-256(\"\") = e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n",
            "{engine}"
        );
        assert_eq!(out.exit_code, 0);
    }
}

/// `random.wat` prints `random-32 HEX` and the WASI errno of edge cases: 0 bytes succeeds and
/// writes nothing, a buffer past memory or a wrapping length is `fault` (21) with nothing
/// written, 1 MiB at once succeeds.
#[test]
fn random_get_on_every_engine() {
    let expected_tail = "random-past-memory 21\n\
                         random-wrapping-length 21\n\
                         random-1MiB 0\n\
                         untouched 1\n";
    let mut seen = std::collections::BTreeSet::new();
    for round in 0..2 {
        for (engine, out) in run_everywhere("random.wat", &[]) {
            let text = String::from_utf8(out.stdout).unwrap();
            let mut lines = text.splitn(3, '\n');
            assert_eq!(lines.next(), Some("random-0 0"), "{engine}");
            let hex = lines
                .next()
                .and_then(|l| l.strip_prefix("random-32 "))
                .unwrap_or_else(|| panic!("{engine}: {text}"));
            assert_eq!(hex.len(), 64);
            assert_ne!(hex, "0".repeat(64), "{engine}");
            // Two instances (of any engine, any round) never see the same bytes.
            assert!(
                seen.insert(hex.to_string()),
                "{engine} round {round}: repeated"
            );
            assert_eq!(lines.next(), Some(expected_tail), "{engine}");
            assert_eq!(out.exit_code, 0);
        }
    }
}

#[test]
fn deterministic_hosts_refuse_random_imports_and_run_the_rest() {
    let det = Options {
        stdio: Stdio::Capture,
        deterministic: true,
        stdin: None,
        keys: None,
    };
    for e in ENGINES {
        let path = guest("random.wat");
        assert_eq!(
            (e.run)(&path, &argv(&path, &[]), det.clone()),
            Err(RunError::RandomInDeterministicHost {
                module: "wasi_snapshot_preview1".into(),
                name: "random_get".into()
            }),
            "{}",
            e.name
        );
        let path = guest("conformance-hash.wat");
        let out = (e.run)(&path, &argv(&path, &[]), det.clone()).unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), CONFORMANCE_HASH);
    }
}
