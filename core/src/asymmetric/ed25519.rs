//! `Ed25519`: pure EdDSA over edwards25519 (RFC 8032 §5.1), on `ed25519-dalek`.
//!
//! - Key pair `raw`: the 32-byte seed ‖ the 32-byte public key, the halves checked against each
//!   other (`invalid_key` if they differ; 32 bytes alone: `invalid_key`). Secret key `raw`: the
//!   seed. Public key `raw`: the 32-byte encoding, rejected if it is not a point.
//! - `pkcs8`/`pem`: RFC 8410 `OneAsymmetricKey` for key pairs (with the public key) and secret
//!   keys (without), SubjectPublicKeyInfo for public keys. `sec` and `local`:
//!   `unsupported_encoding`.
//! - Signing is deterministic and two-pass, so both states keep the transcript, up to
//!   `Config::max_buffered_len` (then `overflow`). The verification state buffers too: the
//!   signature's `R` starts the hash RFC 8032 verifies, and the ABI hands the signature over
//!   only at `verify`. A signature always covers the whole transcript, so two different
//!   transcripts never share a nonce.
//! - `publickey_verify` refuses small-order points (`invalid_key`). Verification is the RFC 8032
//!   cofactorless check with a canonical `S`, refusing a small-order public key or `R`
//!   (`ed25519-dalek`'s `verify_strict`): with a small-order key, a signature can be made to
//!   verify for many messages without any secret (Wycheproof's "universal forgery" cases).

use alloc::vec::Vec;

use ed25519_dalek::hazmat::{ExpandedSecretKey, raw_sign};
use ed25519_dalek::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, KeypairBytes,
};
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::Sha512;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::{
    Algorithm, Exported, Family, Keys, Rng, Signing, der_or_pem, exported, pem_text as utf8,
};
use crate::budget::Limits;
use crate::errno::{Error, Result};
use crate::secret::append_bounded;
use crate::types::{
    AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding, SignatureEncoding,
};

/// The Ed25519 family.
pub(crate) struct Ed25519;

// Both halves of a secret wipe themselves when dropped (checked at compile time).
const _: fn() = || {
    fn wipes_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wipes_on_drop::<SigningKey>();
    wipes_on_drop::<ExpandedSecretKey>();
};

/// A secret key: the seed, and its expansion (RFC 8032 §5.1.5: the clamped scalar and the
/// nonce prefix) computed once, not per signature. Both halves zeroize on drop.
pub(crate) struct Secret {
    sk: SigningKey,
    esk: ExpandedSecretKey,
}

impl Secret {
    fn new(sk: SigningKey) -> Self {
        let esk = ExpandedSecretKey::from(sk.as_bytes());
        Secret { sk, esk }
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Secret {
            sk: self.sk.clone(),
            esk: ExpandedSecretKey {
                scalar: self.esk.scalar,
                hash_prefix: self.esk.hash_prefix,
            },
        }
    }
}

fn seed(bytes: &[u8]) -> Result<SigningKey> {
    let seed: &[u8; 32] = bytes.try_into().map_err(|_| Error::InvalidKey)?;
    Ok(SigningKey::from_bytes(seed))
}

/// The PKCS#8 document of a seed, with the public key or without.
fn pkcs8_doc(sk: &SigningKey, with_public: bool) -> Result<ed25519_dalek::pkcs8::SecretDocument> {
    let mut kp = KeypairBytes::from(sk);
    if !with_public {
        kp.public_key = None;
    }
    kp.to_pkcs8_der().map_err(|_| Error::AlgorithmFailure)
}

fn pkcs8_export(sk: &SigningKey, with_public: bool, pem: bool) -> Result<Exported> {
    let doc = pkcs8_doc(sk, with_public)?;
    der_or_pem(doc.as_bytes(), "PRIVATE KEY", pem)
}

/// A signing or verification transcript: the key and the message so far.
pub(crate) struct Transcript<K> {
    key: K,
    msg: Zeroizing<Vec<u8>>,
}

impl Keys for Ed25519 {
    const ALGORITHMS: &'static [Algorithm] = &[Algorithm {
        name: "Ed25519",
        alg_type: AlgorithmType::Signatures,
        family: Family::Ed25519,
    }];
    type Secret = Secret;
    type Public = VerifyingKey;

    fn generate(_: &'static Algorithm, rng: &mut Rng<'_>) -> Result<Secret> {
        let mut s = [0u8; 32];
        rng.0.fill(&mut s);
        let sk = SigningKey::from_bytes(&s);
        s.as_mut_slice().zeroize();
        Ok(Secret::new(sk))
    }

    fn secret_import(
        _: &'static Algorithm,
        enc: SecretkeyEncoding,
        bytes: &[u8],
    ) -> Result<Secret> {
        let sk = match enc {
            SecretkeyEncoding::Raw => seed(bytes),
            SecretkeyEncoding::Pkcs8 => {
                SigningKey::from_pkcs8_der(bytes).map_err(|_| Error::InvalidKey)
            }
            SecretkeyEncoding::Pem => {
                SigningKey::from_pkcs8_pem(utf8(bytes)?).map_err(|_| Error::InvalidKey)
            }
            SecretkeyEncoding::Sec | SecretkeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }?;
        Ok(Secret::new(sk))
    }

    fn secret_export(sk: &Secret, enc: SecretkeyEncoding) -> Result<Exported> {
        let sk = &sk.sk;
        match enc {
            SecretkeyEncoding::Raw => exported(sk.as_bytes()),
            SecretkeyEncoding::Pkcs8 => pkcs8_export(sk, false, false),
            SecretkeyEncoding::Pem => pkcs8_export(sk, false, true),
            SecretkeyEncoding::Sec | SecretkeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn keypair_import(
        _: &'static Algorithm,
        enc: KeypairEncoding,
        bytes: &[u8],
    ) -> Result<(Secret, VerifyingKey)> {
        let sk = match enc {
            KeypairEncoding::Raw => {
                let both: &[u8; 64] = bytes.try_into().map_err(|_| Error::InvalidKey)?;
                SigningKey::from_keypair_bytes(both).map_err(|_| Error::InvalidKey)?
            }
            KeypairEncoding::Pkcs8 => {
                SigningKey::from_pkcs8_der(bytes).map_err(|_| Error::InvalidKey)?
            }
            KeypairEncoding::Pem => {
                SigningKey::from_pkcs8_pem(utf8(bytes)?).map_err(|_| Error::InvalidKey)?
            }
            KeypairEncoding::Local => return Err(Error::UnsupportedEncoding),
        };
        let pk = sk.verifying_key();
        Ok((Secret::new(sk), pk))
    }

    fn keypair_export(sk: &Secret, _: &VerifyingKey, enc: KeypairEncoding) -> Result<Exported> {
        let sk = &sk.sk;
        match enc {
            KeypairEncoding::Raw => {
                let mut both = sk.to_keypair_bytes();
                let out = exported(&both);
                both.as_mut_slice().zeroize();
                out
            }
            KeypairEncoding::Pkcs8 => pkcs8_export(sk, true, false),
            KeypairEncoding::Pem => pkcs8_export(sk, true, true),
            KeypairEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_import(
        _: &'static Algorithm,
        enc: PublickeyEncoding,
        bytes: &[u8],
    ) -> Result<VerifyingKey> {
        match enc {
            PublickeyEncoding::Raw => {
                let b: &[u8; 32] = bytes.try_into().map_err(|_| Error::InvalidKey)?;
                VerifyingKey::from_bytes(b).map_err(|_| Error::InvalidKey)
            }
            PublickeyEncoding::Pkcs8 => {
                VerifyingKey::from_public_key_der(bytes).map_err(|_| Error::InvalidKey)
            }
            PublickeyEncoding::Pem => {
                VerifyingKey::from_public_key_pem(utf8(bytes)?).map_err(|_| Error::InvalidKey)
            }
            PublickeyEncoding::Sec | PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_export(pk: &VerifyingKey, enc: PublickeyEncoding) -> Result<Exported> {
        match enc {
            PublickeyEncoding::Raw => exported(pk.as_bytes()),
            PublickeyEncoding::Pkcs8 | PublickeyEncoding::Pem => {
                let doc = pk
                    .to_public_key_der()
                    .map_err(|_| Error::AlgorithmFailure)?;
                der_or_pem(doc.as_bytes(), "PUBLIC KEY", enc == PublickeyEncoding::Pem)
            }
            PublickeyEncoding::Sec | PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_verify(pk: &VerifyingKey) -> Result<()> {
        if pk.is_weak() {
            Err(Error::InvalidKey)
        } else {
            Ok(())
        }
    }

    fn public_of(sk: &Secret) -> VerifyingKey {
        sk.sk.verifying_key()
    }

    fn matches(sk: &Secret, pk: &VerifyingKey) -> bool {
        bool::from(sk.sk.verifying_key().as_bytes().ct_eq(pk.as_bytes()))
    }
}

impl Signing for Ed25519 {
    type Signature = Signature;
    type SignState = Transcript<Secret>;
    type VerifyState = Transcript<VerifyingKey>;

    fn signature_import(enc: SignatureEncoding, bytes: &[u8]) -> Result<Signature> {
        match enc {
            SignatureEncoding::Raw => {
                let b: &[u8; 64] = bytes.try_into().map_err(|_| Error::InvalidSignature)?;
                Ok(Signature::from_bytes(b))
            }
            SignatureEncoding::Der => Err(Error::UnsupportedEncoding),
        }
    }

    fn signature_export(sig: &Signature, enc: SignatureEncoding) -> Result<Exported> {
        match enc {
            SignatureEncoding::Raw => exported(&sig.to_bytes()),
            SignatureEncoding::Der => Err(Error::UnsupportedEncoding),
        }
    }

    fn sign_open(sk: &Secret, _: &VerifyingKey) -> Result<Self::SignState> {
        Ok(Transcript {
            key: sk.clone(),
            msg: Zeroizing::new(Vec::new()),
        })
    }

    fn sign_update(st: &mut Self::SignState, data: &[u8], limits: &Limits) -> Result<()> {
        append_bounded(&mut st.msg, data, limits)
    }

    fn sign(st: &Self::SignState, _: Option<&mut Rng<'_>>) -> Result<Signature> {
        // The expansion and the public key both come from this key's one seed.
        let vk = st.key.sk.verifying_key();
        Ok(raw_sign::<Sha512>(&st.key.esk, &st.msg, &vk))
    }

    fn verify_open(pk: &VerifyingKey) -> Result<Self::VerifyState> {
        Ok(Transcript {
            key: *pk,
            msg: Zeroizing::new(Vec::new()),
        })
    }

    fn verify_update(st: &mut Self::VerifyState, data: &[u8], limits: &Limits) -> Result<()> {
        append_bounded(&mut st.msg, data, limits)
    }

    fn sign_state_heap(st: &Self::SignState) -> usize {
        st.msg.capacity()
    }

    fn verify_state_heap(st: &Self::VerifyState) -> usize {
        st.msg.capacity()
    }

    fn verify(st: &Self::VerifyState, sig: &Signature) -> Result<()> {
        st.key
            .verify_strict(&st.msg, sig)
            .map_err(|_| Error::VerificationFailed)
    }
}
