//! Arbitrary sequences of ABI calls against one context: valid errno, no write on failure,
//! bounded heap, no leak, no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wasmcrypt_fuzz::abi_calls::run(data));
