//! The runner protocol (see `guests/runner/src/main.rs`) interpreted on the Rust API
//! ([`wasmcrypt_core::Ctx`]) with no engine in between: the "rust-api" path of the report.
//! Same operations, same call sequence, same answers as the guest.

use wasmcrypt_core::{
    AlgorithmType, ArrayOutput, Ctx, Error, KeypairEncoding, Options, PublickeyEncoding,
    SecretkeyEncoding, SignatureEncoding, SymmetricKey, SymmetricState,
};

use wasmcrypt_core::rng::InstanceRng;

use crate::guest::hex;

type R<T> = Result<T, Error>;

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s == "-" {
        return Some(Vec::new());
    }
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

struct Api<'a>(&'a mut Ctx);

impl Api<'_> {
    fn import(&mut self, alg: &str, key: &[u8]) -> R<SymmetricKey> {
        self.0.symmetric_key_import(alg.as_bytes(), key)
    }

    fn open(
        &mut self,
        alg: &str,
        key: Option<SymmetricKey>,
        nonce: Option<&[u8]>,
    ) -> R<SymmetricState> {
        let opts: Option<Options> = match nonce {
            Some(n) => {
                let o = self
                    .0
                    .options_open(wasmcrypt_core::AlgorithmType::Symmetric)?;
                if let Err(e) = self.0.options_set(o, b"nonce", n) {
                    let _ = self.0.options_close(o);
                    return Err(e);
                }
                Some(o)
            }
            None => None,
        };
        let r = self.0.symmetric_state_open(alg.as_bytes(), key, opts);
        if let Some(o) = opts {
            let _ = self.0.options_close(o);
        }
        r
    }

    fn finish<T>(&mut self, r: R<T>, st: Option<SymmetricState>, keys: &[SymmetricKey]) -> R<T> {
        if let Some(s) = st {
            let _ = self.0.symmetric_state_close(s);
        }
        for k in keys {
            let _ = self.0.symmetric_key_close(*k);
        }
        r
    }

    fn hash(&mut self, alg: &str, msg: &[u8], len: usize) -> R<Vec<u8>> {
        let s = self.open(alg, None, None)?;
        let mut out = vec![0; len];
        let r = self
            .0
            .symmetric_state_absorb(s, msg)
            .and_then(|()| self.0.symmetric_state_squeeze(s, &mut out));
        self.finish(r.map(|()| out), Some(s), &[])
    }

    fn tag(
        &mut self,
        alg: &str,
        key: &[u8],
        msg: &[u8],
    ) -> R<(SymmetricKey, SymmetricState, wasmcrypt_core::SymmetricTag)> {
        let k = self.import(alg, key)?;
        let s = match self.open(alg, Some(k), None) {
            Ok(s) => s,
            Err(e) => return self.finish(Err(e), None, &[k]),
        };
        let r = self
            .0
            .symmetric_state_absorb(s, msg)
            .and_then(|()| self.0.symmetric_state_squeeze_tag(s));
        match r {
            Ok(t) => Ok((k, s, t)),
            Err(e) => self.finish(Err(e), Some(s), &[k]),
        }
    }

    fn mac(&mut self, alg: &str, key: &[u8], msg: &[u8]) -> R<Vec<u8>> {
        let (k, s, t) = self.tag(alg, key, msg)?;
        let r = self.0.symmetric_tag_len(t).and_then(|n| {
            let mut v = vec![0; n];
            self.0.symmetric_tag_pull(t, &mut v).map(|_| v)
        });
        self.finish(r, Some(s), &[k])
    }

    fn mac_verify(&mut self, alg: &str, key: &[u8], msg: &[u8], expected: &[u8]) -> R<()> {
        let (k, s, t) = self.tag(alg, key, msg)?;
        let r = self.0.symmetric_tag_verify(t, expected);
        let _ = self.0.symmetric_tag_close(t);
        self.finish(r, Some(s), &[k])
    }

    fn hkdf(
        &mut self,
        hash: &str,
        ikm: &[u8],
        salt: &[u8],
        info: &[u8],
        len: usize,
    ) -> R<(Vec<u8>, Vec<u8>)> {
        let extract = format!("HKDF-EXTRACT/{hash}");
        let expand = format!("HKDF-EXPAND/{hash}");
        let k = self.import(&extract, ikm)?;
        let s = match self.open(&extract, Some(k), None) {
            Ok(s) => s,
            Err(e) => return self.finish(Err(e), None, &[k]),
        };
        let prk = self
            .0
            .symmetric_state_absorb(s, salt)
            .and_then(|()| self.0.symmetric_state_squeeze_key(s, expand.as_bytes()));
        let prk = match prk {
            Ok(p) => p,
            Err(e) => return self.finish(Err(e), Some(s), &[k]),
        };
        let _ = self.0.symmetric_state_close(s);
        let prk_bytes = self.0.symmetric_key_export(prk).and_then(|a| self.pull(a));
        let prk_bytes = match prk_bytes {
            Ok(p) => p,
            Err(e) => return self.finish(Err(e), None, &[k, prk]),
        };
        let s2 = match self.open(&expand, Some(prk), None) {
            Ok(s) => s,
            Err(e) => return self.finish(Err(e), None, &[k, prk]),
        };
        let mut okm = vec![0; len];
        let r = self
            .0
            .symmetric_state_absorb(s2, info)
            .and_then(|()| self.0.symmetric_state_squeeze(s2, &mut okm));
        self.finish(r.map(|()| (prk_bytes, okm)), Some(s2), &[k, prk])
    }

    fn aead(
        &mut self,
        alg: &str,
        key: &[u8],
        nonce: &[u8],
        ad: &[u8],
        data: &[u8],
        seal: bool,
    ) -> R<Vec<u8>> {
        let k = self.import(alg, key)?;
        let s = match self.open(alg, Some(k), Some(nonce)) {
            Ok(s) => s,
            Err(e) => return self.finish(Err(e), None, &[k]),
        };
        let r = self.0.symmetric_state_absorb(s, ad).and_then(|()| {
            let tag = self.0.symmetric_state_max_tag_len(s)?;
            if seal {
                let mut out = vec![0; data.len() + tag];
                let n = self.0.symmetric_state_encrypt(s, &mut out, data)?;
                out.truncate(n);
                Ok(out)
            } else {
                let mut out = vec![0; data.len().saturating_sub(tag)];
                let n = self.0.symmetric_state_decrypt(s, &mut out, data)?;
                out.truncate(n);
                Ok(out)
            }
        });
        self.finish(r, Some(s), &[k])
    }
}

/// The asymmetric operations of the protocol (`sig_*`, `dh`, `*_convert`).
impl Api<'_> {
    fn pull(&mut self, a: ArrayOutput) -> R<Vec<u8>> {
        let mut v = vec![0; self.0.array_output_len(a)?];
        self.0.array_output_pull(a, &mut v).map(|_| v)
    }

    fn sig_verify(
        &mut self,
        alg: &str,
        pk_enc: u32,
        pk: &[u8],
        sig_enc: u32,
        sig: &[u8],
        msg: &[u8],
    ) -> R<()> {
        let pk_enc = PublickeyEncoding::from_raw(pk_enc)?;
        let sig_enc = SignatureEncoding::from_raw(sig_enc)?;
        let a = alg.as_bytes();
        let pk = self
            .0
            .publickey_import(AlgorithmType::Signatures, a, pk, pk_enc)?;
        let r = (|| {
            let sig = self.0.signature_import(a, sig, sig_enc)?;
            let r = (|| {
                let st = self.0.signature_verification_state_open(pk)?;
                let r = self
                    .0
                    .signature_verification_state_update(st, msg)
                    .and_then(|()| self.0.signature_verification_state_verify(st, sig));
                let _ = self.0.signature_verification_state_close(st);
                r
            })();
            let _ = self.0.signature_close(sig);
            r
        })();
        let _ = self.0.publickey_close(pk);
        r
    }

    /// Signs `msg` with an imported key pair; returns the raw signature, and whether it
    /// verifies under the key pair's own public key.
    fn sig_sign(&mut self, alg: &str, kp_enc: u32, kp: &[u8], msg: &[u8]) -> R<(Vec<u8>, bool)> {
        let kp_enc = KeypairEncoding::from_raw(kp_enc)?;
        let kp = self
            .0
            .keypair_import(AlgorithmType::Signatures, alg.as_bytes(), kp, kp_enc)?;
        let r = (|| {
            let st = self.0.signature_state_open(kp)?;
            let sig = self
                .0
                .signature_state_update(st, msg)
                .and_then(|()| self.0.signature_state_sign(st));
            let _ = self.0.signature_state_close(st);
            let sig = sig?;
            let r = (|| {
                let a = self.0.signature_export(sig, SignatureEncoding::Raw)?;
                let raw = self.pull(a)?;
                let pk = self.0.keypair_publickey(kp)?;
                let vst = self.0.signature_verification_state_open(pk);
                let _ = self.0.publickey_close(pk);
                let vst = vst?;
                let ok = self
                    .0
                    .signature_verification_state_update(vst, msg)
                    .and_then(|()| self.0.signature_verification_state_verify(vst, sig));
                let _ = self.0.signature_verification_state_close(vst);
                Ok((raw, ok.is_ok()))
            })();
            let _ = self.0.signature_close(sig);
            r
        })();
        let _ = self.0.keypair_close(kp);
        r
    }

    fn dh(&mut self, alg: &str, pk_enc: u32, pk: &[u8], sk_enc: u32, sk: &[u8]) -> R<Vec<u8>> {
        let pk_enc = PublickeyEncoding::from_raw(pk_enc)?;
        let sk_enc = SecretkeyEncoding::from_raw(sk_enc)?;
        let t = AlgorithmType::KeyExchange;
        let pk = self.0.publickey_import(t, alg.as_bytes(), pk, pk_enc)?;
        let r = (|| {
            let sk = self.0.secretkey_import(t, alg.as_bytes(), sk, sk_enc)?;
            let r = self.0.kx_dh(pk, sk).and_then(|a| self.pull(a));
            let _ = self.0.secretkey_close(sk);
            r
        })();
        let _ = self.0.publickey_close(pk);
        r
    }

    fn kem_decaps(&mut self, alg: &str, sk_enc: u32, sk: &[u8], ct: &[u8]) -> R<Vec<u8>> {
        let sk_enc = SecretkeyEncoding::from_raw(sk_enc)?;
        let t = AlgorithmType::KeyExchange;
        let sk = self.0.secretkey_import(t, alg.as_bytes(), sk, sk_enc)?;
        let r = self.0.kx_decapsulate(sk, ct).and_then(|a| self.pull(a));
        let _ = self.0.secretkey_close(sk);
        r
    }

    /// Encapsulates to a raw public key; the lengths of (shared secret, ciphertext).
    /// Encapsulation draws randomness: on the deterministic context of the rust-api path it
    /// runs on a context with the OS-seeded generator instead, as the guests' contexts have.
    fn kem_encaps(&mut self, alg: &str, pk: &[u8]) -> R<(usize, usize)> {
        if !self.0.has_rng() {
            let base = wasmcrypt_wasmtime::os_base().expect("OS entropy");
            let mut ctx = Ctx::with_rng(wasmcrypt_core::Config::default(), InstanceRng::new(&base));
            return Api(&mut ctx).kem_encaps(alg, pk);
        }
        let t = AlgorithmType::KeyExchange;
        let pk = self
            .0
            .publickey_import(t, alg.as_bytes(), pk, PublickeyEncoding::Raw)?;
        let r = self.0.kx_encapsulate(pk).and_then(|(ss, ct)| {
            let ss = self.pull(ss);
            let ct = self.pull(ct);
            Ok((ss?.len(), ct?.len()))
        });
        let _ = self.0.publickey_close(pk);
        r
    }

    /// Imports a key pair and exports its public key (`keypair_publickey`).
    fn kp_pk(&mut self, t: u32, alg: &str, from: u32, bytes: &[u8], to: u32) -> R<Vec<u8>> {
        let t = AlgorithmType::from_raw(t)?;
        let kp =
            self.0
                .keypair_import(t, alg.as_bytes(), bytes, KeypairEncoding::from_raw(from)?)?;
        let r = self.0.keypair_publickey(kp).and_then(|pk| {
            let r = PublickeyEncoding::from_raw(to)
                .and_then(|e| self.0.publickey_export(pk, e))
                .and_then(|o| self.pull(o));
            let _ = self.0.publickey_close(pk);
            r
        });
        let _ = self.0.keypair_close(kp);
        r
    }

    /// Imports a key of `kind` (`pk`, `sk` or `kp`) and exports it again.
    fn convert(
        &mut self,
        kind: &str,
        t: u32,
        alg: &str,
        from: u32,
        bytes: &[u8],
        to: u32,
    ) -> Option<R<Vec<u8>>> {
        let a = alg.as_bytes();
        Some((|| {
            let t = AlgorithmType::from_raw(t)?;
            match kind {
                "pk" => {
                    let h =
                        self.0
                            .publickey_import(t, a, bytes, PublickeyEncoding::from_raw(from)?)?;
                    let r = PublickeyEncoding::from_raw(to)
                        .and_then(|e| self.0.publickey_export(h, e))
                        .and_then(|o| self.pull(o));
                    let _ = self.0.publickey_close(h);
                    r
                }
                "sk" => {
                    let h =
                        self.0
                            .secretkey_import(t, a, bytes, SecretkeyEncoding::from_raw(from)?)?;
                    let r = SecretkeyEncoding::from_raw(to)
                        .and_then(|e| self.0.secretkey_export(h, e))
                        .and_then(|o| self.pull(o));
                    let _ = self.0.secretkey_close(h);
                    r
                }
                _ => {
                    let h = self
                        .0
                        .keypair_import(t, a, bytes, KeypairEncoding::from_raw(from)?)?;
                    let r = KeypairEncoding::from_raw(to)
                        .and_then(|e| self.0.keypair_export(h, e))
                        .and_then(|o| self.pull(o));
                    let _ = self.0.keypair_close(h);
                    r
                }
            }
        })())
    }
}

/// Runs one protocol line on `ctx`; returns the answer line (`ok …` / `err N`), or
/// `bad-input …` for a malformed line.
pub fn run_line(ctx: &mut Ctx, line: &str) -> String {
    let f: Vec<&str> = line.split(' ').collect();
    let h = |i: usize| f.get(i).and_then(|s| unhex(s));
    let n = |i: usize| f.get(i).and_then(|s| s.parse::<usize>().ok());
    let s = |i: usize| f.get(i).copied();
    let u = |i: usize| f.get(i).and_then(|s| s.parse::<u32>().ok());
    let mut api = Api(ctx);
    let r: Option<R<String>> = (|| {
        Some(match *f.first()? {
            "hash" => api.hash(s(1)?, &h(2)?, n(3)?).map(|d| hex(&d)),
            "mac" => {
                let cut = match f.get(4) {
                    Some(_) => Some(n(4)?),
                    None => None,
                };
                api.mac(s(1)?, &h(2)?, &h(3)?)
                    .map(|t| hex(t.get(..cut.unwrap_or(t.len())).unwrap_or(&t)))
            }
            "mac_verify" => api
                .mac_verify(s(1)?, &h(2)?, &h(3)?, &h(4)?)
                .map(|()| "-".to_string()),
            "hkdf" => api
                .hkdf(s(1)?, &h(2)?, &h(3)?, &h(4)?, n(5)?)
                .map(|(p, o)| format!("{} {}", hex(&p), hex(&o))),
            "hkdf_okm" => api
                .hkdf(s(1)?, &h(2)?, &h(3)?, &h(4)?, n(5)?)
                .map(|(_, o)| hex(&o)),
            "seal" => api
                .aead(s(1)?, &h(2)?, &h(3)?, &h(4)?, &h(5)?, true)
                .map(|c| hex(&c)),
            "open" => api
                .aead(s(1)?, &h(2)?, &h(3)?, &h(4)?, &h(5)?, false)
                .map(|p| hex(&p)),
            "sig_verify" => api
                .sig_verify(s(1)?, u(2)?, &h(3)?, u(4)?, &h(5)?, &h(6)?)
                .map(|()| "-".to_string()),
            "sig_sign" => api.sig_sign(s(1)?, u(2)?, &h(3)?, &h(4)?).map(|(sig, ok)| {
                format!(
                    "{} {}",
                    hex(&sig),
                    if ok { "verified" } else { "unverified" }
                )
            }),
            "sig_check" => api
                .sig_sign(s(1)?, u(2)?, &h(3)?, &h(4)?)
                .map(|(_, ok)| if ok { "verified" } else { "unverified" }.to_string()),
            "dh" => api.dh(s(1)?, u(2)?, &h(3)?, u(4)?, &h(5)?).map(|k| hex(&k)),
            "kem_decaps" => api
                .kem_decaps(s(1)?, u(2)?, &h(3)?, &h(4)?)
                .map(|k| hex(&k)),
            "kem_encaps" => api
                .kem_encaps(s(1)?, &h(2)?)
                .map(|(a, b)| format!("{a} {b}")),
            "kp_pk" => api
                .kp_pk(u(1)?, s(2)?, u(3)?, &h(4)?, u(5)?)
                .map(|b| hex(&b)),
            "pk_convert" | "sk_convert" | "kp_convert" => api
                .convert(f.first()?.get(..2)?, u(1)?, s(2)?, u(3)?, &h(4)?, u(5)?)?
                .map(|b| hex(&b)),
            _ => return None,
        })
    })();
    match r {
        Some(Ok(v)) => format!("ok {v}"),
        Some(Err(e)) => format!("err {}", e.errno().raw()),
        None => format!("bad-input {line}"),
    }
}
