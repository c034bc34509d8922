//! Host-call overhead and hash throughput through Wasmtime, next to baselines run side by side.
//!
//! - `absorb_0B/wasmtime`: one `symmetric_state_absorb(h, ptr, 0)` host call, from a Wasm loop
//!   (so each sample is N calls inside one guest invocation), next to `bare_host_call`, the same
//!   loop calling a do-nothing import of the same signature.
//! - `sha256_16KiB`: open + absorb 16 KiB + squeeze + close through Wasmtime, next to the `sha2`
//!   crate natively over the same bytes.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wasmcrypt_benches::{HOST_CALLS_WAT, timed};
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker};
use wasmtime::{Caller, Engine, Linker, Module, Store, TypedFunc};

struct Host {
    crypto: WasmCryptoCtx,
}

struct Guest {
    store: Store<Host>,
    absorb_loop: TypedFunc<i64, i32>,
    nop_loop: TypedFunc<i64, i32>,
    sha256_16k: TypedFunc<(), i32>,
    memory: wasmtime::Memory,
}

fn guest() -> Guest {
    let engine = Engine::default();
    let module = Module::new(&engine, HOST_CALLS_WAT).expect("benchmark guest compiles");
    let mut linker: Linker<Host> = Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).expect("link wasi-crypto");
    // `binding_nop` times the wasm3 binding's own dispatch; here it is one more bare call,
    // linked only because the shared guest imports it.
    for name in ["nop", "binding_nop"] {
        linker
            .func_wrap(
                "bench",
                name,
                |_c: Caller<'_, Host>, a: i32, b: i32, c: i32| -> i32 {
                    i32::from(black_box(a ^ b ^ c) == i32::MIN)
                },
            )
            .expect("link nop");
    }
    let mut store = Store::new(
        &engine,
        Host {
            crypto: WasmCryptoCtx::new(Default::default()).expect("OS entropy"),
        },
    );
    let inst =
        wasmcrypt_wasmtime::instantiate(&linker, &mut store, &module, |h: &mut Host| &mut h.crypto)
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
