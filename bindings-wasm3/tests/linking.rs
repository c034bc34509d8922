//! Every entry of the ABI table (and `random_get`) is linked with its exact signature: a module
//! importing all of them loads, links and calls each one, getting the errno the core gives for
//! the same arguments; a wrong signature is refused cleanly.

use wasmcrypt_core::abi::{self, Function, ValType};
use wasmcrypt_core::{Config, Ctx};
use wasmcrypt_wasm3::command::{Options, RunError, Stdio, run_bytes};
use wasmcrypt_wasm3::{Error, Instance};

fn wat_type(t: ValType) -> &'static str {
    match t {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
    }
}

fn all_functions() -> Vec<&'static Function> {
    abi::FUNCTIONS
        .iter()
        .chain(std::iter::once(&abi::RANDOM_GET))
        .collect()
}

/// Imports every function with its signature and exports `call_N`, which calls import `N`
/// with arguments 1, 2, 3... (each of its own type).
fn module_importing_everything() -> String {
    let mut imports = String::new();
    let mut exports = String::new();
    for (i, f) in all_functions().iter().enumerate() {
        let params: Vec<&str> = f.params.iter().map(|t| wat_type(*t)).collect();
        imports.push_str(&format!(
            "(import \"{}\" \"{}\" (func $f{i} (param {}) (result i32)))\n",
            f.module,
            f.name,
            params.join(" ")
        ));
        let args: String = f
            .params
            .iter()
            .enumerate()
            .map(|(k, t)| format!("({}.const {})", wat_type(*t), k + 1))
            .collect();
        exports.push_str(&format!(
            "(func (export \"call_{i}\") (result i32) (call $f{i} {args}))\n"
        ));
    }
    format!(
        "(module {imports} (memory (export \"memory\") 1) {exports} (func (export \"_start\")))"
    )
}

#[test]
fn the_table_has_78_entries() {
    assert_eq!(abi::FUNCTIONS.len(), 78);
}

#[test]
fn every_entry_is_linked_with_its_signature_and_dispatches_to_the_core() {
    let wasm = wat::parse_str(module_importing_everything()).unwrap();
    let mut instance = Instance::new(&wasm, Ctx::new(Config::default()), 1 << 16).unwrap();
    instance.link_crypto().unwrap();
    instance.link_random_get().unwrap();
    instance.compile().unwrap();
    // The same calls straight into the core, in the same order, on the same kind of context
    // and a memory of the same size.
    let mut ctx = Ctx::new(Config::default());
    let mut mem = vec![0u8; 65536];
    for (i, f) in all_functions().iter().enumerate() {
        let got = instance
            .call(&format!("call_{i}"), &[])
            .unwrap_or_else(|e| panic!("{}::{}: {e}", f.module, f.name));
        let args: Vec<u64> = (1..=f.params.len() as u64).collect();
        let want = (f.call)(&mut ctx, &mut mem, &args);
        assert_eq!(
            got,
            vec![u64::from(want as u32)],
            "{}::{}",
            f.module,
            f.name
        );
    }
}

#[test]
fn a_module_importing_everything_runs() {
    let wat = module_importing_everything();
    let out = run_bytes(wat.as_bytes(), &[], Stdio::Capture).unwrap();
    assert_eq!(out.exit_code, 0);
}

#[test]
fn a_wrong_signature_is_refused_cleanly() {
    let wat = r#"(module
      (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb"
        (func (param i32 i32) (result i32)))
      (func (export "_start")))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let mut instance = Instance::new(&wasm, Ctx::new(Config::default()), 1 << 16).unwrap();
    match instance.link_crypto() {
        Err(Error::Link { module, name, .. }) => {
            assert_eq!(module, "wasi_ephemeral_crypto_symmetric");
            assert_eq!(name, "symmetric_state_absorb");
        }
        other => panic!("{other:?}"),
    }
    match run_bytes(wat.as_bytes(), &[], Stdio::Capture) {
        Err(RunError::Engine { reason }) => {
            assert!(reason.contains("symmetric_state_absorb"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // An i64 where the table has an i32, and a missing result, likewise.
    for import in [
        "(func (param i32 i64 i32) (result i32))",
        "(func (param i32 i32 i32))",
    ] {
        let wat = format!(
            r#"(module (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb" {import})
                 (func (export "_start")))"#
        );
        assert!(
            matches!(
                run_bytes(wat.as_bytes(), &[], Options::default()),
                Err(RunError::Engine { .. })
            ),
            "{import}"
        );
    }
}

#[test]
fn random_get_is_the_contexts_generator() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "random_get" (func $r (param i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "fill") (result i32) (call $r (i32.const 0) (i32.const 32))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    // A deterministic context has no generator: the core answers `nosys`, so the import is ours
    // and not wasm3's (which would ask the OS and succeed).
    let mut instance = Instance::new(&wasm, Ctx::new(Config::default()), 1 << 16).unwrap();
    instance.link_random_get().unwrap();
    assert_eq!(
        instance.call("fill", &[]).unwrap(),
        vec![abi::WASI_ENOSYS as u64]
    );
}

/// An `i32` reaches the core zero-extended and an `i64` whole, in order; the errno comes back.
#[test]
fn arguments_are_decoded_exactly() {
    static ECHO: Function = Function {
        module: "test",
        name: "echo",
        params: &[ValType::I32, ValType::I64, ValType::I32, ValType::I64],
        call: |_, mem, args| {
            let ok = args == [0xffff_ffff, 0x8123_4567_89ab_cdef, 7, 0xffff_ffff_ffff_fffe];
            if ok { mem.len() as i32 } else { -2 }
        },
    };
    let wat = r#"(module
      (import "test" "echo" (func $e (param i32 i64 i32 i64) (result i32)))
      (memory 3)
      (func (export "go") (result i32)
        (call $e (i32.const -1) (i64.const 0x8123456789abcdef) (i32.const 7) (i64.const -2))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let mut instance = Instance::new(&wasm, Ctx::new(Config::default()), 1 << 16).unwrap();
    instance.link_function(&ECHO).unwrap();
    assert_eq!(instance.call("go", &[]).unwrap(), vec![3 * 65536]);
}

/// Without a memory the core sees an empty slice: every pointer is `guest_error`, no trap.
#[test]
fn a_module_without_memory_gets_guest_error_not_a_trap() {
    let wat = r#"(module
      (import "wasi_ephemeral_crypto_common" "options_open" (func $o (param i32 i32) (result i32)))
      (import "wasi_ephemeral_crypto_common" "options_close" (func $c (param i32) (result i32)))
      (func (export "open") (result i32) (call $o (i32.const 1) (i32.const 0)))
      (func (export "close") (result i32) (call $c (i32.const 0))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let mut instance = Instance::new(&wasm, Ctx::new(Config::default()), 1 << 16).unwrap();
    instance.link_crypto().unwrap();
    assert_eq!(instance.call("open", &[]).unwrap(), [1], "guest_error");
    assert_eq!(instance.call("close", &[]).unwrap(), [15], "invalid_handle");
}

/// The safe API refuses what would make wasm3 misbehave: invalid modules and imported
/// memories, tables or globals (wasm3 would run without them).
#[test]
fn instances_refuse_invalid_modules_and_non_function_imports() {
    for wat in [
        r#"(module (import "env" "memory" (memory 1)))"#,
        r#"(module (import "env" "t" (table 1 funcref)))"#,
        r#"(module (import "env" "g" (global i32)))"#,
        r#"(module (func (result i32)))"#,
    ] {
        let wasm = wat::parse_str(wat).unwrap();
        assert!(
            matches!(
                Instance::new(&wasm, Ctx::default(), 1 << 16),
                Err(Error::Load(_))
            ),
            "{wat}"
        );
    }
}
