//! Extra entropy inputs for the base generator: files or devices, and Wasm plugins run in a
//! separate, fuel-bounded instance. Their bytes are mixed into the pool (HMAC-SHA-512) and
//! never trusted alone: the OS source still seeds and reseeds.
//!
//! A plugin is a module that exports `memory` and `fill_entropy(len: i32) -> i32`, returning
//! the address of `len` bytes it wrote into its memory (or a negative value on failure). It
//! may import WASI preview 1 (for clocks, say), with no files, no stdio and no arguments.

use std::io::Read;
use std::path::Path;

use wasmcrypt_core::rng::BaseRng;
use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p1::WasiP1Ctx;

use crate::one_line;

/// Bytes taken from each extra input.
pub const INPUT_LEN: usize = 256;
/// Fuel a plugin may burn (roughly instructions) before it is stopped.
pub const PLUGIN_FUEL: u64 = 50_000_000;

/// Reads up to [`INPUT_LEN`] bytes from a file or device.
///
/// # Errors
/// A one-line description if it cannot be opened or read.
pub fn read_path(path: &Path) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(INPUT_LEN);
    std::fs::File::open(path)
        .and_then(|f| f.take(INPUT_LEN as u64).read_to_end(&mut out))
        .map_err(|e| format!("entropy source {}: {e}", path.display()))?;
    Ok(out)
}

/// Runs a plugin once and returns the [`INPUT_LEN`] bytes it produced.
///
/// # Errors
/// A one-line description if the module is invalid, traps, runs out of fuel or returns a bad
/// pointer.
pub fn run_plugin(path: &Path) -> Result<Vec<u8>, String> {
    let name = path.display();
    let mut config = Config::new();
    config.consume_fuel(true);
    let engine = Engine::new(&config).map_err(|e| format!("plugin {name}: {}", one_line(&e)))?;
    let fail = |e: wasmtime::Error| format!("plugin {name}: {}", one_line(&e));
    let module = Module::from_file(&engine, path).map_err(fail)?;
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |c| c).map_err(fail)?;
    let mut store = Store::new(&engine, WasiCtxBuilder::new().build_p1());
    store.set_fuel(PLUGIN_FUEL).map_err(fail)?;
    let instance = linker.instantiate(&mut store, &module).map_err(fail)?;
    let fill = instance
        .get_typed_func::<i32, i32>(&mut store, "fill_entropy")
        .map_err(|_| format!("plugin {name}: no export `fill_entropy(i32) -> i32`"))?;
    let memory = instance
        .get_memory(&mut store, "memory")
        .ok_or_else(|| format!("plugin {name}: no exported `memory`"))?;
    let len = i32::try_from(INPUT_LEN).unwrap_or(i32::MAX);
    let ptr = fill.call(&mut store, len).map_err(fail)?;
    let start = usize::try_from(ptr).map_err(|_| format!("plugin {name}: it reported failure"))?;
    memory
        .data(&store)
        .get(start..start.saturating_add(INPUT_LEN))
        .map(<[u8]>::to_vec)
        .ok_or_else(|| format!("plugin {name}: returned bytes outside its memory"))
}

/// Mixes every file and plugin input into `base`, then reseeds it from its trusted source.
///
/// # Errors
/// The first input that could not be read (nothing is mixed from it).
pub fn mix_inputs(base: &BaseRng, files: &[&Path], plugins: &[&Path]) -> Result<(), String> {
    for f in files {
        base.add_input(&format!("file:{}", f.display()), &read_path(f)?);
    }
    for p in plugins {
        base.add_input(&format!("plugin:{}", p.display()), &run_plugin(p)?);
    }
    if !files.is_empty() || !plugins.is_empty() {
        // A failed reseed keeps the current key; the inputs stay pooled for the next one.
        let _ = base.reseed();
    }
    Ok(())
}
