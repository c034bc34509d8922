//! Runs every suite through every path and tallies the results.

use wasmcrypt_core::{Config, Ctx};

use crate::engines::ENGINES;
use crate::suites::Suite;

/// One row of the conformance report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Algorithm.
    pub algorithm: &'static str,
    /// Vector source.
    pub source: String,
    /// `rust-api` or `guest/<engine>`.
    pub path: String,
    /// Cases run.
    pub cases: usize,
    /// Cases whose answer was exactly the expected one.
    pub passed: usize,
    /// The first failures (case line, expected, got), at most five.
    pub first_failures: Vec<(String, String, String)>,
}

impl Row {
    /// Cases that failed (including a count mismatch, which fails every case).
    pub fn failed(&self) -> usize {
        self.cases.saturating_sub(self.passed)
    }
}

fn tally(suite: &Suite, path: String, got: Result<Vec<String>, String>) -> Row {
    let mut row = Row {
        algorithm: suite.algorithm,
        source: suite.source.clone(),
        path,
        cases: suite.cases.len(),
        passed: 0,
        first_failures: Vec::new(),
    };
    match got {
        Ok(answers) => {
            for (c, a) in suite.cases.iter().zip(&answers) {
                if *a == c.expect {
                    row.passed += 1;
                } else if row.first_failures.len() < 5 {
                    row.first_failures
                        .push((c.line.clone(), c.expect.clone(), a.clone()));
                }
            }
        }
        Err(e) => row.first_failures.push((String::new(), String::new(), e)),
    }
    if suite.cases.len() != suite.expected_count {
        row.passed = 0;
        row.first_failures.push((
            String::new(),
            format!("{} cases", suite.expected_count),
            format!("{} cases", suite.cases.len()),
        ));
    }
    row
}

/// Runs `suite` through the Rust API (one context per suite, no engine).
pub fn rust_api(suite: &Suite) -> Row {
    let mut ctx = Ctx::new(Config::default());
    let answers = suite
        .cases
        .iter()
        .map(|c| crate::native::run_line(&mut ctx, &c.line))
        .collect();
    tally(suite, "rust-api".into(), Ok(answers))
}

/// Runs every suite through the Rust API, prints a line per suite, and panics listing each
/// suite with a failed case (the vector tests' shared body).
pub fn assert_rust_api(suites: Result<Vec<Suite>, String>) {
    let mut bad = Vec::new();
    for s in suites.unwrap_or_else(|e| panic!("{e}")) {
        let row = rust_api(&s);
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

/// Runs `suite` through the runner guest on every engine.
pub fn guests(suite: &Suite) -> Vec<Row> {
    let lines: Vec<String> = suite.cases.iter().map(|c| c.line.clone()).collect();
    ENGINES
        .iter()
        .map(|e| {
            tally(
                suite,
                format!("guest/{}", e.name),
                crate::guest::run_cases(e, &lines),
            )
        })
        .collect()
}

/// Every suite through every path.
///
/// # Errors
/// A data file that is missing or malformed.
pub fn run_all() -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for s in crate::suites::all()? {
        rows.push(rust_api(&s));
        rows.extend(guests(&s));
    }
    Ok(rows)
}

/// The report as a Markdown table.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| algorithm | source | path | cases | passed | failed |\n|---|---|---|---:|---:|---:|\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.algorithm,
            r.source,
            r.path,
            r.cases,
            r.passed,
            r.failed()
        ));
    }
    let cases: usize = rows.iter().map(|r| r.cases).sum();
    let failed: usize = rows.iter().map(Row::failed).sum();
    out.push_str(&format!(
        "\n{} rows, {cases} case runs, {failed} failed\n",
        rows.len()
    ));
    out
}
