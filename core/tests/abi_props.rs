//! Property tests at the ABI edge: random pointers, lengths, handle values, union tags and enum
//! values give the exact errno the contract names, write nothing, and never panic.

mod support;

use proptest::prelude::*;
use support::{Guest, MEM};
use wasmcrypt_core::{Config, CryptoErrno as E, abi};

const MEM64: u64 = MEM as u64;

/// A (ptr, len) pair whose end lies past linear memory (no u32 wrap-around tricks needed: the
/// sum is computed without overflow by the host).
fn out_of_bounds() -> impl Strategy<Value = (u64, u64)> {
    prop_oneof![
        (0..=MEM64, 1..=0xffff_ffffu64).prop_filter("past end", |(p, l)| p + l > MEM64),
        (MEM64 + 1..=0xffff_ffff, 0..=0xffff_ffffu64),
    ]
}

proptest! {
    #[test]
    fn absorb_out_of_bounds_is_guest_error_and_changes_nothing((p, l) in out_of_bounds()) {
        let mut g = Guest::new();
        let st = g.open_state("SHA-256").unwrap();
        prop_assert_eq!(g.absorb(st, b"abc"), E::Success);
        let before = g.squeeze(st, 32).unwrap();
        prop_assert_eq!(g.call("symmetric_state_absorb", &[st.into(), p, l]), E::GuestError);
        prop_assert_eq!(g.squeeze(st, 32).unwrap(), before);
    }

    #[test]
    fn squeeze_out_of_bounds_is_guest_error((p, l) in out_of_bounds()) {
        let mut g = Guest::new();
        let st = g.open_state("SHA-512").unwrap();
        let snapshot = g.mem.clone();
        prop_assert_eq!(g.call("symmetric_state_squeeze", &[st.into(), p, l]), E::GuestError);
        prop_assert!(g.mem == snapshot, "memory changed");
    }

    #[test]
    fn squeeze_lengths(n in 0usize..=128) {
        let mut g = Guest::new();
        let st = g.open_state("SHA-512").unwrap();
        g.absorb(st, b"abc");
        let full = g.squeeze(st, 64).unwrap();
        let r = g.squeeze(st, n);
        if n <= 64 {
            prop_assert_eq!(r.unwrap(), full[..n].to_vec());
        } else {
            prop_assert_eq!(r, Err(E::InvalidLength));
        }
    }

    #[test]
    fn never_issued_handles_are_invalid(h in any::<u32>()) {
        let mut g = Guest::new();
        let st = g.open_state("SHA-256").unwrap();
        prop_assume!(h != st);
        prop_assert_eq!(g.absorb(h, b"x"), E::InvalidHandle);
        // Nothing was ever closed in this context, so no value can be `closed`.
        for close in [
            "symmetric_state_close", "symmetric_key_close", "symmetric_tag_close",
            "options_close", "keypair_close", "publickey_close", "secretkey_close",
            "signature_close", "signature_state_close", "signature_verification_state_close",
            "secrets_manager_close",
        ] {
            prop_assert_eq!(g.call(close, &[h.into()]), E::InvalidHandle, "{}", close);
        }
        prop_assert_eq!(g.call("array_output_len", &[h.into(), 0]), E::InvalidHandle);
        prop_assert_eq!(g.absorb(st, b"still fine"), E::Success);
    }

    #[test]
    fn union_tags_other_than_0_and_1_are_guest_error(tag in 2u8..=255, h in any::<u32>()) {
        let mut g = Guest::new();
        let (ap, al) = g.put(b"SHA-256");
        let mut u = [0u8; 8];
        u[0] = tag;
        u[4..].copy_from_slice(&h.to_le_bytes());
        let (up, _) = g.put(&u);
        let none = g.opt(None);
        let out = g.alloc(4);
        let snapshot = g.mem.clone();
        prop_assert_eq!(g.call("symmetric_state_open", &[ap, al, up, none, out]), E::GuestError);
        prop_assert_eq!(g.call("symmetric_state_open", &[ap, al, none, up, out]), E::GuestError);
        prop_assert_eq!(g.call("symmetric_key_generate", &[ap, al, up, out]), E::GuestError);
        prop_assert_eq!(g.call("secrets_manager_open", &[up, out]), E::GuestError);
        prop_assert!(g.mem == snapshot, "memory changed");
    }

    #[test]
    fn algorithm_type_out_of_range(t in 3u64..=0xffff_ffff) {
        let mut g = Guest::new();
        let out = g.alloc(4);
        prop_assert_eq!(g.call("options_open", &[t, out]), E::InvalidOperation);
        prop_assert_eq!(g.u32_at(out), 0);
    }

    #[test]
    fn bad_out_pointer_creates_no_handle(p in MEM64 - 3..=0xffff_ffff) {
        let mut g = Guest::with_config(Config { max_handles: 1, ..Config::default() });
        prop_assert_eq!(g.call("options_open", &[1, p]), E::GuestError);
        let (ap, al) = g.put(b"SHA-256");
        let none = g.opt(None);
        prop_assert_eq!(g.call("symmetric_state_open", &[ap, al, none, none, p]), E::GuestError);
        // The single slot of each table is still free.
        prop_assert!(g.options_open(1).is_ok());
        prop_assert!(g.open_state("SHA-256").is_ok());
    }

    #[test]
    fn chunked_absorb_equals_one_shot(msg in proptest::collection::vec(any::<u8>(), 0..600),
                                      cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let mut g = Guest::new();
        let one = g.open_state("SHA-384").unwrap();
        g.absorb(one, &msg);
        let want = g.squeeze(one, 48).unwrap();
        let st = g.open_state("SHA-384").unwrap();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (msg.len() + 1)).collect();
        cuts.sort_unstable();
        let mut prev = 0;
        for c in cuts.into_iter().chain([msg.len()]) {
            prop_assert_eq!(g.absorb(st, &msg[prev..c]), E::Success);
            prev = c;
        }
        prop_assert_eq!(g.squeeze(st, 48).unwrap(), want);
    }

    /// Any call with any arguments returns a witx errno and leaves the context usable.
    #[test]
    fn arbitrary_calls_return_an_errno(calls in proptest::collection::vec(
        (0usize..78, proptest::collection::vec(any::<u64>(), 8)), 1..64)) {
        let mut g = Guest::with_config(Config { max_handles: 4, ..Config::default() });
        for (i, args) in calls {
            let f = &abi::FUNCTIONS[i];
            let args: Vec<u64> = args[..f.params.len()]
                .iter()
                .map(|a| if a % 3 == 0 { a % MEM64 } else { *a })
                .collect();
            let r = (f.call)(&mut g.ctx, &mut g.mem, &args);
            prop_assert!((0..=30).contains(&r), "{} returned {}", f.name, r);
        }
        let st = g.open_state("SHA-256");
        prop_assert!(st.is_ok() || st == Err(E::TooManyHandles));
    }
}
