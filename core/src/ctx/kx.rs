//! `wasi_ephemeral_crypto_kx`: key exchange: Diffie-Hellman and KEMs.

use super::*;

impl Ctx {
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
}
