//! `ECDSA_P256_SHA256` and `ECDSA_K256_SHA256` (FIPS 186-5 / SEC 1 ECDSA over P-256 and
//! secp256k1 with SHA-256), on the RustCrypto `ecdsa`, `p256` and `k256` crates.
//!
//! - States hash incrementally; `sign` finalizes a copy, so the state goes on absorbing and
//!   every signature covers the whole transcript.
//! - Nonces: RFC 6979 deterministic nonces hedged with 32 bytes from the context's generator
//!   (RFC 6979 §3.6 additional data), so a fault or a weak generator alone leaks nothing.
//! - Signing always returns low-S (`s ≤ n/2`). Verification is plain ECDSA: a valid high-S
//!   signature verifies (it is normalized before the check, since k256 refuses high-S), which
//!   is what Wycheproof's `ecdsa_secp256k1_sha256` files expect.
//! - Signatures: `raw` is `r ‖ s`, 32 bytes each; `der` the ASN.1 `ECDSA-Sig-Value`.
//!   Malformed bytes, `r` or `s` of zero or not below the group order: `invalid_signature`.

use ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier, RandomizedPrehashSigner};
use sha2::{Digest, Sha256};

use super::{Algorithm, Exported, Family, Keys, Rng, Signing, ec, exported};
use crate::budget::Limits;
use crate::errno::{Error, Result};
use crate::types::{
    AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding, SignatureEncoding,
};

/// Defines one ECDSA family over a curve crate.
macro_rules! ecdsa_family {
    ($(#[$doc:meta])* $family:ident, $curve:ident :: $point:ident, $name:literal) => {
        $(#[$doc])*
        pub(crate) struct $family;

        impl Keys for $family {
            const ALGORITHMS: &'static [Algorithm] = &[Algorithm {
                name: $name,
                alg_type: AlgorithmType::Signatures,
                family: Family::$family,
            }];
            type Secret = $curve::ecdsa::SigningKey;
            type Public = $curve::ecdsa::VerifyingKey;

            fn generate(_: &'static Algorithm, rng: &mut Rng<'_>) -> Result<Self::Secret> {
                Ok($curve::ecdsa::SigningKey::from(
                    <$curve::SecretKey as elliptic_curve::Generate>::generate_from_rng(rng),
                ))
            }

            fn secret_import(
                _: &'static Algorithm,
                enc: SecretkeyEncoding,
                bytes: &[u8],
            ) -> Result<Self::Secret> {
                ec::secret_import::<$curve::$point>(enc, bytes).map(Into::into)
            }

            fn secret_export(sk: &Self::Secret, enc: SecretkeyEncoding) -> Result<Exported> {
                ec::secret_export(&$curve::SecretKey::from(sk), enc)
            }

            fn keypair_import(
                alg: &'static Algorithm,
                enc: KeypairEncoding,
                bytes: &[u8],
            ) -> Result<(Self::Secret, Self::Public)> {
                let sk = Self::secret_import(alg, super::keypair_encoding(enc), bytes)?;
                let pk = *sk.verifying_key();
                Ok((sk, pk))
            }

            fn keypair_export(
                sk: &Self::Secret,
                _: &Self::Public,
                enc: KeypairEncoding,
            ) -> Result<Exported> {
                Self::secret_export(sk, super::keypair_encoding(enc))
            }

            fn public_import(
                _: &'static Algorithm,
                enc: PublickeyEncoding,
                bytes: &[u8],
            ) -> Result<Self::Public> {
                ec::public_import::<$curve::$point>(enc, bytes).map(Into::into)
            }

            fn public_export(pk: &Self::Public, enc: PublickeyEncoding) -> Result<Exported> {
                ec::public_export(&$curve::PublicKey::from(pk), enc)
            }

            /// A decoded key is on the curve and not the identity, and the group has prime
            /// order: nothing more to check.
            fn public_verify(_: &Self::Public) -> Result<()> {
                Ok(())
            }

            fn public_of(sk: &Self::Secret) -> Self::Public {
                *sk.verifying_key()
            }

            fn matches(sk: &Self::Secret, pk: &Self::Public) -> bool {
                ec::matches(&$curve::SecretKey::from(sk), &$curve::PublicKey::from(pk))
            }
        }

        impl Signing for $family {
            type Signature = $curve::ecdsa::Signature;
            type SignState = (Self::Secret, Sha256);
            type VerifyState = (Self::Public, Sha256);

            fn signature_import(enc: SignatureEncoding, bytes: &[u8]) -> Result<Self::Signature> {
                match enc {
                    SignatureEncoding::Raw => $curve::ecdsa::Signature::from_slice(bytes),
                    SignatureEncoding::Der => $curve::ecdsa::Signature::from_der(bytes),
                }
                .map_err(|_| Error::InvalidSignature)
            }

            fn signature_export(sig: &Self::Signature, enc: SignatureEncoding) -> Result<Exported> {
                match enc {
                    SignatureEncoding::Raw => exported(&sig.to_bytes()),
                    SignatureEncoding::Der => exported(sig.to_der().as_bytes()),
                }
            }

            fn sign_open(sk: &Self::Secret, _: &Self::Public) -> Result<Self::SignState> {
                Ok((sk.clone(), Sha256::new()))
            }

            fn sign_update(st: &mut Self::SignState, data: &[u8], _: &Limits) -> Result<()> {
                st.1.update(data);
                Ok(())
            }

            fn sign(st: &Self::SignState, rng: Option<&mut Rng<'_>>) -> Result<Self::Signature> {
                let digest = st.1.clone().finalize();
                let sig: $curve::ecdsa::Signature = match rng {
                    Some(rng) => st.0.sign_prehash_with_rng(rng, &digest),
                    // A deterministic context: plain RFC 6979.
                    None => st.0.sign_prehash(&digest),
                }
                .map_err(|_| Error::AlgorithmFailure)?;
                Ok(sig.normalize_s())
            }

            fn verify_open(pk: &Self::Public) -> Result<Self::VerifyState> {
                Ok((*pk, Sha256::new()))
            }

            fn verify_update(st: &mut Self::VerifyState, data: &[u8], _: &Limits) -> Result<()> {
                st.1.update(data);
                Ok(())
            }

            fn verify(st: &Self::VerifyState, sig: &Self::Signature) -> Result<()> {
                let digest = st.1.clone().finalize();
                // Plain ECDSA accepts (r, s) and (r, n - s) alike; k256 only takes low-S.
                st.0
                    .verify_prehash(&digest, &sig.normalize_s())
                    .map_err(|_| Error::VerificationFailed)
            }
        }
    };
}

// Signing keys wipe themselves when dropped (checked at compile time).
const _: fn() = || {
    fn wipes_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wipes_on_drop::<p256::ecdsa::SigningKey>();
    wipes_on_drop::<k256::ecdsa::SigningKey>();
};

ecdsa_family! {
    /// ECDSA over NIST P-256 with SHA-256.
    EcdsaP256, p256::NistP256, "ECDSA_P256_SHA256"
}

ecdsa_family! {
    /// ECDSA over secp256k1 with SHA-256.
    EcdsaK256, k256::Secp256k1, "ECDSA_K256_SHA256"
}
