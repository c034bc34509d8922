//! Key stores: where managed keys and external secrets live, behind the secrets manager.
//!
//! The core never assumes where keys are kept. An embedder gives a context a [`KeyStore`], a
//! namespace (the tenant: a context only ever sees ids of its own namespace) and a
//! [`WallClock`] for expirations, with [`Ctx::set_key_store`](crate::Ctx::set_key_store).
//! [`MemoryStore`] is the bounded in-memory store; the std bindings add a persistent one.
//!
//! Ids are 32 random bytes chosen by the host. Versions of an id start at 1 and grow by one
//! per replacement, never reused, even after invalidations.

#[cfg(feature = "std")]
pub mod dir;

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::errno::{Error, Result};

/// Length of every key and secret id.
pub const ID_LEN: usize = 32;

/// An id: 32 random bytes.
pub type KeyId = [u8; ID_LEN];

/// What an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A managed symmetric key.
    SymmetricKey,
    /// A managed key pair.
    Keypair,
    /// An external secret.
    ExternalSecret,
}

/// One version of an id: the key or secret, its algorithm and its expiration.
#[derive(Clone)]
pub struct Entry {
    /// What the bytes are.
    pub kind: EntryKind,
    /// The algorithm's name (empty for external secrets).
    pub alg: Vec<u8>,
    /// For key pairs, the witx `keypair_encoding` of `bytes`; 0 otherwise.
    pub encoding: u16,
    /// The key's or secret's bytes. Never leave the host for managed keys.
    pub bytes: Zeroizing<Vec<u8>>,
    /// UNIX seconds after which the entry is expired, if any.
    pub expiration: Option<u64>,
}

impl core::fmt::Debug for Entry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Entry")
            .field("kind", &self.kind)
            .field("alg", &self.alg)
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

/// Which versions an operation names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Versions {
    /// One version.
    Exact(u64),
    /// The newest version still live.
    Latest,
    /// Every version (invalidation only).
    All,
}

/// A store of managed keys and external secrets, shared by any number of contexts.
///
/// Implementations are bounded (entries, bytes, versions per id; past a bound `overflow`),
/// consistent under concurrent use, and never mix namespaces.
pub trait KeyStore: Send + Sync {
    /// Creates `id` in `namespace` with `entry` as version 1. `id` already present:
    /// `internal_error` (ids are random; the caller draws another).
    fn create(&self, namespace: &[u8], id: &KeyId, entry: Entry) -> Result<()>;
    /// Adds `entry` as the next version of `id` (the largest version ever issued + 1) and
    /// returns it. Unknown id: `not_found`; an entry of another kind or algorithm:
    /// `incompatible_keys`.
    fn add_version(&self, namespace: &[u8], id: &KeyId, entry: Entry) -> Result<u64>;
    /// One live version of `id` (`Latest` or `Exact`) and its number; `not_found` when there
    /// is none. Shared, not copied: a lookup allocates nothing in the in-memory store.
    fn get(&self, namespace: &[u8], id: &KeyId, which: Versions) -> Result<(u64, Arc<Entry>)>;
    /// Removes one version, the newest live one, or all of them; `not_found` when none
    /// matches. Version numbers stay issued.
    fn invalidate(&self, namespace: &[u8], id: &KeyId, which: Versions) -> Result<()>;
    /// The kind of `id`'s entries, if it has a live version.
    fn kind(&self, namespace: &[u8], id: &KeyId) -> Option<EntryKind> {
        self.get(namespace, id, Versions::Latest)
            .ok()
            .map(|(_, e)| e.kind)
    }
    /// The 32-byte key that seals external secrets for `external_secret_encapsulate`; it
    /// never leaves the host.
    fn encapsulation_key(&self) -> Result<Zeroizing<[u8; 32]>>;
}

/// The embedder's wall clock, in UNIX seconds (the clock a guest's WASI realtime clock shows).
pub trait WallClock: Send + Sync {
    /// Seconds since the UNIX epoch.
    fn unix_secs(&self) -> u64;
}

/// The system's wall clock.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemWallClock;

#[cfg(feature = "std")]
impl WallClock for SystemWallClock {
    fn unix_secs(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// Bounds of a [`MemoryStore`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreLimits {
    /// Ids (over all namespaces).
    pub max_ids: usize,
    /// Live versions per id.
    pub max_versions: usize,
    /// Bytes of keys, secrets, names and namespaces held in total.
    pub max_bytes: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            max_ids: 1024,
            max_versions: 16,
            max_bytes: 1024 * 1024,
        }
    }
}

struct Slot {
    /// Largest version ever issued for this id.
    issued: u64,
    kind: EntryKind,
    alg: Vec<u8>,
    live: BTreeMap<u64, Arc<Entry>>,
}

struct Inner {
    /// Namespace → id → versions (looked up by slices, without allocating).
    namespaces: BTreeMap<Vec<u8>, BTreeMap<KeyId, Slot>>,
    ids: usize,
    bytes: usize,
}

/// A bounded in-memory store: what it holds lives as long as the store value. Shared by
/// contexts through an `Arc`; a lock serializes changes, so every context sees one order of
/// versions.
pub struct MemoryStore {
    limits: StoreLimits,
    seal: Zeroizing<[u8; 32]>,
    inner: spin::Mutex<Inner>,
}

impl core::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

fn entry_bytes(namespace: &[u8], e: &Entry) -> usize {
    e.bytes
        .len()
        .saturating_add(e.alg.len())
        .saturating_add(namespace.len())
        .saturating_add(ID_LEN)
}

impl MemoryStore {
    /// An empty store. `encapsulation_key` seals external secrets: pass 32 bytes from a
    /// trusted generator.
    pub fn new(limits: StoreLimits, encapsulation_key: [u8; 32]) -> Self {
        MemoryStore {
            limits,
            seal: Zeroizing::new(encapsulation_key),
            inner: spin::Mutex::new(Inner {
                namespaces: BTreeMap::new(),
                ids: 0,
                bytes: 0,
            }),
        }
    }
}

impl KeyStore for MemoryStore {
    fn create(&self, namespace: &[u8], id: &KeyId, entry: Entry) -> Result<()> {
        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        if inner.ids >= self.limits.max_ids {
            return Err(Error::Overflow);
        }
        let size = entry_bytes(namespace, &entry);
        let total = inner.bytes.checked_add(size).ok_or(Error::Overflow)?;
        if total > self.limits.max_bytes {
            return Err(Error::Overflow);
        }
        if !inner.namespaces.contains_key(namespace) {
            inner
                .namespaces
                .insert(crate::secret::fallible_vec(namespace)?, BTreeMap::new());
        }
        let ids = inner
            .namespaces
            .get_mut(namespace)
            .ok_or(Error::InternalError)?;
        if ids.contains_key(id) {
            return Err(Error::InternalError);
        }
        let mut live = BTreeMap::new();
        let (kind, alg) = (entry.kind, crate::secret::fallible_vec(&entry.alg)?);
        live.insert(1, Arc::new(entry));
        ids.insert(
            *id,
            Slot {
                issued: 1,
                kind,
                alg,
                live,
            },
        );
        inner.ids = inner.ids.saturating_add(1);
        inner.bytes = total;
        Ok(())
    }

    fn add_version(&self, namespace: &[u8], id: &KeyId, entry: Entry) -> Result<u64> {
        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        let size = entry_bytes(namespace, &entry);
        let total = inner.bytes.checked_add(size).ok_or(Error::Overflow)?;
        let slot = inner
            .namespaces
            .get_mut(namespace)
            .and_then(|ids| ids.get_mut(id))
            .ok_or(Error::NotFound)?;
        if slot.kind != entry.kind || slot.alg != entry.alg {
            return Err(Error::IncompatibleKeys);
        }
        if slot.live.len() >= self.limits.max_versions || total > self.limits.max_bytes {
            return Err(Error::Overflow);
        }
        let version = slot.issued.checked_add(1).ok_or(Error::Overflow)?;
        slot.live.insert(version, Arc::new(entry));
        slot.issued = version;
        inner.bytes = total;
        Ok(version)
    }

    fn get(&self, namespace: &[u8], id: &KeyId, which: Versions) -> Result<(u64, Arc<Entry>)> {
        let inner = self.inner.lock();
        let slot = inner
            .namespaces
            .get(namespace)
            .and_then(|ids| ids.get(id))
            .ok_or(Error::NotFound)?;
        let (v, e) = match which {
            Versions::Latest => slot.live.iter().next_back(),
            Versions::Exact(v) => slot.live.get_key_value(&v),
            Versions::All => return Err(Error::InvalidOperation),
        }
        .ok_or(Error::NotFound)?;
        Ok((*v, Arc::clone(e)))
    }

    fn invalidate(&self, namespace: &[u8], id: &KeyId, which: Versions) -> Result<()> {
        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        let slot = inner
            .namespaces
            .get_mut(namespace)
            .and_then(|ids| ids.get_mut(id))
            .ok_or(Error::NotFound)?;
        let removed: Vec<Arc<Entry>> = match which {
            Versions::All => core::mem::take(&mut slot.live).into_values().collect(),
            Versions::Latest => {
                let v = *slot.live.keys().next_back().ok_or(Error::NotFound)?;
                slot.live.remove(&v).into_iter().collect()
            }
            Versions::Exact(v) => slot.live.remove(&v).into_iter().collect(),
        };
        if removed.is_empty() {
            return Err(Error::NotFound);
        }
        for e in &removed {
            inner.bytes = inner.bytes.saturating_sub(entry_bytes(namespace, e));
        }
        // The id stays (with its issued count) so versions are never reused.
        Ok(())
    }

    fn encapsulation_key(&self) -> Result<Zeroizing<[u8; 32]>> {
        Ok(Zeroizing::new(*self.seal))
    }
}
