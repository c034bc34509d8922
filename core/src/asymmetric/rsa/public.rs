//! The RSA public operation `s ↦ sᵉ mod n` (RFC 8017 §5.2.2 RSAVP1) and the two signature
//! checks built on it (§8.1.2 RSASSA-PSS-VERIFY, §8.2.2 RSASSA-PKCS1-V1_5-VERIFY), for
//! verification and for signing's fault check.
//!
//! Everything here is public (the modulus, the exponent, the signature, the encoded message),
//! so the exponentiation may take time that depends on `e`: left-to-right square-and-multiply
//! over `e`'s bits, 16 squarings and 2 multiplications for `e = 65537`, against the 40-odd
//! Montgomery products of a constant-time window over the same exponent. The products are
//! [`super::ps`]'s, on the key's Montgomery constants computed once at import; the scratch
//! lives on the stack, so a verification allocates nothing beyond the digest encoding.
//!
//! Every path is checked by the conformance rows (Wycheproof and NIST PKCS#1 v1.5 and PSS
//! verification) and against crypto-bigint by this module's tests.

use alloc::vec::Vec;

use ::rsa::BoxedUint;
use crypto_bigint::Word;
use crypto_bigint::modular::BoxedMontyParams;
use sha2::Digest;
use subtle::ConstantTimeEq;

use super::ps;
use crate::errno::{Error, Result};

/// Limbs of the largest modulus (4096 bits).
const MAX_WORDS: usize = 4096 / Word::BITS as usize;
/// Bytes in a limb.
const WORD_BYTES: usize = Word::BITS as usize / 8;
/// Bytes of the largest modulus.
pub(super) const MAX_BYTES: usize = 512;

/// A public key's modulus and exponent with the modulus' Montgomery constants.
#[derive(Clone)]
pub(super) struct PublicOp {
    /// `n`, then `R² mod n`, then `n` reversed: `k` limbs each, little-endian.
    nr: Vec<Word>,
    /// `-n⁻¹ mod 2^w`.
    n0: Word,
    /// The public exponent (odd, at least 3, below 2^64).
    e: u64,
    /// The modulus' length in bytes.
    bytes: usize,
}

impl PublicOp {
    /// The operation of modulus `n` (its parameters `params`) and exponent `e`; `invalid_key`
    /// for a modulus over 4096 bits, or an exponent even, below 3 or of more than 64 bits.
    pub(super) fn new(params: &BoxedMontyParams, e: &BoxedUint) -> Result<Self> {
        let p = params.as_ref();
        let n = p.modulus().as_ref().as_limbs();
        let r2 = p.r2().as_limbs();
        let k = n.len();
        if k > MAX_WORDS || r2.len() != k {
            return Err(Error::InvalidKey);
        }
        let mut nr = Vec::new();
        nr.try_reserve_exact(k.wrapping_mul(3))
            .map_err(|_| Error::AlgorithmFailure)?;
        nr.extend(n.iter().chain(r2).chain(n.iter().rev()).map(|l| l.0));
        let e_bytes = e.to_be_bytes();
        let (high, low) = e_bytes.split_at(e_bytes.len().saturating_sub(8));
        if high.iter().any(|b| *b != 0) {
            return Err(Error::InvalidKey);
        }
        let mut e8 = [0u8; 8];
        e8.get_mut(8usize.saturating_sub(low.len())..)
            .ok_or(Error::InternalError)?
            .copy_from_slice(low);
        let e = u64::from_be_bytes(e8);
        if e < 3 || e & 1 == 0 {
            return Err(Error::InvalidKey);
        }
        let bits = usize::try_from(p.modulus().as_ref().bit_width_vartime())
            .map_err(|_| Error::InvalidKey)?;
        Ok(PublicOp {
            nr,
            n0: p.mod_neg_inv().0,
            e,
            bytes: bits.div_ceil(8),
        })
    }

    /// The modulus' length in bytes.
    pub(super) fn len(&self) -> usize {
        self.bytes
    }

    /// `out = sigᵉ mod n`, both big-endian and exactly the modulus' length;
    /// `verification_failed` for a representative `≥ n` (§5.2.2 step 1).
    pub(super) fn apply(&self, sig: &[u8], out: &mut [u8]) -> Result<()> {
        let k = self.nr.len() / 3;
        let (n, rest) = self.nr.split_at(k);
        let (r2, rev) = rest.split_at(k);
        let md = ps::Modulus {
            n,
            rev,
            n0: self.n0,
        };
        if sig.len() != self.bytes || out.len() != self.bytes {
            return Err(Error::VerificationFailed);
        }
        let mut s = [0 as Word; MAX_WORDS];
        let s = s.get_mut(..k).ok_or(Error::InternalError)?;
        from_be(s, sig);
        if !less_than(s, n) {
            return Err(Error::VerificationFailed);
        }
        let (mut buf_a, mut buf_b, mut base) = (
            [0 as Word; MAX_WORDS],
            [0 as Word; MAX_WORDS],
            [0 as Word; MAX_WORDS],
        );
        let mut scratch = [0 as Word; 2 * MAX_WORDS];
        let scratch = scratch
            .get_mut(..k.wrapping_mul(2))
            .ok_or(Error::InternalError)?;
        let base = base.get_mut(..k).ok_or(Error::InternalError)?;
        // base = s·R (Montgomery form).
        ps::mul(base, s, r2, &md, scratch);
        let mut x: &mut [Word] = buf_a.get_mut(..k).ok_or(Error::InternalError)?;
        let mut y: &mut [Word] = buf_b.get_mut(..k).ok_or(Error::InternalError)?;
        x.copy_from_slice(base);
        // e is odd and at least 3: its top bit is above bit 0, and bit 0 is set. Each step
        // keeps x = s^(e's bits so far)·R; the last multiplies by s itself, not s·R, which
        // leaves Montgomery form on the way: x·s·R⁻¹ = s^e.
        let top = u64::BITS
            .wrapping_sub(1)
            .wrapping_sub(self.e.leading_zeros());
        for bit in (0..top).rev() {
            ps::sqr(y, x, &md, scratch);
            core::mem::swap(&mut x, &mut y);
            if bit == 0 {
                ps::mul(y, x, s, &md, scratch);
                core::mem::swap(&mut x, &mut y);
            } else if (self.e >> bit) & 1 == 1 {
                ps::mul(y, x, base, &md, scratch);
                core::mem::swap(&mut x, &mut y);
            }
        }
        to_be(out, x);
        Ok(())
    }
}

/// `dst` (little-endian limbs) from the big-endian `src`, zero above it.
fn from_be(dst: &mut [Word], src: &[u8]) {
    dst.fill(0);
    for (w, chunk) in dst.iter_mut().zip(src.rchunks(WORD_BYTES)) {
        *w = chunk
            .iter()
            .fold(0 as Word, |acc, b| (acc << 8) | Word::from(*b));
    }
}

/// The big-endian bytes of `src` (little-endian limbs) into all of `dst`.
fn to_be(dst: &mut [u8], src: &[Word]) {
    for (chunk, w) in dst.rchunks_mut(WORD_BYTES).zip(src) {
        let bytes = w.to_be_bytes();
        let skip = bytes.len().saturating_sub(chunk.len());
        chunk.copy_from_slice(bytes.get(skip..).unwrap_or_default());
    }
}

/// `a < b` for equal-length little-endian limbs (variable time: public values).
fn less_than(a: &[Word], b: &[Word]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// RSASSA-PKCS1-V1_5-VERIFY's comparison (§8.2.2 step 4): the recovered `em` against the
/// encoding `expected` of the message's digest, whole.
pub(super) fn pkcs1v15_check(em: &[u8], expected: &[u8]) -> Result<()> {
    if bool::from(em.ct_eq(expected)) {
        Ok(())
    } else {
        Err(Error::VerificationFailed)
    }
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with hash and MGF1 hash `D` and a salt of `D`'s
/// output length: `em` is the recovered message of a modulus of `em_bits + 1` bits, as many
/// bytes as the modulus (a leading zero byte is required when `em_bits` is a multiple of 8).
pub(super) fn pss_check<D: Digest>(em: &[u8], m_hash: &[u8], em_bits: usize) -> Result<()> {
    let fail = Err(Error::VerificationFailed);
    let h_len = <D as Digest>::output_size();
    let s_len = h_len;
    let em_len = em_bits.div_ceil(8);
    // I2OSP(m, emLen) (§8.1.2 step 2c): bytes above emLen must be zero.
    let Some(lead) = em.len().checked_sub(em_len) else {
        return fail;
    };
    let (high, em) = em.split_at(lead);
    if high.iter().any(|b| *b != 0) || m_hash.len() != h_len {
        return fail;
    }
    // Steps 3-4.
    let Some(db_len) = em_len.checked_sub(h_len).and_then(|v| v.checked_sub(1)) else {
        return fail;
    };
    if db_len < s_len.saturating_add(1) || em.last() != Some(&0xbc) {
        return fail;
    }
    let (masked_db, rest) = em.split_at(db_len);
    let h = rest.get(..h_len).unwrap_or_default();
    // Step 6: the leftmost 8·emLen - emBits bits of maskedDB must be zero.
    let clear = em_len.wrapping_mul(8).wrapping_sub(em_bits);
    let top_mask = 0xffu8.checked_shr(clear as u32).unwrap_or(0);
    if masked_db.first().is_some_and(|b| b & !top_mask != 0) {
        return fail;
    }
    // Steps 7-9: DB = maskedDB ⊕ MGF1(H), its top bits cleared.
    let mut db = [0u8; MAX_BYTES];
    let Some(db) = db.get_mut(..db_len) else {
        return fail;
    };
    db.copy_from_slice(masked_db);
    super::crt::mgf1_xor::<D>(db, h);
    if let Some(first) = db.first_mut() {
        *first &= top_mask;
    }
    // Step 10: PS zero, then 0x01, then the salt.
    let ps_len = db_len.wrapping_sub(s_len).wrapping_sub(1);
    let (ps, rest) = db.split_at(ps_len);
    let (one, salt) = rest.split_at(1);
    if ps.iter().any(|b| *b != 0) || one != [1] {
        return fail;
    }
    // Steps 12-14: H' = Hash(00…00 ‖ mHash ‖ salt) must equal H.
    let mut hash = D::new();
    hash.update([0u8; 8]);
    hash.update(m_hash);
    hash.update(salt);
    if bool::from(hash.finalize().as_slice().ct_eq(h)) {
        Ok(())
    } else {
        fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asymmetric::rsa::mont::tests::{Xs, random_odd};
    use crypto_bigint::RandomMod;
    use crypto_bigint::modular::BoxedMontyForm;

    /// sᵉ mod n agrees with crypto-bigint's exponentiation for random moduli of every size,
    /// exponents from 3 up, and the edge representatives 0, 1, n - 1; n itself is refused.
    #[test]
    fn apply_matches_crypto_bigint() {
        let mut rng = Xs(0x05ee_d0fa_11ce);
        for bits in [512u32, 1024, 2048, 3072, 4096] {
            for e in [3u64, 17, 65537, 0x1_0000_0001, (1 << 33) - 1, u64::MAX] {
                let n = random_odd(&mut rng, bits);
                let params = BoxedMontyParams::new(n.clone());
                let e_big = BoxedUint::from(e);
                let op = PublicOp::new(&params, &e_big).unwrap();
                let k = (bits / 8) as usize;
                let nm1 = n.as_ref().wrapping_sub(BoxedUint::one_with_precision(bits));
                let mut values = alloc::vec![
                    BoxedUint::zero_with_precision(bits),
                    BoxedUint::one_with_precision(bits),
                    nm1,
                ];
                values.push(BoxedUint::try_random_mod_vartime(&mut rng, n.as_nz_ref()).unwrap());
                for s in values {
                    let want = BoxedMontyForm::new(s.clone(), &params)
                        .pow(&e_big)
                        .retrieve();
                    let mut out = alloc::vec![0u8; k];
                    op.apply(&s.to_be_bytes(), &mut out).unwrap();
                    assert_eq!(out, want.to_be_bytes().to_vec(), "{bits} e={e}");
                }
                let mut out = alloc::vec![0u8; k];
                assert_eq!(
                    op.apply(&n.as_ref().to_be_bytes(), &mut out),
                    Err(Error::VerificationFailed)
                );
                assert_eq!(
                    op.apply(&[0u8; 3], &mut out),
                    Err(Error::VerificationFailed)
                );
            }
        }
    }

    /// A modulus of 8m + 1 bits has emBits = 8m: EM is one byte shorter than the modulus, and
    /// the recovered block's leading byte must be zero (RFC 8017 §8.1.2 step 2c).
    #[test]
    fn pss_with_a_short_encoded_message() {
        use sha2::Sha256;
        let digest = Sha256::digest(b"message");
        let salt = [7u8; 32];
        let em_bits = 2040;
        let em =
            crate::asymmetric::rsa::crt::pss_encode::<Sha256>(&digest, em_bits, &salt).unwrap();
        assert_eq!(em.len(), 255);
        let mut block = alloc::vec![0u8];
        block.extend_from_slice(&em);
        assert_eq!(pss_check::<Sha256>(&block, &digest, em_bits), Ok(()));
        block[0] = 1;
        assert_eq!(
            pss_check::<Sha256>(&block, &digest, em_bits),
            Err(Error::VerificationFailed)
        );
        // The same block read as a 2048-bit modulus' (emBits 2047) is not a PSS encoding.
        block[0] = 0;
        assert_eq!(
            pss_check::<Sha256>(&block, &digest, 2047),
            Err(Error::VerificationFailed)
        );
    }
}
