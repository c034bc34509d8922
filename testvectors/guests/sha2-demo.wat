;; sha2-demo: a WASI command that hashes through the host's wasi-crypto imports and prints
;; the digests. With no arguments it hashes "abc" with every SHA-2 function the host offers;
;; each argument given is hashed with SHA-256.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_open"
    (func $open (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb"
    (func $absorb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_squeeze"
    (func $squeeze (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close"
    (func $close (param i32) (result i32)))
  (memory (export "memory") 2)

  ;; 0: iovec, 8: nwritten, 16: state handle, 24: opt-none union, 64: digest, 128: hex,
  ;; 512: strings, 1024: argv pointers, 4096: argv bytes.
  (data (i32.const 24) "\01\00\00\00\00\00\00\00")
  (data (i32.const 512) "0123456789abcdef")
  (data (i32.const 528) "SHA-256")
  (data (i32.const 544) "SHA-384")
  (data (i32.const 560) "SHA-512")
  (data (i32.const 576) "SHA-512/256")
  (data (i32.const 592) "abc")
  (data (i32.const 600) "(\22")
  (data (i32.const 604) "\22) = ")
  (data (i32.const 612) "\0a")
  (data (i32.const 616) "error: errno ")

  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; hex-encodes $n bytes at 64 into 128 and prints them
  (func $print_hex (param $n i32) (local $i i32) (local $b i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $b (i32.load8_u (i32.add (i32.const 64) (local.get $i))))
      (i32.store8 (i32.add (i32.const 128) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 512) (i32.shr_u (local.get $b) (i32.const 4)))))
      (i32.store8 (i32.add (i32.const 129) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 512) (i32.and (local.get $b) (i32.const 15)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (call $write (i32.const 128) (i32.shl (local.get $n) (i32.const 1))))

  ;; on a non-zero errno: print it and exit 1
  (func $check (param $e i32)
    (if (local.get $e) (then
      (call $write (i32.const 616) (i32.const 13))
      (i32.store8 (i32.const 128) (i32.add (i32.const 48) (i32.div_u (local.get $e) (i32.const 10))))
      (i32.store8 (i32.const 129) (i32.add (i32.const 48) (i32.rem_u (local.get $e) (i32.const 10))))
      (i32.store8 (i32.const 130) (i32.const 10))
      (call $write (i32.const 128) (i32.const 3))
      (call $proc_exit (i32.const 1)))))

  ;; prints ALG("MSG") = HEX for an $out-byte digest of MSG
  (func $show (param $alg i32) (param $alg_len i32) (param $msg i32) (param $msg_len i32) (param $out i32)
    (local $h i32)
    (call $check (call $open (local.get $alg) (local.get $alg_len) (i32.const 24) (i32.const 24) (i32.const 16)))
    (local.set $h (i32.load (i32.const 16)))
    (call $check (call $absorb (local.get $h) (local.get $msg) (local.get $msg_len)))
    (call $check (call $squeeze (local.get $h) (i32.const 64) (local.get $out)))
    (call $check (call $close (local.get $h)))
    (call $write (local.get $alg) (local.get $alg_len))
    (call $write (i32.const 600) (i32.const 2))
    (call $write (local.get $msg) (local.get $msg_len))
    (call $write (i32.const 604) (i32.const 5))
    (call $print_hex (local.get $out))
    (call $write (i32.const 612) (i32.const 1)))

  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $n))

  (func (export "_start") (local $argc i32) (local $i i32) (local $p i32)
    (call $check (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (local.set $argc (i32.load (i32.const 16)))
    (if (i32.or (i32.gt_u (local.get $argc) (i32.const 256))
                (i32.gt_u (i32.load (i32.const 20)) (i32.const 61440)))
      (then (call $check (i32.const 16))))
    (if (i32.le_u (local.get $argc) (i32.const 1)) (then
      (call $show (i32.const 528) (i32.const 7) (i32.const 592) (i32.const 3) (i32.const 32))
      (call $show (i32.const 544) (i32.const 7) (i32.const 592) (i32.const 3) (i32.const 48))
      (call $show (i32.const 560) (i32.const 7) (i32.const 592) (i32.const 3) (i32.const 64))
      (call $show (i32.const 576) (i32.const 11) (i32.const 592) (i32.const 3) (i32.const 32))
      (return)))
    (call $check (call $args_get (i32.const 1024) (i32.const 4096)))
    (local.set $i (i32.const 1))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $argc)))
      (local.set $p (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
      (call $show (i32.const 528) (i32.const 7) (local.get $p) (call $strlen (local.get $p)) (i32.const 32))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
)
