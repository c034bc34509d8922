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
//! sig_verify ALG PKENC PK SIGENC SIG MSG -> ok -      (import both, verification state)
//! sig_sign ALG KPENC KP MSG         -> ok SIG FLAG      (raw signature; FLAG = verified if it
//!                                                       verifies under the pair's public key)
//! sig_check ALG KPENC KP MSG        -> ok FLAG
//! dh ALG PKENC PK SKENC SK          -> ok SHARED        (kx_dh)
//! pk_convert TYPE ALG FROM BYTES TO -> ok BYTES         (publickey_import, then _export)
//! sk_convert / kp_convert           -> the same for secret keys and key pairs
//! kp_pk TYPE ALG FROM BYTES TO      -> ok BYTES         (keypair_import, keypair_publickey,
//!                                                       publickey_export)
//! kem_decaps ALG SKENC SK CT         -> ok SHARED        (secretkey_import, kx_decapsulate)
//! kem_encaps ALG PK                  -> ok SSLEN CTLEN   (publickey_import raw,
//!                                                       kx_encapsulate: the output lengths)
//! ```
//!
//! Encodings and algorithm types are their witx numbers.

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
    #[link(wasm_import_module = "wasi_ephemeral_crypto_asymmetric_common")]
    unsafe extern "C" {
        pub fn keypair_import(t: u32, a: *const u8, al: usize, e: *const u8, el: usize, enc: u32, out: *mut u32) -> u32;
        pub fn keypair_export(kp: u32, enc: u32, out: *mut u32) -> u32;
        pub fn keypair_publickey(kp: u32, out: *mut u32) -> u32;
        pub fn keypair_close(kp: u32) -> u32;
        pub fn publickey_import(t: u32, a: *const u8, al: usize, e: *const u8, el: usize, enc: u32, out: *mut u32) -> u32;
        pub fn publickey_export(pk: u32, enc: u32, out: *mut u32) -> u32;
        pub fn publickey_close(pk: u32) -> u32;
        pub fn secretkey_import(t: u32, a: *const u8, al: usize, e: *const u8, el: usize, enc: u32, out: *mut u32) -> u32;
        pub fn secretkey_export(sk: u32, enc: u32, out: *mut u32) -> u32;
        pub fn secretkey_close(sk: u32) -> u32;
    }
    #[link(wasm_import_module = "wasi_ephemeral_crypto_signatures")]
    unsafe extern "C" {
        pub fn signature_export(s: u32, enc: u32, out: *mut u32) -> u32;
        pub fn signature_import(a: *const u8, al: usize, e: *const u8, el: usize, enc: u32, out: *mut u32) -> u32;
        pub fn signature_state_open(kp: u32, out: *mut u32) -> u32;
        pub fn signature_state_update(s: u32, d: *const u8, dl: usize) -> u32;
        pub fn signature_state_sign(s: u32, out: *mut u32) -> u32;
        pub fn signature_state_close(s: u32) -> u32;
        pub fn signature_verification_state_open(pk: u32, out: *mut u32) -> u32;
        pub fn signature_verification_state_update(s: u32, d: *const u8, dl: usize) -> u32;
        pub fn signature_verification_state_verify(s: u32, sig: u32) -> u32;
        pub fn signature_verification_state_close(s: u32) -> u32;
        pub fn signature_close(s: u32) -> u32;
    }
    #[link(wasm_import_module = "wasi_ephemeral_crypto_kx")]
    unsafe extern "C" {
        pub fn kx_dh(pk: u32, sk: u32, out: *mut u32) -> u32;
        pub fn kx_encapsulate(pk: u32, secret: *mut u32, ct: *mut u32) -> u32;
        pub fn kx_decapsulate(sk: u32, ct: *const u8, ctl: usize, out: *mut u32) -> u32;
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

/// A handle closed on drop by the given host function.
struct Owned(u32, unsafe extern "C" fn(u32) -> u32);
impl Drop for Owned {
    fn drop(&mut self) {
        // SAFETY: a plain host call with an integer argument.
        unsafe { (self.1)(self.0) };
    }
}

/// Calls an import that writes one handle to an out-pointer.
fn handle(f: impl FnOnce(*mut u32) -> u32, close: unsafe extern "C" fn(u32) -> u32) -> R<Owned> {
    let mut h = 0;
    check(f(&mut h))?;
    Ok(Owned(h, close))
}

fn pk_import(t: u32, alg: &str, b: &[u8], enc: u32) -> R<Owned> {
    // SAFETY: pointers to live buffers with their lengths; out-pointer to a local.
    handle(|o| unsafe { raw::publickey_import(t, alg.as_ptr(), alg.len(), b.as_ptr(), b.len(), enc, o) }, raw::publickey_close)
}

fn sk_import(t: u32, alg: &str, b: &[u8], enc: u32) -> R<Owned> {
    // SAFETY: as above.
    handle(|o| unsafe { raw::secretkey_import(t, alg.as_ptr(), alg.len(), b.as_ptr(), b.len(), enc, o) }, raw::secretkey_close)
}

fn kp_import(t: u32, alg: &str, b: &[u8], enc: u32) -> R<Owned> {
    // SAFETY: as above.
    handle(|o| unsafe { raw::keypair_import(t, alg.as_ptr(), alg.len(), b.as_ptr(), b.len(), enc, o) }, raw::keypair_close)
}

fn sig_verify(alg: &str, pk_enc: u32, pk: &[u8], sig_enc: u32, sig: &[u8], msg: &[u8]) -> R<()> {
    let pk = pk_import(0, alg, pk, pk_enc)?;
    // SAFETY: pointers to live buffers with their lengths; out-pointer to a local.
    let sig = handle(|o| unsafe { raw::signature_import(alg.as_ptr(), alg.len(), sig.as_ptr(), sig.len(), sig_enc, o) }, raw::signature_close)?;
    // SAFETY: out-pointer to a local.
    let st = handle(|o| unsafe { raw::signature_verification_state_open(pk.0, o) }, raw::signature_verification_state_close)?;
    // SAFETY: pointer to a live buffer with its length.
    check(unsafe { raw::signature_verification_state_update(st.0, msg.as_ptr(), msg.len()) })?;
    // SAFETY: integer arguments.
    check(unsafe { raw::signature_verification_state_verify(st.0, sig.0) })
}

fn sig_sign(alg: &str, kp_enc: u32, kp: &[u8], msg: &[u8]) -> R<(Vec<u8>, bool)> {
    let kp = kp_import(0, alg, kp, kp_enc)?;
    // SAFETY: out-pointer to a local.
    let st = handle(|o| unsafe { raw::signature_state_open(kp.0, o) }, raw::signature_state_close)?;
    // SAFETY: pointer to a live buffer with its length.
    check(unsafe { raw::signature_state_update(st.0, msg.as_ptr(), msg.len()) })?;
    // SAFETY: out-pointer to a local.
    let sig = handle(|o| unsafe { raw::signature_state_sign(st.0, o) }, raw::signature_close)?;
    drop(st);
    let mut a = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::signature_export(sig.0, 0, &mut a) })?;
    let raw_sig = pull_array(a)?;
    // SAFETY: out-pointer to a local.
    let pk = handle(|o| unsafe { raw::keypair_publickey(kp.0, o) }, raw::publickey_close)?;
    // SAFETY: out-pointer to a local.
    let vst = handle(|o| unsafe { raw::signature_verification_state_open(pk.0, o) }, raw::signature_verification_state_close)?;
    drop(pk);
    // SAFETY: pointer to a live buffer with its length.
    let e = unsafe { raw::signature_verification_state_update(vst.0, msg.as_ptr(), msg.len()) };
    // SAFETY: integer arguments.
    let ok = e == 0 && unsafe { raw::signature_verification_state_verify(vst.0, sig.0) } == 0;
    Ok((raw_sig, ok))
}

fn dh(alg: &str, pk_enc: u32, pk: &[u8], sk_enc: u32, sk: &[u8]) -> R<Vec<u8>> {
    let pk = pk_import(2, alg, pk, pk_enc)?;
    let sk = sk_import(2, alg, sk, sk_enc)?;
    let mut a = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::kx_dh(pk.0, sk.0, &mut a) })?;
    pull_array(a)
}

fn kem_decaps(alg: &str, sk_enc: u32, sk: &[u8], ct: &[u8]) -> R<Vec<u8>> {
    let sk = sk_import(2, alg, sk, sk_enc)?;
    let mut a = 0;
    // SAFETY: pointer to a live buffer with its length; out-pointer to a local.
    check(unsafe { raw::kx_decapsulate(sk.0, ct.as_ptr(), ct.len(), &mut a) })?;
    pull_array(a)
}

fn kem_encaps(alg: &str, pk: &[u8]) -> R<(usize, usize)> {
    let pk = pk_import(2, alg, pk, 0)?;
    let (mut ss, mut ct) = (0, 0);
    // SAFETY: out-pointers to locals.
    check(unsafe { raw::kx_encapsulate(pk.0, &mut ss, &mut ct) })?;
    let ss = pull_array(ss);
    let ct = pull_array(ct);
    Ok((ss?.len(), ct?.len()))
}

fn kp_pk(t: u32, alg: &str, from: u32, b: &[u8], to: u32) -> R<Vec<u8>> {
    let kp = kp_import(t, alg, b, from)?;
    // SAFETY: out-pointer to a local.
    let pk = handle(|o| unsafe { raw::keypair_publickey(kp.0, o) }, raw::publickey_close)?;
    let mut a = 0;
    // SAFETY: out-pointer to a local.
    check(unsafe { raw::publickey_export(pk.0, to, &mut a) })?;
    pull_array(a)
}

fn convert(kind: &str, t: u32, alg: &str, from: u32, b: &[u8], to: u32) -> R<Vec<u8>> {
    let mut a = 0;
    match kind {
        "pk" => {
            let h = pk_import(t, alg, b, from)?;
            // SAFETY: out-pointer to a local.
            check(unsafe { raw::publickey_export(h.0, to, &mut a) })?;
        }
        "sk" => {
            let h = sk_import(t, alg, b, from)?;
            // SAFETY: out-pointer to a local.
            check(unsafe { raw::secretkey_export(h.0, to, &mut a) })?;
        }
        _ => {
            let h = kp_import(t, alg, b, from)?;
            // SAFETY: out-pointer to a local.
            check(unsafe { raw::keypair_export(h.0, to, &mut a) })?;
        }
    }
    pull_array(a)
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
    let u = |i: usize| f.get(i).and_then(|s| s.parse::<u32>().ok()).ok_or_else(|| format!("bad number {i}"));
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
        "sig_verify" => sig_verify(s(1)?, u(2)?, &h(3)?, u(4)?, &h(5)?, &h(6)?).map(|()| "-".to_string()),
        "sig_sign" => sig_sign(s(1)?, u(2)?, &h(3)?, &h(4)?)
            .map(|(sig, ok)| format!("{} {}", hex(&sig), if ok { "verified" } else { "unverified" })),
        "sig_check" => sig_sign(s(1)?, u(2)?, &h(3)?, &h(4)?)
            .map(|(_, ok)| if ok { "verified" } else { "unverified" }.to_string()),
        "dh" => dh(s(1)?, u(2)?, &h(3)?, u(4)?, &h(5)?).map(|k| hex(&k)),
        "kp_pk" => kp_pk(u(1)?, s(2)?, u(3)?, &h(4)?, u(5)?).map(|b| hex(&b)),
        "kem_decaps" => kem_decaps(s(1)?, u(2)?, &h(3)?, &h(4)?).map(|k| hex(&k)),
        "kem_encaps" => kem_encaps(s(1)?, &h(2)?).map(|(a, b)| format!("{a} {b}")),
        op @ ("pk_convert" | "sk_convert" | "kp_convert") => {
            convert(&op[..2], u(1)?, s(2)?, u(3)?, &h(4)?, u(5)?).map(|b| hex(&b))
        }
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
