//! Running a WASI preview 1 command with wasi-crypto linked: what `wasmcrypt run` does, and
//! what the guest conformance tests use (with captured output).
//!
//! Every failure becomes one readable line ([`RunError`]): a file that cannot be read, a
//! module that does not compile, an import this host does not provide, a trap.

use std::fmt;
use std::path::Path;

use wasmtime::{Engine, Linker, Module, Store, Trap};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{I32Exit, WasiCtxBuilder};

use crate::{WasmCryptoCtx, add_random_get_to_linker, add_to_linker, one_line};

/// Why a guest could not be run to completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The module file could not be read.
    Read { path: String, reason: String },
    /// The bytes are neither a valid Wasm binary nor valid WAT.
    Compile { reason: String },
    /// The module imports something neither WASI preview 1 nor wasi-crypto provides.
    UnknownImport { module: String, name: String },
    /// The module exports no `_start`.
    NoStart,
    /// The guest trapped.
    Trap { trap: String },
    /// The host is deterministic and the module imports a source of randomness.
    RandomInDeterministicHost { module: String, name: String },
    /// The OS did not deliver the seed of the host's generator.
    NoEntropy,
    /// Anything else the engine reported.
    Engine { reason: String },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Read { path, reason } => write!(f, "cannot read {path}: {reason}"),
            RunError::Compile { reason } => write!(f, "not a valid Wasm module: {reason}"),
            RunError::UnknownImport { module, name } => write!(
                f,
                "the module imports `{module}::{name}`, which this host does not provide"
            ),
            RunError::NoStart => f.write_str("the module exports no `_start` (not a WASI command)"),
            RunError::Trap { trap } => write!(f, "the guest trapped: {trap}"),
            RunError::RandomInDeterministicHost { module, name } => write!(
                f,
                "the module imports `{module}::{name}`, but this host is deterministic and links no randomness"
            ),
            RunError::NoEntropy => f.write_str("the OS entropy source did not deliver a seed"),
            RunError::Engine { reason } => write!(f, "engine error: {reason}"),
        }
    }
}

impl std::error::Error for RunError {}

struct Host {
    wasi: WasiP1Ctx,
    crypto: WasmCryptoCtx,
}

/// How to run a guest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Where its stdout goes.
    pub stdio: Stdio,
    /// Link no randomness at all: a module importing `random_get` is refused.
    pub deterministic: bool,
    /// With [`Stdio::Capture`]: what the guest reads on stdin (empty when `None`).
    pub stdin: Option<Vec<u8>>,
}

impl From<Stdio> for Options {
    fn from(stdio: Stdio) -> Self {
        Options {
            stdio,
            ..Options::default()
        }
    }
}

/// Where the guest's stdout and stderr go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stdio {
    /// The host process's own.
    #[default]
    Inherit,
    /// Captured and returned (stderr still inherited).
    Capture,
}

/// A finished run: the guest's exit code and, with [`Stdio::Capture`], its stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `proc_exit` status, or 0 when `_start` returned.
    pub exit_code: i32,
    /// Captured stdout (empty with [`Stdio::Inherit`]).
    pub stdout: Vec<u8>,
}

/// Reads a module file (binary or WAT) and runs it; see [`run_bytes`].
///
/// # Errors
/// [`RunError::Read`] and everything [`run_bytes`] returns.
pub fn run_file(
    path: &Path,
    args: &[String],
    opts: impl Into<Options>,
) -> Result<Outcome, RunError> {
    let bytes = std::fs::read(path).map_err(|e| RunError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    run_bytes(&bytes, args, opts)
}

/// Compiles `module` (binary or WAT), links WASI preview 1 and wasi-crypto, checks every
/// import is provided, and calls `_start` with `args` as argv.
///
/// # Errors
/// One [`RunError`] per failure kind.
pub fn run_bytes(
    module: &[u8],
    args: &[String],
    opts: impl Into<Options>,
) -> Result<Outcome, RunError> {
    let Options {
        stdio,
        deterministic,
        stdin,
    } = opts.into();
    let engine = Engine::default();
    let module = Module::new(&engine, module).map_err(|e| RunError::Compile {
        reason: one_line(&e),
    })?;

    let mut linker: Linker<Host> = Linker::new(&engine);
    let engine_err = |e: wasmtime::Error| RunError::Engine {
        reason: one_line(&e),
    };
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |h: &mut Host| &mut h.wasi)
        .map_err(engine_err)?;
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).map_err(engine_err)?;
    let crypto = if deterministic {
        // WASI's own random_get stays in the linker, so refuse the import by name.
        if let Some(i) = module.imports().find(|i| {
            i.module() == wasmcrypt_core::abi::RANDOM_GET.module
                && i.name() == wasmcrypt_core::abi::RANDOM_GET.name
        }) {
            return Err(RunError::RandomInDeterministicHost {
                module: i.module().to_string(),
                name: i.name().to_string(),
            });
        }
        WasmCryptoCtx::deterministic(Default::default())
    } else {
        add_random_get_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).map_err(engine_err)?;
        WasmCryptoCtx::new(Default::default()).map_err(|_| RunError::NoEntropy)?
    };

    let mut builder = WasiCtxBuilder::new();
    builder.args(args).inherit_stderr();
    let captured = match stdio {
        Stdio::Inherit => {
            builder.inherit_stdout().inherit_stdin();
            None
        }
        Stdio::Capture => {
            let pipe = MemoryOutputPipe::new(256 * 1024 * 1024);
            builder.stdout(pipe.clone());
            builder.stdin(MemoryInputPipe::new(stdin.unwrap_or_default()));
            Some(pipe)
        }
    };
    let host = Host {
        wasi: builder.build_p1(),
        crypto,
    };
    let mut store = Store::new(&engine, host);

    for import in module.imports() {
        if linker.get_by_import(&mut store, &import).is_none() {
            return Err(RunError::UnknownImport {
                module: import.module().to_string(),
                name: import.name().to_string(),
            });
        }
    }

    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(|e| classify(&e))?;
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .map_err(|_| RunError::NoStart)?;
    let exit_code = match start.call(&mut store, ()) {
        Ok(()) => 0,
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => exit.0,
            None => return Err(classify(&e)),
        },
    };
    Ok(Outcome {
        exit_code,
        stdout: captured.map(|p| p.contents().to_vec()).unwrap_or_default(),
    })
}

fn classify(e: &wasmtime::Error) -> RunError {
    match e.downcast_ref::<Trap>() {
        Some(trap) => RunError::Trap {
            trap: trap.to_string(),
        },
        None => RunError::Engine {
            reason: one_line(e),
        },
    }
}
