;; The guest of the host-call benchmarks, the same on every engine (`benches/host_calls.rs`,
;; `benches/wasm3.rs`): loops of N calls inside one guest invocation, so a sample is N calls.
;; `bench.nop` is the engine's bare host call; `bench.binding_nop` a do-nothing entry reached
;; through the binding's own dispatch (wasm3; the Wasmtime bench links it as a bare call and
;; does not time it).
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

  ;; one SHA-256 of the 16 KiB at 65536 into 48
  (func (export "sha256_16k") (result i32) (local $h i32) (local $acc i32)
    (local.set $h (call $new_state))
    (local.set $acc (call $absorb (local.get $h) (i32.const 65536) (i32.const 16384)))
    (local.set $acc (i32.or (local.get $acc) (call $squeeze (local.get $h) (i32.const 48) (i32.const 32))))
    (i32.or (local.get $acc) (call $close (local.get $h))))
)
