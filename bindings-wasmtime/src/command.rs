//! Running a WASI preview 1 command with wasi-crypto linked: what `wasmcrypt run` does, and
//! what the guest conformance tests use (with captured output).
//!
//! Every failure becomes one readable line ([`RunError`]): a file that cannot be read, a
//! module that does not compile, an import this host does not provide, a trap. The options,
//! outcome and error types are shared with the wasm3 runner ([`crate::wasm3::command`]), so a
//! guest gives the same result on either engine.

use std::path::Path;

use wasmtime::{Engine, Linker, Module, Store, Trap};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{I32Exit, WasiCtxBuilder};

pub use wasmcrypt_wasm3::command::{Options, Outcome, RunError, Stdio};

use crate::{
    HostTrap, WasmCryptoCtx, add_random_get_to_linker, add_to_linker, instantiate, one_line,
};

struct Host {
    wasi: WasiP1Ctx,
    crypto: WasmCryptoCtx,
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
    run_bytes(&wasmcrypt_wasm3::command::read_module(path)?, args, opts)
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
        keys,
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
        wasmcrypt_wasm3::command::refuse_random_import(
            module.imports().map(|i| (i.module(), i.name())),
        )?;
        WasmCryptoCtx::deterministic(Default::default())
    } else {
        add_random_get_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).map_err(engine_err)?;
        WasmCryptoCtx::new(Default::default()).map_err(|_| RunError::NoEntropy)?
    };
    let crypto = match keys {
        None => crypto,
        Some(k) => crypto
            .with_key_store(
                k.store,
                &k.namespace,
                std::sync::Arc::new(wasmcrypt_core::keystore::SystemWallClock),
            )
            .map_err(|e| RunError::Engine {
                reason: format!("key store: {e:?}"),
            })?,
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

    let instance = instantiate(&linker, &mut store, &module, |h: &mut Host| &mut h.crypto)
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
    if let Some(trap) = e.downcast_ref::<Trap>() {
        return RunError::Trap {
            trap: trap.to_string(),
        };
    }
    if let Some(trap) = e.downcast_ref::<HostTrap>() {
        return RunError::Trap {
            trap: trap.to_string(),
        };
    }
    RunError::Engine {
        reason: one_line(e),
    }
}
