//! Constant-time Montgomery arithmetic on crypto-bigint's limbs for the two CRT
//! exponentiations of RSA signing: CIOS multiplication (Koç, Acar, Kaliski, "Analyzing and
//! comparing Montgomery multiplication algorithms", 1996), a dedicated squaring that computes
//! each cross product once, and a fixed-window exponentiation with a constant-time table scan.
//!
//! Safe Rust on `Word`/`WideWord` (64- or 32-bit limbs, as crypto-bigint picks), no secret-
//! dependent branch or index: the final subtraction is a masked select, the window value picks
//! its table entry by scanning all of them. The tests cross-check every operation against
//! crypto-bigint's `BoxedMontyForm` on random inputs.

use alloc::vec::Vec;

use crypto_bigint::modular::BoxedMontyParams;
use crypto_bigint::{BoxedUint, Limb, WideWord, Word};
use subtle::ConditionallySelectable;
use zeroize::{Zeroize, Zeroizing};

use crate::errno::{Error, Result};

/// Bits of exponent per table lookup.
const WINDOW: u32 = 5;
const TABLE: usize = 1 << WINDOW;
const WORD_BITS: u32 = Word::BITS;

/// `a·b + c + d` as (low, high) words; never overflows a `WideWord`.
#[inline(always)]
fn mac(a: Word, b: Word, c: Word, d: Word) -> (Word, Word) {
    let v = WideWord::from(a)
        .wrapping_mul(WideWord::from(b))
        .wrapping_add(WideWord::from(c))
        .wrapping_add(WideWord::from(d));
    (v as Word, (v >> WORD_BITS) as Word)
}

/// `a + b + carry` as (sum, carry).
#[inline(always)]
fn adc(a: Word, b: Word, carry: Word) -> (Word, Word) {
    let v = WideWord::from(a)
        .wrapping_add(WideWord::from(b))
        .wrapping_add(WideWord::from(carry));
    (v as Word, (v >> WORD_BITS) as Word)
}

/// `a - b - borrow` as (difference, borrow ∈ {0, 1}).
#[inline(always)]
pub(super) fn sbb(a: Word, b: Word, borrow: Word) -> (Word, Word) {
    let v = WideWord::from(a)
        .wrapping_sub(WideWord::from(b))
        .wrapping_sub(WideWord::from(borrow));
    (v as Word, ((v >> WORD_BITS) as Word) & 1)
}

/// An odd modulus and its Montgomery constants, for one prime of one key.
#[derive(Clone)]
pub(super) struct Mont {
    /// The modulus, little-endian limbs.
    n: Vec<Word>,
    /// `-n⁻¹ mod 2^w`.
    n0: Word,
    /// `R² mod n`.
    r2: Vec<Word>,
}

impl Drop for Mont {
    fn drop(&mut self) {
        self.n.zeroize();
        self.r2.zeroize();
        self.n0.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Mont {}

fn words(v: &BoxedUint) -> Vec<Word> {
    v.as_limbs().iter().map(|l| l.0).collect()
}

impl Mont {
    pub(super) fn new(params: &BoxedMontyParams) -> Self {
        let p = params.as_ref();
        Mont {
            n: words(p.modulus().as_ref()),
            n0: p.mod_neg_inv().0,
            r2: words(p.r2()),
        }
    }

    fn len(&self) -> usize {
        self.n.len()
    }

    /// `out = a·b·R⁻¹ mod n`: the full product row by row (each row its own carry chain),
    /// then [`Self::redc`]. `a`, `b` below `n`; `t` scratch of `2·len + 2` words.
    fn mul(&self, out: &mut [Word], a: &[Word], b: &[Word], t: &mut [Word]) {
        t.fill(0);
        for (i, &ai) in a.iter().enumerate() {
            let row = t.get_mut(i..).unwrap_or_default();
            let mut c: Word = 0;
            for (tj, &bj) in row.iter_mut().zip(b) {
                (*tj, c) = mac(ai, bj, *tj, c);
            }
            if let Some(tk) = row.get_mut(b.len()) {
                *tk = c;
            }
        }
        self.redc(out, t);
    }

    /// Montgomery reduction of a `2·len`-word `t < n·R` into `out = t·R⁻¹ mod n`, one word at
    /// a time; `hi` carries into the word above each row's top.
    fn redc(&self, out: &mut [Word], t: &mut [Word]) {
        let k = self.len();
        let mut hi: Word = 0;
        for i in 0..k {
            let window = t.get_mut(i..).unwrap_or_default();
            let m = window.first().copied().unwrap_or(0).wrapping_mul(self.n0);
            let mut c: Word = 0;
            for (tj, &nj) in window.iter_mut().zip(&self.n) {
                (*tj, c) = mac(m, nj, *tj, c);
            }
            if let Some(tk) = window.get_mut(k) {
                (*tk, hi) = adc(*tk, c, hi);
            }
        }
        if let Some(top) = t.get_mut(k.wrapping_mul(2)) {
            *top = hi;
        }
        self.finish(out, t.get(k..).unwrap_or_default());
    }

    /// `out = t mod n` for `t < 2n` (`len + 1` significant words), in constant time.
    fn finish(&self, out: &mut [Word], t: &[Word]) {
        let k = self.len();
        let top = t.get(k).copied().unwrap_or(0);
        let mut borrow: Word = 0;
        for ((o, &tj), &nj) in out.iter_mut().zip(t).zip(&self.n) {
            (*o, borrow) = sbb(tj, nj, borrow);
        }
        // t ≥ n exactly when the subtraction did not borrow past the top word.
        let (_, borrow) = sbb(top, 0, borrow);
        let keep_t = subtle::Choice::from(u8::from(borrow == 1));
        for (o, &tj) in out.iter_mut().zip(t) {
            *o = Word::conditional_select(o, &tj, keep_t);
        }
    }

    /// `out = a²·R⁻¹ mod n`: the cross products once, doubled, plus the squares, then `k`
    /// reduction steps. `t` scratch of `2·len + 1` words.
    fn sqr(&self, out: &mut [Word], a: &[Word], t: &mut [Word]) {
        t.fill(0);
        // Cross products a[i]·a[j], i < j, into t[i + j].
        for (i, &ai) in a.iter().enumerate() {
            let mut c: Word = 0;
            let row = t
                .get_mut(i.wrapping_mul(2).wrapping_add(1)..)
                .unwrap_or_default();
            let rest = a.get(i.wrapping_add(1)..).unwrap_or_default();
            for (tj, &aj) in row.iter_mut().zip(rest) {
                (*tj, c) = mac(ai, aj, *tj, c);
            }
            if let Some(tj) = row.get_mut(rest.len()) {
                *tj = c;
            }
        }
        // Double, then add the squares a[i]² at t[2i].
        let mut carry: Word = 0;
        for tj in t.iter_mut() {
            let v = *tj;
            *tj = (v << 1) | carry;
            carry = v >> (WORD_BITS - 1);
        }
        let mut c: Word = 0;
        for (pair, &ai) in t.chunks_mut(2).zip(a) {
            let (lo, hi) = mac(ai, ai, 0, 0);
            if let [t0, t1] = pair {
                let (s0, c0) = adc(*t0, lo, c);
                let (s1, c1) = adc(*t1, hi, c0);
                (*t0, *t1, c) = (s0, s1, c1);
            }
        }
        self.redc(out, t);
    }

    /// Whether this modulus has the unrolled multiplication, the only case where [`Self::pow`]
    /// beats crypto-bigint's own exponentiation (measured: 1.4x per product at 16 limbs).
    pub(super) fn unrolled(&self) -> bool {
        self.len() == 16
    }

    /// [`Self::mul`], through a fully unrolled fixed-size CIOS where [`Self::unrolled`].
    fn mul_any(&self, out: &mut [Word], a: &[Word], b: &[Word], t: &mut [Word]) {
        macro_rules! fixed {
            ($($k:literal),*) => {
                match self.len() {
                    $($k => {
                        if let (Ok(o), Ok(a), Ok(b), Ok(n)) = (
                            <&mut [Word; $k]>::try_from(&mut *out),
                            <&[Word; $k]>::try_from(a),
                            <&[Word; $k]>::try_from(b),
                            <&[Word; $k]>::try_from(self.n.as_slice()),
                        ) {
                            return mul_fixed(o, a, b, n, self.n0);
                        }
                    })*
                    _ => {}
                }
            };
        }
        // 1024-bit primes on 64-bit limbs (RSA-2048). Measured here, the unrolled code loses to
        // crypto-bigint from 24 limbs up (register pressure), so larger primes do not use it.
        fixed!(16);
        self.mul(out, a, b, t);
    }

    /// A squaring: the unrolled multiplication for the common sizes (faster there than the
    /// slice squaring), [`Self::sqr`] otherwise.
    fn sqr_any(&self, out: &mut [Word], a: &[Word], t: &mut [Word]) {
        if self.unrolled() {
            self.mul_any(out, a, a, t);
        } else {
            self.sqr(out, a, t);
        }
    }

    /// `base^exp mod n` for `base < n`, constant time in `base` and `exp` (whose width in
    /// words is public).
    pub(super) fn pow(&self, base: &BoxedUint, exp: &BoxedUint) -> Result<BoxedUint> {
        let k = self.len();
        if base.as_limbs().len() != k {
            return Err(Error::InternalError);
        }
        let mut t = Zeroizing::new(alloc::vec![0 as Word; k.wrapping_mul(2).wrapping_add(2)]);
        let one: Vec<Word> = core::iter::once(1)
            .chain(core::iter::repeat_n(0, k.saturating_sub(1)))
            .collect();
        // table[i] = base^i in Montgomery form.
        let mut table: Zeroizing<Vec<Word>> = Zeroizing::new(alloc::vec![0; k.wrapping_mul(TABLE)]);
        {
            let b = Zeroizing::new(words(base));
            let (t0, rest) = table.split_at_mut(k);
            self.mul_any(t0, &one, &self.r2, &mut t);
            let (t1, rest) = rest.split_at_mut(k);
            self.mul_any(t1, &b, &self.r2, &mut t);
            let mut prev: &[Word] = t1;
            for chunk in rest.chunks_mut(k) {
                self.mul_any(chunk, prev, t1, &mut t);
                prev = chunk;
            }
        }
        let mut acc = Zeroizing::new(table.get(..k).unwrap_or_default().to_vec());
        let mut tmp = Zeroizing::new(alloc::vec![0 as Word; k]);
        let mut sel = Zeroizing::new(alloc::vec![0 as Word; k]);
        let e = exp.as_limbs();
        let bits = u32::try_from(e.len())
            .ok()
            .and_then(|l| l.checked_mul(WORD_BITS))
            .ok_or(Error::InternalError)?;
        let windows = bits.div_ceil(WINDOW);
        for w in (0..windows).rev() {
            for _ in 0..WINDOW {
                tmp.copy_from_slice(&acc);
                self.sqr_any(&mut acc, &tmp, &mut t);
            }
            let idx = window_bits(e, w.wrapping_mul(WINDOW));
            sel.fill(0);
            for (i, entry) in table.chunks(k).enumerate() {
                let mask = eq_mask(i as u32, idx);
                for (s, &v) in sel.iter_mut().zip(entry) {
                    *s |= v & mask;
                }
            }
            tmp.copy_from_slice(&acc);
            self.mul_any(&mut acc, &tmp, &sel, &mut t);
        }
        // Out of Montgomery form.
        tmp.copy_from_slice(&acc);
        self.mul_any(&mut acc, &tmp, &one, &mut t);
        let limbs: Vec<Limb> = acc.iter().map(|&w| Limb(w)).collect();
        Ok(BoxedUint::from(limbs))
    }
}

/// CIOS Montgomery multiplication on fixed-size limb arrays (the compiler unrolls both loops):
/// `out = a·b·R⁻¹ mod n` for `a`, `b` below `n`.
#[allow(
    clippy::indexing_slicing,
    reason = "every index is below K, the length of every array indexed"
)]
#[inline(always)]
fn mul_fixed<const K: usize>(
    out: &mut [Word; K],
    a: &[Word; K],
    b: &[Word; K],
    n: &[Word; K],
    n0: Word,
) {
    let mut t = [0 as Word; K];
    let mut t_k: Word = 0;
    for &ai in a {
        let mut c: Word = 0;
        for j in 0..K {
            (t[j], c) = mac(ai, b[j], t[j], c);
        }
        let (s, t_k1) = adc(t_k, c, 0);
        t_k = s;
        let m = t[0].wrapping_mul(n0);
        let (_, mut c) = mac(m, n[0], t[0], 0);
        for j in 1..K {
            (t[j.wrapping_sub(1)], c) = mac(m, n[j], t[j], c);
        }
        let (s, c2) = adc(t_k, c, 0);
        t[K.wrapping_sub(1)] = s;
        t_k = t_k1.wrapping_add(c2);
    }
    let mut d = [0 as Word; K];
    let mut borrow: Word = 0;
    for j in 0..K {
        (d[j], borrow) = sbb(t[j], n[j], borrow);
    }
    let (_, borrow) = sbb(t_k, 0, borrow);
    let keep_t = subtle::Choice::from(u8::from(borrow == 1));
    for j in 0..K {
        out[j] = Word::conditional_select(&d[j], &t[j], keep_t);
    }
    t.zeroize();
    d.zeroize();
}

/// All ones when `a == b`, else zero, without a branch (the optimization barrier keeps the
/// compiler from turning the mask back into a comparison and jump).
#[inline(always)]
fn eq_mask(a: u32, b: u32) -> Word {
    let d = Word::from(a ^ b);
    // d | -d has its top bit set exactly when d ≠ 0.
    let nonzero = (d | d.wrapping_neg()) >> (WORD_BITS - 1);
    core::hint::black_box(nonzero).wrapping_sub(1)
}

/// The `WINDOW` bits of `e` starting at bit `at` (bits past the end are zero).
fn window_bits(e: &[Limb], at: u32) -> u32 {
    let word = (at / WORD_BITS) as usize;
    let shift = at % WORD_BITS;
    let lo = e.get(word).map_or(0, |l| l.0) >> shift;
    let hi = if shift == 0 {
        0
    } else {
        e.get(word.wrapping_add(1))
            .map_or(0, |l| l.0)
            .checked_shl(WORD_BITS.wrapping_sub(shift))
            .unwrap_or(0)
    };
    ((lo | hi) as u32) & (TABLE as u32).wrapping_sub(1)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crypto_bigint::modular::BoxedMontyForm;
    use crypto_bigint::{Odd, RandomMod};
    use rand_core::TryRng;

    pub(crate) struct Xs(pub(crate) u64);
    impl TryRng for Xs {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
            Ok(self.try_next_u64()? as u32)
        }
        fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            Ok(self.0)
        }
        fn try_fill_bytes(&mut self, d: &mut [u8]) -> core::result::Result<(), Self::Error> {
            for b in d {
                *b = self.try_next_u64()? as u8;
            }
            Ok(())
        }
    }

    pub(crate) fn random_odd(rng: &mut Xs, bits: u32) -> Odd<BoxedUint> {
        let mut bytes = alloc::vec![0u8; (bits / 8) as usize];
        rng.try_fill_bytes(&mut bytes).unwrap();
        bytes[0] |= 0x80;
        *bytes.last_mut().unwrap() |= 1;
        Odd::new(BoxedUint::from_be_slice(&bytes, bits).unwrap()).unwrap()
    }

    #[test]
    fn mul_sqr_pow_match_crypto_bigint() {
        let mut rng = Xs(0x9e37_79b9_7f4a_7c15);
        for bits in [1024u32, 1536, 2048, 256, 64] {
            for _ in 0..8 {
                let n = random_odd(&mut rng, bits);
                let params = BoxedMontyParams::new(n.clone());
                let m = Mont::new(&params);
                let a = BoxedUint::try_random_mod_vartime(&mut rng, n.as_nz_ref()).unwrap();
                let b = BoxedUint::try_random_mod_vartime(&mut rng, n.as_nz_ref()).unwrap();
                let am = BoxedMontyForm::new(a.clone(), &params);
                let bm = BoxedMontyForm::new(b.clone(), &params);
                let k = m.len();
                let mut t = alloc::vec![0; 2 * k + 2];
                let mut out = alloc::vec![0; k];
                // Montgomery products of the Montgomery forms.
                m.mul(
                    &mut out,
                    &words(am.as_montgomery()),
                    &words(bm.as_montgomery()),
                    &mut t,
                );
                assert_eq!(out, words(am.mul(&bm).as_montgomery()), "mul {bits}");
                m.mul_any(
                    &mut out,
                    &words(am.as_montgomery()),
                    &words(bm.as_montgomery()),
                    &mut t,
                );
                assert_eq!(out, words(am.mul(&bm).as_montgomery()), "mul_any {bits}");
                m.sqr(&mut out, &words(am.as_montgomery()), &mut t);
                assert_eq!(out, words(am.square().as_montgomery()), "sqr {bits}");
                // Edge values: 0, 1, n - 1.
                let nm1 = n.as_ref().wrapping_sub(BoxedUint::one_with_precision(bits));
                for x in [
                    BoxedUint::zero_with_precision(bits),
                    BoxedUint::one_with_precision(bits),
                    nm1,
                ] {
                    let xm = BoxedMontyForm::new(x, &params);
                    m.sqr(&mut out, &words(xm.as_montgomery()), &mut t);
                    assert_eq!(out, words(xm.square().as_montgomery()), "sqr edge {bits}");
                    m.mul(
                        &mut out,
                        &words(xm.as_montgomery()),
                        &words(am.as_montgomery()),
                        &mut t,
                    );
                    assert_eq!(out, words(xm.mul(&am).as_montgomery()), "mul edge {bits}");
                }
                let e = BoxedUint::try_random_mod_vartime(&mut rng, n.as_nz_ref()).unwrap();
                assert_eq!(m.pow(&a, &e).unwrap(), am.pow(&e).retrieve(), "pow {bits}");
            }
        }
    }
}

#[cfg(test)]
mod timing {
    extern crate std;
    use super::*;
    use crypto_bigint::modular::BoxedMontyForm;
    use crypto_bigint::{Odd, RandomMod};
    use std::time::Instant;

    /// Where a signature's time goes (run with `--release -- --ignored --nocapture`).
    #[test]
    #[ignore = "timing, not a check"]
    fn profile() {
        let mut rng = super::tests::Xs(12345);
        for bits in [1024u32, 1536, 2048, 3072, 4096] {
            let n: Odd<BoxedUint> = super::tests::random_odd(&mut rng, bits);
            let params = BoxedMontyParams::new(n.clone());
            let m = Mont::new(&params);
            let a = BoxedUint::try_random_mod_vartime(&mut rng, n.as_nz_ref()).unwrap();
            let e = BoxedUint::try_random_mod_vartime(&mut rng, n.as_nz_ref()).unwrap();
            let runs = 50;
            let t = Instant::now();
            for _ in 0..runs {
                core::hint::black_box(m.pow(&a, &e).unwrap());
            }
            std::println!("{bits}: Mont::pow {:?}", t.elapsed() / runs);
            let am = BoxedMontyForm::new(a.clone(), &params);
            let t = Instant::now();
            for _ in 0..runs {
                core::hint::black_box(am.pow(&e));
            }
            std::println!("{bits}: BoxedMontyForm::pow {:?}", t.elapsed() / runs);
            let t = Instant::now();
            for _ in 0..runs {
                core::hint::black_box(a.invert_odd_mod(&n));
            }
            std::println!("{bits}: invert_odd_mod {:?}", t.elapsed() / runs);
            let t = Instant::now();
            for _ in 0..runs {
                core::hint::black_box(a.invert_odd_mod_vartime(&n));
            }
            std::println!("{bits}: invert_odd_mod_vartime {:?}", t.elapsed() / runs);
            let k = m.len();
            let mut tt = alloc::vec![0; 2 * k + 2];
            let mut out = alloc::vec![0; k];
            let aw = words(am.as_montgomery());
            let t = Instant::now();
            for _ in 0..10_000 {
                m.mul(&mut out, &aw, &aw, &mut tt);
            }
            std::println!("{bits}: mul {:?}", t.elapsed() / 10_000);
            let t = Instant::now();
            for _ in 0..10_000 {
                m.mul_any(&mut out, &aw, &aw, &mut tt);
            }
            std::println!("{bits}: mul_any {:?}", t.elapsed() / 10_000);
            let t = Instant::now();
            for _ in 0..10_000 {
                m.sqr(&mut out, &aw, &mut tt);
            }
            std::println!("{bits}: sqr {:?}", t.elapsed() / 10_000);
            let t = Instant::now();
            for _ in 0..10_000 {
                core::hint::black_box(am.square());
            }
            std::println!("{bits}: crypto-bigint square {:?}", t.elapsed() / 10_000);
            let mut mm = alloc::vec![0; 2 * k];
            let rev: Vec<Word> = m.n.iter().rev().copied().collect();
            let md = super::super::ps::Modulus {
                n: &m.n,
                rev: &rev,
                n0: m.n0,
            };
            let t = Instant::now();
            for _ in 0..10_000 {
                super::super::ps::mul(&mut out, &aw, &aw, &md, &mut mm);
            }
            std::println!("{bits}: ps::mul {:?}", t.elapsed() / 10_000);
            let t = Instant::now();
            for _ in 0..10_000 {
                super::super::ps::sqr(&mut out, &aw, &md, &mut mm);
            }
            std::println!("{bits}: ps::sqr {:?}", t.elapsed() / 10_000);
        }
    }
}
