//! Host-call overhead through wasm3 (the interpreter for small devices).
//!
//! - `absorb_0B/wasm3`: one `symmetric_state_absorb(h, 64, 0)` host call through the binding
//!   (context from the runtime's user data, entry from the import's, memory as a slice, errno
//!   back), from a Wasm loop, so each sample is N calls inside one guest invocation.
//! - `bare_host_call/wasm3`: the same loop calling a raw wasm3 host function of the same
//!   signature that only writes its result: the engine's floor for a host call.
//! - `binding_nop/wasm3`: the same loop calling a do-nothing function in the table's shape
//!   through the binding's dispatch: the binding's own share, without the core's work.
//!
//! `cargo bench -p wasmcrypt-benches --bench wasm3`; the ratio of the two is the binding's
//! cost over the floor (target: at most 1.5x).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use wasmcrypt_benches::{HOST_CALLS_WAT, timed};
use wasmcrypt_core::abi::{Function, ValType};
use wasmcrypt_core::{Config, Ctx};
use wasmcrypt_wasm3::Instance;

/// Does nothing, in the shape of a table entry.
static BINDING_NOP: Function = Function {
    module: "bench",
    name: "binding_nop",
    params: &[ValType::I32; 3],
    call: |_, _, args| i32::from(black_box(args.len()) != 3),
};

fn guest() -> Instance {
    let wasm = wat::parse_str(HOST_CALLS_WAT).expect("benchmark guest parses");
    let mut inst = Instance::new(&wasm, Ctx::new(Config::default()), 64 * 1024).expect("load");
    inst.link_crypto().expect("link wasi-crypto");
    inst.link_noop("bench", "nop", &[ValType::I32; 3])
        .expect("link nop");
    inst.link_function(&BINDING_NOP).expect("link binding_nop");
    inst.compile().expect("compile");
    inst
}

fn host_call_overhead(c: &mut Criterion) {
    let mut g = guest();
    let mut group = c.benchmark_group("host_call");
    for (id, func) in [
        ("absorb_0B/wasm3", "absorb_loop"),
        ("bare_host_call/wasm3", "nop_loop"),
        ("binding_nop/wasm3", "binding_nop_loop"),
    ] {
        group.bench_function(id, |b| {
            b.iter_custom(|iters| {
                timed(|| {
                    let r = g.call(func, &[black_box(iters)]).expect("no trap");
                    assert_eq!(r, [0], "{func} failed");
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, host_call_overhead);
criterion_main!(benches);
