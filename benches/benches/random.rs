//! `random_get` through Wasmtime next to its baselines, in one run:
//!
//! - `random_get_1MiB`: one guest call filling 1 MiB, next to the raw ChaCha20 keystream (the
//!   `chacha20` crate writing 1 MiB), the ceiling of any ChaCha20-based generator.
//! - `random_get_32B`: one 32-byte call (from a Wasm loop, per call), next to a `getrandom`
//!   system call for 32 bytes, the cost every call would pay without a user-space generator.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chacha20::ChaCha20;
use chacha20::cipher::{KeyIvInit, StreamCipher};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_random_get_to_linker};
use wasmtime::{Engine, Linker, Module, Store, TypedFunc};

struct Host {
    crypto: WasmCryptoCtx,
}

const GUEST: &str = r#"
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 17)
  (func (export "fill_1mib") (result i32)
    (call $random_get (i32.const 65536) (i32.const 1048576)))
  (func (export "loop_32") (param $n i64) (result i32) (local $acc i32)
    (block $d (loop $l
      (br_if $d (i64.eqz (local.get $n)))
      (local.set $acc (i32.or (local.get $acc) (call $random_get (i32.const 64) (i32.const 32))))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br $l)))
    (local.get $acc))
)
"#;

struct Guest {
    store: Store<Host>,
    fill_1mib: TypedFunc<(), i32>,
    loop_32: TypedFunc<i64, i32>,
}

fn guest() -> Guest {
    let engine = Engine::default();
    let module = Module::new(&engine, GUEST).expect("benchmark guest compiles");
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_random_get_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).expect("link");
    let mut store = Store::new(
        &engine,
        Host {
            crypto: WasmCryptoCtx::new(Default::default()).expect("OS entropy"),
        },
    );
    let inst =
        wasmcrypt_wasmtime::instantiate(&linker, &mut store, &module, |h: &mut Host| &mut h.crypto)
            .expect("instantiate");
    Guest {
        fill_1mib: inst
            .get_typed_func(&mut store, "fill_1mib")
            .expect("fill_1mib"),
        loop_32: inst.get_typed_func(&mut store, "loop_32").expect("loop_32"),
        store,
    }
}

fn random_1mib(c: &mut Criterion) {
    let mut g = guest();
    let mut group = c.benchmark_group("random_get_1MiB");
    group.throughput(Throughput::Bytes(1 << 20));
    group.bench_function("wasmtime", |b| {
        b.iter(|| assert_eq!(g.fill_1mib.call(&mut g.store, ()).expect("no trap"), 0))
    });
    let mut buf = vec![0u8; 1 << 20];
    group.bench_function("raw_chacha20_keystream", |b| {
        b.iter(|| {
            let mut c = ChaCha20::new(&[7u8; 32].into(), &[0u8; 12].into());
            c.write_keystream(black_box(&mut buf));
        })
    });
    group.finish();
}

fn random_32(c: &mut Criterion) {
    let mut g = guest();
    let mut group = c.benchmark_group("random_get_32B");
    group.bench_function("wasmtime", |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            let n = i64::try_from(iters).unwrap_or(i64::MAX);
            assert_eq!(g.loop_32.call(&mut g.store, n).expect("no trap"), 0);
            t.elapsed()
        })
    });
    let base = wasmcrypt_wasmtime::os_base().expect("OS entropy");
    let mut rng = wasmcrypt_wasmtime::core::rng::InstanceRng::new(&base);
    group.bench_function("instance_rng_native", |b| {
        let mut buf = [0u8; 32];
        b.iter(|| rng.fill(black_box(&mut buf)))
    });
    group.bench_function("getrandom_syscall", |b| {
        let mut buf = [0u8; 32];
        b.iter(|| getrandom::fill(black_box(&mut buf)).expect("OS entropy"))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = random_1mib, random_32
}
criterion_main!(benches);
