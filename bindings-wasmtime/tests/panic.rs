//! A panic in a host function becomes a trap with a one-line message, not an unwind into the
//! embedder; the host carries on, the panicking instance's context serves no more calls, and
//! other instances in the store are unaffected. The panicking entry is linked through the
//! binding's hidden test hook: nothing a guest can pass reaches a panic.

use wasmcrypt_core::Ctx;
use wasmcrypt_core::abi::{Function, ValType};
use wasmcrypt_wasmtime::{HostTrap, WasmCryptoCtx, add_functions_to_linker, add_to_linker};
use wasmtime::{Engine, Linker, Module, Store};

struct Host {
    crypto: WasmCryptoCtx,
}

fn boom(_ctx: &mut Ctx, _memory: &mut [u8], args: &[u64]) -> i32 {
    if args == [7] {
        panic!("deliberate panic in a test entry\nsecond line");
    }
    0
}

const BOOM: Function = Function {
    module: "wasmcrypt_test",
    name: "boom",
    params: &[ValType::I32],
    call: boom,
};

const GUEST: &str = r#"(module
  (import "wasmcrypt_test" "boom" (func $boom (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_common" "options_open"
    (func $open (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "boom") (param i32) (result i32) (call $boom (local.get 0)))
  (func (export "open") (result i32) (call $open (i32.const 1) (i32.const 32))))"#;

#[test]
fn a_panicking_entry_traps_and_the_host_survives() {
    let engine = Engine::default();
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    add_functions_to_linker(&mut linker, |h: &mut Host| &mut h.crypto, &[BOOM]).unwrap();
    let module = Module::new(&engine, GUEST).unwrap();
    let mut store = Store::new(
        &engine,
        Host {
            crypto: WasmCryptoCtx::new(Default::default()).unwrap(),
        },
    );
    let a = linker.instantiate(&mut store, &module).unwrap();
    let b = linker.instantiate(&mut store, &module).unwrap();
    let a_boom = a.get_typed_func::<i32, i32>(&mut store, "boom").unwrap();
    let a_open = a.get_typed_func::<(), i32>(&mut store, "open").unwrap();
    let b_open = b.get_typed_func::<(), i32>(&mut store, "open").unwrap();

    // The entry runs normally until it panics.
    assert_eq!(a_boom.call(&mut store, 0).unwrap(), 0);
    assert_eq!(a_open.call(&mut store, ()).unwrap(), 0);
    assert_eq!(b_open.call(&mut store, ()).unwrap(), 0);

    let err = a_boom.call(&mut store, 7).unwrap_err();
    let trap = err.downcast_ref::<HostTrap>().expect("a HostTrap");
    assert_eq!(
        trap,
        &HostTrap::Panicked {
            function: "wasmcrypt_test::boom".into(),
            message: "deliberate panic in a test entry".into(),
        }
    );
    assert_eq!(
        trap.to_string(),
        "host function wasmcrypt_test::boom panicked: deliberate panic in a test entry"
    );

    // The panicking instance's context serves no more calls, through any function.
    let err = a_open.call(&mut store, ()).unwrap_err();
    assert_eq!(
        err.downcast_ref::<HostTrap>(),
        Some(&HostTrap::Poisoned {
            function: "wasi_ephemeral_crypto_common::options_open".into(),
        })
    );
    let err = a_boom.call(&mut store, 0).unwrap_err();
    assert!(matches!(
        err.downcast_ref::<HostTrap>(),
        Some(HostTrap::Poisoned { .. })
    ));

    // The other instance, the store and the host carry on.
    assert_eq!(b_open.call(&mut store, ()).unwrap(), 0);
    let c = linker.instantiate(&mut store, &module).unwrap();
    let c_open = c.get_typed_func::<(), i32>(&mut store, "open").unwrap();
    assert_eq!(c_open.call(&mut store, ()).unwrap(), 0);
    assert_eq!(store.data().crypto.contexts(), 3);
}
