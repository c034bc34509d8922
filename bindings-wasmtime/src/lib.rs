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
//! let mut store = Store::new(&engine, Host { crypto: WasmCryptoCtx::default() });
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

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(all(doctest, feature = "wasmtime"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

pub use wasmcrypt_core as core;
use wasmcrypt_core::abi::{self, EntryPoint, ValType};
use wasmcrypt_core::{Config, Ctx};

#[cfg(feature = "wasmtime")]
use wasmtime::{AsContextMut, Caller, Extern, Linker, Memory};

/// The per-instance state the binding needs: the core context and the cached guest memory.
#[derive(Debug, Default)]
pub struct WasmCryptoCtx {
    core: Ctx,
    #[cfg(feature = "wasmtime")]
    memory: Option<Memory>,
}

impl WasmCryptoCtx {
    /// A context with the given limits.
    pub fn new(config: Config) -> Self {
        WasmCryptoCtx {
            core: Ctx::new(config),
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

/// Runs one host call: finds (once) and caches the instance's memory, then hands the core
/// the memory and the context. A module without an exported `memory` gets an empty one, so
/// every pointer argument is `guest_error` rather than a trap.
#[cfg(feature = "wasmtime")]
#[inline(always)]
fn dispatch<T: 'static>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    call: EntryPoint,
    args: &[u64],
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
            call(&mut get(data).core, bytes, args)
        }
        None => call(&mut get(caller.data_mut()).core, &mut [], args),
    }
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
