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
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use wasmcrypt_core::abi::{Function, ValType};
use wasmcrypt_core::{Config, Ctx};
use wasmcrypt_wasm3::Instance;

const GUEST: &str = r#"
(module
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_open"
    (func $open (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb"
    (func $absorb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close"
    (func $close (param i32) (result i32)))
  (import "bench" "nop" (func $nop (param i32 i32 i32) (result i32)))
  (import "bench" "binding_nop" (func $binding_nop (param i32 i32 i32) (result i32)))
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

  (func (export "binding_nop_loop") (param $n i64) (result i32) (local $acc i32)
    (block $d (loop $l
      (br_if $d (i64.eqz (local.get $n)))
      (local.set $acc (i32.or (local.get $acc) (call $binding_nop (i32.const 7) (i32.const 64) (i32.const 0))))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br $l)))
    (local.get $acc))
)
"#;

/// Does nothing, in the shape of a table entry.
static BINDING_NOP: Function = Function {
    module: "bench",
    name: "binding_nop",
    params: &[ValType::I32; 3],
    call: |_, _, args| i32::from(black_box(args.len()) != 3),
};

fn guest() -> Instance {
    let wasm = wat::parse_str(GUEST).expect("benchmark guest parses");
    let mut inst = Instance::new(&wasm, Ctx::new(Config::default()), 64 * 1024).expect("load");
    inst.link_crypto().expect("link wasi-crypto");
    inst.link_noop("bench", "nop", &[ValType::I32; 3])
        .expect("link nop");
    inst.link_function(&BINDING_NOP).expect("link binding_nop");
    inst.compile().expect("compile");
    inst
}

fn timed(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
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
