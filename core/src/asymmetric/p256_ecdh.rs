//! `P256-SHA256`: ECDH over NIST P-256 (SEC 1 §3.3.1), on `p256`.
//!
//! Keys take the encodings of every short-Weierstrass curve here (`ec`): secret and key pair
//! `raw` (the big-endian scalar), `pkcs8`, `pem`; public `raw` (compressed SEC1), `sec`,
//! `pkcs8` (SubjectPublicKeyInfo), `pem`. `kx_dh` returns the 32-byte x-coordinate of the
//! shared point, the form Wycheproof and NIST CAVP test; a decoded public key is always on the
//! curve and not the identity, and the group has prime order, so the shared point is never the
//! identity.

use p256::{NistP256, PublicKey, SecretKey};

use super::{Algorithm, Dh, Exported, Family, Keys, Rng, ec, exported};
use crate::errno::Result;
use crate::types::{AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding};

/// The P-256 ECDH family.
pub(crate) struct P256Ecdh;

// Secret keys wipe themselves when dropped (checked at compile time).
const _: fn() = || {
    fn wipes_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wipes_on_drop::<SecretKey>();
};

impl Keys for P256Ecdh {
    const ALGORITHMS: &'static [Algorithm] = &[Algorithm {
        name: "P256-SHA256",
        alg_type: AlgorithmType::KeyExchange,
        family: Family::P256Ecdh,
    }];
    type Secret = SecretKey;
    type Public = PublicKey;

    fn generate(_: &'static Algorithm, rng: &mut Rng<'_>) -> Result<SecretKey> {
        Ok(<SecretKey as elliptic_curve::Generate>::generate_from_rng(
            rng,
        ))
    }

    fn secret_import(
        _: &'static Algorithm,
        enc: SecretkeyEncoding,
        bytes: &[u8],
    ) -> Result<SecretKey> {
        ec::secret_import::<NistP256>(enc, bytes)
    }

    fn secret_export(sk: &SecretKey, enc: SecretkeyEncoding) -> Result<Exported> {
        ec::secret_export(sk, enc)
    }

    fn keypair_import(
        _: &'static Algorithm,
        enc: KeypairEncoding,
        bytes: &[u8],
    ) -> Result<(SecretKey, PublicKey)> {
        let sk = ec::secret_import::<NistP256>(super::keypair_encoding(enc), bytes)?;
        let pk = sk.public_key();
        Ok((sk, pk))
    }

    fn keypair_export(sk: &SecretKey, _: &PublicKey, enc: KeypairEncoding) -> Result<Exported> {
        ec::secret_export(sk, super::keypair_encoding(enc))
    }

    fn public_import(
        _: &'static Algorithm,
        enc: PublickeyEncoding,
        bytes: &[u8],
    ) -> Result<PublicKey> {
        ec::public_import::<NistP256>(enc, bytes)
    }

    fn public_export(pk: &PublicKey, enc: PublickeyEncoding) -> Result<Exported> {
        ec::public_export(pk, enc)
    }

    /// On the curve and not the identity by construction; prime-order group.
    fn public_verify(_: &PublicKey) -> Result<()> {
        Ok(())
    }

    fn public_of(sk: &SecretKey) -> PublicKey {
        sk.public_key()
    }

    fn matches(sk: &SecretKey, pk: &PublicKey) -> bool {
        ec::matches(sk, pk)
    }
}

impl Dh for P256Ecdh {
    fn dh(sk: &SecretKey, pk: &PublicKey) -> Result<Exported> {
        let shared = p256::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
        exported(shared.raw_secret_bytes())
    }
}
