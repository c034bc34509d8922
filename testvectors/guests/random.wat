;; random: wasi_snapshot_preview1.random_get through the host's generator. Prints
;; `random-32 HEX` (32 fresh bytes), then the WASI errno of edge cases: 0 bytes, a buffer past
;; the end of memory, a length that wraps, and 1 MiB at once; then `untouched 1` if the bytes
;; around the 32-byte buffer were left alone.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 17)
  (data (i32.const 512) "0123456789abcdef")
  (data (i32.const 528) "random-32 ")
  (data (i32.const 544) "random-0 ")
  (data (i32.const 560) "random-past-memory ")
  (data (i32.const 580) "random-wrapping-length ")
  (data (i32.const 604) "random-1MiB ")
  (data (i32.const 616) "untouched ")
  (data (i32.const 628) "\0a")

  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $dec_line (param $l i32) (param $ln i32) (param $v i32) (local $n i32)
    (call $write (local.get $l) (local.get $ln))
    (if (i32.ge_u (local.get $v) (i32.const 10)) (then
      (i32.store8 (i32.const 128) (i32.add (i32.const 48) (i32.div_u (local.get $v) (i32.const 10))))
      (local.set $n (i32.const 1))))
    (i32.store8 (i32.add (i32.const 128) (local.get $n)) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
    (call $write (i32.const 128) (i32.add (local.get $n) (i32.const 1)))
    (call $write (i32.const 628) (i32.const 1)))

  (func (export "_start") (local $i i32) (local $b i32) (local $ok i32)
    ;; canaries around the buffer at 64..96
    (i64.store (i32.const 56) (i64.const -1))
    (i64.store (i32.const 96) (i64.const -1))
    (call $dec_line (i32.const 544) (i32.const 9) (call $random_get (i32.const 64) (i32.const 0)))
    (drop (call $random_get (i32.const 64) (i32.const 32)))
    (call $write (i32.const 528) (i32.const 10))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const 32)))
      (local.set $b (i32.load8_u (i32.add (i32.const 64) (local.get $i))))
      (i32.store8 (i32.add (i32.const 128) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 512) (i32.shr_u (local.get $b) (i32.const 4)))))
      (i32.store8 (i32.add (i32.const 129) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 512) (i32.and (local.get $b) (i32.const 15)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (call $write (i32.const 128) (i32.const 64))
    (call $write (i32.const 628) (i32.const 1))
    ;; 17 pages = 1114112 bytes; the last 8 bytes plus one are past the end
    (call $dec_line (i32.const 560) (i32.const 19) (call $random_get (i32.const 1114104) (i32.const 9)))
    (call $dec_line (i32.const 580) (i32.const 23) (call $random_get (i32.const 16) (i32.const -1)))
    (call $dec_line (i32.const 604) (i32.const 12) (call $random_get (i32.const 65536) (i32.const 1048576)))
    (local.set $ok (i32.and (i64.eq (i64.load (i32.const 56)) (i64.const -1))
                            (i64.eq (i64.load (i32.const 96)) (i64.const -1))))
    (call $dec_line (i32.const 616) (i32.const 10) (local.get $ok)))
)
