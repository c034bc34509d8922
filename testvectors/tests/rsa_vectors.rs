//! The RSA suites through the Rust API, each case with its exact answer; the guest paths run
//! in `report.rs`.

#[test]
fn rsa_suites_pass_through_the_rust_api() {
    wasmcrypt_testvectors::report::assert_rust_api(wasmcrypt_testvectors::suites_rsa::all());
}
