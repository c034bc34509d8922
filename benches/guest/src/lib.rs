//! Exports `rc_*(n)` and `wc_*(n)`: each runs one operation `n` times on a 64-byte message,
//! `rc_` with RustCrypto compiled into this guest, `wc_` through wasmcrypt's wasi-crypto
//! imports (including state open and close, as a guest would per message). Each returns 0 on
//! success, so the host can check the loop really ran.
#![no_std]

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use chacha20poly1305::ChaCha20Poly1305;
use hmac::{Hmac, Mac};
use sha2::Sha256;

mod raw {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
    unsafe extern "C" {
        pub fn options_open(alg_type: u32, out: *mut u32) -> u32;
        pub fn options_set(h: u32, n: *const u8, nl: usize, v: *const u8, vl: usize) -> u32;
        pub fn options_close(h: u32) -> u32;
    }
    #[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
    unsafe extern "C" {
        pub fn symmetric_key_close(k: u32) -> u32;
        pub fn symmetric_key_import(a: *const u8, al: usize, r: *const u8, rl: usize, out: *mut u32) -> u32;
        pub fn symmetric_state_open(a: *const u8, al: usize, key: *const u64, opts: *const u64, out: *mut u32) -> u32;
        pub fn symmetric_state_close(s: u32) -> u32;
        pub fn symmetric_state_absorb(s: u32, d: *const u8, dl: usize) -> u32;
        pub fn symmetric_state_squeeze_tag(s: u32, out: *mut u32) -> u32;
        pub fn symmetric_state_encrypt(s: u32, o: *mut u8, ol: usize, d: *const u8, dl: usize, out: *mut usize) -> u32;
        pub fn symmetric_tag_pull(t: u32, b: *mut u8, bl: usize, out: *mut usize) -> u32;
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

static KEY: [u8; 32] = [7; 32];
static NONCE: [u8; 12] = [9; 12];
static mut MSG: [u8; 64] = [5; 64];
static mut OUT: [u8; 80] = [0; 80];

fn msg() -> [u8; 64] {
    // SAFETY: single-threaded guest; a copy of a static.
    unsafe { MSG }
}

#[unsafe(no_mangle)]
pub extern "C" fn rc_aes128gcm_64(n: u32) -> u32 {
    let cipher = Aes128Gcm::new_from_slice(&KEY[..16]).unwrap_or_else(|_| core::arch::wasm32::unreachable());
    let mut acc = 0u8;
    for _ in 0..n {
        let mut buf = msg();
        let tag = cipher
            .encrypt_inout_detached(&Nonce::from(NONCE), b"", (&mut buf[..]).into())
            .unwrap_or_else(|_| core::arch::wasm32::unreachable());
        acc ^= tag[0] ^ buf[0];
    }
    u32::from(core::hint::black_box(acc)) & 0
}

#[unsafe(no_mangle)]
pub extern "C" fn rc_chacha20poly1305_64(n: u32) -> u32 {
    let cipher = ChaCha20Poly1305::new_from_slice(&KEY).unwrap_or_else(|_| core::arch::wasm32::unreachable());
    let mut acc = 0u8;
    for _ in 0..n {
        let mut buf = msg();
        let tag = cipher
            .encrypt_inout_detached(&chacha20poly1305::Nonce::from(NONCE), b"", (&mut buf[..]).into())
            .unwrap_or_else(|_| core::arch::wasm32::unreachable());
        acc ^= tag[0] ^ buf[0];
    }
    u32::from(core::hint::black_box(acc)) & 0
}

#[unsafe(no_mangle)]
pub extern "C" fn rc_hmac_sha256_64(n: u32) -> u32 {
    let mut acc = 0u8;
    for _ in 0..n {
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&KEY).unwrap_or_else(|_| core::arch::wasm32::unreachable());
        m.update(&msg());
        acc ^= m.finalize().into_bytes()[0];
    }
    u32::from(core::hint::black_box(acc)) & 0
}

fn some(h: u32) -> u64 {
    u64::from(h) << 32
}
const NONE: u64 = 1;

fn wc_aead(alg: &str, key_len: usize, n: u32) -> u32 {
    let mut key = 0;
    let mut opts = 0;
    let name = "nonce";
    // SAFETY: pointers to statics/locals with their lengths; out-pointers to locals.
    unsafe {
        let e = raw::symmetric_key_import(alg.as_ptr(), alg.len(), KEY.as_ptr(), key_len, &mut key)
            | raw::options_open(1, &mut opts)
            | raw::options_set(opts, name.as_ptr(), name.len(), NONCE.as_ptr(), NONCE.len());
        if e != 0 {
            return e;
        }
    }
    let (k, o) = (some(key), some(opts));
    for _ in 0..n {
        let mut st = 0;
        let mut len = 0;
        // SAFETY: as above; MSG and OUT are only touched by this single-threaded guest.
        let e = unsafe {
            let m = &raw const MSG;
            let out = &raw mut OUT;
            raw::symmetric_state_open(alg.as_ptr(), alg.len(), &k, &o, &mut st)
                | raw::symmetric_state_encrypt(st, out.cast(), 80, m.cast(), 64, &mut len)
                | raw::symmetric_state_close(st)
        };
        if e != 0 {
            return e;
        }
    }
    // SAFETY: integer arguments.
    unsafe { raw::symmetric_key_close(key) | raw::options_close(opts) }
}

#[unsafe(no_mangle)]
pub extern "C" fn wc_aes128gcm_64(n: u32) -> u32 {
    wc_aead("AES-128-GCM", 16, n)
}

#[unsafe(no_mangle)]
pub extern "C" fn wc_chacha20poly1305_64(n: u32) -> u32 {
    wc_aead("CHACHA20-POLY1305", 32, n)
}

#[unsafe(no_mangle)]
pub extern "C" fn wc_hmac_sha256_64(n: u32) -> u32 {
    let alg = "HMAC/SHA-256";
    let mut key = 0;
    // SAFETY: pointers to statics with their lengths; out-pointer to a local.
    let e = unsafe { raw::symmetric_key_import(alg.as_ptr(), alg.len(), KEY.as_ptr(), 32, &mut key) };
    if e != 0 {
        return e;
    }
    let k = some(key);
    let none = NONE;
    let mut tag = [0u8; 32];
    for _ in 0..n {
        let mut st = 0;
        let mut t = 0;
        let mut len = 0;
        // SAFETY: pointers to statics/locals with their lengths; out-pointers to locals.
        let e = unsafe {
            let m = &raw const MSG;
            raw::symmetric_state_open(alg.as_ptr(), alg.len(), &k, &none, &mut st)
                | raw::symmetric_state_absorb(st, m.cast(), 64)
                | raw::symmetric_state_squeeze_tag(st, &mut t)
                | raw::symmetric_tag_pull(t, tag.as_mut_ptr(), 32, &mut len)
                | raw::symmetric_state_close(st)
        };
        if e != 0 {
            return e;
        }
    }
    // SAFETY: integer argument.
    unsafe { raw::symmetric_key_close(key) }
}
