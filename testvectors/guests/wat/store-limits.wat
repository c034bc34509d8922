;; A guest that fills the host's key store until it refuses, through the secrets manager:
;; - `versions()`: generates a managed HMAC key, then replaces it with imported keys until a
;;   replacement is refused; the count of accepted replacements is at 200, the version the
;;   latest entry has after the refusal (asked by id) at 208.
;; - `ids()`: generates managed keys (closing each handle) until one is refused; the count is
;;   at 216.
;; - `bytes()`: stores 512-byte external secrets until one is refused; the count is at 220.
;; Each returns the errno of the refusal, or 1000 + step for an unexpected failure; the host
;; reads the counts through `load`.
(module
  (import "wasi_ephemeral_crypto_common" "secrets_manager_open"
    (func $sm_open (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_generate_managed"
    (func $gen_managed (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_import"
    (func $import (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_close"
    (func $key_close (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_replace_managed"
    (func $replace (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_id"
    (func $key_id (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_from_id"
    (func $from_id (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_ephemeral_crypto_external_secrets" "external_secret_store"
    (func $secret_store (param i32 i32 i32 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "HMAC/SHA-256")
  ;; opt_options none: tag 1.
  (data (i32.const 16) "\01\00\00\00\00\00\00\00")
  ;; A 32-byte HMAC key to import.
  (data (i32.const 64) "0123456789abcdef0123456789abcdef")

  ;; The secrets manager handle at 32 (opened once).
  (func $sm (result i32)
    (if (i32.eqz (i32.load (i32.const 32)))
      (then (drop (call $sm_open (i32.const 16) (i32.const 32)))))
    (i32.load (i32.const 32)))

  (func (export "versions") (result i32)
    (local $e i32)
    (local $n i32)
    ;; The managed key, handle at 36; its id at 128 (32 bytes).
    (if (call $gen_managed (call $sm) (i32.const 0) (i32.const 12) (i32.const 16) (i32.const 36))
      (then (return (i32.const 1001))))
    (if (call $key_id (i32.load (i32.const 36)) (i32.const 128) (i32.const 32) (i32.const 160) (i32.const 168))
      (then (return (i32.const 1002))))
    (block $done
      (loop $more
        (if (call $import (i32.const 0) (i32.const 12) (i32.const 64) (i32.const 32) (i32.const 40))
          (then (return (i32.const 1003))))
        ;; Replace: the old handle closes, the new one is the managed key from now on.
        (local.set $e (call $replace (call $sm) (i32.load (i32.const 36)) (i32.load (i32.const 40)) (i32.const 48)))
        (br_if $done (local.get $e))
        (i32.store (i32.const 36) (i32.load (i32.const 40)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $more (i32.lt_u (local.get $n) (i32.const 100)))))
    (i32.store (i32.const 200) (local.get $n))
    ;; The refused key stays the guest's own; the store still has the last accepted version.
    (if (call $key_close (i32.load (i32.const 40))) (then (return (i32.const 1004))))
    (if (call $from_id (call $sm) (i32.const 128) (i32.const 32) (i64.const 0xff00000000000001) (i32.const 44))
      (then (return (i32.const 1005))))
    (if (call $key_id (i32.load (i32.const 44)) (i32.const 128) (i32.const 32) (i32.const 160) (i32.const 208))
      (then (return (i32.const 1006))))
    (local.get $e))

  (func (export "ids") (result i32)
    (local $e i32)
    (local $n i32)
    (block $done
      (loop $more
        (local.set $e (call $gen_managed (call $sm) (i32.const 0) (i32.const 12) (i32.const 16) (i32.const 36)))
        (br_if $done (local.get $e))
        (if (call $key_close (i32.load (i32.const 36))) (then (return (i32.const 1011))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $more (i32.lt_u (local.get $n) (i32.const 100)))))
    (i32.store (i32.const 216) (local.get $n))
    (local.get $e))

  (func (export "bytes") (result i32)
    (local $e i32)
    (local $n i32)
    (block $done
      (loop $more
        ;; 512 bytes of secret at 1024, expiring in the far future, its id written at 96.
        (local.set $e (call $secret_store (call $sm) (i32.const 1024) (i32.const 512) (i64.const 0x7fffffffffffffff) (i32.const 96) (i32.const 32)))
        (br_if $done (local.get $e))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $more (i32.lt_u (local.get $n) (i32.const 100)))))
    (i32.store (i32.const 220) (local.get $n))
    (local.get $e))

  (func (export "load") (param $at i32) (result i32)
    (i32.load (local.get $at))))
