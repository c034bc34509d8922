//! `wasmcrypt random`: byte counts, hex form, freshness, extra sources, and one-line failures.

use std::process::Command;

fn random(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .arg("random")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn guest(name: &str) -> String {
    format!(
        "{}/../testvectors/guests/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn byte_counts_and_forms() {
    let (code, out, err) = random(&[]);
    assert_eq!((code, out.len(), err.as_str()), (0, 32, ""));
    let (_, out, _) = random(&["-n", "0"]);
    assert!(out.is_empty());
    let (_, out, _) = random(&["-n", "200001"]);
    assert_eq!(out.len(), 200_001);
    let (_, out, _) = random(&["--hex", "-n", "5"]);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.len(), 11);
    assert!(text.ends_with('\n'));
    assert!(
        text[..10]
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
}

#[test]
fn runs_differ() {
    let (_, a, _) = random(&["-n", "64"]);
    let (_, b, _) = random(&["-n", "64"]);
    assert_ne!(a, b);
}

#[test]
fn extra_sources_are_mixed() {
    let (code, out, err) = random(&[
        "--source",
        "/dev/urandom",
        "--plugin",
        &guest("plugin-entropy.wat"),
        "-n",
        "48",
    ]);
    assert_eq!((code, out.len(), err.as_str()), (0, 48, ""));
}

#[test]
fn failures_are_one_line() {
    let (code, out, err) = random(&["--source", "/nonexistent/entropy"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(
        err,
        "wasmcrypt: entropy source /nonexistent/entropy: No such file or directory (os error 2)\n"
    );
    let dir = std::env::temp_dir().join(format!("wasmcrypt-plugin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let looping = dir.join("loop.wat");
    std::fs::write(
        &looping,
        r#"(module (memory (export "memory") 1)
             (func (export "fill_entropy") (param i32) (result i32) (loop (br 0)) (i32.const 0)))"#,
    )
    .unwrap();
    let (code, _, err) = random(&["--plugin", looping.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "wasmcrypt: plugin {}: wasm trap: all fuel consumed by WebAssembly\n",
            looping.display()
        )
    );
    let (code, _, err) = random(&["-n", "many"]);
    assert_eq!(
        (code, err.as_str()),
        (2, "wasmcrypt: -n needs a byte count\n")
    );
}
