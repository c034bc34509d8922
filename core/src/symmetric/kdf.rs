//! HKDF (RFC 5869) as two algorithms per hash, `wasi_ephemeral_crypto_symmetric` "Key
//! derivation using extract-and-expand": `HKDF-EXTRACT/SHA-256`, `HKDF-EXTRACT/SHA-512`,
//! `HKDF-EXPAND/SHA-256`, `HKDF-EXPAND/SHA-512`, built on HMAC directly.
//!
//! - EXTRACT: the key is the IKM (any length). `absorb` feeds the salt; several absorbs are one
//!   concatenated salt, none is the empty salt (which HMAC pads to the RFC's `HashLen` zeros).
//!   `squeeze_key("HKDF-EXPAND/<same hash>")` returns `PRK = HMAC(salt, IKM)` as a key of that
//!   algorithm; any other algorithm is `unsupported_algorithm`, an unknown name's lookup error is
//!   returned as is. The state is unchanged, so it can absorb more salt and squeeze again.
//! - EXPAND: the key is the PRK (at least `HashLen` bytes). `absorb` feeds the info, buffered up
//!   to `Config::max_buffered_len` bytes in total (past it: `overflow`, nothing kept).
//!   `squeeze(out)` writes `OKM = T(1) ‖ T(2) ‖ …` truncated to `out.len()`; more than
//!   `255 × HashLen` bytes is `invalid_length` with nothing written. `OKM` is a function of
//!   (PRK, info, L), so squeezing does not change the state and repeats the same output.
//!
//! Memory: the salt is streamed, never buffered. HMAC uses a key of at most one block as is and
//! replaces a longer one by its hash (RFC 2104), so the state keeps at most one block of salt
//! and, once the salt grows past a block, a running hash of it instead. The info must be kept
//! (every `T(i)` reads it) and is bounded by the configuration.
//!
//! Secrets: the IKM copy is a [`SecretBytes`]; keyed HMAC states, hash states and `T(i)` blocks
//! wipe themselves on drop (`zeroize` feature of `sha2`/`digest`); salt and info buffers are
//! wiped too, although they are usually public, and grow by moving to a fresh allocation so no
//! stale copy is left in freed memory.

use alloc::vec::Vec;

use hmac::digest::block_api::EagerHash;
use hmac::digest::common::BlockSizeUser;
use hmac::digest::typenum::Unsigned;
use hmac::digest::{CtOutput, Digest, OutputSizeUser};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha512};
use zeroize::{Zeroize, Zeroizing};

use super::{Family, KeyRule, OpenEnv, StateOps, SymmetricAlgorithm};
use crate::budget::Limits;
use crate::errno::{Error, Result};
use crate::secret::{SecretBytes, append_bounded, fallible_copy};

/// The HKDF algorithms.
pub(crate) static ALL: &[&SymmetricAlgorithm] = &[
    &HKDF_EXTRACT_SHA256,
    &HKDF_EXTRACT_SHA512,
    &HKDF_EXPAND_SHA256,
    &HKDF_EXPAND_SHA512,
];

/// The hash under HKDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KdfHash {
    Sha256,
    Sha512,
}

/// One half of HKDF over one hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KdfAlg {
    Extract(KdfHash),
    Expand(KdfHash),
}

pub(crate) static HKDF_EXTRACT_SHA256: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "HKDF-EXTRACT/SHA-256",
    key: KeyRule::Any { generate: 32 },
    options: &[],
    family: Family::Kdf(KdfAlg::Extract(KdfHash::Sha256)),
};
pub(crate) static HKDF_EXTRACT_SHA512: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "HKDF-EXTRACT/SHA-512",
    key: KeyRule::Any { generate: 64 },
    options: &[],
    family: Family::Kdf(KdfAlg::Extract(KdfHash::Sha512)),
};
pub(crate) static HKDF_EXPAND_SHA256: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "HKDF-EXPAND/SHA-256",
    key: KeyRule::AtLeast {
        min: 32,
        generate: 32,
    },
    options: &[],
    family: Family::Kdf(KdfAlg::Expand(KdfHash::Sha256)),
};
pub(crate) static HKDF_EXPAND_SHA512: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "HKDF-EXPAND/SHA-512",
    key: KeyRule::AtLeast {
        min: 64,
        generate: 64,
    },
    options: &[],
    family: Family::Kdf(KdfAlg::Expand(KdfHash::Sha512)),
};

/// Largest hash block handled here (SHA-512: 128 bytes).
const MAX_BLOCK: usize = 128;

/// The salt absorbed so far, in the form HMAC will use as its key.
#[derive(Clone)]
enum Salt<D> {
    /// At most one block: HMAC pads such a key with zeros and uses it as is.
    Short {
        bytes: Zeroizing<[u8; MAX_BLOCK]>,
        len: usize,
    },
    /// Longer than a block: HMAC keys with its hash, so the salt streams into one.
    Long(D),
}

/// HKDF-Extract: IKM (the key) and the salt absorbed so far.
pub(crate) struct Extract<D: EagerHash> {
    ikm: SecretBytes,
    salt: Salt<D>,
}

/// HKDF-Expand: HMAC keyed with the PRK, and the info absorbed so far.
pub(crate) struct Expand<D: EagerHash> {
    prk: Hmac<D>,
    info: Zeroizing<Vec<u8>>,
}

/// A state of one of the four algorithms.
pub(crate) enum KdfState {
    ExtractSha256(Extract<Sha256>),
    ExtractSha512(Extract<Sha512>),
    ExpandSha256(Expand<Sha256>),
    ExpandSha512(Expand<Sha512>),
}

fn hash_len<D: OutputSizeUser>() -> usize {
    <D as OutputSizeUser>::OutputSize::USIZE
}

impl<D: EagerHash + BlockSizeUser> Extract<D> {
    fn new(ikm: &[u8]) -> Result<Self> {
        Ok(Extract {
            ikm: SecretBytes::copy_from(ikm)?,
            salt: Salt::Short {
                bytes: Zeroizing::new([0; MAX_BLOCK]),
                len: 0,
            },
        })
    }

    /// Appends salt: kept while it fits one block, hashed from the first byte past it.
    fn absorb_salt(&mut self, data: &[u8]) -> Result<()> {
        let block = <D as BlockSizeUser>::BlockSize::USIZE.min(MAX_BLOCK);
        let longer = match &mut self.salt {
            Salt::Long(h) => {
                Digest::update(h, data);
                return Ok(());
            }
            Salt::Short { bytes, len } => {
                let end = len.checked_add(data.len()).filter(|&end| end <= block);
                if let Some(end) = end {
                    let dst = bytes.get_mut(*len..end).ok_or(Error::InternalError)?;
                    dst.copy_from_slice(data);
                    *len = end;
                    return Ok(());
                }
                let mut h = D::new();
                Digest::update(&mut h, bytes.get(..*len).ok_or(Error::InternalError)?);
                Digest::update(&mut h, data);
                h
            }
        };
        self.salt = Salt::Long(longer);
        Ok(())
    }

    /// `PRK = HMAC-Hash(salt, IKM)`.
    fn prk(&self) -> Result<SecretBytes> {
        let mut mac = match &self.salt {
            Salt::Short { bytes, len } => {
                let key = bytes.get(..*len).ok_or(Error::InternalError)?;
                <Hmac<D> as KeyInit>::new_from_slice(key)
            }
            Salt::Long(h) => {
                let mut key = h.clone().finalize();
                let mac = <Hmac<D> as KeyInit>::new_from_slice(&key);
                key.as_mut_slice().zeroize();
                mac
            }
        }
        .map_err(|_| Error::InternalError)?;
        mac.update(self.ikm.expose());
        let prk = mac.finalize();
        SecretBytes::copy_from(prk.as_bytes())
    }

    fn try_clone(&self) -> Result<Self> {
        Ok(Extract {
            ikm: SecretBytes::copy_from(self.ikm.expose())?,
            salt: self.salt.clone(),
        })
    }
}

impl<D: EagerHash> Expand<D> {
    fn new(prk: &[u8]) -> Result<Self> {
        // `ctx` checked the length at import; check again so a short PRK never expands.
        if prk.len() < hash_len::<D>() {
            return Err(Error::InvalidKey);
        }
        Ok(Expand {
            prk: <Hmac<D> as KeyInit>::new_from_slice(prk).map_err(|_| Error::InternalError)?,
            info: Zeroizing::new(Vec::new()),
        })
    }

    /// `OKM = first L bytes of T(1) ‖ T(2) ‖ …`, `T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i)`.
    fn expand(&self, out: &mut [u8]) -> Result<()> {
        let n = hash_len::<D>();
        let max = n.checked_mul(255).ok_or(Error::InternalError)?;
        if out.len() > max {
            return Err(Error::InvalidLength);
        }
        // `prev` is a `CtOutput`: each `T(i)` is wiped when replaced or dropped.
        let mut prev: Option<CtOutput<Hmac<D>>> = None;
        for (i, chunk) in out.chunks_mut(n.max(1)).enumerate() {
            let counter = i
                .checked_add(1)
                .and_then(|c| u8::try_from(c).ok())
                .ok_or(Error::InternalError)?;
            let mut mac = self.prk.clone();
            if let Some(t) = &prev {
                mac.update(t.as_bytes());
            }
            mac.update(&self.info);
            mac.update(&[counter]);
            let t = mac.finalize();
            let src = t
                .as_bytes()
                .get(..chunk.len())
                .ok_or(Error::InternalError)?;
            chunk.copy_from_slice(src);
            prev = Some(t);
        }
        Ok(())
    }

    fn try_clone(&self) -> Result<Self> {
        Ok(Expand {
            prk: self.prk.clone(),
            info: fallible_copy(&self.info, self.info.len())?,
        })
    }
}

impl KdfState {
    /// A state keyed with the IKM (EXTRACT) or the PRK (EXPAND).
    pub(crate) fn open(alg: KdfAlg, key: Option<&[u8]>, _env: &mut OpenEnv<'_>) -> Result<Self> {
        let key = key.ok_or(Error::KeyRequired)?;
        Ok(match alg {
            KdfAlg::Extract(KdfHash::Sha256) => Self::ExtractSha256(Extract::new(key)?),
            KdfAlg::Extract(KdfHash::Sha512) => Self::ExtractSha512(Extract::new(key)?),
            KdfAlg::Expand(KdfHash::Sha256) => Self::ExpandSha256(Expand::new(key)?),
            KdfAlg::Expand(KdfHash::Sha512) => Self::ExpandSha512(Expand::new(key)?),
        })
    }

    fn hash(&self) -> KdfHash {
        match self {
            Self::ExtractSha256(_) | Self::ExpandSha256(_) => KdfHash::Sha256,
            Self::ExtractSha512(_) | Self::ExpandSha512(_) => KdfHash::Sha512,
        }
    }
}

impl StateOps for KdfState {
    fn heap_bytes(&self) -> usize {
        match self {
            Self::ExtractSha256(s) => s.ikm.capacity(),
            Self::ExtractSha512(s) => s.ikm.capacity(),
            Self::ExpandSha256(s) => s.info.capacity(),
            Self::ExpandSha512(s) => s.info.capacity(),
        }
    }

    /// EXTRACT: salt (streamed, unbounded); EXPAND: info (bounded by `max_buffered_len`).
    fn absorb(&mut self, data: &[u8], limits: &Limits) -> Result<()> {
        match self {
            Self::ExtractSha256(s) => s.absorb_salt(data),
            Self::ExtractSha512(s) => s.absorb_salt(data),
            Self::ExpandSha256(s) => append_bounded(&mut s.info, data, limits),
            Self::ExpandSha512(s) => append_bounded(&mut s.info, data, limits),
        }
    }

    /// EXPAND only: the OKM of `out.len()` bytes for the info absorbed so far.
    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        match self {
            Self::ExpandSha256(s) => s.expand(out),
            Self::ExpandSha512(s) => s.expand(out),
            Self::ExtractSha256(_) | Self::ExtractSha512(_) => Err(Error::InvalidOperation),
        }
    }

    /// EXTRACT only: the PRK, as a key of the EXPAND algorithm of the same hash.
    fn squeeze_key(&mut self, target: Result<&'static SymmetricAlgorithm>) -> Result<SecretBytes> {
        if matches!(self, Self::ExpandSha256(_) | Self::ExpandSha512(_)) {
            return Err(Error::InvalidOperation);
        }
        let target = target?;
        if target.family != Family::Kdf(KdfAlg::Expand(self.hash())) {
            return Err(Error::UnsupportedAlgorithm);
        }
        match self {
            Self::ExtractSha256(s) => s.prk(),
            Self::ExtractSha512(s) => s.prk(),
            Self::ExpandSha256(_) | Self::ExpandSha512(_) => Err(Error::InvalidOperation),
        }
    }

    fn try_clone(&self) -> Result<Self> {
        Ok(match self {
            Self::ExtractSha256(s) => Self::ExtractSha256(s.try_clone()?),
            Self::ExtractSha512(s) => Self::ExtractSha512(s.try_clone()?),
            Self::ExpandSha256(s) => Self::ExpandSha256(s.try_clone()?),
            Self::ExpandSha512(s) => Self::ExpandSha512(s.try_clone()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symmetric::{SymmetricStateObject, find};
    use alloc::vec;

    fn open(alg: &'static SymmetricAlgorithm, key: &[u8]) -> Result<SymmetricStateObject> {
        crate::symmetric::open_for_test(alg, alg, key)
    }

    fn h(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    // RFC 5869 A.1.
    const IKM: &str = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
    const SALT: &str = "000102030405060708090a0b0c";
    const INFO: &str = "f0f1f2f3f4f5f6f7f8f9";
    const PRK: &str = "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5";
    const OKM: &str = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf\
                       34007208d5b887185865";

    #[test]
    fn registry_and_key_rules() {
        for (alg, generate, min) in [
            (&HKDF_EXTRACT_SHA256, 32, 0),
            (&HKDF_EXTRACT_SHA512, 64, 0),
            (&HKDF_EXPAND_SHA256, 32, 32),
            (&HKDF_EXPAND_SHA512, 64, 64),
        ] {
            assert!(core::ptr::eq(find(alg.name.as_bytes()).unwrap(), alg));
            assert_eq!(alg.key.generate_len(), Ok(generate));
            assert_eq!(alg.key.check_len(min), Ok(()));
            assert_eq!(alg.key.check_len(1000), Ok(()));
            if min > 0 {
                assert_eq!(alg.key.check_len(min - 1), Err(Error::InvalidKey));
            }
        }
        assert!(core::ptr::eq(
            find(b"hkdf-expand/sha-512").unwrap(),
            &HKDF_EXPAND_SHA512
        ));
    }

    #[test]
    fn rfc5869_a1_in_pieces() {
        let config = Limits::of(&crate::Config::default());
        let mut ex = open(&HKDF_EXTRACT_SHA256, &h(IKM)).unwrap();
        let salt = h(SALT);
        ex.absorb(&salt[..5], &config).unwrap();
        ex.absorb(&[], &config).unwrap();
        ex.absorb(&salt[5..], &config).unwrap();
        let prk = ex.squeeze_key(Ok(&HKDF_EXPAND_SHA256)).unwrap();
        assert_eq!(prk.expose(), h(PRK));
        // The state is unchanged: the same PRK again.
        assert_eq!(
            ex.squeeze_key(Ok(&HKDF_EXPAND_SHA256)).unwrap().expose(),
            h(PRK)
        );
        let mut exp = open(&HKDF_EXPAND_SHA256, prk.expose()).unwrap();
        let info = h(INFO);
        exp.absorb(&info[..3], &config).unwrap();
        exp.absorb(&info[3..], &config).unwrap();
        let mut okm = vec![0u8; 42];
        exp.squeeze(&mut okm).unwrap();
        assert_eq!(okm, h(OKM));
        // Deterministic: (PRK, info, L) fixes the output; a shorter L is a prefix.
        let mut again = vec![0u8; 42];
        exp.squeeze(&mut again).unwrap();
        assert_eq!(again, okm);
        let mut short = vec![0u8; 7];
        exp.squeeze(&mut short).unwrap();
        assert_eq!(short, okm[..7]);
        exp.squeeze(&mut []).unwrap();
    }

    #[test]
    fn salt_streams_across_the_block_boundary() {
        let config = Limits::of(&crate::Config::default());
        let ikm = [0x42u8; 50];
        for len in [0usize, 1, 63, 64, 65, 127, 128, 129, 300] {
            let salt: Vec<u8> = (0..len).map(|i| i as u8).collect();
            for split in [0, len / 3, len.saturating_sub(1), len] {
                for (alg, expand) in [
                    (&HKDF_EXTRACT_SHA256, &HKDF_EXPAND_SHA256),
                    (&HKDF_EXTRACT_SHA512, &HKDF_EXPAND_SHA512),
                ] {
                    let mut st = open(alg, &ikm).unwrap();
                    st.absorb(&salt[..split], &config).unwrap();
                    st.absorb(&salt[split..], &config).unwrap();
                    let prk = st.squeeze_key(Ok(expand)).unwrap();
                    let want = if alg == &HKDF_EXTRACT_SHA256 {
                        hkdf::Hkdf::<Sha256>::extract(Some(&salt), &ikm).0.to_vec()
                    } else {
                        hkdf::Hkdf::<Sha512>::extract(Some(&salt), &ikm).0.to_vec()
                    };
                    assert_eq!(prk.expose(), want, "{} salt {len} split {split}", alg.name);
                }
            }
        }
    }

    #[test]
    fn no_salt_is_hash_len_zeros() {
        let ikm = h(IKM);
        let mut st = open(&HKDF_EXTRACT_SHA512, &ikm).unwrap();
        let prk = st.squeeze_key(Ok(&HKDF_EXPAND_SHA512)).unwrap();
        let (want, _) = hkdf::Hkdf::<Sha512>::extract(Some(&[0u8; 64]), &ikm);
        assert_eq!(prk.expose(), want.as_slice());
    }

    #[test]
    fn squeeze_key_targets() {
        let mut st = open(&HKDF_EXTRACT_SHA256, b"ikm").unwrap();
        for wrong in [
            &HKDF_EXPAND_SHA512,
            &HKDF_EXTRACT_SHA256,
            &super::super::mac::HMAC_SHA256,
            super::super::hash_sha256_for_test(),
        ] {
            assert_eq!(
                st.squeeze_key(Ok(wrong)).map(|_| ()),
                Err(Error::UnsupportedAlgorithm),
                "{}",
                wrong.name
            );
        }
        assert_eq!(
            st.squeeze_key(Err(Error::UnsupportedAlgorithm)).map(|_| ()),
            Err(Error::UnsupportedAlgorithm)
        );
        let mut exp = open(&HKDF_EXPAND_SHA256, &[7; 32]).unwrap();
        assert_eq!(
            exp.squeeze_key(Ok(&HKDF_EXPAND_SHA256)).map(|_| ()),
            Err(Error::InvalidOperation)
        );
        assert_eq!(
            exp.squeeze_key(Err(Error::UnsupportedAlgorithm))
                .map(|_| ()),
            Err(Error::InvalidOperation)
        );
    }

    #[test]
    fn other_operations_are_invalid() {
        let mut ex = open(&HKDF_EXTRACT_SHA512, b"ikm").unwrap();
        let mut exp = open(&HKDF_EXPAND_SHA512, &[7; 64]).unwrap();
        let mut out = [0u8; 16];
        assert_eq!(ex.squeeze(&mut out), Err(Error::InvalidOperation));
        for st in [&mut ex, &mut exp] {
            assert_eq!(st.squeeze_tag().map(|_| ()), Err(Error::InvalidOperation));
            assert_eq!(st.max_tag_len(), Err(Error::InvalidOperation));
            assert_eq!(st.encrypt(&mut out, b"x"), Err(Error::InvalidOperation));
            assert_eq!(st.decrypt(&mut out, b"x"), Err(Error::InvalidOperation));
            assert_eq!(st.ratchet(), Err(Error::InvalidOperation));
        }
    }

    #[test]
    fn expand_length_limit() {
        for (alg, n) in [(&HKDF_EXPAND_SHA256, 32usize), (&HKDF_EXPAND_SHA512, 64)] {
            let prk = vec![9u8; n];
            let mut st = open(alg, &prk).unwrap();
            let mut max = vec![0u8; 255 * n];
            st.squeeze(&mut max).unwrap();
            let mut want = vec![0u8; 255 * n];
            if n == 32 {
                hkdf::Hkdf::<Sha256>::from_prk(&prk)
                    .unwrap()
                    .expand(&[], &mut want)
                    .unwrap();
            } else {
                hkdf::Hkdf::<Sha512>::from_prk(&prk)
                    .unwrap()
                    .expand(&[], &mut want)
                    .unwrap();
            }
            assert_eq!(max, want);
            let mut over = vec![0xaau8; 255 * n + 1];
            assert_eq!(st.squeeze(&mut over), Err(Error::InvalidLength));
            assert!(over.iter().all(|&b| b == 0xaa), "nothing written");
        }
    }

    #[test]
    fn expand_refuses_a_short_prk() {
        assert!(matches!(
            Expand::<Sha256>::new(&[0; 31]),
            Err(Error::InvalidKey)
        ));
        assert!(Expand::<Sha256>::new(&[0; 32]).is_ok());
        assert!(matches!(
            Expand::<Sha512>::new(&[0; 63]),
            Err(Error::InvalidKey)
        ));
    }

    #[test]
    fn info_is_bounded() {
        let config = Limits {
            max_len: 10,
            room: usize::MAX,
        };
        let mut st = open(&HKDF_EXPAND_SHA256, &[1; 32]).unwrap();
        st.absorb(b"0123", &config).unwrap();
        st.absorb(b"456789", &config).unwrap();
        let mut before = [0u8; 40];
        st.squeeze(&mut before).unwrap();
        assert_eq!(st.absorb(b"a", &config), Err(Error::Overflow));
        assert_eq!(st.absorb(&[0; 100], &config), Err(Error::Overflow));
        st.absorb(b"", &config).unwrap();
        let mut after = [0u8; 40];
        st.squeeze(&mut after).unwrap();
        assert_eq!(before, after, "a refused absorb changes nothing");
        let mut want = [0u8; 40];
        hkdf::Hkdf::<Sha256>::from_prk(&[1; 32])
            .unwrap()
            .expand(b"0123456789", &mut want)
            .unwrap();
        assert_eq!(after, want);
        // The salt streams: no limit there.
        let mut ex = open(&HKDF_EXTRACT_SHA256, b"ikm").unwrap();
        ex.absorb(&[5; 1000], &config).unwrap();
    }

    fn lim(max_len: usize) -> Limits {
        Limits {
            max_len,
            room: usize::MAX,
        }
    }

    #[test]
    fn append_bounded_grows_within_the_limit() {
        let mut buf = Zeroizing::new(Vec::new());
        for i in 0..100u8 {
            append_bounded(&mut buf, &[i; 3], &lim(300)).unwrap();
            assert!(buf.capacity() <= 300);
        }
        assert_eq!(buf.len(), 300);
        assert_eq!(
            append_bounded(&mut buf, &[1], &lim(300)),
            Err(Error::Overflow)
        );
        assert_eq!(
            append_bounded(&mut buf, &[], &lim(usize::MAX)),
            Ok(()),
            "empty append"
        );
        assert_eq!(buf.len(), 300);
    }

    #[test]
    fn clones_are_independent() {
        let config = Limits::of(&crate::Config::default());
        let mut ex = open(&HKDF_EXTRACT_SHA256, &h(IKM)).unwrap();
        ex.absorb(&h(SALT)[..4], &config).unwrap();
        let mut ex2 = ex.try_clone().unwrap();
        ex2.absorb(&h(SALT)[4..], &config).unwrap();
        ex.absorb(b"other", &config).unwrap();
        let prk = ex2.squeeze_key(Ok(&HKDF_EXPAND_SHA256)).unwrap();
        assert_eq!(prk.expose(), h(PRK));
        assert_ne!(
            ex.squeeze_key(Ok(&HKDF_EXPAND_SHA256)).unwrap().expose(),
            h(PRK)
        );

        let mut exp = open(&HKDF_EXPAND_SHA256, &h(PRK)).unwrap();
        exp.absorb(&h(INFO)[..2], &config).unwrap();
        let mut exp2 = exp.try_clone().unwrap();
        exp2.absorb(&h(INFO)[2..], &config).unwrap();
        exp.absorb(b"zz", &config).unwrap();
        let mut okm = [0u8; 42];
        exp2.squeeze(&mut okm).unwrap();
        assert_eq!(okm.to_vec(), h(OKM));
        exp.squeeze(&mut okm).unwrap();
        assert_ne!(okm.to_vec(), h(OKM));
    }
}
