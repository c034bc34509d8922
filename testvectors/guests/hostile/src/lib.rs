//! A hostile guest: it does everything a guest can to make the host hold memory, through the
//! raw wasi-crypto imports, and checks that every refusal is the contract's errno.
//!
//! `run()` returns 0 when every step went as the contract says, otherwise `step * 100 +
//! errno` of the first unexpected result (`errno` 99: a call succeeded that had to be
//! refused). The host measures its heap around the call.
#![no_std]

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

mod raw {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
    unsafe extern "C" {
        pub fn options_open(alg_type: u32, out: *mut u32) -> u32;
        pub fn options_set(h: u32, n: *const u8, nl: usize, v: *const u8, vl: usize) -> u32;
    }
    #[link(wasm_import_module = "wasi_ephemeral_crypto_asymmetric_common")]
    unsafe extern "C" {
        pub fn keypair_generate(t: u32, a: *const u8, al: usize, opts: *const u64, out: *mut u32) -> u32;
    }
    #[link(wasm_import_module = "wasi_ephemeral_crypto_signatures")]
    unsafe extern "C" {
        pub fn signature_state_open(kp: u32, out: *mut u32) -> u32;
        pub fn signature_state_update(s: u32, d: *const u8, dl: usize) -> u32;
        pub fn signature_state_close(s: u32) -> u32;
    }
    #[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
    unsafe extern "C" {
        pub fn symmetric_key_import(a: *const u8, al: usize, r: *const u8, rl: usize, out: *mut u32) -> u32;
        pub fn symmetric_key_generate(a: *const u8, al: usize, opts: *const u64, out: *mut u32) -> u32;
        pub fn symmetric_key_export(k: u32, out: *mut u32) -> u32;
        pub fn symmetric_key_close(k: u32) -> u32;
        pub fn symmetric_state_open(a: *const u8, al: usize, key: *const u64, opts: *const u64, out: *mut u32) -> u32;
        pub fn symmetric_state_clone(s: u32, out: *mut u32) -> u32;
        pub fn symmetric_state_close(s: u32) -> u32;
        pub fn symmetric_state_absorb(s: u32, d: *const u8, dl: usize) -> u32;
        pub fn symmetric_state_encrypt(s: u32, o: *mut u8, ol: usize, d: *const u8, dl: usize, out: *mut usize) -> u32;
    }
}

const INVALID_KEY: u32 = 8;
const OVERFLOW: u32 = 16;
const TOO_MANY_HANDLES: u32 = 18;
const SYMMETRIC: u32 = 1;
const SIGNATURES: u32 = 0;
/// The longest HMAC/HKDF key the contract accepts.
const MAX_KEY: usize = 4096;

static KEY: [u8; MAX_KEY] = [0x5a; MAX_KEY];
static CHUNK: [u8; 1024] = [0x33; 1024];
/// A buffer encrypted in place (input and output overlap, so the host must copy the input).
static mut BIG: [u8; 256 * 1024 + 16] = [0; 256 * 1024 + 16];

/// An `opt_*` union: tag 0 = some(handle), 1 = none; 8 bytes, little-endian.
fn some(h: u32) -> u64 {
    u64::from(h) << 32
}
const NONE: u64 = 1;

/// The first unexpected result of a step.
fn fail(step: u32, errno: u32) -> i32 {
    (step * 100 + errno) as i32
}

fn import_key(alg: &[u8], key: &[u8]) -> Result<u32, u32> {
    let mut h = 0;
    // SAFETY: pointers into live statics and locals with their lengths.
    match unsafe { raw::symmetric_key_import(alg.as_ptr(), alg.len(), key.as_ptr(), key.len(), &mut h) } {
        0 => Ok(h),
        e => Err(e),
    }
}

fn open(alg: &[u8], key: Option<u32>, opts: Option<u32>) -> Result<u32, u32> {
    let (k, o) = (key.map_or(NONE, some), opts.map_or(NONE, some));
    let mut h = 0;
    // SAFETY: as above.
    match unsafe { raw::symmetric_state_open(alg.as_ptr(), alg.len(), &k, &o, &mut h) } {
        0 => Ok(h),
        e => Err(e),
    }
}

fn absorb(s: u32, d: &[u8]) -> u32 {
    // SAFETY: as above.
    unsafe { raw::symmetric_state_absorb(s, d.as_ptr(), d.len()) }
}

/// Repeats `f` until it fails; the errno it failed with must be `want`.
fn until_refused(step: u32, want: u32, mut f: impl FnMut() -> u32) -> Result<u32, i32> {
    let mut n = 0u32;
    loop {
        match f() {
            0 => n += 1,
            e if e == want => return Ok(n),
            e => return Err(fail(step, e)),
        }
        if n > 1_000_000 {
            return Err(fail(step, 99));
        }
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn run() -> i32 {
    match hostile() {
        Ok(()) => 0,
        Err(code) => code,
    }
}

fn hostile() -> Result<(), i32> {
    // 1. The largest HKDF-EXTRACT keys, until refused.
    let mut first_key = None;
    let mut keys = 0;
    until_refused(1, TOO_MANY_HANDLES, || match import_key(b"HKDF-EXTRACT/SHA-256", &KEY) {
        Ok(h) => {
            first_key.get_or_insert(h);
            keys += 1;
            0
        }
        Err(e) => e,
    })?;
    let key = first_key.ok_or(fail(1, 99))?;
    // 2. One key longer than the cap: invalid_key.
    match import_key(b"HMAC/SHA-256", &[0u8; MAX_KEY + 1]) {
        Err(INVALID_KEY) => {}
        Err(e) => return Err(fail(2, e)),
        Ok(_) => return Err(fail(2, 99)),
    }
    // 3. Make room by closing the newest keys, then open states that copy a key, until refused.
    if keys > 1 {
        // Handles of one table are issued in order from the first; close a few after it.
        for i in 1..4u32.min(keys) {
            // SAFETY: a plain host call; a wrong handle only returns an errno.
            unsafe { raw::symmetric_key_close(key + i) };
        }
    }
    let mut first_state = None;
    until_refused(3, TOO_MANY_HANDLES, || match open(b"HKDF-EXTRACT/SHA-256", Some(key), None) {
        Ok(s) => {
            first_state.get_or_insert(s);
            0
        }
        Err(e) => e,
    })?;
    // 4. Clones of a state that holds a key copy, until refused.
    if let Some(s) = first_state {
        let mut out = 0;
        until_refused(4, TOO_MANY_HANDLES, || {
            // SAFETY: as above.
            unsafe { raw::symmetric_state_clone(s, &mut out) }
        })?;
        // Free the states again for the buffers below.
        for i in 0..64u32 {
            // SAFETY: as above (closing handles that may not exist returns an errno).
            unsafe { raw::symmetric_state_close(s + i) };
        }
    }
    // 5. Options with the largest value the host allows, until refused.
    until_refused(5, TOO_MANY_HANDLES, || {
        let mut o = 0;
        // SAFETY: as above.
        match unsafe { raw::options_open(SYMMETRIC, &mut o) } {
            0 => {
                // SAFETY: as above.
                let e = unsafe { raw::options_set(o, b"nonce".as_ptr(), 5, KEY.as_ptr(), 64) };
                if e == OVERFLOW { TOO_MANY_HANDLES } else { e }
            }
            e => e,
        }
    })?;
    // 6. Exports of the largest key as array outputs, until refused.
    until_refused(6, TOO_MANY_HANDLES, || {
        let mut a = 0;
        // SAFETY: as above.
        unsafe { raw::symmetric_key_export(key, &mut a) }
    })?;
    // 7. An Ed25519 transcript grown until refused (if a key pair still fits).
    let alg = b"Ed25519";
    let mut kp = 0;
    // SAFETY: as above.
    if unsafe { raw::keypair_generate(SIGNATURES, alg.as_ptr(), alg.len(), &NONE, &mut kp) } == 0 {
        let mut st = 0;
        // SAFETY: as above.
        if unsafe { raw::signature_state_open(kp, &mut st) } == 0 {
            until_refused(7, OVERFLOW, || {
                // SAFETY: as above.
                unsafe { raw::signature_state_update(st, CHUNK.as_ptr(), CHUNK.len()) }
            })?;
            // SAFETY: as above.
            unsafe { raw::signature_state_close(st) };
        }
    }
    // 8. HKDF-EXPAND states, each with its info grown until refused (by the per-state cap or
    //    by the budget), until no more state can be opened.
    let prk = import_key(b"HKDF-EXPAND/SHA-256", &KEY[..32]).map_err(|e| fail(8, e))?;
    loop {
        match open(b"HKDF-EXPAND/SHA-256", Some(prk), None) {
            Ok(s) => {
                until_refused(8, OVERFLOW, || absorb(s, &CHUNK))?;
            }
            Err(TOO_MANY_HANDLES) => break,
            Err(e) => return Err(fail(8, e)),
        }
    }
    // 9. ChaCha20-Poly1305 encrypting a large buffer in place: the overlapping input must be
    //    copied, and the copy must fit the budget.
    let mut g = 0;
    let name = b"CHACHA20-POLY1305";
    // SAFETY: as above.
    let e = unsafe { raw::symmetric_key_generate(name.as_ptr(), name.len(), &NONE, &mut g) };
    if e == 0 {
        let mut o = 0;
        // SAFETY: as above.
        if unsafe { raw::options_open(SYMMETRIC, &mut o) } == 0 {
            // SAFETY: as above.
            unsafe { raw::options_set(o, b"nonce".as_ptr(), 5, KEY.as_ptr(), 12) };
            if let Ok(s) = open(name, Some(g), Some(o)) {
                let mut n = 0;
                let p = &raw mut BIG;
                // SAFETY: the guest is single-threaded; the host reads and writes the span.
                let e = unsafe {
                    let b = (*p).as_mut_ptr();
                    raw::symmetric_state_encrypt(s, b, 256 * 1024 + 16, b, 256 * 1024, &mut n)
                };
                if e != 0 && e != OVERFLOW {
                    return Err(fail(9, e));
                }
            }
        }
    }
    Ok(())
}
