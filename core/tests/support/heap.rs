//! A counting global allocator for tests that measure the heap: live bytes and their peak,
//! counted per thread (so the test harness's own threads do not disturb a measurement).
//! A test binary installs it with `#[global_allocator] static A: heap::Counting = heap::Counting;`.
#![allow(unreachable_pub, reason = "shared by test crates, not a public API")]
#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The allocator: forwards to `System` and counts sizes.
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let v = live.get() + delta;
        live.set(v);
        let _ = PEAK.try_with(|p| {
            if v > p.get() {
                p.set(v);
            }
        });
    });
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

// SAFETY: every method forwards its arguments unchanged to `System` and returns its result;
// the counters only observe sizes.
#[allow(
    unsafe_code,
    reason = "a global allocator is an unsafe trait; this one only counts"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: our caller upholds `GlobalAlloc::alloc`'s contract for `layout`.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(signed(layout.size()));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            add(signed(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (every allocation goes there).
        unsafe { System.dealloc(ptr, layout) };
        add(-signed(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and the caller upholds `realloc`'s contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            add(signed(new_size) - signed(layout.size()));
        }
        p
    }
}

/// Live heap bytes of this thread.
pub fn live() -> isize {
    LIVE.with(Cell::get)
}

/// Starts a measurement: returns the live heap now and restarts the peak from it.
pub fn baseline() -> isize {
    let now = live();
    PEAK.with(|p| p.set(now));
    now
}

/// The peak since [`baseline`] returned `base`, above it.
pub fn peak_since(base: isize) -> usize {
    usize::try_from(PEAK.with(Cell::get) - base).unwrap_or(0)
}
