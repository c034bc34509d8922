//! Several instances in one `Store`, sharing the store's one `WasmCryptoCtx`: each reads and
//! writes its own memory and holds its own handles, whether it was linked by
//! `Linker::instantiate` with `add_to_linker`'s functions or made by `instantiate`.

use sha2::Digest;
use wasmcrypt_core::{Config, Ctx};
use wasmcrypt_wasmtime::{HostTrap, WasmCryptoCtx, add_to_linker, instantiate};
use wasmtime::{Engine, Instance, Linker, Module, Store};

struct Host {
    crypto: WasmCryptoCtx,
}

const SUCCESS: i32 = 0;
const GUEST_ERROR: i32 = 1;
const CLOSED: i32 = 14;
const INVALID_HANDLE: i32 = 15;

/// A guest that opens SHA-256 states (handle written at 32), absorbs, squeezes and closes.
const GUEST: &str = r#"(module
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_open"
    (func $open (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb"
    (func $absorb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_squeeze"
    (func $squeeze (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close"
    (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "SHA-256")
  (data (i32.const 16) "\01\00\00\00\00\00\00\00")
  (func (export "open") (result i32)
    (call $open (i32.const 0) (i32.const 7) (i32.const 16) (i32.const 16) (i32.const 32)))
  (func (export "absorb") (param i32 i32 i32) (result i32)
    (call $absorb (local.get 0) (local.get 1) (local.get 2)))
  (func (export "squeeze") (param i32 i32 i32) (result i32)
    (call $squeeze (local.get 0) (local.get 1) (local.get 2)))
  (func (export "close") (param i32) (result i32)
    (call $close (local.get 0))))"#;

type Make = fn(&Linker<Host>, &mut Store<Host>, &Module) -> wasmtime::Result<Instance>;

fn by_linker(l: &Linker<Host>, s: &mut Store<Host>, m: &Module) -> wasmtime::Result<Instance> {
    l.instantiate(s, m)
}

fn by_instantiate(l: &Linker<Host>, s: &mut Store<Host>, m: &Module) -> wasmtime::Result<Instance> {
    instantiate(l, s, m, |h: &mut Host| &mut h.crypto)
}

fn setup(crypto: WasmCryptoCtx) -> (Linker<Host>, Store<Host>, Module) {
    let engine = Engine::default();
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    let module = Module::new(&engine, GUEST).unwrap();
    (linker, Store::new(&engine, Host { crypto }), module)
}

struct Guest(Instance);

impl Guest {
    fn call(&self, store: &mut Store<Host>, name: &str, args: &[i32]) -> wasmtime::Result<i32> {
        let f = self.0.get_func(&mut *store, name).unwrap();
        let args: Vec<wasmtime::Val> = args.iter().map(|&a| a.into()).collect();
        let mut out = [wasmtime::Val::I32(-1)];
        f.call(&mut *store, &args, &mut out)?;
        Ok(out[0].unwrap_i32())
    }

    fn errno(&self, store: &mut Store<Host>, name: &str, args: &[i32]) -> i32 {
        self.call(store, name, args).unwrap()
    }

    fn mem<'a>(&self, store: &'a mut Store<Host>) -> &'a mut [u8] {
        let m = self.0.get_memory(&mut *store, "memory").unwrap();
        m.data_mut(store)
    }

    /// The handle the last `open` wrote.
    fn handle(&self, store: &mut Store<Host>) -> i32 {
        i32::from_le_bytes(self.mem(store)[32..36].try_into().unwrap())
    }
}

/// Two instances of one module in one store, made by `make_a` and `make_b`.
fn two_instances_are_isolated(make_a: Make, make_b: Make) {
    let (linker, mut store, module) = setup(WasmCryptoCtx::new(Config::default()).unwrap());
    let a = Guest(make_a(&linker, &mut store, &module).unwrap());
    let b = Guest(make_b(&linker, &mut store, &module).unwrap());
    a.mem(&mut store)[100..103].copy_from_slice(b"abc");
    b.mem(&mut store)[100..104].copy_from_slice(b"xyz!");

    // A opens two states, B one: each handle lands in its opener's memory.
    assert_eq!(a.errno(&mut store, "open", &[]), SUCCESS);
    let a1 = a.handle(&mut store);
    assert_eq!(a.errno(&mut store, "open", &[]), SUCCESS);
    let a2 = a.handle(&mut store);
    assert_ne!(a1, a2);
    assert_eq!(b.errno(&mut store, "open", &[]), SUCCESS);
    let b1 = b.handle(&mut store);
    assert_eq!(a.handle(&mut store), a2, "B's open wrote into A's memory");
    // Separate handle tables: B's first handle has A's first handle's value, and A's second
    // handle means nothing to B.
    assert_eq!(b1, a1);
    assert_eq!(b.errno(&mut store, "absorb", &[a2, 100, 4]), INVALID_HANDLE);

    // Each absorbs its own bytes and squeezes into its own memory.
    assert_eq!(a.errno(&mut store, "absorb", &[a1, 100, 3]), SUCCESS);
    assert_eq!(b.errno(&mut store, "absorb", &[b1, 100, 4]), SUCCESS);
    assert_eq!(a.errno(&mut store, "squeeze", &[a1, 48, 32]), SUCCESS);
    assert_eq!(b.errno(&mut store, "squeeze", &[b1, 48, 32]), SUCCESS);
    assert_eq!(
        &a.mem(&mut store)[48..80],
        sha2::Sha256::digest(b"abc").as_slice()
    );
    assert_eq!(
        &b.mem(&mut store)[48..80],
        sha2::Sha256::digest(b"xyz!").as_slice()
    );

    // B closing its state leaves A's state with the same handle value open.
    assert_eq!(b.errno(&mut store, "close", &[b1]), SUCCESS);
    assert_eq!(b.errno(&mut store, "close", &[b1]), CLOSED);
    assert_eq!(a.errno(&mut store, "squeeze", &[a1, 48, 32]), SUCCESS);
    assert_eq!(
        &a.mem(&mut store)[48..80],
        sha2::Sha256::digest(b"abc").as_slice()
    );
    assert_eq!(a.errno(&mut store, "close", &[a1]), SUCCESS);
    assert_eq!(a.errno(&mut store, "close", &[a2]), SUCCESS);
    assert_eq!(store.data().crypto.contexts(), 2);
}

#[test]
fn two_instances_linked_by_the_linker_are_isolated() {
    two_instances_are_isolated(by_linker, by_linker);
}

#[test]
fn two_instances_made_by_instantiate_are_isolated() {
    two_instances_are_isolated(by_instantiate, by_instantiate);
}

#[test]
fn an_instance_of_each_kind_is_isolated() {
    two_instances_are_isolated(by_instantiate, by_linker);
    two_instances_are_isolated(by_linker, by_instantiate);
}

/// Calls alternate between the instances (each switch takes the slow path) and each keeps
/// its own state throughout.
#[test]
fn alternating_calls_keep_each_instance_apart() {
    let (linker, mut store, module) = setup(WasmCryptoCtx::new(Config::default()).unwrap());
    let guests: Vec<Guest> = (0..3)
        .map(|_| Guest(by_linker(&linker, &mut store, &module).unwrap()))
        .collect();
    let mut handles = Vec::new();
    for (i, g) in guests.iter().enumerate() {
        g.mem(&mut store)[100] = b'a' + i as u8;
        assert_eq!(g.errno(&mut store, "open", &[]), SUCCESS);
        handles.push(g.handle(&mut store));
    }
    for _ in 0..5 {
        for (g, &h) in guests.iter().zip(&handles) {
            assert_eq!(g.errno(&mut store, "absorb", &[h, 100, 1]), SUCCESS);
        }
    }
    for (i, (g, &h)) in guests.iter().zip(&handles).enumerate() {
        assert_eq!(g.errno(&mut store, "squeeze", &[h, 48, 32]), SUCCESS);
        let expected = sha2::Sha256::digest([b'a' + i as u8; 5]);
        assert_eq!(&g.mem(&mut store)[48..80], expected.as_slice(), "guest {i}");
    }
    assert_eq!(store.data().crypto.contexts(), 3);
}

/// A context made from one core context serves one instance; a second is refused with a
/// trap (linked by the linker) or an error (by `instantiate`), and the first carries on.
#[test]
fn a_from_core_context_refuses_a_second_instance() {
    let crypto = WasmCryptoCtx::from_core(Ctx::new(Config::default()));
    let (linker, mut store, module) = setup(crypto);
    let a = Guest(by_linker(&linker, &mut store, &module).unwrap());
    let b = Guest(by_linker(&linker, &mut store, &module).unwrap());
    assert_eq!(a.errno(&mut store, "open", &[]), SUCCESS);
    let err = b.call(&mut store, "open", &[]).unwrap_err();
    assert_eq!(
        err.downcast_ref::<HostTrap>(),
        Some(&HostTrap::SecondInstance {
            function: "wasi_ephemeral_crypto_symmetric::symmetric_state_open".into()
        })
    );
    assert_eq!(
        err.downcast_ref::<HostTrap>().unwrap().to_string(),
        "host function wasi_ephemeral_crypto_symmetric::symmetric_state_open: a second \
         instance called through a context made by WasmCryptoCtx::from_core, which serves \
         one instance"
    );
    let err = by_instantiate(&linker, &mut store, &module).unwrap_err();
    assert_eq!(
        err.downcast_ref::<HostTrap>(),
        Some(&HostTrap::SecondInstance {
            function: "instantiate".into()
        })
    );
    let h = a.handle(&mut store);
    assert_eq!(a.errno(&mut store, "absorb", &[h, 0, 7]), SUCCESS);
    assert_eq!(a.errno(&mut store, "close", &[h]), SUCCESS);
    assert_eq!(store.data().crypto.contexts(), 1);
}

/// `instantiate` gives a `from_core` context to its one instance.
#[test]
fn a_from_core_context_serves_an_instance_made_by_instantiate() {
    let crypto = WasmCryptoCtx::from_core(Ctx::new(Config::default()));
    let (linker, mut store, module) = setup(crypto);
    let a = Guest(by_instantiate(&linker, &mut store, &module).unwrap());
    assert_eq!(a.errno(&mut store, "open", &[]), SUCCESS);
    let h = a.handle(&mut store);
    assert_eq!(a.errno(&mut store, "close", &[h]), SUCCESS);
    assert_eq!(a.errno(&mut store, "close", &[h]), CLOSED);
    let err = by_linker(&linker, &mut store, &module)
        .and_then(|b| Guest(b).call(&mut store, "open", &[]))
        .unwrap_err();
    assert!(matches!(
        err.downcast_ref::<HostTrap>(),
        Some(HostTrap::SecondInstance { .. })
    ));
}

/// A module without memory, made by `instantiate`: pointers are `guest_error`, handles
/// `invalid_handle`, never a trap.
#[test]
fn a_module_without_memory_made_by_instantiate_gets_errnos() {
    let (linker, mut store, _) = setup(WasmCryptoCtx::new(Config::default()).unwrap());
    let module = Module::new(
        store.engine(),
        r#"(module
            (import "wasi_ephemeral_crypto_common" "options_open" (func $o (param i32 i32) (result i32)))
            (import "wasi_ephemeral_crypto_common" "options_close" (func $c (param i32) (result i32)))
            (func (export "open") (result i32) (call $o (i32.const 1) (i32.const 0)))
            (func (export "close") (result i32) (call $c (i32.const 0))))"#,
    )
    .unwrap();
    let g = Guest(by_instantiate(&linker, &mut store, &module).unwrap());
    assert_eq!(g.errno(&mut store, "open", &[]), GUEST_ERROR);
    assert_eq!(g.errno(&mut store, "close", &[]), INVALID_HANDLE);
    assert_eq!(g.errno(&mut store, "open", &[]), GUEST_ERROR);
}

/// `random_get` from `add_random_get_to_linker`: each instance's bytes land in its own memory,
/// through `instantiate`'s own copy and through the shared one alike. Without it in the
/// linker, `instantiate` adds none.
#[test]
fn random_get_writes_the_callers_memory() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "wasi_snapshot_preview1" "random_get" (func $r (param i32 i32) (result i32)))
            (memory (export "memory") 1)
            (func (export "fill") (result i32) (call $r (i32.const 200) (i32.const 32))))"#,
    )
    .unwrap();
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    let mut store = Store::new(
        &engine,
        Host {
            crypto: WasmCryptoCtx::new(Config::default()).unwrap(),
        },
    );
    let err = by_instantiate(&linker, &mut store, &module).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown import: `wasi_snapshot_preview1::random_get` has not been defined"
    );

    wasmcrypt_wasmtime::add_random_get_to_linker(&mut linker, |h: &mut Host| &mut h.crypto)
        .unwrap();
    for make in [by_instantiate as Make, by_linker] {
        let a = Guest(make(&linker, &mut store, &module).unwrap());
        let b = Guest(make(&linker, &mut store, &module).unwrap());
        assert_eq!(a.errno(&mut store, "fill", &[]), SUCCESS);
        assert_ne!(a.mem(&mut store)[200..232], [0u8; 32]);
        assert_eq!(
            b.mem(&mut store)[200..232],
            [0u8; 32],
            "A's bytes went to B"
        );
        let first = a.mem(&mut store)[200..232].to_vec();
        assert_eq!(b.errno(&mut store, "fill", &[]), SUCCESS);
        assert_ne!(b.mem(&mut store)[200..232], [0u8; 32]);
        assert_eq!(
            a.mem(&mut store)[200..232],
            first[..],
            "B's bytes went to A"
        );
    }
}
