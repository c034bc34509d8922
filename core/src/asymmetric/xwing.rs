//! `X-WING`: the hybrid KEM of draft-connolly-cfrg-xwing-kem (ML-KEM-768 + X25519, combined
//! with SHA3-256), on the RustCrypto `x-wing` crate (which composes `ml-kem`, `x25519-dalek`
//! over our `curve25519-dalek`, and `sha3`).
//!
//! - Encodings are the draft's: public key `raw` = the 1216-byte encapsulation key
//!   (`pk_M ‖ pk_X`; the ML-KEM half gets the FIPS 203 §7.2 modulus check, `invalid_key`);
//!   secret key and key pair `raw` = the 32-byte decapsulation key (the seed the draft expands
//!   with SHAKE256 into both halves). Every other encoding: `unsupported_encoding`.
//! - `kx_encapsulate`: (32-byte shared secret, 1120-byte ciphertext), the 64 bytes of
//!   encapsulation randomness from the context's generator. `kx_decapsulate` with a ciphertext
//!   of another length: `verification_failed`; one of the right length always decapsulates
//!   (ML-KEM's implicit rejection makes a forged one give a pseudorandom secret). X25519
//!   ciphertext halves of small order are not refused, as in the draft.
//! - Keys live in a fallible [`KemBox`]; the decapsulation key wipes its seed on drop.

use x_wing::{Decapsulate, Encapsulate, KeyExport as _, TryKeyInit as _};

use super::mlkem::KemBox;
use super::{Algorithm, Exported, Family, Kem, Keys, Rng, exported};
use crate::errno::{Error, Result};
use crate::types::{AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding};

/// The X-Wing family.
pub(crate) struct XWing;

// The decapsulation key wipes its seed when dropped (checked at compile time).
const _: fn() = || {
    fn wipes_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wipes_on_drop::<x_wing::DecapsulationKey>();
};

type Secret = KemBox<x_wing::DecapsulationKey>;
type Public = KemBox<x_wing::EncapsulationKey>;

fn decode(bytes: &[u8]) -> Result<Secret> {
    let mut seed: [u8; x_wing::DECAPSULATION_KEY_SIZE] =
        bytes.try_into().map_err(|_| Error::InvalidKey)?;
    let sk = KemBox::new(x_wing::DecapsulationKey::from(seed));
    zeroize::Zeroize::zeroize(&mut seed);
    sk
}

fn encode(sk: &Secret) -> Result<Exported> {
    exported(sk.get()?.as_bytes())
}

impl Keys for XWing {
    const ALGORITHMS: &'static [Algorithm] = &[Algorithm {
        name: "X-WING",
        alg_type: AlgorithmType::KeyExchange,
        family: Family::XWing,
    }];
    type Secret = Secret;
    type Public = Public;

    fn secret_heap(sk: &Secret) -> usize {
        sk.heap_bytes()
    }

    fn public_heap(pk: &Public) -> usize {
        pk.heap_bytes()
    }

    fn generate(_: &'static Algorithm, rng: &mut Rng<'_>) -> Result<Secret> {
        let mut seed = [0u8; x_wing::DECAPSULATION_KEY_SIZE];
        rng.0.fill(&mut seed);
        let sk = decode(&seed);
        zeroize::Zeroize::zeroize(&mut seed);
        sk
    }

    fn secret_import(
        _: &'static Algorithm,
        enc: SecretkeyEncoding,
        bytes: &[u8],
    ) -> Result<Secret> {
        match enc {
            SecretkeyEncoding::Raw => decode(bytes),
            SecretkeyEncoding::Pkcs8
            | SecretkeyEncoding::Pem
            | SecretkeyEncoding::Sec
            | SecretkeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn secret_export(sk: &Secret, enc: SecretkeyEncoding) -> Result<Exported> {
        match enc {
            SecretkeyEncoding::Raw => encode(sk),
            SecretkeyEncoding::Pkcs8
            | SecretkeyEncoding::Pem
            | SecretkeyEncoding::Sec
            | SecretkeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn keypair_import(
        alg: &'static Algorithm,
        enc: KeypairEncoding,
        bytes: &[u8],
    ) -> Result<(Secret, Public)> {
        let sk = Self::secret_import(alg, super::keypair_encoding(enc), bytes)?;
        let pk = Self::try_public_of(&sk)?;
        Ok((sk, pk))
    }

    fn keypair_export(sk: &Secret, _: &Public, enc: KeypairEncoding) -> Result<Exported> {
        Self::secret_export(sk, super::keypair_encoding(enc))
    }

    fn public_import(
        _: &'static Algorithm,
        enc: PublickeyEncoding,
        bytes: &[u8],
    ) -> Result<Public> {
        match enc {
            PublickeyEncoding::Raw => {
                let ek = x_wing::EncapsulationKey::new_from_slice(bytes)
                    .map_err(|_| Error::InvalidKey)?;
                KemBox::new(ek)
            }
            PublickeyEncoding::Pkcs8
            | PublickeyEncoding::Pem
            | PublickeyEncoding::Sec
            | PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_export(pk: &Public, enc: PublickeyEncoding) -> Result<Exported> {
        match enc {
            PublickeyEncoding::Raw => exported(&pk.get()?.to_bytes()),
            PublickeyEncoding::Pkcs8
            | PublickeyEncoding::Pem
            | PublickeyEncoding::Sec
            | PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
        }
    }

    fn public_verify(pk: &Public) -> Result<()> {
        // Checked in full at import; only a lost box could fail here.
        pk.get().map(|_| ())
    }

    fn public_of(sk: &Secret) -> Public {
        // Not reached from the context, which calls `try_public_of`.
        sk.map_infallible(|dk| x_wing::Decapsulator::encapsulation_key(dk).clone())
    }

    fn try_public_of(sk: &Secret) -> Result<Public> {
        KemBox::new(x_wing::Decapsulator::encapsulation_key(sk.get()?).clone())
    }

    fn try_clone_secret(sk: &Secret) -> Result<Secret> {
        sk.try_clone()
    }

    fn try_clone_public(pk: &Public) -> Result<Public> {
        pk.try_clone()
    }

    fn matches(sk: &Secret, pk: &Public) -> bool {
        match (sk.get(), pk.get()) {
            (Ok(s), Ok(p)) => x_wing::Decapsulator::encapsulation_key(s) == p,
            _ => false,
        }
    }
}

impl Kem for XWing {
    fn encapsulate(pk: &Public, rng: &mut Rng<'_>) -> Result<(Exported, Exported)> {
        let (ct, mut ss) = pk.get()?.encapsulate_with_rng(rng);
        let out = exported(&ss);
        zeroize::Zeroize::zeroize(ss.as_mut_slice());
        Ok((out?, exported(&ct)?))
    }

    fn decapsulate(sk: &Secret, ct: &[u8]) -> Result<Exported> {
        let ct = x_wing::Ciphertext::try_from(ct).map_err(|_| Error::VerificationFailed)?;
        let mut ss = sk.get()?.decapsulate(&ct);
        let out = exported(&ss);
        zeroize::Zeroize::zeroize(ss.as_mut_slice());
        out
    }
}
