//! Fast key erasure (Bernstein, "Fast-key-erasure random-number generators", 2017) over the
//! ChaCha20 block function of RFC 8439 with an all-zero nonce.
//!
//! Each batch is `ChaCha20(key, nonce 0, counter 0)`: its first 32 bytes immediately replace
//! the key, the rest is handed out, each byte zeroed as it leaves the buffer. The cipher state
//! that held the old key is dropped (and wiped by `chacha20`'s `zeroize` feature). Requests
//! larger than the buffer are generated straight into the destination, 1 MiB per key.

use chacha20::ChaCha20;
use chacha20::cipher::{KeyIvInit, StreamCipher};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Bytes per batch: sixteen ChaCha20 blocks (one SIMD-friendly run), 32 of which become the
/// next key.
pub(crate) const BATCH: usize = 1024;
/// Requests above this size bypass the buffer.
const DIRECT: usize = BATCH - 32;
/// Largest output generated under one key on the direct path.
const CHUNK: usize = 1 << 20;

/// A fast-key-erasure generator. Not `Clone`: a copy would repeat output.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct Fke {
    key: [u8; 32],
    buf: [u8; BATCH],
    pos: usize,
}

fn keystream(key: &[u8; 32], out: &mut [u8]) {
    let mut c = ChaCha20::new(key.into(), &[0u8; 12].into());
    // Outputs are at most CHUNK + 32 bytes, far below ChaCha20's 256 GiB per key and nonce,
    // so the keystream cannot run out; `try_` keeps the no-panic rule explicit.
    let _ = c.try_write_keystream(out);
}

impl Fke {
    pub(crate) fn new(key: [u8; 32]) -> Self {
        let mut key = key;
        let g = Fke {
            key,
            buf: [0; BATCH],
            pos: BATCH,
        };
        key.zeroize();
        g
    }

    fn refill(&mut self) {
        keystream(&self.key, &mut self.buf);
        let (next, _) = self.buf.split_at_mut(32);
        self.key.copy_from_slice(next);
        next.zeroize();
        self.pos = 32;
    }

    /// Fills `dest` with output no one, including a later holder of this state, can recompute.
    #[inline]
    pub(crate) fn fill(&mut self, dest: &mut [u8]) {
        if dest.len() > DIRECT {
            for chunk in dest.chunks_mut(CHUNK) {
                let mut next = [0u8; 32];
                let mut c = ChaCha20::new((&self.key).into(), &[0u8; 12].into());
                let _ = c.try_write_keystream(&mut next);
                let _ = c.try_write_keystream(chunk);
                drop(c);
                self.key = next;
                next.zeroize();
            }
            return;
        }
        let mut dest = dest;
        while !dest.is_empty() {
            if self.pos >= BATCH {
                self.refill();
            }
            let avail = self.buf.get_mut(self.pos..).unwrap_or_default();
            let n = avail.len().min(dest.len());
            let (src, _) = avail.split_at_mut(n);
            let (head, rest) = core::mem::take(&mut dest).split_at_mut(n);
            head.copy_from_slice(src);
            src.zeroize();
            self.pos = self.pos.saturating_add(n);
            dest = rest;
        }
    }

    #[cfg(test)]
    pub(crate) fn key_for_test(&self) -> [u8; 32] {
        self.key
    }

    #[cfg(test)]
    pub(crate) fn buf_for_test(&self) -> &[u8; BATCH] {
        &self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> alloc::vec::Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    // RFC 8439 appendix A.1, test vectors #1 and #2: ChaCha20 block function, all-zero key and
    // nonce, block counters 0 and 1.
    const A1_BLOCK0: &str = "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7\
                             da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";
    const A1_BLOCK1: &str = "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed\
                             29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f";

    #[test]
    fn keystream_is_rfc8439_chacha20() {
        let mut g = Fke::new([0; 32]);
        let mut out = [0u8; 96];
        g.fill(&mut out);
        let want0 = h(A1_BLOCK0);
        let want1 = h(A1_BLOCK1);
        // The first 32 bytes of block 0 became the next key; output starts at byte 32.
        assert_eq!(&out[..32], &want0[32..]);
        assert_eq!(&out[32..], &want1[..]);
        assert_eq!(g.key_for_test()[..], want0[..32]);
    }

    #[test]
    fn drawn_output_is_erased_and_key_moves_on() {
        let mut g = Fke::new([7; 32]);
        let mut a = [0u8; 40];
        g.fill(&mut a);
        // Every byte handed out is gone from the buffer, and the original key is gone.
        assert!(g.buf_for_test()[..32 + 40].iter().all(|b| *b == 0));
        assert_ne!(g.key_for_test(), [7; 32]);
        // A generator restarted from the current state cannot produce `a` again.
        let mut again = Fke::new(g.key_for_test());
        let mut b = [0u8; 4096];
        again.fill(&mut b);
        assert!(b.windows(40).all(|w| w != a));
    }

    #[test]
    fn direct_path_matches_keystream_and_rekeys() {
        let key = [9u8; 32];
        let mut g = Fke::new(key);
        let mut big = alloc::vec![0u8; 1000];
        g.fill(&mut big);
        let mut ks = alloc::vec![0u8; 1032];
        keystream(&key, &mut ks);
        assert_eq!(&big[..], &ks[32..]);
        assert_eq!(g.key_for_test()[..], ks[..32]);
    }
}
