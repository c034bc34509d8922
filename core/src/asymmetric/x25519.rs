//! `X25519`: Diffie-Hellman over Curve25519 (RFC 7748 §5, §6.1), on `curve25519-dalek`.
//!
//! - Secret key `raw`: 32 bytes, clamped when used (RFC 7748 §5). Public key `raw`: the
//!   32-byte u-coordinate; any 32 bytes import (RFC 7748 accepts every string; the top bit is
//!   ignored). Key pair `raw`: public ‖ secret, the halves checked against each other.
//!   Every other encoding: `unsupported_encoding`.
//! - `kx_dh` whose result is all zero (a small-order public key): `invalid_key`, checked in
//!   constant time on the result. `publickey_verify` refuses small-order points (on the curve
//!   or its twist) the same way.
//! - The public key of a secret key uses the Edwards base-point tables (fixed-base), the shared
//!   secret the Montgomery ladder; both are constant time in the secret.

use curve25519_dalek::montgomery::MontgomeryPoint;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{Algorithm, Dh, Exported, Family, Keys, Rng, exported};
use crate::errno::{Error, Result};
use crate::types::{AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding};

/// The X25519 family.
pub(crate) struct X25519;

/// An X25519 secret scalar, as imported (clamped at use).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct Secret([u8; 32]);

/// A scalar with bits 0–2 clear and a large nonzero cofactor-free part: `[k]P` is zero exactly
/// when `P` has small order.
const SMALL_ORDER_PROBE: [u8; 32] = [0xff; 32];

fn is_zero(p: &MontgomeryPoint) -> bool {
    bool::from(p.as_bytes().ct_eq(&[0u8; 32]))
}

fn raw32(bytes: &[u8]) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| Error::InvalidKey)
}

impl Keys for X25519 {
    const ALGORITHMS: &'static [Algorithm] = &[Algorithm {
        name: "X25519",
        alg_type: AlgorithmType::KeyExchange,
        family: Family::X25519,
    }];
    type Secret = Secret;
    type Public = MontgomeryPoint;

    fn generate(_: &'static Algorithm, rng: &mut Rng<'_>) -> Result<Secret> {
        let mut s = Secret([0u8; 32]);
        rng.0.fill(&mut s.0);
        Ok(s)
    }

    fn secret_import(
        _: &'static Algorithm,
        enc: SecretkeyEncoding,
        bytes: &[u8],
    ) -> Result<Secret> {
        match enc {
            SecretkeyEncoding::Raw => raw32(bytes).map(Secret),
            _ => Err(Error::UnsupportedEncoding),
        }
    }

    fn secret_export(sk: &Secret, enc: SecretkeyEncoding) -> Result<Exported> {
        match enc {
            SecretkeyEncoding::Raw => exported(&sk.0),
            _ => Err(Error::UnsupportedEncoding),
        }
    }

    fn keypair_import(
        _: &'static Algorithm,
        enc: KeypairEncoding,
        bytes: &[u8],
    ) -> Result<(Secret, MontgomeryPoint)> {
        if enc != KeypairEncoding::Raw {
            return Err(Error::UnsupportedEncoding);
        }
        let (pk, sk) = bytes.split_at_checked(32).ok_or(Error::InvalidKey)?;
        let pk = MontgomeryPoint(raw32(pk)?);
        let sk = Secret(raw32(sk)?);
        if !Self::matches(&sk, &pk) {
            return Err(Error::InvalidKey);
        }
        Ok((sk, pk))
    }

    fn keypair_export(sk: &Secret, pk: &MontgomeryPoint, enc: KeypairEncoding) -> Result<Exported> {
        if enc != KeypairEncoding::Raw {
            return Err(Error::UnsupportedEncoding);
        }
        let mut both = [0u8; 64];
        let (p, s) = both.split_at_mut(32);
        p.copy_from_slice(pk.as_bytes());
        s.copy_from_slice(&sk.0);
        let out = exported(&both);
        both.zeroize();
        out
    }

    fn public_import(
        _: &'static Algorithm,
        enc: PublickeyEncoding,
        bytes: &[u8],
    ) -> Result<MontgomeryPoint> {
        match enc {
            PublickeyEncoding::Raw => raw32(bytes).map(MontgomeryPoint),
            _ => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_export(pk: &MontgomeryPoint, enc: PublickeyEncoding) -> Result<Exported> {
        match enc {
            PublickeyEncoding::Raw => exported(pk.as_bytes()),
            _ => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_verify(pk: &MontgomeryPoint) -> Result<()> {
        if is_zero(&pk.mul_clamped(SMALL_ORDER_PROBE)) {
            Err(Error::InvalidKey)
        } else {
            Ok(())
        }
    }

    fn public_of(sk: &Secret) -> MontgomeryPoint {
        MontgomeryPoint::mul_base_clamped(sk.0)
    }

    fn matches(sk: &Secret, pk: &MontgomeryPoint) -> bool {
        bool::from(Self::public_of(sk).as_bytes().ct_eq(pk.as_bytes()))
    }
}

impl Dh for X25519 {
    fn dh(sk: &Secret, pk: &MontgomeryPoint) -> Result<Exported> {
        let mut shared = pk.mul_clamped(sk.0);
        let out = if is_zero(&shared) {
            Err(Error::InvalidKey)
        } else {
            exported(shared.as_bytes())
        };
        shared.zeroize();
        out
    }
}
