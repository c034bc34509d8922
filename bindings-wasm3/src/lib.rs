//! # wasmcrypt-wasm3
//!
//! The wasm3 binding of wasmcrypt: [`Instance::link_crypto`] registers every entry of the
//! core's ABI table ([`wasmcrypt_core::abi::FUNCTIONS`], all 78 witx functions) with a module
//! loaded into the wasm3 interpreter (0.9.0, through the raw C API of `wasm3x-sys`). Like the
//! Wasmtime binding it adds no cryptography and no semantics: wasm3 calls one host function,
//! which finds the context through the runtime's user data and the table entry through the
//! import's user data, hands the guest's linear memory to the core as a zero-copy `&mut [u8]`,
//! decodes the arguments from wasm3's stack (an `i32` zero-extended, an `i64` as is) and
//! writes the entry's errno back.
//!
//! ```no_run
//! use wasmcrypt_wasm3::Instance;
//! use wasmcrypt_wasm3::core::{Config, Ctx};
//!
//! let wasm = std::fs::read("guest.wasm")?;
//! let mut instance = Instance::new(&wasm, Ctx::new(Config::default()), 1 << 20)?;
//! instance.link_crypto()?;
//! instance.call("run", &[])?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`command`] runs WASI preview 1 commands (what `wasmcrypt run --engine wasm3` does).
//!
//! `unsafe` lives only in this crate, because wasm3's API is C; every block says why it holds.
#![allow(
    unsafe_code,
    reason = "the binding calls wasm3's C API and is called back by it; nothing else does"
)]
#![deny(unsafe_op_in_unsafe_fn)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod command;
mod wasi;

use std::ffi::{CStr, CString, c_void};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::{self, NonNull};

use wasm3x_sys as sys;
pub use wasmcrypt_core as core;
use wasmcrypt_core::Ctx;
use wasmcrypt_core::abi::{self, Function, ValType};

/// What wasm3 reported, as text. Traps keep wasm3's wording without its `[trap] ` prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The module could not be parsed or loaded (or wasm3 could not allocate).
    Load(String),
    /// An import could not be linked (for instance, its signature differs from the table's).
    Link {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
        /// wasm3's reason.
        reason: String,
    },
    /// A function body could not be compiled.
    Compile(String),
    /// The guest trapped.
    Trap(String),
    /// The function to call does not exist, or the arguments do not fit it, or wasm3 failed
    /// otherwise.
    Call(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Load(r) => write!(f, "cannot load the module: {r}"),
            Error::Link {
                module,
                name,
                reason,
            } => write!(f, "cannot link `{module}::{name}`: {reason}"),
            Error::Compile(r) => write!(f, "cannot compile the module: {r}"),
            Error::Trap(t) => write!(f, "trap: {t}"),
            Error::Call(r) => write!(f, "call failed: {r}"),
        }
    }
}

impl std::error::Error for Error {}

/// What every host function finds through the runtime's user data.
pub(crate) struct State {
    pub(crate) ctx: Ctx,
    pub(crate) wasi: wasi::Wasi,
}

/// wasm3's text for a result, `None` for success.
pub(crate) fn result_text(r: sys::M3Result) -> Option<String> {
    if r.is_null() {
        return None;
    }
    // SAFETY: a non-null `M3Result` is a NUL-terminated string with static lifetime (wasm3's
    // error constants, literals, or our own `c"..."` traps).
    Some(unsafe { CStr::from_ptr(r) }.to_string_lossy().into_owned())
}

/// Classifies the result of running code: a trap or another failure.
fn run_error(r: sys::M3Result) -> Option<Error> {
    result_text(r).map(|t| match t.strip_prefix("[trap] ") {
        Some(trap) => Error::Trap(trap.to_string()),
        None => Error::Call(t),
    })
}

/// The wasm3 signature string of an entry: `i(` + `i`/`I` per parameter + `)`.
pub(crate) fn signature(params: &[ValType], returns_errno: bool) -> CString {
    let mut s = String::with_capacity(params.len() + 3);
    s.push(if returns_errno { 'i' } else { 'v' });
    s.push('(');
    s.extend(params.iter().map(|p| match p {
        ValType::I32 => 'i',
        ValType::I64 => 'I',
    }));
    s.push(')');
    // Only ASCII letters and parentheses: no interior NUL.
    CString::new(s).unwrap_or_default()
}

/// Validates `wasm` and refuses non-function imports.
fn preflight(wasm: &[u8]) -> Result<(), Error> {
    let load = |e: wasmparser::BinaryReaderError| Error::Load(e.to_string());
    wasmparser::Validator::new()
        .validate_all(wasm)
        .map_err(load)?;
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::ImportSection(r) = payload.map_err(load)? {
            for i in r.into_imports() {
                let i = i.map_err(load)?;
                if !matches!(i.ty, wasmparser::TypeRef::Func(_)) {
                    return Err(Error::Load(format!(
                        "the module imports `{}::{}`, which is not a function (only functions \
                         can be linked)",
                        i.module, i.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// One wasm3 environment and runtime with one module loaded into it, and the context its
/// imports use. Dropping it frees all three.
pub struct Instance {
    env: sys::IM3Environment,
    runtime: sys::IM3Runtime,
    module: sys::IM3Module,
    state: NonNull<State>,
    /// wasm3 reads the module's bytes for as long as the module lives.
    wasm: Box<[u8]>,
}

impl fmt::Debug for Instance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Instance").finish_non_exhaustive()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: `runtime` and `env` were created by wasm3 in `new` and are freed only here,
        // runtime first (it owns the loaded module); both functions accept null. No wasm3 code
        // runs afterwards, so nothing reads `state` once it is reclaimed from the `Box` it came
        // from.
        unsafe {
            sys::m3_FreeRuntime(self.runtime);
            sys::m3_FreeEnvironment(self.env);
            drop(Box::from_raw(self.state.as_ptr()));
        }
    }
}

impl Instance {
    /// Parses `wasm` (a binary module), creates a runtime with a value stack of `stack_bytes`
    /// whose user data is the context, and loads the module (memory, globals, data, tables).
    /// Nothing is linked yet.
    ///
    /// wasm3 is not a validator, so the module is validated first (wasmparser), and a module
    /// importing anything but functions (a memory, a table, a global) is refused: wasm3 would
    /// run it with that import missing.
    ///
    /// # Errors
    /// [`Error::Load`] if the module is invalid, imports a non-function, or wasm3 rejects it
    /// or cannot allocate.
    pub fn new(wasm: &[u8], ctx: Ctx, stack_bytes: u32) -> Result<Self, Error> {
        preflight(wasm)?;
        let wasm: Box<[u8]> = wasm.into();
        let len = u32::try_from(wasm.len()).map_err(|_| Error::Load("module too large".into()))?;
        let state = NonNull::from(Box::leak(Box::new(State {
            ctx,
            wasi: wasi::Wasi::default(),
        })));
        let mut instance = Instance {
            env: ptr::null_mut(),
            runtime: ptr::null_mut(),
            module: ptr::null_mut(),
            state,
            wasm,
        };
        let oom = || Error::Load("out of memory".into());
        // SAFETY: plain constructor; the result is checked for null.
        instance.env = unsafe { sys::m3_NewEnvironment() };
        if instance.env.is_null() {
            return Err(oom());
        }
        // SAFETY: `env` is live; the user data is the `State` this instance owns, which
        // outlives the runtime (see `Drop`).
        instance.runtime =
            unsafe { sys::m3_NewRuntime(instance.env, stack_bytes, state.as_ptr().cast()) };
        if instance.runtime.is_null() {
            return Err(oom());
        }
        let mut module: sys::IM3Module = ptr::null_mut();
        // SAFETY: `env` is live, `module` is a valid out-pointer, and the bytes are `len` long
        // and owned by the instance, so they outlive the module as wasm3 requires.
        let r =
            unsafe { sys::m3_ParseModule(instance.env, &mut module, instance.wasm.as_ptr(), len) };
        if let Some(e) = result_text(r) {
            // wasm3 frees the module itself when parsing fails.
            return Err(Error::Load(e));
        }
        // SAFETY: `module` was just parsed in this environment and is not loaded anywhere.
        let r = unsafe { sys::m3_LoadModule(instance.runtime, module) };
        if let Some(e) = result_text(r) {
            // SAFETY: a module whose loading failed still belongs to us and is freed once.
            unsafe { sys::m3_FreeModule(module) };
            return Err(Error::Load(e));
        }
        instance.module = module;
        Ok(instance)
    }

    /// The context the imports use (the Rust API, for host-side work between calls).
    pub fn ctx(&mut self) -> &mut Ctx {
        // SAFETY: `state` is live while `self` is, and `&mut self` excludes wasm3 running (the
        // only other user of the pointer).
        unsafe { &mut (*self.state.as_ptr()).ctx }
    }

    pub(crate) fn state(&mut self) -> &mut State {
        // SAFETY: as in `ctx`.
        unsafe { &mut *self.state.as_ptr() }
    }

    /// Links `import` to `call` with `userdata` if the module imports it; an import the module
    /// does not have is not an error.
    pub(crate) fn link_raw(
        &mut self,
        module: &str,
        name: &str,
        signature: &CStr,
        call: sys::M3RawCall,
        userdata: *const c_void,
    ) -> Result<(), Error> {
        let link_err = |reason: String| Error::Link {
            module: module.into(),
            name: name.into(),
            reason,
        };
        let c_module = CString::new(module).map_err(|_| link_err("NUL in the name".into()))?;
        let c_name = CString::new(name).map_err(|_| link_err("NUL in the name".into()))?;
        // SAFETY: the module is loaded (linking requires it), every string is NUL-terminated
        // and only read during the call, and `call`/`userdata` stay valid for the runtime's
        // life (they are `'static` functions and data, or the instance's own state).
        let r = unsafe {
            sys::m3_LinkRawFunctionEx(
                self.module,
                c_module.as_ptr(),
                c_name.as_ptr(),
                signature.as_ptr(),
                call,
                userdata,
            )
        };
        // SAFETY: reading a constant wasm3 defines.
        if r.is_null() || r == unsafe { sys::m3Err_functionLookupFailed } {
            return Ok(());
        }
        Err(link_err(result_text(r).unwrap_or_default()))
    }

    /// Links one function in the table's shape (`(ctx, memory, args) -> i32`), replacing any
    /// earlier link of the same import. The table's entries, `RANDOM_GET` and an embedder's own
    /// imports all go through here.
    ///
    /// # Errors
    /// [`Error::Link`] if the module imports the name with a different signature, or `f` has
    /// more than 8 parameters.
    pub fn link_function(&mut self, f: &'static Function) -> Result<(), Error> {
        let userdata: *const Function = f;
        let call = dispatcher(f.params).ok_or_else(|| Error::Link {
            module: f.module.into(),
            name: f.name.into(),
            reason: format!("more than {MAX_PARAMS} parameters"),
        })?;
        self.link_raw(
            f.module,
            f.name,
            &signature(f.params, true),
            call,
            userdata.cast(),
        )
    }

    /// Links all 78 functions of the ABI table.
    ///
    /// # Errors
    /// [`Error::Link`] for the first import whose signature differs from the table's.
    pub fn link_crypto(&mut self) -> Result<(), Error> {
        abi::FUNCTIONS
            .iter()
            .try_for_each(|f| self.link_function(f))
    }

    /// Links `wasi_snapshot_preview1.random_get` to the context's own generator (wasm3's asks
    /// the OS on every call, and fails where there is none). The [`command`] runner links it
    /// beside its own WASI preview 1.
    ///
    /// # Errors
    /// [`Error::Link`] if the module imports `random_get` with another signature.
    pub fn link_random_get(&mut self) -> Result<(), Error> {
        self.link_function(&abi::RANDOM_GET)
    }

    /// Links a host function that does nothing but return 0, with the given parameters: the
    /// floor of a wasm3 host call, for measuring the binding against it.
    ///
    /// # Errors
    /// [`Error::Link`] if the module imports the name with another signature.
    pub fn link_noop(&mut self, module: &str, name: &str, params: &[ValType]) -> Result<(), Error> {
        self.link_raw(
            module,
            name,
            &signature(params, true),
            Some(noop),
            ptr::null(),
        )
    }

    /// Compiles every function now (wasm3 otherwise compiles each on its first call), so
    /// that a body wasm3 cannot handle fails before anything runs.
    ///
    /// # Errors
    /// [`Error::Compile`] with wasm3's reason.
    pub fn compile(&mut self) -> Result<(), Error> {
        // SAFETY: the module is loaded in this instance's runtime.
        let r = unsafe { sys::m3_CompileModule(self.module) };
        result_text(r).map_or(Ok(()), |e| Err(Error::Compile(e)))
    }

    /// Calls the exported function `name` with `args` (each the raw bits of its value: an
    /// `i32` in the low 32 bits) and returns its results the same way.
    ///
    /// # Errors
    /// [`Error::Trap`] if the guest trapped, [`Error::Call`] if there is no such function, the
    /// argument count differs, or a type is not a number.
    pub fn call(&mut self, name: &str, args: &[u64]) -> Result<Vec<u64>, Error> {
        let c_name = CString::new(name).map_err(|_| Error::Call("NUL in the name".into()))?;
        let mut func: sys::IM3Function = ptr::null_mut();
        // SAFETY: the runtime has the module loaded; `func` is a valid out-pointer and the
        // name is NUL-terminated.
        let r = unsafe { sys::m3_FindFunction(&mut func, self.runtime, c_name.as_ptr()) };
        if let Some(e) = result_text(r) {
            return Err(match e.strip_prefix("[trap] ") {
                // A start function runs on first use and may trap.
                Some(t) => Error::Trap(t.into()),
                None => Error::Call(e),
            });
        }
        // SAFETY: `func` is the live function just found.
        let (argc, retc) = unsafe { (sys::m3_GetArgCount(func), sys::m3_GetRetCount(func)) };
        if usize::try_from(argc).ok() != Some(args.len()) {
            return Err(Error::Call(format!(
                "`{name}` takes {argc} arguments, not {}",
                args.len()
            )));
        }
        let mut arg_ptrs: Vec<*const c_void> = args
            .iter()
            .map(|a| ptr::from_ref(a).cast::<c_void>())
            .collect();
        // SAFETY: the count matches the function's; each pointer is to a live 8-byte `u64`,
        // which wasm3 reads as the parameter's type (at most 8 bytes, little-endian low half
        // for `i32`); other types are refused by wasm3 before any read.
        let r = unsafe { sys::m3_Call(func, argc, arg_ptrs.as_mut_ptr()) };
        if let Some(e) = run_error(r) {
            return Err(e);
        }
        let mut results = vec![0u64; usize::try_from(retc).unwrap_or(0)];
        let mut ret_ptrs: Vec<*const c_void> = results
            .iter_mut()
            .map(|r| ptr::from_mut(r).cast_const().cast::<c_void>())
            .collect();
        // SAFETY: `func` was the last function called; each pointer is to a live, writable
        // `u64`, and wasm3 writes at most 8 bytes through it.
        let r = unsafe { sys::m3_GetResults(func, retc, ret_ptrs.as_mut_ptr()) };
        match result_text(r) {
            Some(e) => Err(Error::Call(e)),
            None => Ok(results),
        }
    }
}

/// The guest's linear memory, empty if it has none.
///
/// # Safety
/// `runtime` is live and no other reference into its memory exists for the returned lifetime
/// (true during a host call: wasm3 is suspended in it).
pub(crate) unsafe fn memory<'a>(runtime: sys::IM3Runtime) -> &'a mut [u8] {
    let mut len = 0u32;
    // SAFETY: `runtime` is live (caller); `len` is a valid out-pointer.
    let base = unsafe { sys::m3_GetMemory(runtime, &mut len, 0) };
    match (NonNull::new(base), usize::try_from(len)) {
        // SAFETY: wasm3 reports `len` bytes allocated at `base`; the caller guarantees they are
        // not otherwise borrowed.
        (Some(base), Ok(len)) => unsafe { std::slice::from_raw_parts_mut(base.as_ptr(), len) },
        _ => &mut [],
    }
}

/// The trap a host function reports if it panicked (none should: this is the last line).
const PANICKED: &CStr = c"[trap] host function panicked";

/// Runs a host function body, turning a panic into a trap instead of unwinding into C.
#[inline(always)]
pub(crate) fn guarded(body: impl FnOnce() -> sys::M3Result) -> *const c_void {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r.cast(),
        Err(_) => PANICKED.as_ptr().cast(),
    }
}

/// Reads argument slot `i` (counted from the first slot, return slots included).
///
/// # Safety
/// `sp` points at wasm3's slots for the current call and `i` is within them.
#[inline(always)]
pub(crate) unsafe fn slot(sp: *const u64, i: usize, t: ValType) -> u64 {
    // SAFETY: the caller guarantees slot `i` exists; wasm3 stores an `i32` in the slot's first
    // four bytes (as its own `m3ApiGetArg` reads it) and an `i64` in all eight.
    unsafe {
        match t {
            ValType::I32 => u64::from(sp.add(i).cast::<u32>().read_unaligned()),
            ValType::I64 => sp.add(i).read_unaligned(),
        }
    }
}

/// Writes an `i32` result into return slot 0, as wasm3's `m3ApiReturn` does.
///
/// # Safety
/// `sp` points at wasm3's slots for a call that returns one `i32`.
#[inline(always)]
pub(crate) unsafe fn set_result(sp: *mut u64, v: i32) {
    // SAFETY: the caller guarantees return slot 0 exists.
    unsafe { sp.cast::<i32>().write_unaligned(v) }
}

/// The most parameters a linked function may have (the table's longest has 8).
const MAX_PARAMS: usize = 8;

/// The host function for a [`Function`] of these parameters: one monomorphic [`dispatch`] per
/// shape in the table (so argument types are known at compile time), [`dispatch_any`] for
/// other shapes.
fn dispatcher(params: &[ValType]) -> Option<sys::M3RawCall> {
    if params.len() > MAX_PARAMS {
        return None;
    }
    let i64_mask = params
        .iter()
        .enumerate()
        .filter(|(_, t)| **t == ValType::I64)
        .fold(0u16, |m, (i, _)| m | (1 << i));
    macro_rules! shapes {
        ($(($n:literal, $m:literal)),*) => {
            match (params.len(), i64_mask) {
                $(($n, $m) => dispatch::<$n, $m> as RawFn,)*
                _ => dispatch_any as RawFn,
            }
        };
    }
    let f = shapes!(
        (0, 0),
        (1, 0),
        (2, 0),
        (3, 0),
        (4, 0),
        (4, 8),
        (5, 0),
        (5, 8),
        (6, 0),
        (6, 8),
        (7, 0),
        (7, 8),
        (8, 0)
    );
    Some(Some(f))
}

/// A wasm3 host function.
pub(crate) type RawFn = unsafe extern "C" fn(
    sys::IM3Runtime,
    sys::IM3ImportContext,
    *mut u64,
    *mut c_void,
) -> *const c_void;

/// Calls the import's table entry with the context (the runtime's user data), the guest's
/// memory and `args`, and writes its errno into return slot 0.
///
/// # Safety
/// `runtime`, `import` and `sp` are those wasm3 passed to a host function linked by
/// [`Instance::link_function`] (which made the import's user data a `&'static Function`).
#[inline(always)]
unsafe fn call_entry(
    runtime: sys::IM3Runtime,
    import: sys::IM3ImportContext,
    sp: *mut u64,
    args: &[u64],
) -> sys::M3Result {
    // SAFETY: `link_function` set the import's user data to a `&'static Function`.
    let f = unsafe { &*(*import).userdata.cast::<Function>() };
    // SAFETY: the runtime's user data is the instance's `State`, live while wasm3 runs and
    // otherwise untouched during this call (the instance is borrowed by `call`).
    let state = unsafe { &mut *sys::m3_GetUserData(runtime).cast::<State>() };
    // SAFETY: wasm3 is suspended in this call; nothing else borrows its memory.
    let mem = unsafe { memory(runtime) };
    let errno = (f.call)(&mut state.ctx, mem, args);
    // SAFETY: every `Function` returns one `i32`, in slot 0.
    unsafe { set_result(sp, errno) };
    ptr::null()
}

/// The host function behind every table entry of `N` parameters whose `i64`s are the bits of
/// `I64`: arguments decoded from the stack, then [`call_entry`].
unsafe extern "C" fn dispatch<const N: usize, const I64: u16>(
    runtime: sys::IM3Runtime,
    import: sys::IM3ImportContext,
    sp: *mut u64,
    _mem: *mut c_void,
) -> *const c_void {
    guarded(|| {
        let mut args = [0u64; N];
        for (i, a) in args.iter_mut().enumerate() {
            let t = if (I64 >> i) & 1 == 1 {
                ValType::I64
            } else {
                ValType::I32
            };
            // SAFETY: `dispatcher` chose this function for exactly this shape, and wasm3
            // checked the import's signature against it when linking: one return slot, then
            // one slot per parameter.
            *a = unsafe { slot(sp, i + 1, t) };
        }
        // SAFETY: the contract of `call_entry` is this function's.
        unsafe { call_entry(runtime, import, sp, &args) }
    })
}

/// [`dispatch`] for any other shape (up to [`MAX_PARAMS`]), reading the types from the entry.
unsafe extern "C" fn dispatch_any(
    runtime: sys::IM3Runtime,
    import: sys::IM3ImportContext,
    sp: *mut u64,
    _mem: *mut c_void,
) -> *const c_void {
    guarded(|| {
        // SAFETY: `link_function` set the import's user data to a `&'static Function`.
        let params = unsafe { &*(*import).userdata.cast::<Function>() }.params;
        let mut args = [0u64; MAX_PARAMS];
        let Some(args) = args.get_mut(..params.len()) else {
            return PANICKED.as_ptr();
        };
        for (i, (a, t)) in args.iter_mut().zip(params).enumerate() {
            // SAFETY: wasm3 checked the import's signature against `params` when linking.
            *a = unsafe { slot(sp, i + 1, *t) };
        }
        // SAFETY: the contract of `call_entry` is this function's.
        unsafe { call_entry(runtime, import, sp, args) }
    })
}

/// A host function that does nothing and returns 0.
unsafe extern "C" fn noop(
    _runtime: sys::IM3Runtime,
    _import: sys::IM3ImportContext,
    sp: *mut u64,
    _mem: *mut c_void,
) -> *const c_void {
    // SAFETY: linked only with signatures returning one `i32` (slot 0).
    unsafe { set_result(sp, 0) };
    ptr::null()
}
