//! Running a WASI preview 1 command with wasi-crypto linked, on wasm3: what
//! `wasmcrypt run --engine wasm3` does and what the guest conformance tests use. The options,
//! outcome and errors are the ones every engine's runner shares (the Wasmtime runner
//! re-exports them), so a guest gives the same [`Outcome`] or [`RunError`] on each engine.
//!
//! Before wasm3 sees a module it is converted from WAT if needed, validated, and its imports
//! checked against what this host provides; wasm3 then runs it on a thread of its own whose
//! stack is large enough for wasm3's native-recursion budget, so deep recursion ends in a
//! `stack overflow` trap, never in a crash of the host.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use wasmcrypt_core::abi::{self, WASI_PREVIEW1};
use wasmcrypt_core::keystore::{KeyStore, SystemWallClock};
use wasmcrypt_core::rng::{BaseRng, EntropyError, InstanceRng, OsEntropy, StdClock};
use wasmcrypt_core::{Config, Ctx};
use wasmparser::{CompositeInnerType, ExternalKind, Parser, Payload, TypeRef, Validator};

use crate::{Error, Instance};

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

/// How to run a guest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Where its stdout goes.
    pub stdio: Stdio,
    /// Link no randomness at all: a module importing `random_get` is refused.
    pub deterministic: bool,
    /// With [`Stdio::Capture`]: what the guest reads on stdin (empty when `None`).
    pub stdin: Option<Vec<u8>>,
    /// A key store for the secrets manager (managed keys, external secrets); without one
    /// `secrets_manager_open` is `unsupported_feature`.
    pub keys: Option<KeyStoreOption>,
}

/// A key store and the namespace the guest sees in it; expirations use the system clock.
#[derive(Clone)]
pub struct KeyStoreOption {
    /// The store.
    pub store: Arc<dyn KeyStore>,
    /// The namespace (tenant) of this guest.
    pub namespace: Vec<u8>,
}

impl KeyStoreOption {
    /// Gives `ctx` this store, namespace and the system clock.
    ///
    /// # Errors
    /// If the namespace cannot be copied.
    pub fn apply(&self, ctx: &mut Ctx) -> Result<(), wasmcrypt_core::Error> {
        ctx.set_key_store(
            Arc::clone(&self.store),
            &self.namespace,
            Arc::new(SystemWallClock),
        )
    }
}

impl std::fmt::Debug for KeyStoreOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStoreOption")
            .field("namespace", &String::from_utf8_lossy(&self.namespace))
            .finish_non_exhaustive()
    }
}

impl PartialEq for KeyStoreOption {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.store, &other.store) && self.namespace == other.namespace
    }
}

impl Eq for KeyStoreOption {}

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

/// wasm3's value stack per instance (wasm3's own CLI uses 64 KiB).
const VALUE_STACK: u32 = 1 << 20;

/// The runner thread's native stack: wasm3 traps once a call chain uses about 8 MiB of it
/// (`d_m3MaxNativeStack`), so twice that leaves room for host calls at the deepest point.
const NATIVE_STACK: usize = 16 << 20;

/// The process's base generator for wasm3 guests, seeded from the OS on first use (and
/// reseeded every 60 s, every ~1 MiB drawn). Each run draws its own generator from it.
///
/// # Errors
/// If the OS cannot deliver the first seed; a later call tries again.
pub fn os_base() -> Result<Arc<BaseRng>, EntropyError> {
    static BASE: Mutex<Option<Arc<BaseRng>>> = Mutex::new(None);
    let mut slot = BASE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(b) = slot.as_ref() {
        return Ok(Arc::clone(b));
    }
    let b = BaseRng::with_clock(Box::new(OsEntropy), Some(Box::new(StdClock::default())))?;
    *slot = Some(Arc::clone(&b));
    Ok(b)
}

/// The deterministic-host rule every runner applies: a module importing `random_get` is
/// refused before it runs.
///
/// # Errors
/// [`RunError::RandomInDeterministicHost`] naming the import.
pub fn refuse_random_import<'a>(
    mut imports: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<(), RunError> {
    let random = &abi::RANDOM_GET;
    match imports.find(|(m, n)| *m == random.module && *n == random.name) {
        Some((m, n)) => Err(RunError::RandomInDeterministicHost {
            module: m.to_string(),
            name: n.to_string(),
        }),
        None => Ok(()),
    }
}

/// Reads a module file (binary or WAT), for every engine's runner.
///
/// # Errors
/// [`RunError::Read`].
pub fn read_module(path: &Path) -> Result<Vec<u8>, RunError> {
    std::fs::read(path).map_err(|e| RunError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
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
    run_bytes(&read_module(path)?, args, opts)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Converts WAT, validates, checks every import is provided (refusing `random_get` on a
/// deterministic host) and that `_start` is a `() -> ()` export; returns the binary.
fn check(module: &[u8], deterministic: bool) -> Result<Vec<u8>, RunError> {
    let compile = |reason: String| RunError::Compile {
        reason: one_line(&reason),
    };
    let wasm = wat::parse_bytes(module)
        .map_err(|e| compile(e.to_string()))?
        .into_owned();
    Validator::new()
        .validate_all(&wasm)
        .map_err(|e| compile(e.to_string()))?;

    let mut imports = Vec::new();
    let mut types: Vec<Option<(usize, usize)>> = Vec::new();
    let mut funcs: Vec<u32> = Vec::new();
    let mut start = None;
    for payload in Parser::new(0).parse_all(&wasm) {
        match payload.map_err(|e| compile(e.to_string()))? {
            Payload::TypeSection(r) => {
                for group in r {
                    for t in group.map_err(|e| compile(e.to_string()))?.into_types() {
                        types.push(match &t.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                Some((f.params().len(), f.results().len()))
                            }
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.map_err(|e| compile(e.to_string()))?;
                    if let TypeRef::Func(t) = i.ty {
                        funcs.push(t);
                    }
                    imports.push((i.module.to_string(), i.name.to_string(), i.ty));
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    funcs.push(t.map_err(|e| compile(e.to_string()))?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(|e| compile(e.to_string()))?;
                    if e.name == "_start" && e.kind == ExternalKind::Func {
                        start = Some(e.index);
                    }
                }
            }
            _ => {}
        }
    }

    if deterministic {
        refuse_random_import(imports.iter().map(|(m, n, _)| (m.as_str(), n.as_str())))?;
    }
    for (module, name, ty) in &imports {
        let provided = matches!(ty, TypeRef::Func(_))
            && ((module == WASI_PREVIEW1 && crate::wasi::PREVIEW1.contains(&name.as_str()))
                || abi::find(module, name).is_some());
        if !provided {
            return Err(RunError::UnknownImport {
                module: module.clone(),
                name: name.clone(),
            });
        }
    }
    let start_type = start
        .and_then(|f| funcs.get(usize::try_from(f).ok()?))
        .and_then(|t| *types.get(usize::try_from(*t).ok()?)?);
    if start_type != Some((0, 0)) {
        return Err(RunError::NoStart);
    }
    Ok(wasm)
}

/// Compiles `module` (binary or WAT), links WASI preview 1 and wasi-crypto, checks every
/// import is provided, and calls `_start` with `args` as argv, on wasm3.
///
/// # Errors
/// One [`RunError`] per failure kind, as the Wasmtime runner: a malformed module is
/// `Compile`, an import this host lacks `UnknownImport` (named), a trap (including wasm3's
/// `stack overflow`) `Trap`, an import of the right name with the wrong signature `Engine`.
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
    let wasm = check(module, deterministic)?;
    let mut ctx = if deterministic {
        Ctx::new(Config::default())
    } else {
        Ctx::with_rng(
            Config::default(),
            InstanceRng::new(&os_base().map_err(|_| RunError::NoEntropy)?),
        )
    };
    if let Some(k) = &keys {
        k.apply(&mut ctx).map_err(|e| RunError::Engine {
            reason: format!("key store: {e:?}"),
        })?;
    }
    let capture = stdio == Stdio::Capture;
    let stdin = capture.then(|| stdin.unwrap_or_default());
    let args = args.to_vec();
    std::thread::Builder::new()
        .name("wasm3".into())
        .stack_size(NATIVE_STACK)
        .spawn(move || run(&wasm, ctx, &args, capture, stdin, deterministic))
        .map_err(|e| RunError::Engine {
            reason: format!("cannot start the wasm3 thread: {e}"),
        })?
        .join()
        .unwrap_or_else(|_| {
            Err(RunError::Engine {
                reason: "the wasm3 thread panicked".into(),
            })
        })
}

fn run(
    wasm: &[u8],
    ctx: Ctx,
    args: &[String],
    capture: bool,
    stdin: Option<Vec<u8>>,
    deterministic: bool,
) -> Result<Outcome, RunError> {
    let engine = |e: Error| RunError::Engine {
        reason: e.to_string(),
    };
    let compile = |e: Error| RunError::Compile {
        reason: match e {
            Error::Load(r) | Error::Compile(r) => r,
            other => other.to_string(),
        },
    };
    let mut instance = Instance::new(wasm, ctx, VALUE_STACK).map_err(compile)?;
    instance.link_wasi(args, capture, stdin).map_err(engine)?;
    instance.link_crypto().map_err(engine)?;
    if !deterministic {
        instance.link_random_get().map_err(engine)?;
    }
    instance.compile().map_err(compile)?;
    let result = instance.call("_start", &[]);
    let exit_code = match (instance.exit_status(), result) {
        (Some(status), _) => i32::try_from(status)
            .ok()
            .filter(|s| *s < 126)
            .ok_or_else(|| RunError::Engine {
                reason: "exit with invalid exit status outside of [0..126)".into(),
            })?,
        (None, Ok(_)) => 0,
        (None, Err(Error::Trap(trap))) => return Err(RunError::Trap { trap }),
        (None, Err(e)) => return Err(engine(e)),
    };
    Ok(Outcome {
        exit_code,
        stdout: instance.take_stdout(),
    })
}
