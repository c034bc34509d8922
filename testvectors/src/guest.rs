//! The vector-runner guest (`guests/runner`, Rust for `wasm32-wasip1` over raw wasi-crypto
//! imports): built once per process, then fed cases on stdin through each engine.
//!
//! The build needs the `wasm32-wasip1` target: it is added with rustup when missing, and a
//! failure to build is an error, never a skipped test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::engines::{Engine, capture};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Builds the runner guest (once) and returns the path of its `.wasm`.
///
/// # Errors
/// A message saying what failed (the target could not be added, cargo failed).
pub fn runner() -> Result<&'static Path, String> {
    static WASM: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    WASM.get_or_init(|| {
        build_guest_crate("testvectors/guests/runner", "wasmcrypt-guest-runner.wasm")
    })
    .as_deref()
    .map_err(Clone::clone)
}

/// Builds the `wasm32-wasip1` crate at `rel_dir` (relative to the workspace root) in release
/// mode into `target/guests`, and returns the path of `artifact`.
///
/// # Errors
/// A message saying what failed (the target could not be added, cargo failed).
pub fn build_guest_crate(rel_dir: &str, artifact: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let have = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == "wasm32-wasip1")
        })
        .unwrap_or(false);
    if !have {
        let ok = Command::new("rustup")
            .args(["target", "add", "wasm32-wasip1"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            return Err(
                "the wasm32-wasip1 target is missing and `rustup target add wasm32-wasip1` failed"
                    .into(),
            );
        }
    }
    let dir = workspace().join(rel_dir);
    let target_dir = workspace().join("target/guests");
    let out = Command::new(cargo)
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target_dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            "wasm32-wasip1",
        ])
        .output()
        .map_err(|e| format!("running cargo for the runner guest: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "building the runner guest failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(target_dir.join("wasm32-wasip1/release").join(artifact))
}

/// Runs `cases` (one per line) through the runner guest on `engine`; returns one result line
/// per case.
///
/// # Errors
/// If the guest cannot be built or run, exits non-zero, or answers a different number of lines.
pub fn run_cases(engine: &Engine, cases: &[String]) -> Result<Vec<String>, String> {
    let wasm = runner()?;
    let mut input = cases.join("\n").into_bytes();
    input.push(b'\n');
    let argv = vec![wasm.display().to_string()];
    let out = (engine.run)(wasm, &argv, capture(Some(input)))
        .map_err(|e| format!("{}: {e}", engine.name))?;
    let text = String::from_utf8(out.stdout).map_err(|_| "non-UTF-8 output".to_string())?;
    if out.exit_code != 0 {
        return Err(format!(
            "{}: runner exited {}: {text}",
            engine.name, out.exit_code
        ));
    }
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.len() != cases.len() {
        return Err(format!(
            "{}: {} cases, {} answers",
            engine.name,
            cases.len(),
            lines.len()
        ));
    }
    Ok(lines)
}

/// Hex for the runner's protocol (`-` for empty).
pub fn hex(b: &[u8]) -> String {
    if b.is_empty() {
        return "-".into();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}
