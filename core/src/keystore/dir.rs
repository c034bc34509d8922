//! A persistent key store: a directory whose entries are encrypted at rest and committed
//! crash-safely (feature `std`).
//!
//! Layout under the root:
//!
//! ```text
//! check                           proves the master key (sealed known text)
//! <sha256(namespace) hex>/<id hex>/meta          the id's kind and algorithm (sealed)
//! <sha256(namespace) hex>/<id hex>/<v>.entry     version v (sealed)
//! <sha256(namespace) hex>/<id hex>/<v>.revoked   version v invalidated (empty)
//! ```
//!
//! Every file is `WCK1 ‖ nonce (24) ‖ XChaCha20-Poly1305(ciphertext ‖ tag)` under a key derived
//! from the master key (HKDF-SHA-256), with the file's place (namespace hash, id, version) in
//! the additional data: a file moved, altered, truncated or sealed under another master key is
//! refused (`verification_failed`), never half-read.
//!
//! A file is committed by writing a temporary file, syncing it, hard-linking it to its final
//! name (which fails if the name exists, so two writers never take one version) and syncing
//! the directory; a version exists exactly when its `.entry` name does, so a crash at any
//! step leaves either the whole version or none of it. Invalidation commits a `.revoked`
//! marker first, then deletes the entry; numbers stay issued, so versions are never reused.

use std::boxed::Box;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::string::{String, ToString};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::vec::Vec;
use std::{format, vec};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{Entry, EntryKind, ID_LEN, KeyId, KeyStore, StoreLimits, Versions};
use crate::errno::{Error, Result};
use crate::rng::EntropySource;
use crate::seal;

const MAGIC: &[u8; 4] = b"WCK1";
const CHECK_TEXT: &[u8] = b"wasmcrypt key store";
/// The shortest sealed file (empty text).
const MIN_FILE: usize = 4 + seal::NONCE + seal::TAG;

/// Why a directory store could not be opened, in one line.
#[derive(Debug)]
pub enum DirStoreError {
    /// The directory does not exist or holds no store.
    Missing(PathBuf),
    /// The master key is not the one the store was created with.
    WrongMasterKey,
    /// A file of the store is damaged or was altered.
    Corrupt(PathBuf),
    /// The store exists already (`create`).
    Exists(PathBuf),
    /// The operating system refused an operation.
    Io(io::Error),
    /// No randomness for nonces.
    Entropy,
}

impl core::fmt::Display for DirStoreError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Missing(p) => write!(f, "no key store at {}", p.display()),
            Self::WrongMasterKey => f.write_str("wrong master key for this key store"),
            Self::Corrupt(p) => write!(f, "damaged or altered key store file {}", p.display()),
            Self::Exists(p) => write!(f, "a key store already exists at {}", p.display()),
            Self::Io(e) => write!(f, "key store: {e}"),
            Self::Entropy => f.write_str("key store: no randomness for nonces"),
        }
    }
}

impl std::error::Error for DirStoreError {}

/// The persistent store. Several values may open one directory (several processes, or
/// contexts in one process through one `Arc`): versions are allocated with exclusive
/// creation, so they never collide.
pub struct DirStore {
    root: PathBuf,
    limits: StoreLimits,
    entry_key: Zeroizing<[u8; 32]>,
    encapsulation: Zeroizing<[u8; 32]>,
    entropy: Box<dyn EntropySource>,
    lock: Mutex<()>,
    /// Test hook: the number of file-system steps left before an injected failure.
    faults: Option<Arc<AtomicU64>>,
}

impl core::fmt::Debug for DirStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DirStore")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

fn derive(master: &[u8; 32], label: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    let hk = hkdf::Hkdf::<Sha256>::new(Some(b"wasmcrypt key store v1"), master);
    // 32 bytes are always within HKDF-SHA-256's output bound.
    let _ = hk.expand(label, out.as_mut_slice());
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn io_err(_: io::Error) -> Error {
    Error::AlgorithmFailure
}

/// A file's name in a version directory: `(version, revoked)`.
fn parse_name(name: &str) -> Option<(u64, bool)> {
    let (n, ext) = name.split_once('.')?;
    let v = n.parse::<u64>().ok()?;
    match ext {
        "entry" => Some((v, false)),
        "revoked" => Some((v, true)),
        _ => None,
    }
}

fn encode_record(e: &Entry) -> Result<Zeroizing<Vec<u8>>> {
    let alg_len = u8::try_from(e.alg.len()).map_err(|_| Error::InvalidKey)?;
    let mut r = Zeroizing::new(Vec::new());
    r.push(match e.kind {
        EntryKind::SymmetricKey => 1,
        EntryKind::Keypair => 2,
        EntryKind::ExternalSecret => 3,
    });
    r.extend_from_slice(&e.encoding.to_be_bytes());
    r.push(u8::from(e.expiration.is_some()));
    r.extend_from_slice(&e.expiration.unwrap_or(0).to_be_bytes());
    r.push(alg_len);
    r.extend_from_slice(&e.alg);
    r.extend_from_slice(&e.bytes);
    Ok(r)
}

fn decode_record(r: &[u8]) -> Option<Entry> {
    let kind = match *r.first()? {
        1 => EntryKind::SymmetricKey,
        2 => EntryKind::Keypair,
        3 => EntryKind::ExternalSecret,
        _ => return None,
    };
    let encoding = u16::from_be_bytes(r.get(1..3)?.try_into().ok()?);
    let has_exp = *r.get(3)? == 1;
    let exp = u64::from_be_bytes(r.get(4..12)?.try_into().ok()?);
    let alg_len = usize::from(*r.get(12)?);
    let alg = r.get(13..13usize.checked_add(alg_len)?)?.to_vec();
    let bytes = r.get(13usize.checked_add(alg_len)?..)?.to_vec();
    Some(Entry {
        kind,
        alg,
        encoding,
        bytes: Zeroizing::new(bytes),
        expiration: has_exp.then_some(exp),
    })
}

impl DirStore {
    /// Creates a new, empty store in `dir` (created if needed; it must not hold a store).
    ///
    /// # Errors
    /// [`DirStoreError::Exists`], [`DirStoreError::Io`], [`DirStoreError::Entropy`].
    pub fn create(
        dir: &Path,
        master: &[u8; 32],
        limits: StoreLimits,
        entropy: Box<dyn EntropySource>,
    ) -> core::result::Result<Self, DirStoreError> {
        if dir.join("check").exists() {
            return Err(DirStoreError::Exists(dir.to_path_buf()));
        }
        fs::create_dir_all(dir).map_err(DirStoreError::Io)?;
        let store = Self::new(dir, master, limits, entropy);
        let sealed = store
            .seal_file(b"check", CHECK_TEXT)
            .map_err(|_| DirStoreError::Entropy)?;
        store
            .commit(dir, "check", &sealed)
            .map_err(|_| DirStoreError::Io(io::Error::other("cannot write the check file")))?;
        Ok(store)
    }

    /// Opens the store in `dir` with its master key.
    ///
    /// # Errors
    /// [`DirStoreError::Missing`] without a store there, [`DirStoreError::WrongMasterKey`],
    /// [`DirStoreError::Corrupt`] for a damaged check file.
    pub fn open(
        dir: &Path,
        master: &[u8; 32],
        limits: StoreLimits,
        entropy: Box<dyn EntropySource>,
    ) -> core::result::Result<Self, DirStoreError> {
        let check = dir.join("check");
        let bytes = match fs::read(&check) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(DirStoreError::Missing(dir.to_path_buf()));
            }
            Err(e) => return Err(DirStoreError::Io(e)),
        };
        let store = Self::new(dir, master, limits, entropy);
        if bytes.len() < MIN_FILE || !bytes.starts_with(MAGIC) {
            return Err(DirStoreError::Corrupt(check));
        }
        match store.open_file(b"check", &bytes) {
            Ok(text) if text.as_slice() == CHECK_TEXT => {}
            _ => return Err(DirStoreError::WrongMasterKey),
        }
        store.sweep_temporaries();
        Ok(store)
    }

    fn new(
        dir: &Path,
        master: &[u8; 32],
        limits: StoreLimits,
        entropy: Box<dyn EntropySource>,
    ) -> Self {
        DirStore {
            root: dir.to_path_buf(),
            limits,
            entry_key: derive(master, b"entries"),
            encapsulation: derive(master, b"encapsulation"),
            entropy,
            lock: Mutex::new(()),
            faults: None,
        }
    }

    /// Test hook: fail the `n`-th file-system step from now (and every one after it), as a
    /// crash would stop a writer there.
    #[doc(hidden)]
    pub fn inject_failure_after(&mut self, n: u64) {
        self.faults = Some(Arc::new(AtomicU64::new(n)));
    }

    fn step(&self) -> Result<()> {
        if let Some(f) = &self.faults {
            let left = f.load(Ordering::SeqCst);
            if left == 0 {
                return Err(Error::AlgorithmFailure);
            }
            f.store(left.saturating_sub(1), Ordering::SeqCst);
        }
        Ok(())
    }

    /// `MAGIC ‖ nonce ‖ seal(text)` with `place` as additional data.
    fn seal_file(&self, place: &[u8], text: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; seal::NONCE];
        self.entropy.fill(&mut nonce).map_err(|_| Error::RngError)?;
        let mut ad = MAGIC.to_vec();
        ad.extend_from_slice(place);
        let body = seal::seal(&self.entry_key, &nonce, &ad, text)?;
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&body);
        Ok(out)
    }

    fn open_file(&self, place: &[u8], bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(Error::VerificationFailed)?;
        let (nonce, body) = rest
            .split_at_checked(seal::NONCE)
            .ok_or(Error::VerificationFailed)?;
        let nonce: [u8; seal::NONCE] = nonce.try_into().map_err(|_| Error::VerificationFailed)?;
        let mut ad = MAGIC.to_vec();
        ad.extend_from_slice(place);
        seal::open(&self.entry_key, &nonce, &ad, body)
    }

    /// Writes `bytes` as `dir/name` atomically: temporary file, sync, hard link (refused if
    /// the name exists: `AlreadyExists` as `Error::InProgress`), directory sync.
    fn commit(&self, dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
        let mut r = [0u8; 8];
        self.entropy.fill(&mut r).map_err(|_| Error::RngError)?;
        let tmp = dir.join(format!(".tmp-{}", hex(&r)));
        self.step()?;
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io_err)?;
        self.step()?;
        f.write_all(bytes).map_err(io_err)?;
        self.step()?;
        f.sync_all().map_err(io_err)?;
        drop(f);
        self.step()?;
        let linked = fs::hard_link(&tmp, dir.join(name));
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(Error::InProgress),
            Err(e) => return Err(io_err(e)),
        }
        self.step()?;
        sync_dir(dir)
    }

    /// Removes what a crashed writer left behind: temporaries, and id directories that never
    /// got their meta file.
    fn sweep_temporaries(&self) {
        let Ok(namespaces) = fs::read_dir(&self.root) else {
            return;
        };
        for ns in namespaces.flatten() {
            let Ok(ids) = fs::read_dir(ns.path()) else {
                continue;
            };
            for id in ids.flatten() {
                let Ok(files) = fs::read_dir(id.path()) else {
                    continue;
                };
                for f in files.flatten() {
                    if f.file_name().to_string_lossy().starts_with(".tmp-") {
                        let _ = fs::remove_file(f.path());
                    }
                }
                // An id directory without its meta file never held a version (the meta is
                // committed before version 1): a create that crashed early.
                if !id.path().join("meta").exists() {
                    let _ = fs::remove_dir_all(id.path());
                }
            }
        }
    }

    fn ns_dir(&self, namespace: &[u8]) -> PathBuf {
        self.root.join(hex(&Sha256::digest(namespace)))
    }

    fn place(namespace: &[u8], id: &KeyId, what: &[u8]) -> Vec<u8> {
        let mut p = Sha256::digest(namespace).to_vec();
        p.extend_from_slice(id);
        p.extend_from_slice(what);
        p
    }

    /// Versions of an id directory: `(issued max, live versions ascending)`.
    fn versions(dir: &Path) -> Result<(u64, Vec<u64>)> {
        let mut entries = Vec::new();
        let mut revoked = Vec::new();
        for f in fs::read_dir(dir).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Error::NotFound,
            _ => Error::AlgorithmFailure,
        })? {
            let f = f.map_err(io_err)?;
            if let Some((v, dead)) = parse_name(&f.file_name().to_string_lossy()) {
                if dead {
                    revoked.push(v)
                } else {
                    entries.push(v)
                }
            }
        }
        let issued = entries.iter().chain(&revoked).copied().max().unwrap_or(0);
        entries.retain(|v| !revoked.contains(v));
        entries.sort_unstable();
        Ok((issued, entries))
    }

    /// The kind and algorithm an id was created with.
    fn meta(&self, namespace: &[u8], id: &KeyId, dir: &Path) -> Result<(EntryKind, Vec<u8>)> {
        let bytes = fs::read(dir.join("meta")).map_err(|_| Error::NotFound)?;
        let text = self.open_file(&Self::place(namespace, id, b"meta"), &bytes)?;
        let e = decode_record(&text).ok_or(Error::VerificationFailed)?;
        Ok((e.kind, e.alg))
    }

    fn read_version(&self, namespace: &[u8], id: &KeyId, dir: &Path, v: u64) -> Result<Entry> {
        let bytes = fs::read(dir.join(format!("{v}.entry"))).map_err(|_| Error::NotFound)?;
        let text = self.open_file(&Self::place(namespace, id, &v.to_be_bytes()), &bytes)?;
        decode_record(&text).ok_or(Error::VerificationFailed)
    }

    fn write_version(
        &self,
        namespace: &[u8],
        id: &KeyId,
        dir: &Path,
        v: u64,
        e: &Entry,
    ) -> Result<()> {
        let record = encode_record(e)?;
        let sealed = self.seal_file(&Self::place(namespace, id, &v.to_be_bytes()), &record)?;
        self.commit(dir, &format!("{v}.entry"), &sealed)
    }

    /// Bytes of live entries in a namespace.
    fn namespace_bytes(ns_dir: &Path) -> u64 {
        let mut total = 0u64;
        if let Ok(ids) = fs::read_dir(ns_dir) {
            for id in ids.flatten() {
                if let Ok(files) = fs::read_dir(id.path()) {
                    for f in files.flatten() {
                        total = total.saturating_add(f.metadata().map(|m| m.len()).unwrap_or(0));
                    }
                }
            }
        }
        total
    }

    fn check_bytes(&self, ns_dir: &Path, adding: usize) -> Result<()> {
        let limit = u64::try_from(self.limits.max_bytes).unwrap_or(u64::MAX);
        let adding = u64::try_from(adding).unwrap_or(u64::MAX);
        if Self::namespace_bytes(ns_dir).saturating_add(adding) > limit {
            return Err(Error::Overflow);
        }
        Ok(())
    }
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io_err)
}

impl KeyStore for DirStore {
    fn create(&self, namespace: &[u8], id: &KeyId, entry: Entry) -> Result<()> {
        let _guard = self.lock.lock().map_err(|_| Error::InternalError)?;
        let ns_dir = self.ns_dir(namespace);
        let ids = fs::read_dir(&ns_dir).map(|d| d.count()).unwrap_or(0);
        if ids >= self.limits.max_ids {
            return Err(Error::Overflow);
        }
        self.check_bytes(&ns_dir, entry.bytes.len())?;
        let dir = ns_dir.join(hex(id));
        if dir.exists() {
            return Err(Error::InternalError);
        }
        self.step()?;
        fs::create_dir_all(&dir).map_err(io_err)?;
        self.step()?;
        sync_dir(&ns_dir)?;
        sync_dir(&self.root)?;
        let meta = Entry {
            bytes: Zeroizing::new(vec![]),
            expiration: None,
            ..entry.clone()
        };
        let sealed =
            self.seal_file(&Self::place(namespace, id, b"meta"), &encode_record(&meta)?)?;
        self.commit(&dir, "meta", &sealed)?;
        self.write_version(namespace, id, &dir, 1, &entry)
    }

    fn add_version(&self, namespace: &[u8], id: &KeyId, entry: Entry) -> Result<u64> {
        let _guard = self.lock.lock().map_err(|_| Error::InternalError)?;
        let ns_dir = self.ns_dir(namespace);
        let dir = ns_dir.join(hex(id));
        let (kind, alg) = self.meta(namespace, id, &dir)?;
        if kind != entry.kind || alg != entry.alg {
            return Err(Error::IncompatibleKeys);
        }
        self.check_bytes(&ns_dir, entry.bytes.len())?;
        // Another writer may take a number first: the link refuses, try the next.
        for _ in 0..64 {
            let (issued, live) = Self::versions(&dir)?;
            if live.len() >= self.limits.max_versions {
                return Err(Error::Overflow);
            }
            let v = issued.checked_add(1).ok_or(Error::Overflow)?;
            match self.write_version(namespace, id, &dir, v, &entry) {
                Ok(()) => return Ok(v),
                Err(Error::InProgress) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::InProgress)
    }

    fn get(&self, namespace: &[u8], id: &KeyId, which: Versions) -> Result<(u64, Arc<Entry>)> {
        let dir = self.ns_dir(namespace).join(hex(id));
        let (_, live) = Self::versions(&dir)?;
        let v = match which {
            Versions::Latest => *live.last().ok_or(Error::NotFound)?,
            Versions::Exact(v) if live.contains(&v) => v,
            Versions::Exact(_) => return Err(Error::NotFound),
            Versions::All => return Err(Error::InvalidOperation),
        };
        self.read_version(namespace, id, &dir, v)
            .map(|e| (v, Arc::new(e)))
    }

    fn invalidate(&self, namespace: &[u8], id: &KeyId, which: Versions) -> Result<()> {
        let _guard = self.lock.lock().map_err(|_| Error::InternalError)?;
        let dir = self.ns_dir(namespace).join(hex(id));
        let (_, live) = Self::versions(&dir)?;
        let targets: Vec<u64> = match which {
            Versions::All => live,
            Versions::Latest => live.last().copied().into_iter().collect(),
            Versions::Exact(v) => live.into_iter().filter(|&x| x == v).collect(),
        };
        if targets.is_empty() {
            return Err(Error::NotFound);
        }
        for v in targets {
            match self.commit(&dir, &format!("{v}.revoked"), b"") {
                Ok(()) | Err(Error::InProgress) => {}
                Err(e) => return Err(e),
            }
            self.step()?;
            let _ = fs::remove_file(dir.join(format!("{v}.entry")));
            sync_dir(&dir)?;
        }
        Ok(())
    }

    fn kind(&self, namespace: &[u8], id: &KeyId) -> Option<EntryKind> {
        let dir = self.ns_dir(namespace).join(hex(id));
        let (_, live) = Self::versions(&dir).ok()?;
        if live.is_empty() {
            return None;
        }
        self.meta(namespace, id, &dir).ok().map(|(k, _)| k)
    }

    fn encapsulation_key(&self) -> Result<Zeroizing<[u8; 32]>> {
        Ok(Zeroizing::new(*self.encapsulation))
    }
}

/// The ids and versions of a namespace, for operators (`wasmcrypt keys list`): never key
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// The id.
    pub id: KeyId,
    /// What it holds.
    pub kind: EntryKind,
    /// Its algorithm (empty for external secrets).
    pub alg: String,
    /// Live versions with their expirations.
    pub versions: Vec<(u64, Option<u64>)>,
}

impl DirStore {
    /// Every id of `namespace` with its live versions.
    ///
    /// # Errors
    /// `verification_failed` for a damaged or altered file; `algorithm_failure` for I/O.
    pub fn list(&self, namespace: &[u8]) -> Result<Vec<Listing>> {
        let ns_dir = self.ns_dir(namespace);
        let mut out = Vec::new();
        let Ok(ids) = fs::read_dir(&ns_dir) else {
            return Ok(out);
        };
        for d in ids.flatten() {
            let name = d.file_name().to_string_lossy().to_string();
            let Some(id) = unhex_id(&name) else {
                continue;
            };
            let dir = d.path();
            let (kind, alg) = self.meta(namespace, &id, &dir)?;
            let (_, live) = Self::versions(&dir)?;
            let mut versions = Vec::new();
            for v in live {
                let e = self.read_version(namespace, &id, &dir, v)?;
                versions.push((v, e.expiration));
            }
            out.push(Listing {
                id,
                kind,
                alg: String::from_utf8_lossy(&alg).to_string(),
                versions,
            });
        }
        out.sort_by_key(|l| l.id);
        Ok(out)
    }
}

/// An id from its directory name (64 hex digits).
fn unhex_id(name: &str) -> Option<KeyId> {
    let mut id = [0u8; ID_LEN];
    let digits = name.as_bytes();
    if digits.len() != ID_LEN.checked_mul(2)? {
        return None;
    }
    for (b, pair) in id.iter_mut().zip(digits.chunks(2)) {
        let text = core::str::from_utf8(pair).ok()?;
        *b = u8::from_str_radix(text, 16).ok()?;
    }
    Some(id)
}
