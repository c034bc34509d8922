//! The binding links every entry of the ABI table with its exact core-Wasm signature.

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
