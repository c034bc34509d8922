//! `wasi_ephemeral_crypto_external_secrets`: external secrets.

use super::*;

impl Ctx {
    /// `external_secret_store`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn external_secret_store(
        &mut self,
        sm: SecretsManager,
        _secret: &[u8],
        _expiration: u64,
        _id_buf: &mut [u8],
    ) -> Result<()> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `external_secret_replace`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn external_secret_replace(
        &mut self,
        sm: SecretsManager,
        _secret: &[u8],
        _expiration: u64,
        _id: &[u8],
    ) -> Result<Version> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `external_secret_from_id`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn external_secret_from_id(
        &mut self,
        sm: SecretsManager,
        _id: &[u8],
        _version: Version,
    ) -> Result<ArrayOutput> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `external_secret_invalidate`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn external_secret_invalidate(
        &mut self,
        sm: SecretsManager,
        _id: &[u8],
        _version: Version,
    ) -> Result<()> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `external_secret_encapsulate`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn external_secret_encapsulate(
        &mut self,
        sm: SecretsManager,
        _secret: &[u8],
        _expiration: u64,
    ) -> Result<ArrayOutput> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `external_secret_decapsulate`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn external_secret_decapsulate(
        &mut self,
        sm: SecretsManager,
        _encrypted: &[u8],
    ) -> Result<ArrayOutput> {
        match *self.secrets_managers.get(sm.raw())? {}
    }
}
