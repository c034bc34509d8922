//! Differential check of the RSA arithmetic written in this project, against crypto-bigint:
//!
//! - mode 0: the public operation (`s^e mod n`, square-and-multiply over the product-scanning
//!   Montgomery multiply and square) for any odd `n` of 1 to 512 bytes, any odd `e ≥ 3` below
//!   2^64 and any `s`: it must equal crypto-bigint's `pow`, or refuse exactly when `s ≥ n`;
//! - mode 1: the signer's constant-time windowed exponentiation (the unrolled CIOS product at
//!   16 limbs, the slice product elsewhere) for any odd `n`, any exponent and any base below
//!   `n`.
//!
//! The fuzzer steers limbs to the carry extremes (all-ones words, `n - 1`, values near `R`)
//! that random tests rarely reach.

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use wasmcrypt_core::fuzzing::{rsa_mont_pow, rsa_public_op};

/// `n` from `len` bytes of input, made odd, its top byte nonzero, at least 3.
fn modulus(bytes: &[u8]) -> Option<(Vec<u8>, Odd<BoxedUint>)> {
    let mut n = bytes.to_vec();
    let first = n.first_mut()?;
    if *first == 0 {
        *first = 1;
    }
    *n.last_mut()? |= 1;
    if n.len() == 1 && n[0] < 3 {
        return None;
    }
    let bits = u32::try_from(n.len() * 8).ok()?;
    let odd = Odd::new(BoxedUint::from_be_slice(&n, bits).ok()?).into_option()?;
    Some((n, odd))
}

/// `x` as big-endian bytes of exactly `len` (its leading bytes beyond `len` are zero).
fn be(x: &BoxedUint, len: usize) -> Vec<u8> {
    let b = x.to_be_bytes();
    let skip = b.len() - len;
    assert!(b[..skip].iter().all(|v| *v == 0));
    b[skip..].to_vec()
}

pub fn run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Some((&len_byte, rest)) = rest.split_first() else {
        return;
    };
    // 1..=512 bytes: up to RSA-4096, and every limb count below it.
    let len = (usize::from(len_byte) * 2 + usize::from(mode >> 1 & 1)) % 512 + 1;
    if rest.len() < 2 * len {
        return;
    }
    let (n_bytes, rest) = rest.split_at(len);
    let (x_bytes, rest) = rest.split_at(len);
    let Some((n_be, n)) = modulus(n_bytes) else {
        return;
    };
    let bits = n.as_ref().bits_precision();
    let x = BoxedUint::from_be_slice(x_bytes, bits).expect("x fits n's precision");
    let params = BoxedMontyParams::new(n.clone());
    if mode & 1 == 0 {
        let mut e8 = [0u8; 8];
        let take = rest.len().min(8);
        e8[8 - take..].copy_from_slice(&rest[..take]);
        let e = (u64::from_be_bytes(e8) | 1).max(3);
        let ours = rsa_public_op(&n_be, e, x_bytes);
        if x >= *n.as_ref() {
            assert_eq!(ours, None, "s >= n must be refused");
            return;
        }
        let want = BoxedMontyForm::new(x, &params)
            .pow(&BoxedUint::from(e))
            .retrieve();
        // The public operation's output has n's significant byte length.
        let n_len = (n.as_ref().bits_vartime() as usize).div_ceil(8);
        let ours = ours.expect("s < n is accepted");
        assert_eq!(ours, be(&want, n_len), "public op, {len} bytes, e = {e}");
    } else {
        if x >= *n.as_ref() {
            return;
        }
        // The exponent: the remaining input, up to n's length (at least one byte).
        let exp_bytes = &rest[..rest.len().min(len)];
        let exp_bytes: &[u8] = if exp_bytes.is_empty() {
            &[0]
        } else {
            exp_bytes
        };
        let exp_bits = u32::try_from(exp_bytes.len() * 8).unwrap();
        let exp = BoxedUint::from_be_slice(exp_bytes, exp_bits).unwrap();
        let ours = rsa_mont_pow(&n_be, exp_bytes, x_bytes).expect("base < n is accepted");
        let want = BoxedMontyForm::new(x, &params).pow(&exp).retrieve();
        assert_eq!(ours, be(&want, ours.len()), "mont pow, {len} bytes");
    }
}
