//! # wasmcrypt-wasmtime
//!
//! The Wasmtime binding of wasmcrypt: [`add_to_linker`] registers every entry of the core's
//! ABI table ([`wasmcrypt_core::abi::FUNCTIONS`], all 78 witx functions) with a
//! [`wasmtime::Linker`]. The binding adds no cryptography and no semantics: each import
//! forwards `(context, linear memory, arguments)` to the table's entry point and returns its
//! errno.
//!
//! ```no_run
//! use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker};
//! use wasmtime::{Engine, Linker, Module, Store};
//!
//! struct Host {
//!     crypto: WasmCryptoCtx,
//! }
//!
//! let engine = Engine::default();
//! let mut linker: Linker<Host> = Linker::new(&engine);
//! add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto)?;
//! let module = Module::from_file(&engine, "guest.wasm")?;
//! let mut store = Store::new(&engine, Host { crypto: WasmCryptoCtx::new(Default::default())? });
//! let instance = linker.instantiate(&mut store, &module)?;
//! # Ok::<(), wasmtime::Error>(())
//! ```
//!
//! One [`WasmCryptoCtx`] serves one instance: its handles mean nothing to another instance,
//! and it caches that instance's exported `memory` on the first call.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

#[cfg(feature = "cli")]
pub mod command;
#[cfg(feature = "cli")]
pub mod entropy;
/// The wasm3 engine (`wasmcrypt run --engine wasm3`): its binding and its runner.
#[cfg(feature = "cli")]
pub use wasmcrypt_wasm3 as wasm3;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(all(doctest, feature = "wasmtime"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

use std::sync::{Arc, Mutex};

pub use wasmcrypt_core as core;
use wasmcrypt_core::abi::{self, EntryPoint, ValType};
use wasmcrypt_core::rng::{BaseRng, EntropyError, InstanceRng, OsEntropy, StdClock};
use wasmcrypt_core::{Config, Ctx};

#[cfg(feature = "wasmtime")]
use wasmtime::{AsContextMut, Caller, Extern, Linker, Memory};

/// One line for an engine error: a trap's own message, else the error chain joined.
#[cfg(feature = "cli")]
pub(crate) fn one_line(e: &wasmtime::Error) -> String {
    match e.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => trap.to_string(),
        None => format!("{e:#}")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The process's base generator, seeded from the OS on first use (and reseeded every 60 s,
/// every ~1 MiB drawn, and on request). Every context made by [`WasmCryptoCtx::new`] draws its
/// own generator from it.
///
/// # Errors
/// If the OS cannot deliver the first seed; a later call tries again.
pub fn os_base() -> Result<Arc<BaseRng>, EntropyError> {
    static BASE: Mutex<Option<Arc<BaseRng>>> = Mutex::new(None);
    let mut slot = BASE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(b) = slot.as_ref() {
        return Ok(Arc::clone(b));
    }
    let b = BaseRng::with_clock(Box::new(OsEntropy), Some(Box::new(StdClock::default())))?;
    *slot = Some(Arc::clone(&b));
    Ok(b)
}

/// The per-instance state the binding needs: the core context and the cached guest memory.
#[derive(Debug)]
pub struct WasmCryptoCtx {
    core: Ctx,
    #[cfg(feature = "wasmtime")]
    memory: Option<Memory>,
}

impl WasmCryptoCtx {
    /// A context with the given limits and its own generator drawn from [`os_base`].
    ///
    /// # Errors
    /// If the OS has not delivered a seed: no context exists before that.
    pub fn new(config: Config) -> Result<Self, EntropyError> {
        Ok(Self::from_core(Ctx::with_rng(
            config,
            InstanceRng::new(&os_base()?),
        )))
    }

    /// A deterministic context (no randomness): link it with [`add_to_linker`] only, never
    /// with [`add_random_get_to_linker`], and refuse modules that import `random_get`.
    pub fn deterministic(config: Config) -> Self {
        Self::from_core(Ctx::new(config))
    }

    /// Wraps a core context built by the embedder (e.g. with its own [`BaseRng`]).
    pub fn from_core(core: Ctx) -> Self {
        WasmCryptoCtx {
            core,
            #[cfg(feature = "wasmtime")]
            memory: None,
        }
    }

    /// The core context (the Rust API), for host-side use.
    pub fn core(&mut self) -> &mut Ctx {
        &mut self.core
    }
}

/// How one argument travels to the core: the raw bits, an `i32` zero-extended.
trait Widen {
    fn widen(self) -> u64;
}

impl Widen for i32 {
    #[inline(always)]
    fn widen(self) -> u64 {
        u64::from(self.cast_unsigned())
    }
}

impl Widen for i64 {
    #[inline(always)]
    fn widen(self) -> u64 {
        self.cast_unsigned()
    }
}

/// Runs `f` with the context and the instance's memory, found once and then cached. A module
/// without an exported `memory` gets an empty one, so every pointer argument is `guest_error`
/// (or `fault`) rather than a trap.
#[cfg(feature = "wasmtime")]
#[inline(always)]
fn with_memory<T: 'static>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    f: impl FnOnce(&mut Ctx, &mut [u8]) -> i32,
) -> i32 {
    let memory = match get(caller.data_mut()).memory {
        Some(m) => Some(m),
        None => {
            let m = caller.get_export("memory").and_then(Extern::into_memory);
            get(caller.data_mut()).memory = m;
            m
        }
    };
    match memory {
        Some(m) => {
            let (bytes, data) = m.data_and_store_mut(caller.as_context_mut());
            f(&mut get(data).core, bytes)
        }
        None => f(&mut get(caller.data_mut()).core, &mut []),
    }
}

/// Runs one host call of the ABI table.
#[cfg(feature = "wasmtime")]
#[inline(always)]
fn dispatch<T: 'static>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    call: EntryPoint,
    args: &[u64],
) -> i32 {
    with_memory(caller, get, |ctx, mem| call(ctx, mem, args))
}

/// Registers `wasi_snapshot_preview1.random_get`, served by the context's own generator, in
/// place of any earlier definition (call it after `wasmtime_wasi::p1::add_to_linker_sync`).
/// Leaves the linker's shadowing setting off.
///
/// # Errors
/// If the linker refuses the definition.
#[cfg(feature = "wasmtime")]
pub fn add_random_get_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let r = linker
        .func_wrap(
            abi::RANDOM_GET.module,
            abi::RANDOM_GET.name,
            move |mut caller: Caller<'_, T>, buf: i32, len: i32| -> i32 {
                let (buf, len) = (buf.cast_unsigned(), len.cast_unsigned());
                with_memory(&mut caller, get, |ctx, mem| {
                    abi::random_get(ctx, mem, buf, len)
                })
            },
        )
        .map(|_| ());
    linker.allow_shadowing(false);
    r
}

/// Registers every function of the ABI table with `linker`.
///
/// `get` maps the store's data to its [`WasmCryptoCtx`]. Works beside `wasmtime-wasi`
/// preview 1 in the same linker.
///
/// # Errors
/// If the linker already defines one of the names (and shadowing is off), or a table entry has
/// a signature this binding cannot express (a test rules that out).
#[cfg(feature = "wasmtime")]
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
) -> wasmtime::Result<()> {
    use ValType::{I32, I64};

    macro_rules! wrap {
        ($f:ident, $($a:ident: $t:ty),*) => {{
            let call = $f.call;
            linker.func_wrap(
                $f.module,
                $f.name,
                move |mut caller: Caller<'_, T>, $($a: $t),*| -> i32 {
                    dispatch(&mut caller, get, call, &[$($a.widen()),*])
                },
            )?;
        }};
    }

    for f in abi::FUNCTIONS {
        match f.params {
            [I32] => wrap!(f, a: i32),
            [I32, I32] => wrap!(f, a: i32, b: i32),
            [I32, I32, I32] => wrap!(f, a: i32, b: i32, c: i32),
            [I32, I32, I32, I32] => wrap!(f, a: i32, b: i32, c: i32, d: i32),
            [I32, I32, I32, I64] => wrap!(f, a: i32, b: i32, c: i32, d: i64),
            [I32, I32, I32, I32, I32] => wrap!(f, a: i32, b: i32, c: i32, d: i32, e: i32),
            [I32, I32, I32, I64, I32] => wrap!(f, a: i32, b: i32, c: i32, d: i64, e: i32),
            [I32, I32, I32, I32, I32, I32] => {
                wrap!(f, a: i32, b: i32, c: i32, d: i32, e: i32, g: i32)
            }
            [I32, I32, I32, I64, I32, I32] => {
                wrap!(f, a: i32, b: i32, c: i32, d: i64, e: i32, g: i32)
            }
            [I32, I32, I32, I32, I32, I32, I32] => {
                wrap!(f, a: i32, b: i32, c: i32, d: i32, e: i32, g: i32, h: i32)
            }
            [I32, I32, I32, I64, I32, I32, I32] => {
                wrap!(f, a: i32, b: i32, c: i32, d: i64, e: i32, g: i32, h: i32)
            }
            [I32, I32, I32, I32, I32, I32, I32, I32] => {
                wrap!(f, a: i32, b: i32, c: i32, d: i32, e: i32, g: i32, h: i32, i: i32)
            }
            other => {
                return Err(wasmtime::Error::msg(format!(
                    "{}::{}: no wrapper for signature {other:?}",
                    f.module, f.name
                )));
            }
        }
    }
    Ok(())
}
