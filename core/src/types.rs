//! Typed values of the witx ABI: handles, enums and version constants. The ABI layer turns raw
//! integers into these once; nothing past it handles raw `u32` tags.

use crate::errno::{Error, Result};

macro_rules! handle_types {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(u32);

        impl $name {
            /// The handle from its ABI value (validated when used).
            pub const fn from_raw(raw: u32) -> Self {
                Self(raw)
            }

            /// The value handed to the guest.
            pub const fn raw(self) -> u32 {
                self.0
            }
        }
    )*};
}

handle_types! {
    /// `options`
    Options;
    /// `array_output`
    ArrayOutput;
    /// `secrets_manager`
    SecretsManager;
    /// `keypair` (also `signature_keypair`, `kx_keypair`)
    Keypair;
    /// `publickey` (also `signature_publickey`, `kx_publickey`)
    Publickey;
    /// `secretkey` (also `signature_secretkey`, `kx_secretkey`)
    Secretkey;
    /// `signature`
    Signature;
    /// `signature_state`
    SignatureState;
    /// `signature_verification_state`
    SignatureVerificationState;
    /// `symmetric_key`
    SymmetricKey;
    /// `symmetric_state`
    SymmetricState;
    /// `symmetric_tag`
    SymmetricTag;
}

/// witx `algorithm_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "witx names")]
pub enum AlgorithmType {
    Signatures = 0,
    Symmetric = 1,
    KeyExchange = 2,
}

impl AlgorithmType {
    /// Decodes the ABI value; out of range is `invalid_operation` (behaviour contract).
    pub fn from_raw(raw: u32) -> Result<Self> {
        match raw {
            0 => Ok(Self::Signatures),
            1 => Ok(Self::Symmetric),
            2 => Ok(Self::KeyExchange),
            _ => Err(Error::InvalidOperation),
        }
    }
}

macro_rules! encodings {
    ($($(#[$doc:meta])* $name:ident { $($variant:ident = $v:literal),* })*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs, reason = "witx names")]
        pub enum $name { $($variant = $v),* }

        impl $name {
            /// Decodes the ABI value; out of range is `unsupported_encoding`.
            pub fn from_raw(raw: u32) -> Result<Self> {
                match raw {
                    $($v => Ok(Self::$variant),)*
                    _ => Err(Error::UnsupportedEncoding),
                }
            }
        }
    )*};
}

encodings! {
    /// witx `keypair_encoding`.
    KeypairEncoding { Raw = 0, Pkcs8 = 1, Pem = 2, Local = 3 }
    /// witx `publickey_encoding`.
    PublickeyEncoding { Raw = 0, Pkcs8 = 1, Pem = 2, Sec = 3, Local = 4 }
    /// witx `secretkey_encoding`.
    SecretkeyEncoding { Raw = 0, Pkcs8 = 1, Pem = 2, Sec = 3, Local = 4 }
    /// witx `signature_encoding`.
    SignatureEncoding { Raw = 0, Der = 1 }
}

/// witx `version` of a managed key or secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version(pub u64);

impl Version {
    /// Key doesn't support versioning.
    pub const UNSPECIFIED: Version = Version(0xff00_0000_0000_0000);
    /// Use the latest version of a key.
    pub const LATEST: Version = Version(0xff00_0000_0000_0001);
    /// Perform an operation over all versions of a key.
    pub const ALL: Version = Version(0xff00_0000_0000_0002);
}

/// ASCII case-insensitive equality, without allocating or decoding UTF-8: a non-UTF-8 name can
/// never equal an ASCII one.
pub(crate) fn name_eq(a: &[u8], b: &str) -> bool {
    a.eq_ignore_ascii_case(b.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_ranges() {
        assert_eq!(AlgorithmType::from_raw(2), Ok(AlgorithmType::KeyExchange));
        assert_eq!(AlgorithmType::from_raw(3), Err(Error::InvalidOperation));
        assert_eq!(KeypairEncoding::from_raw(3), Ok(KeypairEncoding::Local));
        assert_eq!(
            KeypairEncoding::from_raw(4),
            Err(Error::UnsupportedEncoding)
        );
        assert_eq!(PublickeyEncoding::from_raw(4), Ok(PublickeyEncoding::Local));
        assert_eq!(
            SecretkeyEncoding::from_raw(5),
            Err(Error::UnsupportedEncoding)
        );
        assert_eq!(
            SignatureEncoding::from_raw(2),
            Err(Error::UnsupportedEncoding)
        );
    }

    #[test]
    fn names_fold_ascii_case_only() {
        assert!(name_eq(b"xchacha20-poly1305", "XCHACHA20-POLY1305"));
        assert!(!name_eq(b"SHA-256\0", "SHA-256"));
        assert!(!name_eq(&[0xff, 0xfe], "SHA-256"));
    }
}
