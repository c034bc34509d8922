//! [`Ctx`]: one context per Wasm instance, and the Rust API with one method per witx function.
//!
//! Every method validates its handles first (`invalid_handle`), then applies the behaviour
//! contract. On error no handle is created and no input handle is consumed.

use crate::asymmetric::{
    KeypairObject, PublickeyObject, SecretkeyObject, SecretsManagerObject, SignatureObject,
    SignatureStateObject, VerificationStateObject,
};
use crate::config::Config;
use crate::errno::{Error, Result};
use crate::handles::{Kind, Slots};
use crate::options::{ArrayOutputObject, OptionName, OptionsObject};
use crate::rng::InstanceRng;
use crate::symmetric::{self, SymmetricKeyObject, SymmetricStateObject, SymmetricTagObject};
use crate::types::{
    AlgorithmType, ArrayOutput, Keypair, KeypairEncoding, Options, Publickey, PublickeyEncoding,
    Secretkey, SecretkeyEncoding, SecretsManager, Signature, SignatureEncoding, SignatureState,
    SignatureVerificationState, SymmetricKey, SymmetricState, SymmetricTag, Version,
};

/// The per-instance state of the host: slot tables of every handle type and the limits.
pub struct Ctx {
    config: Config,
    rng: Option<InstanceRng>,
    options: Slots<OptionsObject>,
    array_outputs: Slots<ArrayOutputObject>,
    secrets_managers: Slots<SecretsManagerObject>,
    keypairs: Slots<KeypairObject>,
    publickeys: Slots<PublickeyObject>,
    secretkeys: Slots<SecretkeyObject>,
    signatures: Slots<SignatureObject>,
    signature_states: Slots<SignatureStateObject>,
    verification_states: Slots<VerificationStateObject>,
    symmetric_keys: Slots<SymmetricKeyObject>,
    symmetric_states: Slots<SymmetricStateObject>,
    symmetric_tags: Slots<SymmetricTagObject>,
}

impl core::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ctx")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Default for Ctx {
    fn default() -> Self {
        Self::new(Config::default())
    }
}

/// Looks up an optional options handle and checks its algorithm type (`invalid_handle` if
/// another type's).
fn options_of(
    table: &Slots<OptionsObject>,
    h: Option<Options>,
    want: AlgorithmType,
) -> Result<Option<&OptionsObject>> {
    match h {
        None => Ok(None),
        Some(h) => {
            let o = table.get(h.raw())?;
            if o.alg_type() != want {
                return Err(Error::InvalidHandle);
            }
            Ok(Some(o))
        }
    }
}

impl Ctx {
    /// A context whose every random byte (generated keys, nonces, `random_get`) comes from its
    /// own generator `rng`. Getting an [`InstanceRng`] needs a seeded
    /// [`BaseRng`](crate::rng::BaseRng), so a context with randomness cannot exist before the
    /// trusted source delivered its seed.
    pub fn with_rng(config: Config, rng: InstanceRng) -> Self {
        let mut ctx = Self::new(config);
        ctx.rng = Some(rng);
        ctx
    }

    /// A deterministic context: no randomness at all. Operations that need random bytes
    /// (key generation, automatic nonces) return `unsupported_feature`, and bindings must not
    /// link `random_get` for it. Tables start empty and grow up to the limits.
    pub fn new(config: Config) -> Self {
        let config = config.clamped();
        let n = config.max_handles;
        Ctx {
            config,
            rng: None,
            options: Slots::new(Kind::Options, n),
            array_outputs: Slots::new(Kind::ArrayOutput, n),
            secrets_managers: Slots::new(Kind::SecretsManager, n),
            keypairs: Slots::new(Kind::Keypair, n),
            publickeys: Slots::new(Kind::PublicKey, n),
            secretkeys: Slots::new(Kind::SecretKey, n),
            signatures: Slots::new(Kind::Signature, n),
            signature_states: Slots::new(Kind::SignatureState, n),
            verification_states: Slots::new(Kind::VerificationState, n),
            symmetric_keys: Slots::new(Kind::SymmetricKey, n),
            symmetric_states: Slots::new(Kind::SymmetricState, n),
            symmetric_tags: Slots::new(Kind::SymmetricTag, n),
        }
    }

    /// The limits in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether this context has a generator (is not deterministic).
    pub fn has_rng(&self) -> bool {
        self.rng.is_some()
    }

    /// Fills `dest` from this context's generator. Never fails once the context exists.
    ///
    /// # Errors
    /// `unsupported_feature` for a deterministic context.
    #[inline]
    pub fn random_fill(&mut self, dest: &mut [u8]) -> Result<()> {
        match &mut self.rng {
            Some(r) => {
                r.fill(dest);
                Ok(())
            }
            None => Err(Error::UnsupportedFeature),
        }
    }

    // ---- wasi_ephemeral_crypto_common -------------------------------------------------------

    /// `options_open`.
    ///
    /// # Errors
    /// `too_many_handles`.
    pub fn options_open(&mut self, alg_type: AlgorithmType) -> Result<Options> {
        self.options
            .insert(OptionsObject::new(alg_type))
            .map(Options::from_raw)
    }

    /// `options_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn options_close(&mut self, h: Options) -> Result<()> {
        self.options.close(h.raw())
    }

    /// `options_set`: sets a byte-string option, copying `value`.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_option` for a name no implemented algorithm of this
    /// options' type uses; `overflow` past `Config::max_option_len`.
    pub fn options_set(&mut self, h: Options, name: &[u8], value: &[u8]) -> Result<()> {
        let max = self.config.max_option_len;
        self.options.get_mut(h.raw())?.set(name, value, max)
    }

    /// `options_set_u64`.
    ///
    /// # Errors
    /// `invalid_handle`; `unsupported_option` for an unknown integer option.
    pub fn options_set_u64(&mut self, h: Options, name: &[u8], value: u64) -> Result<()> {
        self.options.get_mut(h.raw())?.set_u64(name, value)
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
        let (n, done) = self.array_outputs.get_mut(h.raw())?.pull(buf)?;
        if done {
            self.array_outputs.close(h.raw())?;
        }
        Ok(n)
    }

    /// `secrets_manager_open`: not supported by this host.
    ///
    /// # Errors
    /// `invalid_handle` for a bad options handle, then `unsupported_feature`.
    pub fn secrets_manager_open(&mut self, options: Option<Options>) -> Result<SecretsManager> {
        if let Some(o) = options {
            self.options.get(o.raw())?;
        }
        Err(Error::UnsupportedFeature)
    }

    /// `secrets_manager_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn secrets_manager_close(&mut self, h: SecretsManager) -> Result<()> {
        self.secrets_managers.close(h.raw())
    }

    /// `secrets_manager_invalidate`.
    ///
    /// # Errors
    /// `invalid_handle`, then `unsupported_feature`.
    pub fn secrets_manager_invalidate(
        &mut self,
        h: SecretsManager,
        _key_id: &[u8],
        _version: Version,
    ) -> Result<()> {
        match *self.secrets_managers.get(h.raw())? {}
    }

    // ---- wasi_ephemeral_crypto_asymmetric_common --------------------------------------------

    /// Resolves an asymmetric algorithm name for `alg_type`.
    fn asymmetric_algorithm(&self, _alg_type: AlgorithmType, _name: &[u8]) -> Result<()> {
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

    // ---- wasi_ephemeral_crypto_signatures ---------------------------------------------------

    /// `signature_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_encoding`.
    pub fn signature_export(
        &mut self,
        sig: Signature,
        _enc: SignatureEncoding,
    ) -> Result<ArrayOutput> {
        match *self.signatures.get(sig.raw())? {}
    }

    /// `signature_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`.
    pub fn signature_import(
        &mut self,
        alg: &[u8],
        _encoded: &[u8],
        _enc: SignatureEncoding,
    ) -> Result<Signature> {
        self.asymmetric_algorithm(AlgorithmType::Signatures, alg)?;
        Err(Error::UnsupportedAlgorithm)
    }

    /// `signature_state_open`.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn signature_state_open(&mut self, kp: Keypair) -> Result<SignatureState> {
        match *self.keypairs.get(kp.raw())? {}
    }

    /// `signature_state_update`.
    ///
    /// # Errors
    /// `invalid_handle`, `overflow`.
    pub fn signature_state_update(&mut self, st: SignatureState, _input: &[u8]) -> Result<()> {
        match *self.signature_states.get(st.raw())? {}
    }

    /// `signature_state_sign`.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn signature_state_sign(&mut self, st: SignatureState) -> Result<ArrayOutput> {
        match *self.signature_states.get(st.raw())? {}
    }

    /// `signature_state_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn signature_state_close(&mut self, st: SignatureState) -> Result<()> {
        self.signature_states.close(st.raw())
    }

    /// `signature_verification_state_open`.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn signature_verification_state_open(
        &mut self,
        pk: Publickey,
    ) -> Result<SignatureVerificationState> {
        match *self.publickeys.get(pk.raw())? {}
    }

    /// `signature_verification_state_update`.
    ///
    /// # Errors
    /// `invalid_handle`, `overflow`.
    pub fn signature_verification_state_update(
        &mut self,
        st: SignatureVerificationState,
        _input: &[u8],
    ) -> Result<()> {
        match *self.verification_states.get(st.raw())? {}
    }

    /// `signature_verification_state_verify`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_signature`, `verification_failed`.
    pub fn signature_verification_state_verify(
        &mut self,
        st: SignatureVerificationState,
        _sig: Signature,
    ) -> Result<()> {
        match *self.verification_states.get(st.raw())? {}
    }

    /// `signature_verification_state_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn signature_verification_state_close(
        &mut self,
        st: SignatureVerificationState,
    ) -> Result<()> {
        self.verification_states.close(st.raw())
    }

    /// `signature_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn signature_close(&mut self, sig: Signature) -> Result<()> {
        self.signatures.close(sig.raw())
    }

    // ---- wasi_ephemeral_crypto_kx -----------------------------------------------------------

    /// `kx_dh`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_key`.
    pub fn kx_dh(&mut self, pk: Publickey, sk: Secretkey) -> Result<ArrayOutput> {
        let pk = self.publickeys.get(pk.raw())?;
        let _sk = self.secretkeys.get(sk.raw())?;
        match *pk {}
    }

    /// `kx_encapsulate`: (secret, encapsulated secret).
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn kx_encapsulate(&mut self, pk: Publickey) -> Result<(ArrayOutput, ArrayOutput)> {
        match *self.publickeys.get(pk.raw())? {}
    }

    /// `kx_decapsulate`.
    ///
    /// # Errors
    /// `invalid_handle`, `verification_failed`.
    pub fn kx_decapsulate(&mut self, sk: Secretkey, _encapsulated: &[u8]) -> Result<ArrayOutput> {
        match *self.secretkeys.get(sk.raw())? {}
    }

    // ---- wasi_ephemeral_crypto_external_secrets ---------------------------------------------

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

    // ---- wasi_ephemeral_crypto_symmetric ----------------------------------------------------

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
        let alg = symmetric::find(alg)?;
        options_of(&self.options, options, AlgorithmType::Symmetric)?;
        let len = alg.key.generate_len()?;
        let rng = self.rng.as_mut().ok_or(Error::UnsupportedFeature)?;
        let mut buf = [0u8; 128];
        let bytes = buf.get_mut(..len).ok_or(Error::InternalError)?;
        rng.fill(bytes);
        let key = crate::secret::SecretBytes::copy_from(bytes);
        zeroize::Zeroize::zeroize(&mut buf);
        let obj = SymmetricKeyObject { alg, bytes: key? };
        self.symmetric_keys.insert(obj).map(SymmetricKey::from_raw)
    }

    /// `symmetric_key_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`, `key_not_supported`, `invalid_key` (wrong size).
    pub fn symmetric_key_import(&mut self, alg: &[u8], raw: &[u8]) -> Result<SymmetricKey> {
        let alg = symmetric::find(alg)?;
        alg.key.check_len(raw.len())?;
        let obj = SymmetricKeyObject {
            alg,
            bytes: crate::secret::SecretBytes::copy_from(raw)?,
        };
        self.symmetric_keys.insert(obj).map(SymmetricKey::from_raw)
    }

    /// `symmetric_key_export`: the raw key bytes as an array output.
    ///
    /// # Errors
    /// `invalid_handle`.
    pub fn symmetric_key_export(&mut self, key: SymmetricKey) -> Result<ArrayOutput> {
        let obj = self.symmetric_keys.get(key.raw())?;
        let out = ArrayOutputObject::new(obj.bytes.expose(), self.config.max_array_output_len)?;
        self.array_outputs.insert(out).map(ArrayOutput::from_raw)
    }

    /// `symmetric_key_close`: wipes the key.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn symmetric_key_close(&mut self, key: SymmetricKey) -> Result<()> {
        self.symmetric_keys.close(key.raw())
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
        let alg = symmetric::find(alg)?;
        let key = match key {
            Some(k) => Some(self.symmetric_keys.get(k.raw())?),
            None => None,
        };
        let options = options_of(&self.options, options, AlgorithmType::Symmetric)?;
        let rng = &mut self.rng;
        let mut random = |buf: &mut [u8]| match rng.as_mut() {
            Some(r) => {
                r.fill(buf);
                Ok(())
            }
            None => Err(Error::UnsupportedFeature),
        };
        let mut env = symmetric::OpenEnv {
            options,
            random: &mut random,
        };
        let state = SymmetricStateObject::open(alg, key, &mut env)?;
        self.symmetric_states
            .insert(state)
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
        let copy = self.symmetric_states.get(st.raw())?.try_clone()?;
        self.symmetric_states
            .insert(copy)
            .map(SymmetricState::from_raw)
    }

    /// `symmetric_state_close`: wipes the state.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn symmetric_state_close(&mut self, st: SymmetricState) -> Result<()> {
        self.symmetric_states.close(st.raw())
    }

    /// `symmetric_state_absorb`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`, `overflow`.
    #[inline]
    pub fn symmetric_state_absorb(&mut self, st: SymmetricState, data: &[u8]) -> Result<()> {
        self.symmetric_states
            .get_mut(st.raw())?
            .absorb(data, &self.config)
    }

    /// `symmetric_state_squeeze`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`, `invalid_length` (hash: more than the digest).
    pub fn symmetric_state_squeeze(&mut self, st: SymmetricState, out: &mut [u8]) -> Result<()> {
        self.symmetric_states.get_mut(st.raw())?.squeeze(out)
    }

    /// `symmetric_state_squeeze_tag`.
    ///
    /// # Errors
    /// `invalid_handle`; `too_many_handles` when the tag table is full (checked before the
    /// state moves, so no result is lost); `invalid_operation`.
    pub fn symmetric_state_squeeze_tag(&mut self, st: SymmetricState) -> Result<SymmetricTag> {
        let state = self.symmetric_states.get_mut(st.raw())?;
        self.symmetric_tags.ensure_room()?;
        let bytes = state.squeeze_tag()?;
        self.symmetric_tags
            .insert(SymmetricTagObject { bytes })
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
        let state = self.symmetric_states.get_mut(st.raw())?;
        self.symmetric_keys.ensure_room()?;
        let target = symmetric::find(alg);
        let bytes = state.squeeze_key(target)?;
        self.symmetric_keys
            .insert(SymmetricKeyObject {
                alg: target?,
                bytes,
            })
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
        self.symmetric_states.get_mut(st.raw())?.encrypt(out, data)
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
        let state = self.symmetric_states.get_mut(st.raw())?;
        self.symmetric_tags.ensure_room()?;
        let bytes = state.encrypt_detached(out, data)?;
        self.symmetric_tags
            .insert(SymmetricTagObject { bytes })
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
        self.symmetric_states.get_mut(st.raw())?.decrypt(out, data)
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
            .get_mut(st.raw())?
            .decrypt_detached(out, data, raw_tag)
    }

    /// `symmetric_state_ratchet`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`.
    pub fn symmetric_state_ratchet(&mut self, st: SymmetricState) -> Result<()> {
        self.symmetric_states.get_mut(st.raw())?.ratchet()
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
        self.symmetric_tags.close(tag.raw())?;
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
        self.symmetric_tags.close(tag.raw())
    }
}

#[cfg(test)]
impl Ctx {
    pub(crate) fn insert_tag_for_test(&mut self, bytes: &[u8]) -> SymmetricTag {
        let obj = SymmetricTagObject {
            bytes: crate::secret::SecretBytes::copy_from(bytes).unwrap(),
        };
        SymmetricTag::from_raw(self.symmetric_tags.insert(obj).unwrap())
    }

    pub(crate) fn insert_array_output_for_test(&mut self, bytes: &[u8]) -> ArrayOutput {
        let obj = ArrayOutputObject::new(bytes, self.config.max_array_output_len).unwrap();
        ArrayOutput::from_raw(self.array_outputs.insert(obj).unwrap())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_output_pull_contract() {
        let mut ctx = Ctx::default();
        let h = ctx.insert_array_output_for_test(b"0123456789");
        assert_eq!(ctx.array_output_len(h), Ok(10));
        // buf_len 0 copies nothing and closes nothing.
        assert_eq!(ctx.array_output_pull(h, &mut []), Ok(0));
        let mut b = [0u8; 4];
        assert_eq!(ctx.array_output_pull(h, &mut b), Ok(4));
        assert_eq!(&b, b"0123");
        // The length is the total, not the remainder.
        assert_eq!(ctx.array_output_len(h), Ok(10));
        let mut big = [0u8; 32];
        assert_eq!(ctx.array_output_pull(h, &mut big), Ok(6));
        assert_eq!(&big[..6], b"456789");
        // Fully consumed: closed by itself.
        assert_eq!(ctx.array_output_len(h), Err(Error::InvalidHandle));
        assert_eq!(
            ctx.array_output_pull(h, &mut big),
            Err(Error::InvalidHandle)
        );
        // An empty output closes on the first pull that asks for a byte.
        let e = ctx.insert_array_output_for_test(b"");
        assert_eq!(ctx.array_output_pull(e, &mut []), Ok(0));
        assert_eq!(ctx.array_output_len(e), Ok(0));
        assert_eq!(ctx.array_output_pull(e, &mut b), Ok(0));
        assert_eq!(ctx.array_output_len(e), Err(Error::InvalidHandle));
    }

    #[test]
    fn tag_pull_and_verify_contract() {
        let mut ctx = Ctx::default();
        let t = ctx.insert_tag_for_test(&[5u8; 16]);
        assert_eq!(ctx.symmetric_tag_len(t), Ok(16));
        assert_eq!(ctx.symmetric_tag_verify(t, &[5u8; 16]), Ok(()));
        let mut other = [5u8; 16];
        other[15] = 4;
        assert_eq!(ctx.symmetric_tag_verify(t, &other), Err(Error::InvalidTag));
        // Another length, including empty, never verifies (peers wrong: empty accepted).
        assert_eq!(ctx.symmetric_tag_verify(t, &[]), Err(Error::InvalidTag));
        assert_eq!(
            ctx.symmetric_tag_verify(t, &[5u8; 15]),
            Err(Error::InvalidTag)
        );
        assert_eq!(
            ctx.symmetric_tag_verify(t, &[5u8; 17]),
            Err(Error::InvalidTag)
        );
        // Pull: too small overflow, too large invalid_length, the tag stays open on error.
        assert_eq!(
            ctx.symmetric_tag_pull(t, &mut [0u8; 15]),
            Err(Error::Overflow)
        );
        assert_eq!(
            ctx.symmetric_tag_pull(t, &mut [0u8; 17]),
            Err(Error::InvalidLength)
        );
        let mut out = [0u8; 16];
        assert_eq!(ctx.symmetric_tag_pull(t, &mut out), Ok(16));
        assert_eq!(out, [5u8; 16]);
        assert_eq!(ctx.symmetric_tag_len(t), Err(Error::InvalidHandle));
        assert_eq!(ctx.symmetric_tag_close(t), Err(Error::Closed));
    }

    #[test]
    fn hash_with_key_is_key_not_supported() {
        let alg = crate::symmetric::find(b"SHA-256").unwrap();
        let key_alg = crate::symmetric::hash_sha256_for_test();
        assert_eq!(
            crate::symmetric::open_for_test(alg, key_alg, &[1u8; 32]).err(),
            Some(Error::KeyNotSupported)
        );
    }
}

#[cfg(test)]
mod rng_tests {
    use super::*;
    use crate::rng::testing::CountingSource;
    use crate::rng::{BaseRng, InstanceRng};
    use alloc::boxed::Box;
    use alloc::sync::Arc;

    #[test]
    fn random_fill_and_abi_random_get() {
        let base = BaseRng::new(Box::new(Arc::new(CountingSource::new(9)))).unwrap();
        let mut a = Ctx::with_rng(Config::default(), InstanceRng::new(&base));
        let mut b = Ctx::with_rng(Config::default(), InstanceRng::new(&base));
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        a.random_fill(&mut x).unwrap();
        b.random_fill(&mut y).unwrap();
        assert_ne!(x, y);
        let mut mem = [0u8; 64];
        let call = crate::abi::RANDOM_GET.call;
        assert_eq!(call(&mut a, &mut mem, &[8, 0]), 0);
        assert_eq!(mem, [0u8; 64], "0 bytes asked, none written");
        assert_eq!(call(&mut a, &mut mem, &[8, 32]), 0);
        assert!(mem[8..40].iter().any(|b| *b != 0));
        assert!(mem[..8].iter().chain(&mem[40..]).all(|b| *b == 0));
        let snapshot = mem;
        assert_eq!(call(&mut a, &mut mem, &[60, 5]), crate::abi::WASI_EFAULT);
        assert_eq!(
            call(&mut a, &mut mem, &[0, 0xffff_ffff]),
            crate::abi::WASI_EFAULT
        );
        assert_eq!(mem, snapshot);
        let mut det = Ctx::default();
        assert!(!det.has_rng());
        assert_eq!(call(&mut det, &mut mem, &[0, 4]), crate::abi::WASI_ENOSYS);
        assert_eq!(det.random_fill(&mut x), Err(Error::UnsupportedFeature));
    }
}
