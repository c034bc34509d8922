//! Arbitrary bytes into every asymmetric import, with exact round trips of what is accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wasmcrypt_fuzz::asym_imports::run(data));
