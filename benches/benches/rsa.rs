//! RSA through Wasmtime from a guest and natively through the Rust API, in one run:
//! `RSA_PKCS1_2048_SHA256` sign and verify, `RSA_PKCS1_4096_SHA512` sign, `RSA_PSS_2048_SHA256`
//! sign, over a 64-byte message (open a state, update, sign or verify, close, as a client does
//! per message). Next to them, the `rsa` crate's own blinded signer and verifier on the same
//! key (the baseline the core's CRT signer replaces). Keys: the first group of Wycheproof's
//! `rsa_pkcs1_{2048,4096}_sig_gen` files (`testvectors/data/asym/`).

use criterion::{Criterion, criterion_group, criterion_main};
use wasmcrypt_core::rng::{BaseRng, InstanceRng, OsEntropy};
use wasmcrypt_core::{AlgorithmType, Config, Ctx, Keypair, KeypairEncoding, Publickey, Signature};
use wasmtime::{Engine, Module};

#[path = "../common/guest.rs"]
mod guest;
use guest::Guest;

/// Memory: 0 out-value, 256 algorithm name, 1024 the message (64 bytes), 4096 key bytes.
const GUEST: &str = r#"
(module
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_import" (func $kpi (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_asymmetric_common" "keypair_publickey" (func $kpp (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_state_open" (func $so (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_state_update" (func $su (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_state_sign" (func $ss (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_state_close" (func $sc (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_close" (func $sgc (param i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_verification_state_open" (func $vo (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_verification_state_update" (func $vu (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_verification_state_verify" (func $vv (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_signatures" "signature_verification_state_close" (func $vc (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05\05")
  (func $out (param $e i32) (result i32)
    (if (result i32) (local.get $e) (then (i32.const -1)) (else (i32.load (i32.const 0)))))
  ;; PKCS#8 key pair import (encoding 1).
  (func (export "kp_import") (param $al i32) (param $kl i32) (result i32)
    (call $out (call $kpi (i32.const 0) (i32.const 256) (local.get $al) (i32.const 4096) (local.get $kl) (i32.const 1) (i32.const 0))))
  (func (export "kp_publickey") (param $kp i32) (result i32)
    (call $out (call $kpp (local.get $kp) (i32.const 0))))
  (func (export "make_sig") (param $kp i32) (result i32) (local $s i32) (local $sig i32)
    (drop (call $so (local.get $kp) (i32.const 0)))
    (local.set $s (i32.load (i32.const 0)))
    (drop (call $su (local.get $s) (i32.const 1024) (i32.const 64)))
    (local.set $sig (call $out (call $ss (local.get $s) (i32.const 0))))
    (drop (call $sc (local.get $s)))
    (local.get $sig))
  (func (export "sign64") (param $kp i32) (result i32) (local $e i32) (local $s i32)
    (local.set $e (call $so (local.get $kp) (i32.const 0)))
    (local.set $s (i32.load (i32.const 0)))
    (local.set $e (i32.or (local.get $e) (call $su (local.get $s) (i32.const 1024) (i32.const 64))))
    (local.set $e (i32.or (local.get $e) (call $ss (local.get $s) (i32.const 0))))
    (local.set $e (i32.or (local.get $e) (call $sgc (i32.load (i32.const 0)))))
    (i32.or (local.get $e) (call $sc (local.get $s))))
  (func (export "verify64") (param $pk i32) (param $sig i32) (result i32) (local $e i32) (local $s i32)
    (local.set $e (call $vo (local.get $pk) (i32.const 0)))
    (local.set $s (i32.load (i32.const 0)))
    (local.set $e (i32.or (local.get $e) (call $vu (local.get $s) (i32.const 1024) (i32.const 64))))
    (local.set $e (i32.or (local.get $e) (call $vv (local.get $s) (local.get $sig))))
    (i32.or (local.get $e) (call $vc (local.get $s))))
)
"#;

const MSG: [u8; 64] = [5; 64];

/// The first group's PKCS#8 key of a Wycheproof `sig_gen` file.
fn key(bits: usize) -> Vec<u8> {
    let path =
        wasmcrypt_testvectors::suites::data(&format!("asym/rsa_pkcs1_{bits}_sig_gen_test.json"));
    let text = std::fs::read_to_string(path).expect("vector file");
    let start = text.find("\"privateKeyPkcs8\"").expect("a PKCS#8 key");
    let hex = text[start..]
        .split('"')
        .nth(3)
        .expect("the key's hex string");
    wasmcrypt_testvectors::rsp::decode_hex(hex).expect("hex")
}

fn keypair(g: &mut Guest, alg: &str, key: &[u8]) -> i32 {
    g.write(256, alg.as_bytes());
    g.write(4096, key);
    let f = g.func::<(i32, i32), i32>("kp_import");
    let h = f
        .call(&mut g.store, (alg.len() as i32, key.len() as i32))
        .expect("no trap");
    assert!(h >= 0, "{alg}: key pair import");
    h
}

/// A context with randomness (blinding, PSS salts) as an embedder would make it.
fn native_ctx() -> Ctx {
    let base = BaseRng::new(Box::new(OsEntropy)).expect("OS entropy");
    Ctx::with_rng(Config::default(), InstanceRng::new(&base))
}

fn native_sign(ctx: &mut Ctx, kp: Keypair) -> Signature {
    let st = ctx.signature_state_open(kp).expect("state");
    ctx.signature_state_update(st, &MSG).expect("update");
    let sig = ctx.signature_state_sign(st).expect("sign");
    ctx.signature_state_close(st).expect("close");
    sig
}

fn native_verify(ctx: &mut Ctx, pk: Publickey, sig: Signature) {
    let st = ctx.signature_verification_state_open(pk).expect("state");
    ctx.signature_verification_state_update(st, &MSG)
        .expect("update");
    ctx.signature_verification_state_verify(st, sig)
        .expect("verifies");
    ctx.signature_verification_state_close(st).expect("close");
}

fn rsa(c: &mut Criterion) {
    let engine = Engine::default();
    let module = Module::new(&engine, GUEST).expect("compile");
    let mut group = c.benchmark_group("rsa_64B");
    group.sample_size(20);
    let k2048 = key(2048);
    let k4096 = key(4096);
    let cases: [(&str, &Vec<u8>, bool); 4] = [
        ("RSA_PKCS1_2048_SHA256", &k2048, true),
        ("RSA_PKCS1_4096_SHA512", &k4096, false),
        ("RSA_PSS_2048_SHA256", &k2048, false),
        ("RSA_PSS_4096_SHA512", &k4096, false),
    ];
    for (alg, key, with_verify) in cases {
        // Through Wasmtime.
        let mut g = Guest::new(&engine, &module);
        let kp = keypair(&mut g, alg, key);
        let pk = g.call1("kp_publickey", kp);
        let sig = g.call1("make_sig", kp);
        assert!(pk >= 0 && sig >= 0, "{alg}");
        let sign = g.func::<i32, i32>("sign64");
        let verify = g.func::<(i32, i32), i32>("verify64");
        assert_eq!(sign.call(&mut g.store, kp).expect("no trap"), 0, "{alg}");
        assert_eq!(verify.call(&mut g.store, (pk, sig)).expect("no trap"), 0);
        group.bench_function(format!("{alg}/sign/wasmtime"), |b| {
            b.iter(|| sign.call(&mut g.store, kp).expect("no trap"))
        });
        if with_verify {
            group.bench_function(format!("{alg}/verify/wasmtime"), |b| {
                b.iter(|| verify.call(&mut g.store, (pk, sig)).expect("no trap"))
            });
        }
        // Natively, through the Rust API.
        let mut ctx = native_ctx();
        let kp = ctx
            .keypair_import(
                AlgorithmType::Signatures,
                alg.as_bytes(),
                key,
                KeypairEncoding::Pkcs8,
            )
            .expect("import");
        let pk = ctx.keypair_publickey(kp).expect("public key");
        let sig = native_sign(&mut ctx, kp);
        native_verify(&mut ctx, pk, sig);
        group.bench_function(format!("{alg}/sign/native"), |b| {
            b.iter(|| {
                let s = native_sign(&mut ctx, kp);
                ctx.signature_close(s).expect("close");
            })
        });
        if with_verify {
            group.bench_function(format!("{alg}/verify/native"), |b| {
                b.iter(|| native_verify(&mut ctx, pk, sig))
            });
        }
    }
    // The rsa crate's own blinded PKCS#1 v1.5 signer and its verifier, on the same key.
    {
        use rsa::pkcs8::DecodePrivateKey;
        use sha2::{Digest, Sha256};
        let sk = rsa::PrivateKey::from_pkcs8_der(&k2048).expect("key");
        let pk = sk.to_public_key();
        let digest = Sha256::digest(MSG);
        let mut rng = OsRng;
        let scheme = || rsa::Pkcs1v15Sign::new::<Sha256>();
        let sig = sk.sign_with_rng(&mut rng, scheme(), &digest).expect("sign");
        group.bench_function("RSA_PKCS1_2048_SHA256/sign/rsa-crate-blinded", |b| {
            b.iter(|| sk.sign_with_rng(&mut rng, scheme(), &digest).expect("sign"))
        });
        group.bench_function("RSA_PKCS1_2048_SHA256/verify/rsa-crate", |b| {
            b.iter(|| pk.verify(scheme(), &digest, &sig).expect("verifies"))
        });
    }
    group.finish();
}

/// OS randomness for the `rsa` crate baseline (benchmark only; the host never does this).
struct OsRng;

impl rsa::rand_core::TryRng for OsRng {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(dst).expect("OS randomness");
        Ok(())
    }
}

impl rsa::rand_core::TryCryptoRng for OsRng {}

criterion_group!(benches, rsa);
criterion_main!(benches);
