;; An entropy plugin for `wasmcrypt random --plugin`: exports `memory` and
;; `fill_entropy(len) -> ptr`. It mixes the WASI monotonic clock's jitter into its bytes; the
;; host only ever mixes plugin bytes into its pool, it never trusts them.
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "fill_entropy") (param $len i32) (result i32) (local $i i32)
    (if (i32.gt_u (local.get $len) (i32.const 4096)) (then (return (i32.const -1))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 8)))
      (i32.store8 (i32.add (i32.const 1024) (local.get $i)) (i32.load8_u (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i32.const 1024))
)
