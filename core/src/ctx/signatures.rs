//! `wasi_ephemeral_crypto_signatures`: signatures, signing states and verification states.
//!
//! `signature_state_sign` returns a **signature handle** (usable with `signature_export`,
//! `signature_verification_state_verify` and `signature_close`), as the published guest
//! library and the other hosts expect, although the witx types the result as an
//! `array_output`. Signing does not reset the state: each signature covers everything absorbed
//! so far. A signing state and a verification state are different handle types, so using one
//! for the other is `invalid_handle`.

use super::*;
use crate::asymmetric::{
    self, Rng, Sig, SignatureObject, SignatureStateObject, VerificationStateObject,
};

impl Ctx {
    /// `signature_export`.
    ///
    /// # Errors
    /// `invalid_handle`, `unsupported_encoding` (`der` for Ed25519).
    pub fn signature_export(
        &mut self,
        sig: Signature,
        enc: SignatureEncoding,
    ) -> Result<ArrayOutput> {
        let bytes = self.signatures.get(sig.raw())?.inner.export(enc)?;
        self.array_output_of(bytes.expose())
    }

    /// `signature_import`.
    ///
    /// # Errors
    /// `unsupported_algorithm`, `unsupported_encoding`, `invalid_signature` for malformed bytes
    /// (wrong length, bad DER, a scalar out of range), `too_many_handles`.
    pub fn signature_import(
        &mut self,
        alg: &[u8],
        encoded: &[u8],
        enc: SignatureEncoding,
    ) -> Result<Signature> {
        let alg = asymmetric::find(AlgorithmType::Signatures, alg)?;
        let inner = Sig::import(alg, enc, encoded)?;
        self.signatures
            .insert(SignatureObject { alg, inner }, &mut self.budget)
            .map(Signature::from_raw)
    }

    /// `signature_state_open`.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_key` for a key-exchange key pair; `too_many_handles`.
    pub fn signature_state_open(&mut self, kp: Keypair) -> Result<SignatureState> {
        let now = self.now();
        let kp = self.keypairs.get(kp.raw())?;
        if let Some(m) = kp.managed {
            m.check(now)?;
        }
        // A signing state holds a copy of the key pair at most.
        self.signature_states
            .ensure_room(&self.budget, kp.heap_bytes())?;
        let inner = asymmetric::sign_open(&kp.secret, &kp.public)?;
        self.signature_states
            .insert(
                SignatureStateObject { alg: kp.alg, inner },
                &mut self.budget,
            )
            .map(SignatureState::from_raw)
    }

    /// `signature_state_update`.
    ///
    /// # Errors
    /// `invalid_handle`; `overflow` past `Config::max_buffered_len` for algorithms that keep
    /// the message (Ed25519).
    pub fn signature_state_update(&mut self, st: SignatureState, input: &[u8]) -> Result<()> {
        let max = self.config.max_buffered_len;
        self.signature_states
            .update(st.raw(), &mut self.budget, max, |s, limits| {
                s.inner.update(input, &limits)
            })
    }

    /// `signature_state_sign`: a signature of the whole transcript so far, as a signature
    /// handle. ECDSA nonces are hedged with this context's generator when it has one.
    ///
    /// # Errors
    /// `invalid_handle`, `too_many_handles` (checked before signing).
    pub fn signature_state_sign(&mut self, st: SignatureState) -> Result<Signature> {
        let state = self.signature_states.get(st.raw())?;
        self.signatures.ensure_room(&self.budget, 0)?;
        let mut rng = self.rng.as_mut().map(Rng);
        let inner = state.inner.sign(rng.as_mut())?;
        self.signatures
            .insert(
                SignatureObject {
                    alg: state.alg,
                    inner,
                },
                &mut self.budget,
            )
            .map(Signature::from_raw)
    }

    /// `signature_state_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn signature_state_close(&mut self, st: SignatureState) -> Result<()> {
        self.signature_states.close(st.raw(), &mut self.budget)
    }

    /// `signature_verification_state_open`.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_key` for a key-exchange public key; `too_many_handles`.
    pub fn signature_verification_state_open(
        &mut self,
        pk: Publickey,
    ) -> Result<SignatureVerificationState> {
        let pk = self.publickeys.get(pk.raw())?;
        self.verification_states
            .ensure_room(&self.budget, pk.heap_bytes())?;
        let inner = pk.inner.verify_open()?;
        self.verification_states
            .insert(
                VerificationStateObject { alg: pk.alg, inner },
                &mut self.budget,
            )
            .map(SignatureVerificationState::from_raw)
    }

    /// `signature_verification_state_update`.
    ///
    /// # Errors
    /// `invalid_handle`, `overflow` (Ed25519 past `Config::max_buffered_len`).
    pub fn signature_verification_state_update(
        &mut self,
        st: SignatureVerificationState,
        input: &[u8],
    ) -> Result<()> {
        let max = self.config.max_buffered_len;
        self.verification_states
            .update(st.raw(), &mut self.budget, max, |s, limits| {
                s.inner.update(input, &limits)
            })
    }

    /// `signature_verification_state_verify`: checks `sig` over the whole transcript so far.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_signature` for a signature of another algorithm;
    /// `verification_failed` when it does not verify.
    pub fn signature_verification_state_verify(
        &mut self,
        st: SignatureVerificationState,
        sig: Signature,
    ) -> Result<()> {
        let state = self.verification_states.get(st.raw())?;
        let sig = self.signatures.get(sig.raw())?;
        if state.alg != sig.alg {
            return Err(Error::InvalidSignature);
        }
        state.inner.verify(&sig.inner)
    }

    /// `signature_verification_state_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn signature_verification_state_close(
        &mut self,
        st: SignatureVerificationState,
    ) -> Result<()> {
        self.verification_states.close(st.raw(), &mut self.budget)
    }

    /// `signature_close`.
    ///
    /// # Errors
    /// `invalid_handle`, `closed`.
    pub fn signature_close(&mut self, sig: Signature) -> Result<()> {
        self.signatures.close(sig.raw(), &mut self.budget)
    }
}
