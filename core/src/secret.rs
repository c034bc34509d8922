//! Secret byte strings: zeroized on drop, redacted in `Debug`, compared in constant time.

use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::budget::Limits;
use crate::errno::{Error, Result};

/// Bytes that must never outlive their owner nor be printed.
#[derive(Zeroize)]
pub(crate) struct SecretBytes(Vec<u8>);

impl Drop for SecretBytes {
    fn drop(&mut self) {
        // What `Vec::zeroize` does, but the bytes keep their length until the allocation is
        // freed, so the zeroization tests can look at them (`zeroize_tests`).
        self.0.spare_capacity_mut().zeroize();
        self.0.as_mut_slice().zeroize();
        #[cfg(test)]
        crate::zeroize_tests::wiped("SecretBytes", &self.0);
    }
}

impl ZeroizeOnDrop for SecretBytes {}

impl SecretBytes {
    /// Copies `bytes` into a fresh allocation of exactly that size (no spare capacity left
    /// holding stale secrets after a reallocation).
    pub(crate) fn copy_from(bytes: &[u8]) -> crate::Result<Self> {
        let mut v = Vec::new();
        v.try_reserve_exact(bytes.len())
            .map_err(|_| crate::Error::AlgorithmFailure)?;
        v.extend_from_slice(bytes);
        Ok(SecretBytes(v))
    }

    /// The secret itself; callers name the export explicitly.
    pub(crate) fn expose(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Bytes of heap held (the allocation is exact, so this is the length).
    pub(crate) fn capacity(&self) -> usize {
        self.0.capacity()
    }
}

/// Copies `bytes` into a fresh vector of exactly their length, fallibly.
pub(crate) fn fallible_vec(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(bytes.len())
        .map_err(|_| Error::AlgorithmFailure)?;
    v.extend_from_slice(bytes);
    Ok(v)
}

/// Copies `bytes` into a fresh allocation of exactly `capacity` bytes (at least `bytes.len()`).
pub(crate) fn fallible_copy(bytes: &[u8], capacity: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut v = Vec::new();
    v.try_reserve_exact(capacity.max(bytes.len()))
        .map_err(|_| Error::AlgorithmFailure)?;
    v.extend_from_slice(bytes);
    Ok(Zeroizing::new(v))
}

/// Appends `data` to `buf` if the total stays within `limits.max_len` (else `overflow`, `buf`
/// unchanged). Grows geometrically into fresh allocations, each within the budget's room
/// (else `overflow`); the old one is wiped when dropped.
pub(crate) fn append_bounded(
    buf: &mut Zeroizing<Vec<u8>>,
    data: &[u8],
    limits: &Limits,
) -> Result<()> {
    let need = buf.len().checked_add(data.len()).ok_or(Error::Overflow)?;
    if need > limits.max_len {
        return Err(Error::Overflow);
    }
    if need > buf.capacity() {
        // Doubling while the room allows, else exactly what is needed.
        limits.admit(need)?;
        let capacity = need
            .max(buf.capacity().saturating_mul(2))
            .min(limits.max_len)
            .min(limits.room);
        *buf = fallible_copy(buf, capacity)?;
    }
    buf.extend_from_slice(data);
    Ok(())
}

impl Clone for SecretBytes {
    fn clone(&self) -> Self {
        // Cloning cannot fail for want of memory without aborting in `Vec::clone`; keep the
        // explicit-capacity copy so no stale spare capacity is created either.
        let mut v = Vec::with_capacity(self.0.len());
        v.extend_from_slice(&self.0);
        SecretBytes(v)
    }
}

impl ConstantTimeEq for SecretBytes {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.as_slice().ct_eq(other.0.as_slice())
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes([REDACTED; {}])", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn debug_is_redacted() {
        let s = SecretBytes::copy_from(b"hunter2").unwrap();
        let shown = format!("{s:?}");
        assert_eq!(shown, "SecretBytes([REDACTED; 7])");
        assert!(bool::from(s.ct_eq(&s.clone())));
        assert!(!bool::from(
            s.ct_eq(&SecretBytes::copy_from(b"hunter3").unwrap())
        ));
        assert!(!bool::from(
            s.ct_eq(&SecretBytes::copy_from(b"hunter").unwrap())
        ));
    }
}
