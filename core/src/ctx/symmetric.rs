//! `wasi_ephemeral_crypto_symmetric`: symmetric keys, states and tags.

use super::*;

impl Ctx {
    /// `symmetric_key_generate`: a key of the algorithm's recommended size from this context's
    /// generator.
    ///
    /// # Errors
    /// `unsupported_algorithm`, `invalid_handle`, `key_not_supported` (hash functions),
    /// `unsupported_feature` for a deterministic context.
    pub fn symmetric_key_generate(
        &mut self,
        alg: &[u8],
        options: Option<Options>,
    ) -> Result<SymmetricKey> {
        let alg = crate::symmetric::find(alg)?;
        options_of(&self.options, options, AlgorithmType::Symmetric)?;
        let len = alg.key.generate_len()?;
        let rng = self.rng.as_mut().ok_or(Error::UnsupportedFeature)?;
        let mut buf = [0u8; 128];
        let bytes = buf.get_mut(..len).ok_or(Error::InternalError)?;
        rng.fill(bytes);
        let key = crate::secret::SecretBytes::copy_from(bytes);
        zeroize::Zeroize::zeroize(&mut buf);
        let obj = SymmetricKeyObject { alg, bytes: key? };
        self.symmetric_keys
            .insert(obj, &mut self.budget)
            .map(SymmetricKey::from_raw)
    }

    /// `symmetric_key_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`, `key_not_supported`, `invalid_key` (wrong size).
    pub fn symmetric_key_import(&mut self, alg: &[u8], raw: &[u8]) -> Result<SymmetricKey> {
        let alg = crate::symmetric::find(alg)?;
        alg.key.check_len(raw.len())?;
        self.symmetric_keys.ensure_room(&self.budget, raw.len())?;
        let obj = SymmetricKeyObject {
            alg,
            bytes: crate::secret::SecretBytes::copy_from(raw)?,
        };
        self.symmetric_keys
            .insert(obj, &mut self.budget)
            .map(SymmetricKey::from_raw)
    }

    /// `symmetric_key_export`: the raw key bytes as an array output.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn symmetric_key_export(&mut self, key: SymmetricKey) -> Result<ArrayOutput> {
        let obj = self.symmetric_keys.get(key.raw())?;
        self.array_outputs
            .ensure_room(&self.budget, obj.bytes.len())?;
        let out = ArrayOutputObject::new(obj.bytes.expose(), self.config.max_array_output_len)?;
        self.array_outputs
            .insert(out, &mut self.budget)
            .map(ArrayOutput::from_raw)
    }

    /// `symmetric_key_close`: wipes the key.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn symmetric_key_close(&mut self, key: SymmetricKey) -> Result<()> {
        self.symmetric_keys.close(key.raw(), &mut self.budget)
    }

    /// `symmetric_key_generate_managed`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn symmetric_key_generate_managed(
        &mut self,
        sm: SecretsManager,
        _alg: &[u8],
        _options: Option<Options>,
    ) -> Result<SymmetricKey> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `symmetric_key_store_managed`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn symmetric_key_store_managed(
        &mut self,
        sm: SecretsManager,
        _key: SymmetricKey,
        _id_buf: &mut [u8],
    ) -> Result<()> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `symmetric_key_replace_managed`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn symmetric_key_replace_managed(
        &mut self,
        sm: SecretsManager,
        _old: SymmetricKey,
        _new: SymmetricKey,
    ) -> Result<Version> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `symmetric_key_id`: keys are never managed here.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn symmetric_key_id(
        &mut self,
        key: SymmetricKey,
        _id_buf: &mut [u8],
    ) -> Result<(usize, Version)> {
        self.symmetric_keys.get(key.raw())?;
        Err(Error::UnsupportedFeature)
    }

    /// `symmetric_key_from_id`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn symmetric_key_from_id(
        &mut self,
        sm: SecretsManager,
        _id: &[u8],
        _version: Version,
    ) -> Result<SymmetricKey> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `symmetric_state_open`.
    ///
    /// # Errors
    /// `unsupported_algorithm`; `invalid_handle` for a bad key or options handle (or options of
    /// another algorithm type); `key_not_supported`, `key_required`, `invalid_key`.
    pub fn symmetric_state_open(
        &mut self,
        alg: &[u8],
        key: Option<SymmetricKey>,
        options: Option<Options>,
    ) -> Result<SymmetricState> {
        let alg = crate::symmetric::find(alg)?;
        let key = match key {
            Some(k) => Some(self.symmetric_keys.get(k.raw())?),
            None => None,
        };
        let options = options_of(&self.options, options, AlgorithmType::Symmetric)?;
        // The only heap a state takes at opening is a copy of its key (HKDF-EXTRACT's IKM).
        let heap = key.map_or(0, |k| k.bytes.len());
        self.symmetric_states.ensure_room(&self.budget, heap)?;
        let rng = &mut self.rng;
        let mut random = |buf: &mut [u8]| match rng.as_mut() {
            Some(r) => {
                r.fill(buf);
                Ok(())
            }
            None => Err(Error::UnsupportedFeature),
        };
        let mut env = crate::symmetric::OpenEnv {
            options,
            random: &mut random,
        };
        let state = SymmetricStateObject::open(alg, key, &mut env)?;
        self.symmetric_states
            .insert(state, &mut self.budget)
            .map(SymmetricState::from_raw)
    }

    /// `symmetric_state_options_get`: copies an option's value into `out`, returns its length.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_option` for a name this algorithm does not use;
    /// `option_not_set`; `overflow` if `out` is too small.
    pub fn symmetric_state_options_get(
        &mut self,
        st: SymmetricState,
        name: &[u8],
        out: &mut [u8],
    ) -> Result<usize> {
        let state = self.symmetric_states.get(st.raw())?;
        let id = OptionName::find_any(AlgorithmType::Symmetric, name)?;
        let value = state.option(id)?;
        let dst = out.get_mut(..value.len()).ok_or(Error::Overflow)?;
        dst.copy_from_slice(value);
        Ok(value.len())
    }

    /// `symmetric_state_options_get_u64`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_option`, `option_not_set`.
    pub fn symmetric_state_options_get_u64(
        &mut self,
        st: SymmetricState,
        _name: &[u8],
    ) -> Result<u64> {
        self.symmetric_states.get(st.raw())?;
        // No implemented algorithm has an integer option.
        Err(Error::UnsupportedOption)
    }

    /// `symmetric_state_clone`: an independent deep copy.
    ///
    /// # Errors
    /// `invalid_handle`, `too_many_handles`, `prohibited_operation` for states that could
    /// still encrypt under their nonce.
    pub fn symmetric_state_clone(&mut self, st: SymmetricState) -> Result<SymmetricState> {
        let src = self.symmetric_states.get(st.raw())?;
        self.symmetric_states
            .ensure_room(&self.budget, src.heap_bytes())?;
        let copy = src.try_clone()?;
        self.symmetric_states
            .insert(copy, &mut self.budget)
            .map(SymmetricState::from_raw)
    }

    /// `symmetric_state_close`: wipes the state.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn symmetric_state_close(&mut self, st: SymmetricState) -> Result<()> {
        self.symmetric_states.close(st.raw(), &mut self.budget)
    }

    /// `symmetric_state_absorb`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`, `overflow`.
    #[inline]
    pub fn symmetric_state_absorb(&mut self, st: SymmetricState, data: &[u8]) -> Result<()> {
        let max = self.config.max_buffered_len;
        self.symmetric_states
            .update(st.raw(), &mut self.budget, max, |s, limits| {
                s.absorb(data, &limits)
            })
    }

    /// `symmetric_state_squeeze`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`, `invalid_length` (hash: more than the digest).
    pub fn symmetric_state_squeeze(&mut self, st: SymmetricState, out: &mut [u8]) -> Result<()> {
        self.symmetric_states
            .update(st.raw(), &mut self.budget, 0, |s, _| s.squeeze(out))
    }

    /// `symmetric_state_squeeze_tag`.
    ///
    /// # Errors
    /// `invalid_handle`; `too_many_handles` when the tag table is full (checked before the
    /// state moves, so no result is lost); `invalid_operation`.
    pub fn symmetric_state_squeeze_tag(&mut self, st: SymmetricState) -> Result<SymmetricTag> {
        self.symmetric_states.get(st.raw())?;
        self.symmetric_tags
            .ensure_room(&self.budget, MAX_TAG_HEAP)?;
        let bytes = self
            .symmetric_states
            .update(st.raw(), &mut self.budget, 0, |s, _| s.squeeze_tag())?;
        self.symmetric_tags
            .insert(SymmetricTagObject { bytes }, &mut self.budget)
            .map(SymmetricTag::from_raw)
    }

    /// `symmetric_state_squeeze_key`.
    ///
    /// # Errors
    /// `invalid_handle`; `too_many_handles` when the key table is full (checked before the
    /// state moves); `invalid_operation`, `unsupported_algorithm`.
    pub fn symmetric_state_squeeze_key(
        &mut self,
        st: SymmetricState,
        alg: &[u8],
    ) -> Result<SymmetricKey> {
        self.symmetric_states.get(st.raw())?;
        self.symmetric_keys
            .ensure_room(&self.budget, MAX_TAG_HEAP)?;
        let target = crate::symmetric::find(alg);
        let bytes = self
            .symmetric_states
            .update(st.raw(), &mut self.budget, 0, |s, _| s.squeeze_key(target))?;
        self.symmetric_keys
            .insert(
                SymmetricKeyObject {
                    alg: target?,
                    bytes,
                },
                &mut self.budget,
            )
            .map(SymmetricKey::from_raw)
    }

    /// `symmetric_state_max_tag_len`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`.
    pub fn symmetric_state_max_tag_len(&mut self, st: SymmetricState) -> Result<usize> {
        self.symmetric_states.get(st.raw())?.max_tag_len()
    }

    /// `symmetric_state_encrypt`: `data` is read in full before `out` is written, so the two
    /// may overlap when the ABI layer passes them from one buffer.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`, `overflow`, `invalid_length`, `nonce_required`.
    pub fn symmetric_state_encrypt(
        &mut self,
        st: SymmetricState,
        out: &mut [u8],
        data: &[u8],
    ) -> Result<usize> {
        self.symmetric_states
            .update(st.raw(), &mut self.budget, 0, |s, _| s.encrypt(out, data))
    }

    /// `symmetric_state_encrypt_detached`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`, `overflow`, `invalid_length`, `nonce_required`.
    pub fn symmetric_state_encrypt_detached(
        &mut self,
        st: SymmetricState,
        out: &mut [u8],
        data: &[u8],
    ) -> Result<SymmetricTag> {
        self.symmetric_states.get(st.raw())?;
        self.symmetric_tags
            .ensure_room(&self.budget, MAX_TAG_HEAP)?;
        let bytes = self
            .symmetric_states
            .update(st.raw(), &mut self.budget, 0, |s, _| {
                s.encrypt_detached(out, data)
            })?;
        self.symmetric_tags
            .insert(SymmetricTagObject { bytes }, &mut self.budget)
            .map(SymmetricTag::from_raw)
    }

    /// `symmetric_state_decrypt`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`, `overflow`, `invalid_length`, `invalid_tag`.
    pub fn symmetric_state_decrypt(
        &mut self,
        st: SymmetricState,
        out: &mut [u8],
        data: &[u8],
    ) -> Result<usize> {
        self.symmetric_states
            .update(st.raw(), &mut self.budget, 0, |s, _| s.decrypt(out, data))
    }

    /// `symmetric_state_decrypt_detached`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`, `overflow`, `invalid_length`, `invalid_tag`.
    pub fn symmetric_state_decrypt_detached(
        &mut self,
        st: SymmetricState,
        out: &mut [u8],
        data: &[u8],
        raw_tag: &[u8],
    ) -> Result<usize> {
        self.symmetric_states
            .update(st.raw(), &mut self.budget, 0, |s, _| {
                s.decrypt_detached(out, data, raw_tag)
            })
    }

    /// `symmetric_state_ratchet`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`.
    pub fn symmetric_state_ratchet(&mut self, st: SymmetricState) -> Result<()> {
        self.symmetric_states
            .update(st.raw(), &mut self.budget, 0, |s, _| s.ratchet())
    }

    /// `symmetric_tag_len`.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn symmetric_tag_len(&mut self, tag: SymmetricTag) -> Result<usize> {
        Ok(self.symmetric_tags.get(tag.raw())?.bytes.len())
    }

    /// `symmetric_tag_pull`: `buf` must be exactly the tag's length; on success the tag closes.
    ///
    /// # Errors
    /// `invalid_handle`; `overflow` (buffer too small), `invalid_length` (too large); on error
    /// the tag stays open.
    pub fn symmetric_tag_pull(&mut self, tag: SymmetricTag, buf: &mut [u8]) -> Result<usize> {
        let t = self.symmetric_tags.get(tag.raw())?;
        let len = t.bytes.len();
        match buf.len().cmp(&len) {
            core::cmp::Ordering::Less => return Err(Error::Overflow),
            core::cmp::Ordering::Greater => return Err(Error::InvalidLength),
            core::cmp::Ordering::Equal => buf.copy_from_slice(t.bytes.expose()),
        }
        self.symmetric_tags.close(tag.raw(), &mut self.budget)?;
        Ok(len)
    }

    /// `symmetric_tag_verify`: constant-time comparison.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_tag` if the tags differ or `expected` has another length.
    pub fn symmetric_tag_verify(&mut self, tag: SymmetricTag, expected: &[u8]) -> Result<()> {
        use subtle::ConstantTimeEq;
        let t = self.symmetric_tags.get(tag.raw())?;
        if t.bytes.len() != expected.len() {
            return Err(Error::InvalidTag);
        }
        if bool::from(t.bytes.expose().ct_eq(expected)) {
            Ok(())
        } else {
            Err(Error::InvalidTag)
        }
    }

    /// `symmetric_tag_close`: wipes the tag.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn symmetric_tag_close(&mut self, tag: SymmetricTag) -> Result<()> {
        self.symmetric_tags.close(tag.raw(), &mut self.budget)
    }
}
