//! `wasi_ephemeral_crypto_symmetric`: symmetric keys, states and tags.

use super::secrets::{entry_of, write_id};
use super::*;
use crate::keystore::EntryKind;

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
        let obj = SymmetricKeyObject {
            alg,
            bytes: key?,
            managed: None,
        };
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
            managed: None,
        };
        self.symmetric_keys
            .insert(obj, &mut self.budget)
            .map(SymmetricKey::from_raw)
    }

    /// `symmetric_key_export`: the raw key bytes as an array output.
    ///
    /// # Errors
    /// `invalid_handle`; `prohibited_operation` for a managed key (it never leaves the host).
    pub fn symmetric_key_export(&mut self, key: SymmetricKey) -> Result<ArrayOutput> {
        let obj = self.symmetric_keys.get(key.raw())?;
        if obj.managed.is_some() {
            return Err(Error::ProhibitedOperation);
        }
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

    /// `symmetric_key_generate_managed`: a key generated inside the store (new id, version 1)
    /// and a handle to it; the options' `expiration` (UNIX seconds) makes it expire.
    ///
    /// # Errors
    /// `invalid_handle` (secrets manager, options), `invalid_operation` for an expiration not
    /// in the future, `unsupported_algorithm`,
    /// `key_not_supported` (hash functions), `unsupported_feature` without randomness,
    /// `overflow` when the store is full, `too_many_handles`.
    pub fn symmetric_key_generate_managed(
        &mut self,
        sm: SecretsManager,
        alg: &[u8],
        options: Option<Options>,
    ) -> Result<SymmetricKey> {
        self.secrets(sm)?;
        let expiration = self.expiration_of(options, AlgorithmType::Symmetric)?;
        let alg = crate::symmetric::find(alg)?;
        let len = alg.key.generate_len()?;
        self.symmetric_keys.ensure_room(&self.budget, len)?;
        let mut buf = zeroize::Zeroizing::new([0u8; 128]);
        let bytes = buf.get_mut(..len).ok_or(Error::InternalError)?;
        self.random_fill(bytes)?;
        let id = self.new_id()?;
        let mut entry = entry_of(EntryKind::SymmetricKey, alg.name.as_bytes(), 0, bytes)?;
        entry.expiration = expiration;
        self.store_new(sm, &id, entry)?;
        let obj = SymmetricKeyObject {
            alg,
            bytes: crate::secret::SecretBytes::copy_from(bytes)?,
            managed: Some(Managed {
                id,
                version: 1,
                expiration,
            }),
        };
        self.symmetric_keys
            .insert(obj, &mut self.budget)
            .map(SymmetricKey::from_raw)
    }

    /// `symmetric_key_store_managed`: copies `key` into the store under a new id (version 1)
    /// and writes the id into `id_buf`.
    ///
    /// # Errors
    /// `invalid_handle`; `overflow` for a buffer under 32 bytes (nothing written) or a full
    /// store; `unsupported_feature` without randomness.
    pub fn symmetric_key_store_managed(
        &mut self,
        sm: SecretsManager,
        key: SymmetricKey,
        id_buf: &mut [u8],
    ) -> Result<()> {
        self.secrets(sm)?;
        let k = self.symmetric_keys.get(key.raw())?;
        if id_buf.len() < crate::keystore::ID_LEN {
            return Err(Error::Overflow);
        }
        let entry = entry_of(
            EntryKind::SymmetricKey,
            k.alg.name.as_bytes(),
            0,
            k.bytes.expose(),
        )?;
        let id = self.new_id()?;
        self.store_new(sm, &id, entry)?;
        write_id(id_buf, &id)
    }

    /// `symmetric_key_replace_managed`: `new` becomes the next version of `old`'s id; `old`'s
    /// handle closes and `new`'s becomes managed.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_feature` when `old` is not managed; `incompatible_keys`
    /// for keys of different algorithms; `overflow` when the id has its most versions.
    pub fn symmetric_key_replace_managed(
        &mut self,
        sm: SecretsManager,
        old: SymmetricKey,
        new: SymmetricKey,
    ) -> Result<Version> {
        self.secrets(sm)?;
        let o = self.symmetric_keys.get(old.raw())?;
        let n = self.symmetric_keys.get(new.raw())?;
        let m = o.managed.ok_or(Error::UnsupportedFeature)?;
        if !core::ptr::eq(o.alg, n.alg) {
            return Err(Error::IncompatibleKeys);
        }
        let entry = entry_of(
            EntryKind::SymmetricKey,
            n.alg.name.as_bytes(),
            0,
            n.bytes.expose(),
        )?;
        super::secrets::replace_managed(
            self.secrets.as_ref(),
            &mut self.symmetric_keys,
            &mut self.budget,
            &m.id,
            entry,
            (old.raw(), new.raw()),
        )
    }

    /// `symmetric_key_id`: the id (written into `id_buf`, 32 bytes) and version of a managed
    /// key.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_feature` when the key is not managed; `overflow` for a
    /// buffer under 32 bytes.
    pub fn symmetric_key_id(
        &mut self,
        key: SymmetricKey,
        id_buf: &mut [u8],
    ) -> Result<(usize, Version)> {
        let m = self
            .symmetric_keys
            .get(key.raw())?
            .managed
            .ok_or(Error::UnsupportedFeature)?;
        write_id(id_buf, &m.id)?;
        Ok((crate::keystore::ID_LEN, Version(m.version)))
    }

    /// `symmetric_key_from_id`: a handle to a managed key.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for `version.unspecified` or `version.all`;
    /// `not_found` for an unknown id or version (or an id of another kind or namespace);
    /// `expired`; `too_many_handles`.
    pub fn symmetric_key_from_id(
        &mut self,
        sm: SecretsManager,
        id: &[u8],
        version: Version,
    ) -> Result<SymmetricKey> {
        let (id, version, entry) = self.entry_by_id(sm, id, version, EntryKind::SymmetricKey)?;
        let alg = crate::symmetric::find(&entry.alg).map_err(|_| Error::NotFound)?;
        self.symmetric_keys
            .ensure_room(&self.budget, entry.bytes.len())?;
        let obj = SymmetricKeyObject {
            alg,
            bytes: crate::secret::SecretBytes::copy_from(&entry.bytes)?,
            managed: Some(Managed {
                id,
                version,
                expiration: entry.expiration,
            }),
        };
        self.symmetric_keys
            .insert(obj, &mut self.budget)
            .map(SymmetricKey::from_raw)
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
        let now = self.now();
        let key = match key {
            Some(k) => Some(self.symmetric_keys.get(k.raw())?),
            None => None,
        };
        let options = options_of(&self.options, options, AlgorithmType::Symmetric)?;
        if let Some(m) = key.and_then(|k| k.managed) {
            m.check(now)?;
        }
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
                    managed: None,
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
