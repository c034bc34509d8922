//! The KEM suites through the Rust API, each case with its exact answer; the guest paths
//! run in `report.rs`.

#[test]
fn kem_suites_pass_through_the_rust_api() {
    wasmcrypt_testvectors::report::assert_rust_api(wasmcrypt_testvectors::suites_kem::all());
}
