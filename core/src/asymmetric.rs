//! `wasi_ephemeral_crypto_{asymmetric_common,signatures,kx}` object types.
//!
//! No asymmetric algorithm is compiled in yet, so these types are uninhabited: their slot tables
//! can never hold an object, every handle is `invalid_handle`, and every algorithm name is
//! `unsupported_algorithm`. Filling an enum in is what adds an algorithm family.

/// A key pair (signatures or key exchange).
pub(crate) enum KeypairObject {}
/// A public key.
pub(crate) enum PublickeyObject {}
/// A secret key.
pub(crate) enum SecretkeyObject {}
/// A signature.
pub(crate) enum SignatureObject {}
/// A signing state.
pub(crate) enum SignatureStateObject {}
/// A verification state.
pub(crate) enum VerificationStateObject {}
/// A secrets manager (managed keys and external secrets).
pub(crate) enum SecretsManagerObject {}
