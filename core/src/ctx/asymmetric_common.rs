//! `wasi_ephemeral_crypto_asymmetric_common`: key pairs, public keys and secret keys.
//!
//! Handles are checked first (`invalid_handle`), then the algorithm name
//! (`unsupported_algorithm`, also for a name of another `algorithm_type`), then the encoding
//! (`unsupported_encoding`) and the bytes (`invalid_key`). A key pair's halves, a public key
//! and a secret key are independent copies: closing one never affects another.

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::secrets::{entry_of, write_id};
use super::*;
use crate::asymmetric::{self, KeypairObject, PublickeyObject, Rng, SecretkeyObject};
use crate::keystore::EntryKind;

impl Ctx {
    /// `keypair_generate`: a key pair from this context's generator.
    ///
    /// # Errors
    /// `unsupported_algorithm`; `invalid_handle` for a bad options handle or options of another
    /// algorithm type; `unsupported_feature` for a deterministic context; `too_many_handles`.
    pub fn keypair_generate(
        &mut self,
        alg_type: AlgorithmType,
        alg: &[u8],
        options: Option<Options>,
    ) -> Result<Keypair> {
        let alg = asymmetric::find(alg_type, alg)?;
        options_of(&self.options, options, alg_type)?;
        self.keypairs.ensure_room(&self.budget, 0)?;
        let rng = self.rng.as_mut().ok_or(Error::UnsupportedFeature)?;
        let secret = asymmetric::Secret::generate(alg, &mut Rng(rng))?;
        let public = secret.public()?;
        self.keypairs
            .insert(
                KeypairObject {
                    alg,
                    secret,
                    public,
                    managed: None,
                },
                &mut self.budget,
            )
            .map(Keypair::from_raw)
    }

    /// `keypair_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`, `unsupported_encoding`, `invalid_key` (malformed, or halves
    /// that do not belong together), `too_many_handles`.
    pub fn keypair_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &[u8],
        encoded: &[u8],
        encoding: KeypairEncoding,
    ) -> Result<Keypair> {
        let alg = asymmetric::find(alg_type, alg)?;
        let (secret, public) = asymmetric::keypair_import(alg, encoding, encoded)?;
        self.keypairs
            .insert(
                KeypairObject {
                    alg,
                    secret,
                    public,
                    managed: None,
                },
                &mut self.budget,
            )
            .map(Keypair::from_raw)
    }

    /// The bytes a managed key pair is stored as: its raw encoding where the family has one,
    /// else PKCS#8; with the encoding and algorithm type packed as `type << 8 | encoding`.
    fn storable(kp: &KeypairObject) -> Result<(u16, Zeroizing<Vec<u8>>)> {
        let t = (kp.alg.alg_type as u16) << 8;
        for enc in [KeypairEncoding::Raw, KeypairEncoding::Pkcs8] {
            if let Ok(bytes) = asymmetric::keypair_export(&kp.secret, &kp.public, enc) {
                let copy = crate::secret::fallible_vec(bytes.expose())?;
                return Ok((t | enc as u16, Zeroizing::new(copy)));
            }
        }
        Err(Error::UnsupportedEncoding)
    }

    /// An entry of the store for `kp`.
    fn keypair_entry(kp: &KeypairObject) -> Result<crate::keystore::Entry> {
        let (encoding, bytes) = Self::storable(kp)?;
        entry_of(EntryKind::Keypair, kp.alg.name.as_bytes(), encoding, &bytes)
    }

    /// `keypair_generate_managed`: a key pair generated inside the store (new id, version 1)
    /// and a handle to it; the options' `expiration` (UNIX seconds) makes it expire.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for an expiration not in the future;
    /// `unsupported_algorithm`; `unsupported_feature` without randomness;
    /// `overflow` when the store is full; `too_many_handles`.
    pub fn keypair_generate_managed(
        &mut self,
        sm: SecretsManager,
        alg_type: AlgorithmType,
        alg: &[u8],
        options: Option<Options>,
    ) -> Result<Keypair> {
        self.secrets(sm)?;
        let expiration = self.expiration_of(options, alg_type)?;
        let kp = self.keypair_generate(alg_type, alg, options)?;
        let r = self.manage_new(sm, kp, expiration);
        if r.is_err() {
            let _ = self.keypairs.close(kp.raw(), &mut self.budget);
        }
        r.map(|()| kp)
    }

    /// Stores `kp` under a new id and marks its handle managed.
    fn manage_new(
        &mut self,
        sm: SecretsManager,
        kp: Keypair,
        expiration: Option<u64>,
    ) -> Result<()> {
        let mut entry = Self::keypair_entry(self.keypairs.get(kp.raw())?)?;
        entry.expiration = expiration;
        let id = self.new_id()?;
        self.store_new(sm, &id, entry)?;
        let managed = Managed {
            id,
            version: 1,
            expiration,
        };
        self.keypairs.update(kp.raw(), &mut self.budget, 0, |k, _| {
            k.managed = Some(managed);
            Ok(())
        })
    }

    /// `keypair_store_managed`: copies `kp` into the store under a new id (version 1) and
    /// writes the id into `id_buf`.
    ///
    /// # Errors
    /// `invalid_handle`; `overflow` for a buffer under 32 bytes (nothing written) or a full
    /// store; `unsupported_feature` without randomness.
    pub fn keypair_store_managed(
        &mut self,
        sm: SecretsManager,
        kp: Keypair,
        id_buf: &mut [u8],
    ) -> Result<()> {
        self.secrets(sm)?;
        let k = self.keypairs.get(kp.raw())?;
        if id_buf.len() < crate::keystore::ID_LEN {
            return Err(Error::Overflow);
        }
        let entry = Self::keypair_entry(k)?;
        let id = self.new_id()?;
        self.store_new(sm, &id, entry)?;
        write_id(id_buf, &id)
    }

    /// `keypair_replace_managed`: `new` becomes the next version of `old`'s id; `old`'s
    /// handle closes and `new`'s becomes managed.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_feature` when `old` is not managed;
    /// `incompatible_keys` for key pairs of different algorithms; `overflow`.
    pub fn keypair_replace_managed(
        &mut self,
        sm: SecretsManager,
        old: Keypair,
        new: Keypair,
    ) -> Result<Version> {
        self.secrets(sm)?;
        let o = self.keypairs.get(old.raw())?;
        let n = self.keypairs.get(new.raw())?;
        let m = o.managed.ok_or(Error::UnsupportedFeature)?;
        if o.alg != n.alg {
            return Err(Error::IncompatibleKeys);
        }
        let entry = Self::keypair_entry(n)?;
        super::secrets::replace_managed(
            self.secrets.as_ref(),
            &mut self.keypairs,
            &mut self.budget,
            &m.id,
            entry,
            (old.raw(), new.raw()),
        )
    }

    /// `keypair_id`: the id (written into `id_buf`, 32 bytes) and version of a managed key
    /// pair.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_feature` when the key pair is not managed; `overflow`
    /// for a buffer under 32 bytes.
    pub fn keypair_id(&mut self, kp: Keypair, id_buf: &mut [u8]) -> Result<(usize, Version)> {
        let m = self
            .keypairs
            .get(kp.raw())?
            .managed
            .ok_or(Error::UnsupportedFeature)?;
        write_id(id_buf, &m.id)?;
        Ok((crate::keystore::ID_LEN, Version(m.version)))
    }

    /// `keypair_from_id`: a handle to a managed key pair.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for `version.unspecified`/`version.all`;
    /// `not_found`; `expired`; `too_many_handles`.
    pub fn keypair_from_id(
        &mut self,
        sm: SecretsManager,
        id: &[u8],
        version: Version,
    ) -> Result<Keypair> {
        let (id, version, entry) = self.entry_by_id(sm, id, version, EntryKind::Keypair)?;
        let alg_type = match entry.encoding >> 8 {
            0 => AlgorithmType::Signatures,
            2 => AlgorithmType::KeyExchange,
            _ => return Err(Error::NotFound),
        };
        let enc = KeypairEncoding::from_raw(u32::from(entry.encoding & 0xff))?;
        let alg = asymmetric::find(alg_type, &entry.alg).map_err(|_| Error::NotFound)?;
        self.keypairs.ensure_room(&self.budget, 0)?;
        let (secret, public) = asymmetric::keypair_import(alg, enc, &entry.bytes)?;
        self.keypairs
            .insert(
                KeypairObject {
                    alg,
                    secret,
                    public,
                    managed: Some(Managed {
                        id,
                        version,
                        expiration: entry.expiration,
                    }),
                },
                &mut self.budget,
            )
            .map(Keypair::from_raw)
    }

    /// `keypair_from_pk_and_sk`: a key pair of copies of both keys.
    ///
    /// # Errors
    /// `invalid_handle`; `incompatible_keys` when the algorithms differ; `invalid_key` when
    /// the public key is not the secret key's.
    pub fn keypair_from_pk_and_sk(&mut self, pk: Publickey, sk: Secretkey) -> Result<Keypair> {
        let pk = self.publickeys.get(pk.raw())?;
        let sk = self.secretkeys.get(sk.raw())?;
        if pk.alg != sk.alg {
            return Err(Error::IncompatibleKeys);
        }
        if !sk.inner.matches(&pk.inner)? {
            return Err(Error::InvalidKey);
        }
        let obj = KeypairObject {
            alg: sk.alg,
            secret: sk.inner.try_clone()?,
            public: pk.inner.try_clone()?,
            managed: None,
        };
        self.keypairs
            .insert(obj, &mut self.budget)
            .map(Keypair::from_raw)
    }

    /// `keypair_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `prohibited_operation` for a managed key pair (it never leaves the
    /// host), `unsupported_encoding`, `overflow` past the array output limit.
    pub fn keypair_export(&mut self, kp: Keypair, enc: KeypairEncoding) -> Result<ArrayOutput> {
        let kp = self.keypairs.get(kp.raw())?;
        if kp.managed.is_some() {
            return Err(Error::ProhibitedOperation);
        }
        let bytes = asymmetric::keypair_export(&kp.secret, &kp.public, enc)?;
        self.array_output_of(bytes.expose())
    }

    /// `keypair_publickey`: a new public key object.
    ///
    /// # Errors
    /// `invalid_handle`, `too_many_handles`.
    pub fn keypair_publickey(&mut self, kp: Keypair) -> Result<Publickey> {
        let kp = self.keypairs.get(kp.raw())?;
        let obj = PublickeyObject {
            alg: kp.alg,
            inner: kp.public.try_clone()?,
        };
        self.publickeys
            .insert(obj, &mut self.budget)
            .map(Publickey::from_raw)
    }

    /// `keypair_secretkey`: a new secret key object.
    ///
    /// # Errors
    /// `invalid_handle`, `prohibited_operation` for a managed key pair, `too_many_handles`.
    pub fn keypair_secretkey(&mut self, kp: Keypair) -> Result<Secretkey> {
        let kp = self.keypairs.get(kp.raw())?;
        if kp.managed.is_some() {
            return Err(Error::ProhibitedOperation);
        }
        let obj = SecretkeyObject {
            alg: kp.alg,
            inner: kp.secret.try_clone()?,
        };
        self.secretkeys
            .insert(obj, &mut self.budget)
            .map(Secretkey::from_raw)
    }

    /// `keypair_close`: wipes the secret half.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn keypair_close(&mut self, kp: Keypair) -> Result<()> {
        self.keypairs.close(kp.raw(), &mut self.budget)
    }

    /// `publickey_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`, `unsupported_encoding`, `invalid_key`, `too_many_handles`.
    pub fn publickey_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &[u8],
        encoded: &[u8],
        encoding: PublickeyEncoding,
    ) -> Result<Publickey> {
        let alg = asymmetric::find(alg_type, alg)?;
        let inner = asymmetric::Public::import(alg, encoding, encoded)?;
        self.publickeys
            .insert(PublickeyObject { alg, inner }, &mut self.budget)
            .map(Publickey::from_raw)
    }

    /// `publickey_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_encoding`.
    pub fn publickey_export(
        &mut self,
        pk: Publickey,
        enc: PublickeyEncoding,
    ) -> Result<ArrayOutput> {
        let bytes = self.publickeys.get(pk.raw())?.inner.export(enc)?;
        self.array_output_of(bytes.expose())
    }

    /// `publickey_verify`: the full check (on the curve, not of small order where that matters).
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_key`.
    pub fn publickey_verify(&mut self, pk: Publickey) -> Result<()> {
        self.publickeys.get(pk.raw())?.inner.verify()
    }

    /// `publickey_from_secretkey`.
    ///
    /// # Errors
    /// `invalid_handle`, `too_many_handles`.
    pub fn publickey_from_secretkey(&mut self, sk: Secretkey) -> Result<Publickey> {
        let sk = self.secretkeys.get(sk.raw())?;
        let obj = PublickeyObject {
            alg: sk.alg,
            inner: sk.inner.public()?,
        };
        self.publickeys
            .insert(obj, &mut self.budget)
            .map(Publickey::from_raw)
    }

    /// `publickey_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn publickey_close(&mut self, pk: Publickey) -> Result<()> {
        self.publickeys.close(pk.raw(), &mut self.budget)
    }

    /// `secretkey_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`, `unsupported_encoding`, `invalid_key`, `too_many_handles`.
    pub fn secretkey_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &[u8],
        encoded: &[u8],
        encoding: SecretkeyEncoding,
    ) -> Result<Secretkey> {
        let alg = asymmetric::find(alg_type, alg)?;
        let inner = asymmetric::Secret::import(alg, encoding, encoded)?;
        self.secretkeys
            .insert(SecretkeyObject { alg, inner }, &mut self.budget)
            .map(Secretkey::from_raw)
    }

    /// `secretkey_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_encoding`.
    pub fn secretkey_export(
        &mut self,
        sk: Secretkey,
        enc: SecretkeyEncoding,
    ) -> Result<ArrayOutput> {
        let bytes = self.secretkeys.get(sk.raw())?.inner.export(enc)?;
        self.array_output_of(bytes.expose())
    }

    /// `secretkey_close`: wipes the key.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn secretkey_close(&mut self, sk: Secretkey) -> Result<()> {
        self.secretkeys.close(sk.raw(), &mut self.budget)
    }
}
