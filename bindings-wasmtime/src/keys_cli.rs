//! `wasmcrypt keys`: an operator's commands for a persistent key store, and the options
//! `wasmcrypt run --keystore` shares with them.
//!
//! The master key never appears on a command line: it comes from the file named by
//! `--master-key-file` (32 raw bytes or 64 hex digits) or from the `WASMCRYPT_MASTER_KEY`
//! environment variable (64 hex digits). Keys are created and checked by the core itself
//! (the same code a guest's calls run), and `list` never shows key bytes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wasmcrypt_core::keystore::dir::{DirStore, DirStoreError, Listing};
use wasmcrypt_core::keystore::{EntryKind, KeyStore, StoreLimits, SystemWallClock};
use wasmcrypt_core::rng::{InstanceRng, OsEntropy};
use wasmcrypt_core::{AlgorithmType, Config, Ctx, Error, KeypairEncoding, SecretsManager, Version};

/// The environment variable holding the master key (64 hex digits).
pub(crate) const MASTER_KEY_ENV: &str = "WASMCRYPT_MASTER_KEY";

/// Where a store is and how to unlock it.
#[derive(Debug, Default)]
pub(crate) struct StoreArgs {
    /// `--keystore DIR`.
    pub(crate) dir: Option<PathBuf>,
    /// `--namespace NAME` (default `default`).
    pub(crate) namespace: Option<String>,
    /// `--master-key-file PATH`.
    pub(crate) master_key_file: Option<PathBuf>,
}

impl StoreArgs {
    /// Takes `arg` (and its value from `rest`) if it is one of the store options.
    ///
    /// # Errors
    /// An option without its value.
    pub(crate) fn take(
        &mut self,
        arg: &str,
        rest: &mut impl Iterator<Item = String>,
    ) -> Result<bool, String> {
        let slot = match arg {
            "--keystore" => &mut self.dir,
            "--master-key-file" => &mut self.master_key_file,
            "--namespace" => {
                self.namespace = Some(rest.next().ok_or("--namespace needs a value")?);
                return Ok(true);
            }
            _ => return Ok(false),
        };
        *slot = Some(PathBuf::from(
            rest.next().ok_or(format!("{arg} needs a value"))?,
        ));
        Ok(true)
    }

    /// The namespace guests and commands use.
    pub(crate) fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    fn master_key(&self) -> Result<[u8; 32], String> {
        let text = match &self.master_key_file {
            Some(p) => {
                let bytes = std::fs::read(p)
                    .map_err(|e| format!("cannot read the master key file {}: {e}", p.display()))?;
                if let Ok(raw) = <[u8; 32]>::try_from(bytes.as_slice()) {
                    return Ok(raw);
                }
                String::from_utf8(bytes).map_err(|_| {
                    "the master key file is not 32 bytes or 64 hex digits".to_string()
                })?
            }
            None => std::env::var(MASTER_KEY_ENV).map_err(|_| {
                format!(
                    "no master key: set {MASTER_KEY_ENV} (64 hex digits) or pass --master-key-file"
                )
            })?,
        };
        unhex32(text.trim()).ok_or_else(|| "the master key is not 64 hex digits".to_string())
    }

    /// Opens the store (or creates it, for `keys init`).
    ///
    /// # Errors
    /// One line: no `--keystore`, no master key, a missing store, a wrong master key.
    pub(crate) fn open(&self, create: bool) -> Result<DirStore, String> {
        let dir = self.dir.as_deref().ok_or("--keystore DIR is required")?;
        let key = self.master_key()?;
        let limits = StoreLimits {
            max_ids: 1 << 20,
            max_versions: 1024,
            max_bytes: 1 << 30,
        };
        let r = if create {
            DirStore::create(dir, &key, limits, Box::new(OsEntropy))
        } else {
            DirStore::open(dir, &key, limits, Box::new(OsEntropy))
        };
        r.map_err(|e: DirStoreError| e.to_string())
    }
}

fn unhex32(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(b.chunks(2)) {
        *o = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn errno(what: &str, e: Error) -> String {
    format!("{what}: {}", e.errno().name())
}

fn alg_type(name: &str) -> Result<AlgorithmType, String> {
    match name {
        "symmetric" => Ok(AlgorithmType::Symmetric),
        "signatures" => Ok(AlgorithmType::Signatures),
        "key_exchange" | "kx" => Ok(AlgorithmType::KeyExchange),
        other => Err(format!(
            "unknown key type `{other}` (symmetric, signatures, key_exchange)"
        )),
    }
}

/// A context with randomness over `store`, and its secrets manager.
fn session(store: DirStore, namespace: &str) -> Result<(Ctx, SecretsManager), String> {
    let base = crate::os_base().map_err(|e| e.to_string())?;
    let mut ctx = Ctx::with_rng(Config::default(), InstanceRng::new(&base));
    let store: Arc<dyn KeyStore> = Arc::new(store);
    ctx.set_key_store(store, namespace.as_bytes(), Arc::new(SystemWallClock))
        .map_err(|e| errno("key store", e))?;
    let sm = ctx
        .secrets_manager_open(None)
        .map_err(|e| errno("secrets manager", e))?;
    Ok((ctx, sm))
}

fn id_of(
    ctx: &mut Ctx,
    sym: Option<wasmcrypt_core::SymmetricKey>,
    kp: Option<wasmcrypt_core::Keypair>,
) -> Result<String, String> {
    let mut id = [0u8; 32];
    let (_, v) = match (sym, kp) {
        (Some(k), _) => ctx.symmetric_key_id(k, &mut id),
        (_, Some(k)) => ctx.keypair_id(k, &mut id),
        _ => return Err("nothing to name".into()),
    }
    .map_err(|e| errno("id", e))?;
    Ok(format!("{} {}", hex(&id), v.0))
}

fn parse_id(s: &str) -> Result<[u8; 32], String> {
    unhex32(s).ok_or_else(|| format!("`{s}` is not an id (64 hex digits)"))
}

fn listing_line(l: &Listing) -> String {
    let kind = match l.kind {
        EntryKind::SymmetricKey => "symmetric",
        EntryKind::Keypair => "keypair",
        EntryKind::ExternalSecret => "secret",
    };
    let versions: Vec<String> = l
        .versions
        .iter()
        .map(|(v, exp)| match exp {
            Some(e) => format!("v{v}(expires {e})"),
            None => format!("v{v}"),
        })
        .collect();
    let alg = if l.alg.is_empty() { "-" } else { &l.alg };
    format!("{} {kind} {alg} {}", hex(&l.id), versions.join(","))
}

/// Runs `wasmcrypt keys SUBCOMMAND ...`; returns the lines to print.
///
/// # Errors
/// One line saying what failed.
pub(crate) fn keys(mut args: impl Iterator<Item = String>) -> Result<Vec<String>, String> {
    let sub = args
        .next()
        .ok_or("keys needs a subcommand: init, generate, import, list, rotate, revoke")?;
    let mut store = StoreArgs::default();
    let mut alg: Option<String> = None;
    let mut ty = String::from("symmetric");
    let mut encoding = String::from("raw");
    let mut version = String::from("all");
    let mut positional: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        if store.take(&a, &mut args)? {
            continue;
        }
        match a.as_str() {
            "--alg" => alg = Some(args.next().ok_or("--alg needs a value")?),
            "--type" => ty = args.next().ok_or("--type needs a value")?,
            "--encoding" => encoding = args.next().ok_or("--encoding needs a value")?,
            "--version" => version = args.next().ok_or("--version needs a value")?,
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            _ => positional.push(a),
        }
    }
    let ns = store.namespace().to_string();
    match sub.as_str() {
        "init" => {
            store.open(true)?;
            Ok(vec![format!(
                "created key store {}",
                store
                    .dir
                    .as_deref()
                    .map(Path::display)
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            )])
        }
        "list" => {
            let s = store.open(false)?;
            let items = s.list(ns.as_bytes()).map_err(|e| errno("list", e))?;
            // Ids whose every version was revoked keep their numbers but list nothing.
            Ok(items
                .iter()
                .filter(|l| !l.versions.is_empty())
                .map(listing_line)
                .collect())
        }
        "generate" => {
            let alg = alg.ok_or("--alg NAME is required")?;
            let (mut ctx, sm) = session(store.open(false)?, &ns)?;
            let t = alg_type(&ty)?;
            let line = if t == AlgorithmType::Symmetric {
                let k = ctx
                    .symmetric_key_generate_managed(sm, alg.as_bytes(), None)
                    .map_err(|e| errno("generate", e))?;
                id_of(&mut ctx, Some(k), None)?
            } else {
                let k = ctx
                    .keypair_generate_managed(sm, t, alg.as_bytes(), None)
                    .map_err(|e| errno("generate", e))?;
                id_of(&mut ctx, None, Some(k))?
            };
            Ok(vec![line])
        }
        "import" => {
            let alg = alg.ok_or("--alg NAME is required")?;
            let [file] = positional.as_slice() else {
                return Err("import needs one key file".into());
            };
            let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
            let (mut ctx, sm) = session(store.open(false)?, &ns)?;
            let t = alg_type(&ty)?;
            let mut id = [0u8; 32];
            if t == AlgorithmType::Symmetric {
                let k = ctx
                    .symmetric_key_import(alg.as_bytes(), &bytes)
                    .map_err(|e| errno("import", e))?;
                ctx.symmetric_key_store_managed(sm, k, &mut id)
                    .map_err(|e| errno("store", e))?;
            } else {
                let enc = match encoding.as_str() {
                    "raw" => KeypairEncoding::Raw,
                    "pkcs8" => KeypairEncoding::Pkcs8,
                    "pem" => KeypairEncoding::Pem,
                    other => return Err(format!("unknown encoding `{other}` (raw, pkcs8, pem)")),
                };
                let k = ctx
                    .keypair_import(t, alg.as_bytes(), &bytes, enc)
                    .map_err(|e| errno("import", e))?;
                ctx.keypair_store_managed(sm, k, &mut id)
                    .map_err(|e| errno("store", e))?;
            }
            Ok(vec![format!("{} 1", hex(&id))])
        }
        "rotate" => {
            let [id] = positional.as_slice() else {
                return Err("rotate needs one id".into());
            };
            let id = parse_id(id)?;
            let s = store.open(false)?;
            let entry = s
                .list(ns.as_bytes())
                .map_err(|e| errno("rotate", e))?
                .into_iter()
                .find(|l| l.id == id && !l.versions.is_empty())
                .ok_or("no such id in this namespace")?;
            let alg = entry.alg.as_bytes();
            let (mut ctx, sm) = session(s, &ns)?;
            let v = match entry.kind {
                EntryKind::SymmetricKey => {
                    let old = ctx
                        .symmetric_key_from_id(sm, &id, Version::LATEST)
                        .map_err(|e| errno("rotate", e))?;
                    let new = ctx
                        .symmetric_key_generate(alg, None)
                        .map_err(|e| errno("rotate", e))?;
                    ctx.symmetric_key_replace_managed(sm, old, new)
                }
                EntryKind::Keypair => {
                    let old = ctx
                        .keypair_from_id(sm, &id, Version::LATEST)
                        .map_err(|e| errno("rotate", e))?;
                    // The name says which type it is: the other type does not know it.
                    let new = ctx
                        .keypair_generate(AlgorithmType::Signatures, alg, None)
                        .or_else(|_| ctx.keypair_generate(AlgorithmType::KeyExchange, alg, None))
                        .map_err(|e| errno("rotate", e))?;
                    ctx.keypair_replace_managed(sm, old, new)
                }
                EntryKind::ExternalSecret => {
                    return Err("external secrets are replaced by their guests, not rotated".into());
                }
            }
            .map_err(|e| errno("rotate", e))?;
            Ok(vec![format!("{} {}", hex(&id), v.0)])
        }
        "revoke" => {
            let [id] = positional.as_slice() else {
                return Err("revoke needs one id".into());
            };
            let id = parse_id(id)?;
            let which = match version.as_str() {
                "all" => Version::ALL,
                "latest" => Version::LATEST,
                n => Version(
                    n.parse()
                        .map_err(|_| format!("`{n}` is not a version (a number, latest or all)"))?,
                ),
            };
            let s = store.open(false)?;
            let kind = s
                .kind(ns.as_bytes(), &id)
                .ok_or("no such id in this namespace")?;
            let (mut ctx, sm) = session(s, &ns)?;
            match kind {
                EntryKind::ExternalSecret => ctx.external_secret_invalidate(sm, &id, which),
                _ => ctx.secrets_manager_invalidate(sm, &id, which),
            }
            .map_err(|e| errno("revoke", e))?;
            Ok(vec![format!("revoked {} {version}", hex(&id))])
        }
        other => Err(format!(
            "unknown keys subcommand `{other}` (init, generate, import, list, rotate, revoke)"
        )),
    }
}
