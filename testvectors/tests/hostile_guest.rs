//! A hostile guest (`guests/hostile`) does everything a guest can to make the host hold
//! memory: the largest keys, every handle until refused, every buffer grown, states cloned,
//! overlapping buffers encrypted in place. On each engine, with the embedded, a 256 KiB and
//! the default configuration, the host heap's peak during the guest's run stays within
//! `Config::memory_bound()`, and the guest saw the contract's errno at every refusal.
//!
//! The heap is counted per thread by a counting global allocator (the engine's own C heap,
//! wasm3's linear memory included, is not Rust's and is not counted; Wasmtime's linear memory
//! is mapped, not allocated).

#[path = "../../core/tests/support/heap.rs"]
mod heap;

use std::sync::OnceLock;

use wasmcrypt_core::rng::InstanceRng;
use wasmcrypt_core::{Config, Ctx};
use wasmcrypt_testvectors::guest::build_guest_crate;
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker, instantiate, wasm3};

#[global_allocator]
static ALLOC: heap::Counting = heap::Counting;

fn guest() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| {
        let path = build_guest_crate("testvectors/guests/hostile", "wasmcrypt_guest_hostile.wasm")
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::read(path).unwrap()
    })
}

fn configs() -> [(&'static str, Config); 3] {
    [
        ("embedded", Config::embedded()),
        (
            "256 KiB",
            Config {
                max_memory: 256 * 1024,
                ..Config::default()
            },
        ),
        ("default", Config::default()),
    ]
}

/// Runs the guest under Wasmtime; returns (guest result, peak heap above the instantiated
/// store, bytes charged to the context afterwards).
fn wasmtime_run(config: Config) -> (i32, usize, usize) {
    struct Host {
        crypto: WasmCryptoCtx,
    }
    let engine = wasmtime::Engine::default();
    let module = wasmtime::Module::new(&engine, guest()).unwrap();
    let mut linker: wasmtime::Linker<Host> = wasmtime::Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    let crypto = WasmCryptoCtx::new(config).unwrap();
    let mut store = wasmtime::Store::new(&engine, Host { crypto });
    let instance = instantiate(&linker, &mut store, &module, |h: &mut Host| &mut h.crypto).unwrap();
    let run = instance
        .get_typed_func::<(), i32>(&mut store, "run")
        .unwrap();
    let base = heap::baseline();
    let r = run.call(&mut store, ()).unwrap();
    let peak = heap::peak_since(base);
    let used = store.data_mut().crypto.core().memory_used();
    (r, peak, used)
}

fn wasm3_run(config: Config) -> (i32, usize, usize) {
    let base_rng = wasm3::command::os_base().unwrap();
    let ctx = Ctx::with_rng(config, InstanceRng::new(&base_rng));
    let mut instance = wasm3::Instance::new(guest(), ctx, 1 << 20).unwrap();
    instance.link_crypto().unwrap();
    instance.compile().unwrap();
    let base = heap::baseline();
    let r = instance.call("run", &[]).unwrap();
    let peak = heap::peak_since(base);
    let used = instance.ctx().memory_used();
    let r = r.first().copied().unwrap_or(u64::MAX) as u32 as i32;
    (r, peak, used)
}

#[test]
fn a_hostile_guest_never_takes_the_host_past_the_bound() {
    for (name, config) in configs() {
        for (engine, run) in [
            (
                "wasmtime",
                wasmtime_run as fn(Config) -> (i32, usize, usize),
            ),
            ("wasm3", wasm3_run),
        ] {
            let (r, peak, used) = run(config);
            println!(
                "{engine} {name}: max_memory {} memory_bound {} peak {peak} charged after {used}",
                config.max_memory,
                config.memory_bound()
            );
            assert_eq!(
                r, 0,
                "{engine} {name}: guest step failed (step*100 + errno)"
            );
            assert!(
                peak <= config.memory_bound(),
                "{engine} {name}: peak {peak} > bound {}",
                config.memory_bound()
            );
            assert!(used <= config.max_memory, "{engine} {name}: {used}");
            // The guest really filled the budget, not just the handle tables.
            assert!(
                used * 10 >= config.max_memory * 9,
                "{engine} {name}: only {used} charged"
            );
        }
    }
}
