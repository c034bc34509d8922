//! XChaCha20-Poly1305 sealing for the host's own data (external secrets, key-store entries),
//! through the same AEAD code guests use.

use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::budget::Limits;
use crate::errno::{Error, Result};
use crate::options::OptionsObject;
use crate::symmetric::{SymmetricKeyObject, SymmetricStateObject};
use crate::types::AlgorithmType;

/// Nonce length.
pub(crate) const NONCE: usize = 24;
/// Tag length.
pub(crate) const TAG: usize = 16;

const UNLIMITED: Limits = Limits {
    max_len: usize::MAX,
    room: usize::MAX,
};

fn state(key: &[u8; 32], nonce: &[u8; NONCE], ad: &[u8]) -> Result<SymmetricStateObject> {
    let alg = crate::symmetric::find(b"XCHACHA20-POLY1305")?;
    let key = SymmetricKeyObject {
        alg,
        bytes: crate::secret::SecretBytes::copy_from(key)?,
        managed: None,
    };
    let mut options = OptionsObject::new(AlgorithmType::Symmetric);
    options.set(b"nonce", nonce, &UNLIMITED)?;
    let mut no_random = |_: &mut [u8]| Err(Error::UnsupportedFeature);
    let mut env = crate::symmetric::OpenEnv {
        options: Some(&options),
        random: &mut no_random,
    };
    let mut st = SymmetricStateObject::open(alg, Some(&key), &mut env)?;
    st.absorb(ad, &UNLIMITED)?;
    Ok(st)
}

/// `ciphertext ‖ tag` of `plaintext`.
pub(crate) fn seal(
    key: &[u8; 32],
    nonce: &[u8; NONCE],
    ad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let len = plaintext.len().checked_add(TAG).ok_or(Error::Overflow)?;
    let mut out = Vec::new();
    out.try_reserve_exact(len)
        .map_err(|_| Error::AlgorithmFailure)?;
    out.resize(len, 0);
    state(key, nonce, ad)?.encrypt(&mut out, plaintext)?;
    Ok(out)
}

/// The plaintext of `ciphertext ‖ tag`; `verification_failed` for anything not sealed under
/// this key, nonce and additional data.
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; NONCE],
    ad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let len = sealed
        .len()
        .checked_sub(TAG)
        .ok_or(Error::VerificationFailed)?;
    let mut out = Zeroizing::new(Vec::new());
    out.try_reserve_exact(len)
        .map_err(|_| Error::AlgorithmFailure)?;
    out.resize(len, 0);
    state(key, nonce, ad)?
        .decrypt(&mut out, sealed)
        .map_err(|_| Error::VerificationFailed)?;
    Ok(out)
}
