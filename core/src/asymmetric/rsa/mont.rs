//! Constant-time Montgomery arithmetic on crypto-bigint's limbs for the two CRT
//! exponentiations of RSA signing: a fully unrolled CIOS multiplication for 16-limb primes
//! (Koç, Acar, Kaliski, "Analyzing and comparing Montgomery multiplication algorithms", 1996),
//! [`super::ps`]'s product-scanning multiply and square for other sizes, and a fixed-window
//! exponentiation with a constant-time table scan.
//!
//! Safe Rust on `Word`/`WideWord` (64- or 32-bit limbs, as crypto-bigint picks), no secret-
//! dependent branch or index: the final subtraction is a masked select, the window value picks
//! its table entry by scanning all of them. The tests cross-check every operation against
//! crypto-bigint's `BoxedMontyForm` on random inputs.

use alloc::vec::Vec;

use crypto_bigint::modular::BoxedMontyParams;
use crypto_bigint::{BoxedUint, Limb, WideWord, Word};
use zeroize::{Zeroize, Zeroizing};

use super::ps;
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

/// An odd modulus and its Montgomery constants, for one prime of one key.
#[derive(Clone)]
pub(super) struct Mont {
    /// The modulus, little-endian limbs.
    n: Vec<Word>,
    /// `-n⁻¹ mod 2^w`.
    n0: Word,
    /// `R² mod n`.
    r2: Vec<Word>,
    /// `n`'s limbs in reverse order (for [`super::ps`]).
    rev: Vec<Word>,
}

impl Drop for Mont {
    fn drop(&mut self) {
        self.n.zeroize();
        self.r2.zeroize();
        self.rev.zeroize();
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
        let n = words(p.modulus().as_ref());
        Mont {
            rev: n.iter().rev().copied().collect(),
            n,
            n0: p.mod_neg_inv().0,
            r2: words(p.r2()),
        }
    }

    /// The modulus as [`super::ps`] takes it.
    fn modulus(&self) -> ps::Modulus<'_> {
        ps::Modulus {
            n: &self.n,
            rev: &self.rev,
            n0: self.n0,
        }
    }

    fn len(&self) -> usize {
        self.n.len()
    }

    /// Whether this modulus has the unrolled multiplication, the only case where [`Self::pow`]
    /// beats crypto-bigint's own exponentiation (measured: 1.4x per product at 16 limbs).
    pub(super) fn unrolled(&self) -> bool {
        self.len() == 16
    }

    /// `out = a·b·R⁻¹ mod n` for `a`, `b` below `n`: a fully unrolled fixed-size CIOS where
    /// [`Self::unrolled`], [`ps::mul`] otherwise. `t`: scratch of `2·len` words.
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
        ps::mul(out, a, b, &self.modulus(), t);
    }

    /// A squaring: the unrolled multiplication where [`Self::unrolled`] (faster there than a
    /// dedicated squaring), [`ps::sqr`] otherwise.
    fn sqr_any(&self, out: &mut [Word], a: &[Word], t: &mut [Word]) {
        if self.unrolled() {
            self.mul_any(out, a, a, t);
        } else {
            ps::sqr(out, a, &self.modulus(), t);
        }
    }

    /// `base^exp mod n` for `base < n`, constant time in `base` and `exp` (whose width in
    /// words is public).
    pub(super) fn pow(&self, base: &BoxedUint, exp: &BoxedUint) -> Result<BoxedUint> {
        let k = self.len();
        if base.as_limbs().len() != k {
            return Err(Error::InternalError);
        }
        let mut t = Zeroizing::new(alloc::vec![0 as Word; k.wrapping_mul(2)]);
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
    *out = t;
    ps::finish(out, t_k, n);
    t.zeroize();
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
                let mut t = alloc::vec![0; 2 * k];
                let mut out = alloc::vec![0; k];
                // Montgomery products of the Montgomery forms.
                ps::mul(
                    &mut out,
                    &words(am.as_montgomery()),
                    &words(bm.as_montgomery()),
                    &m.modulus(),
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
                m.sqr_any(&mut out, &words(am.as_montgomery()), &mut t);
                assert_eq!(out, words(am.square().as_montgomery()), "sqr {bits}");
                // Edge values: 0, 1, n - 1.
                let nm1 = n.as_ref().wrapping_sub(BoxedUint::one_with_precision(bits));
                for x in [
                    BoxedUint::zero_with_precision(bits),
                    BoxedUint::one_with_precision(bits),
                    nm1,
                ] {
                    let xm = BoxedMontyForm::new(x, &params);
                    m.sqr_any(&mut out, &words(xm.as_montgomery()), &mut t);
                    assert_eq!(out, words(xm.square().as_montgomery()), "sqr edge {bits}");
                    ps::mul(
                        &mut out,
                        &words(xm.as_montgomery()),
                        &words(am.as_montgomery()),
                        &m.modulus(),
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
            let mut tt = alloc::vec![0; 2 * k];
            let mut out = alloc::vec![0; k];
            let aw = words(am.as_montgomery());
            let t = Instant::now();
            for _ in 0..10_000 {
                m.mul_any(&mut out, &aw, &aw, &mut tt);
            }
            std::println!("{bits}: mul_any {:?}", t.elapsed() / 10_000);
            let t = Instant::now();
            for _ in 0..10_000 {
                core::hint::black_box(am.square());
            }
            std::println!("{bits}: crypto-bigint square {:?}", t.elapsed() / 10_000);
            let md = m.modulus();
            let t = Instant::now();
            for _ in 0..10_000 {
                ps::mul(&mut out, &aw, &aw, &md, &mut tt);
            }
            std::println!("{bits}: ps::mul {:?}", t.elapsed() / 10_000);
            let t = Instant::now();
            for _ in 0..10_000 {
                ps::sqr(&mut out, &aw, &md, &mut tt);
            }
            std::println!("{bits}: ps::sqr {:?}", t.elapsed() / 10_000);
        }
    }
}
