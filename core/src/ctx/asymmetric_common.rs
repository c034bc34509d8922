//! `wasi_ephemeral_crypto_asymmetric_common`: key pairs, public keys and secret keys.
//!
//! Handles are checked first (`invalid_handle`), then the algorithm name
//! (`unsupported_algorithm`, also for a name of another `algorithm_type`), then the encoding
//! (`unsupported_encoding`) and the bytes (`invalid_key`). A key pair's halves, a public key
//! and a secret key are independent copies: closing one never affects another.

use super::*;
use crate::asymmetric::{self, KeypairObject, PublickeyObject, Rng, SecretkeyObject};

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
        self.keypairs.ensure_room()?;
        let rng = self.rng.as_mut().ok_or(Error::UnsupportedFeature)?;
        let secret = asymmetric::Secret::generate(alg, &mut Rng(rng))?;
        let public = secret.public()?;
        self.keypairs
            .insert(KeypairObject {
                alg,
                secret,
                public,
            })
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
            .insert(KeypairObject {
                alg,
                secret,
                public,
            })
            .map(Keypair::from_raw)
    }

    /// `keypair_generate_managed`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn keypair_generate_managed(
        &mut self,
        sm: SecretsManager,
        _alg_type: AlgorithmType,
        _alg: &[u8],
        _options: Option<Options>,
    ) -> Result<Keypair> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `keypair_store_managed`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn keypair_store_managed(
        &mut self,
        sm: SecretsManager,
        _kp: Keypair,
        _id_buf: &mut [u8],
    ) -> Result<()> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `keypair_replace_managed`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn keypair_replace_managed(
        &mut self,
        sm: SecretsManager,
        _old: Keypair,
        _new: Keypair,
    ) -> Result<Version> {
        match *self.secrets_managers.get(sm.raw())? {}
    }

    /// `keypair_id`: key pairs are never managed yet.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn keypair_id(&mut self, kp: Keypair, _id_buf: &mut [u8]) -> Result<(usize, Version)> {
        self.keypairs.get(kp.raw())?;
        Err(Error::UnsupportedFeature)
    }

    /// `keypair_from_id`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn keypair_from_id(
        &mut self,
        sm: SecretsManager,
        _id: &[u8],
        _version: Version,
    ) -> Result<Keypair> {
        match *self.secrets_managers.get(sm.raw())? {}
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
        };
        self.keypairs.insert(obj).map(Keypair::from_raw)
    }

    /// `keypair_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_encoding`, `overflow` past the array output limit.
    pub fn keypair_export(&mut self, kp: Keypair, enc: KeypairEncoding) -> Result<ArrayOutput> {
        let kp = self.keypairs.get(kp.raw())?;
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
        self.publickeys.insert(obj).map(Publickey::from_raw)
    }

    /// `keypair_secretkey`: a new secret key object.
    ///
    /// # Errors
    /// `invalid_handle`, `too_many_handles`.
    pub fn keypair_secretkey(&mut self, kp: Keypair) -> Result<Secretkey> {
        let kp = self.keypairs.get(kp.raw())?;
        let obj = SecretkeyObject {
            alg: kp.alg,
            inner: kp.secret.try_clone()?,
        };
        self.secretkeys.insert(obj).map(Secretkey::from_raw)
    }

    /// `keypair_close`: wipes the secret half.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn keypair_close(&mut self, kp: Keypair) -> Result<()> {
        self.keypairs.close(kp.raw())
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
            .insert(PublickeyObject { alg, inner })
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
        self.publickeys.insert(obj).map(Publickey::from_raw)
    }

    /// `publickey_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn publickey_close(&mut self, pk: Publickey) -> Result<()> {
        self.publickeys.close(pk.raw())
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
            .insert(SecretkeyObject { alg, inner })
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
        self.secretkeys.close(sk.raw())
    }
}
