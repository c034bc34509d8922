//! The per-context byte budget: one accountant charged by every heap allocation a guest can
//! cause, and released when the object holding it closes.
//!
//! What is charged:
//! - every live object's own heap ([`Footprint::heap_bytes`]: keys, buffered input, array
//!   outputs, option values, boxed state parts), charged when the object enters its slot
//!   table and released when it leaves;
//! - the slot tables themselves, charged as they grow (they never shrink);
//! - growth of an object in place (a state buffering more input, an option set again),
//!   settled after the call by measuring the object before and after; the call itself may only
//!   allocate within the room left ([`Limits::room`]), so the budget holds at every instant,
//!   not just between calls.
//!
//! Past the budget, a call that would create an object answers `too_many_handles` and a call
//! that would grow one answers `overflow`; either way nothing changes.
//!
//! What is not charged: the context value itself (`size_of::<Ctx>()`, owned by the embedder)
//! and short-lived scratch that third-party crates allocate inside one call and free before it
//! returns (DER encoders, big-integer temporaries). [`Config::memory_bound`](crate::Config::memory_bound)
//! adds a fixed allowance for those, [`CALL_SCRATCH`].

use crate::errno::{Error, Result};

/// Heap bytes, beyond the budget, that one call may hold briefly in third-party scratch
/// buffers (encoders and decoders of key formats, big-integer temporaries of key generation
/// and signing). Checked by the hostile-guest tests, which measure the real peak.
pub(crate) const CALL_SCRATCH: usize = 64 * 1024;

/// Heap owned by an object held in a slot table (not counting the slot itself).
pub(crate) trait Footprint {
    /// Exact bytes of heap this value owns (capacities, not lengths).
    fn heap_bytes(&self) -> usize;
}

/// Limits for one call that may grow an object: the per-buffer cap of the configuration and
/// the room left in the context's budget. Any single allocation the call makes must fit
/// `room` (else `overflow`, nothing changed).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// The configured cap of the buffer this call grows (`Config::max_buffered_len` for
    /// states, `Config::max_option_len` for option values).
    pub(crate) max_len: usize,
    /// Bytes the call may allocate before the budget is exhausted.
    pub(crate) room: usize,
}

impl Limits {
    /// The limits a test passes to a state directly: the configuration's buffer cap and an
    /// unlimited budget.
    #[cfg(test)]
    pub(crate) fn of(config: &crate::Config) -> Limits {
        Limits {
            max_len: config.max_buffered_len,
            room: usize::MAX,
        }
    }

    /// `overflow` unless `bytes` more fit the room.
    pub(crate) fn admit(&self, bytes: usize) -> Result<()> {
        if bytes <= self.room {
            Ok(())
        } else {
            Err(Error::Overflow)
        }
    }
}

/// The accountant of one context.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: usize,
    used: usize,
}

impl Budget {
    pub(crate) const fn new(limit: usize) -> Self {
        Budget { limit, used: 0 }
    }

    pub(crate) fn used(&self) -> usize {
        self.used
    }

    /// Bytes that can still be charged.
    pub(crate) fn room(&self) -> usize {
        self.limit.saturating_sub(self.used)
    }

    /// `err` unless `bytes` more fit.
    pub(crate) fn check(&self, bytes: usize, err: Error) -> Result<()> {
        if bytes <= self.room() {
            Ok(())
        } else {
            Err(err)
        }
    }

    /// Charges `bytes`, or answers `err` and charges nothing.
    pub(crate) fn charge(&mut self, bytes: usize, err: Error) -> Result<()> {
        self.check(bytes, err)?;
        self.used = self.used.saturating_add(bytes);
        Ok(())
    }

    pub(crate) fn release(&mut self, bytes: usize) {
        self.used = self.used.saturating_sub(bytes);
    }

    /// Records that an object went from `before` to `after` bytes of heap.
    pub(crate) fn settle(&mut self, before: usize, after: usize) {
        if after >= before {
            self.used = self.used.saturating_add(after.wrapping_sub(before));
        } else {
            self.release(before.wrapping_sub(after));
        }
    }

    /// The limits of a call that may grow an object.
    pub(crate) fn limits(&self, max_len: usize) -> Limits {
        Limits {
            max_len,
            room: self.room(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charge_check_release_settle() {
        let mut b = Budget::new(100);
        assert_eq!(b.charge(60, Error::TooManyHandles), Ok(()));
        assert_eq!(
            b.charge(41, Error::TooManyHandles),
            Err(Error::TooManyHandles)
        );
        assert_eq!(b.used(), 60, "a refused charge changes nothing");
        assert_eq!(b.check(40, Error::Overflow), Ok(()));
        b.settle(10, 50);
        assert_eq!(b.used(), 100);
        assert_eq!(b.room(), 0);
        assert_eq!(b.limits(7).admit(1), Err(Error::Overflow));
        assert_eq!(b.limits(7).admit(0), Ok(()));
        b.settle(50, 0);
        assert_eq!(b.used(), 50);
        b.release(80);
        assert_eq!(b.used(), 0, "saturates");
    }
}
