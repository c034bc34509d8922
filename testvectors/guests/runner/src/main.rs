//! Test-vector runner guest. Reads cases from stdin, one per line, fields separated by one
//! space, byte strings in hex (`-` for empty), and prints one line per case: `ok HEX...` or
//! `err ERRNO` (the first non-zero crypto_errno). Every operation goes through the raw
//! wasi-crypto imports, exactly as any guest would call them.
//!
//! ```text
//! hash ALG MSG OUTLEN              -> ok DIGEST
//! mac ALG KEY MSG [N]              -> ok TAG          (the first N bytes when N is given)
//! mac_verify ALG KEY MSG TAG       -> ok -            (symmetric_tag_verify)
//! hkdf HASH IKM SALT INFO LEN      -> ok PRK OKM      (HASH = SHA-256 | SHA-512)
//! hkdf_okm HASH IKM SALT INFO LEN  -> ok OKM
//! seal ALG KEY NONCE AD MSG        -> ok CIPHERTEXT‖TAG
//! open ALG KEY NONCE AD CT‖TAG     -> ok PLAINTEXT
//! ```

use std::io::{BufRead, Write};

mod raw {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
    unsafe extern "C" {
        pub fn options_open(alg_type: u32, out: *mut u32) -> u32;
        pub fn options_close(h: u32) -> u32;
        pub fn options_set(h: u32, n: *const u8, nl: usize, v: *const u8, vl: usize) -> u32;
        pub fn array_output_len(h: u32, out: *mut usize) -> u32;
        pub fn array_output_pull(h: u32, b: *mut u8, bl: usize, out: *mut usize) -> u32;
    }
    #[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
    unsafe extern "C" {
        pub fn symmetric_key_import(a: *const u8, al: usize, r: *const u8, rl: usize, out: *mut u32) -> u32;
        pub fn symmetric_key_export(k: u32, out: *mut u32) -> u32;
        pub fn symmetric_key_close(k: u32) -> u32;
        pub fn symmetric_state_open(a: *const u8, al: usize, key: *const u64, opts: *const u64, out: *mut u32) -> u32;
        pub fn symmetric_state_close(s: u32) -> u32;
        pub fn symmetric_state_absorb(s: u32, d: *const u8, dl: usize) -> u32;
        pub fn symmetric_state_squeeze(s: u32, o: *mut u8, ol: usize) -> u32;
        pub fn symmetric_state_squeeze_tag(s: u32, out: *mut u32) -> u32;
        pub fn symmetric_state_squeeze_key(s: u32, a: *const u8, al: usize, out: *mut u32) -> u32;
        pub fn symmetric_state_encrypt(s: u32, o: *mut u8, ol: usize, d: *const u8, dl: usize, out: *mut usize) -> u32;
        pub fn symmetric_state_decrypt(s: u32, o: *mut u8, ol: usize, d: *const u8, dl: usize, out: *mut usize) -> u32;
        pub fn symmetric_state_max_tag_len(s: u32, out: *mut usize) -> u32;
        pub fn symmetric_tag_len(t: u32, out: *mut usize) -> u32;
        pub fn symmetric_tag_pull(t: u32, b: *mut u8, bl: usize, out: *mut usize) -> u32;
        pub fn symmetric_tag_verify(t: u32, e: *const u8, el: usize) -> u32;
        pub fn symmetric_tag_close(t: u32) -> u32;
    }
}

type R<T> = Result<T, u32>;

fn check(e: u32) -> R<()> {
    if e == 0 { Ok(()) } else { Err(e) }
}

/// An `opt_*` union: tag 0 = some(handle), 1 = none; 8 bytes, little-endian.
fn some(h: u32) -> u64 {
    u64::from(h) << 32
}
const NONE: u64 = 1;

struct Key(u32);
impl Drop for Key {
    fn drop(&mut self) {
        // SAFETY: a plain host call with an integer argument.
        unsafe { raw::symmetric_key_close(self.0) };
    }
}
struct State(u32);
impl Drop for State {
    fn drop(&mut self) {
        // SAFETY: a plain host call with an integer argument.
        unsafe { raw::symmetric_state_close(self.0) };
    }
}

fn import(alg: &str, key: &[u8]) -> R<Key> {
    let mut h = 0;
    // SAFETY: pointers to live buffers with their lengths, and an out-pointer to a local.
    check(unsafe { raw::symmetric_key_import(alg.as_ptr(), alg.len(), key.as_ptr(), key.len(), &mut h) })?;
    Ok(Key(h))
}

fn open(alg: &str, key: Option<&Key>, nonce: Option<&[u8]>) -> R<State> {
    let mut opts = None;
    if let Some(n) = nonce {
        let mut o = 0;
        // SAFETY: out-pointer to a local.
        check(unsafe { raw::options_open(1, &mut o) })?;
        let name = "nonce";
        // SAFETY: pointers to live buffers with their lengths.
        let e = unsafe { raw::options_set(o, name.as_ptr(), name.len(), n.as_ptr(), n.len()) };
        if e != 0 {
            // SAFETY: integer argument.
            unsafe { raw::options_close(o) };
            return Err(e);
        }
        opts = Some(o);
    }
    let k = key.map_or(NONE, |k| some(k.0));
    let o = opts.map_or(NONE, some);
    let mut h = 0;
    // SAFETY: the unions live on the stack for the call; out-pointer to a local.
    let e = unsafe { raw::symmetric_state_open(alg.as_ptr(), alg.len(), &k, &o, &mut h) };
    if let Some(o) = opts {
        // SAFETY: integer argument. The state copied what it needs at open.
        unsafe { raw::options_close(o) };
    }
    check(e)?;
    Ok(State(h))
}

fn absorb(s: &State, d: &[u8]) -> R<()> {
    // SAFETY: pointer to a live buffer with its length.
    check(unsafe { raw::symmetric_state_absorb(s.0, d.as_ptr(), d.len()) })
}

fn pull_array(h: u32) -> R<Vec<u8>> {
    let mut n = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::array_output_len(h, &mut n) })?;
    let mut v = vec![0; n];
    let mut got = 0;
    // SAFETY: pointer to a buffer of `n` bytes; out-pointer to a local.
    check(unsafe { raw::array_output_pull(h, v.as_mut_ptr(), n, &mut got) })?;
    v.truncate(got);
    Ok(v)
}

fn hash(alg: &str, msg: &[u8], len: usize) -> R<Vec<u8>> {
    let s = open(alg, None, None)?;
    absorb(&s, msg)?;
    let mut out = vec![0; len];
    // SAFETY: pointer to a buffer of `len` bytes.
    check(unsafe { raw::symmetric_state_squeeze(s.0, out.as_mut_ptr(), len) })?;
    Ok(out)
}

fn mac(alg: &str, key: &[u8], msg: &[u8]) -> R<Vec<u8>> {
    let k = import(alg, key)?;
    let s = open(alg, Some(&k), None)?;
    absorb(&s, msg)?;
    let mut t = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::symmetric_state_squeeze_tag(s.0, &mut t) })?;
    let mut n = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::symmetric_tag_len(t, &mut n) })?;
    let mut tag = vec![0; n];
    let mut got = 0;
    // SAFETY: pointer to a buffer of `n` bytes; out-pointer to a local.
    check(unsafe { raw::symmetric_tag_pull(t, tag.as_mut_ptr(), n, &mut got) })?;
    Ok(tag)
}

fn mac_verify(alg: &str, key: &[u8], msg: &[u8], expected: &[u8]) -> R<()> {
    let k = import(alg, key)?;
    let s = open(alg, Some(&k), None)?;
    absorb(&s, msg)?;
    let mut t = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::symmetric_state_squeeze_tag(s.0, &mut t) })?;
    // SAFETY: pointer to a live buffer with its length.
    let e = unsafe { raw::symmetric_tag_verify(t, expected.as_ptr(), expected.len()) };
    // SAFETY: integer argument.
    unsafe { raw::symmetric_tag_close(t) };
    check(e)
}

fn hkdf(hash: &str, ikm: &[u8], salt: &[u8], info: &[u8], len: usize) -> R<(Vec<u8>, Vec<u8>)> {
    let extract = format!("HKDF-EXTRACT/{hash}");
    let expand = format!("HKDF-EXPAND/{hash}");
    let k = import(&extract, ikm)?;
    let s = open(&extract, Some(&k), None)?;
    absorb(&s, salt)?;
    let mut prk = 0;
    // SAFETY: pointer to a live string; out-pointer to a local.
    check(unsafe { raw::symmetric_state_squeeze_key(s.0, expand.as_ptr(), expand.len(), &mut prk) })?;
    let prk = Key(prk);
    let mut a = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::symmetric_key_export(prk.0, &mut a) })?;
    let prk_bytes = pull_array(a)?;
    let s2 = open(&expand, Some(&prk), None)?;
    absorb(&s2, info)?;
    let mut okm = vec![0; len];
    // SAFETY: pointer to a buffer of `len` bytes.
    check(unsafe { raw::symmetric_state_squeeze(s2.0, okm.as_mut_ptr(), len) })?;
    Ok((prk_bytes, okm))
}

fn seal(alg: &str, key: &[u8], nonce: &[u8], ad: &[u8], msg: &[u8]) -> R<Vec<u8>> {
    let k = import(alg, key)?;
    let s = open(alg, Some(&k), Some(nonce))?;
    absorb(&s, ad)?;
    let mut tag_len = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::symmetric_state_max_tag_len(s.0, &mut tag_len) })?;
    let mut out = vec![0; msg.len() + tag_len];
    let mut n = 0;
    // SAFETY: pointers to live buffers with their lengths; out-pointer to a local.
    check(unsafe { raw::symmetric_state_encrypt(s.0, out.as_mut_ptr(), out.len(), msg.as_ptr(), msg.len(), &mut n) })?;
    out.truncate(n);
    Ok(out)
}

fn unseal(alg: &str, key: &[u8], nonce: &[u8], ad: &[u8], ct: &[u8]) -> R<Vec<u8>> {
    let k = import(alg, key)?;
    let s = open(alg, Some(&k), Some(nonce))?;
    absorb(&s, ad)?;
    let mut tag_len = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::symmetric_state_max_tag_len(s.0, &mut tag_len) })?;
    let mut out = vec![0; ct.len().saturating_sub(tag_len)];
    let mut n = 0;
    // SAFETY: pointers to live buffers with their lengths; out-pointer to a local.
    check(unsafe { raw::symmetric_state_decrypt(s.0, out.as_mut_ptr(), out.len(), ct.as_ptr(), ct.len(), &mut n) })?;
    out.truncate(n);
    Ok(out)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s == "-" {
        return Some(Vec::new());
    }
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

fn hex(b: &[u8]) -> String {
    if b.is_empty() {
        return "-".into();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn run(line: &str) -> Result<String, String> {
    let f: Vec<&str> = line.split(' ').collect();
    let h = |i: usize| f.get(i).and_then(|s| unhex(s)).ok_or_else(|| format!("bad field {i}"));
    let n = |i: usize| f.get(i).and_then(|s| s.parse::<usize>().ok()).ok_or_else(|| format!("bad number {i}"));
    let s = |i: usize| f.get(i).copied().ok_or_else(|| format!("missing field {i}"));
    let r = match *f.first().unwrap_or(&"") {
        "hash" => hash(s(1)?, &h(2)?, n(3)?).map(|d| hex(&d)),
        "mac" => {
            let cut = match f.get(4) {
                Some(_) => Some(n(4)?),
                None => None,
            };
            mac(s(1)?, &h(2)?, &h(3)?).map(|t| hex(t.get(..cut.unwrap_or(t.len())).unwrap_or(&t)))
        }
        "mac_verify" => mac_verify(s(1)?, &h(2)?, &h(3)?, &h(4)?).map(|()| "-".to_string()),
        "hkdf_okm" => hkdf(s(1)?, &h(2)?, &h(3)?, &h(4)?, n(5)?).map(|(_, o)| hex(&o)),
        "hkdf" => hkdf(s(1)?, &h(2)?, &h(3)?, &h(4)?, n(5)?).map(|(p, o)| format!("{} {}", hex(&p), hex(&o))),
        "seal" => seal(s(1)?, &h(2)?, &h(3)?, &h(4)?, &h(5)?).map(|c| hex(&c)),
        "open" => unseal(s(1)?, &h(2)?, &h(3)?, &h(4)?, &h(5)?).map(|p| hex(&p)),
        other => return Err(format!("unknown op {other:?}")),
    };
    Ok(match r {
        Ok(v) => format!("ok {v}"),
        Err(e) => format!("err {e}"),
    })
}

fn main() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { std::process::exit(2) };
        match run(line.trim_end()) {
            Ok(r) => {
                let _ = writeln!(out, "{r}");
            }
            Err(e) => {
                let _ = writeln!(out, "bad-input {e}");
                let _ = out.flush();
                std::process::exit(2);
            }
        }
    }
    let _ = out.flush();
}
