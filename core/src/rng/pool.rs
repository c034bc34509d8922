//! The input pool: HMAC-SHA-512 over framed extra inputs. Its digest is mixed into the base key
//! at reseed; nothing in it counts as entropy.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;

/// Pool digest size.
pub(crate) const DIGEST: usize = 64;

const POOL_KEY: &[u8] = b"wasmcrypt rng v1 input pool";

pub(crate) struct Pool {
    mac: Hmac<Sha512>,
}

fn fresh() -> Hmac<Sha512> {
    // HMAC takes keys of any length: this cannot fail.
    match <Hmac<Sha512> as KeyInit>::new_from_slice(POOL_KEY) {
        Ok(m) => m,
        Err(_) => <Hmac<Sha512> as KeyInit>::new(&Default::default()),
    }
}

impl Pool {
    pub(crate) fn new() -> Self {
        Pool { mac: fresh() }
    }

    /// Adds one input, framed by its label and both lengths so inputs cannot run together.
    pub(crate) fn add(&mut self, label: &[u8], data: &[u8]) {
        let ll = u64::try_from(label.len()).unwrap_or(u64::MAX);
        let dl = u64::try_from(data.len()).unwrap_or(u64::MAX);
        self.mac.update(&ll.to_le_bytes());
        self.mac.update(label);
        self.mac.update(&dl.to_le_bytes());
        self.mac.update(data);
    }

    /// Writes the digest of everything added (into the first 64 bytes of `out`) and starts over.
    pub(crate) fn finish_into(&mut self, out: &mut [u8]) {
        let mac = core::mem::replace(&mut self.mac, fresh());
        let d = mac.finalize().into_bytes();
        let n = out.len().min(d.len());
        if let (Some(o), Some(s)) = (out.get_mut(..n), d.get(..n)) {
            o.copy_from_slice(s);
        }
    }
}
