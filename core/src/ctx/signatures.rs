//! `wasi_ephemeral_crypto_signatures`: signatures, signing states and verification states.

use super::*;

impl Ctx {
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
}
