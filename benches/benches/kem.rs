//! Key encapsulation through Wasmtime from a guest, next to the same crates called natively, in
//! one run: ML-KEM-768 key generation (`keypair_generate` + close), encapsulation
//! (`kx_encapsulate` and pulling both outputs) and decapsulation (`kx_decapsulate` and pulling
//! the secret), and X-Wing encapsulation and decapsulation. The native side draws its
//! randomness from the OS (`getrandom`), the guest's host from the context's generator.

use criterion::{Criterion, criterion_group, criterion_main};
use ml_kem::{Decapsulate as _, KeyExport as _};
use wasmtime::{Engine, Module};

#[path = "../common/guest.rs"]
mod guest;
use guest::Guest;

/// Memory: 0 and 4 out-values, 8 the `none` options union, 256 algorithm name, 2048 pulled
/// secret, 4096 ciphertext (written by `encaps`, read by `decaps`), 8192 public key bytes.
const GUEST: &str = r#"
(module
  (import "wasi_ephemeral_crypto_common" "array_output_len" (func $aol (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_common" "array_output_pull" (func $aop (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_generate" (func $kpg (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_publickey" (func $kpp (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_secretkey" (func $kps (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_close" (func $kpc (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_kx" "kx_encapsulate" (func $enc (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_kx" "kx_decapsulate" (func $dec (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "\01")
  (func $out (param $e i32) (result i32)
    (if (result i32) (local.get $e) (then (i32.const -1)) (else (i32.load (i32.const 0)))))
  ;; Pulls array output $a to $dst; its length at 12.
  (func $pull (param $a i32) (param $dst i32) (result i32) (local $e i32)
    (local.set $e (call $aol (local.get $a) (i32.const 12)))
    (i32.or (local.get $e) (call $aop (local.get $a) (local.get $dst) (i32.load (i32.const 12)) (i32.const 16))))
  (func (export "generate") (param $al i32) (result i32)
    (call $out (call $kpg (i32.const 2) (i32.const 256) (local.get $al) (i32.const 8) (i32.const 0))))
  (func (export "kp_publickey") (param $kp i32) (result i32)
    (call $out (call $kpp (local.get $kp) (i32.const 0))))
  (func (export "kp_secretkey") (param $kp i32) (result i32)
    (call $out (call $kps (local.get $kp) (i32.const 0))))
  ;; A key pair generated and closed.
  (func (export "keygen") (param $al i32) (result i32) (local $e i32)
    (local.set $e (call $kpg (i32.const 2) (i32.const 256) (local.get $al) (i32.const 8) (i32.const 0)))
    (i32.or (local.get $e) (call $kpc (i32.load (i32.const 0)))))
  ;; kx_encapsulate, then the secret to 2048 and the ciphertext to 4096.
  (func (export "encaps") (param $pk i32) (result i32) (local $e i32)
    (local.set $e (call $enc (local.get $pk) (i32.const 0) (i32.const 4)))
    (local.set $e (i32.or (local.get $e) (call $pull (i32.load (i32.const 0)) (i32.const 2048))))
    (i32.or (local.get $e) (call $pull (i32.load (i32.const 4)) (i32.const 4096))))
  ;; kx_decapsulate of the ciphertext at 4096, the secret to 2048.
  (func (export "decaps") (param $sk i32) (param $ctl i32) (result i32) (local $e i32)
    (local.set $e (call $dec (local.get $sk) (i32.const 4096) (local.get $ctl) (i32.const 0)))
    (i32.or (local.get $e) (call $pull (i32.load (i32.const 0)) (i32.const 2048))))
)
"#;

/// A guest with `alg`'s name written at 256.
fn kem_guest(engine: &Engine, module: &Module, alg: &str) -> Guest {
    let mut g = Guest::new(engine, module);
    g.write(256, alg.as_bytes());
    g
}

fn kem(c: &mut Criterion) {
    let engine = Engine::default();
    let module = Module::new(&engine, GUEST).expect("compile");
    let mut group = c.benchmark_group("kem");
    for (alg, ct_len) in [("ML-KEM-768", 1088), ("X-WING", 1120)] {
        let mut g = kem_guest(&engine, &module, alg);
        let al = alg.len() as i32;
        let kp = g.call1("generate", al);
        assert!(kp >= 0, "{alg}");
        let pk = g.call1("kp_publickey", kp);
        let sk = g.call1("kp_secretkey", kp);
        assert!(pk >= 0 && sk >= 0, "{alg}");
        assert_eq!(g.call1("encaps", pk), 0, "{alg}");
        let decaps = g.func::<(i32, i32), i32>("decaps");
        assert_eq!(
            decaps.call(&mut g.store, (sk, ct_len)).expect("no trap"),
            0,
            "{alg}"
        );
        if alg == "ML-KEM-768" {
            let keygen = g.func::<i32, i32>("keygen");
            group.bench_function(format!("{alg}/keygen/wasmtime"), |b| {
                b.iter(|| keygen.call(&mut g.store, al).expect("no trap"))
            });
        }
        let encaps = g.func::<i32, i32>("encaps");
        group.bench_function(format!("{alg}/encaps/wasmtime"), |b| {
            b.iter(|| encaps.call(&mut g.store, pk).expect("no trap"))
        });
        group.bench_function(format!("{alg}/decaps/wasmtime"), |b| {
            b.iter(|| decaps.call(&mut g.store, (sk, ct_len)).expect("no trap"))
        });
    }
    // The same crates natively.
    let mut seed = [0u8; 64];
    getrandom::fill(&mut seed).expect("OS entropy");
    group.bench_function("ML-KEM-768/keygen/native", |b| {
        b.iter(|| {
            getrandom::fill(&mut seed).expect("OS entropy");
            ml_kem::DecapsulationKey768::from_seed(seed.into())
        })
    });
    let dk = ml_kem::DecapsulationKey768::from_seed(seed.into());
    let ek = dk.encapsulation_key().clone();
    let mut m = [0u8; 32];
    group.bench_function("ML-KEM-768/encaps/native", |b| {
        b.iter(|| {
            getrandom::fill(&mut m).expect("OS entropy");
            ek.encapsulate_deterministic(&m.into())
        })
    });
    let (ct, _) = ek.encapsulate_deterministic(&m.into());
    group.bench_function("ML-KEM-768/decaps/native", |b| {
        b.iter(|| dk.decapsulate(&ct))
    });
    let mut xs = [0u8; 32];
    getrandom::fill(&mut xs).expect("OS entropy");
    let xdk = x_wing::DecapsulationKey::from(xs);
    let xek = x_wing::EncapsulationKey::try_from(&xdk_bytes(&xdk)[..]).expect("ek");
    let mut r = [0u8; 64];
    group.bench_function("X-WING/encaps/native", |b| {
        b.iter(|| {
            getrandom::fill(&mut r).expect("OS entropy");
            xek.encapsulate_deterministic(&r.into())
        })
    });
    let (xct, _) = xek.encapsulate_deterministic(&r.into());
    group.bench_function("X-WING/decaps/native", |b| {
        b.iter(|| x_wing::Decapsulate::decapsulate(&xdk, &xct))
    });
    group.finish();
}

/// The encoded encapsulation key of an X-Wing decapsulation key.
fn xdk_bytes(dk: &x_wing::DecapsulationKey) -> Vec<u8> {
    x_wing::Decapsulator::encapsulation_key(dk)
        .to_bytes()
        .to_vec()
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = kem
}
criterion_main!(benches);
