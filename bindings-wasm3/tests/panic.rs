//! A panic in a host function becomes a trap under wasm3, never an unwind into wasm3's C code
//! or the embedder: the call fails with the binding's one-line trap, and the host carries on
//! (the same instance and a fresh one keep answering). The panicking entry is a test-only
//! function linked beside the crypto imports: nothing a guest can pass reaches a panic.

use wasmcrypt_core::abi::{Function, ValType};
use wasmcrypt_core::{Config, Ctx};
use wasmcrypt_wasm3::{Error, Instance};

fn boom(_ctx: &mut Ctx, _memory: &mut [u8], args: &[u64]) -> i32 {
    if args == [7] {
        panic!("deliberate panic in a test entry\nsecond line");
    }
    0
}

static BOOM: Function = Function {
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

fn instance() -> Instance {
    let wasm = wat::parse_str(GUEST).unwrap();
    let mut i = Instance::new(&wasm, Ctx::new(Config::default()), 64 * 1024).unwrap();
    i.link_crypto().unwrap();
    i.link_function(&BOOM).unwrap();
    i.compile().unwrap();
    i
}

#[test]
fn a_panicking_entry_traps_and_the_host_survives() {
    let mut a = instance();
    assert_eq!(a.call("boom", &[0]).unwrap(), [0]);
    assert_eq!(a.call("open", &[]).unwrap(), [0]);
    match a.call("boom", &[7]) {
        Err(Error::Trap(msg)) => {
            assert_eq!(msg.lines().count(), 1, "{msg:?}");
            assert!(msg.contains("host function panicked"), "{msg:?}");
        }
        other => panic!("{other:?}"),
    }
    // The host is still here, and so are both instances.
    assert_eq!(a.call("open", &[]).unwrap(), [0]);
    let mut b = instance();
    assert_eq!(b.call("open", &[]).unwrap(), [0]);
}
