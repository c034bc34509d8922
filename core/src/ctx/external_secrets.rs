//! `wasi_ephemeral_crypto_external_secrets`: secrets the guest hands to the host's store and
//! gets back by id, or as a sealed ciphertext only this store can open.
//!
//! `store`, `replace` and `encapsulate` need an expiration in the future (else
//! `invalid_operation`); reading an expired secret is `expired`.

use super::secrets::{entry_of, parse_id, to_invalidate, write_id};
use super::*;
use crate::keystore::EntryKind;

impl Ctx {
    /// `invalid_operation` unless `expiration` is after now.
    fn future(&self, expiration: u64) -> Result<()> {
        if expiration > self.now() {
            Ok(())
        } else {
            Err(Error::InvalidOperation)
        }
    }

    /// `external_secret_store`: stores a copy of `secret` under a new id (version 1), written
    /// into `id_buf`.
    ///
    /// # Errors
    /// `invalid_handle`; `overflow` for a buffer under 32 bytes (nothing written), a secret
    /// past the budget or a full store; `invalid_operation` for an expiration not in the
    /// future; `unsupported_feature` without randomness.
    pub fn external_secret_store(
        &mut self,
        sm: SecretsManager,
        secret: &[u8],
        expiration: u64,
        id_buf: &mut [u8],
    ) -> Result<()> {
        self.secrets(sm)?;
        if id_buf.len() < crate::keystore::ID_LEN {
            return Err(Error::Overflow);
        }
        self.future(expiration)?;
        self.budget.check(secret.len(), Error::Overflow)?;
        let mut entry = entry_of(EntryKind::ExternalSecret, b"", 0, secret)?;
        entry.expiration = Some(expiration);
        let id = self.new_id()?;
        self.store_new(sm, &id, entry)?;
        write_id(id_buf, &id)
    }

    /// `external_secret_replace`: `secret` becomes the next version of `id`.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for an expiration not in the future; `not_found`
    /// for an unknown id; `overflow`.
    pub fn external_secret_replace(
        &mut self,
        sm: SecretsManager,
        secret: &[u8],
        expiration: u64,
        id: &[u8],
    ) -> Result<Version> {
        self.secrets(sm)?;
        self.future(expiration)?;
        let id = parse_id(id)?;
        self.expect_kind(sm, &id, &[EntryKind::ExternalSecret])?;
        self.budget.check(secret.len(), Error::Overflow)?;
        let mut entry = entry_of(EntryKind::ExternalSecret, b"", 0, secret)?;
        entry.expiration = Some(expiration);
        let env = self.secrets(sm)?;
        env.store
            .add_version(&env.namespace, &id, entry)
            .map(Version)
    }

    /// `external_secret_from_id`: a copy of the secret as an array output.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for `version.unspecified`/`version.all`;
    /// `not_found`; `expired`.
    pub fn external_secret_from_id(
        &mut self,
        sm: SecretsManager,
        id: &[u8],
        version: Version,
    ) -> Result<ArrayOutput> {
        let (_, _, entry) = self.entry_by_id(sm, id, version, EntryKind::ExternalSecret)?;
        self.array_output_of(&entry.bytes)
    }

    /// `external_secret_invalidate`: removes one version, the latest, or all.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for `version.unspecified`; `not_found`.
    pub fn external_secret_invalidate(
        &mut self,
        sm: SecretsManager,
        id: &[u8],
        version: Version,
    ) -> Result<()> {
        self.secrets(sm)?;
        let which = to_invalidate(version)?;
        let id = parse_id(id)?;
        self.expect_kind(sm, &id, &[EntryKind::ExternalSecret])?;
        let env = self.secrets(sm)?;
        env.store.invalidate(&env.namespace, &id, which)
    }

    /// `external_secret_encapsulate`: `secret` and its expiration sealed under the store's
    /// key (format in `ctx/secrets.rs`), as an array output.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for an expiration not in the future;
    /// `unsupported_feature` without randomness; `overflow`.
    pub fn external_secret_encapsulate(
        &mut self,
        sm: SecretsManager,
        secret: &[u8],
        expiration: u64,
    ) -> Result<ArrayOutput> {
        self.secrets(sm)?;
        self.future(expiration)?;
        let sealed = self.seal_secret(sm, secret, expiration)?;
        self.array_output_of(&sealed)
    }

    /// `external_secret_decapsulate`: the secret of a ciphertext this store sealed for this
    /// namespace.
    ///
    /// # Errors
    /// `invalid_handle`; `verification_failed` for any change, truncation or extension;
    /// `expired`.
    pub fn external_secret_decapsulate(
        &mut self,
        sm: SecretsManager,
        encrypted: &[u8],
    ) -> Result<ArrayOutput> {
        self.secrets(sm)?;
        let secret = self.open_secret(sm, encrypted)?;
        self.array_output_of(&secret)
    }
}
