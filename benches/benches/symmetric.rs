//! Symmetric throughput and per-message cost, each next to its baseline in the same run.
//!
//! - `aead_16KiB/<alg>/wasmtime`: a guest opens a state (key + nonce), encrypts 16 KiB with an
//!   attached tag and closes it, through Wasmtime; `.../native` is the `aes-gcm` or
//!   `chacha20poly1305` crate on the host encrypting the same 16 KiB (cipher built once).
//! - `msg64/<op>/wasmcrypt`: a `wasm32-wasip1` guest doing one 64-byte operation per message
//!   through wasmcrypt's imports (state open, absorb/encrypt, tag, close); `.../rustcrypto_in_guest`
//!   is the same operation by RustCrypto compiled into that guest, run in the same Wasmtime.

use std::time::{Duration, Instant};

use aes_gcm::aead::{AeadInOut, KeyInit};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker};
use wasmtime::{Engine, Instance, Linker, Module, Store, TypedFunc};

struct Host {
    crypto: WasmCryptoCtx,
}

fn store_and_linker(engine: &Engine) -> (Store<Host>, Linker<Host>) {
    let mut linker: Linker<Host> = Linker::new(engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).expect("link");
    let store = Store::new(
        engine,
        Host {
            crypto: WasmCryptoCtx::new(Default::default()).expect("OS entropy"),
        },
    );
    (store, linker)
}

const AEAD_GUEST: &str = r#"
(module
  (import "wasi_ephemeral_crypto_common" "options_open" (func $oo (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_common" "options_set" (func $os (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_import" (func $ki (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_open" (func $open (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_encrypt" (func $enc (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close" (func $close (param i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 0) "nonce")
  (data (i32.const 64) "\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07\07")
  (data (i32.const 96) "\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09")
  ;; 128: key union, 136: options union, 144: state out, 148: size out; 256: alg name
  ;; setup(alg_len, key_len, nonce_len) -> errno: imports the key, builds the options
  (func (export "setup") (param $al i32) (param $kl i32) (param $nl i32) (result i32)
    (local $e i32)
    (local.set $e (call $ki (i32.const 256) (local.get $al) (i32.const 64) (local.get $kl) (i32.const 132)))
    (local.set $e (i32.or (local.get $e) (call $oo (i32.const 1) (i32.const 140))))
    (local.set $e (i32.or (local.get $e)
      (call $os (i32.load (i32.const 140)) (i32.const 0) (i32.const 5) (i32.const 96) (local.get $nl))))
    (i32.store8 (i32.const 128) (i32.const 0))
    (i32.store8 (i32.const 136) (i32.const 0))
    (local.get $e))
  ;; one message: open, encrypt 16 KiB at 1024 into 20480 (16 KiB + tag), close
  (func (export "seal16k") (param $al i32) (result i32) (local $e i32) (local $s i32)
    (local.set $e (call $open (i32.const 256) (local.get $al) (i32.const 128) (i32.const 136) (i32.const 144)))
    (local.set $s (i32.load (i32.const 144)))
    (local.set $e (i32.or (local.get $e)
      (call $enc (local.get $s) (i32.const 20480) (i32.const 16400) (i32.const 1024) (i32.const 16384) (i32.const 148))))
    (i32.or (local.get $e) (call $close (local.get $s))))
)
"#;

fn aead_16k(c: &mut Criterion) {
    let engine = Engine::default();
    let module = Module::new(&engine, AEAD_GUEST).expect("compile");
    let msg = vec![5u8; 16384];
    let key = [7u8; 32];
    let mut group = c.benchmark_group("aead_16KiB");
    group.throughput(Throughput::Bytes(16384));
    for (alg, key_len, nonce_len) in [
        ("AES-128-GCM", 16, 12),
        ("AES-256-GCM", 32, 12),
        ("CHACHA20-POLY1305", 32, 12),
        ("XCHACHA20-POLY1305", 32, 24),
    ] {
        let (mut store, linker) = store_and_linker(&engine);
        let inst = wasmcrypt_wasmtime::instantiate(&linker, &mut store, &module, |h: &mut Host| {
            &mut h.crypto
        })
        .expect("instantiate");
        let mem = inst.get_memory(&mut store, "memory").expect("memory");
        mem.data_mut(&mut store)[256..256 + alg.len()].copy_from_slice(alg.as_bytes());
        mem.data_mut(&mut store)[1024..1024 + 16384].copy_from_slice(&msg);
        let al = alg.len() as i32;
        let setup: TypedFunc<(i32, i32, i32), i32> =
            inst.get_typed_func(&mut store, "setup").expect("setup");
        assert_eq!(
            setup
                .call(&mut store, (al, key_len, nonce_len))
                .expect("setup"),
            0,
            "{alg}"
        );
        let seal: TypedFunc<i32, i32> = inst.get_typed_func(&mut store, "seal16k").expect("seal");
        assert_eq!(seal.call(&mut store, al).expect("seal"), 0, "{alg}");
        group.bench_function(format!("{alg}/wasmtime"), |b| {
            b.iter(|| seal.call(&mut store, al).expect("no trap"))
        });
        let mut buf = msg.clone();
        match alg {
            "AES-128-GCM" => {
                let c = aes_gcm::Aes128Gcm::new_from_slice(&key[..16]).expect("key");
                let n = aes_gcm::Nonce::from([9u8; 12]);
                group.bench_function(format!("{alg}/native"), |b| {
                    b.iter(|| {
                        c.encrypt_inout_detached(&n, b"", (&mut buf[..]).into())
                            .expect("seal")
                    })
                });
            }
            "AES-256-GCM" => {
                let c = aes_gcm::Aes256Gcm::new_from_slice(&key).expect("key");
                let n = aes_gcm::Nonce::from([9u8; 12]);
                group.bench_function(format!("{alg}/native"), |b| {
                    b.iter(|| {
                        c.encrypt_inout_detached(&n, b"", (&mut buf[..]).into())
                            .expect("seal")
                    })
                });
            }
            "CHACHA20-POLY1305" => {
                let c = chacha20poly1305::ChaCha20Poly1305::new_from_slice(&key).expect("key");
                let n = chacha20poly1305::Nonce::from([9u8; 12]);
                group.bench_function(format!("{alg}/native"), |b| {
                    b.iter(|| {
                        c.encrypt_inout_detached(&n, b"", (&mut buf[..]).into())
                            .expect("seal")
                    })
                });
            }
            _ => {
                let c = chacha20poly1305::XChaCha20Poly1305::new_from_slice(&key).expect("key");
                let n = chacha20poly1305::XNonce::from([9u8; 24]);
                group.bench_function(format!("{alg}/native"), |b| {
                    b.iter(|| {
                        c.encrypt_inout_detached(&n, b"", (&mut buf[..]).into())
                            .expect("seal")
                    })
                });
            }
        }
    }
    group.finish();
}

fn msg64(c: &mut Criterion) {
    let wasm = wasmcrypt_testvectors::guest::build_guest_crate(
        "benches/guest",
        "wasmcrypt_bench_guest.wasm",
    )
    .expect("bench guest builds");
    let engine = Engine::default();
    let module = Module::from_file(&engine, wasm).expect("compile");
    let (mut store, linker) = store_and_linker(&engine);
    let inst: Instance =
        wasmcrypt_wasmtime::instantiate(&linker, &mut store, &module, |h: &mut Host| &mut h.crypto)
            .expect("instantiate");
    let mut group = c.benchmark_group("msg64");
    for op in ["aes128gcm", "chacha20poly1305", "hmac_sha256"] {
        for (side, prefix) in [("wasmcrypt", "wc"), ("rustcrypto_in_guest", "rc")] {
            let f: TypedFunc<u32, u32> = inst
                .get_typed_func(&mut store, &format!("{prefix}_{op}_64"))
                .expect("export");
            let r = f.call(&mut store, 3).expect("no trap");
            assert_eq!(r, 0, "{prefix}_{op} returned errno {r}");
            group.bench_function(format!("{op}/{side}"), |b| {
                b.iter_custom(|iters| {
                    let n = u32::try_from(iters).unwrap_or(u32::MAX);
                    let t = Instant::now();
                    assert_eq!(f.call(&mut store, n).expect("no trap"), 0);
                    t.elapsed()
                })
            });
        }
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = aead_16k, msg64
}
criterion_main!(benches);
