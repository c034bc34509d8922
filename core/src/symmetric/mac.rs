//! HMAC (RFC 2104, FIPS 198-1) over SHA-256, SHA-384 and SHA-512: `HMAC/SHA-256`,
//! `HMAC/SHA-384`, `HMAC/SHA-512` (`wasi_ephemeral_crypto_symmetric`, "Message Authentication
//! Codes").
//!
//! Keys of any length are accepted (longer than a block: hashed first, as RFC 2104 says);
//! generated keys have the hash's output length. `absorb` streams into the MAC; `squeeze_tag`
//! finalizes a copy, so the state keeps absorbing and every tag covers everything absorbed so
//! far. Every other operation is `invalid_operation`.
//!
//! Secrets: the keyed state (inner and outer hash states and the input buffer) is wiped on drop
//! by the `zeroize` feature of `sha2`/`digest` (checked at compile time below); finalized copies
//! and tag outputs are wiped too (`CtOutput` and [`SecretBytes`]).

use hmac::block_api::HmacCore;
use hmac::digest::block_api::{Buffer, EagerHash};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};

use super::{Family, KeyRule, OpenEnv, StateOps, SymmetricAlgorithm};
use crate::budget::Limits;
use crate::errno::{Error, Result};
use crate::secret::SecretBytes;

/// The HMAC algorithms.
pub(crate) static ALL: &[&SymmetricAlgorithm] = &[&HMAC_SHA256, &HMAC_SHA384, &HMAC_SHA512];

/// The hash under the HMAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MacAlg {
    Sha256,
    Sha384,
    Sha512,
}

pub(crate) static HMAC_SHA256: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "HMAC/SHA-256",
    key: KeyRule::Any { generate: 32 },
    options: &[],
    family: Family::Mac(MacAlg::Sha256),
};
pub(crate) static HMAC_SHA384: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "HMAC/SHA-384",
    key: KeyRule::Any { generate: 48 },
    options: &[],
    family: Family::Mac(MacAlg::Sha384),
};
pub(crate) static HMAC_SHA512: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "HMAC/SHA-512",
    key: KeyRule::Any { generate: 64 },
    options: &[],
    family: Family::Mac(MacAlg::Sha512),
};

// The keyed states must wipe themselves: `Hmac<D>` holds `D::Core` twice (ipad and opad
// states) and a block buffer, and drops them field by field. Fail the build if the `zeroize`
// feature that makes those wipe on drop is ever lost.
const _: () = {
    fn wiped<T: zeroize::ZeroizeOnDrop + ?Sized>() {}
    let _: fn() = wiped::<<Sha256 as EagerHash>::Core>;
    let _: fn() = wiped::<<Sha384 as EagerHash>::Core>;
    let _: fn() = wiped::<<Sha512 as EagerHash>::Core>;
    let _: fn() = wiped::<Buffer<HmacCore<Sha256>>>;
    let _: fn() = wiped::<Buffer<HmacCore<Sha384>>>;
    let _: fn() = wiped::<Buffer<HmacCore<Sha512>>>;
};

/// A keyed, running HMAC.
#[derive(Clone)]
pub(crate) enum MacState {
    Sha256(Hmac<Sha256>),
    Sha384(Hmac<Sha384>),
    Sha512(Hmac<Sha512>),
}

fn keyed<M: KeyInit>(key: &[u8]) -> Result<M> {
    // HMAC takes keys of every length; the error cannot happen.
    M::new_from_slice(key).map_err(|_| Error::InternalError)
}

/// The tag of everything absorbed so far, from a finalized copy.
fn tag_of<M: Mac + Clone>(mac: &M) -> Result<SecretBytes> {
    // `CtOutput` wipes itself when dropped; the copy in `SecretBytes` is wiped with the tag.
    let tag = mac.clone().finalize();
    SecretBytes::copy_from(tag.as_bytes())
}

impl MacState {
    /// A state keyed with `key` (any length; `ctx` checked the key's algorithm).
    pub(crate) fn open(alg: MacAlg, key: Option<&[u8]>, _env: &mut OpenEnv<'_>) -> Result<Self> {
        let key = key.ok_or(Error::KeyRequired)?;
        Ok(match alg {
            MacAlg::Sha256 => Self::Sha256(keyed(key)?),
            MacAlg::Sha384 => Self::Sha384(keyed(key)?),
            MacAlg::Sha512 => Self::Sha512(keyed(key)?),
        })
    }
}

impl StateOps for MacState {
    fn absorb(&mut self, data: &[u8], _limits: &Limits) -> Result<()> {
        // Streaming: nothing is buffered beyond one block, so no limit applies.
        match self {
            Self::Sha256(m) => m.update(data),
            Self::Sha384(m) => m.update(data),
            Self::Sha512(m) => m.update(data),
        }
        Ok(())
    }

    fn squeeze_tag(&mut self) -> Result<SecretBytes> {
        match self {
            Self::Sha256(m) => tag_of(m),
            Self::Sha384(m) => tag_of(m),
            Self::Sha512(m) => tag_of(m),
        }
    }

    fn try_clone(&self) -> Result<Self> {
        // A MAC state encrypts nothing, so a copy is safe; `Hmac` clones deeply (no sharing).
        Ok(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symmetric::{SymmetricKeyObject, SymmetricStateObject};

    fn env_open(alg: &'static SymmetricAlgorithm, key: &[u8]) -> Result<SymmetricStateObject> {
        crate::symmetric::open_for_test(alg, alg, key)
    }

    fn h(s: &str) -> alloc::vec::Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    // RFC 4231 test case 2 ("Jefe", "what do ya want for nothing?").
    const JEFE_256: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    const JEFE_384: &str = "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e\
                            8e2240ca5e69e2c78b3239ecfab21649";
    const JEFE_512: &str = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
                            9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";

    #[test]
    fn registry_and_key_rules() {
        for (alg, generate) in [(&HMAC_SHA256, 32), (&HMAC_SHA384, 48), (&HMAC_SHA512, 64)] {
            assert_eq!(super::super::find(alg.name.as_bytes()).unwrap(), alg);
            assert_eq!(alg.key.generate_len(), Ok(generate));
            assert_eq!(alg.key.check_len(0), Ok(()));
            assert_eq!(alg.key.check_len(1000), Ok(()));
        }
        assert!(core::ptr::eq(
            super::super::find(b"hmac/sha-384").unwrap(),
            &HMAC_SHA384
        ));
    }

    #[test]
    fn tags_stream_and_keep_the_state() {
        let config = Limits::of(&crate::Config::default());
        for (alg, want) in [
            (&HMAC_SHA256, JEFE_256),
            (&HMAC_SHA384, JEFE_384),
            (&HMAC_SHA512, JEFE_512),
        ] {
            let mut st = env_open(alg, b"Jefe").unwrap();
            st.absorb(b"what do ya ", &config).unwrap();
            let early = st.squeeze_tag().unwrap();
            st.absorb(b"", &config).unwrap();
            st.absorb(b"want for nothing?", &config).unwrap();
            let tag = st.squeeze_tag().unwrap();
            assert_eq!(tag.expose(), h(want), "{}", alg.name);
            assert_ne!(early.expose(), tag.expose());
            // Squeezing again gives the same tag: the state was not finalized.
            assert_eq!(st.squeeze_tag().unwrap().expose(), h(want));
        }
    }

    #[test]
    fn clone_is_independent() {
        let config = Limits::of(&crate::Config::default());
        let mut a = env_open(&HMAC_SHA256, b"Jefe").unwrap();
        a.absorb(b"what do ya want ", &config).unwrap();
        let mut b = a.try_clone().unwrap();
        b.absorb(b"for nothing?", &config).unwrap();
        a.absorb(b"XXX", &config).unwrap();
        assert_eq!(b.squeeze_tag().unwrap().expose(), h(JEFE_256));
        assert_ne!(a.squeeze_tag().unwrap().expose(), h(JEFE_256));
    }

    #[test]
    fn other_operations_are_invalid() {
        let mut st = env_open(&HMAC_SHA512, b"k").unwrap();
        let mut buf = [0u8; 80];
        assert_eq!(st.squeeze(&mut buf[..16]), Err(Error::InvalidOperation));
        assert_eq!(
            st.squeeze_key(Ok(&HMAC_SHA512)).map(|_| ()),
            Err(Error::InvalidOperation)
        );
        assert_eq!(
            st.squeeze_key(Err(Error::UnsupportedAlgorithm)).map(|_| ()),
            Err(Error::InvalidOperation)
        );
        assert_eq!(st.max_tag_len(), Err(Error::InvalidOperation));
        let (out, data) = buf.split_at_mut(40);
        assert_eq!(st.encrypt(out, data), Err(Error::InvalidOperation));
        assert_eq!(
            st.decrypt_detached(out, data, &[0; 16]),
            Err(Error::InvalidOperation)
        );
        assert_eq!(st.ratchet(), Err(Error::InvalidOperation));
    }

    #[test]
    fn open_requires_a_key_of_this_algorithm() {
        let mut random = |_: &mut [u8]| Err(Error::UnsupportedFeature);
        let mut env = OpenEnv {
            options: None,
            random: &mut random,
        };
        assert!(matches!(
            SymmetricStateObject::open(&HMAC_SHA256, None, &mut env),
            Err(Error::KeyRequired)
        ));
        let other = SymmetricKeyObject {
            managed: None,
            alg: &HMAC_SHA512,
            bytes: SecretBytes::copy_from(&[1; 64]).unwrap(),
        };
        assert!(matches!(
            SymmetricStateObject::open(&HMAC_SHA256, Some(&other), &mut env),
            Err(Error::InvalidKey)
        ));
        assert!(matches!(
            MacState::open(MacAlg::Sha256, None, &mut env),
            Err(Error::KeyRequired)
        ));
    }
}
