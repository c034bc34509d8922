//! Secrets are wiped when their objects close: one test per secret type.
//!
//! In test builds, the drop code of every secret-holding type wasmcrypt writes itself reports
//! the bytes it has just wiped to [`wiped`], after wiping and before the memory is freed or
//! reused. A test collects those reports for the calls it makes on its own thread ([`watch`])
//! and checks that each secret it put in came back as zeros, at its full length. A `Drop` that
//! stopped wiping would report the secret itself, and its test would fail. Nothing here reads
//! freed memory.
//!
//! State kept inside dependencies (the `aes` key schedules, GHASH/POLYVAL, both Poly1305s, the
//! `hmac`/`sha2` cores) is not visible to safe code; the families' files check at compile time
//! that those types are `ZeroizeOnDrop`. Xoodyak's Cyclist state has no report hook yet.

extern crate std;

use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::{AlgorithmType, Ctx};

/// One report: what was wiped, where it lives, and its bytes right after the wipe.
#[derive(Debug, PartialEq, Eq)]
struct Wiped {
    what: &'static str,
    addr: usize,
    bytes: Vec<u8>,
}

std::thread_local! {
    /// The reports of the current [`watch`], if one is running on this thread.
    static LOG: RefCell<Option<Vec<Wiped>>> = const { RefCell::new(None) };
}

/// Called by drop code right after it wiped `bytes`, before they are freed or reused.
pub(crate) fn wiped(what: &'static str, bytes: &[u8]) {
    LOG.with(|log| {
        if let Some(log) = log.borrow_mut().as_mut() {
            log.push(Wiped {
                what,
                addr: bytes.as_ptr() as usize,
                bytes: bytes.to_vec(),
            });
        }
    });
}

/// [`wiped`] for several fields of one object, in order.
pub(crate) fn wiped_all(parts: &[(&'static str, &[u8])]) {
    for (what, bytes) in parts {
        wiped(what, bytes);
    }
}

/// Runs `f` and returns what drop code reported wiping meanwhile, as (what, bytes).
fn watch<R>(f: impl FnOnce() -> R) -> (R, Vec<(&'static str, Vec<u8>)>) {
    let (r, log) = watch_at(f);
    (r, log.into_iter().map(|w| (w.what, w.bytes)).collect())
}

/// [`watch`], with the addresses.
fn watch_at<R>(f: impl FnOnce() -> R) -> (R, Vec<Wiped>) {
    LOG.with(|log| *log.borrow_mut() = Some(Vec::new()));
    let r = f();
    let log = LOG.with(|log| log.borrow_mut().take()).unwrap();
    (r, log)
}

fn zeros(n: usize) -> Vec<u8> {
    vec![0; n]
}

#[test]
fn secret_bytes_are_zero_in_their_own_allocation_before_it_is_freed() {
    let s = crate::secret::SecretBytes::copy_from(&[0xa5; 40]).unwrap();
    let c = s.clone();
    let (s_addr, c_addr) = (s.expose().as_ptr() as usize, c.expose().as_ptr() as usize);
    assert_ne!(s_addr, c_addr);
    let ((), log) = watch_at(|| {
        drop(s);
        drop(c);
    });
    let want = |addr| Wiped {
        what: "SecretBytes",
        addr,
        bytes: zeros(40),
    };
    assert_eq!(log, [want(s_addr), want(c_addr)]);
}

#[test]
fn symmetric_key_close_wipes_the_key() {
    let mut ctx = Ctx::default();
    let key = ctx
        .symmetric_key_import(b"HMAC/SHA-256", &[0x5c; 77])
        .unwrap();
    let ((), log) = watch(|| ctx.symmetric_key_close(key).unwrap());
    assert_eq!(log, [("SecretBytes", zeros(77))]);
}

#[test]
fn squeezed_keys_are_wiped_on_close() {
    let mut ctx = Ctx::default();
    let ikm = ctx
        .symmetric_key_import(b"HKDF-EXTRACT/SHA-256", &[0x11; 32])
        .unwrap();
    let st = ctx
        .symmetric_state_open(b"HKDF-EXTRACT/SHA-256", Some(ikm), None)
        .unwrap();
    // The PRK, as a key for HKDF-EXPAND.
    let key = ctx
        .symmetric_state_squeeze_key(st, b"HKDF-EXPAND/SHA-256")
        .unwrap();
    let ((), log) = watch(|| ctx.symmetric_key_close(key).unwrap());
    assert_eq!(log, [("SecretBytes", zeros(32))]);
}

#[test]
fn symmetric_tags_are_wiped_on_close_and_on_pull() {
    let mut ctx = Ctx::default();
    let key = ctx
        .symmetric_key_import(b"HMAC/SHA-512", &[0x0b; 20])
        .unwrap();
    let st = ctx
        .symmetric_state_open(b"HMAC/SHA-512", Some(key), None)
        .unwrap();
    ctx.symmetric_state_absorb(st, b"Hi There").unwrap();
    let a = ctx.symmetric_state_squeeze_tag(st).unwrap();
    let b = ctx.symmetric_state_squeeze_tag(st).unwrap();
    let ((), log) = watch(|| ctx.symmetric_tag_close(a).unwrap());
    assert_eq!(log, [("SecretBytes", zeros(64))]);
    let mut out = [0u8; 64];
    let (n, log) = watch(|| ctx.symmetric_tag_pull(b, &mut out).unwrap());
    assert_eq!(n, 64);
    assert_eq!(log, [("SecretBytes", zeros(64))]);
    // The guest got the tag (RFC 4231 test case 1), only the host's copy was wiped.
    assert_eq!(out[..4], [0x87, 0xaa, 0x7c, 0xde]);
}

#[test]
fn hkdf_extract_state_close_wipes_the_ikm() {
    let mut ctx = Ctx::default();
    let ikm = ctx
        .symmetric_key_import(b"HKDF-EXTRACT/SHA-256", &[0x0b; 45])
        .unwrap();
    let st = ctx
        .symmetric_state_open(b"HKDF-EXTRACT/SHA-256", Some(ikm), None)
        .unwrap();
    ctx.symmetric_state_absorb(st, b"salt").unwrap();
    let ((), log) = watch(|| ctx.symmetric_state_close(st).unwrap());
    assert_eq!(log, [("SecretBytes", zeros(45))]);
}

/// A symmetric options object holding a 12-byte `nonce` of 0x24.
fn nonce_options(ctx: &mut Ctx, len: usize) -> crate::Options {
    let opts = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(opts, b"nonce", &vec![0x24; len]).unwrap();
    opts
}

#[test]
fn aes_gcm_state_close_wipes_nonce_and_pending_ad() {
    let mut ctx = Ctx::default();
    let key = ctx
        .symmetric_key_import(b"AES-128-GCM", &[0x42; 16])
        .unwrap();
    let opts = nonce_options(&mut ctx, 12);
    let st = ctx
        .symmetric_state_open(b"AES-128-GCM", Some(key), Some(opts))
        .unwrap();
    // 5 bytes of AD stay pending (less than a block).
    ctx.symmetric_state_absorb(st, b"hdr:5").unwrap();
    let ((), log) = watch(|| ctx.symmetric_state_close(st).unwrap());
    assert_eq!(log, [("nonce", zeros(24)), ("pending AD", zeros(16))]);
}

#[test]
fn chacha20_poly1305_state_close_wipes_key_nonces_and_buffered_ad() {
    let mut ctx = Ctx::default();
    let key = ctx
        .symmetric_key_import(b"CHACHA20-POLY1305", &[0x42; 32])
        .unwrap();
    let opts = nonce_options(&mut ctx, 12);
    let st = ctx
        .symmetric_state_open(b"CHACHA20-POLY1305", Some(key), Some(opts))
        .unwrap();
    ctx.symmetric_state_absorb(st, b"hdr:5").unwrap();
    let ((), log) = watch(|| ctx.symmetric_state_close(st).unwrap());
    assert_eq!(
        log,
        [
            ("nonce", zeros(24)),
            ("pending AD", zeros(16)),
            ("chacha key", zeros(32)),
            ("chacha nonce", zeros(12)),
            ("chacha buffered AD", zeros(5)),
        ]
    );
}

#[test]
fn chacha20_head_keystream_is_wiped_after_each_message() {
    let mut ctx = Ctx::default();
    let key = ctx
        .symmetric_key_import(b"XCHACHA20-POLY1305", &[0x42; 32])
        .unwrap();
    let opts = nonce_options(&mut ctx, 24);
    let st = ctx
        .symmetric_state_open(b"XCHACHA20-POLY1305", Some(key), Some(opts))
        .unwrap();
    let mut out = [0u8; 16 + 16];
    let (n, log) = watch(|| ctx.symmetric_state_encrypt(st, &mut out, &[0x77; 16]));
    assert_eq!(n, Ok(32));
    assert_eq!(log, [("chacha head keystream", zeros(256))]);
}

#[test]
fn option_values_are_wiped_on_overwrite_and_on_close() {
    let mut ctx = Ctx::default();
    let opts = nonce_options(&mut ctx, 12);
    let ((), log) = watch(|| ctx.options_set(opts, b"nonce", &[0x99; 24]).unwrap());
    assert_eq!(log, [("SecretBytes", zeros(12))]);
    let ((), log) = watch(|| ctx.options_close(opts).unwrap());
    assert_eq!(log, [("SecretBytes", zeros(24))]);
}

#[test]
fn array_outputs_are_wiped_when_pulled_in_full() {
    let mut ctx = Ctx::default();
    let key = ctx
        .symmetric_key_import(b"AES-256-GCM", &[0x42; 32])
        .unwrap();
    let out = ctx.symmetric_key_export(key).unwrap();
    let mut buf = [0u8; 32];
    let (n, log) = watch(|| ctx.array_output_pull(out, &mut buf[..20]).unwrap());
    assert_eq!((n, log), (20, vec![]));
    let (n, log) = watch(|| ctx.array_output_pull(out, &mut buf[20..]).unwrap());
    assert_eq!((n, log), (12, vec![("SecretBytes", zeros(32))]));
    assert_eq!(buf, [0x42; 32]);
}

#[cfg(feature = "x25519")]
#[test]
fn x25519_secret_keys_are_wiped_on_close_with_every_copy() {
    use crate::{KeypairEncoding, PublickeyEncoding, SecretkeyEncoding};
    let mut ctx = Ctx::default();
    let t = AlgorithmType::KeyExchange;
    let sk = ctx
        .secretkey_import(t, b"X25519", &[0x42; 32], SecretkeyEncoding::Raw)
        .unwrap();
    let ((), log) = watch(|| ctx.secretkey_close(sk).unwrap());
    assert_eq!(log, [("x25519 secret", zeros(32))]);
    // A key pair and the secret key taken from it are two copies, each wiped on its close.
    let sk = ctx
        .secretkey_import(t, b"X25519", &[0x42; 32], SecretkeyEncoding::Raw)
        .unwrap();
    let pk = ctx.publickey_from_secretkey(sk).unwrap();
    let out = ctx.publickey_export(pk, PublickeyEncoding::Raw).unwrap();
    let mut public = [0u8; 32];
    ctx.array_output_pull(out, &mut public).unwrap();
    let kp = ctx
        .keypair_import(
            t,
            b"X25519",
            &[public, [0x42; 32]].concat(),
            KeypairEncoding::Raw,
        )
        .unwrap();
    let half = ctx.keypair_secretkey(kp).unwrap();
    let ((), log) = watch(|| ctx.keypair_close(kp).unwrap());
    assert_eq!(log, [("x25519 secret", zeros(32))]);
    let ((), log) = watch(|| ctx.secretkey_close(half).unwrap());
    assert_eq!(log, [("x25519 secret", zeros(32))]);
}
