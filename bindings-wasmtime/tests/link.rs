//! The binding links every entry of the ABI table with its exact core-Wasm signature, beside
//! WASI preview 1, and the CLI reports failures in one line with the documented exit codes.

use std::process::Command;

use wasmcrypt_core::abi::{self, ValType};
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker};
use wasmtime::{Engine, Extern, Linker, Store};

struct Host {
    crypto: WasmCryptoCtx,
}

#[test]
fn links_all_78_with_their_signatures() {
    let engine = Engine::default();
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    let mut store = Store::new(
        &engine,
        Host {
            crypto: WasmCryptoCtx::new(Default::default()).unwrap(),
        },
    );
    let mut n = 0;
    for f in abi::FUNCTIONS {
        let Ok(Extern::Func(func)) = linker.get(&mut store, f.module, f.name) else {
            panic!("{}::{} not linked", f.module, f.name);
        };
        let ty = func.ty(&store);
        let params: Vec<ValType> = ty
            .params()
            .map(|p| match p {
                wasmtime::ValType::I32 => ValType::I32,
                wasmtime::ValType::I64 => ValType::I64,
                other => panic!("{}: unexpected {other}", f.name),
            })
            .collect();
        assert_eq!(params, f.params, "{}", f.name);
        let results: Vec<_> = ty.results().collect();
        assert_eq!(results.len(), 1);
        assert!(matches!(results[0], wasmtime::ValType::I32), "{}", f.name);
        n += 1;
    }
    assert_eq!(n, 78);
}

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

#[test]
fn a_module_without_memory_gets_guest_error_not_a_trap() {
    let engine = Engine::default();
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    let module = wasmtime::Module::new(
        &engine,
        r#"(module
            (import "wasi_ephemeral_crypto_common" "options_open" (func $o (param i32 i32) (result i32)))
            (import "wasi_ephemeral_crypto_common" "options_close" (func $c (param i32) (result i32)))
            (func (export "open") (result i32) (call $o (i32.const 1) (i32.const 0)))
            (func (export "close") (result i32) (call $c (i32.const 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(
        &engine,
        Host {
            crypto: WasmCryptoCtx::new(Default::default()).unwrap(),
        },
    );
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let open = inst.get_typed_func::<(), i32>(&mut store, "open").unwrap();
    let close = inst.get_typed_func::<(), i32>(&mut store, "close").unwrap();
    assert_eq!(open.call(&mut store, ()).unwrap(), 1, "guest_error");
    assert_eq!(close.call(&mut store, ()).unwrap(), 15, "invalid_handle");
}
