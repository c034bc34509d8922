//! The conformance report has no failure on any path, and every suite yields its pinned count.

#[test]
fn every_suite_passes_on_every_path() {
    let rows = wasmcrypt_testvectors::report::run_all().unwrap();
    let table = wasmcrypt_testvectors::report::table(&rows);
    for r in &rows {
        assert_eq!(
            r.failed(),
            0,
            "{} / {} / {}: {:?}\n{table}",
            r.algorithm,
            r.source,
            r.path,
            r.first_failures
        );
        assert!(r.cases > 0, "{} / {} is empty", r.algorithm, r.source);
    }
}
