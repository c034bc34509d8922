//! # wasmcrypt-wasmtime
//!
//! The Wasmtime binding of wasmcrypt: [`add_to_linker`] registers every entry of the core's
//! ABI table ([`wasmcrypt_core::abi::FUNCTIONS`], all 78 witx functions) with a
//! [`wasmtime::Linker`]. The binding adds no cryptography and no semantics: each import
//! forwards `(context, linear memory, arguments)` to the table's entry point and returns its
//! errno.
//!
//! ```no_run
//! use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker, instantiate};
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
//! // Its own functions for this instance: the fast path. `linker.instantiate(&mut store,
//! // &module)` works too, at the cost of an export lookup per call.
//! let instance = instantiate(&linker, &mut store, &module, |h: &mut Host| &mut h.crypto)?;
//! # Ok::<(), wasmtime::Error>(())
//! ```
//!
//! A [`WasmCryptoCtx`] keeps one core context per instance that calls through it: several
//! instances in one `Store` each see their own memory and their own handles. An instance made
//! by [`instantiate`] gets functions of its own, bound to its context; one linked with
//! `Linker::instantiate` calls [`add_to_linker`]'s shared functions, which find the caller by
//! the `memory` it exports (a name lookup on every call, ~50 ns). A panic in the host (a
//! bug) becomes a trap ([`HostTrap`]), never an unwind into Wasmtime and the embedder.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(feature = "wasmtime"),
    allow(
        dead_code,
        unused_imports,
        reason = "without Wasmtime only the contexts and `os_base` remain"
    )
)]
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
use wasmcrypt_core::abi::{self, Function, ValType};
use wasmcrypt_core::keystore::{KeyStore, WallClock};
use wasmcrypt_core::rng::{BaseRng, EntropyError, InstanceRng, OsEntropy, StdClock};
use wasmcrypt_core::{Config, Ctx};

#[cfg(feature = "wasmtime")]
use wasmtime::{AsContextMut, Caller, Extern, Func, Linker, Memory, Module};

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

/// How a [`WasmCryptoCtx`] makes the context of an instance that calls for the first time.
enum Maker {
    /// Each instance draws its own generator from this base.
    Rng(Config, Arc<BaseRng>),
    /// No randomness.
    Deterministic(Config),
    /// The embedder's constructor ([`WasmCryptoCtx::with_factory`]).
    Custom(Box<dyn FnMut() -> Ctx + Send + Sync>),
    /// One core context from the embedder ([`WasmCryptoCtx::from_core`]): one instance only.
    Single,
}

impl std::fmt::Debug for Maker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Maker::Rng(..) => "Rng",
            Maker::Deterministic(..) => "Deterministic",
            Maker::Custom(..) => "Custom",
            Maker::Single => "Single",
        })
    }
}

/// Which caller an [`Instance`] context belongs to.
#[derive(Clone, Copy, Debug)]
enum Key {
    /// Made in advance; the first instance that calls (or is instantiated by
    /// [`instantiate`]) takes it.
    Unbound,
    /// Taken by an instance made with [`instantiate`] that has not called yet: its own
    /// functions reach it by index; it learns its memory on the first call.
    Reserved,
    /// Callers without an exported memory, or with an empty one. Every entry that creates a
    /// handle checks its output pointer first, so with no guest memory no handle is ever
    /// created: such callers can share a context without sharing anything.
    NoMemory,
    /// Callers whose exported `memory` is this one (non-empty). Instances that export the same
    /// memory (one re-exports the other's) share its context: they already share every byte.
    #[cfg(feature = "wasmtime")]
    Memory(Memory),
}

/// One instance's core context: its handles, options, keys and generator.
#[derive(Debug)]
struct Instance {
    key: Key,
    core: Ctx,
    /// A call from this instance panicked: its state may be half-updated, so it serves no
    /// more calls (each traps with [`HostTrap::Poisoned`]).
    poisoned: bool,
}

/// The binding's state in the store: one core context per instance that calls through it.
///
/// Several instances may live in one `Store` and share this value (the store's data): each
/// gets its own core context, keyed by the linear memory it exports (found on every call),
/// so no instance sees another's memory or handles. The first context is made at
/// construction (so a context with randomness exists only once the OS delivered a seed) and
/// goes to the first instance that calls; later instances get theirs on their first call.
#[derive(Debug)]
pub struct WasmCryptoCtx {
    /// The context made at construction: the first caller's (entry 0).
    first: Instance,
    /// Those of later instances, in the order of their first calls (entries 1, 2, ...).
    others: Vec<Instance>,
    /// The entry of the latest caller, tried first.
    last: usize,
    make: Maker,
    /// The key store every context gets ([`WasmCryptoCtx::with_key_store`]).
    keys: Option<KeyStoreSetting>,
}

/// A key store, a namespace and a clock, given to every context made.
struct KeyStoreSetting {
    store: Arc<dyn KeyStore>,
    namespace: Vec<u8>,
    clock: Arc<dyn WallClock>,
}

impl std::fmt::Debug for KeyStoreSetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStoreSetting").finish_non_exhaustive()
    }
}

impl WasmCryptoCtx {
    /// Contexts with the given limits, each instance's with its own generator drawn from
    /// [`os_base`].
    ///
    /// # Errors
    /// If the OS has not delivered a seed: no context exists before that.
    pub fn new(config: Config) -> Result<Self, EntropyError> {
        let base = os_base()?;
        let first = Ctx::with_rng(config, InstanceRng::new(&base));
        Ok(Self::with_first(first, Maker::Rng(config, base)))
    }

    /// Deterministic contexts (no randomness): link them with [`add_to_linker`] only, never
    /// with [`add_random_get_to_linker`], and refuse modules that import `random_get`.
    pub fn deterministic(config: Config) -> Self {
        Self::with_first(Ctx::new(config), Maker::Deterministic(config))
    }

    /// Contexts built by the embedder (e.g. with its own [`BaseRng`]): `make` runs once now
    /// and once for each further instance that calls.
    pub fn with_factory(mut make: impl FnMut() -> Ctx + Send + Sync + 'static) -> Self {
        Self::with_first(make(), Maker::Custom(Box::new(make)))
    }

    /// Wraps one core context built by the embedder. It serves one instance: a call from a
    /// second instance in the same store traps ([`HostTrap::SecondInstance`]); use
    /// [`WasmCryptoCtx::with_factory`] for several.
    pub fn from_core(core: Ctx) -> Self {
        Self::with_first(core, Maker::Single)
    }

    fn with_first(core: Ctx, make: Maker) -> Self {
        WasmCryptoCtx {
            first: Instance {
                key: Key::Unbound,
                core,
                poisoned: false,
            },
            others: Vec::new(),
            last: 0,
            make,
            keys: None,
        }
    }

    /// Gives every context of this value (the one made already and each later instance's)
    /// the key store `store`, seen under `namespace`, with `clock` for expirations: the
    /// secrets manager, managed keys and external secrets then work for the guests.
    ///
    /// # Errors
    /// If the namespace cannot be copied (`algorithm_failure`).
    pub fn with_key_store(
        mut self,
        store: Arc<dyn KeyStore>,
        namespace: &[u8],
        clock: Arc<dyn WallClock>,
    ) -> Result<Self, wasmcrypt_core::Error> {
        for entry in std::iter::once(&mut self.first).chain(self.others.iter_mut()) {
            entry
                .core
                .set_key_store(Arc::clone(&store), namespace, Arc::clone(&clock))?;
        }
        self.keys = Some(KeyStoreSetting {
            store,
            namespace: namespace.to_vec(),
            clock,
        });
        Ok(self)
    }

    fn entry(&self, idx: usize) -> Option<&Instance> {
        match idx.checked_sub(1) {
            None => Some(&self.first),
            Some(i) => self.others.get(i),
        }
    }

    fn entry_mut(&mut self, idx: usize) -> Option<&mut Instance> {
        match idx.checked_sub(1) {
            None => Some(&mut self.first),
            Some(i) => self.others.get_mut(i),
        }
    }

    /// A context for a new caller, keyed `key`: the one made at construction if no instance
    /// took it yet, else a new one; `None` if no more can be made (`from_core`).
    fn take(&mut self, key: Key) -> Option<usize> {
        if matches!(self.first.key, Key::Unbound) {
            self.first.key = key;
            return Some(0);
        }
        let mut core = make_core(&mut self.make)?;
        if let Some(k) = &self.keys {
            core.set_key_store(Arc::clone(&k.store), &k.namespace, Arc::clone(&k.clock))
                .ok()?;
        }
        self.others.push(Instance {
            key,
            core,
            poisoned: false,
        });
        Some(self.others.len())
    }

    /// The first instance's core context (the Rust API), for host-side use: the one made at
    /// construction, which the first instance that calls takes.
    pub fn core(&mut self) -> &mut Ctx {
        &mut self.first.core
    }

    /// How many contexts exist: the one made at construction and one for each further
    /// instance that called.
    pub fn contexts(&self) -> usize {
        1 + self.others.len()
    }
}

fn make_core(make: &mut Maker) -> Option<Ctx> {
    match make {
        Maker::Rng(config, base) => Some(Ctx::with_rng(*config, InstanceRng::new(base))),
        Maker::Deterministic(config) => Some(Ctx::new(*config)),
        Maker::Custom(f) => Some(f()),
        Maker::Single => None,
    }
}

/// Why a host call made the guest trap instead of returning an errno. Wasmtime hands it to
/// the embedder as the call's error (`err.downcast_ref::<HostTrap>()`); it never happens for
/// anything a guest can pass, only for a bug in the host or a misuse by the embedder.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostTrap {
    /// The host function panicked (a bug). The instance's context serves no more calls.
    Panicked {
        /// `module::name` of the import.
        function: String,
        /// The panic's message, first line.
        message: String,
    },
    /// An earlier call from this instance panicked.
    Poisoned {
        /// `module::name` of the import.
        function: String,
    },
    /// A second instance called through a [`WasmCryptoCtx::from_core`] context, which serves
    /// one instance.
    SecondInstance {
        /// `module::name` of the import.
        function: String,
    },
}

impl std::fmt::Display for HostTrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostTrap::Panicked { function, message } => {
                write!(f, "host function {function} panicked: {message}")
            }
            HostTrap::Poisoned { function } => write!(
                f,
                "host function {function}: an earlier call from this instance panicked"
            ),
            HostTrap::SecondInstance { function } => write!(
                f,
                "host function {function}: a second instance called through a context made \
                 by WasmCryptoCtx::from_core, which serves one instance"
            ),
        }
    }
}

impl std::error::Error for HostTrap {}

/// The first line of a panic's message, at most 200 characters.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    text.lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
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

/// One import: `module::name` (for trap messages) and the entry it runs.
#[cfg(feature = "wasmtime")]
#[derive(Clone, Copy)]
struct Import {
    module: &'static str,
    name: &'static str,
}

#[cfg(feature = "wasmtime")]
impl Import {
    fn function(self) -> String {
        format!("{}::{}", self.module, self.name)
    }
}

/// Whether the caller's memory (`None`: none, or empty; else its base address) is `key`'s.
/// Two distinct live non-empty memories of one store never share a base address, and the
/// store frees no memory while it lives; so comparing the bases now is exact even if a
/// memory moved when it grew.
#[cfg(feature = "wasmtime")]
#[inline(always)]
fn is_callers<T: 'static>(caller: &Caller<'_, T>, key: Key, base: Option<*mut u8>) -> bool {
    match (key, base) {
        (Key::Memory(m), Some(b)) => m.data_ptr(caller) == b,
        (Key::NoMemory, None) => true,
        _ => false,
    }
}

/// The index of the caller's context, made on its first call.
#[cfg(feature = "wasmtime")]
#[inline(always)]
fn find<T: 'static>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    memory: Option<Memory>,
    base: Option<*mut u8>,
    import: Import,
) -> wasmtime::Result<usize> {
    let cx = get(caller.data_mut());
    let last = cx.last;
    let idx = match cx.entry(last).map(|i| i.key) {
        Some(key) if is_callers(caller, key, base) => last,
        _ => find_slow(caller, get, memory, base, import)?,
    };
    let cx = get(caller.data_mut());
    match cx.entry(idx) {
        Some(i) if !i.poisoned => Ok(idx),
        _ => Err(wasmtime::Error::new(HostTrap::Poisoned {
            function: import.function(),
        })),
    }
}

/// A caller other than the latest: look through every context, else bind the one made at
/// construction or make one.
#[cfg(feature = "wasmtime")]
#[cold]
#[inline(never)]
fn find_slow<T: 'static>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    memory: Option<Memory>,
    base: Option<*mut u8>,
    import: Import,
) -> wasmtime::Result<usize> {
    let cx = get(caller.data_mut());
    let keys: Vec<Key> = std::iter::once(&cx.first)
        .chain(&cx.others)
        .map(|i| i.key)
        .collect();
    let found = keys.iter().position(|&k| is_callers(caller, k, base));
    let key = memory.map_or(Key::NoMemory, Key::Memory);
    let cx = get(caller.data_mut());
    let idx = match found.or_else(|| cx.take(key)) {
        Some(i) => i,
        None => {
            return Err(wasmtime::Error::new(HostTrap::SecondInstance {
                function: import.function(),
            }));
        }
    };
    cx.last = idx;
    Ok(idx)
}

/// How a host function finds its caller's context.
#[cfg(feature = "wasmtime")]
#[derive(Clone, Copy)]
enum Route {
    /// A function of [`add_to_linker`], shared by every instance linked with it: the caller
    /// is found by the memory it exports, looked up by name on every call.
    Shared,
    /// A function made by [`instantiate`] for one instance: its context is this entry.
    Own(usize),
}

/// The memory of the instance that owns entry `idx`: the one it exports, found on its first
/// call (which may come from its start function, before [`instantiate`] returns).
#[cfg(feature = "wasmtime")]
#[inline(always)]
fn own_memory<T: 'static>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    idx: usize,
    import: Import,
) -> wasmtime::Result<Option<Memory>> {
    match get(caller.data_mut())
        .entry(idx)
        .map(|i| (i.key, i.poisoned))
    {
        Some((Key::Memory(m), false)) => Ok(Some(m)),
        Some((Key::NoMemory, false)) => Ok(None),
        Some((Key::Reserved | Key::Unbound, false)) => {
            let memory = caller.get_export("memory").and_then(Extern::into_memory);
            if let Some(i) = get(caller.data_mut()).entry_mut(idx) {
                i.key = memory.map_or(Key::NoMemory, Key::Memory);
            }
            Ok(memory)
        }
        Some((_, true)) | None => Err(wasmtime::Error::new(HostTrap::Poisoned {
            function: import.function(),
        })),
    }
}

/// Runs one host call: finds the caller's context and memory and runs `f` on them. A module
/// without an exported `memory` gets an empty one, so every pointer argument is
/// `guest_error` (or `fault`) rather than a trap. A panic anywhere in here becomes a trap
/// ([`HostTrap::Panicked`]) instead of unwinding into Wasmtime and the embedder, and the
/// caller's context serves no more calls.
#[cfg(feature = "wasmtime")]
#[inline(always)]
fn with_ctx<T: 'static>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    import: Import,
    route: Route,
    f: impl FnOnce(&mut Ctx, &mut [u8]) -> i32,
) -> wasmtime::Result<i32> {
    let mut current: Option<usize> = None;
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (idx, memory) = match route {
            Route::Shared => {
                let memory = caller.get_export("memory").and_then(Extern::into_memory);
                let base = memory.map(|m| m.data_ptr(&*caller));
                (find(caller, get, memory, base, import)?, memory)
            }
            Route::Own(idx) => (idx, own_memory(caller, get, idx, import)?),
        };
        current = Some(idx);
        let (bytes, data): (&mut [u8], &mut T) = match memory {
            Some(m) => m.data_and_store_mut(caller.as_context_mut()),
            None => (&mut [], caller.data_mut()),
        };
        match get(data).entry_mut(idx) {
            Some(i) => Ok(f(&mut i.core, bytes)),
            None => Err(wasmtime::Error::new(HostTrap::Poisoned {
                function: import.function(),
            })),
        }
    }));
    match run {
        Ok(r) => r,
        Err(payload) => {
            let message = panic_message(&*payload);
            if let Some(idx) = current {
                // Poison the caller's context; even if `get` panics now, the trap stands.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    if let Some(i) = get(caller.data_mut()).entry_mut(idx) {
                        i.poisoned = true;
                    }
                }));
            }
            Err(wasmtime::Error::new(HostTrap::Panicked {
                function: import.function(),
                message,
            }))
        }
    }
}

/// Expands `$m!(f, a: i32, ...)` for the core-Wasm signature of table entry `f`: every
/// signature the table uses (a test links all 78), else an error naming the entry.
#[cfg(feature = "wasmtime")]
macro_rules! by_signature {
    ($f:ident, $m:ident) => {{
        use ValType::{I32, I64};
        match $f.params {
            [I32] => $m!($f, a: i32),
            [I32, I32] => $m!($f, a: i32, b: i32),
            [I32, I32, I32] => $m!($f, a: i32, b: i32, c: i32),
            [I32, I32, I32, I32] => $m!($f, a: i32, b: i32, c: i32, d: i32),
            [I32, I32, I32, I64] => $m!($f, a: i32, b: i32, c: i32, d: i64),
            [I32, I32, I32, I32, I32] => $m!($f, a: i32, b: i32, c: i32, d: i32, e: i32),
            [I32, I32, I32, I64, I32] => $m!($f, a: i32, b: i32, c: i32, d: i64, e: i32),
            [I32, I32, I32, I32, I32, I32] => {
                $m!($f, a: i32, b: i32, c: i32, d: i32, e: i32, g: i32)
            }
            [I32, I32, I32, I64, I32, I32] => {
                $m!($f, a: i32, b: i32, c: i32, d: i64, e: i32, g: i32)
            }
            [I32, I32, I32, I32, I32, I32, I32] => {
                $m!($f, a: i32, b: i32, c: i32, d: i32, e: i32, g: i32, h: i32)
            }
            [I32, I32, I32, I64, I32, I32, I32] => {
                $m!($f, a: i32, b: i32, c: i32, d: i64, e: i32, g: i32, h: i32)
            }
            [I32, I32, I32, I32, I32, I32, I32, I32] => {
                $m!($f, a: i32, b: i32, c: i32, d: i32, e: i32, g: i32, h: i32, i: i32)
            }
            other => Err(wasmtime::Error::msg(format!(
                "{}::{}: no wrapper for signature {other:?}",
                $f.module, $f.name
            ))),
        }
    }};
}

/// Where [`add_random_get_to_linker`] also defines its `random_get`, so that [`instantiate`]
/// knows the linker's `random_get` is the binding's (a guest importing it from here gets the
/// same function).
#[cfg(feature = "wasmtime")]
const RANDOM_GET_MARK: &str = "wasmcrypt_wasmtime";

/// The binding's `random_get`, finding its context by `route`.
#[cfg(feature = "wasmtime")]
fn random_get_fn<T: 'static>(
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    route: Route,
) -> impl Fn(Caller<'_, T>, i32, i32) -> wasmtime::Result<i32> + Send + Sync + 'static {
    move |mut caller: Caller<'_, T>, buf: i32, len: i32| -> wasmtime::Result<i32> {
        let (buf, len) = (buf.cast_unsigned(), len.cast_unsigned());
        let import = Import {
            module: abi::RANDOM_GET.module,
            name: abi::RANDOM_GET.name,
        };
        with_ctx(&mut caller, get, import, route, |ctx, mem| {
            abi::random_get(ctx, mem, buf, len)
        })
    }
}

/// Registers `wasi_snapshot_preview1.random_get`, served by the context's own generator, in
/// place of any earlier definition (call it after `wasmtime_wasi::p1::add_to_linker_sync`).
/// Leaves the linker's shadowing setting off. [`instantiate`] gives each instance its own
/// copy of it.
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
            random_get_fn(get, Route::Shared),
        )
        .and_then(|l| {
            l.func_wrap(
                RANDOM_GET_MARK,
                abi::RANDOM_GET.name,
                random_get_fn(get, Route::Shared),
            )
        })
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
    add_functions_to_linker(linker, get, abi::FUNCTIONS)
}

/// Registers `functions` with `linker` the way [`add_to_linker`] registers the ABI table.
/// Not part of the API: tests use it to link entries of their own (one that panics, say).
///
/// # Errors
/// As [`add_to_linker`].
#[doc(hidden)]
#[cfg(feature = "wasmtime")]
pub fn add_functions_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    functions: &[Function],
) -> wasmtime::Result<()> {
    macro_rules! link {
        ($f:ident, $($a:ident: $t:ty),*) => {{
            let call = $f.call;
            let import = Import { module: $f.module, name: $f.name };
            linker.func_wrap(
                $f.module,
                $f.name,
                move |mut caller: Caller<'_, T>, $($a: $t),*| -> wasmtime::Result<i32> {
                    with_ctx(&mut caller, get, import, Route::Shared, |ctx, mem| {
                        call(ctx, mem, &[$($a.widen()),*])
                    })
                },
            )
            .map(|_| ())
        }};
    }
    for f in functions {
        by_signature!(f, link)?;
    }
    Ok(())
}

/// Instantiates `module` with `linker`'s definitions, its wasi-crypto imports served by
/// functions made for this instance alone: they reach its context directly, without the
/// per-call lookup of the caller's memory that the shared functions of [`add_to_linker`]
/// need (and the same for `random_get` if the linker holds [`add_random_get_to_linker`]'s).
/// `get` is the same as for them; the linker itself is left as it is.
///
/// The instance takes the context made at construction if no instance took it yet, else a
/// new one. A function of this instance that another instance imports (re-exported by this
/// one) still serves this instance's context and memory: wiring it so is the embedder's
/// choice.
///
/// # Errors
/// Whatever [`Linker::instantiate`] returns; [`HostTrap::SecondInstance`] for a second
/// instance of a [`WasmCryptoCtx::from_core`] context.
#[cfg(feature = "wasmtime")]
pub fn instantiate<T: 'static>(
    linker: &Linker<T>,
    mut store: impl AsContextMut<Data = T>,
    module: &Module,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
) -> wasmtime::Result<wasmtime::Instance> {
    let mut store = store.as_context_mut();
    let Some(idx) = get(store.data_mut()).take(Key::Reserved) else {
        return Err(wasmtime::Error::new(HostTrap::SecondInstance {
            function: "instantiate".into(),
        }));
    };
    let random_get_is_ours = linker
        .get(&mut store, RANDOM_GET_MARK, abi::RANDOM_GET.name)
        .is_ok();
    let mut own = linker.clone();
    own.allow_shadowing(true);
    for import in module.imports() {
        if random_get_is_ours
            && import.module() == abi::RANDOM_GET.module
            && import.name() == abi::RANDOM_GET.name
        {
            let func = Func::wrap(&mut store, random_get_fn(get, Route::Own(idx)));
            own.define(&store, abi::RANDOM_GET.module, abi::RANDOM_GET.name, func)?;
            continue;
        }
        let Some(f) = abi::FUNCTIONS
            .iter()
            .find(|f| f.module == import.module() && f.name == import.name())
        else {
            continue;
        };
        let func = own_func(&mut store, get, idx, f)?;
        own.define(&store, f.module, f.name, func)?;
    }
    let instance = own.instantiate(&mut store, module);
    if instance.is_err() && idx == 0 {
        // Nothing of the failed instance can call again: the first context stays free for
        // the next one (a `from_core` context has no other).
        let cx = get(store.data_mut());
        if matches!(cx.first.key, Key::Reserved) {
            cx.first.key = Key::Unbound;
        }
    }
    instance
}

/// A function for `f` that serves entry `idx` of the store's [`WasmCryptoCtx`].
#[cfg(feature = "wasmtime")]
fn own_func<T: 'static>(
    mut store: impl AsContextMut<Data = T>,
    get: fn(&mut T) -> &mut WasmCryptoCtx,
    idx: usize,
    f: &Function,
) -> wasmtime::Result<Func> {
    macro_rules! own {
        ($f:ident, $($a:ident: $t:ty),*) => {{
            let call = $f.call;
            let import = Import { module: $f.module, name: $f.name };
            Ok::<Func, wasmtime::Error>(Func::wrap(
                &mut store,
                move |mut caller: Caller<'_, T>, $($a: $t),*| -> wasmtime::Result<i32> {
                    with_ctx(&mut caller, get, import, Route::Own(idx), |ctx, mem| {
                        call(ctx, mem, &[$($a.widen()),*])
                    })
                },
            ))
        }};
    }
    by_signature!(f, own)
}
