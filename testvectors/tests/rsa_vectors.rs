//! The RSA suites through the Rust API, each case with its exact answer; the guest paths run
//! in `report.rs`.

#[test]
fn rsa_suites_pass_through_the_rust_api() {
    let mut bad = Vec::new();
    for s in wasmcrypt_testvectors::suites_rsa::all().unwrap() {
        let row = wasmcrypt_testvectors::report::rust_api(&s);
        println!(
            "{} | {} | {} cases | {} passed",
            row.algorithm, row.source, row.cases, row.passed
        );
        if row.failed() > 0 {
            bad.push(format!(
                "{} / {}: {:#?}",
                row.algorithm, row.source, row.first_failures
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
