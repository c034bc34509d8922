//! `RSA_PKCS1_{2048_SHA256,2048_SHA384,2048_SHA512,3072_SHA384,3072_SHA512,4096_SHA512}` and
//! `RSA_PSS_` of the same six: RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 8017 §8), on the `rsa`
//! crate (padding, key types, PKCS#1/PKCS#8/SPKI encodings) over crypto-bigint.
//!
//! - One family per modulus size (2048, 3072, 4096 bits), so a signature's length is known at
//!   `signature_import`: `raw` is exactly the modulus length, anything else `invalid_signature`;
//!   RSA has no `der` signature form (`unsupported_encoding`).
//! - Keys: secret keys and key pairs as PKCS#8 `PrivateKeyInfo` (`pkcs8`) and its PEM
//!   (`PRIVATE KEY`; PEM import also takes PKCS#1 `RSA PRIVATE KEY`); public keys as
//!   SubjectPublicKeyInfo (`pkcs8`) and its PEM (`PUBLIC KEY`; import also takes PKCS#1
//!   `RSA PUBLIC KEY`). `raw`, `sec`, `local`: `unsupported_encoding`.
//! - Import checks: the modulus is exactly the algorithm's size; `e` is odd, at least 3 and at
//!   most 2^33 - 1 (the `rsa` crate's bound against RSA denial-of-service exponents); for
//!   private keys `n = p·q` (unbalanced primes accepted, at a slower speed),
//!   `d·e ≡ 1 (mod p-1, q-1)`, `d < n`, and the encoded CRT values (`dP`, `dQ`, `qInv`)
//!   equal the ones the primes give. Any failure: `invalid_key`. Multi-prime keys:
//!   `invalid_key`.
//! - Generation: `e = 65537`, a modulus of exactly the algorithm's size, primes from the
//!   context's generator, within a fixed bound on the work ([`keygen`]: past it,
//!   `algorithm_failure`, with probability below 2⁻¹⁶⁰).
//! - Verification: RSAVP1 on the key's Montgomery constants cached at import ([`public`]), then
//!   the comparison with the digest's PKCS#1 v1.5 encoding or EMSA-PSS-VERIFY.
//! - Signing: the private operation is blinded and fault-checked (the signature is verified with
//!   the public key before it leaves, see [`crt`]). Blinding factors and PSS salts come from the
//!   context's generator; a deterministic context (no generator) draws them from a ChaCha20
//!   stream keyed by HMAC-SHA-512 over a per-key secret and the message digest, so signing
//!   stays blinded and PKCS#1 v1.5 signatures (deterministic by definition) are unchanged.
//! - PSS: MGF1 with the message hash, salt length = hash length, for signing and verification.
//! - States hash incrementally; `sign` finalizes a copy, so the state goes on absorbing.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::convert::Infallible;

use ::rsa::pkcs1::{self, DecodeRsaPublicKey};
use ::rsa::pkcs8::{DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ::rsa::traits::{PrivateKeyParts, PublicKeyParts};
use ::rsa::{BoxedUint, Pkcs1v15Sign, PrivateKey, PublicKey};
use chacha20::ChaCha20;
use chacha20::cipher::{KeyIvInit, StreamCipher};
use crypto_bigint::Integer;
use der::Decode;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::{Algorithm, Exported, Family, Keys, Rng, Signing, der_or_pem, exported};
use crate::budget::Limits;
use crate::errno::{Error, Result};
use crate::symmetric::hash::{HashAlg as Sha2, HashState};
use crate::types::{
    AlgorithmType, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding, SignatureEncoding,
};

mod crt;
mod keygen;
mod mont;
mod ps;
mod public;

/// The arithmetic behind verification and signing, on arbitrary inputs, for the differential
/// fuzz target `rsa_arith` (it compares both with crypto-bigint).
#[cfg(feature = "fuzzing")]
pub(crate) mod fuzzing {
    use alloc::vec::Vec;

    use crypto_bigint::modular::BoxedMontyParams;
    use crypto_bigint::{BoxedUint, Odd};

    fn odd(n_be: &[u8]) -> Option<Odd<BoxedUint>> {
        let bits = u32::try_from(n_be.len().checked_mul(8)?).ok()?;
        Odd::new(BoxedUint::from_be_slice(n_be, bits).ok()?).into_option()
    }

    /// `s^e mod n` through the public operation (`None` where it refuses: even `n`, `n` over
    /// 4096 bits, `e` even or below 3, `s` not below `n` or not `n`'s byte length).
    pub fn rsa_public_op(n_be: &[u8], e: u64, s_be: &[u8]) -> Option<Vec<u8>> {
        let params = BoxedMontyParams::new(odd(n_be)?);
        let op = super::public::PublicOp::new(&params, &BoxedUint::from(e)).ok()?;
        let mut out = alloc::vec![0u8; op.len()];
        op.apply(s_be, &mut out).ok()?;
        Some(out)
    }

    /// `base^exp mod n` through the signer's constant-time exponentiation (`n`'s precision for
    /// `base`, which must be below `n`), as big-endian bytes of `n`'s length.
    pub fn rsa_mont_pow(n_be: &[u8], exp_be: &[u8], base_be: &[u8]) -> Option<Vec<u8>> {
        let n = odd(n_be)?;
        let bits = n.as_ref().bits_precision();
        let base = BoxedUint::from_be_slice(base_be, bits).ok()?;
        if base >= *n.as_ref() {
            return None;
        }
        let exp_bits = u32::try_from(exp_be.len().checked_mul(8)?).ok()?.max(1);
        let exp = BoxedUint::from_be_slice(exp_be, exp_bits).ok()?;
        let m = super::mont::Mont::new(&BoxedMontyParams::new(n));
        Some(m.pow(&base, &exp).ok()?.to_be_bytes().to_vec())
    }
}

/// The hash of an algorithm (also MGF1's for PSS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HashAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlg {
    /// A running hash of this function (the symmetric module's SHA-2 state).
    fn state(self) -> HashState {
        HashState::new(match self {
            HashAlg::Sha256 => Sha2::Sha256,
            HashAlg::Sha384 => Sha2::Sha384,
            HashAlg::Sha512 => Sha2::Sha512,
        })
    }

    /// The digest's length in bytes.
    fn output_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }
}

/// What an algorithm name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Params {
    bits: usize,
    hash: HashAlg,
    pss: bool,
}

/// Every RSA algorithm with its parameters.
const PARAMS: &[(&str, Params)] = &[
    ("RSA_PKCS1_2048_SHA256", p(2048, HashAlg::Sha256, false)),
    ("RSA_PKCS1_2048_SHA384", p(2048, HashAlg::Sha384, false)),
    ("RSA_PKCS1_2048_SHA512", p(2048, HashAlg::Sha512, false)),
    ("RSA_PKCS1_3072_SHA384", p(3072, HashAlg::Sha384, false)),
    ("RSA_PKCS1_3072_SHA512", p(3072, HashAlg::Sha512, false)),
    ("RSA_PKCS1_4096_SHA512", p(4096, HashAlg::Sha512, false)),
    ("RSA_PSS_2048_SHA256", p(2048, HashAlg::Sha256, true)),
    ("RSA_PSS_2048_SHA384", p(2048, HashAlg::Sha384, true)),
    ("RSA_PSS_2048_SHA512", p(2048, HashAlg::Sha512, true)),
    ("RSA_PSS_3072_SHA384", p(3072, HashAlg::Sha384, true)),
    ("RSA_PSS_3072_SHA512", p(3072, HashAlg::Sha512, true)),
    ("RSA_PSS_4096_SHA512", p(4096, HashAlg::Sha512, true)),
];

const fn p(bits: usize, hash: HashAlg, pss: bool) -> Params {
    Params { bits, hash, pss }
}

/// The parameters of one of this module's algorithms.
fn params(alg: &Algorithm) -> Result<Params> {
    PARAMS
        .iter()
        .find(|(name, _)| *name == alg.name)
        .map(|(_, p)| *p)
        .ok_or(Error::UnsupportedAlgorithm)
}

/// `v` in a fresh heap allocation, failing with an errno rather than aborting.
fn try_box<T>(v: T) -> Result<Box<[T; 1]>> {
    let mut vec = Vec::new();
    vec.try_reserve_exact(1)
        .map_err(|_| Error::AlgorithmFailure)?;
    vec.push(v);
    vec.into_boxed_slice()
        .try_into()
        .map_err(|_| Error::InternalError)
}

/// A secret key: the `rsa` crate's key (which wipes itself on drop, and holds `dP`, `dQ` and
/// `qInv` computed once at import), the Montgomery parameters of `p` and `q` (also computed
/// once), and the seed of the deterministic-context blinding stream.
#[derive(Clone)]
pub(crate) struct Secret(Box<[SecretInner; 1]>);

#[derive(Clone)]
struct SecretInner {
    alg: &'static Algorithm,
    params: Params,
    key: PrivateKey,
    crt: crt::CrtParams,
    blind_seed: [u8; 32],
}

impl Drop for SecretInner {
    fn drop(&mut self) {
        self.blind_seed.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for SecretInner {}

impl Secret {
    fn inner(&self) -> &SecretInner {
        let [inner] = &*self.0;
        inner
    }

    /// Wraps a checked key of `alg`'s size (`invalid_key` for any other size).
    fn new(alg: &'static Algorithm, key: PrivateKey) -> Result<Self> {
        let params = params(alg)?;
        check_public(&params, key.n(), key.e())?;
        let crt = crt::CrtParams::new(&key)?;
        let mut d = Zeroizing::new(key.d().to_be_bytes());
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"wasmcrypt RSA blinding seed")
            .map_err(|_| Error::InternalError)?;
        mac.update(&d);
        d.zeroize();
        let blind_seed: [u8; 32] = mac.finalize().into_bytes().into();
        try_box(SecretInner {
            alg,
            params,
            key,
            crt,
            blind_seed,
        })
        .map(Secret)
    }
}

/// A public key of one algorithm.
#[derive(Clone)]
pub(crate) struct Public(Box<[PublicInner; 1]>);

#[derive(Clone)]
struct PublicInner {
    params: Params,
    key: PublicKey,
    /// The public operation on the key's constants, computed once.
    op: public::PublicOp,
}

impl Public {
    fn inner(&self) -> &PublicInner {
        let [inner] = &*self.0;
        inner
    }

    fn new(alg: &'static Algorithm, key: PublicKey) -> Result<Self> {
        let params = params(alg)?;
        check_public(&params, key.n(), key.e())?;
        let op = public::PublicOp::new(key.n_params(), key.e())?;
        try_box(PublicInner { params, key, op }).map(Public)
    }
}

/// The modulus has exactly the algorithm's size; `e` is odd, at least 3, below `n`.
fn check_public(params: &Params, n: &BoxedUint, e: &BoxedUint) -> Result<()> {
    let bits = usize::try_from(n.bit_width_vartime()).map_err(|_| Error::InvalidKey)?;
    let odd_e = bool::from(e.is_odd()) && *e >= BoxedUint::from(3u64);
    if bits != params.bits || !bool::from(n.is_odd()) || !odd_e || e >= n {
        return Err(Error::InvalidKey);
    }
    Ok(())
}

/// `v` as big-endian bytes without leading zeros (the DER `INTEGER` magnitude).
fn minimal(v: &[u8]) -> &[u8] {
    let zeros = v.iter().take_while(|b| **b == 0).count();
    v.get(zeros..).unwrap_or_default()
}

/// Whether the encoded integer `enc` equals `v` (compared in constant time for equal lengths).
fn same_uint(enc: &[u8], v: &BoxedUint) -> bool {
    let mine = Zeroizing::new(v.to_be_bytes());
    let (a, b) = (minimal(enc), minimal(&mine));
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// The bit length of a big-endian magnitude.
fn bit_len(be: &[u8]) -> usize {
    let m = minimal(be);
    let lead = m.first().map_or(8, |b| b.leading_zeros());
    m.len()
        .saturating_mul(8)
        .saturating_sub(usize::try_from(lead).unwrap_or(8))
}

/// A PKCS#1 `RSAPrivateKey`, fully checked.
///
/// Keys whose primes are not both at most half the modulus' size (unbalanced primes, which
/// FIPS 186 excludes but PKCS#1 allows) import with modulus-width CRT values: their sizes are
/// read from the encoding's public lengths, never from a failed attempt.
fn from_pkcs1(alg: &'static Algorithm, der_bytes: &[u8]) -> Result<Secret> {
    let k = pkcs1::RsaPrivateKeyRef::from_der(der_bytes).map_err(|_| Error::InvalidKey)?;
    if k.version() != pkcs1::Version::TwoPrime {
        return Err(Error::InvalidKey);
    }
    let n_bytes = minimal(k.modulus.as_bytes());
    let prec = n_bytes
        .len()
        .checked_mul(8)
        .and_then(|b| u32::try_from(b).ok())
        .ok_or(Error::InvalidKey)?;
    let e_bytes = minimal(k.public_exponent.as_bytes());
    let e_prec = e_bytes
        .len()
        .max(1)
        .checked_mul(8)
        .and_then(|b| u32::try_from(b).ok())
        .ok_or(Error::InvalidKey)?;
    let uint = |b: &[u8], bits: u32| {
        BoxedUint::from_be_slice(minimal(b), bits).map_err(|_| Error::InvalidKey)
    };
    let n = uint(n_bytes, prec)?;
    let e = uint(e_bytes, e_prec)?;
    let d = uint(k.private_exponent.as_bytes(), prec)?;
    let p = uint(k.prime1.as_bytes(), prec)?;
    let q = uint(k.prime2.as_bytes(), prec)?;
    let half = bit_len(n_bytes).div_ceil(2);
    let wide = bit_len(k.prime1.as_bytes()) > half || bit_len(k.prime2.as_bytes()) > half;
    let key = if wide {
        PrivateKey::from_components_with_wide_primes(n, e, d, alloc::vec![p, q])
    } else {
        PrivateKey::from_components(n, e, d, alloc::vec![p, q])
    }
    .map_err(|_| Error::InvalidKey)?;
    let (dp, dq, qinv) = (k.exponent1, k.exponent2, k.coefficient);
    let crt_ok = match (key.dp(), key.dq(), key.crt_coefficient()) {
        (Some(kdp), Some(kdq), Some(kqinv)) => {
            let ok = same_uint(dp.as_bytes(), kdp)
                & same_uint(dq.as_bytes(), kdq)
                & same_uint(qinv.as_bytes(), &kqinv);
            let mut kqinv = kqinv;
            kqinv.zeroize();
            ok
        }
        _ => false,
    };
    if !crt_ok {
        return Err(Error::InvalidKey);
    }
    Secret::new(alg, key)
}

/// A PKCS#8 `PrivateKeyInfo` holding an `rsaEncryption` key.
fn from_pkcs8(alg: &'static Algorithm, der_bytes: &[u8]) -> Result<Secret> {
    let info =
        ::rsa::pkcs8::PrivateKeyInfoRef::from_der(der_bytes).map_err(|_| Error::InvalidKey)?;
    let null_params = info
        .algorithm
        .parameters_any()
        .is_ok_and(|p| p == der::asn1::Null.into());
    if info.algorithm.oid != pkcs1::ALGORITHM_OID || !null_params {
        return Err(Error::InvalidKey);
    }
    from_pkcs1(alg, info.private_key.as_bytes())
}

/// PEM text decoded to its label and DER bytes (wiped on drop).
fn pem_decode(bytes: &[u8]) -> Result<(&str, Zeroizing<Vec<u8>>)> {
    der::pem::decode_vec(bytes)
        .map(|(label, der)| (label, Zeroizing::new(der)))
        .map_err(|_| Error::InvalidKey)
}

fn secret_import(alg: &'static Algorithm, enc: SecretkeyEncoding, bytes: &[u8]) -> Result<Secret> {
    match enc {
        SecretkeyEncoding::Pkcs8 => from_pkcs8(alg, bytes),
        SecretkeyEncoding::Pem => match pem_decode(bytes)? {
            ("PRIVATE KEY", der) => from_pkcs8(alg, &der),
            ("RSA PRIVATE KEY", der) => from_pkcs1(alg, &der),
            _ => Err(Error::InvalidKey),
        },
        SecretkeyEncoding::Raw | SecretkeyEncoding::Sec | SecretkeyEncoding::Local => {
            Err(Error::UnsupportedEncoding)
        }
    }
}

fn secret_export(sk: &Secret, enc: SecretkeyEncoding) -> Result<Exported> {
    match enc {
        SecretkeyEncoding::Pkcs8 | SecretkeyEncoding::Pem => {
            let doc = sk
                .inner()
                .key
                .to_pkcs8_der()
                .map_err(|_| Error::AlgorithmFailure)?;
            der_or_pem(doc.as_bytes(), "PRIVATE KEY", enc == SecretkeyEncoding::Pem)
        }
        SecretkeyEncoding::Raw | SecretkeyEncoding::Sec | SecretkeyEncoding::Local => {
            Err(Error::UnsupportedEncoding)
        }
    }
}

fn public_import(alg: &'static Algorithm, enc: PublickeyEncoding, bytes: &[u8]) -> Result<Public> {
    let key = match enc {
        PublickeyEncoding::Pkcs8 => PublicKey::from_public_key_der(bytes).ok(),
        PublickeyEncoding::Pem => match pem_decode(bytes)? {
            ("PUBLIC KEY", der) => PublicKey::from_public_key_der(&der).ok(),
            ("RSA PUBLIC KEY", der) => PublicKey::from_pkcs1_der(&der).ok(),
            _ => None,
        },
        PublickeyEncoding::Raw | PublickeyEncoding::Sec | PublickeyEncoding::Local => {
            return Err(Error::UnsupportedEncoding);
        }
    };
    Public::new(alg, key.ok_or(Error::InvalidKey)?)
}

fn public_export(pk: &Public, enc: PublickeyEncoding) -> Result<Exported> {
    match enc {
        PublickeyEncoding::Pkcs8 | PublickeyEncoding::Pem => {
            let doc = pk
                .inner()
                .key
                .to_public_key_der()
                .map_err(|_| Error::AlgorithmFailure)?;
            der_or_pem(doc.as_bytes(), "PUBLIC KEY", enc == PublickeyEncoding::Pem)
        }
        PublickeyEncoding::Raw | PublickeyEncoding::Sec | PublickeyEncoding::Local => {
            Err(Error::UnsupportedEncoding)
        }
    }
}

/// A finished digest (at most 64 bytes) and its length.
struct DigestBytes([u8; 64], usize);

impl DigestBytes {
    /// The digest of everything `state` (of `alg`) absorbed so far; the state goes on.
    fn of(state: &HashState, alg: HashAlg) -> Result<Self> {
        let mut out = [0u8; 64];
        let len = alg.output_len();
        state.digest_into(out.get_mut(..len).ok_or(Error::InternalError)?)?;
        Ok(DigestBytes(out, len))
    }

    fn as_slice(&self) -> &[u8] {
        self.0.get(..self.1).unwrap_or_default()
    }
}

/// A signature: exactly the modulus length.
#[derive(Clone)]
pub(crate) struct Signature(Vec<u8>);

/// A signing state.
pub(crate) struct SignState {
    sk: Secret,
    hash: HashState,
}

/// A verification state.
pub(crate) struct VerifyState {
    pk: Public,
    hash: HashState,
}

/// Randomness for a signature: the context's generator, or, in a deterministic context, a
/// ChaCha20 stream keyed by HMAC-SHA-512(per-key seed, algorithm ‖ digest).
enum SignRng<'a, 'b> {
    Ctx(&'a mut Rng<'b>),
    Derived(ChaCha20),
}

impl SignRng<'_, '_> {
    fn derived(sk: &SecretInner, digest: &[u8]) -> Result<Self> {
        let mut mac = <Hmac<Sha512> as KeyInit>::new_from_slice(&sk.blind_seed)
            .map_err(|_| Error::InternalError)?;
        mac.update(sk.alg.name.as_bytes());
        mac.update(&[0]);
        mac.update(digest);
        let mut out: [u8; 64] = mac.finalize().into_bytes().into();
        let (key, nonce) = out.split_at(32);
        let cipher = ChaCha20::new_from_slices(key, nonce.get(..12).unwrap_or_default())
            .map_err(|_| Error::InternalError);
        out.zeroize();
        cipher.map(SignRng::Derived)
    }
}

impl rand_core::TryRng for SignRng<'_, '_> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> core::result::Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> core::result::Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Infallible> {
        match self {
            SignRng::Ctx(rng) => rand_core::TryRng::try_fill_bytes(*rng, dst),
            SignRng::Derived(c) => {
                dst.fill(0);
                c.apply_keystream(dst);
                Ok(())
            }
        }
    }
}

impl rand_core::TryCryptoRng for SignRng<'_, '_> {}

/// Signs `digest` with `sk`'s algorithm: the padded message through [`crt::sign`]
/// (blinded, fault-checked).
fn sign_digest(sk: &SecretInner, digest: &[u8], rng: &mut SignRng<'_, '_>) -> Result<Signature> {
    let k = sk.key.size();
    let em = if sk.params.pss {
        let mut salt = Zeroizing::new([0u8; 64]);
        let salt = salt.get_mut(..digest.len()).ok_or(Error::InternalError)?;
        rand_core::TryRng::try_fill_bytes(rng, salt).map_err(|_| Error::InternalError)?;
        let em_bits = usize::try_from(sk.key.n().bit_width_vartime())
            .map_err(|_| Error::InternalError)?
            .checked_sub(1)
            .ok_or(Error::InternalError)?;
        match sk.params.hash {
            HashAlg::Sha256 => crt::pss_encode::<Sha256>(digest, em_bits, salt),
            HashAlg::Sha384 => crt::pss_encode::<Sha384>(digest, em_bits, salt),
            HashAlg::Sha512 => crt::pss_encode::<Sha512>(digest, em_bits, salt),
        }?
    } else {
        let scheme = pkcs1v15(sk.params.hash);
        crt::pkcs1v15_encode(&scheme, digest, k)?
    };
    let reuse = matches!(rng, SignRng::Ctx(_));
    let sig = crt::sign(&sk.crt, &sk.key, &em, rng, reuse)?;
    Ok(Signature(sig))
}

fn pkcs1v15(h: HashAlg) -> Pkcs1v15Sign {
    match h {
        HashAlg::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        HashAlg::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        HashAlg::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
    }
}

/// Verifies `sig` over `digest` under `pk`'s algorithm (`verification_failed` if it does not):
/// RSAVP1 on the key's cached constants ([`public`]), then the encoding's check.
fn verify_digest(pk: &PublicInner, digest: &[u8], sig: &[u8]) -> Result<()> {
    let mut em = [0u8; public::MAX_BYTES];
    let em = em.get_mut(..pk.op.len()).ok_or(Error::VerificationFailed)?;
    pk.op.apply(sig, em)?;
    if pk.params.pss {
        let em_bits = pk.params.bits.wrapping_sub(1);
        match pk.params.hash {
            HashAlg::Sha256 => public::pss_check::<Sha256>(em, digest, em_bits),
            HashAlg::Sha384 => public::pss_check::<Sha384>(em, digest, em_bits),
            HashAlg::Sha512 => public::pss_check::<Sha512>(em, digest, em_bits),
        }
    } else {
        let expected = crt::pkcs1v15_encode(&pkcs1v15(pk.params.hash), digest, em.len())?;
        public::pkcs1v15_check(em, &expected)
    }
}

/// Heap charged to the context's budget for a secret key of a `bytes`-byte modulus. The key's
/// parts live in the `rsa` and `crypto-bigint` crates' own boxes, whose sizes are not exposed,
/// so this is an upper bound measured with a counting allocator (the key, its CRT values,
/// the Montgomery constants of p, q and n, and the public operation's cached `n`, `R²` and
/// reversed `n`); `core/tests/budget.rs` checks heap ≤ charge ≤ 2·heap at every size.
const fn secret_heap(bytes: usize) -> usize {
    bytes.saturating_mul(24).saturating_add(1024)
}

/// Heap charged for a public key: the key and the public operation's three modulus-sized
/// arrays (measured; see above).
const fn public_heap(bytes: usize) -> usize {
    bytes.saturating_mul(5).saturating_add(512)
}

/// Defines the family of one modulus size.
macro_rules! rsa_family {
    ($(#[$doc:meta])* $family:ident, $bytes:literal, [$($name:literal),*]) => {
        $(#[$doc])*
        pub(crate) struct $family;

        impl Keys for $family {
            const ALGORITHMS: &'static [Algorithm] = &[$(Algorithm {
                name: $name,
                alg_type: AlgorithmType::Signatures,
                family: Family::$family,
            },)*];
            type Secret = Secret;
            type Public = Public;

            fn secret_heap(_: &Secret) -> usize {
                secret_heap($bytes)
            }

            fn public_heap(_: &Public) -> usize {
                public_heap($bytes)
            }

            fn generate(alg: &'static Algorithm, rng: &mut Rng<'_>) -> Result<Secret> {
                let bits = params(alg)?.bits;
                let key = keygen::generate(rng, bits, 65537)?;
                Secret::new(alg, key)
            }

            fn secret_import(
                alg: &'static Algorithm,
                enc: SecretkeyEncoding,
                bytes: &[u8],
            ) -> Result<Secret> {
                secret_import(alg, enc, bytes)
            }

            fn secret_export(sk: &Secret, enc: SecretkeyEncoding) -> Result<Exported> {
                secret_export(sk, enc)
            }

            fn keypair_import(
                alg: &'static Algorithm,
                enc: KeypairEncoding,
                bytes: &[u8],
            ) -> Result<(Secret, Public)> {
                let sk = secret_import(alg, super::keypair_encoding(enc), bytes)?;
                let pk = Self::public_of(&sk);
                Ok((sk, pk))
            }

            fn keypair_export(sk: &Secret, _: &Public, enc: KeypairEncoding) -> Result<Exported> {
                secret_export(sk, super::keypair_encoding(enc))
            }

            fn public_import(
                alg: &'static Algorithm,
                enc: PublickeyEncoding,
                bytes: &[u8],
            ) -> Result<Public> {
                public_import(alg, enc, bytes)
            }

            fn public_export(pk: &Public, enc: PublickeyEncoding) -> Result<Exported> {
                public_export(pk, enc)
            }

            /// Import checked everything a public key can show (size, odd `n`, odd
            /// `3 ≤ e < n`); checked again here.
            fn public_verify(pk: &Public) -> Result<()> {
                let k = &pk.inner().key;
                check_public(&pk.inner().params, k.n(), k.e())
            }

            fn public_of(sk: &Secret) -> Public {
                let inner = sk.inner();
                Public(Box::new([PublicInner {
                    params: inner.params,
                    key: inner.key.to_public_key(),
                    op: inner.crt.public_op().clone(),
                }]))
            }

            fn matches(sk: &Secret, pk: &Public) -> bool {
                let (s, p) = (&sk.inner().key, &pk.inner().key);
                s.n() == p.n() && s.e() == p.e()
            }
        }

        impl Signing for $family {
            type Signature = Signature;
            type SignState = SignState;
            type VerifyState = VerifyState;

            fn sign_state_heap(_: &SignState) -> usize {
                secret_heap($bytes)
            }

            fn verify_state_heap(_: &VerifyState) -> usize {
                public_heap($bytes)
            }

            fn signature_heap(sig: &Signature) -> usize {
                sig.0.capacity()
            }

            fn signature_import(enc: SignatureEncoding, bytes: &[u8]) -> Result<Signature> {
                match enc {
                    SignatureEncoding::Raw if bytes.len() == $bytes => {
                        let mut v = Vec::new();
                        v.try_reserve_exact(bytes.len())
                            .map_err(|_| Error::AlgorithmFailure)?;
                        v.extend_from_slice(bytes);
                        Ok(Signature(v))
                    }
                    SignatureEncoding::Raw => Err(Error::InvalidSignature),
                    SignatureEncoding::Der => Err(Error::UnsupportedEncoding),
                }
            }

            fn signature_export(sig: &Signature, enc: SignatureEncoding) -> Result<Exported> {
                match enc {
                    SignatureEncoding::Raw => exported(&sig.0),
                    SignatureEncoding::Der => Err(Error::UnsupportedEncoding),
                }
            }

            fn sign_open(sk: &Secret, _: &Public) -> Result<SignState> {
                Ok(SignState {
                    sk: sk.clone(),
                    hash: sk.inner().params.hash.state(),
                })
            }

            fn sign_update(st: &mut SignState, data: &[u8], _: &Limits) -> Result<()> {
                st.hash.update(data);
                Ok(())
            }

            fn sign(st: &SignState, rng: Option<&mut Rng<'_>>) -> Result<Signature> {
                let sk = st.sk.inner();
                let digest = DigestBytes::of(&st.hash, sk.params.hash)?;
                let mut rng = match rng {
                    Some(r) => SignRng::Ctx(r),
                    None => SignRng::derived(sk, digest.as_slice())?,
                };
                sign_digest(sk, digest.as_slice(), &mut rng)
            }

            fn verify_open(pk: &Public) -> Result<VerifyState> {
                Ok(VerifyState {
                    pk: pk.clone(),
                    hash: pk.inner().params.hash.state(),
                })
            }

            fn verify_update(st: &mut VerifyState, data: &[u8], _: &Limits) -> Result<()> {
                st.hash.update(data);
                Ok(())
            }

            fn verify(st: &VerifyState, sig: &Signature) -> Result<()> {
                let pk = st.pk.inner();
                let digest = DigestBytes::of(&st.hash, pk.params.hash)?;
                verify_digest(pk, digest.as_slice(), &sig.0)
            }
        }
    };
}

// Secret keys wipe themselves when dropped (checked at compile time).
const _: fn() = || {
    fn wipes_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wipes_on_drop::<PrivateKey>();
    wipes_on_drop::<SecretInner>();
};

rsa_family! {
    /// RSA with a 2048-bit modulus.
    Rsa2048, 256, [
        "RSA_PKCS1_2048_SHA256", "RSA_PKCS1_2048_SHA384", "RSA_PKCS1_2048_SHA512",
        "RSA_PSS_2048_SHA256", "RSA_PSS_2048_SHA384", "RSA_PSS_2048_SHA512"
    ]
}

rsa_family! {
    /// RSA with a 3072-bit modulus.
    Rsa3072, 384, [
        "RSA_PKCS1_3072_SHA384", "RSA_PKCS1_3072_SHA512",
        "RSA_PSS_3072_SHA384", "RSA_PSS_3072_SHA512"
    ]
}

rsa_family! {
    /// RSA with a 4096-bit modulus.
    Rsa4096, 512, ["RSA_PKCS1_4096_SHA512", "RSA_PSS_4096_SHA512"]
}
