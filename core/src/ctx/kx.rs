//! `wasi_ephemeral_crypto_kx`: Diffie-Hellman key agreement and key encapsulation (KEMs).

use super::*;
use crate::asymmetric::Rng;

impl Ctx {
    /// `kx_dh`: the shared secret as an `array_output`.
    ///
    /// # Errors
    /// `invalid_handle`; `incompatible_keys` when the keys' algorithms differ; `invalid_key`
    /// for signature keys or an insecure result (an X25519 small-order public key).
    pub fn kx_dh(&mut self, pk: Publickey, sk: Secretkey) -> Result<ArrayOutput> {
        let pk = self.publickeys.get(pk.raw())?;
        let sk = self.secretkeys.get(sk.raw())?;
        if pk.alg != sk.alg {
            return Err(Error::IncompatibleKeys);
        }
        self.array_outputs.ensure_room(&self.budget, 0)?;
        let shared = sk.inner.dh(&pk.inner)?;
        self.array_output_of(shared.expose())
    }

    /// `kx_encapsulate`: (shared secret, ciphertext) as two array outputs, the randomness from
    /// this context's generator.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for a key of a Diffie-Hellman or signature
    /// algorithm; `unsupported_feature` for a deterministic context; `too_many_handles` (no
    /// output is left behind when the second cannot be created).
    pub fn kx_encapsulate(&mut self, pk: Publickey) -> Result<(ArrayOutput, ArrayOutput)> {
        let pk = self.publickeys.get(pk.raw())?;
        if !pk.inner.is_kem() {
            return Err(Error::InvalidOperation);
        }
        let rng = self.rng.as_mut().ok_or(Error::UnsupportedFeature)?;
        self.array_outputs.ensure_room(&self.budget, 0)?;
        let (secret, ct) = pk.inner.encapsulate(&mut Rng(rng))?;
        let secret = self.array_output_of(secret.expose())?;
        match self.array_output_of(ct.expose()) {
            Ok(ct) => Ok((secret, ct)),
            Err(e) => {
                self.array_outputs.close(secret.raw(), &mut self.budget)?;
                Err(e)
            }
        }
    }

    /// `kx_decapsulate`: the shared secret as an `array_output`. A ciphertext of the right
    /// length always decapsulates: ML-KEM (and X-Wing through it) answers a forged one with its
    /// implicit-rejection secret, pseudorandom and fixed for the key and ciphertext.
    ///
    /// # Errors
    /// `invalid_handle`; `invalid_operation` for a key of a Diffie-Hellman or signature
    /// algorithm; `verification_failed` for a ciphertext of the wrong length;
    /// `too_many_handles`.
    pub fn kx_decapsulate(&mut self, sk: Secretkey, encapsulated: &[u8]) -> Result<ArrayOutput> {
        let sk = self.secretkeys.get(sk.raw())?;
        // The operation's own errors first (`invalid_operation`, `verification_failed`), then
        // the output slot; the secret is wiped if it cannot be handed out.
        let shared = sk.inner.decapsulate(encapsulated)?;
        self.array_output_of(shared.expose())
    }
}
