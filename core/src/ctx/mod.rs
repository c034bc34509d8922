//! [`Ctx`]: one context per Wasm instance, and the Rust API with one method per witx function.
//!
//! Every method validates its handles first (`invalid_handle`), then applies the behaviour
//! contract. On error no handle is created and no input handle is consumed.
//!
//! One file per witx module holds that module's methods: `common`, `symmetric`,
//! `asymmetric_common`, `signatures`, `kx` and `external_secrets`.

mod asymmetric_common;
mod common;
mod external_secrets;
mod kx;
mod secrets;
mod signatures;
mod symmetric;

pub(crate) use secrets::Managed;

use crate::asymmetric::{
    KeypairObject, PublickeyObject, SecretkeyObject, SecretsManagerObject, SignatureObject,
    SignatureStateObject, VerificationStateObject,
};
use crate::budget::{Budget, Footprint};
use crate::config::Config;
use crate::errno::{Error, Result};
use crate::handles::{Kind, Slots};
use crate::options::{ArrayOutputObject, OptionName, OptionsObject};
use crate::rng::InstanceRng;
use crate::symmetric::{SymmetricKeyObject, SymmetricStateObject, SymmetricTagObject};
use crate::types::{
    AlgorithmType, ArrayOutput, Keypair, KeypairEncoding, Options, Publickey, PublickeyEncoding,
    Secretkey, SecretkeyEncoding, SecretsManager, Signature, SignatureEncoding, SignatureState,
    SignatureVerificationState, SymmetricKey, SymmetricState, SymmetricTag, Version,
};

/// The per-instance state of the host: slot tables of every handle type and the limits.
pub struct Ctx {
    config: Config,
    /// Heap charged to this context, against `config.max_memory`.
    budget: Budget,
    /// The key store behind the secrets manager, if the embedder gave one.
    secrets: Option<secrets::SecretsEnv>,
    rng: Option<InstanceRng>,
    options: Slots<OptionsObject>,
    array_outputs: Slots<ArrayOutputObject>,
    secrets_managers: Slots<SecretsManagerObject>,
    keypairs: Slots<KeypairObject>,
    publickeys: Slots<PublickeyObject>,
    secretkeys: Slots<SecretkeyObject>,
    signatures: Slots<SignatureObject>,
    signature_states: Slots<SignatureStateObject>,
    verification_states: Slots<VerificationStateObject>,
    symmetric_keys: Slots<SymmetricKeyObject>,
    symmetric_states: Slots<SymmetricStateObject>,
    symmetric_tags: Slots<SymmetricTagObject>,
}

impl core::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ctx")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Default for Ctx {
    fn default() -> Self {
        Self::new(Config::default())
    }
}

/// Most heap a tag or a squeezed key holds (a SHA-512 HMAC tag or PRK: 64 bytes; Xoodyak
/// squeezes at most that much), checked against the budget before a state moves.
const MAX_TAG_HEAP: usize = 64;

/// Looks up an optional options handle and checks its algorithm type (`invalid_handle` if
/// another type's).
fn options_of(
    table: &Slots<OptionsObject>,
    h: Option<Options>,
    want: AlgorithmType,
) -> Result<Option<&OptionsObject>> {
    match h {
        None => Ok(None),
        Some(h) => {
            let o = table.get(h.raw())?;
            if o.alg_type() != want {
                return Err(Error::InvalidHandle);
            }
            Ok(Some(o))
        }
    }
}

impl Ctx {
    /// A context whose every random byte (generated keys, nonces, `random_get`) comes from its
    /// own generator `rng`. Getting an [`InstanceRng`] needs a seeded
    /// [`BaseRng`](crate::rng::BaseRng), so a context with randomness cannot exist before the
    /// trusted source delivered its seed.
    pub fn with_rng(config: Config, rng: InstanceRng) -> Self {
        let mut ctx = Self::new(config);
        ctx.rng = Some(rng);
        ctx
    }

    /// A deterministic context: no randomness at all. Operations that need random bytes
    /// (key generation, automatic nonces) return `unsupported_feature`, and bindings must not
    /// link `random_get` for it. Tables start empty and grow up to the limits.
    pub fn new(config: Config) -> Self {
        let config = config.clamped();
        let n = config.max_handles;
        Ctx {
            config,
            budget: Budget::new(config.max_memory),
            secrets: None,
            rng: None,
            options: Slots::new(Kind::Options, n),
            array_outputs: Slots::new(Kind::ArrayOutput, n),
            secrets_managers: Slots::new(Kind::SecretsManager, n),
            keypairs: Slots::new(Kind::Keypair, n),
            publickeys: Slots::new(Kind::PublicKey, n),
            secretkeys: Slots::new(Kind::SecretKey, n),
            signatures: Slots::new(Kind::Signature, n),
            signature_states: Slots::new(Kind::SignatureState, n),
            verification_states: Slots::new(Kind::VerificationState, n),
            symmetric_keys: Slots::new(Kind::SymmetricKey, n),
            symmetric_states: Slots::new(Kind::SymmetricState, n),
            symmetric_tags: Slots::new(Kind::SymmetricTag, n),
        }
    }

    /// The limits in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Heap bytes currently charged to this context's budget (`Config::max_memory`): its
    /// objects' heap and its slot tables.
    pub fn memory_used(&self) -> usize {
        self.budget.used()
    }

    /// Bytes a call may still hold briefly in a copy of guest input (overlapping buffers).
    pub(crate) fn scratch_room(&self) -> usize {
        self.budget.room()
    }

    /// Whether this context has a generator (is not deterministic).
    pub fn has_rng(&self) -> bool {
        self.rng.is_some()
    }

    /// Fills `dest` from this context's generator. Never fails once the context exists.
    ///
    /// # Errors
    /// `unsupported_feature` for a deterministic context.
    #[inline]
    pub fn random_fill(&mut self, dest: &mut [u8]) -> Result<()> {
        match &mut self.rng {
            Some(r) => {
                r.fill(dest);
                Ok(())
            }
            None => Err(Error::UnsupportedFeature),
        }
    }
}

#[cfg(test)]
impl Ctx {
    pub(crate) fn insert_tag_for_test(&mut self, bytes: &[u8]) -> SymmetricTag {
        let obj = SymmetricTagObject {
            bytes: crate::secret::SecretBytes::copy_from(bytes).unwrap(),
        };
        SymmetricTag::from_raw(self.symmetric_tags.insert(obj, &mut self.budget).unwrap())
    }

    pub(crate) fn insert_array_output_for_test(&mut self, bytes: &[u8]) -> ArrayOutput {
        let obj = ArrayOutputObject::new(bytes, self.config.max_array_output_len).unwrap();
        ArrayOutput::from_raw(self.array_outputs.insert(obj, &mut self.budget).unwrap())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_output_pull_contract() {
        let mut ctx = Ctx::default();
        let h = ctx.insert_array_output_for_test(b"0123456789");
        assert_eq!(ctx.array_output_len(h), Ok(10));
        // buf_len 0 copies nothing and closes nothing.
        assert_eq!(ctx.array_output_pull(h, &mut []), Ok(0));
        let mut b = [0u8; 4];
        assert_eq!(ctx.array_output_pull(h, &mut b), Ok(4));
        assert_eq!(&b, b"0123");
        // The length is the total, not the remainder.
        assert_eq!(ctx.array_output_len(h), Ok(10));
        let mut big = [0u8; 32];
        assert_eq!(ctx.array_output_pull(h, &mut big), Ok(6));
        assert_eq!(&big[..6], b"456789");
        // Fully consumed: closed by itself.
        assert_eq!(ctx.array_output_len(h), Err(Error::InvalidHandle));
        assert_eq!(
            ctx.array_output_pull(h, &mut big),
            Err(Error::InvalidHandle)
        );
        // An empty output closes on the first pull that asks for a byte.
        let e = ctx.insert_array_output_for_test(b"");
        assert_eq!(ctx.array_output_pull(e, &mut []), Ok(0));
        assert_eq!(ctx.array_output_len(e), Ok(0));
        assert_eq!(ctx.array_output_pull(e, &mut b), Ok(0));
        assert_eq!(ctx.array_output_len(e), Err(Error::InvalidHandle));
    }

    #[test]
    fn tag_pull_and_verify_contract() {
        let mut ctx = Ctx::default();
        let t = ctx.insert_tag_for_test(&[5u8; 16]);
        assert_eq!(ctx.symmetric_tag_len(t), Ok(16));
        assert_eq!(ctx.symmetric_tag_verify(t, &[5u8; 16]), Ok(()));
        let mut other = [5u8; 16];
        other[15] = 4;
        assert_eq!(ctx.symmetric_tag_verify(t, &other), Err(Error::InvalidTag));
        // Another length, including empty, never verifies (peers wrong: empty accepted).
        assert_eq!(ctx.symmetric_tag_verify(t, &[]), Err(Error::InvalidTag));
        assert_eq!(
            ctx.symmetric_tag_verify(t, &[5u8; 15]),
            Err(Error::InvalidTag)
        );
        assert_eq!(
            ctx.symmetric_tag_verify(t, &[5u8; 17]),
            Err(Error::InvalidTag)
        );
        // Pull: too small overflow, too large invalid_length, the tag stays open on error.
        assert_eq!(
            ctx.symmetric_tag_pull(t, &mut [0u8; 15]),
            Err(Error::Overflow)
        );
        assert_eq!(
            ctx.symmetric_tag_pull(t, &mut [0u8; 17]),
            Err(Error::InvalidLength)
        );
        let mut out = [0u8; 16];
        assert_eq!(ctx.symmetric_tag_pull(t, &mut out), Ok(16));
        assert_eq!(out, [5u8; 16]);
        assert_eq!(ctx.symmetric_tag_len(t), Err(Error::InvalidHandle));
        assert_eq!(ctx.symmetric_tag_close(t), Err(Error::Closed));
    }

    #[test]
    fn hash_with_key_is_key_not_supported() {
        let alg = crate::symmetric::find(b"SHA-256").unwrap();
        let key_alg = crate::symmetric::hash_sha256_for_test();
        assert_eq!(
            crate::symmetric::open_for_test(alg, key_alg, &[1u8; 32]).err(),
            Some(Error::KeyNotSupported)
        );
    }
}

#[cfg(test)]
mod rng_tests {
    use super::*;
    use crate::rng::testing::CountingSource;
    use crate::rng::{BaseRng, InstanceRng};
    use alloc::boxed::Box;
    use alloc::sync::Arc;

    #[test]
    fn random_fill_and_abi_random_get() {
        let base = BaseRng::new(Box::new(Arc::new(CountingSource::new(9)))).unwrap();
        let mut a = Ctx::with_rng(Config::default(), InstanceRng::new(&base));
        let mut b = Ctx::with_rng(Config::default(), InstanceRng::new(&base));
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        a.random_fill(&mut x).unwrap();
        b.random_fill(&mut y).unwrap();
        assert_ne!(x, y);
        let mut mem = [0u8; 64];
        let call = crate::abi::RANDOM_GET.call;
        assert_eq!(call(&mut a, &mut mem, &[8, 0]), 0);
        assert_eq!(mem, [0u8; 64], "0 bytes asked, none written");
        assert_eq!(call(&mut a, &mut mem, &[8, 32]), 0);
        assert!(mem[8..40].iter().any(|b| *b != 0));
        assert!(mem[..8].iter().chain(&mem[40..]).all(|b| *b == 0));
        let snapshot = mem;
        assert_eq!(call(&mut a, &mut mem, &[60, 5]), crate::abi::WASI_EFAULT);
        assert_eq!(
            call(&mut a, &mut mem, &[0, 0xffff_ffff]),
            crate::abi::WASI_EFAULT
        );
        assert_eq!(mem, snapshot);
        let mut det = Ctx::default();
        assert!(!det.has_rng());
        assert_eq!(call(&mut det, &mut mem, &[0, 4]), crate::abi::WASI_ENOSYS);
        assert_eq!(det.random_fill(&mut x), Err(Error::UnsupportedFeature));
    }
}
