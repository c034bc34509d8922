//! RSA key generation time through the Rust API: `keypair_generate` for `RSA_PKCS1_2048_SHA256`,
//! `RSA_PKCS1_3072_SHA384` and `RSA_PKCS1_4096_SHA512`, N runs each (default 20), printing the
//! median and the worst. Prime search is probabilistic, so the spread is wide; this reports it
//! rather than asserting a bound.
//!
//!   cargo run -p wasmcrypt-benches --release --bin rsa_keygen [-- RUNS]

use std::time::{Duration, Instant};

use wasmcrypt_core::rng::{BaseRng, InstanceRng, OsEntropy};
use wasmcrypt_core::{AlgorithmType, Config, Ctx};

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
        .max(1);
    let base = BaseRng::new(Box::new(OsEntropy)).expect("OS entropy");
    let mut ctx = Ctx::with_rng(Config::default(), InstanceRng::new(&base));
    println!("algorithm               runs   median      worst       best");
    for alg in [
        "RSA_PKCS1_2048_SHA256",
        "RSA_PKCS1_3072_SHA384",
        "RSA_PKCS1_4096_SHA512",
    ] {
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let kp = ctx
                    .keypair_generate(AlgorithmType::Signatures, alg.as_bytes(), None)
                    .expect("generate");
                let d = t.elapsed();
                ctx.keypair_close(kp).expect("close");
                d
            })
            .collect();
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{alg:<23} {runs:>4}   {:>8.1} ms {:>8.1} ms {:>8.1} ms",
            median.as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3
        );
    }
}
