//! Signatures and key agreement through Wasmtime from a guest, next to the same crates called
//! natively, in one run: Ed25519, ECDSA P-256 and secp256k1 sign and verify over a 64-byte
//! message (the guest opens a state, updates it, signs or verifies, and closes everything, as a
//! client does per message), X25519 and P-256 ECDH (`kx_dh` and pulling the secret; and with a
//! key pair generated first).

use criterion::{Criterion, criterion_group, criterion_main};
use ed25519_dalek::Signer as _;
use wasmtime::{Engine, Module};

#[path = "../common/guest.rs"]
mod guest;
use guest::Guest;

/// Memory: 0 out-value, 8 the `none` options union, 256 algorithm name, 512 key bytes,
/// 1024 the message (64 bytes), 2048 pulled output.
const GUEST: &str = r#"
(module
  (import "wasi_ephemeral_crypto_common" "array_output_len" (func $aol (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_common" "array_output_pull" (func $aop (param i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_generate" (func $kpg (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_import" (func $kpi (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_publickey" (func $kpp (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_secretkey" (func $kps (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_close" (func $kpc (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "secretkey_close" (func $skc (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_state_open" (func $so (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_state_update" (func $su (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_state_sign" (func $ss (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_state_close" (func $sc (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_close" (func $sgc (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_verification_state_open" (func $vo (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_verification_state_update" (func $vu (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_verification_state_verify" (func $vv (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_verification_state_close" (func $vc (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_kx" "kx_dh" (func $dh (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "\01")
  (data (i32.const 1024) "\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05")
  ;; An out-value, or -1 on error.
  (func $out (param $e i32) (result i32)
    (if (result i32) (local.get $e) (then (i32.const -1)) (else (i32.load (i32.const 0)))))
  (func (export "kp_import") (param $t i32) (param $al i32) (param $kl i32) (result i32)
    (call $out (call $kpi (local.get $t) (i32.const 256) (local.get $al) (i32.const 512) (local.get $kl) (i32.const 0) (i32.const 0))))
  (func (export "kp_publickey") (param $kp i32) (result i32)
    (call $out (call $kpp (local.get $kp) (i32.const 0))))
  (func (export "kp_secretkey") (param $kp i32) (result i32)
    (call $out (call $kps (local.get $kp) (i32.const 0))))
  ;; A signature handle over the message, kept for verification.
  (func (export "make_sig") (param $kp i32) (result i32) (local $s i32) (local $sig i32)
    (drop (call $so (local.get $kp) (i32.const 0)))
    (local.set $s (i32.load (i32.const 0)))
    (drop (call $su (local.get $s) (i32.const 1024) (i32.const 64)))
    (local.set $sig (call $out (call $ss (local.get $s) (i32.const 0))))
    (drop (call $sc (local.get $s)))
    (local.get $sig))
  ;; One message signed: open, update, sign, close the state and the signature.
  (func (export "sign64") (param $kp i32) (result i32) (local $e i32) (local $s i32)
    (local.set $e (call $so (local.get $kp) (i32.const 0)))
    (local.set $s (i32.load (i32.const 0)))
    (local.set $e (i32.or (local.get $e) (call $su (local.get $s) (i32.const 1024) (i32.const 64))))
    (local.set $e (i32.or (local.get $e) (call $ss (local.get $s) (i32.const 0))))
    (local.set $e (i32.or (local.get $e) (call $sgc (i32.load (i32.const 0)))))
    (i32.or (local.get $e) (call $sc (local.get $s))))
  ;; One message verified: open, update, verify, close.
  (func (export "verify64") (param $pk i32) (param $sig i32) (result i32) (local $e i32) (local $s i32)
    (local.set $e (call $vo (local.get $pk) (i32.const 0)))
    (local.set $s (i32.load (i32.const 0)))
    (local.set $e (i32.or (local.get $e) (call $vu (local.get $s) (i32.const 1024) (i32.const 64))))
    (local.set $e (i32.or (local.get $e) (call $vv (local.get $s) (local.get $sig))))
    (i32.or (local.get $e) (call $vc (local.get $s))))
  ;; kx_dh and the secret pulled out: kx_dh + array_output_len + array_output_pull.
  (func $dh_pull (param $pk i32) (param $sk i32) (result i32) (local $e i32) (local $a i32)
    (local.set $e (call $dh (local.get $pk) (local.get $sk) (i32.const 0)))
    (local.set $a (i32.load (i32.const 0)))
    (local.set $e (i32.or (local.get $e) (call $aol (local.get $a) (i32.const 4))))
    (i32.or (local.get $e) (call $aop (local.get $a) (i32.const 2048) (i32.load (i32.const 4)) (i32.const 4))))
  (func (export "dh") (param $pk i32) (param $sk i32) (result i32)
    (call $dh_pull (local.get $pk) (local.get $sk)))
  ;; A fresh key pair, then the agreement with a peer's public key.
  (func (export "gen_dh") (param $al i32) (param $pk i32) (result i32) (local $e i32) (local $kp i32) (local $sk i32)
    (local.set $e (call $kpg (i32.const 2) (i32.const 256) (local.get $al) (i32.const 8) (i32.const 0)))
    (local.set $kp (i32.load (i32.const 0)))
    (local.set $e (i32.or (local.get $e) (call $kps (local.get $kp) (i32.const 0))))
    (local.set $sk (i32.load (i32.const 0)))
    (local.set $e (i32.or (local.get $e) (call $dh_pull (local.get $pk) (local.get $sk))))
    (local.set $e (i32.or (local.get $e) (call $skc (local.get $sk))))
    (i32.or (local.get $e) (call $kpc (local.get $kp))))
)
"#;

/// Writes the algorithm name and key bytes, imports the key pair; returns its handle.
fn keypair(g: &mut Guest, alg_type: i32, alg: &str, key: &[u8]) -> i32 {
    g.write(256, alg.as_bytes());
    g.write(512, key);
    let f = g.func::<(i32, i32, i32), i32>("kp_import");
    let h = f
        .call(&mut g.store, (alg_type, alg.len() as i32, key.len() as i32))
        .expect("no trap");
    assert!(h >= 0, "{alg}: key pair import");
    h
}

const MSG: [u8; 64] = [5; 64];

fn signatures(c: &mut Criterion) {
    let engine = Engine::default();
    let module = Module::new(&engine, GUEST).expect("compile");
    let mut group = c.benchmark_group("signatures_64B");
    // Ed25519: RFC 8032 TEST 1's key pair.
    let seed: [u8; 32] = [
        0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c,
        0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae,
        0x7f, 0x60,
    ];
    let ed = ed25519_dalek::SigningKey::from_bytes(&seed);
    let p256_sk = p256::ecdsa::SigningKey::from_slice(&[0x11; 32]).expect("scalar");
    let k256_sk = k256::ecdsa::SigningKey::from_slice(&[0x22; 32]).expect("scalar");
    let keys: [(&str, Vec<u8>); 3] = [
        ("Ed25519", ed.to_keypair_bytes().to_vec()),
        ("ECDSA_P256_SHA256", p256_sk.to_bytes().to_vec()),
        ("ECDSA_K256_SHA256", k256_sk.to_bytes().to_vec()),
    ];
    for (alg, key) in keys {
        let mut g = Guest::new(&engine, &module);
        let kp = keypair(&mut g, 0, alg, &key);
        let pk = g.call1("kp_publickey", kp);
        let sig = g.call1("make_sig", kp);
        assert!(pk >= 0 && sig >= 0, "{alg}");
        assert_eq!(g.call1("sign64", kp), 0, "{alg}");
        let verify = g.func::<(i32, i32), i32>("verify64");
        assert_eq!(
            verify.call(&mut g.store, (pk, sig)).expect("no trap"),
            0,
            "{alg}"
        );
        let sign = g.func::<i32, i32>("sign64");
        group.bench_function(format!("{alg}/sign/wasmtime"), |b| {
            b.iter(|| sign.call(&mut g.store, kp).expect("no trap"))
        });
        group.bench_function(format!("{alg}/verify/wasmtime"), |b| {
            b.iter(|| verify.call(&mut g.store, (pk, sig)).expect("no trap"))
        });
    }
    // The same crates natively: sign and verify the same 64 bytes.
    let ed_sig = ed.sign(&MSG);
    let ed_pk = ed.verifying_key();
    group.bench_function("Ed25519/sign/native", |b| b.iter(|| ed.sign(&MSG)));
    group.bench_function("Ed25519/verify/native", |b| {
        b.iter(|| ed_pk.verify_strict(&MSG, &ed_sig).expect("verifies"))
    });
    {
        use p256::ecdsa::signature::{Signer, Verifier};
        let sig: p256::ecdsa::Signature = p256_sk.sign(&MSG);
        let pk = *p256_sk.verifying_key();
        group.bench_function("ECDSA_P256_SHA256/sign/native", |b| {
            b.iter(|| -> p256::ecdsa::Signature { p256_sk.sign(&MSG) })
        });
        group.bench_function("ECDSA_P256_SHA256/verify/native", |b| {
            b.iter(|| pk.verify(&MSG, &sig).expect("verifies"))
        });
        let sig: k256::ecdsa::Signature = k256_sk.sign(&MSG);
        let pk = *k256_sk.verifying_key();
        group.bench_function("ECDSA_K256_SHA256/sign/native", |b| {
            b.iter(|| -> k256::ecdsa::Signature { k256_sk.sign(&MSG) })
        });
        group.bench_function("ECDSA_K256_SHA256/verify/native", |b| {
            b.iter(|| pk.verify(&MSG, &sig).expect("verifies"))
        });
    }
    group.finish();
}

fn key_agreement(c: &mut Criterion) {
    let engine = Engine::default();
    let module = Module::new(&engine, GUEST).expect("compile");
    let mut group = c.benchmark_group("key_agreement");
    let x_sk = [0x33u8; 32];
    let x_peer = [0x44u8; 32];
    let x_pub = curve25519_dalek::MontgomeryPoint::mul_base_clamped(x_peer);
    let x_kp = [
        curve25519_dalek::MontgomeryPoint::mul_base_clamped(x_sk).to_bytes(),
        x_sk,
    ]
    .concat();
    let p_sk = p256::SecretKey::from_slice(&[0x55; 32]).expect("scalar");
    let p_peer = p256::SecretKey::from_slice(&[0x66; 32]).expect("scalar");
    for (alg, kp_bytes, peer_kp) in [
        (
            "X25519",
            x_kp.clone(),
            [x_pub.to_bytes().to_vec(), x_peer.to_vec()].concat(),
        ),
        (
            "P256-SHA256",
            p_sk.to_bytes().to_vec(),
            p_peer.to_bytes().to_vec(),
        ),
    ] {
        let mut g = Guest::new(&engine, &module);
        let peer = keypair(&mut g, 2, alg, &peer_kp);
        let peer_pk = g.call1("kp_publickey", peer);
        let kp = keypair(&mut g, 2, alg, &kp_bytes);
        let sk = g.call1("kp_secretkey", kp);
        let dh = g.func::<(i32, i32), i32>("dh");
        assert_eq!(
            dh.call(&mut g.store, (peer_pk, sk)).expect("no trap"),
            0,
            "{alg}"
        );
        let gen_dh = g.func::<(i32, i32), i32>("gen_dh");
        let al = alg.len() as i32;
        assert_eq!(
            gen_dh.call(&mut g.store, (al, peer_pk)).expect("no trap"),
            0,
            "{alg}"
        );
        group.bench_function(format!("{alg}/dh/wasmtime"), |b| {
            b.iter(|| dh.call(&mut g.store, (peer_pk, sk)).expect("no trap"))
        });
        group.bench_function(format!("{alg}/generate+dh/wasmtime"), |b| {
            b.iter(|| gen_dh.call(&mut g.store, (al, peer_pk)).expect("no trap"))
        });
    }
    let mut seed = [0u8; 32];
    group.bench_function("X25519/dh/native", |b| b.iter(|| x_pub.mul_clamped(x_sk)));
    group.bench_function("X25519/generate+dh/native", |b| {
        b.iter(|| {
            getrandom::fill(&mut seed).expect("OS entropy");
            let _public = curve25519_dalek::MontgomeryPoint::mul_base_clamped(seed);
            x_pub.mul_clamped(seed)
        })
    });
    let p_pub = p_peer.public_key();
    group.bench_function("P256-SHA256/dh/native", |b| {
        b.iter(|| p256::ecdh::diffie_hellman(p_sk.to_nonzero_scalar(), p_pub.as_affine()))
    });
    group.bench_function("P256-SHA256/generate+dh/native", |b| {
        b.iter(|| {
            getrandom::fill(&mut seed).expect("OS entropy");
            let sk = p256::SecretKey::from_slice(&seed).expect("scalar");
            let _public = sk.public_key();
            p256::ecdh::diffie_hellman(sk.to_nonzero_scalar(), p_pub.as_affine())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = signatures, key_agreement
}
criterion_main!(benches);
