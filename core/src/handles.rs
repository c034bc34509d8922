//! Fixed-capacity, typed, generation-tagged slot tables.
//!
//! A handle is a `u32`: `kind (4 bits) | generation (28 − b bits) | index (b bits)`, where `b`
//! is the fewest bits that address the table's capacity (0 for one slot, 8 for the default
//! 256, 12 for the largest table, [`MAX_CAPACITY`] = 4096); the generation takes every bit the
//! index does not need, so it has 16 bits at least and 20 with the default capacity. The kind
//! makes a handle of another type fail fast; the generation makes a closed handle stale even
//! after its slot is reused. Kind 0 is never issued, so the value 0 is never a valid handle.
//!
//! A generation never repeats within a slot: a slot issues generations 0, 1, 2, … and, once it
//! has issued the largest one, is *retired* when that object closes (it never returns to the
//! free list). A stale handle can therefore never name a live object again, and the error for
//! it stays `closed` for the whole life of the context. The cost is that a table wears out
//! after about 2^28 objects have been opened in it (its capacity times the generations per
//! slot: 2^28 for a power-of-two capacity); past that, `too_many_handles`. Free slots are
//! reused in FIFO order (the slot freed longest ago first), so a generation advances only as
//! fast as objects cycle through all free slots.
//!
//! Errors follow the behaviour contract: wrong kind, stale or never-issued value →
//! `invalid_handle`; closing a handle that was issued and has since been closed → `closed`;
//! every slot taken → `too_many_handles`. Closing drops the object, whose `Drop` zeroizes it.
//!
//! Allocation: the slot vector and the free queue grow together, fallibly (`try_reserve`), when
//! a new slot is first used; the queue always has room for every slot, so closing never
//! allocates.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::budget::{Budget, Footprint, Limits};
use crate::errno::{Error, Result};

/// Bits of the handle above the kind: generation and index together.
const BODY_BITS: u32 = 28;
/// Index bits of the largest table.
const MAX_INDEX_BITS: u32 = 12;

/// Largest number of slots one table can address.
pub const MAX_CAPACITY: usize = 1 << MAX_INDEX_BITS;

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
    generation: u32,
    index: usize,
}

struct Slot<T> {
    /// Generation of the live object, or of the last one issued when empty.
    generation: u32,
    value: Option<T>,
}

/// A table of at most `capacity` live objects of one handle type.
pub(crate) struct Slots<T> {
    kind: Kind,
    capacity: usize,
    /// Bits of the index field (`b` in the module documentation).
    index_bits: u32,
    slots: Vec<Slot<T>>,
    /// Indices of empty, unretired slots, oldest first. Its capacity is kept at least
    /// `slots.len()`, so pushing onto it never allocates.
    free: VecDeque<u16>,
}

impl<T> Slots<T> {
    pub(crate) fn new(kind: Kind, capacity: usize) -> Self {
        let capacity = capacity.min(MAX_CAPACITY);
        // The fewest bits addressing indices 0..capacity: 0 for at most one slot.
        let index_bits = match capacity.checked_sub(1) {
            None | Some(0) => 0,
            Some(last) => last.ilog2().saturating_add(1),
        };
        Slots {
            kind,
            capacity,
            index_bits,
            slots: Vec::new(),
            free: VecDeque::new(),
        }
    }

    fn index_mask(&self) -> u32 {
        (1u32 << self.index_bits).wrapping_sub(1)
    }

    /// The largest generation a slot of this table issues; the slot then retires.
    fn max_generation(&self) -> u32 {
        (1u32 << BODY_BITS.saturating_sub(self.index_bits)).wrapping_sub(1)
    }

    fn decode(&self, raw: u32) -> Decoded {
        Decoded {
            kind: raw >> BODY_BITS,
            generation: (raw >> self.index_bits) & self.max_generation(),
            index: usize::try_from(raw & self.index_mask()).unwrap_or(usize::MAX),
        }
    }

    fn encode(&self, generation: u32, index: usize) -> u32 {
        let index = u32::try_from(index).unwrap_or(u32::MAX) & self.index_mask();
        (u32::from(self.kind as u8) << BODY_BITS)
            | ((generation & self.max_generation()) << self.index_bits)
            | index
    }

    /// Bytes of heap the table itself holds: the slot vector and the free queue.
    fn table_bytes(&self) -> usize {
        self.slots
            .capacity()
            .saturating_mul(core::mem::size_of::<Slot<T>>())
            .saturating_add(
                self.free
                    .capacity()
                    .saturating_mul(core::mem::size_of::<u16>()),
            )
    }

    /// The slot capacity an insert into a full slot vector grows to: doubling (amortized),
    /// never past the table's capacity, so a table never holds room for more slots than that.
    fn grown_capacity(&self) -> usize {
        let index = self.slots.len();
        if index < self.slots.capacity() {
            self.slots.capacity()
        } else {
            index.saturating_mul(2).max(4).min(self.capacity)
        }
    }

    /// Bytes of table growth the next [`insert`](Self::insert) would allocate: 0 when a free
    /// slot is queued.
    fn growth_cost(&self) -> usize {
        if !self.free.is_empty() {
            return 0;
        }
        let grown = self.grown_capacity();
        let slots = grown
            .saturating_sub(self.slots.capacity())
            .saturating_mul(core::mem::size_of::<Slot<T>>());
        let free = grown
            .saturating_sub(self.free.capacity())
            .saturating_mul(core::mem::size_of::<u16>());
        slots.saturating_add(free)
    }

    /// Stores `value` and returns its handle. `too_many_handles` (dropping `value`, nothing
    /// charged) when every slot is taken or when the budget cannot hold the value's heap plus
    /// the table growth its slot needs.
    pub(crate) fn insert(&mut self, value: T, budget: &mut Budget) -> Result<u32>
    where
        T: Footprint,
    {
        let heap = value.heap_bytes();
        if let Some(&index) = self.free.front() {
            let index = usize::from(index);
            budget.charge(heap, Error::TooManyHandles)?;
            let Some(slot) = self.slots.get_mut(index) else {
                budget.release(heap);
                return Err(Error::InternalError);
            };
            // Only slots below the largest generation are ever queued.
            let Some(generation) = slot.generation.checked_add(1) else {
                budget.release(heap);
                return Err(Error::InternalError);
            };
            slot.generation = generation;
            slot.value = Some(value);
            self.free.pop_front();
            return Ok(self.encode(generation, index));
        }
        let index = self.slots.len();
        if index >= self.capacity {
            return Err(Error::TooManyHandles);
        }
        budget.check(
            self.growth_cost().saturating_add(heap),
            Error::TooManyHandles,
        )?;
        // Both reservations before any change: a failure leaves the table as it was.
        let before = self.table_bytes();
        let target = self.grown_capacity();
        if self.slots.capacity() < target {
            self.slots
                .try_reserve_exact(target.saturating_sub(index))
                .map_err(|_| Error::AlgorithmFailure)?;
        }
        let room = self.slots.capacity();
        if self.free.capacity() < room {
            let r = self
                .free
                .try_reserve_exact(room.saturating_sub(self.free.len()));
            if r.is_err() {
                budget.settle(before, self.table_bytes());
                return Err(Error::AlgorithmFailure);
            }
        }
        budget.settle(before, self.table_bytes());
        budget.settle(0, heap);
        self.slots.push(Slot {
            generation: 0,
            value: Some(value),
        });
        Ok(self.encode(0, index))
    }

    /// `too_many_handles` unless an [`insert`](Self::insert) of a value owning `heap` bytes
    /// would succeed now. Operations that change a state and then create a handle check this
    /// first, so a full table or budget never leaves a state advanced with its result lost;
    /// operations that build a large value check it before building.
    pub(crate) fn ensure_room(&self, budget: &Budget, heap: usize) -> Result<()> {
        if self.free.is_empty() && self.slots.len() >= self.capacity {
            return Err(Error::TooManyHandles);
        }
        budget.check(
            self.growth_cost().saturating_add(heap),
            Error::TooManyHandles,
        )
    }

    /// Returns `Some(index)` if `raw` names the live object of this table.
    fn live_index(&self, raw: u32) -> Option<usize> {
        let d = self.decode(raw);
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

    /// Runs `f` on the live object with the limits of a call that may grow it, then settles
    /// the budget with the object's change in heap. `f` may allocate only within
    /// `limits.room` (see [`Limits`]) and must leave the object unchanged when it fails.
    #[inline]
    pub(crate) fn update<R>(
        &mut self,
        raw: u32,
        budget: &mut Budget,
        max_len: usize,
        f: impl FnOnce(&mut T, Limits) -> Result<R>,
    ) -> Result<R>
    where
        T: Footprint,
    {
        let limits = budget.limits(max_len);
        let obj = self.get_mut(raw)?;
        let before = obj.heap_bytes();
        let r = f(obj, limits);
        budget.settle(before, obj.heap_bytes());
        r
    }

    fn get_mut(&mut self, raw: u32) -> Result<&mut T> {
        let i = self.live_index(raw).ok_or(Error::InvalidHandle)?;
        self.slots
            .get_mut(i)
            .and_then(|s| s.value.as_mut())
            .ok_or(Error::InvalidHandle)
    }

    /// Removes the live object and returns it, releasing its heap from the budget (the caller
    /// drops or moves it at once); the handle becomes stale. Never allocates.
    pub(crate) fn remove(&mut self, raw: u32, budget: &mut Budget) -> Result<T>
    where
        T: Footprint,
    {
        let i = self.live_index(raw).ok_or(Error::InvalidHandle)?;
        let max_generation = self.max_generation();
        let slot = self.slots.get_mut(i).ok_or(Error::InvalidHandle)?;
        let value = slot.value.take().ok_or(Error::InvalidHandle)?;
        // A slot that issued its last generation retires: it is never queued again. Indices
        // are < MAX_CAPACITY, so they fit in u16; the queue has room for every slot (reserved
        // when the slot was added), so this push never allocates.
        if slot.generation < max_generation
            && let Ok(i16) = u16::try_from(i)
        {
            self.free.push_back(i16);
        }
        budget.release(value.heap_bytes());
        Ok(value)
    }

    /// Closes a handle: `closed` if it was issued and already closed, `invalid_handle` if it
    /// was never issued by this table.
    pub(crate) fn close(&mut self, raw: u32, budget: &mut Budget) -> Result<()>
    where
        T: Footprint,
    {
        match self.remove(raw, budget) {
            Ok(value) => {
                drop(value);
                Ok(())
            }
            Err(_) => Err(self.stale_error(raw)),
        }
    }

    /// The error for a handle that is not live: `closed` when it names an earlier generation
    /// of a slot of this table (every generation up to the slot's current one was issued, in
    /// order), `invalid_handle` otherwise.
    fn stale_error(&self, raw: u32) -> Error {
        let d = self.decode(raw);
        if d.kind != u32::from(self.kind as u8) {
            return Error::InvalidHandle;
        }
        match self.slots.get(d.index) {
            Some(slot) if d.generation <= slot.generation => Error::Closed,
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

    impl Footprint for u8 {
        fn heap_bytes(&self) -> usize {
            0
        }
    }
    impl Footprint for u32 {
        fn heap_bytes(&self) -> usize {
            0
        }
    }
    impl Footprint for usize {
        fn heap_bytes(&self) -> usize {
            0
        }
    }
    impl Footprint for () {
        fn heap_bytes(&self) -> usize {
            0
        }
    }
    /// A value that claims `self.0` bytes of heap.
    struct Heavy(usize);
    impl Footprint for Heavy {
        fn heap_bytes(&self) -> usize {
            self.0
        }
    }

    impl<T: Footprint> Slots<T> {
        fn insert_t(&mut self, value: T) -> Result<u32> {
            self.insert(value, &mut Budget::new(usize::MAX))
        }
        fn close_t(&mut self, raw: u32) -> Result<()> {
            self.close(raw, &mut Budget::new(usize::MAX))
        }
    }

    /// The budget is charged exactly the table's growth plus each value's heap, released on
    /// close, and a value that does not fit is refused with nothing charged.
    #[test]
    fn budget_charges_tables_and_values_exactly() {
        let slot = core::mem::size_of::<Slot<Heavy>>();
        let mut b = Budget::new(10_000);
        let mut t = Slots::new(Kind::SymmetricKey, 8);
        let a = t.insert(Heavy(100), &mut b).unwrap();
        // First growth: 4 slots and 4 queue entries.
        assert_eq!(b.used(), 4 * slot + 4 * 2 + 100);
        assert_eq!(t.table_bytes(), 4 * slot + 4 * 2);
        let before = b.used();
        assert_eq!(
            t.insert(Heavy(b.room() + 1), &mut b),
            Err(Error::TooManyHandles)
        );
        assert_eq!(b.used(), before, "nothing charged");
        assert_eq!(t.ensure_room(&b, b.room()), Ok(()));
        assert_eq!(t.ensure_room(&b, b.room() + 1), Err(Error::TooManyHandles));
        t.close(a, &mut b).unwrap();
        assert_eq!(
            b.used(),
            4 * slot + 4 * 2,
            "the table stays, the value's heap is released"
        );
        for _ in 0..5 {
            t.insert(Heavy(1), &mut b).unwrap();
        }
        // Fifth value: the vector doubled to 8.
        assert_eq!(b.used(), 8 * slot + 8 * 2 + 5);
        assert_eq!(t.table_bytes(), 8 * slot + 8 * 2);
        // Growth that does not fit is refused before anything is reserved.
        let mut tight = Budget::new(slot);
        let mut u: Slots<Heavy> = Slots::new(Kind::SymmetricKey, 8);
        assert_eq!(u.insert(Heavy(0), &mut tight), Err(Error::TooManyHandles));
        assert_eq!((tight.used(), u.table_bytes()), (0, 0));
    }

    #[test]
    fn insert_get_close() {
        let mut t = Slots::new(Kind::Options, 2);
        let a = t.insert_t(1u8).unwrap();
        let b = t.insert_t(2u8).unwrap();
        assert_ne!(a, b);
        assert_eq!(*t.get(a).unwrap(), 1);
        assert_eq!(t.insert_t(3u8), Err(Error::TooManyHandles));
        assert_eq!(t.close_t(a), Ok(()));
        assert_eq!(t.get(a), Err(Error::InvalidHandle));
        assert_eq!(t.close_t(a), Err(Error::Closed));
        let c = t.insert_t(4u8).unwrap();
        assert_ne!(a, c, "a reused slot gets a new generation");
        assert_eq!(t.get(a), Err(Error::InvalidHandle));
        assert_eq!(*t.get(c).unwrap(), 4);
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn wrong_kind_and_never_issued() {
        let mut opts = Slots::new(Kind::Options, 4);
        let mut tags: Slots<u8> = Slots::new(Kind::SymmetricTag, 4);
        let h = opts.insert_t(7u8).unwrap();
        assert_eq!(tags.get(h), Err(Error::InvalidHandle));
        assert_eq!(tags.close_t(h), Err(Error::InvalidHandle));
        assert_eq!(opts.close_t(0), Err(Error::InvalidHandle));
        assert_eq!(opts.close_t(u32::MAX), Err(Error::InvalidHandle));
        // Same kind and index, a generation never issued.
        let future = h.wrapping_add(1 << opts.index_bits);
        assert_eq!(opts.close_t(future), Err(Error::InvalidHandle));
        // Same kind, an index never used.
        assert_eq!(opts.close_t(h | 3), Err(Error::InvalidHandle));
        assert_eq!(opts.get(h), Ok(&7));
    }

    #[test]
    fn growth_stops_at_capacity() {
        for cap in [1, 3, 5, 17, 256] {
            let mut t = Slots::new(Kind::Options, cap);
            for v in 0..cap {
                t.insert_t(v).unwrap();
                assert!(t.slots.capacity() <= cap, "{cap}");
                assert!(t.free.capacity() >= t.slots.len(), "{cap}");
            }
            assert_eq!(t.slots.capacity(), cap);
        }
    }

    #[test]
    fn zero_capacity_refuses() {
        let mut t = Slots::new(Kind::Keypair, 0);
        assert_eq!(t.insert_t(()), Err(Error::TooManyHandles));
        assert_eq!(
            t.ensure_room(&Budget::new(usize::MAX), 0),
            Err(Error::TooManyHandles)
        );
    }

    #[test]
    fn capacity_is_clamped() {
        let mut t = Slots::new(Kind::Options, usize::MAX);
        for _ in 0..MAX_CAPACITY {
            t.insert_t(()).unwrap();
        }
        assert_eq!(t.insert_t(()), Err(Error::TooManyHandles));
    }

    /// Index bits per capacity, and the exact handle values of a one-slot table (no index
    /// bits: the generation is the whole body).
    #[test]
    fn layout_follows_capacity() {
        for (cap, bits) in [(0, 0), (1, 0), (2, 1), (3, 2), (16, 4), (17, 5), (256, 8)] {
            assert_eq!(
                Slots::<()>::new(Kind::Options, cap).index_bits,
                bits,
                "{cap}"
            );
        }
        assert_eq!(Slots::<()>::new(Kind::Options, 4096).index_bits, 12);
        assert_eq!(Slots::<()>::new(Kind::Options, 1 << 20).index_bits, 12);
        let mut t = Slots::new(Kind::SymmetricState, 1);
        let a = t.insert_t(()).unwrap();
        assert_eq!(a, 0xB000_0000);
        t.close_t(a).unwrap();
        assert_eq!(t.insert_t(()), Ok(0xB000_0001));
        let mut t = Slots::new(Kind::Options, 256);
        let a = t.insert_t(()).unwrap();
        let b = t.insert_t(()).unwrap();
        assert_eq!((a, b), (0x1000_0000, 0x1000_0001));
        t.close_t(a).unwrap();
        assert_eq!(t.insert_t(()), Ok(0x1000_0100), "slot 0, generation 1");
    }

    /// Freed slots come back oldest first, whatever their index.
    #[test]
    fn free_slots_are_reused_in_fifo_order() {
        let mut t = Slots::new(Kind::Options, 4);
        let h: Vec<u32> = (0..4u8).map(|v| t.insert_t(v).unwrap()).collect();
        let index = |raw: u32| raw & 0b11;
        for &i in &[2usize, 0, 3, 1] {
            t.close_t(h[i]).unwrap();
        }
        let again: Vec<u32> = (0..4u8).map(|v| t.insert_t(v).unwrap()).collect();
        assert_eq!(
            again.iter().map(|&r| index(r)).collect::<Vec<_>>(),
            [2, 0, 3, 1]
        );
        assert_eq!(t.insert_t(9), Err(Error::TooManyHandles));
        // One close and reopen at a time keeps cycling through all free slots.
        t.close_t(again[0]).unwrap(); // slot 2
        t.close_t(again[1]).unwrap(); // slot 0
        let x = t.insert_t(0).unwrap();
        t.close_t(x).unwrap();
        let y = t.insert_t(0).unwrap();
        assert_eq!((index(x), index(y)), (2, 0));
    }

    /// The removal path never allocates: the free queue already has room for every slot.
    /// Neither the slots nor the queue hold room beyond the table's capacity.
    #[test]
    fn free_queue_has_room_for_every_slot() {
        let mut t = Slots::new(Kind::Options, 100);
        let h: Vec<u32> = (0..100u8).map(|v| t.insert_t(v).unwrap()).collect();
        assert_eq!(t.slots.capacity(), 100);
        let room = t.free.capacity();
        assert!(room >= 100);
        for &x in &h {
            t.close_t(x).unwrap();
            assert_eq!(t.free.capacity(), room);
        }
        assert_eq!(t.free.len(), 100);
    }

    /// 65,536 generations on one slot of a 4096-slot table (16 generation bits): the slot
    /// retires instead of wrapping, so its first handle is never revived and stays `closed`.
    #[test]
    fn generation_does_not_wrap() {
        let mut t = Slots::new(Kind::SymmetricState, MAX_CAPACITY);
        let first = t.insert_t(0u32).unwrap();
        t.close_t(first).unwrap();
        let mut last = first;
        for g in 1..=0xFFFFu32 {
            last = t.insert_t(g).unwrap();
            assert_eq!(last & 0xFFF, 0, "one slot cycles");
            assert_eq!(t.get(first), Err(Error::InvalidHandle), "generation {g}");
            t.close_t(last).unwrap();
        }
        assert_eq!(last, 0xBFFF_F000, "slot 0 at its last generation");
        // With 16-bit wrapping, the next object would have got `first` back.
        let next = t.insert_t(7).unwrap();
        assert_eq!(next, 0xB000_0001, "slot 0 retired: slot 1, generation 0");
        assert_eq!(t.get(first), Err(Error::InvalidHandle));
        assert_eq!(t.close_t(first), Err(Error::Closed));
        assert_eq!(t.close_t(last), Err(Error::Closed));
        assert_eq!(
            t.close_t(0xB000_8000),
            Err(Error::Closed),
            "a middle generation"
        );
        assert_eq!(
            t.close_t(0xB000_0002),
            Err(Error::InvalidHandle),
            "slot 2 never used"
        );
        assert_eq!(
            t.close_t(0xB000_1001),
            Err(Error::InvalidHandle),
            "future generation"
        );
        assert_eq!(t.get(next), Ok(&7));
    }

    /// A table whose every slot retired answers `too_many_handles`, and every handle it issued
    /// stays `closed`. (A one-slot table with 4 generation bits, set by hand.)
    #[test]
    fn a_worn_out_table_refuses() {
        let mut t = Slots::new(Kind::Options, 1);
        t.index_bits = 24;
        let mut issued = Vec::new();
        for v in 0..16u8 {
            let h = t.insert_t(v).unwrap();
            issued.push(h);
            t.close_t(h).unwrap();
        }
        assert_eq!(issued.last(), Some(&0x1F00_0000));
        assert_eq!(
            t.ensure_room(&Budget::new(usize::MAX), 0),
            Err(Error::TooManyHandles)
        );
        assert_eq!(t.insert_t(99), Err(Error::TooManyHandles));
        for h in issued {
            assert_eq!(t.close_t(h), Err(Error::Closed));
        }
    }
}
