//! `X25519`: Diffie-Hellman over Curve25519 (RFC 7748 §5, §6.1), on `curve25519-dalek`.
//!
//! - Secret key `raw`: 32 bytes, clamped when used (RFC 7748 §5). Public key `raw`: the
//!   32-byte u-coordinate; any 32 bytes import (RFC 7748 accepts every string; the top bit is
//!   ignored). Key pair `raw`: public ‖ secret, the halves checked against each other.
//! - `pkcs8`/`pem` (RFC 8410, `id-X25519`): `OneAsymmetricKey` for secret keys and key pairs
//!   (an embedded public key must match), SubjectPublicKeyInfo for public keys, through the
//!   `pkcs8`/`spki`/`der` crates. `sec` and `local`: `unsupported_encoding`.
//! - `kx_dh` whose result is all zero (a small-order public key): `invalid_key`, checked in
//!   constant time on the result. `publickey_verify` refuses small-order points (on the curve
//!   or its twist) the same way.
//! - The public key of a secret key uses the Edwards base-point tables (fixed-base). The shared
//!   secret of a point on the curve is computed on its Edwards form, whose variable-base
//!   multiplication has vectorized backends (about twice the ladder's speed here); a point on
//!   the twist, which has no Edwards form, takes the Montgomery ladder. Which path runs depends
//!   only on the public key; both are constant time in the secret, and both multiply by the
//!   clamped, unreduced scalar, so they agree on every input (Wycheproof's 518 cases include
//!   twist, low-order and non-canonical points).

use curve25519_dalek::montgomery::MontgomeryPoint;
use der::asn1::{BitStringRef, OctetStringRef};
use der::{Decode, Document, SecretDocument};
use pkcs8::{ObjectIdentifier, PrivateKeyInfoRef};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{Algorithm, Dh, Exported, Family, Keys, Rng, der_or_pem, exported, pem_text as utf8};
use crate::errno::{Error, Result};
use crate::types::{AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding};

/// The X25519 family.
pub(crate) struct X25519;

/// An X25519 secret scalar, as imported (clamped at use). Wiped on drop.
#[derive(Clone)]
pub(crate) struct Secret([u8; 32]);

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.as_mut_slice().zeroize();
        #[cfg(test)]
        crate::zeroize_tests::wiped("x25519 secret", &self.0);
    }
}

impl ZeroizeOnDrop for Secret {}

/// A scalar with bits 0–2 clear and a large nonzero cofactor-free part: `[k]P` is zero exactly
/// when `P` has small order.
const SMALL_ORDER_PROBE: [u8; 32] = [0xff; 32];

/// `[clamp(k)]P`, as the u-coordinate.
fn mul(p: &MontgomeryPoint, k: [u8; 32]) -> MontgomeryPoint {
    // Either sign gives the same u: [k](-P) = -[k]P.
    match p.to_edwards(0) {
        Some(e) => {
            let mut shared = e.mul_clamped(k);
            let u = shared.to_montgomery();
            shared.zeroize();
            u
        }
        None => p.mul_clamped(k),
    }
}

fn is_zero(p: &MontgomeryPoint) -> bool {
    bool::from(p.as_bytes().ct_eq(&[0u8; 32]))
}

fn raw32(bytes: &[u8]) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| Error::InvalidKey)
}

/// `id-X25519` (RFC 8410 §3), with absent parameters.
const ID_X25519: AlgorithmIdentifierRef<'static> = AlgorithmIdentifierRef {
    oid: ObjectIdentifier::new_unwrap("1.3.101.110"),
    parameters: None,
};

fn from_pem(bytes: &[u8], label: &str) -> Result<SecretDocument> {
    let (got, doc) = SecretDocument::from_pem(utf8(bytes)?).map_err(|_| Error::InvalidKey)?;
    if got != label {
        return Err(Error::InvalidKey);
    }
    Ok(doc)
}

/// A `OneAsymmetricKey` of `id-X25519`: the secret and, when present, the public key.
fn pkcs8_decode(der: &[u8]) -> Result<(Secret, Option<MontgomeryPoint>)> {
    let info = PrivateKeyInfoRef::from_der(der).map_err(|_| Error::InvalidKey)?;
    if info.algorithm != ID_X25519 {
        return Err(Error::InvalidKey);
    }
    // RFC 8410 §7: the private key is an OCTET STRING inside the OCTET STRING.
    let inner =
        <&OctetStringRef>::from_der(info.private_key.as_bytes()).map_err(|_| Error::InvalidKey)?;
    let sk = Secret(raw32(inner.as_bytes())?);
    let pk = match info.public_key {
        None => None,
        Some(bits) => Some(MontgomeryPoint(raw32(
            bits.as_bytes().ok_or(Error::InvalidKey)?,
        )?)),
    };
    Ok((sk, pk))
}

fn pkcs8_encode(sk: &Secret, pk: Option<&MontgomeryPoint>, pem: bool) -> Result<Exported> {
    let mut inner = [0u8; 34];
    let (head, body) = inner.split_at_mut(2);
    head.copy_from_slice(&[0x04, 0x20]);
    body.copy_from_slice(&sk.0);
    let doc = (|| {
        let info = PrivateKeyInfoRef {
            algorithm: ID_X25519,
            private_key: OctetStringRef::new(&inner)?,
            public_key: pk.map(|p| BitStringRef::new(0, p.as_bytes())).transpose()?,
        };
        SecretDocument::encode_msg(&info)
    })();
    inner.zeroize();
    let doc = doc.map_err(|_| Error::AlgorithmFailure)?;
    der_or_pem(doc.as_bytes(), "PRIVATE KEY", pem)
}

fn spki_decode(der: &[u8]) -> Result<MontgomeryPoint> {
    let info = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| Error::InvalidKey)?;
    if info.algorithm != ID_X25519 {
        return Err(Error::InvalidKey);
    }
    let bytes = info
        .subject_public_key
        .as_bytes()
        .ok_or(Error::InvalidKey)?;
    raw32(bytes).map(MontgomeryPoint)
}

fn spki_encode(pk: &MontgomeryPoint, pem: bool) -> Result<Exported> {
    let doc = BitStringRef::new(0, pk.as_bytes())
        .and_then(|bits| {
            Document::encode_msg(&SubjectPublicKeyInfoRef {
                algorithm: ID_X25519,
                subject_public_key: bits,
            })
        })
        .map_err(|_| Error::AlgorithmFailure)?;
    der_or_pem(doc.as_bytes(), "PUBLIC KEY", pem)
}

/// A secret key and its optional embedded public key from `pkcs8`/`pem`.
fn secret_decode(
    enc: SecretkeyEncoding,
    bytes: &[u8],
) -> Result<(Secret, Option<MontgomeryPoint>)> {
    match enc {
        SecretkeyEncoding::Raw => Ok((Secret(raw32(bytes)?), None)),
        SecretkeyEncoding::Pkcs8 => pkcs8_decode(bytes),
        SecretkeyEncoding::Pem => pkcs8_decode(from_pem(bytes, "PRIVATE KEY")?.as_bytes()),
        SecretkeyEncoding::Sec | SecretkeyEncoding::Local => Err(Error::UnsupportedEncoding),
    }
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
        let (sk, pk) = secret_decode(enc, bytes)?;
        match pk {
            Some(pk) if !Self::matches(&sk, &pk) => Err(Error::InvalidKey),
            _ => Ok(sk),
        }
    }

    fn secret_export(sk: &Secret, enc: SecretkeyEncoding) -> Result<Exported> {
        match enc {
            SecretkeyEncoding::Raw => exported(&sk.0),
            SecretkeyEncoding::Pkcs8 => pkcs8_encode(sk, None, false),
            SecretkeyEncoding::Pem => pkcs8_encode(sk, None, true),
            SecretkeyEncoding::Sec | SecretkeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn keypair_import(
        _: &'static Algorithm,
        enc: KeypairEncoding,
        bytes: &[u8],
    ) -> Result<(Secret, MontgomeryPoint)> {
        let (sk, pk) = match enc {
            KeypairEncoding::Raw => {
                let (pk, sk) = bytes.split_at_checked(32).ok_or(Error::InvalidKey)?;
                (Secret(raw32(sk)?), Some(MontgomeryPoint(raw32(pk)?)))
            }
            KeypairEncoding::Pkcs8 => secret_decode(SecretkeyEncoding::Pkcs8, bytes)?,
            KeypairEncoding::Pem => secret_decode(SecretkeyEncoding::Pem, bytes)?,
            KeypairEncoding::Local => return Err(Error::UnsupportedEncoding),
        };
        match pk {
            Some(pk) if !Self::matches(&sk, &pk) => Err(Error::InvalidKey),
            Some(pk) => Ok((sk, pk)),
            None => {
                let pk = Self::public_of(&sk);
                Ok((sk, pk))
            }
        }
    }

    fn keypair_export(sk: &Secret, pk: &MontgomeryPoint, enc: KeypairEncoding) -> Result<Exported> {
        match enc {
            KeypairEncoding::Raw => {}
            KeypairEncoding::Pkcs8 => return pkcs8_encode(sk, Some(pk), false),
            KeypairEncoding::Pem => return pkcs8_encode(sk, Some(pk), true),
            KeypairEncoding::Local => return Err(Error::UnsupportedEncoding),
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
            PublickeyEncoding::Pkcs8 => spki_decode(bytes),
            PublickeyEncoding::Pem => {
                let (label, doc) =
                    Document::from_pem(utf8(bytes)?).map_err(|_| Error::InvalidKey)?;
                if label != "PUBLIC KEY" {
                    return Err(Error::InvalidKey);
                }
                spki_decode(doc.as_bytes())
            }
            PublickeyEncoding::Sec | PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_export(pk: &MontgomeryPoint, enc: PublickeyEncoding) -> Result<Exported> {
        match enc {
            PublickeyEncoding::Raw => exported(pk.as_bytes()),
            PublickeyEncoding::Pkcs8 => spki_encode(pk, false),
            PublickeyEncoding::Pem => spki_encode(pk, true),
            PublickeyEncoding::Sec | PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_verify(pk: &MontgomeryPoint) -> Result<()> {
        if is_zero(&mul(pk, SMALL_ORDER_PROBE)) {
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
        let mut shared = mul(pk, sk.0);
        let out = if is_zero(&shared) {
            Err(Error::InvalidKey)
        } else {
            exported(shared.as_bytes())
        };
        shared.zeroize();
        out
    }
}
