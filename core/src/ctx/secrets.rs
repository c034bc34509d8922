//! The secrets manager's shared machinery: the context's key store and namespace, ids,
//! version selectors, expiry, and the sealed format of `external_secret_encapsulate`.
//!
//! Encapsulated secrets (format version 1), all integers big-endian:
//!
//! ```text
//! 0x01 ‖ expiration (u64 UNIX seconds) ‖ nonce (24 bytes) ‖ XChaCha20-Poly1305 ciphertext ‖ tag (16)
//! ```
//!
//! The key is the store's encapsulation key, which never leaves the host; the additional data
//! is `0x01 ‖ expiration ‖ namespace`, so the version byte, the expiration and the tenant are
//! authenticated with the secret. Decapsulation checks authenticity first (any change,
//! truncation or extension: `verification_failed`), then the expiration (`expired`).

use alloc::sync::Arc;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::*;
use crate::keystore::{Entry, EntryKind, ID_LEN, KeyId, KeyStore, Versions, WallClock};

/// Format version of encapsulated secrets.
const SEALED_V1: u8 = 1;
/// The shortest sealed secret (an empty one): version, expiration, nonce, tag.
const SEALED_MIN: usize = 1 + 8 + crate::seal::NONCE + crate::seal::TAG;

/// The key store an embedder gave this context.
pub(crate) struct SecretsEnv {
    pub(crate) store: Arc<dyn KeyStore>,
    pub(crate) namespace: Vec<u8>,
    pub(crate) clock: Arc<dyn WallClock>,
}

/// Where a managed key lives in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Managed {
    pub(crate) id: KeyId,
    pub(crate) version: u64,
    pub(crate) expiration: Option<u64>,
}

impl Managed {
    /// `expired` once the clock is past the expiration.
    pub(crate) fn check(&self, now: u64) -> Result<()> {
        check_expiry(self.expiration, now)
    }
}

/// `expired` when `expiration` is in the past.
pub(crate) fn check_expiry(expiration: Option<u64>, now: u64) -> Result<()> {
    match expiration {
        Some(e) if now > e => Err(Error::Expired),
        _ => Ok(()),
    }
}

/// An id from guest bytes: any length but 32 names nothing (`not_found`).
pub(crate) fn parse_id(id: &[u8]) -> Result<KeyId> {
    KeyId::try_from(id).map_err(|_| Error::NotFound)
}

/// Writes `id` at the start of `buf`; a buffer under 32 bytes is `overflow` and nothing is
/// written.
pub(crate) fn write_id(buf: &mut [u8], id: &KeyId) -> Result<()> {
    buf.get_mut(..ID_LEN)
        .ok_or(Error::Overflow)?
        .copy_from_slice(id);
    Ok(())
}

/// The version a lookup names: a concrete one or the latest; `unspecified` and `all` are
/// `invalid_operation`.
pub(crate) fn lookup(v: Version) -> Result<Versions> {
    match v {
        Version::UNSPECIFIED | Version::ALL => Err(Error::InvalidOperation),
        Version::LATEST => Ok(Versions::Latest),
        Version(n) => Ok(Versions::Exact(n)),
    }
}

/// The versions an invalidation names: one, the latest or all; `unspecified` is
/// `invalid_operation`.
pub(crate) fn to_invalidate(v: Version) -> Result<Versions> {
    match v {
        Version::UNSPECIFIED => Err(Error::InvalidOperation),
        Version::ALL => Ok(Versions::All),
        Version::LATEST => Ok(Versions::Latest),
        Version(n) => Ok(Versions::Exact(n)),
    }
}

/// A key object that can be marked managed (symmetric keys and key pairs).
pub(crate) trait ManagedKey {
    fn set_managed(&mut self, m: Managed);
}

impl ManagedKey for SymmetricKeyObject {
    fn set_managed(&mut self, m: Managed) {
        self.managed = Some(m);
    }
}

impl ManagedKey for crate::asymmetric::KeypairObject {
    fn set_managed(&mut self, m: Managed) {
        self.managed = Some(m);
    }
}

/// `*_replace_managed` once its arguments are checked: `entry` becomes the next version of
/// `id`, the handle `new` is marked managed under it, and `old` closes (unless it is `new`).
pub(crate) fn replace_managed<T: Footprint + ManagedKey>(
    env: Option<&SecretsEnv>,
    table: &mut crate::handles::Slots<T>,
    budget: &mut crate::budget::Budget,
    id: &KeyId,
    entry: Entry,
    (old, new): (u32, u32),
) -> Result<Version> {
    let env = env.ok_or(Error::UnsupportedFeature)?;
    let version = env.store.add_version(&env.namespace, id, entry)?;
    let managed = Managed {
        id: *id,
        version,
        expiration: None,
    };
    table.update(new, budget, 0, |k, _| {
        k.set_managed(managed);
        Ok(())
    })?;
    if old != new {
        table.close(old, budget)?;
    }
    Ok(Version(version))
}

/// An entry for the store: a fallible copy of `bytes`.
pub(crate) fn entry_of(kind: EntryKind, alg: &[u8], encoding: u16, bytes: &[u8]) -> Result<Entry> {
    Ok(Entry {
        kind,
        alg: crate::secret::fallible_vec(alg)?,
        encoding,
        bytes: Zeroizing::new(crate::secret::fallible_vec(bytes)?),
        expiration: None,
    })
}

impl Ctx {
    /// Creates `id` in the store with `entry` as version 1.
    pub(super) fn store_new(&self, sm: SecretsManager, id: &KeyId, entry: Entry) -> Result<()> {
        let env = self.secrets(sm)?;
        env.store.create(&env.namespace, id, entry)
    }

    /// Gives this context a key store: managed keys and external secrets live there, under
    /// `namespace` (ids of other namespaces are `not_found` here), and `clock` decides
    /// expirations. Without a store, `secrets_manager_open` is `unsupported_feature`.
    ///
    /// # Errors
    /// `algorithm_failure` if the namespace cannot be copied.
    pub fn set_key_store(
        &mut self,
        store: Arc<dyn KeyStore>,
        namespace: &[u8],
        clock: Arc<dyn WallClock>,
    ) -> Result<()> {
        self.secrets = Some(SecretsEnv {
            store,
            namespace: crate::secret::fallible_vec(namespace)?,
            clock,
        });
        Ok(())
    }

    /// The key store, once `sm` is checked to name an open secrets manager.
    pub(super) fn secrets(&self, sm: SecretsManager) -> Result<&SecretsEnv> {
        self.secrets_managers.get(sm.raw())?;
        self.secrets.as_ref().ok_or(Error::UnsupportedFeature)
    }

    /// The `expiration` option of an options handle of `alg_type` (`invalid_handle` for
    /// another type's): `invalid_operation` unless it is in the future.
    pub(super) fn expiration_of(
        &self,
        options: Option<Options>,
        alg_type: AlgorithmType,
    ) -> Result<Option<u64>> {
        let exp = options_of(&self.options, options, alg_type)?.and_then(|o| o.expiration());
        match exp {
            Some(e) if e <= self.now() => Err(Error::InvalidOperation),
            other => Ok(other),
        }
    }

    /// `*_from_id`: the live version `version` of `id`, which must hold `kind` (else
    /// `not_found`) and not be expired. `invalid_handle` for `sm`, then `invalid_operation`
    /// for `version.unspecified`/`version.all`, then `not_found`, then `expired`.
    pub(super) fn entry_by_id(
        &self,
        sm: SecretsManager,
        id: &[u8],
        version: Version,
        kind: EntryKind,
    ) -> Result<(KeyId, u64, Arc<Entry>)> {
        let env = self.secrets(sm)?;
        let which = lookup(version)?;
        let id = parse_id(id)?;
        let (version, entry) = env.store.get(&env.namespace, &id, which)?;
        if entry.kind != kind {
            return Err(Error::NotFound);
        }
        check_expiry(entry.expiration, env.clock.unix_secs())?;
        Ok((id, version, entry))
    }

    /// Seconds on the store's clock (0 without a store).
    pub(super) fn now(&self) -> u64 {
        self.secrets.as_ref().map_or(0, |s| s.clock.unix_secs())
    }

    /// A fresh id from this context's generator; `unsupported_feature` when deterministic.
    pub(super) fn new_id(&mut self) -> Result<KeyId> {
        let mut id = [0u8; ID_LEN];
        self.random_fill(&mut id)?;
        Ok(id)
    }

    /// The kind of `id` in this context's namespace, `not_found` unless it is `want`.
    pub(super) fn expect_kind(
        &self,
        sm: SecretsManager,
        id: &KeyId,
        want: &[EntryKind],
    ) -> Result<()> {
        let env = self.secrets(sm)?;
        match env.store.kind(&env.namespace, id) {
            Some(k) if want.contains(&k) => Ok(()),
            _ => Err(Error::NotFound),
        }
    }

    /// Seals `secret` with its expiration under the store's encapsulation key (see the
    /// module documentation for the format).
    pub(super) fn seal_secret(
        &mut self,
        sm: SecretsManager,
        secret: &[u8],
        expiration: u64,
    ) -> Result<Vec<u8>> {
        let mut nonce = [0u8; crate::seal::NONCE];
        self.random_fill(&mut nonce)?;
        let total = SEALED_MIN
            .checked_add(secret.len())
            .ok_or(Error::Overflow)?;
        self.budget.check(total, Error::Overflow)?;
        let env = self.secrets(sm)?;
        let key = env.store.encapsulation_key()?;
        let mut head = [0u8; 9];
        let (v, e) = head.split_at_mut_checked(1).ok_or(Error::InternalError)?;
        v.copy_from_slice(&[SEALED_V1]);
        e.copy_from_slice(&expiration.to_be_bytes());
        let ad = additional_data(&head, &env.namespace)?;
        let body = crate::seal::seal(&key, &nonce, &ad, secret)?;
        let mut out = crate::secret::fallible_vec(&head)?;
        out.try_reserve_exact(nonce.len().saturating_add(body.len()))
            .map_err(|_| Error::AlgorithmFailure)?;
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Opens a sealed secret: `verification_failed` for anything not sealed by this store
    /// for this namespace, then `expired`.
    pub(super) fn open_secret(
        &mut self,
        sm: SecretsManager,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        let now = self.now();
        let env = self.secrets(sm)?;
        if sealed.len() < SEALED_MIN || sealed.first() != Some(&SEALED_V1) {
            return Err(Error::VerificationFailed);
        }
        let (head, rest) = sealed
            .split_at_checked(9)
            .ok_or(Error::VerificationFailed)?;
        let (nonce, body) = rest
            .split_at_checked(crate::seal::NONCE)
            .ok_or(Error::VerificationFailed)?;
        let nonce: [u8; crate::seal::NONCE] =
            nonce.try_into().map_err(|_| Error::VerificationFailed)?;
        self.budget.check(body.len(), Error::Overflow)?;
        let key = env.store.encapsulation_key()?;
        let ad = additional_data(head, &env.namespace)?;
        let out = crate::seal::open(&key, &nonce, &ad, body)?;
        let mut exp = [0u8; 8];
        exp.copy_from_slice(head.get(1..9).ok_or(Error::InternalError)?);
        check_expiry(Some(u64::from_be_bytes(exp)), now)?;
        Ok(out)
    }
}

/// `0x01 ‖ expiration ‖ namespace`.
fn additional_data(version_and_expiration: &[u8], namespace: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let mut ad = Zeroizing::new(crate::secret::fallible_vec(version_and_expiration)?);
    ad.try_reserve_exact(namespace.len())
        .map_err(|_| Error::AlgorithmFailure)?;
    ad.extend_from_slice(namespace);
    Ok(ad)
}
