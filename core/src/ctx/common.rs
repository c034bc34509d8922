//! `wasi_ephemeral_crypto_common`: options, array outputs and the secrets manager handle.

use super::*;

impl Ctx {
    /// A new `array_output` holding a copy of `data`.
    ///
    /// # Errors
    /// `overflow` past `Config::max_array_output_len`, `too_many_handles`.
    pub(super) fn array_output_of(&mut self, data: &[u8]) -> Result<ArrayOutput> {
        if data.len() > self.config.max_array_output_len {
            return Err(Error::Overflow);
        }
        self.array_outputs.ensure_room(&self.budget, data.len())?;
        let out = ArrayOutputObject::new(data, self.config.max_array_output_len)?;
        self.array_outputs
            .insert(out, &mut self.budget)
            .map(ArrayOutput::from_raw)
    }

    /// `options_open`.
    ///
    /// # Errors
    /// `too_many_handles`.
    pub fn options_open(&mut self, alg_type: AlgorithmType) -> Result<Options> {
        self.options
            .insert(OptionsObject::new(alg_type), &mut self.budget)
            .map(Options::from_raw)
    }

    /// `options_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn options_close(&mut self, h: Options) -> Result<()> {
        self.options.close(h.raw(), &mut self.budget)
    }

    /// `options_set`: sets a byte-string option, copying `value`.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_option` for a name no implemented algorithm of this
    /// options' type uses; `overflow` past `Config::max_option_len`.
    pub fn options_set(&mut self, h: Options, name: &[u8], value: &[u8]) -> Result<()> {
        let max = self.config.max_option_len;
        self.options
            .update(h.raw(), &mut self.budget, max, |o, limits| {
                o.set(name, value, &limits)
            })
    }

    /// `options_set_u64`.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_option` for an unknown integer option.
    pub fn options_set_u64(&mut self, h: Options, name: &[u8], value: u64) -> Result<()> {
        self.options
            .update(h.raw(), &mut self.budget, 0, |o, _| o.set_u64(name, value))
    }

    /// `options_set_guest_buffer`. No implemented algorithm takes a guest buffer, so after the
    /// handle check this is `unsupported_option`; no reference into guest memory is ever kept.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_option`.
    pub fn options_set_guest_buffer(&mut self, h: Options, _name: &[u8]) -> Result<()> {
        self.options.get(h.raw())?;
        Err(Error::UnsupportedOption)
    }

    /// `array_output_len`: the total length.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn array_output_len(&self, h: ArrayOutput) -> Result<usize> {
        Ok(self.array_outputs.get(h.raw())?.len())
    }

    /// `array_output_pull`: copies `min(buf.len(), remaining)` bytes and returns the count.
    /// The handle closes itself once a pull has consumed the last byte; an empty `buf` copies
    /// nothing and closes nothing.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn array_output_pull(&mut self, h: ArrayOutput, buf: &mut [u8]) -> Result<usize> {
        let (n, done) = self
            .array_outputs
            .update(h.raw(), &mut self.budget, 0, |a, _| a.pull(buf))?;
        if done {
            self.array_outputs.close(h.raw(), &mut self.budget)?;
        }
        Ok(n)
    }

    /// `secrets_manager_open`: a handle to the key store the embedder gave this context.
    ///
    /// # Errors
    /// `invalid_handle` for a bad options handle; `unsupported_feature` when the context has
    /// no key store; `too_many_handles`.
    pub fn secrets_manager_open(&mut self, options: Option<Options>) -> Result<SecretsManager> {
        if let Some(o) = options {
            self.options.get(o.raw())?;
        }
        if self.secrets.is_none() {
            return Err(Error::UnsupportedFeature);
        }
        self.secrets_managers
            .insert(SecretsManagerObject, &mut self.budget)
            .map(SecretsManager::from_raw)
    }

    /// `secrets_manager_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn secrets_manager_close(&mut self, h: SecretsManager) -> Result<()> {
        self.secrets_managers.close(h.raw(), &mut self.budget)
    }

    /// `secrets_manager_invalidate`: removes one version of a managed key, its latest, or
    /// all of them. Handles open on those versions keep working; `*_from_id` no longer finds
    /// them.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for `version.unspecified`; `not_found` for an
    /// unknown id or version, or an external secret's id.
    pub fn secrets_manager_invalidate(
        &mut self,
        h: SecretsManager,
        key_id: &[u8],
        version: Version,
    ) -> Result<()> {
        self.secrets(h)?;
        let which = super::secrets::to_invalidate(version)?;
        let id = super::secrets::parse_id(key_id)?;
        self.expect_kind(
            h,
            &id,
            &[
                crate::keystore::EntryKind::SymmetricKey,
                crate::keystore::EntryKind::Keypair,
            ],
        )?;
        let env = self.secrets(h)?;
        env.store.invalidate(&env.namespace, &id, which)
    }
}
