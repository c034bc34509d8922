//! The secrets manager's lookup cost through Wasmtime: an HMAC-SHA-256 of 64 bytes with a key
//! fetched by id from the in-memory store (`symmetric_key_from_id` + open + absorb +
//! squeeze_tag + closes), next to the same HMAC with an imported key handle, run side by side.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::sync::Arc;
use wasmcrypt_benches::timed;
use wasmcrypt_core::keystore::{MemoryStore, StoreLimits, SystemWallClock};
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker};
use wasmtime::{Engine, Linker, Module, Store, TypedFunc};

const GUEST: &str = r#"(module
  (import "wasi_ephemeral_crypto_common" "secrets_manager_open" (func $sm_open (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_import" (func $import (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_store_managed" (func $store (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_from_id" (func $from_id (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_close" (func $key_close (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_open" (func $open (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb" (func $absorb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_squeeze_tag" (func $squeeze_tag (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close" (func $close (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_tag_close" (func $tag_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "HMAC/SHA-256")
  (data (i32.const 16) "\01\00\00\00\00\00\00\00")
  (data (i32.const 64) "\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b")
  ;; sm at 32, imported key at 36, id at 128, message (64 bytes) at 512.
  (func (export "setup") (result i32)
    (local $e i32)
    (local.set $e (call $sm_open (i32.const 16) (i32.const 32)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $import (i32.const 0) (i32.const 12) (i32.const 64) (i32.const 20) (i32.const 36)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $store (i32.load (i32.const 32)) (i32.load (i32.const 36)) (i32.const 128) (i32.const 32)))
  ;; One HMAC of the message under `key` (a handle), all handles closed; errno.
  (func $hmac (param $key i32) (result i32)
    (local $e i32)
    (i32.store (i32.const 40) (i32.const 0))
    (i32.store (i32.const 44) (local.get $key))
    (local.set $e (call $open (i32.const 0) (i32.const 12) (i32.const 40) (i32.const 16) (i32.const 48)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $absorb (i32.load (i32.const 48)) (i32.const 512) (i32.const 64)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $squeeze_tag (i32.load (i32.const 48)) (i32.const 52)))
    (if (local.get $e) (then (return (local.get $e))))
    (drop (call $tag_close (i32.load (i32.const 52))))
    (call $close (i32.load (i32.const 48))))
  (func (export "imported") (param $n i64) (result i32)
    (local $e i32)
    (block $done (loop $l
      (br_if $done (i64.eqz (local.get $n)))
      (local.set $e (call $hmac (i32.load (i32.const 36))))
      (if (local.get $e) (then (return (local.get $e))))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br $l)))
    (i32.const 0))
  (func (export "by_id") (param $n i64) (result i32)
    (local $e i32)
    (block $done (loop $l
      (br_if $done (i64.eqz (local.get $n)))
      (local.set $e (call $from_id (i32.load (i32.const 32)) (i32.const 128) (i32.const 32)
        (i64.const 0xff00000000000001) (i32.const 56)))
      (if (local.get $e) (then (return (local.get $e))))
      (local.set $e (call $hmac (i32.load (i32.const 56))))
      (if (local.get $e) (then (return (local.get $e))))
      (drop (call $key_close (i32.load (i32.const 56))))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br $l)))
    (i32.const 0)))"#;

struct Host {
    crypto: WasmCryptoCtx,
}

fn lookup(c: &mut Criterion) {
    let engine = Engine::default();
    let module = Module::new(&engine, GUEST).expect("guest compiles");
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).expect("link");
    let store = Arc::new(MemoryStore::new(StoreLimits::default(), [1; 32]));
    let crypto = WasmCryptoCtx::new(Default::default())
        .expect("OS entropy")
        .with_key_store(store, b"bench", Arc::new(SystemWallClock))
        .expect("key store");
    let mut st = Store::new(&engine, Host { crypto });
    let inst =
        wasmcrypt_wasmtime::instantiate(&linker, &mut st, &module, |h: &mut Host| &mut h.crypto)
            .expect("instantiate");
    let setup: TypedFunc<(), i32> = inst.get_typed_func(&mut st, "setup").expect("setup");
    assert_eq!(setup.call(&mut st, ()).expect("no trap"), 0);
    let mut group = c.benchmark_group("managed_key");
    group.throughput(Throughput::Bytes(64));
    for name in ["imported", "by_id"] {
        let f: TypedFunc<i64, i32> = inst.get_typed_func(&mut st, name).expect(name);
        group.bench_function(format!("hmac_sha256_64B/{name}/wasmtime"), |b| {
            b.iter_custom(|iters| {
                timed(|| {
                    let n = i64::try_from(iters).unwrap_or(i64::MAX);
                    assert_eq!(f.call(&mut st, n).expect("no trap"), 0);
                })
            });
        });
    }
    group.finish();
}

criterion_group!(benches, lookup);
criterion_main!(benches);
