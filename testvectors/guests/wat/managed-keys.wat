;; A guest that uses a managed HMAC key through the secrets manager and rotates it:
;; generate managed -> use -> replace with a known key (RFC 4231 test case 1) -> use the
;; latest and the old version by id -> invalidate all versions -> not_found, and the key
;; never exports. `run` returns 0 or the number of the first step whose errno was not 0;
;; results are left in memory for the host to read through `load`:
;;   128..160 the id, 168 its version, 256 tag of the generated key, 288 tag of the latest
;;   version, 320 tag of version 1 by id, 400 the version `replace` returned,
;;   420 errno of from_id after invalidation, 424 errno of exporting the managed key.
;; `run(now)` also generates a managed key that expires at now + 10 (its id at 448);
;; `late()` then asks for it by id and returns the errno (the host moves its clock first).
(module
  (import "wasi_ephemeral_crypto_common" "secrets_manager_open"
    (func $sm_open (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_common" "options_open"
    (func $options_open (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_common" "options_set_u64"
    (func $options_set_u64 (param i32 i32 i32 i64) (result i32)))
  (import "wasi_ephemeral_crypto_common" "secrets_manager_invalidate"
    (func $sm_invalidate (param i32 i32 i32 i64) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_generate_managed"
    (func $gen_managed (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_import"
    (func $import (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_export"
    (func $export (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_replace_managed"
    (func $replace (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_id"
    (func $key_id (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_from_id"
    (func $from_id (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_open"
    (func $open (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb"
    (func $absorb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_squeeze_tag"
    (func $squeeze_tag (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close"
    (func $close (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_tag_pull"
    (func $tag_pull (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "HMAC/SHA-256")
  ;; opt_options none: tag 1.
  (data (i32.const 16) "\01\00\00\00\00\00\00\00")
  (data (i32.const 64) "\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b\0b")
  (data (i32.const 96) "Hi There")
  (data (i32.const 480) "expiration")

  ;; HMAC-SHA-256 of "Hi There" under `key`, written at `dst` (32 bytes); errno.
  (func $tag (param $key i32) (param $dst i32) (result i32)
    (local $e i32)
    ;; opt_symmetric_key some(key) at 40.
    (i32.store (i32.const 40) (i32.const 0))
    (i32.store (i32.const 44) (local.get $key))
    (local.set $e (call $open (i32.const 0) (i32.const 12) (i32.const 40) (i32.const 16) (i32.const 48)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $absorb (i32.load (i32.const 48)) (i32.const 96) (i32.const 8)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $squeeze_tag (i32.load (i32.const 48)) (i32.const 52)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $tag_pull (i32.load (i32.const 52)) (local.get $dst) (i32.const 32) (i32.const 56)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $close (i32.load (i32.const 48))))

  (func (export "run") (param $now i64) (result i32)
    (if (call $sm_open (i32.const 16) (i32.const 32)) (then (return (i32.const 1))))
    (if (call $gen_managed (i32.load (i32.const 32)) (i32.const 0) (i32.const 12) (i32.const 16) (i32.const 36))
      (then (return (i32.const 2))))
    (if (call $tag (i32.load (i32.const 36)) (i32.const 256)) (then (return (i32.const 3))))
    (if (call $key_id (i32.load (i32.const 36)) (i32.const 128) (i32.const 32) (i32.const 160) (i32.const 168))
      (then (return (i32.const 4))))
    (if (call $import (i32.const 0) (i32.const 12) (i32.const 64) (i32.const 20) (i32.const 200))
      (then (return (i32.const 5))))
    (if (call $replace (i32.load (i32.const 32)) (i32.load (i32.const 36)) (i32.load (i32.const 200)) (i32.const 400))
      (then (return (i32.const 6))))
    ;; version.latest
    (if (call $from_id (i32.load (i32.const 32)) (i32.const 128) (i32.const 32) (i64.const 0xff00000000000001) (i32.const 208))
      (then (return (i32.const 7))))
    (if (call $tag (i32.load (i32.const 208)) (i32.const 288)) (then (return (i32.const 8))))
    (if (call $from_id (i32.load (i32.const 32)) (i32.const 128) (i32.const 32) (i64.const 1) (i32.const 204))
      (then (return (i32.const 9))))
    (if (call $tag (i32.load (i32.const 204)) (i32.const 320)) (then (return (i32.const 10))))
    ;; version.all
    (if (call $sm_invalidate (i32.load (i32.const 32)) (i32.const 128) (i32.const 32) (i64.const 0xff00000000000002))
      (then (return (i32.const 11))))
    (i32.store (i32.const 420)
      (call $from_id (i32.load (i32.const 32)) (i32.const 128) (i32.const 32) (i64.const 0xff00000000000001) (i32.const 212)))
    (i32.store (i32.const 424) (call $export (i32.load (i32.const 200)) (i32.const 216)))
    ;; A managed key expiring at now + 10: options (symmetric) with `expiration`.
    (if (call $options_open (i32.const 1) (i32.const 500)) (then (return (i32.const 12))))
    ;; opt_options some(options) at 504.
    (i32.store (i32.const 504) (i32.const 0))
    (i32.store (i32.const 508) (i32.load (i32.const 500)))
    (if (call $options_set_u64 (i32.load (i32.const 500)) (i32.const 480) (i32.const 10)
          (i64.add (local.get $now) (i64.const 10)))
      (then (return (i32.const 13))))
    (if (call $gen_managed (i32.load (i32.const 32)) (i32.const 0) (i32.const 12) (i32.const 504) (i32.const 220))
      (then (return (i32.const 14))))
    (if (call $key_id (i32.load (i32.const 220)) (i32.const 448) (i32.const 32) (i32.const 160) (i32.const 168))
      (then (return (i32.const 15))))
    (i32.const 0))

  (func (export "late") (result i32)
    (call $from_id (i32.load (i32.const 32)) (i32.const 448) (i32.const 32) (i64.const 0xff00000000000001) (i32.const 224)))

  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
