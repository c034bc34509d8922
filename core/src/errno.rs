//! `crypto_errno` (witx `wasi_ephemeral_crypto_common`) and the internal error type.
//!
//! Two tiers, one map: [`Error`] is what the core's functions return; [`CryptoErrno`] is what
//! crosses the ABI. Cryptographic failures stay opaque (`InvalidTag`, `VerificationFailed`),
//! misuse gets a precise variant, and one exhaustive `match` turns one into the other.

use core::fmt;

/// The witx `crypto_errno` enumeration, with its exact `u16` values.
#[repr(u16)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(
    missing_docs,
    reason = "each variant is the witx name of the same code"
)]
pub enum CryptoErrno {
    Success = 0,
    GuestError = 1,
    NotImplemented = 2,
    UnsupportedFeature = 3,
    ProhibitedOperation = 4,
    UnsupportedEncoding = 5,
    UnsupportedAlgorithm = 6,
    UnsupportedOption = 7,
    InvalidKey = 8,
    InvalidLength = 9,
    VerificationFailed = 10,
    RngError = 11,
    AlgorithmFailure = 12,
    InvalidSignature = 13,
    Closed = 14,
    InvalidHandle = 15,
    Overflow = 16,
    InternalError = 17,
    TooManyHandles = 18,
    KeyNotSupported = 19,
    KeyRequired = 20,
    InvalidTag = 21,
    InvalidOperation = 22,
    NonceRequired = 23,
    InvalidNonce = 24,
    OptionNotSet = 25,
    NotFound = 26,
    ParametersMissing = 27,
    InProgress = 28,
    IncompatibleKeys = 29,
    Expired = 30,
}

impl CryptoErrno {
    /// Every code, in witx order (index = value).
    pub const ALL: [CryptoErrno; 31] = [
        Self::Success,
        Self::GuestError,
        Self::NotImplemented,
        Self::UnsupportedFeature,
        Self::ProhibitedOperation,
        Self::UnsupportedEncoding,
        Self::UnsupportedAlgorithm,
        Self::UnsupportedOption,
        Self::InvalidKey,
        Self::InvalidLength,
        Self::VerificationFailed,
        Self::RngError,
        Self::AlgorithmFailure,
        Self::InvalidSignature,
        Self::Closed,
        Self::InvalidHandle,
        Self::Overflow,
        Self::InternalError,
        Self::TooManyHandles,
        Self::KeyNotSupported,
        Self::KeyRequired,
        Self::InvalidTag,
        Self::InvalidOperation,
        Self::NonceRequired,
        Self::InvalidNonce,
        Self::OptionNotSet,
        Self::NotFound,
        Self::ParametersMissing,
        Self::InProgress,
        Self::IncompatibleKeys,
        Self::Expired,
    ];

    /// The witx name of the code (`"invalid_handle"`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::GuestError => "guest_error",
            Self::NotImplemented => "not_implemented",
            Self::UnsupportedFeature => "unsupported_feature",
            Self::ProhibitedOperation => "prohibited_operation",
            Self::UnsupportedEncoding => "unsupported_encoding",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::UnsupportedOption => "unsupported_option",
            Self::InvalidKey => "invalid_key",
            Self::InvalidLength => "invalid_length",
            Self::VerificationFailed => "verification_failed",
            Self::RngError => "rng_error",
            Self::AlgorithmFailure => "algorithm_failure",
            Self::InvalidSignature => "invalid_signature",
            Self::Closed => "closed",
            Self::InvalidHandle => "invalid_handle",
            Self::Overflow => "overflow",
            Self::InternalError => "internal_error",
            Self::TooManyHandles => "too_many_handles",
            Self::KeyNotSupported => "key_not_supported",
            Self::KeyRequired => "key_required",
            Self::InvalidTag => "invalid_tag",
            Self::InvalidOperation => "invalid_operation",
            Self::NonceRequired => "nonce_required",
            Self::InvalidNonce => "invalid_nonce",
            Self::OptionNotSet => "option_not_set",
            Self::NotFound => "not_found",
            Self::ParametersMissing => "parameters_missing",
            Self::InProgress => "in_progress",
            Self::IncompatibleKeys => "incompatible_keys",
            Self::Expired => "expired",
        }
    }

    /// The code for a raw value, if it is one.
    pub fn from_raw(raw: u16) -> Option<Self> {
        Self::ALL.get(usize::from(raw)).copied()
    }

    /// The value returned to the guest.
    pub const fn raw(self) -> u16 {
        self as u16
    }
}

impl fmt::Display for CryptoErrno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What every fallible core function returns.
///
/// Variants name misuse precisely; cryptographic failures (`InvalidTag`, `VerificationFailed`,
/// `InvalidSignature`) carry nothing that could help an attacker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(
    missing_docs,
    reason = "each variant maps to the crypto_errno of the same name"
)]
pub enum Error {
    /// A pointer/length pair outside linear memory, an out-pointer that cannot hold its value,
    /// or a malformed union tag.
    GuestError,
    NotImplemented,
    UnsupportedFeature,
    ProhibitedOperation,
    UnsupportedEncoding,
    UnsupportedAlgorithm,
    UnsupportedOption,
    InvalidKey,
    InvalidLength,
    VerificationFailed,
    RngError,
    AlgorithmFailure,
    InvalidSignature,
    Closed,
    InvalidHandle,
    Overflow,
    /// An internal consistency check failed; the host state is still safe.
    InternalError,
    TooManyHandles,
    KeyNotSupported,
    KeyRequired,
    InvalidTag,
    InvalidOperation,
    NonceRequired,
    InvalidNonce,
    OptionNotSet,
    NotFound,
    ParametersMissing,
    InProgress,
    IncompatibleKeys,
    Expired,
}

impl From<Error> for CryptoErrno {
    fn from(e: Error) -> Self {
        match e {
            Error::GuestError => Self::GuestError,
            Error::NotImplemented => Self::NotImplemented,
            Error::UnsupportedFeature => Self::UnsupportedFeature,
            Error::ProhibitedOperation => Self::ProhibitedOperation,
            Error::UnsupportedEncoding => Self::UnsupportedEncoding,
            Error::UnsupportedAlgorithm => Self::UnsupportedAlgorithm,
            Error::UnsupportedOption => Self::UnsupportedOption,
            Error::InvalidKey => Self::InvalidKey,
            Error::InvalidLength => Self::InvalidLength,
            Error::VerificationFailed => Self::VerificationFailed,
            Error::RngError => Self::RngError,
            Error::AlgorithmFailure => Self::AlgorithmFailure,
            Error::InvalidSignature => Self::InvalidSignature,
            Error::Closed => Self::Closed,
            Error::InvalidHandle => Self::InvalidHandle,
            Error::Overflow => Self::Overflow,
            Error::InternalError => Self::InternalError,
            Error::TooManyHandles => Self::TooManyHandles,
            Error::KeyNotSupported => Self::KeyNotSupported,
            Error::KeyRequired => Self::KeyRequired,
            Error::InvalidTag => Self::InvalidTag,
            Error::InvalidOperation => Self::InvalidOperation,
            Error::NonceRequired => Self::NonceRequired,
            Error::InvalidNonce => Self::InvalidNonce,
            Error::OptionNotSet => Self::OptionNotSet,
            Error::NotFound => Self::NotFound,
            Error::ParametersMissing => Self::ParametersMissing,
            Error::InProgress => Self::InProgress,
            Error::IncompatibleKeys => Self::IncompatibleKeys,
            Error::Expired => Self::Expired,
        }
    }
}

impl Error {
    /// The errno this error becomes at the ABI.
    pub fn errno(self) -> CryptoErrno {
        self.into()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.errno().name())
    }
}

impl core::error::Error for Error {}

/// Result of every fallible core function.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_witx_order() {
        for (i, e) in CryptoErrno::ALL.iter().enumerate() {
            assert_eq!(usize::from(e.raw()), i, "{e}");
            assert_eq!(CryptoErrno::from_raw(e.raw()), Some(*e));
        }
        assert_eq!(CryptoErrno::from_raw(31), None);
        // A few pinned by hand from the witx file, so a reordering cannot pass silently.
        assert_eq!(CryptoErrno::GuestError.raw(), 1);
        assert_eq!(CryptoErrno::InvalidHandle.raw(), 15);
        assert_eq!(CryptoErrno::TooManyHandles.raw(), 18);
        assert_eq!(CryptoErrno::InvalidOperation.raw(), 22);
        assert_eq!(CryptoErrno::Expired.raw(), 30);
    }

    #[test]
    fn error_map_is_by_name() {
        let pairs = [
            (Error::Closed, "closed"),
            (Error::KeyNotSupported, "key_not_supported"),
            (Error::OptionNotSet, "option_not_set"),
            (Error::InvalidLength, "invalid_length"),
        ];
        for (e, name) in pairs {
            assert_eq!(e.errno().name(), name);
        }
    }
}
