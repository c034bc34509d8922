//! # wasmcrypt-core
//!
//! The `no_std`, constant-time core of wasmcrypt, a host implementation of the WASI-crypto API
//! (witx 0.10: `wasi_ephemeral_crypto_{common,symmetric,asymmetric_common,signatures,kx,
//! external_secrets}`).
//!
//! - [`Ctx`] is one context per Wasm instance: the Rust API, one method per witx function,
//!   with typed handles and slices.
//! - [`abi`] is the edge every engine binding walks: a table of all 78 functions with their
//!   core-Wasm signatures and entry points taking guest memory as `&mut [u8]`.
//! - [`Config`] bounds every guest-growable resource, so memory per context is bounded.
//!
//! Nothing reachable from guest input panics, aborts, allocates without bound or loops without
//! bound; every failure is a [`CryptoErrno`].
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod abi;
mod asymmetric;
mod budget;
mod config;
mod ctx;
mod errno;
mod handles;
pub mod keystore;
mod options;
pub mod rng;
mod seal;
mod secret;
mod symmetric;
mod types;
#[cfg(test)]
mod zeroize_tests;

/// Internal arithmetic, exposed for the differential fuzz targets only (feature `fuzzing`).
#[cfg(all(feature = "fuzzing", feature = "rsa"))]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::asymmetric::rsa_fuzzing::{rsa_mont_pow, rsa_public_op};
}

pub use config::{Config, MAX_SYMMETRIC_KEY_LEN};
pub use ctx::Ctx;
pub use errno::{CryptoErrno, Error, Result};
pub use handles::MAX_CAPACITY;
pub use symmetric::SymmetricAlgorithm;
pub use types::{
    AlgorithmType, ArrayOutput, Keypair, KeypairEncoding, Options, Publickey, PublickeyEncoding,
    Secretkey, SecretkeyEncoding, SecretsManager, Signature, SignatureEncoding, SignatureState,
    SignatureVerificationState, SymmetricKey, SymmetricState, SymmetricTag, Version,
};
