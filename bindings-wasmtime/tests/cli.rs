//! The `wasmcrypt run` CLI (feature `cli`) reports failures in one line with the documented
//! exit codes, on both engines.

use std::process::Command;

fn cli(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp_module(name: &str, text: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn cli_errors_are_one_line() {
    let missing = std::env::temp_dir().join("wasmcrypt-no-such-module.wasm");
    let (code, err) = cli(&["run", &missing.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.starts_with("wasmcrypt: cannot read "), "{err}");

    let bad = temp_module("bad.wasm", b"\0asm\x01\0\0\0\x99garbage");
    let (code, err) = cli(&["run", &bad]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("wasmcrypt: not a valid Wasm module: "),
        "{err}"
    );

    let unk = temp_module(
        "unknown.wat",
        b"(module (import \"env\" \"nope\" (func)) (func (export \"_start\")))",
    );
    let (code, err) = cli(&["run", &unk]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "wasmcrypt: the module imports `env::nope`, which this host does not provide\n"
    );

    let trap = temp_module(
        "trap.wat",
        b"(module (memory (export \"memory\") 1) (func (export \"_start\") unreachable))",
    );
    let (code, err) = cli(&["run", &trap]);
    assert_eq!(code, 134);
    assert_eq!(
        err,
        "wasmcrypt: the guest trapped: wasm trap: wasm `unreachable` instruction executed\n"
    );

    let deep = temp_module(
        "deep.wat",
        b"(module (func $f (export \"_start\") call $f))",
    );
    let (code, err) = cli(&["run", &deep]);
    assert_eq!(code, 134);
    assert_eq!(
        err,
        "wasmcrypt: the guest trapped: wasm trap: call stack exhausted\n"
    );

    let (code, err) = cli(&["run", "--engine", "nosuch", &trap]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "wasmcrypt: unknown engine `nosuch` (available: wasmtime, wasm3)\n"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
}

#[test]
fn cli_passes_the_guest_exit_code() {
    let exit = temp_module(
        "exit.wat",
        b"(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $e (param i32)))
          (memory (export \"memory\") 1)
          (func (export \"_start\") (call $e (i32.const 7))))",
    );
    let (code, err) = cli(&["run", &exit]);
    assert_eq!((code, err.as_str()), (7, ""));
    let (code, err) = cli(&["run", "--engine", "wasm3", &exit]);
    assert_eq!((code, err.as_str()), (7, ""));
}

/// `--engine wasm3`: the same failures, the same one-line reports and exit codes (a trap's
/// wording is wasm3's).
#[test]
fn cli_errors_on_wasm3() {
    let run3 = |m: &str| cli(&["run", "--engine", "wasm3", m]);
    let bad = temp_module("bad3.wasm", b"\0asm\x01\0\0\0\x99garbage");
    let (code, err) = run3(&bad);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("wasmcrypt: not a valid Wasm module: "),
        "{err}"
    );
    let unk = temp_module(
        "unknown3.wat",
        b"(module (import \"env\" \"nope\" (func)) (func (export \"_start\")))",
    );
    assert_eq!(
        run3(&unk),
        (
            2,
            "wasmcrypt: the module imports `env::nope`, which this host does not provide\n".into()
        )
    );
    let trap = temp_module(
        "trap3.wat",
        b"(module (memory (export \"memory\") 1) (func (export \"_start\") unreachable))",
    );
    assert_eq!(
        run3(&trap),
        (
            134,
            "wasmcrypt: the guest trapped: unreachable executed\n".into()
        )
    );
    let deep = temp_module(
        "deep3.wat",
        b"(module (func $f (export \"_start\") call $f))",
    );
    assert_eq!(
        run3(&deep),
        (134, "wasmcrypt: the guest trapped: stack overflow\n".into())
    );
}
