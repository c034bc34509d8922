//! `wasi_ephemeral_crypto_{asymmetric_common,signatures,kx}`: algorithm descriptors, key,
//! signature and state objects, and the family traits every algorithm implements.
//!
//! - An algorithm is a `&'static` [`Algorithm`] descriptor, found by name once at the edge
//!   ([`find`]); nothing past it compares strings.
//! - A family (one Rust type per file: `ed25519`, `ecdsa`, `x25519`, `p256_ecdh`, `mlkem`,
//!   `xwing`) implements the narrow traits it needs: [`Keys`] always, [`Signing`] for signature
//!   systems, [`Dh`] for Diffie-Hellman key agreement, [`Kem`] for key encapsulation. Adding an
//!   algorithm is one file and one line in the `families!` list below; a cargo feature per
//!   family removes it.
//! - Objects are `{ alg, inner }`: the descriptor and an enum with one variant per family, so a
//!   key of one algorithm can never reach another's code.
//!
//! Secrets live only in the families' own types, which zeroize on drop; no object here derives
//! `Debug`, so none can print a secret.
#![cfg_attr(
    not(all(
        any(feature = "ed25519", feature = "ecdsa", feature = "rsa"),
        any(feature = "x25519", feature = "p256-ecdh"),
        feature = "mlkem"
    )),
    allow(
        unused_variables,
        unused_imports,
        dead_code,
        reason = "with a family kind missing, part of the dispatch has nothing to dispatch to"
    )
)]

use core::convert::Infallible;

use crate::budget::{Footprint, Limits};
use crate::errno::{Error, Result};
use crate::rng::InstanceRng;
use crate::secret::SecretBytes;
use crate::types::{
    AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding, SignatureEncoding,
    name_eq,
};

#[cfg(any(feature = "ecdsa", feature = "p256-ecdh"))]
mod ec;
#[cfg(feature = "ecdsa")]
mod ecdsa;
#[cfg(feature = "ed25519")]
mod ed25519;
#[cfg(feature = "mlkem")]
mod mlkem;
#[cfg(feature = "p256-ecdh")]
mod p256_ecdh;
#[cfg(feature = "rsa")]
mod rsa;
#[cfg(all(feature = "fuzzing", feature = "rsa"))]
pub(crate) use rsa::fuzzing as rsa_fuzzing;
#[cfg(feature = "x25519")]
mod x25519;
#[cfg(feature = "mlkem")]
mod xwing;

/// Bytes leaving the host through an `array_output`; wiped when dropped (they may be a secret
/// key's encoding).
pub(crate) type Exported = SecretBytes;

/// Copies `bytes` into an [`Exported`] buffer (fallibly).
#[cfg(feature = "asymmetric")]
pub(crate) fn exported(bytes: &[u8]) -> Result<Exported> {
    SecretBytes::copy_from(bytes)
}

/// One algorithm: its witx name, its `algorithm_type`, and the family that implements it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Algorithm {
    /// The name guests use (matched ASCII case-insensitively).
    pub(crate) name: &'static str,
    /// `signatures` or `key_exchange`.
    pub(crate) alg_type: AlgorithmType,
    /// Which family's types hold its keys.
    pub(crate) family: Family,
}

/// The context's generator as a `rand_core` RNG, for key generation and hedged nonces.
pub(crate) struct Rng<'a>(pub(crate) &'a mut InstanceRng);

#[cfg(feature = "asymmetric")]
impl rand_core::TryRng for Rng<'_> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> core::result::Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.0.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> core::result::Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.0.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Infallible> {
        self.0.fill(dst);
        Ok(())
    }
}

#[cfg(feature = "asymmetric")]
impl rand_core::TryCryptoRng for Rng<'_> {}

/// Key handling every asymmetric family has: import, export, derivation and checks.
///
/// Import functions reject anything malformed with `invalid_key` and an encoding the family
/// cannot express with `unsupported_encoding`; they never panic.
pub(crate) trait Keys {
    /// The algorithms of this family.
    const ALGORITHMS: &'static [Algorithm];
    /// A secret key. Zeroizes on drop.
    type Secret: Clone;
    /// A public key.
    type Public: Clone;

    /// A fresh secret key from the context's generator.
    fn generate(alg: &'static Algorithm, rng: &mut Rng<'_>) -> Result<Self::Secret>;
    /// `secretkey_import`.
    fn secret_import(
        alg: &'static Algorithm,
        enc: SecretkeyEncoding,
        bytes: &[u8],
    ) -> Result<Self::Secret>;
    /// `secretkey_export`.
    fn secret_export(sk: &Self::Secret, enc: SecretkeyEncoding) -> Result<Exported>;
    /// `keypair_import`: both halves, checked against each other where the encoding has both.
    fn keypair_import(
        alg: &'static Algorithm,
        enc: KeypairEncoding,
        bytes: &[u8],
    ) -> Result<(Self::Secret, Self::Public)>;
    /// `keypair_export`.
    fn keypair_export(
        sk: &Self::Secret,
        pk: &Self::Public,
        enc: KeypairEncoding,
    ) -> Result<Exported>;
    /// `publickey_import`.
    fn public_import(
        alg: &'static Algorithm,
        enc: PublickeyEncoding,
        bytes: &[u8],
    ) -> Result<Self::Public>;
    /// `publickey_export`.
    fn public_export(pk: &Self::Public, enc: PublickeyEncoding) -> Result<Exported>;
    /// `publickey_verify`: the full validity check (`invalid_key` when it fails).
    fn public_verify(pk: &Self::Public) -> Result<()>;
    /// The public key of a secret key.
    fn public_of(sk: &Self::Secret) -> Self::Public;
    /// Whether `pk` is the public key of `sk` (`keypair_from_pk_and_sk`).
    fn matches(sk: &Self::Secret, pk: &Self::Public) -> bool;
    /// Bytes of heap a secret key owns, exactly (charged to the context's budget); keys held
    /// inline own none.
    fn secret_heap(_sk: &Self::Secret) -> usize {
        0
    }
    /// Bytes of heap a public key owns, exactly.
    fn public_heap(_pk: &Self::Public) -> usize {
        0
    }

    /// The public key of a secret key, for families whose keys live on the heap (allocation
    /// failure is an error, never an abort).
    fn try_public_of(sk: &Self::Secret) -> Result<Self::Public> {
        Ok(Self::public_of(sk))
    }
    /// A copy of a secret key (fallible for heap-held keys).
    fn try_clone_secret(sk: &Self::Secret) -> Result<Self::Secret> {
        Ok(sk.clone())
    }
    /// A copy of a public key (fallible for heap-held keys).
    fn try_clone_public(pk: &Self::Public) -> Result<Self::Public> {
        Ok(pk.clone())
    }
}

/// Signature systems: streaming signing and verification states, signature encodings.
pub(crate) trait Signing: Keys {
    /// A signature.
    type Signature: Clone;
    /// A signing state: the key and the transcript absorbed so far.
    type SignState;
    /// A verification state: the public key and the transcript absorbed so far.
    type VerifyState;

    /// `signature_import`: `invalid_signature` for malformed bytes.
    fn signature_import(enc: SignatureEncoding, bytes: &[u8]) -> Result<Self::Signature>;
    /// `signature_export`.
    fn signature_export(sig: &Self::Signature, enc: SignatureEncoding) -> Result<Exported>;
    /// `signature_state_open`.
    fn sign_open(sk: &Self::Secret, pk: &Self::Public) -> Result<Self::SignState>;
    /// `signature_state_update`: `overflow` past `limits` (a state that buffers may keep at
    /// most `limits.max_len` bytes and allocate within `limits.room`), the state unchanged.
    fn sign_update(st: &mut Self::SignState, data: &[u8], limits: &Limits) -> Result<()>;
    /// `signature_state_sign`: a signature of everything absorbed so far; the state goes on.
    /// `rng` hedges randomized or nonce-based schemes; a deterministic context passes none.
    fn sign(st: &Self::SignState, rng: Option<&mut Rng<'_>>) -> Result<Self::Signature>;
    /// `signature_verification_state_open`.
    fn verify_open(pk: &Self::Public) -> Result<Self::VerifyState>;
    /// `signature_verification_state_update`.
    fn verify_update(st: &mut Self::VerifyState, data: &[u8], limits: &Limits) -> Result<()>;
    /// `signature_verification_state_verify`: `verification_failed` if it does not verify.
    fn verify(st: &Self::VerifyState, sig: &Self::Signature) -> Result<()>;
    /// Bytes of heap a signing state owns (its key's and its buffers'), exactly.
    fn sign_state_heap(_st: &Self::SignState) -> usize {
        0
    }
    /// Bytes of heap a verification state owns, exactly.
    fn verify_state_heap(_st: &Self::VerifyState) -> usize {
        0
    }
    /// Bytes of heap a signature owns, exactly.
    fn signature_heap(_sig: &Self::Signature) -> usize {
        0
    }
}

/// Diffie-Hellman key agreement.
pub(crate) trait Dh: Keys {
    /// `kx_dh`: the shared secret, `invalid_key` for a result that would be insecure.
    fn dh(sk: &Self::Secret, pk: &Self::Public) -> Result<Exported>;
}

/// Key encapsulation mechanisms.
pub(crate) trait Kem: Keys {
    /// `kx_encapsulate`: (shared secret, ciphertext), the randomness from the context's
    /// generator.
    fn encapsulate(pk: &Self::Public, rng: &mut Rng<'_>) -> Result<(Exported, Exported)>;
    /// `kx_decapsulate`: the shared secret; `verification_failed` for a ciphertext of the
    /// wrong length (a right-length forged one yields the scheme's implicit-rejection secret).
    fn decapsulate(sk: &Self::Secret, ct: &[u8]) -> Result<Exported>;
}

/// Declares the families and derives from that one list: the [`Family`] tag, the object
/// enums, the registry, and the dispatch from an enum to the family's trait.
macro_rules! families {
    (
        signatures { $($(#[$sm:meta])* $S:ident => $st:ty,)* }
        kx { $($(#[$km:meta])* $K:ident => $kt:ty,)* }
        kem { $($(#[$em:meta])* $E:ident => $et:ty,)* }
    ) => {
        /// The family of an algorithm.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Family {
            $($(#[$sm])* $S,)*
            $($(#[$km])* $K,)*
            $($(#[$em])* $E,)*
        }

        /// Every algorithm compiled in, by family.
        static REGISTRY: &[&[Algorithm]] = &[
            $($(#[$sm])* <$st as Keys>::ALGORITHMS,)*
            $($(#[$km])* <$kt as Keys>::ALGORITHMS,)*
            $($(#[$em])* <$et as Keys>::ALGORITHMS,)*
        ];

        /// A secret key of any family.
        #[derive(Clone)]
        pub(crate) enum Secret {
            $($(#[$sm])* $S(<$st as Keys>::Secret),)*
            $($(#[$km])* $K(<$kt as Keys>::Secret),)*
            $($(#[$em])* $E(<$et as Keys>::Secret),)*
            #[allow(dead_code, reason = "never built: keeps the enum matchable with no family")]
            Never,
        }

        /// A public key of any family.
        #[derive(Clone)]
        pub(crate) enum Public {
            $($(#[$sm])* $S(<$st as Keys>::Public),)*
            $($(#[$km])* $K(<$kt as Keys>::Public),)*
            $($(#[$em])* $E(<$et as Keys>::Public),)*
            #[allow(dead_code, reason = "never built: keeps the enum matchable with no family")]
            Never,
        }

        /// A signature of any signature family.
        #[derive(Clone)]
        pub(crate) enum Sig {
            $($(#[$sm])* $S(<$st as Signing>::Signature),)*
            #[allow(dead_code, reason = "never built: keeps the enum matchable with no family")]
            Never,
        }

        /// A signing state of any signature family.
        pub(crate) enum SignState {
            $($(#[$sm])* $S(<$st as Signing>::SignState),)*
            #[allow(dead_code, reason = "never built: keeps the enum matchable with no family")]
            Never,
        }

        /// A verification state of any signature family.
        pub(crate) enum VerifyState {
            $($(#[$sm])* $S(<$st as Signing>::VerifyState),)*
            #[allow(dead_code, reason = "never built: keeps the enum matchable with no family")]
            Never,
        }

        impl Secret {
            pub(crate) fn heap_bytes(&self) -> usize {
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::secret_heap(k),)*
                    $($(#[$km])* Self::$K(k) => <$kt>::secret_heap(k),)*
                    $($(#[$em])* Self::$E(k) => <$et>::secret_heap(k),)*
                    Self::Never => 0,
                }
            }

            pub(crate) fn generate(alg: &'static Algorithm, rng: &mut Rng<'_>) -> Result<Self> {
                match alg.family {
                    $($(#[$sm])* Family::$S => <$st>::generate(alg, rng).map(Self::$S),)*
                    $($(#[$km])* Family::$K => <$kt>::generate(alg, rng).map(Self::$K),)*
                    $($(#[$em])* Family::$E => <$et>::generate(alg, rng).map(Self::$E),)*
                }
            }

            pub(crate) fn import(
                alg: &'static Algorithm,
                enc: SecretkeyEncoding,
                bytes: &[u8],
            ) -> Result<Self> {
                match alg.family {
                    $($(#[$sm])* Family::$S => <$st>::secret_import(alg, enc, bytes).map(Self::$S),)*
                    $($(#[$km])* Family::$K => <$kt>::secret_import(alg, enc, bytes).map(Self::$K),)*
                    $($(#[$em])* Family::$E => <$et>::secret_import(alg, enc, bytes).map(Self::$E),)*
                }
            }

            pub(crate) fn export(&self, enc: SecretkeyEncoding) -> Result<Exported> {
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::secret_export(k, enc),)*
                    $($(#[$km])* Self::$K(k) => <$kt>::secret_export(k, enc),)*
                    $($(#[$em])* Self::$E(k) => <$et>::secret_export(k, enc),)*
                    Self::Never => Err(Error::UnsupportedAlgorithm),
                }
            }

            /// The public key of this secret key (fallible: KEM keys live on the heap).
            pub(crate) fn public(&self) -> Result<Public> {
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::try_public_of(k).map(Public::$S),)*
                    $($(#[$km])* Self::$K(k) => <$kt>::try_public_of(k).map(Public::$K),)*
                    $($(#[$em])* Self::$E(k) => <$et>::try_public_of(k).map(Public::$E),)*
                    Self::Never => Ok(Public::Never),
                }
            }

            /// An independent copy (fallible: KEM keys live on the heap).
            pub(crate) fn try_clone(&self) -> Result<Self> {
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::try_clone_secret(k).map(Self::$S),)*
                    $($(#[$km])* Self::$K(k) => <$kt>::try_clone_secret(k).map(Self::$K),)*
                    $($(#[$em])* Self::$E(k) => <$et>::try_clone_secret(k).map(Self::$E),)*
                    Self::Never => Ok(Self::Never),
                }
            }

            /// `kx_decapsulate`; `invalid_operation` for a key of a family without it.
            pub(crate) fn decapsulate(&self, ct: &[u8]) -> Result<Exported> {
                #[allow(unreachable_patterns, reason = "the catch-all covers non-KEM families")]
                match self {
                    $($(#[$em])* Self::$E(k) => <$et>::decapsulate(k, ct),)*
                    _ => Err(Error::InvalidOperation),
                }
            }

            /// Whether `pk` is this key's public key; `incompatible_keys` for another family.
            pub(crate) fn matches(&self, pk: &Public) -> Result<bool> {
                #[allow(unreachable_patterns, reason = "the catch-all covers mixed families")]
                match (self, pk) {
                    $($(#[$sm])* (Self::$S(s), Public::$S(p)) => Ok(<$st>::matches(s, p)),)*
                    $($(#[$km])* (Self::$K(s), Public::$K(p)) => Ok(<$kt>::matches(s, p)),)*
                    $($(#[$em])* (Self::$E(s), Public::$E(p)) => Ok(<$et>::matches(s, p)),)*
                    _ => Err(Error::IncompatibleKeys),
                }
            }

            /// `kx_dh` with `pk`; `invalid_key` for a signature family's key.
            pub(crate) fn dh(&self, pk: &Public) -> Result<Exported> {
                #[allow(unreachable_patterns, reason = "the catch-all covers mixed families")]
                match (self, pk) {
                    $($(#[$km])* (Self::$K(s), Public::$K(p)) => <$kt>::dh(s, p),)*
                    $($(#[$em])* (Self::$E(_), Public::$E(_)) => Err(Error::InvalidOperation),)*
                    _ => Err(Error::InvalidKey),
                }
            }
        }

        /// Imports a key pair of `alg`.
        pub(crate) fn keypair_import(
            alg: &'static Algorithm,
            enc: KeypairEncoding,
            bytes: &[u8],
        ) -> Result<(Secret, Public)> {
            match alg.family {
                $($(#[$sm])* Family::$S => <$st>::keypair_import(alg, enc, bytes)
                    .map(|(s, p)| (Secret::$S(s), Public::$S(p))),)*
                $($(#[$km])* Family::$K => <$kt>::keypair_import(alg, enc, bytes)
                    .map(|(s, p)| (Secret::$K(s), Public::$K(p))),)*
                $($(#[$em])* Family::$E => <$et>::keypair_import(alg, enc, bytes)
                    .map(|(s, p)| (Secret::$E(s), Public::$E(p))),)*
            }
        }

        /// Exports a key pair (halves of one family, as key pair objects always hold).
        pub(crate) fn keypair_export(
            sk: &Secret,
            pk: &Public,
            enc: KeypairEncoding,
        ) -> Result<Exported> {
            #[allow(unreachable_patterns, reason = "the catch-all covers mixed families")]
            match (sk, pk) {
                $($(#[$sm])* (Secret::$S(s), Public::$S(p)) => <$st>::keypair_export(s, p, enc),)*
                $($(#[$km])* (Secret::$K(s), Public::$K(p)) => <$kt>::keypair_export(s, p, enc),)*
                $($(#[$em])* (Secret::$E(s), Public::$E(p)) => <$et>::keypair_export(s, p, enc),)*
                _ => Err(Error::InternalError),
            }
        }

        impl Public {
            pub(crate) fn heap_bytes(&self) -> usize {
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::public_heap(k),)*
                    $($(#[$km])* Self::$K(k) => <$kt>::public_heap(k),)*
                    $($(#[$em])* Self::$E(k) => <$et>::public_heap(k),)*
                    Self::Never => 0,
                }
            }

            pub(crate) fn import(
                alg: &'static Algorithm,
                enc: PublickeyEncoding,
                bytes: &[u8],
            ) -> Result<Self> {
                match alg.family {
                    $($(#[$sm])* Family::$S => <$st>::public_import(alg, enc, bytes).map(Self::$S),)*
                    $($(#[$km])* Family::$K => <$kt>::public_import(alg, enc, bytes).map(Self::$K),)*
                    $($(#[$em])* Family::$E => <$et>::public_import(alg, enc, bytes).map(Self::$E),)*
                }
            }

            pub(crate) fn export(&self, enc: PublickeyEncoding) -> Result<Exported> {
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::public_export(k, enc),)*
                    $($(#[$km])* Self::$K(k) => <$kt>::public_export(k, enc),)*
                    $($(#[$em])* Self::$E(k) => <$et>::public_export(k, enc),)*
                    Self::Never => Err(Error::UnsupportedAlgorithm),
                }
            }

            /// An independent copy (fallible: KEM keys live on the heap).
            pub(crate) fn try_clone(&self) -> Result<Self> {
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::try_clone_public(k).map(Self::$S),)*
                    $($(#[$km])* Self::$K(k) => <$kt>::try_clone_public(k).map(Self::$K),)*
                    $($(#[$em])* Self::$E(k) => <$et>::try_clone_public(k).map(Self::$E),)*
                    Self::Never => Ok(Self::Never),
                }
            }

            /// Whether this key's family encapsulates (a KEM).
            pub(crate) fn is_kem(&self) -> bool {
                #[allow(unreachable_patterns, reason = "the catch-all covers non-KEM families")]
                match self {
                    $($(#[$em])* Self::$E(_) => true,)*
                    _ => false,
                }
            }

            /// `kx_encapsulate`: (shared secret, ciphertext); `invalid_operation` for a key of
            /// a family without it.
            pub(crate) fn encapsulate(&self, rng: &mut Rng<'_>) -> Result<(Exported, Exported)> {
                #[allow(unreachable_patterns, reason = "the catch-all covers non-KEM families")]
                match self {
                    $($(#[$em])* Self::$E(k) => <$et>::encapsulate(k, rng),)*
                    _ => Err(Error::InvalidOperation),
                }
            }

            pub(crate) fn verify(&self) -> Result<()> {
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::public_verify(k),)*
                    $($(#[$km])* Self::$K(k) => <$kt>::public_verify(k),)*
                    $($(#[$em])* Self::$E(k) => <$et>::public_verify(k),)*
                    Self::Never => Err(Error::UnsupportedAlgorithm),
                }
            }

            /// A verification state; `invalid_key` for a key-exchange key.
            pub(crate) fn verify_open(&self) -> Result<VerifyState> {
                #[allow(unreachable_patterns, reason = "the catch-all covers kx families")]
                match self {
                    $($(#[$sm])* Self::$S(k) => <$st>::verify_open(k).map(VerifyState::$S),)*
                    _ => Err(Error::InvalidKey),
                }
            }
        }

        impl Sig {
            pub(crate) fn heap_bytes(&self) -> usize {
                match self {
                    $($(#[$sm])* Self::$S(s) => <$st>::signature_heap(s),)*
                    Self::Never => 0,
                }
            }

            pub(crate) fn import(
                alg: &'static Algorithm,
                enc: SignatureEncoding,
                bytes: &[u8],
            ) -> Result<Self> {
                #[allow(unreachable_patterns, reason = "the catch-all covers kx families")]
                match alg.family {
                    $($(#[$sm])* Family::$S => <$st>::signature_import(enc, bytes).map(Self::$S),)*
                    _ => Err(Error::UnsupportedAlgorithm),
                }
            }

            pub(crate) fn export(&self, enc: SignatureEncoding) -> Result<Exported> {
                match self {
                    $($(#[$sm])* Self::$S(s) => <$st>::signature_export(s, enc),)*
                    Self::Never => Err(Error::UnsupportedAlgorithm),
                }
            }
        }

        /// A signing state over a key pair's halves; `invalid_key` for a key-exchange pair.
        pub(crate) fn sign_open(sk: &Secret, pk: &Public) -> Result<SignState> {
            #[allow(unreachable_patterns, reason = "the catch-all covers kx families")]
            match (sk, pk) {
                $($(#[$sm])* (Secret::$S(s), Public::$S(p)) =>
                    <$st>::sign_open(s, p).map(SignState::$S),)*
                _ => Err(Error::InvalidKey),
            }
        }

        impl SignState {
            pub(crate) fn heap_bytes(&self) -> usize {
                match self {
                    $($(#[$sm])* Self::$S(s) => <$st>::sign_state_heap(s),)*
                    Self::Never => 0,
                }
            }

            pub(crate) fn update(&mut self, data: &[u8], limits: &Limits) -> Result<()> {
                match self {
                    $($(#[$sm])* Self::$S(s) => <$st>::sign_update(s, data, limits),)*
                    Self::Never => Err(Error::UnsupportedAlgorithm),
                }
            }

            pub(crate) fn sign(&self, rng: Option<&mut Rng<'_>>) -> Result<Sig> {
                match self {
                    $($(#[$sm])* Self::$S(s) => <$st>::sign(s, rng).map(Sig::$S),)*
                    Self::Never => Err(Error::UnsupportedAlgorithm),
                }
            }
        }

        impl VerifyState {
            pub(crate) fn heap_bytes(&self) -> usize {
                match self {
                    $($(#[$sm])* Self::$S(s) => <$st>::verify_state_heap(s),)*
                    Self::Never => 0,
                }
            }

            pub(crate) fn update(&mut self, data: &[u8], limits: &Limits) -> Result<()> {
                match self {
                    $($(#[$sm])* Self::$S(s) => <$st>::verify_update(s, data, limits),)*
                    Self::Never => Err(Error::UnsupportedAlgorithm),
                }
            }

            /// `invalid_signature` for a signature of another family.
            pub(crate) fn verify(&self, sig: &Sig) -> Result<()> {
                #[allow(unreachable_patterns, reason = "the catch-all covers mixed families")]
                match (self, sig) {
                    $($(#[$sm])* (Self::$S(s), Sig::$S(g)) => <$st>::verify(s, g),)*
                    _ => Err(Error::InvalidSignature),
                }
            }
        }
    };
}

families! {
    signatures {
        #[cfg(feature = "ed25519")]
        Ed25519 => ed25519::Ed25519,
        #[cfg(feature = "ecdsa")]
        EcdsaP256 => ecdsa::EcdsaP256,
        #[cfg(feature = "ecdsa")]
        EcdsaK256 => ecdsa::EcdsaK256,
        #[cfg(feature = "rsa")]
        Rsa2048 => rsa::Rsa2048,
        #[cfg(feature = "rsa")]
        Rsa3072 => rsa::Rsa3072,
        #[cfg(feature = "rsa")]
        Rsa4096 => rsa::Rsa4096,
    }
    kx {
        #[cfg(feature = "x25519")]
        X25519 => x25519::X25519,
        #[cfg(feature = "p256-ecdh")]
        P256Ecdh => p256_ecdh::P256Ecdh,
    }
    kem {
        #[cfg(feature = "mlkem")]
        MlKem512 => mlkem::MlKem512,
        #[cfg(feature = "mlkem")]
        MlKem768 => mlkem::MlKem768,
        #[cfg(feature = "mlkem")]
        MlKem1024 => mlkem::MlKem1024,
        #[cfg(feature = "mlkem")]
        XWing => xwing::XWing,
    }
}

/// Finds an asymmetric algorithm by name (ASCII case-insensitive) for `alg_type`. A name
/// unknown here, or known under another algorithm type: `unsupported_algorithm`.
pub(crate) fn find(alg_type: AlgorithmType, name: &[u8]) -> Result<&'static Algorithm> {
    let found = REGISTRY
        .iter()
        .flat_map(|family| family.iter())
        .find(|a| a.alg_type == alg_type && name_eq(name, a.name));
    #[cfg(feature = "mlkem")]
    let found = found.or_else(|| mlkem::alias(alg_type, name));
    found.ok_or(Error::UnsupportedAlgorithm)
}

/// A key pair: both halves, always of one family, and where it is stored if it is managed.
pub(crate) struct KeypairObject {
    pub(crate) alg: &'static Algorithm,
    pub(crate) secret: Secret,
    pub(crate) public: Public,
    pub(crate) managed: Option<crate::ctx::Managed>,
}

/// A public key.
pub(crate) struct PublickeyObject {
    pub(crate) alg: &'static Algorithm,
    pub(crate) inner: Public,
}

/// A secret key.
pub(crate) struct SecretkeyObject {
    pub(crate) alg: &'static Algorithm,
    pub(crate) inner: Secret,
}

/// A signature.
pub(crate) struct SignatureObject {
    pub(crate) alg: &'static Algorithm,
    pub(crate) inner: Sig,
}

/// A signing state.
pub(crate) struct SignatureStateObject {
    pub(crate) alg: &'static Algorithm,
    pub(crate) inner: SignState,
}

/// A verification state.
pub(crate) struct VerificationStateObject {
    pub(crate) alg: &'static Algorithm,
    pub(crate) inner: VerifyState,
}

/// A secrets manager: a handle to the context's key store (which the context holds).
pub(crate) struct SecretsManagerObject;

impl Footprint for KeypairObject {
    fn heap_bytes(&self) -> usize {
        self.secret
            .heap_bytes()
            .saturating_add(self.public.heap_bytes())
    }
}

impl Footprint for PublickeyObject {
    fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes()
    }
}

impl Footprint for SecretkeyObject {
    fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes()
    }
}

impl Footprint for SignatureObject {
    fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes()
    }
}

impl Footprint for SignatureStateObject {
    fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes()
    }
}

impl Footprint for VerificationStateObject {
    fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes()
    }
}

impl Footprint for SecretsManagerObject {
    fn heap_bytes(&self) -> usize {
        0
    }
}

/// The secret-key encoding a key pair encoding stands for, for families whose key pair
/// encodings are their secret keys' (the public half is derived).
pub(crate) fn keypair_encoding(enc: KeypairEncoding) -> SecretkeyEncoding {
    match enc {
        KeypairEncoding::Raw => SecretkeyEncoding::Raw,
        KeypairEncoding::Pkcs8 => SecretkeyEncoding::Pkcs8,
        KeypairEncoding::Pem => SecretkeyEncoding::Pem,
        KeypairEncoding::Local => SecretkeyEncoding::Local,
    }
}

/// PEM text from a guest: UTF-8, or `invalid_key`.
#[cfg(feature = "asymmetric")]
pub(crate) fn pem_text(bytes: &[u8]) -> Result<&str> {
    core::str::from_utf8(bytes).map_err(|_| Error::InvalidKey)
}

/// A DER document as exported bytes, or as PEM (LF line endings) under `label`.
#[cfg(feature = "asymmetric")]
pub(crate) fn der_or_pem(der: &[u8], label: &str, pem: bool) -> Result<Exported> {
    if !pem {
        return exported(der);
    }
    let mut text = der::pem::encode_string(label, der::pem::LineEnding::LF, der)
        .map_err(|_| Error::AlgorithmFailure)?;
    let out = exported(text.as_bytes());
    zeroize::Zeroize::zeroize(&mut text);
    out
}
