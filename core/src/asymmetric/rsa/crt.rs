//! The RSA private operation and the two signature encodings (RFC 8017 §9.1.1 EMSA-PSS,
//! §9.2 EMSA-PKCS1-v1_5), for [`super`].
//!
//! The private operation uses the per-key values the `rsa` crate computes once at import
//! (Montgomery parameters of `p`, `q` and `n`, `dP`, `dQ`, `qInv` in Montgomery form), so a
//! signature costs two half-size constant-time exponentiations and no parameter setup:
//!
//! 1. base blinding: `c' = c·rᵉ mod n` for an `r` uniform in `[0, n)` and invertible (`r⁻¹` by
//!    a masked variable-time inversion of `r·w`, `w` uniform); with a generator the key keeps
//!    its pair and squares it after each signature, drawing a fresh `r` every 32;
//! 2. CRT: `m₁ = c'^dP mod p`, `m₂ = c'^dQ mod q`, `s' = m₂ + q·(qInv·(m₁ - m₂) mod p)`;
//! 3. unblinding: `s = s'·r⁻¹ mod n`;
//! 4. fault check: `sᵉ mod n` must equal `c`, else no signature leaves (`algorithm_failure`):
//!    a fault in one CRT half would otherwise reveal a factor of `n` (Boneh-DeMillo-Lipton).
//!
//! The encodings are checked against the `rsa` crate's signer and verifier by the tests.

use alloc::sync::Arc;
use alloc::vec::Vec;

use ::rsa::traits::{PrivateKeyParts, PublicKeyParts};
use ::rsa::{BoxedUint, Pkcs1v15Sign, PrivateKey};
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{ConcatenatingMul, RandomMod, Resize};
use sha2::Digest;
use zeroize::{Zeroize, Zeroizing};

use crate::errno::{Error, Result};

/// Tries at drawing an invertible blinding factor; a non-invertible one (a multiple of `p`
/// or `q`) has probability about 2⁻¹⁰²³ per draw, so this bound is never reached in practice.
const BLINDING_TRIES: usize = 8;

/// A zeroed buffer of `len` bytes, allocated fallibly.
fn zeroed(len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| Error::AlgorithmFailure)?;
    v.resize(len, 0);
    Ok(Zeroizing::new(v))
}

/// EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of a digest already computed, into `k` bytes:
/// `00 01 FF…FF 00 ‖ DigestInfo prefix ‖ digest`.
pub(super) fn pkcs1v15_encode(
    scheme: &Pkcs1v15Sign,
    digest: &[u8],
    k: usize,
) -> Result<Zeroizing<Vec<u8>>> {
    if scheme.hash_len != Some(digest.len()) {
        return Err(Error::InternalError);
    }
    let t_len = scheme
        .prefix
        .len()
        .checked_add(digest.len())
        .ok_or(Error::InternalError)?;
    let ps_len = k
        .checked_sub(t_len)
        .and_then(|v| v.checked_sub(3))
        .filter(|ps| *ps >= 8)
        .ok_or(Error::InternalError)?;
    let mut em = zeroed(k)?;
    let (head, rest) = em.split_at_mut(2);
    head.copy_from_slice(&[0, 1]);
    let (ps, rest) = rest.split_at_mut(ps_len);
    ps.fill(0xff);
    let (sep, t) = rest.split_at_mut(1);
    sep.fill(0);
    let (pre, dig) = t.split_at_mut(scheme.prefix.len());
    pre.copy_from_slice(&scheme.prefix);
    dig.copy_from_slice(digest);
    Ok(em)
}

/// `dst ^= MGF1(seed)` with hash `D` (RFC 8017 §B.2.1).
pub(super) fn mgf1_xor<D: Digest>(dst: &mut [u8], seed: &[u8]) {
    let mut counter: u32 = 0;
    for chunk in dst.chunks_mut(<D as Digest>::output_size()) {
        let mut h = D::new();
        h.update(seed);
        h.update(counter.to_be_bytes());
        let mask = h.finalize();
        for (d, m) in chunk.iter_mut().zip(mask.iter()) {
            *d ^= m;
        }
        counter = counter.wrapping_add(1);
    }
}

/// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of the digest `m_hash` with `salt`, for a modulus of
/// `em_bits + 1` bits.
pub(super) fn pss_encode<D: Digest>(
    m_hash: &[u8],
    em_bits: usize,
    salt: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let h_len = <D as Digest>::output_size();
    let em_len = em_bits.div_ceil(8);
    if m_hash.len() != h_len {
        return Err(Error::InternalError);
    }
    // emLen ≥ hLen + sLen + 2.
    let db_len = em_len
        .checked_sub(h_len)
        .and_then(|v| v.checked_sub(1))
        .ok_or(Error::InternalError)?;
    let ps_len = db_len
        .checked_sub(salt.len())
        .and_then(|v| v.checked_sub(1))
        .ok_or(Error::InternalError)?;
    // H = Hash(00…00 ‖ mHash ‖ salt).
    let mut h = D::new();
    h.update([0u8; 8]);
    h.update(m_hash);
    h.update(salt);
    let h = h.finalize();

    let mut em = zeroed(em_len)?;
    let (db, tail) = em.split_at_mut(db_len);
    // DB = PS ‖ 01 ‖ salt, then masked.
    let (_, rest) = db.split_at_mut(ps_len);
    let (one, salt_dst) = rest.split_at_mut(1);
    one.fill(1);
    salt_dst.copy_from_slice(salt);
    mgf1_xor::<D>(db, &h);
    // Clear the leftmost 8·emLen - emBits bits.
    let clear = em_len
        .checked_mul(8)
        .and_then(|v| v.checked_sub(em_bits))
        .ok_or(Error::InternalError)?;
    if let Some(first) = db.first_mut() {
        *first &= 0xffu8
            .checked_shr(u32::try_from(clear).map_err(|_| Error::InternalError)?)
            .unwrap_or(0);
    }
    let (h_dst, bc) = tail.split_at_mut(h_len);
    h_dst.copy_from_slice(&h);
    bc.fill(0xbc);
    Ok(em)
}

/// `x mod m` in Montgomery form for an `x` of any precision: Horner's rule over chunks of
/// the modulus' width (`acc·2^w` is the Montgomery conversion of `acc`'s Montgomery form).
fn reduce(x: &BoxedUint, params: &BoxedMontyParams) -> Result<BoxedMontyForm> {
    let bits = params.bits_precision();
    let width = params.modulus().as_limbs().len();
    let mut acc: Option<BoxedMontyForm> = None;
    for chunk in x.as_limbs().rchunks(width) {
        let mut digit = BoxedUint::zero_with_precision(bits);
        digit
            .as_mut_limbs()
            .get_mut(..chunk.len())
            .ok_or(Error::InternalError)?
            .copy_from_slice(chunk);
        let digit = BoxedMontyForm::new(digit, params);
        acc = Some(match acc {
            None => digit,
            Some(a) => BoxedMontyForm::new(a.as_montgomery().clone(), params).add(&digit),
        });
    }
    acc.ok_or(Error::InternalError)
}

/// The Montgomery parameters of a key's primes, computed once per key. They hold `p` and `q`
/// inside crypto-bigint's shared (`Arc`) parameter type, which its owner cannot wipe: the
/// one copy per key is freed, not zeroized, when the key is dropped (the `rsa` crate's own
/// signer builds and frees such copies on every call). See `SIDE-CHANNELS.md`.
#[derive(Clone)]
pub(super) struct CrtParams {
    p: BoxedMontyParams,
    q: BoxedMontyParams,
    mp: super::mont::Mont,
    mq: super::mont::Mont,
    /// The public operation, for the fault check.
    op: super::public::PublicOp,
    /// The key's current blinding pair, shared by every copy of the key (a signing state
    /// holds a copy).
    blinding: Arc<spin::Mutex<Option<Blinding>>>,
}

/// Signatures one blinding pair serves (squared after each) before a fresh one is drawn.
const BLINDING_REFRESH: u32 = 32;

/// A blinding pair `(rᵉ, r⁻¹) mod n` in Montgomery form, and the signatures it has served.
/// After each signature both halves are squared (`(r²)ᵉ`, `(r²)⁻¹`), three products instead
/// of a fresh draw, an inversion and an exponentiation; every [`BLINDING_REFRESH`] signatures
/// a fresh `r` comes from the context's generator (the scheme of BoringSSL's `BN_BLINDING`).
struct Blinding {
    re: BoxedMontyForm,
    rinv: BoxedMontyForm,
    uses: u32,
}

impl Drop for Blinding {
    fn drop(&mut self) {
        self.re.zeroize();
        self.rinv.zeroize();
    }
}

impl CrtParams {
    pub(super) fn new(key: &PrivateKey) -> Result<Self> {
        match (key.p(), key.q()) {
            (Some(p), Some(q)) => {
                let (p, q) = (
                    BoxedMontyParams::from(p.clone()),
                    BoxedMontyParams::from(q.clone()),
                );
                Ok(CrtParams {
                    op: super::public::PublicOp::new(key.n_params(), key.e())?,
                    mp: super::mont::Mont::new(&p),
                    mq: super::mont::Mont::new(&q),
                    p,
                    q,
                    blinding: Arc::new(spin::Mutex::new(None)),
                })
            }
            _ => Err(Error::InvalidKey),
        }
    }

    /// The key's public operation.
    pub(super) fn public_op(&self) -> &super::public::PublicOp {
        &self.op
    }

    /// `(rᵉ, r⁻¹)` for this signature: the key's pair squared, or a fresh one.
    fn blinding_pair<R>(
        &self,
        key: &PrivateKey,
        rng: &mut R,
        reuse: bool,
    ) -> Result<(BoxedMontyForm, BoxedMontyForm)>
    where
        R: rand_core::TryCryptoRng + ?Sized,
    {
        if reuse {
            let mut slot = self.blinding.lock();
            if let Some(b) = slot.as_mut().filter(|b| b.uses < BLINDING_REFRESH) {
                b.re = b.re.square();
                b.rinv = b.rinv.square();
                b.uses = b.uses.saturating_add(1);
                return Ok((b.re.clone(), b.rinv.clone()));
            }
        }
        let (re, rinv) = fresh_blinding(key, rng)?;
        if reuse {
            *self.blinding.lock() = Some(Blinding {
                re: re.clone(),
                rinv: rinv.clone(),
                uses: 0,
            });
        }
        Ok((re, rinv))
    }
}

/// A fresh blinding pair: `r` uniform mod `n`, invertible. `r⁻¹` through a masked inversion:
/// `z = r·w` for a second uniform `w` is uniform and independent of `r`, so inverting `z` in
/// variable time (crypto-bigint's faster safegcd) shows nothing about `r`; `r⁻¹ = z⁻¹·w`.
fn fresh_blinding<R>(key: &PrivateKey, rng: &mut R) -> Result<(BoxedMontyForm, BoxedMontyForm)>
where
    R: rand_core::TryCryptoRng + ?Sized,
{
    let n_params = key.n_params();
    let n = key.n();
    for _ in 0..BLINDING_TRIES {
        let draw = |rng: &mut R| {
            BoxedUint::try_random_mod_vartime(rng, n)
                .map(Zeroizing::new)
                .map_err(|_| Error::AlgorithmFailure)
        };
        let (r, w) = (draw(rng)?, draw(rng)?);
        let w_m = BoxedMontyForm::new((*w).clone(), n_params);
        let r_m = BoxedMontyForm::new((*r).clone(), n_params);
        let z = Zeroizing::new(r_m.mul(&w_m).retrieve());
        if let Some(zinv) = Option::<BoxedUint>::from(z.invert_odd_mod_vartime(n_params.modulus()))
        {
            let rinv = BoxedMontyForm::new(zinv, n_params).mul(&w_m);
            let e = key.e();
            let re = r_m.pow_bounded_exp(e, e.bit_width_vartime());
            return Ok((re, rinv));
        }
    }
    Err(Error::AlgorithmFailure)
}

/// The signature of the encoded message `em` (exactly `k` bytes, below `n`) under `key` with
/// its per-key `params`: blinded CRT exponentiation with the fault check, as `k` big-endian
/// bytes. `reuse`: keep and update the key's blinding pair (a context with a generator);
/// otherwise a fresh pair from `rng` every time (the deterministic stream derived from the key
/// and the message).
pub(super) fn sign<R>(
    params: &CrtParams,
    key: &PrivateKey,
    em: &[u8],
    rng: &mut R,
    reuse: bool,
) -> Result<Vec<u8>>
where
    R: rand_core::TryCryptoRng + ?Sized,
{
    let (p, q) = (&params.p, &params.q);
    let (Some(dp), Some(dq), Some(qinv)) = (key.dp(), key.dq(), key.qinv()) else {
        return Err(Error::InternalError);
    };
    let n_params = key.n_params();
    let n = key.n();
    let k = key.size();
    let c =
        BoxedUint::from_be_slice(em, key.n_bits_precision()).map_err(|_| Error::InternalError)?;
    if c >= *n.as_ref() || em.len() != k {
        return Err(Error::InternalError);
    }

    // 1. Blinding.
    let (mut re, mut rinv) = params.blinding_pair(key, rng, reuse)?;
    let blinded = Zeroizing::new(BoxedMontyForm::new(c.clone(), n_params).mul(&re).retrieve());
    re.zeroize();

    // 2. CRT.
    // The unrolled Montgomery code where it is faster (1024-bit primes on 64-bit limbs),
    // crypto-bigint's constant-time exponentiation otherwise.
    let (mut m1, mut m2) = if params.mp.unrolled() && params.mq.unrolled() {
        let m1 = Zeroizing::new(params.mp.pow(&reduce(&blinded, p)?.retrieve(), dp)?);
        (
            BoxedMontyForm::new((*m1).clone(), p),
            params.mq.pow(&reduce(&blinded, q)?.retrieve(), dq)?,
        )
    } else {
        (
            reduce(&blinded, p)?.pow(dp),
            reduce(&blinded, q)?.pow(dq).retrieve(),
        )
    };
    let m2_p = reduce(&m2, p)?;
    m1 = m1.sub(&m2_p);
    let mut h = qinv.mul(&m1).retrieve();
    let n_bits = key.n_bits_precision();
    let q_int = q.modulus().as_ref();
    let mut hq = h
        .concatenating_mul(q_int)
        .try_resize(n_bits)
        .ok_or(Error::InternalError)?;
    let mut s_blinded = m2
        .clone()
        .try_resize(n_bits)
        .ok_or(Error::InternalError)?
        .wrapping_add(&hq);
    m1.zeroize();
    m2.zeroize();
    h.zeroize();
    hq.zeroize();

    // 3. Unblinding.
    let s_m = BoxedMontyForm::new(s_blinded.clone(), n_params).mul(&rinv);
    rinv.zeroize();
    s_blinded.zeroize();
    let s = s_m.retrieve();

    // 4. Fault check: sᵉ mod n must give back the encoded message.
    let bytes = s.to_be_bytes();
    let skip = bytes.len().checked_sub(k).ok_or(Error::InternalError)?;
    if bytes.get(..skip).is_some_and(|z| z.iter().any(|b| *b != 0)) {
        return Err(Error::InternalError);
    }
    let sig = bytes.get(skip..).ok_or(Error::InternalError)?;
    let mut check = [0u8; super::public::MAX_BYTES];
    let check = check.get_mut(..k).ok_or(Error::InternalError)?;
    if params.op.apply(sig, check).is_err() || check != em {
        return Err(Error::AlgorithmFailure);
    }
    let mut out = Vec::new();
    out.try_reserve_exact(k)
        .map_err(|_| Error::AlgorithmFailure)?;
    out.extend_from_slice(sig);
    Ok(out)
}
