//! `ML-KEM-512`, `ML-KEM-768`, `ML-KEM-1024` (FIPS 203, final) on the RustCrypto `ml-kem`
//! crate, and the heap box every KEM key lives in.
//!
//! - `KYBER768`, the name the WASI-crypto specification gives its post-quantum KEM ("as
//!   specified in the most recent submission to NIST"), is another name of `ML-KEM-768`: the
//!   most recent form of Kyber is FIPS 203 ML-KEM. Both names find the same descriptor, so keys
//!   imported under either name work together.
//! - Public key `raw`: the encapsulation key `ek` (800 / 1184 / 1568 bytes), checked on import
//!   per FIPS 203 §7.2 (every coefficient below q: the modulus check); a failure is
//!   `invalid_key`. `publickey_verify` has nothing left to check.
//! - Secret key and key pair `raw`: on export the 64-byte seed `d ‖ z` (FIPS 203 §7.1 keygen
//!   input); on import either the seed or the expanded decapsulation key `dk` (1632 / 2400 /
//!   3168 bytes), told apart by length. An expanded key is checked per FIPS 203 §7.3 (its
//!   embedded `ek` decodes and `H(ek)` equals the embedded hash): `invalid_key` if not. A key
//!   imported in expanded form has no seed: its `raw` export is `unsupported_encoding`.
//! - `local` (secret keys and key pairs, import and export): the expanded decapsulation key,
//!   the only way to get that form out. `pkcs8`, `pem`, `sec`: `unsupported_encoding`.
//! - `kx_encapsulate`: (the 32-byte shared secret, the ciphertext), `m` from the context's
//!   generator. `kx_decapsulate` with a ciphertext of the wrong length: `verification_failed`.
//!   A ciphertext of the right length always decapsulates: a forged one gives the FIPS 203
//!   implicit-rejection secret `J(z ‖ c)`, pseudorandom and deterministic for the key and the
//!   ciphertext, selected in constant time by the crate; no branch here depends on a secret.
//! - Keys are several KiB (an ML-KEM-1024 decapsulation key holds ~4 KiB of polynomials), so
//!   they live in a [`KemBox`], allocated fallibly, and the object enums in handle slots keep
//!   their size. Decapsulation keys wipe themselves on drop (the crate's `zeroize`).
#![allow(
    deprecated,
    reason = "the expanded decapsulation key is an import form the contract keeps (FIPS 203 \
              §7.3 checked); `ml-kem` marks that API deprecated in favour of seeds"
)]

use alloc::vec::Vec;

use ml_kem::{Decapsulate, Encapsulate, ExpandedKeyEncoding as _, KeyExport as _, array::Array};

use super::{Algorithm, Exported, Family, Kem, Keys, Rng, exported};
use crate::errno::{Error, Result};
use crate::types::{AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding};

/// A heap box whose allocation failure is an error (`algorithm_failure`), never an abort: a
/// vector of exactly one element. Copies go through [`KemBox::try_clone`].
pub(crate) struct KemBox<T>(Vec<T>);

impl<T> KemBox<T> {
    /// Bytes of heap held: the one element's allocation (the key types hold no heap of their
    /// own).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.0.capacity().saturating_mul(core::mem::size_of::<T>())
    }
}

impl<T> KemBox<T> {
    pub(crate) fn new(value: T) -> Result<Self> {
        let mut v = Vec::new();
        v.try_reserve_exact(1)
            .map_err(|_| Error::AlgorithmFailure)?;
        v.push(value);
        Ok(KemBox(v))
    }

    pub(crate) fn get(&self) -> Result<&T> {
        self.0.first().ok_or(Error::InternalError)
    }
}

impl<T> KemBox<T> {
    /// `f` of the boxed value, boxed infallibly: only for the `Keys` methods that cannot fail
    /// and that the context does not call (`public_of`).
    pub(crate) fn map_infallible<U>(&self, f: impl Fn(&T) -> U) -> KemBox<U> {
        KemBox(self.0.iter().map(f).collect())
    }
}

impl<T: Clone> KemBox<T> {
    /// A copy in a fresh, fallibly allocated box.
    pub(crate) fn try_clone(&self) -> Result<Self> {
        Self::new(self.get()?.clone())
    }
}

/// Required by the `Keys` bounds; the context copies KEM keys with `try_clone` instead (see
/// `Keys::try_clone_secret`), so this infallible copy is not reached from a guest.
impl<T: Clone> Clone for KemBox<T> {
    fn clone(&self) -> Self {
        KemBox(self.0.clone())
    }
}

/// `KYBER768` names `ML-KEM-768` (see the module documentation).
pub(crate) fn alias(alg_type: AlgorithmType, name: &[u8]) -> Option<&'static Algorithm> {
    let alias = alg_type == AlgorithmType::KeyExchange && crate::types::name_eq(name, "KYBER768");
    alias.then(|| MlKem768::ALGORITHMS.first()).flatten()
}

macro_rules! mlkem_family {
    ($(#[$doc:meta])* $fam:ident, $p:ty, $name:literal, $ek:literal, $dk:literal, $ct:literal) => {
        $(#[$doc])*
        pub(crate) struct $fam;

        impl $fam {
            fn from_seed(seed: &[u8]) -> Result<KemBox<ml_kem::DecapsulationKey<$p>>> {
                let seed: [u8; 64] = seed.try_into().map_err(|_| Error::InvalidKey)?;
                KemBox::new(ml_kem::DecapsulationKey::<$p>::from_seed(seed.into()))
            }

            /// The expanded form, checked per FIPS 203 §7.3.
            fn from_expanded(dk: &[u8]) -> Result<KemBox<ml_kem::DecapsulationKey<$p>>> {
                let dk = Array::try_from(dk).map_err(|_| Error::InvalidKey)?;
                let key = ml_kem::DecapsulationKey::<$p>::from_expanded_bytes(&dk)
                    .map_err(|_| Error::InvalidKey)?;
                KemBox::new(key)
            }

            /// `raw`: the seed or the expanded key; `local`: the expanded key.
            fn decode(
                local: bool,
                bytes: &[u8],
            ) -> Result<KemBox<ml_kem::DecapsulationKey<$p>>> {
                match bytes.len() {
                    64 if !local => Self::from_seed(bytes),
                    $dk => Self::from_expanded(bytes),
                    _ => Err(Error::InvalidKey),
                }
            }

            fn encode(
                sk: &KemBox<ml_kem::DecapsulationKey<$p>>,
                local: bool,
            ) -> Result<Exported> {
                let dk = sk.get()?;
                if local {
                    let mut expanded = dk.to_expanded_bytes();
                    let out = exported(&expanded);
                    zeroize::Zeroize::zeroize(expanded.as_mut_slice());
                    return out;
                }
                let mut seed = dk.to_seed().ok_or(Error::UnsupportedEncoding)?;
                let out = exported(&seed);
                zeroize::Zeroize::zeroize(seed.as_mut_slice());
                out
            }
        }

        impl Keys for $fam {
            const ALGORITHMS: &'static [Algorithm] = &[Algorithm {
                name: $name,
                alg_type: AlgorithmType::KeyExchange,
                family: Family::$fam,
            }];
            type Secret = KemBox<ml_kem::DecapsulationKey<$p>>;
            type Public = KemBox<ml_kem::EncapsulationKey<$p>>;

            fn secret_heap(sk: &Self::Secret) -> usize {
                sk.heap_bytes()
            }

            fn public_heap(pk: &Self::Public) -> usize {
                pk.heap_bytes()
            }

            fn generate(_: &'static Algorithm, rng: &mut Rng<'_>) -> Result<Self::Secret> {
                // FIPS 203 ML-KEM.KeyGen: d and z, 32 random bytes each.
                let mut seed = [0u8; 64];
                rng.0.fill(&mut seed);
                let sk = Self::from_seed(&seed);
                zeroize::Zeroize::zeroize(&mut seed);
                sk
            }

            fn secret_import(
                _: &'static Algorithm,
                enc: SecretkeyEncoding,
                bytes: &[u8],
            ) -> Result<Self::Secret> {
                match enc {
                    SecretkeyEncoding::Raw => Self::decode(false, bytes),
                    SecretkeyEncoding::Local => Self::decode(true, bytes),
                    SecretkeyEncoding::Pkcs8
                    | SecretkeyEncoding::Pem
                    | SecretkeyEncoding::Sec => Err(Error::UnsupportedEncoding),
                }
            }

            fn secret_export(sk: &Self::Secret, enc: SecretkeyEncoding) -> Result<Exported> {
                match enc {
                    SecretkeyEncoding::Raw => Self::encode(sk, false),
                    SecretkeyEncoding::Local => Self::encode(sk, true),
                    SecretkeyEncoding::Pkcs8
                    | SecretkeyEncoding::Pem
                    | SecretkeyEncoding::Sec => Err(Error::UnsupportedEncoding),
                }
            }

            fn keypair_import(
                alg: &'static Algorithm,
                enc: KeypairEncoding,
                bytes: &[u8],
            ) -> Result<(Self::Secret, Self::Public)> {
                let sk = Self::secret_import(alg, super::keypair_encoding(enc), bytes)?;
                let pk = Self::try_public_of(&sk)?;
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
                match enc {
                    PublickeyEncoding::Raw => {
                        let ek = Array::try_from(bytes).map_err(|_| Error::InvalidKey)?;
                        // FIPS 203 §7.2: the modulus check.
                        let ek = ml_kem::EncapsulationKey::<$p>::new(&ek)
                            .map_err(|_| Error::InvalidKey)?;
                        KemBox::new(ek)
                    }
                    PublickeyEncoding::Pkcs8
                    | PublickeyEncoding::Pem
                    | PublickeyEncoding::Sec
                    | PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
                }
            }

            fn public_export(pk: &Self::Public, enc: PublickeyEncoding) -> Result<Exported> {
                match enc {
                    PublickeyEncoding::Raw => exported(&pk.get()?.to_bytes()),
                    PublickeyEncoding::Pkcs8
                    | PublickeyEncoding::Pem
                    | PublickeyEncoding::Sec
                    | PublickeyEncoding::Local => Err(Error::UnsupportedEncoding),
                }
            }

            fn public_verify(pk: &Self::Public) -> Result<()> {
                // Checked in full at import (§7.2); only a lost box could fail here.
                pk.get().map(|_| ())
            }

            fn public_of(sk: &Self::Secret) -> Self::Public {
                // Not reached from the context, which calls `try_public_of`.
                sk.map_infallible(|dk| dk.encapsulation_key().clone())
            }

            fn try_public_of(sk: &Self::Secret) -> Result<Self::Public> {
                KemBox::new(sk.get()?.encapsulation_key().clone())
            }

            fn try_clone_secret(sk: &Self::Secret) -> Result<Self::Secret> {
                sk.try_clone()
            }

            fn try_clone_public(pk: &Self::Public) -> Result<Self::Public> {
                pk.try_clone()
            }

            fn matches(sk: &Self::Secret, pk: &Self::Public) -> bool {
                match (sk.get(), pk.get()) {
                    (Ok(s), Ok(p)) => s.encapsulation_key() == p,
                    _ => false,
                }
            }
        }

        impl Kem for $fam {
            fn encapsulate(pk: &Self::Public, rng: &mut Rng<'_>) -> Result<(Exported, Exported)> {
                let (ct, mut ss) = pk.get()?.encapsulate_with_rng(rng);
                let out = exported(&ss);
                zeroize::Zeroize::zeroize(ss.as_mut_slice());
                Ok((out?, exported(&ct)?))
            }

            fn decapsulate(sk: &Self::Secret, ct: &[u8]) -> Result<Exported> {
                // A wrong length is the only refusal; see the module documentation.
                let ct = Array::try_from(ct).map_err(|_| Error::VerificationFailed)?;
                let mut ss = sk.get()?.decapsulate(&ct);
                let out = exported(&ss);
                zeroize::Zeroize::zeroize(ss.as_mut_slice());
                out
            }
        }
    };
}

// Decapsulation keys wipe themselves when dropped (checked at compile time).
const _: fn() = || {
    fn wipes_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wipes_on_drop::<ml_kem::DecapsulationKey<ml_kem::MlKem512>>();
    wipes_on_drop::<ml_kem::DecapsulationKey<ml_kem::MlKem768>>();
    wipes_on_drop::<ml_kem::DecapsulationKey<ml_kem::MlKem1024>>();
};

mlkem_family! {
    /// ML-KEM-512 (FIPS 203, security category 1).
    MlKem512, ml_kem::MlKem512, "ML-KEM-512", 800, 1632, 768
}

mlkem_family! {
    /// ML-KEM-768 (FIPS 203, security category 3), also named `KYBER768`.
    MlKem768, ml_kem::MlKem768, "ML-KEM-768", 1184, 2400, 1088
}

mlkem_family! {
    /// ML-KEM-1024 (FIPS 203, security category 5).
    MlKem1024, ml_kem::MlKem1024, "ML-KEM-1024", 1568, 3168, 1568
}
