//! `wasi_ephemeral_crypto_kx`: Diffie-Hellman key agreement (and, later, KEMs).

use super::*;

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

    /// `kx_encapsulate`: (secret, encapsulated secret). No KEM is compiled in yet, so every
    /// key answers `invalid_operation` (the Diffie-Hellman algorithms have no encapsulation).
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation`.
    pub fn kx_encapsulate(&mut self, pk: Publickey) -> Result<(ArrayOutput, ArrayOutput)> {
        self.publickeys.get(pk.raw())?;
        Err(Error::InvalidOperation)
    }

    /// `kx_decapsulate`.
    ///
    /// # Errors
    /// `invalid_handle`, `invalid_operation` (no KEM yet).
    pub fn kx_decapsulate(&mut self, sk: Secretkey, _encapsulated: &[u8]) -> Result<ArrayOutput> {
        self.secretkeys.get(sk.raw())?;
        Err(Error::InvalidOperation)
    }
}
