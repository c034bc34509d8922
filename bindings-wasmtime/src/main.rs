//! `wasmcrypt`: run a WASI preview 1 command with wasi-crypto linked.
//!
//! ```text
//! wasmcrypt run [--engine wasmtime] MODULE.{wasm,wat} [ARGS...]
//! ```
//! Exits with the guest's exit code. Host-side failures print one line to stderr and exit 2
//! (usage, unreadable or invalid module, unknown import) or 134 (the guest trapped).

use std::path::PathBuf;
use std::process::ExitCode;

use wasmcrypt_wasmtime::command::{self, RunError, Stdio};

const USAGE: &str = "usage: wasmcrypt run [--engine wasmtime] MODULE.{wasm,wat} [ARGS...]";
const ENGINES: &[&str] = &["wasmtime"];

fn fail(msg: &str, code: u8) -> ExitCode {
    #[allow(clippy::print_stderr, reason = "the CLI reports errors on stderr")]
    {
        eprintln!("wasmcrypt: {msg}");
    }
    ExitCode::from(code)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("run") => {}
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("-V" | "--version") => {
            println!("wasmcrypt {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some(other) => return fail(&format!("unknown command `{other}`\n{USAGE}"), 2),
        None => return fail(USAGE, 2),
    }
    let mut engine = String::from("wasmtime");
    let mut module: Option<PathBuf> = None;
    let mut guest_args = Vec::new();
    while let Some(a) = args.next() {
        if module.is_some() {
            guest_args.push(a);
            continue;
        }
        match a.as_str() {
            "--engine" => match args.next() {
                Some(e) => engine = e,
                None => return fail("--engine needs a value", 2),
            },
            s if s.starts_with("--engine=") => engine = s["--engine=".len()..].to_string(),
            s if s.starts_with('-') && s.len() > 1 => {
                return fail(&format!("unknown option `{s}`\n{USAGE}"), 2);
            }
            _ => {
                guest_args.push(a.clone());
                module = Some(PathBuf::from(a));
            }
        }
    }
    let Some(module) = module else {
        return fail(&format!("no module given\n{USAGE}"), 2);
    };
    if !ENGINES.contains(&engine.as_str()) {
        return fail(
            &format!(
                "unknown engine `{engine}` (available: {})",
                ENGINES.join(", ")
            ),
            2,
        );
    }
    match command::run_file(&module, &guest_args, Stdio::Inherit) {
        Ok(outcome) => ExitCode::from(u8::try_from(outcome.exit_code & 0xff).unwrap_or(1)),
        Err(e @ RunError::Trap { .. }) => fail(&e.to_string(), 134),
        Err(e) => fail(&e.to_string(), 2),
    }
}
