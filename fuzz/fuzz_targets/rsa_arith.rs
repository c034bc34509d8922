//! RSA arithmetic on arbitrary moduli, exponents and bases, against crypto-bigint.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wasmcrypt_fuzz::rsa_arith::run(data));
