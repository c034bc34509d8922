//! Key encodings of the short-Weierstrass curves (P-256, secp256k1), shared by ECDSA and
//! P-256 ECDH, all through the RustCrypto `elliptic-curve`/`sec1`/`pkcs8`/`spki` crates.
//!
//! - Secret key `raw`: the big-endian scalar, exactly the field size (also key pair `raw`).
//! - Secret key and key pair `pkcs8`: PKCS#8 `PrivateKeyInfo` (RFC 5915 inside); `pem` of it.
//! - Public key `raw`: compressed SEC1; `sec`: compressed or uncompressed on import,
//!   uncompressed on export; `pkcs8`: SubjectPublicKeyInfo; `pem` of it.
//! - `local` and every other combination: `unsupported_encoding`.
//!
//! Every decoding failure is `invalid_key`: a point off the curve, the identity, a scalar of
//! zero or not below the group order, a wrong length, malformed DER or PEM.

use elliptic_curve::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use elliptic_curve::pkcs8::{DecodePublicKey, EncodePublicKey};
use elliptic_curve::point::PointCompression;
use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize, PublicKey, SecretKey};
use pkcs8::AssociatedOid;
use subtle::ConstantTimeEq;

use super::{Exported, der_or_pem, exported, pem_text as utf8};
use crate::errno::{Error, Result};
use crate::types::{PublickeyEncoding, SecretkeyEncoding};

/// The curves of this module: what `elliptic-curve` needs for SEC1 and PKCS#8.
pub(crate) trait EcCurve: CurveArithmetic + AssociatedOid + PointCompression
where
    AffinePoint<Self>: FromSec1Point<Self> + ToSec1Point<Self>,
    FieldBytesSize<Self>: ModulusSize,
{
}

impl<C> EcCurve for C
where
    C: CurveArithmetic + AssociatedOid + PointCompression,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
}

/// Length of a field element and of a raw secret scalar.
fn field_len<C: CurveArithmetic>() -> usize {
    <FieldBytesSize<C> as elliptic_curve::array::typenum::Unsigned>::USIZE
}

/// The secret scalar from exactly `field_len` big-endian bytes (no shorter form accepted).
fn secret_raw<C>(bytes: &[u8]) -> Result<SecretKey<C>>
where
    C: EcCurve,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    if bytes.len() != field_len::<C>() {
        return Err(Error::InvalidKey);
    }
    SecretKey::<C>::from_slice(bytes).map_err(|_| Error::InvalidKey)
}

/// `secretkey_import` (also `keypair_import`, which takes the same encodings here).
pub(crate) fn secret_import<C>(enc: SecretkeyEncoding, bytes: &[u8]) -> Result<SecretKey<C>>
where
    C: EcCurve,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    match enc {
        SecretkeyEncoding::Raw => secret_raw::<C>(bytes),
        SecretkeyEncoding::Pkcs8 => {
            SecretKey::<C>::from_pkcs8_der(bytes).map_err(|_| Error::InvalidKey)
        }
        SecretkeyEncoding::Pem => {
            SecretKey::<C>::from_pkcs8_pem(utf8(bytes)?).map_err(|_| Error::InvalidKey)
        }
        SecretkeyEncoding::Sec | SecretkeyEncoding::Local => Err(Error::UnsupportedEncoding),
    }
}

/// `secretkey_export`.
pub(crate) fn secret_export<C>(sk: &SecretKey<C>, enc: SecretkeyEncoding) -> Result<Exported>
where
    C: EcCurve,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    match enc {
        SecretkeyEncoding::Raw => {
            let mut b = sk.to_bytes();
            let out = exported(&b);
            zeroize::Zeroize::zeroize(b.as_mut_slice());
            out
        }
        SecretkeyEncoding::Pkcs8 | SecretkeyEncoding::Pem => {
            let doc = sk.to_pkcs8_der().map_err(|_| Error::AlgorithmFailure)?;
            der_or_pem(doc.as_bytes(), "PRIVATE KEY", enc == SecretkeyEncoding::Pem)
        }
        SecretkeyEncoding::Sec | SecretkeyEncoding::Local => Err(Error::UnsupportedEncoding),
    }
}

/// `publickey_import`.
pub(crate) fn public_import<C>(enc: PublickeyEncoding, bytes: &[u8]) -> Result<PublicKey<C>>
where
    C: EcCurve,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    match enc {
        PublickeyEncoding::Raw => {
            // Compressed SEC1 only: tag 02/03 and one field element.
            let compressed = bytes.len() == field_len::<C>().saturating_add(1)
                && matches!(bytes.first(), Some(2 | 3));
            if !compressed {
                return Err(Error::InvalidKey);
            }
            PublicKey::<C>::from_sec1_bytes(bytes).map_err(|_| Error::InvalidKey)
        }
        PublickeyEncoding::Sec => {
            PublicKey::<C>::from_sec1_bytes(bytes).map_err(|_| Error::InvalidKey)
        }
        PublickeyEncoding::Pkcs8 => {
            PublicKey::<C>::from_public_key_der(bytes).map_err(|_| Error::InvalidKey)
        }
        PublickeyEncoding::Pem => {
            PublicKey::<C>::from_public_key_pem(utf8(bytes)?).map_err(|_| Error::InvalidKey)
        }
        PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
    }
}

/// `publickey_export`.
pub(crate) fn public_export<C>(pk: &PublicKey<C>, enc: PublickeyEncoding) -> Result<Exported>
where
    C: EcCurve,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    match enc {
        PublickeyEncoding::Raw => exported(pk.to_sec1_point(true).as_bytes()),
        PublickeyEncoding::Sec => exported(pk.to_sec1_point(false).as_bytes()),
        PublickeyEncoding::Pkcs8 | PublickeyEncoding::Pem => {
            let doc = pk
                .to_public_key_der()
                .map_err(|_| Error::AlgorithmFailure)?;
            der_or_pem(doc.as_bytes(), "PUBLIC KEY", enc == PublickeyEncoding::Pem)
        }
        PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
    }
}

/// Whether `pk` is `sk`'s public key (compared as compressed points, in constant time).
pub(crate) fn matches<C>(sk: &SecretKey<C>, pk: &PublicKey<C>) -> bool
where
    C: EcCurve,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
{
    let mine = sk.public_key().to_sec1_point(true);
    let theirs = pk.to_sec1_point(true);
    bool::from(mine.as_bytes().ct_eq(theirs.as_bytes()))
}
