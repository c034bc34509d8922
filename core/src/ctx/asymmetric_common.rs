//! `wasi_ephemeral_crypto_asymmetric_common`: key pairs, public keys and secret keys.

use super::*;

impl Ctx {
    /// Resolves an asymmetric algorithm name for `alg_type`.
    pub(super) fn asymmetric_algorithm(
        &self,
        _alg_type: AlgorithmType,
        _name: &[u8],
    ) -> Result<()> {
        // No asymmetric family is compiled in yet.
        Err(Error::UnsupportedAlgorithm)
    }

    /// `keypair_generate`.
    ///
    /// # Errors
    /// `unsupported_algorithm` (no asymmetric algorithm yet), `invalid_handle`.
    pub fn keypair_generate(
        &mut self,
        alg_type: AlgorithmType,
        alg: &[u8],
        options: Option<Options>,
    ) -> Result<Keypair> {
        self.asymmetric_algorithm(alg_type, alg)?;
        options_of(&self.options, options, alg_type)?;
        Err(Error::UnsupportedAlgorithm)
    }

    /// `keypair_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`.
    pub fn keypair_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &[u8],
        _encoded: &[u8],
        _encoding: KeypairEncoding,
    ) -> Result<Keypair> {
        self.asymmetric_algorithm(alg_type, alg)?;
        Err(Error::UnsupportedAlgorithm)
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

    /// `keypair_id`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn keypair_id(&mut self, kp: Keypair, _id_buf: &mut [u8]) -> Result<(usize, Version)> {
        match *self.keypairs.get(kp.raw())? {}
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

    /// `keypair_from_pk_and_sk`.
    ///
    /// # Errors
    /// `invalid_handle`, `incompatible_keys`, `invalid_key`.
    pub fn keypair_from_pk_and_sk(&mut self, pk: Publickey, sk: Secretkey) -> Result<Keypair> {
        let pk = self.publickeys.get(pk.raw())?;
        let _sk = self.secretkeys.get(sk.raw())?;
        match *pk {}
    }

    /// `keypair_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_encoding`.
    pub fn keypair_export(&mut self, kp: Keypair, _enc: KeypairEncoding) -> Result<ArrayOutput> {
        match *self.keypairs.get(kp.raw())? {}
    }

    /// `keypair_publickey`.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn keypair_publickey(&mut self, kp: Keypair) -> Result<Publickey> {
        match *self.keypairs.get(kp.raw())? {}
    }

    /// `keypair_secretkey`.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn keypair_secretkey(&mut self, kp: Keypair) -> Result<Secretkey> {
        match *self.keypairs.get(kp.raw())? {}
    }

    /// `keypair_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn keypair_close(&mut self, kp: Keypair) -> Result<()> {
        self.keypairs.close(kp.raw())
    }

    /// `publickey_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`.
    pub fn publickey_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &[u8],
        _encoded: &[u8],
        _encoding: PublickeyEncoding,
    ) -> Result<Publickey> {
        self.asymmetric_algorithm(alg_type, alg)?;
        Err(Error::UnsupportedAlgorithm)
    }

    /// `publickey_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_encoding`.
    pub fn publickey_export(
        &mut self,
        pk: Publickey,
        _enc: PublickeyEncoding,
    ) -> Result<ArrayOutput> {
        match *self.publickeys.get(pk.raw())? {}
    }

    /// `publickey_verify`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_key`.
    pub fn publickey_verify(&mut self, pk: Publickey) -> Result<()> {
        match *self.publickeys.get(pk.raw())? {}
    }

    /// `publickey_from_secretkey`.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn publickey_from_secretkey(&mut self, sk: Secretkey) -> Result<Publickey> {
        match *self.secretkeys.get(sk.raw())? {}
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
    /// `unsupported_algorithm`.
    pub fn secretkey_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &[u8],
        _encoded: &[u8],
        _encoding: SecretkeyEncoding,
    ) -> Result<Secretkey> {
        self.asymmetric_algorithm(alg_type, alg)?;
        Err(Error::UnsupportedAlgorithm)
    }

    /// `secretkey_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_encoding`.
    pub fn secretkey_export(
        &mut self,
        sk: Secretkey,
        _enc: SecretkeyEncoding,
    ) -> Result<ArrayOutput> {
        match *self.secretkeys.get(sk.raw())? {}
    }

    /// `secretkey_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn secretkey_close(&mut self, sk: Secretkey) -> Result<()> {
        self.secretkeys.close(sk.raw())
    }
}
