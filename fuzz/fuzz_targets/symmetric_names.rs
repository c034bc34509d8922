//! Arbitrary algorithm names and data through symmetric_state_open/absorb/squeeze.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wasmcrypt_fuzz::symmetric_names::run(data));
