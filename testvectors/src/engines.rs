//! The engines every guest program runs on: one list, so adding an engine is one line here.

use std::path::Path;

use wasmcrypt_wasmtime::command::{self, Options, Outcome, RunError, Stdio};

/// One Wasm engine with wasi-crypto linked.
pub struct Engine {
    /// Its name in reports and `wasmcrypt run --engine`.
    pub name: &'static str,
    /// Runs a WASI command module (binary or WAT) with arguments and options.
    pub run: fn(&Path, &[String], Options) -> Result<Outcome, RunError>,
}

/// Every engine wasmcrypt binds.
pub const ENGINES: &[Engine] = &[
    Engine {
        name: "wasmtime",
        run: command::run_file,
    },
    Engine {
        name: "wasm3",
        run: wasmcrypt_wasmtime::wasm3::command::run_file,
    },
];

/// Options that capture stdout and feed `stdin`.
pub fn capture(stdin: Option<Vec<u8>>) -> Options {
    Options {
        stdio: Stdio::Capture,
        deterministic: false,
        stdin,
        keys: None,
    }
}
