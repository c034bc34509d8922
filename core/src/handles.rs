//! Fixed-capacity, typed, generation-tagged slot tables.
//!
//! A handle is a `u32`: `kind (4 bits) | generation (16 bits) | index (12 bits)`. The kind makes
//! a handle of another type fail fast; the generation makes a closed handle stale even after its
//! slot is reused. Kind 0 is never issued, so the value 0 is never a valid handle.
//!
//! Errors follow the behaviour contract: wrong kind, stale or never-issued value →
//! `invalid_handle`; closing a handle that was issued and has since been closed → `closed`;
//! every slot taken → `too_many_handles`. Closing drops the object, whose `Drop` zeroizes it.

use alloc::vec::Vec;

use crate::errno::{Error, Result};

const INDEX_BITS: u32 = 12;
const GEN_BITS: u32 = 16;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
const GEN_MASK: u32 = (1 << GEN_BITS) - 1;
const KIND_SHIFT: u32 = INDEX_BITS + GEN_BITS;

/// Largest number of slots one table can address.
pub const MAX_CAPACITY: usize = 1 << INDEX_BITS;

/// The handle types of the witx ABI; each has its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    Options = 1,
    ArrayOutput = 2,
    SecretsManager = 3,
    Keypair = 4,
    PublicKey = 5,
    SecretKey = 6,
    Signature = 7,
    SignatureState = 8,
    VerificationState = 9,
    SymmetricKey = 10,
    SymmetricState = 11,
    SymmetricTag = 12,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Decoded {
    kind: u32,
    generation: u16,
    index: usize,
}

fn decode(raw: u32) -> Decoded {
    Decoded {
        kind: raw >> KIND_SHIFT,
        // Masked to 16 bits: the conversion cannot fail.
        generation: u16::try_from((raw >> INDEX_BITS) & GEN_MASK).unwrap_or(0),
        index: usize::try_from(raw & INDEX_MASK).unwrap_or(usize::MAX),
    }
}

fn encode(kind: Kind, generation: u16, index: usize) -> u32 {
    let index = u32::try_from(index).unwrap_or(INDEX_MASK) & INDEX_MASK;
    (u32::from(kind as u8) << KIND_SHIFT) | (u32::from(generation) << INDEX_BITS) | index
}

struct Slot<T> {
    /// Generation of the live object, or of the next one to be issued when empty.
    generation: u16,
    /// Whether this slot has ever issued a handle with a generation below `generation`.
    used: bool,
    value: Option<T>,
}

/// A table of at most `capacity` live objects of one handle type.
pub(crate) struct Slots<T> {
    kind: Kind,
    capacity: usize,
    slots: Vec<Slot<T>>,
    free: Vec<u16>,
}

impl<T> Slots<T> {
    pub(crate) fn new(kind: Kind, capacity: usize) -> Self {
        Slots {
            kind,
            capacity: capacity.min(MAX_CAPACITY),
            slots: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Stores `value` and returns its handle, or `too_many_handles` (dropping `value`).
    pub(crate) fn insert(&mut self, value: T) -> Result<u32> {
        if let Some(index) = self.free.pop() {
            let index = usize::from(index);
            let slot = self.slots.get_mut(index).ok_or(Error::InternalError)?;
            slot.value = Some(value);
            return Ok(encode(self.kind, slot.generation, index));
        }
        let index = self.slots.len();
        if index >= self.capacity {
            return Err(Error::TooManyHandles);
        }
        self.slots
            .try_reserve(1)
            .map_err(|_| Error::AlgorithmFailure)?;
        self.slots.push(Slot {
            generation: 0,
            used: false,
            value: Some(value),
        });
        Ok(encode(self.kind, 0, index))
    }

    /// `too_many_handles` unless an [`insert`](Self::insert) would find a slot now. Operations
    /// that change a state and then create a handle check this first, so a full table never
    /// leaves a state advanced with its result lost.
    pub(crate) fn ensure_room(&self) -> Result<()> {
        if self.free.is_empty() && self.slots.len() >= self.capacity {
            Err(Error::TooManyHandles)
        } else {
            Ok(())
        }
    }

    /// Returns `Some(index)` if `raw` names the live object of this table.
    fn live_index(&self, raw: u32) -> Option<usize> {
        let d = decode(raw);
        if d.kind != u32::from(self.kind as u8) {
            return None;
        }
        let slot = self.slots.get(d.index)?;
        (slot.value.is_some() && slot.generation == d.generation).then_some(d.index)
    }

    pub(crate) fn get(&self, raw: u32) -> Result<&T> {
        self.live_index(raw)
            .and_then(|i| self.slots.get(i))
            .and_then(|s| s.value.as_ref())
            .ok_or(Error::InvalidHandle)
    }

    pub(crate) fn get_mut(&mut self, raw: u32) -> Result<&mut T> {
        let i = self.live_index(raw).ok_or(Error::InvalidHandle)?;
        self.slots
            .get_mut(i)
            .and_then(|s| s.value.as_mut())
            .ok_or(Error::InvalidHandle)
    }

    /// Removes the live object and returns it; the handle becomes stale.
    pub(crate) fn remove(&mut self, raw: u32) -> Result<T> {
        let i = self.live_index(raw).ok_or(Error::InvalidHandle)?;
        let slot = self.slots.get_mut(i).ok_or(Error::InvalidHandle)?;
        let value = slot.value.take().ok_or(Error::InvalidHandle)?;
        slot.generation = slot.generation.wrapping_add(1);
        slot.used = true;
        // Indices are < MAX_CAPACITY, so they fit in u16; `insert` reserved room in `free`
        // for every slot, so this push never allocates.
        if let Ok(i16) = u16::try_from(i) {
            self.free.push(i16);
        }
        Ok(value)
    }

    /// Closes a handle: `closed` if it was issued and already closed, `invalid_handle` if it
    /// was never issued by this table.
    pub(crate) fn close(&mut self, raw: u32) -> Result<()> {
        match self.remove(raw) {
            Ok(value) => {
                drop(value);
                Ok(())
            }
            Err(_) => Err(self.stale_error(raw)),
        }
    }

    /// The error for a handle that is not live: `closed` when it names an earlier generation
    /// of a slot of this table, `invalid_handle` otherwise.
    fn stale_error(&self, raw: u32) -> Error {
        let d = decode(raw);
        if d.kind != u32::from(self.kind as u8) {
            return Error::InvalidHandle;
        }
        match self.slots.get(d.index) {
            Some(slot) if slot.used && d.generation < slot.generation => Error::Closed,
            _ => Error::InvalidHandle,
        }
    }

    /// Number of live objects.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.value.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_get_close() {
        let mut t = Slots::new(Kind::Options, 2);
        let a = t.insert(1u8).unwrap();
        let b = t.insert(2u8).unwrap();
        assert_ne!(a, b);
        assert_eq!(*t.get(a).unwrap(), 1);
        assert_eq!(t.insert(3u8), Err(Error::TooManyHandles));
        assert_eq!(t.close(a), Ok(()));
        assert_eq!(t.get(a), Err(Error::InvalidHandle));
        assert_eq!(t.close(a), Err(Error::Closed));
        let c = t.insert(4u8).unwrap();
        assert_ne!(a, c, "a reused slot gets a new generation");
        assert_eq!(t.get(a), Err(Error::InvalidHandle));
        assert_eq!(*t.get(c).unwrap(), 4);
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn wrong_kind_and_never_issued() {
        let mut opts = Slots::new(Kind::Options, 4);
        let mut tags: Slots<u8> = Slots::new(Kind::SymmetricTag, 4);
        let h = opts.insert(7u8).unwrap();
        assert_eq!(tags.get(h), Err(Error::InvalidHandle));
        assert_eq!(tags.close(h), Err(Error::InvalidHandle));
        assert_eq!(opts.close(0), Err(Error::InvalidHandle));
        assert_eq!(opts.close(u32::MAX), Err(Error::InvalidHandle));
        // Same kind and index, a generation never issued.
        let future = h.wrapping_add(1 << INDEX_BITS);
        assert_eq!(opts.close(future), Err(Error::InvalidHandle));
        assert_eq!(opts.get(h), Ok(&7));
    }

    #[test]
    fn zero_capacity_refuses() {
        let mut t = Slots::new(Kind::Keypair, 0);
        assert_eq!(t.insert(()), Err(Error::TooManyHandles));
    }

    #[test]
    fn capacity_is_clamped() {
        let mut t = Slots::new(Kind::Options, usize::MAX);
        for _ in 0..MAX_CAPACITY {
            t.insert(()).unwrap();
        }
        assert_eq!(t.insert(()), Err(Error::TooManyHandles));
    }
}
