//! Handle reuse through the ABI table (behaviour contract: a closed handle is `closed` when
//! closed again and `invalid_handle` for every other use, forever; a value never issued is
//! `invalid_handle`). The layout these tests read is documented in `core/src/handles.rs`:
//! `kind (4) | generation | index`, with 12 index bits for a 4096-handle table.

mod support;

use support::Guest;
use wasmcrypt_core::{Config, CryptoErrno as E};

fn config(max_handles: usize) -> Config {
    Config {
        max_handles,
        ..Config::default()
    }
}

fn open(g: &mut Guest) -> u32 {
    g.open_state("SHA-256").unwrap()
}

fn close(g: &mut Guest, h: u32) -> E {
    g.call("symmetric_state_close", &[h.into()])
}

/// Absorbs without the helper's memory bump (65,536 calls must fit the 64 KiB memory).
fn absorb_nothing(g: &mut Guest, h: u32) -> E {
    g.call("symmetric_state_absorb", &[h.into(), 0, 0])
}

/// Opens SHA-256 with preallocated argument memory: (name ptr, name len, none union, out).
fn open_at(g: &mut Guest, args: [u64; 4]) -> u32 {
    let [ap, al, none, out] = args;
    assert_eq!(
        g.call("symmetric_state_open", &[ap, al, none, none, out]),
        E::Success
    );
    g.u32_at(out)
}

/// 65,536 open/close cycles on one slot of a 4096-handle table (16 generation bits): with a
/// wrapping 16-bit generation the 65,537th open would hand the first handle back to a new
/// object, and closing the stale handle would close it. Instead the slot retires.
#[test]
fn a_stale_handle_is_never_revived() {
    let mut g = Guest::with_config(config(4096));
    let (ap, al) = g.put(b"SHA-256");
    let none = g.opt(None);
    let out = g.alloc(4);
    let args = [ap, al, none, out];

    let first = open_at(&mut g, args);
    assert_eq!(first & 0xfff, 0);
    assert_eq!(close(&mut g, first), E::Success);
    let mut last = first;
    for _ in 1..=0xffff {
        last = open_at(&mut g, args);
        assert_eq!(last & 0xfff, 0, "the only free slot is reused");
        assert_eq!(close(&mut g, last), E::Success);
    }
    assert_eq!(
        last,
        first | 0x0fff_f000,
        "slot 0 issued all 65,536 generations"
    );

    let next = open_at(&mut g, args);
    assert_ne!(next, first, "the first handle is not issued again");
    assert_eq!(next, first | 1, "slot 0 retired: slot 1, generation 0");
    assert_eq!(absorb_nothing(&mut g, first), E::InvalidHandle);
    assert_eq!(absorb_nothing(&mut g, last), E::InvalidHandle);
    assert_eq!(close(&mut g, first), E::Closed, "earlier generation");
    assert_eq!(close(&mut g, last), E::Closed, "last generation");
    assert_eq!(
        close(&mut g, first | 2),
        E::InvalidHandle,
        "slot never used"
    );
    assert_eq!(
        close(&mut g, next + 0x1000),
        E::InvalidHandle,
        "generation not yet issued"
    );
    assert_eq!(absorb_nothing(&mut g, next), E::Success);
    assert_eq!(close(&mut g, next), E::Success);
    assert_eq!(close(&mut g, next), E::Closed);
}

/// The slot freed longest ago is reused first.
#[test]
fn slots_are_reused_in_fifo_order() {
    let mut g = Guest::with_config(config(4096));
    let h: Vec<u32> = (0..4).map(|_| open(&mut g)).collect();
    assert_eq!(
        h.iter().map(|x| x & 0xfff).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    for i in [2, 0, 3, 1] {
        assert_eq!(close(&mut g, h[i]), E::Success);
    }
    let again: Vec<u32> = (0..5).map(|_| open(&mut g)).collect();
    assert_eq!(
        again.iter().map(|x| x & 0xfff).collect::<Vec<_>>(),
        [2, 0, 3, 1, 4],
        "freed slots oldest first, then a new one"
    );
    for (old, new) in h.iter().zip(&again) {
        assert_eq!(absorb_nothing(&mut g, *old), E::InvalidHandle);
        assert_eq!(close(&mut g, *old), E::Closed);
        assert_eq!(absorb_nothing(&mut g, *new), E::Success);
    }
}

/// With a full table, a close followed by an open reuses that slot with a new generation.
#[test]
fn a_full_table_recycles_the_closed_slot() {
    let mut g = Guest::with_config(config(3));
    let h: Vec<u32> = (0..3).map(|_| open(&mut g)).collect();
    assert_eq!(g.open_state("SHA-256"), Err(E::TooManyHandles));
    assert_eq!(close(&mut g, h[1]), E::Success);
    let x = open(&mut g);
    assert_ne!(x, h[1]);
    assert_eq!(x & 0b11, h[1] & 0b11, "the one free slot");
    assert_eq!(close(&mut g, h[1]), E::Closed);
    assert_eq!(absorb_nothing(&mut g, x), E::Success);
}
