//! Host-call overhead and hash throughput through Wasmtime, next to baselines run side by side.
//!
//! - `absorb_0B/wasmtime`: one `symmetric_state_absorb(h, ptr, 0)` host call, from a Wasm loop
//!   (so each sample is N calls inside one guest invocation), next to `bare_host_call`, the same
//!   loop calling a do-nothing import of the same signature.
//! - `sha256_16KiB`: open + absorb 16 KiB + squeeze + close through Wasmtime, next to the `sha2`
//!   crate natively over the same bytes.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker};
use wasmtime::{Caller, Engine, Linker, Module, Store, TypedFunc};

struct Host {
    crypto: WasmCryptoCtx,
}

const GUEST: &str = r#"
(module
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_open"
    (func $open (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb"
    (func $absorb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_squeeze"
    (func $squeeze (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close"
    (func $close (param i32) (result i32)))
  (import "bench" "nop" (func $nop (param i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 0) "SHA-256")
  (data (i32.const 16) "\01\00\00\00\00\00\00\00")

  (func $new_state (result i32)
    (drop (call $open (i32.const 0) (i32.const 7) (i32.const 16) (i32.const 16) (i32.const 32)))
    (i32.load (i32.const 32)))

  ;; n calls of absorb(h, 64, 0); returns the OR of every errno (0 if all succeeded)
  (func (export "absorb_loop") (param $n i64) (result i32) (local $h i32) (local $acc i32)
    (local.set $h (call $new_state))
    (block $d (loop $l
      (br_if $d (i64.eqz (local.get $n)))
      (local.set $acc (i32.or (local.get $acc) (call $absorb (local.get $h) (i32.const 64) (i32.const 0))))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br $l)))
    (drop (call $close (local.get $h)))
    (local.get $acc))

  (func (export "nop_loop") (param $n i64) (result i32) (local $acc i32)
    (block $d (loop $l
      (br_if $d (i64.eqz (local.get $n)))
      (local.set $acc (i32.or (local.get $acc) (call $nop (i32.const 7) (i32.const 64) (i32.const 0))))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br $l)))
    (local.get $acc))

  ;; one SHA-256 of the 16 KiB at 65536 into 48
  (func (export "sha256_16k") (result i32) (local $h i32) (local $acc i32)
    (local.set $h (call $new_state))
    (local.set $acc (call $absorb (local.get $h) (i32.const 65536) (i32.const 16384)))
    (local.set $acc (i32.or (local.get $acc) (call $squeeze (local.get $h) (i32.const 48) (i32.const 32))))
    (i32.or (local.get $acc) (call $close (local.get $h))))
)
"#;

struct Guest {
    store: Store<Host>,
    absorb_loop: TypedFunc<i64, i32>,
    nop_loop: TypedFunc<i64, i32>,
    sha256_16k: TypedFunc<(), i32>,
    memory: wasmtime::Memory,
}

fn guest() -> Guest {
    let engine = Engine::default();
    let module = Module::new(&engine, GUEST).expect("benchmark guest compiles");
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).expect("link wasi-crypto");
    linker
        .func_wrap(
            "bench",
            "nop",
            |_c: Caller<'_, Host>, a: i32, b: i32, c: i32| -> i32 {
                i32::from(black_box(a ^ b ^ c) == i32::MIN)
            },
        )
        .expect("link nop");
    let mut store = Store::new(
        &engine,
        Host {
            crypto: WasmCryptoCtx::new(Default::default()).expect("OS entropy"),
        },
    );
    let inst = linker
        .instantiate(&mut store, &module)
        .expect("instantiate");
    let memory = inst.get_memory(&mut store, "memory").expect("memory");
    Guest {
        absorb_loop: inst
            .get_typed_func(&mut store, "absorb_loop")
            .expect("absorb_loop"),
        nop_loop: inst
            .get_typed_func(&mut store, "nop_loop")
            .expect("nop_loop"),
        sha256_16k: inst
            .get_typed_func(&mut store, "sha256_16k")
            .expect("sha256_16k"),
        memory,
        store,
    }
}

fn timed(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn host_call_overhead(c: &mut Criterion) {
    let mut g = guest();
    let mut group = c.benchmark_group("host_call");
    group.bench_function("absorb_0B/wasmtime", |b| {
        b.iter_custom(|iters| {
            timed(|| {
                let n = i64::try_from(iters).unwrap_or(i64::MAX);
                let r = g.absorb_loop.call(&mut g.store, n).expect("no trap");
                assert_eq!(r, 0, "absorb failed");
            })
        })
    });
    group.bench_function("bare_host_call/wasmtime", |b| {
        b.iter_custom(|iters| {
            timed(|| {
                let n = i64::try_from(iters).unwrap_or(i64::MAX);
                let r = g.nop_loop.call(&mut g.store, n).expect("no trap");
                assert_eq!(r, 0);
            })
        })
    });
    group.finish();
}

fn sha256_16k(c: &mut Criterion) {
    use sha2::Digest;
    let mut g = guest();
    let data: Vec<u8> = (0..16384u32).map(|i| (i * 31 + 7) as u8).collect();
    g.memory.data_mut(&mut g.store)[65536..65536 + 16384].copy_from_slice(&data);
    // The guest's digest must be the native one, or the comparison means nothing.
    assert_eq!(g.sha256_16k.call(&mut g.store, ()).expect("no trap"), 0);
    let native = sha2::Sha256::digest(&data);
    assert_eq!(&g.memory.data(&g.store)[48..80], native.as_slice());

    let mut group = c.benchmark_group("sha256_16KiB");
    group.throughput(Throughput::Bytes(16384));
    group.bench_function("wasmtime", |b| {
        b.iter(|| g.sha256_16k.call(&mut g.store, ()).expect("no trap"))
    });
    group.bench_function("native_sha2", |b| {
        b.iter(|| sha2::Sha256::digest(black_box(&data)))
    });
    group.finish();
}

criterion_group!(benches, host_call_overhead, sha256_16k);
criterion_main!(benches);
