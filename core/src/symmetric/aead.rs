//! AEADs (`wasi_ephemeral_crypto_symmetric`, "AEADs"): `AES-128-GCM`, `AES-256-GCM`
//! (NIST SP 800-38D), `CHACHA20-POLY1305` (RFC 8439) and `XCHACHA20-POLY1305`
//! (draft-irtf-cfrg-xchacha-03), composed here from the `aes` block cipher with GHASH (through `polyval`), and
//! from the `chacha20` stream cipher with `poly1305`.
//!
//! # Contract (`docs/contract.md`, "Symmetric states")
//! - Keys have exactly 16/32/32/32 bytes. The nonce is the `nonce` option, copied when the state
//!   opens: later changes to the options object do not reach the state, and the state never
//!   writes into it. AES-GCM and ChaCha20-Poly1305 take exactly 12 bytes, XChaCha20-Poly1305
//!   24 (another size: `invalid_nonce`). Without options or without a nonce: `nonce_required`,
//!   except XChaCha20-Poly1305, which draws a fresh 24-byte nonce from the context's generator
//!   (a deterministic context: its `unsupported_feature`). The nonce in use, given or drawn, is
//!   readable as the state's `nonce` option.
//! - `absorb` adds additional data; several absorbs are one concatenated AD. It streams into
//!   GHASH/Poly1305 block by block, so nothing grows with the AD (no `max_buffered_len`
//!   buffer): only the algorithm's own AD bound applies (`overflow` past it).
//! - **Decision:** the AD must precede the message. Once an `encrypt*`/`decrypt*` has processed
//!   a message, a further `absorb` is `invalid_operation` (the tag of any later decryption still
//!   covers exactly the AD absorbed before the first message).
//! - One encryption per nonce: after an `encrypt*`, another is `nonce_required`.
//!   **Decision:** the same holds after a `decrypt*`: the nonce then belongs to the peer's
//!   message, and encrypting under it would reuse the peer's keystream.
//! - Decryption may be repeated; every decryption authenticates the AD absorbed so far and
//!   leaves the state usable for another one. The tag is checked (in constant time) before any
//!   plaintext is written; on `invalid_tag` the whole output buffer is zeroed.
//! - Output sizes: `encrypt` exactly `data + 16` (smaller `overflow`, larger `invalid_length`),
//!   `encrypt_detached` and `decrypt_detached` exactly `data`, `decrypt` exactly `data - 16`
//!   (data shorter than a tag, or a detached tag of another length than 16: `invalid_tag`).
//!   A size error leaves the state as it was (the nonce is not used up).
//! - Message bounds: GCM 2^36 − 32 bytes, ChaCha20 2^38 − 64 bytes; longer: `invalid_length`.
//! - `symmetric_state_clone`: `prohibited_operation` while the state can still encrypt (a copy
//!   would let two messages share a keystream); once it cannot, clones are independent deep
//!   copies (for repeated decryption).
//! - `max_tag_len` is 16; squeeze, squeeze_tag, squeeze_key and ratchet are
//!   `invalid_operation`.
//!
//! # Speed
//! Encryption is one pass: each 1 KiB chunk is encrypted and then hashed while it is still in
//! L1. Poly1305 comes in two implementations, picked per message: `poly1305` (AVX2 where the
//! CPU has it) pays about 1.1 µs of setup per message and then runs at ~0.25 ns/byte, while
//! orion's scalar one (fiat-crypto field arithmetic) costs ~0.1 µs for a 64-byte message and
//! ~0.8 ns/byte. ChaCha20 states therefore keep up to [`AD_BUF`] bytes of AD unhashed, and a
//! message whose AD and ciphertext together stay within [`SHORT_MAX`] bytes takes the scalar
//! implementation; longer AD streams into `poly1305` as it arrives. Both compute the same
//! function (RFC 8439 §2.5), and the tests run every size class against the vectors.
//!
//! # Secrets
//! The AES key schedules wipe themselves on drop (`aes`'s `zeroize` feature, checked at compile
//! time below), as do GHASH/POLYVAL and both Poly1305 states (their `zeroize` features, enabled
//! in the workspace manifest) and ChaCha20 cores. The ChaCha20 key, the Poly1305 one-time key,
//! nonces, buffered AD, the pending AD block and every keystream/tag buffer on the stack are
//! wiped here. The ChaCha20 stream wrapper is only ever asked for whole 64-byte blocks, so its
//! internal buffer never holds keystream. Arrays are wiped as slices: `zeroize` fills a slice
//! in bulk behind an optimisation barrier, but an array element by element (256 bytes: 9 ns
//! against 35–79 ns, measured).

use aes::cipher::consts::U16;
use aes::cipher::{BlockCipherEncrypt, KeyInit, KeyIvInit, StreamCipher, StreamCipherSeek};
use aes::{Aes128Enc, Aes256Enc};
use chacha20::ChaCha20;
use orion::hazardous::mac::poly1305 as scalar_poly;
use poly1305::Poly1305;
use poly1305::universal_hash::UniversalHash;
use polyval::Polyval;
use polyval::hazmat::FieldElement;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use alloc::vec::Vec;

use super::{Family, KeyRule, OpenEnv, StateOps, SymmetricAlgorithm};
use crate::budget::Limits;
use crate::errno::{Error, Result};
use crate::options::OptionName;
use crate::secret::SecretBytes;

/// The AEAD algorithms.
pub(crate) static ALL: &[&SymmetricAlgorithm] = &[
    &AES128_GCM,
    &AES256_GCM,
    &CHACHA20_POLY1305,
    &XCHACHA20_POLY1305,
];

/// The AEAD variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AeadAlg {
    Aes128Gcm,
    Aes256Gcm,
    ChaCha20Poly1305,
    XChaCha20Poly1305,
}

pub(crate) static AES128_GCM: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "AES-128-GCM",
    key: KeyRule::Exact { len: 16 },
    options: &[OptionName::Nonce],
    family: Family::Aead(AeadAlg::Aes128Gcm),
};
pub(crate) static AES256_GCM: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "AES-256-GCM",
    key: KeyRule::Exact { len: 32 },
    options: &[OptionName::Nonce],
    family: Family::Aead(AeadAlg::Aes256Gcm),
};
pub(crate) static CHACHA20_POLY1305: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "CHACHA20-POLY1305",
    key: KeyRule::Exact { len: 32 },
    options: &[OptionName::Nonce],
    family: Family::Aead(AeadAlg::ChaCha20Poly1305),
};
pub(crate) static XCHACHA20_POLY1305: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "XCHACHA20-POLY1305",
    key: KeyRule::Exact { len: 32 },
    options: &[OptionName::Nonce],
    family: Family::Aead(AeadAlg::XChaCha20Poly1305),
};

// The key schedules and cipher cores must wipe themselves on drop; fail the build if the
// `zeroize` features that make them do so are ever lost.
const _: () = {
    fn wiped<T: zeroize::ZeroizeOnDrop + ?Sized>() {}
    let _: fn() = wiped::<Aes128Enc>;
    let _: fn() = wiped::<Aes256Enc>;
    let _: fn() = wiped::<chacha20::ChaChaCore<chacha20::R20, chacha20::variants::Ietf>>;
};

/// Tag length of every AEAD here.
const TAG_LEN: usize = 16;
/// Largest nonce (XChaCha20).
const MAX_NONCE_LEN: usize = 24;
/// GCM: at most 2^36 − 32 bytes of plaintext (2^32 − 2 counter blocks).
const GCM_MAX_MSG: u64 = 0xF_FFFF_FFE0;
/// GCM: at most 2^61 − 1 bytes of AD (its bit length must fit 64 bits).
const GCM_MAX_AD: u64 = 0x1FFF_FFFF_FFFF_FFFF;
/// ChaCha20 (32-bit block counter, block 0 keys Poly1305): at most 2^38 − 64 bytes.
const CHACHA_MAX_MSG: u64 = 0x3F_FFFF_FFC0;
/// ChaCha20 block size.
const CHACHA_BLOCK: usize = 64;
/// AES blocks encrypted per call in CTR mode. On 64-bit hosts 256 (4 KiB of keystream on the
/// stack): four batches of the VAES-512 backend per call, which amortises its per-call key
/// broadcast and lets POLYVAL take long runs; measured 10.7% faster than 64 for 16 KiB, while
/// 512 gains nothing more. Small (32-bit) targets keep the stack frame at 256 bytes.
#[cfg(target_pointer_width = "64")]
const CTR_PAR: usize = 256;
#[cfg(not(target_pointer_width = "64"))]
const CTR_PAR: usize = 16;
/// The keystream buffer, in blocks, for GCM messages of at most 256 bytes.
const GCM_SHORT_PAR: usize = 16;
/// Bytes encrypted and then hashed at a time (a multiple of both ciphers' block sizes).
const CHUNK: usize = CTR_PAR * 16;
/// AD bytes a ChaCha20 state keeps unhashed, so that a short message can still take the
/// scalar Poly1305 (see "Speed").
const AD_BUF: usize = 256;
/// Largest AD + ciphertext (in bytes) authenticated with the scalar Poly1305; longer goes to
/// `poly1305`. Where the two cost the same on an AVX2 machine (~1.8 KiB), a little lower.
const SHORT_MAX: usize = 1536;

/// A 16-byte block of the ciphers and universal hashes.
type Block = aes::cipher::array::Array<u8, U16>;

/// Zero padding for the universal hashes.
const ZEROS: [u8; 16] = [0; 16];

impl AeadAlg {
    fn nonce_len(self) -> usize {
        match self {
            AeadAlg::Aes128Gcm | AeadAlg::Aes256Gcm | AeadAlg::ChaCha20Poly1305 => 12,
            AeadAlg::XChaCha20Poly1305 => 24,
        }
    }
}

/// The keyed primitives of one state.
#[allow(
    clippy::large_enum_variant,
    reason = "held inline in fixed slots: boxing would allocate per open"
)]
enum Engine {
    Gcm128 {
        aes: Aes128Enc,
        ghash: GHash,
    },
    Gcm256 {
        aes: Aes256Enc,
        ghash: GHash,
    },
    /// ChaCha20 key and 96-bit nonce (for XChaCha20: the HChaCha20 subkey and `0^4 ‖ n[16..]`),
    /// and the AD so far. The Poly1305 one-time key (keystream block 0) is derived when a
    /// message needs it, with the message's own keystream where that takes the same call.
    ChaCha {
        key: [u8; 32],
        nonce: [u8; 12],
        ad: ChaChaAd,
    },
}

/// A ChaCha20 state's AD: buffered while it fits, then streamed (with the state's `pending`
/// block) into a `poly1305` state. That state (576 bytes) lives on the heap, allocated only by
/// states whose AD outgrew the buffer, so that every other state stays small to move.
#[allow(
    clippy::large_enum_variant,
    reason = "the buffer is the common case and must not allocate"
)]
enum ChaChaAd {
    Buffered { buf: [u8; AD_BUF], len: usize },
    Streaming(TryBox<Poly1305>),
}

/// A heap box whose allocation failure is an error (`algorithm_failure`), never an abort: a
/// vector of exactly one element.
struct TryBox<T>(Vec<T>);

impl<T> TryBox<T> {
    fn new(value: T) -> Result<Self> {
        let mut v = Vec::new();
        v.try_reserve_exact(1)
            .map_err(|_| Error::AlgorithmFailure)?;
        v.push(value);
        Ok(TryBox(v))
    }

    fn get(&self) -> Result<&T> {
        self.0.first().ok_or(Error::InternalError)
    }

    fn heap_bytes(&self) -> usize {
        self.0.capacity().saturating_mul(core::mem::size_of::<T>())
    }

    fn get_mut(&mut self) -> Result<&mut T> {
        self.0.first_mut().ok_or(Error::InternalError)
    }
}

impl Engine {
    fn try_clone(&self) -> Result<Self> {
        Ok(match self {
            Engine::Gcm128 { aes, ghash } => Engine::Gcm128 {
                aes: aes.clone(),
                ghash: ghash.clone(),
            },
            Engine::Gcm256 { aes, ghash } => Engine::Gcm256 {
                aes: aes.clone(),
                ghash: ghash.clone(),
            },
            Engine::ChaCha { key, nonce, ad } => Engine::ChaCha {
                key: *key,
                nonce: *nonce,
                ad: match ad {
                    ChaChaAd::Buffered { buf, len } => ChaChaAd::Buffered {
                        buf: *buf,
                        len: *len,
                    },
                    ChaChaAd::Streaming(poly) => {
                        ChaChaAd::Streaming(TryBox::new(poly.get()?.clone())?)
                    }
                },
            },
        })
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Engine::ChaCha { key, nonce, ad } = self {
            key.as_mut_slice().zeroize();
            nonce.as_mut_slice().zeroize();
            #[cfg(test)]
            crate::zeroize_tests::wiped_all(&[("chacha key", key), ("chacha nonce", nonce)]);
            // Bytes past `len` were never written (the buffer is wiped when it empties).
            if let ChaChaAd::Buffered { buf, len } = ad
                && let Some(used) = buf.get_mut(..*len)
            {
                used.zeroize();
                #[cfg(test)]
                crate::zeroize_tests::wiped("chacha buffered AD", used);
            }
        }
    }
}

/// A universal hash over one message (GHASH, or either Poly1305).
trait Uhf: Sized {
    /// Adds `data` zero-padded to a whole number of blocks. Calls on one message's parts must
    /// all be multiples of 16 bytes but the last.
    fn update_padded(&mut self, data: &[u8]) -> Result<()>;
    /// Adds the length block and returns the hash.
    fn finalize_with(self, lengths: &Block) -> Result<Block>;
    /// Adds one output chunk; `reversed` holds its blocks zero-padded and byte-reversed when
    /// the producer had them at hand (GCM encryption), which [`GHash`] takes directly.
    fn update_chunk(&mut self, chunk: &[u8], reversed: &[Block]) -> Result<()> {
        let _ = reversed;
        self.update_padded(chunk)
    }
}

/// GHASH through POLYVAL (RFC 8452, Appendix A): `GHASH(H, X₁…Xₙ) =
/// ByteReverse(POLYVAL(mulX(ByteReverse(H)), ByteReverse(X₁)…ByteReverse(Xₙ)))`. This is what
/// the `ghash` crate does too, but it reverses each block through generic array code that does
/// not inline (about 17% of AES-GCM's time here, measured with `perf`); here each reversal is
/// one byte swap of a `u128`, 16 blocks at a time.
#[derive(Clone)]
struct GHash(Polyval);

impl GHash {
    /// Keyed with `H`.
    fn new(h: &Block) -> Self {
        let mut k = FieldElement::from(h).reverse().mulx();
        let mut key = Block::from(&k);
        let ghash = GHash(Polyval::new(&key));
        k.zeroize();
        key.as_mut_slice().zeroize();
        ghash
    }

    /// Adds whole blocks (GHASH byte order).
    fn update_blocks(&mut self, blocks: &[Block]) {
        let mut scratch = [Block::default(); 16];
        for chunk in blocks.chunks(scratch.len()) {
            for (r, b) in scratch.iter_mut().zip(chunk) {
                *r = byte_reverse(b);
            }
            if let Some(reversed) = scratch.get(..chunk.len()) {
                self.0.update(reversed);
            }
        }
    }
}

/// A block's bytes in reverse order.
fn byte_reverse(b: &Block) -> Block {
    let mut a = [0u8; 16];
    a.copy_from_slice(b);
    Block::from(u128::from_be_bytes(a).to_le_bytes())
}

impl Uhf for GHash {
    fn update_padded(&mut self, data: &[u8]) -> Result<()> {
        let (blocks, tail) = Block::slice_as_chunks(data);
        self.update_blocks(blocks);
        if !tail.is_empty() {
            let mut last = Block::default();
            last.get_mut(..tail.len())
                .ok_or(Error::InternalError)?
                .copy_from_slice(tail);
            self.update_blocks(core::slice::from_ref(&last));
        }
        Ok(())
    }
    fn finalize_with(mut self, lengths: &Block) -> Result<Block> {
        self.update_blocks(core::slice::from_ref(lengths));
        Ok(byte_reverse(&self.0.finalize()))
    }
    fn update_chunk(&mut self, chunk: &[u8], reversed: &[Block]) -> Result<()> {
        if reversed.len() == chunk.len().div_ceil(16) {
            self.0.update(reversed);
            Ok(())
        } else {
            self.update_padded(chunk)
        }
    }
}

impl Uhf for Poly1305 {
    fn update_padded(&mut self, data: &[u8]) -> Result<()> {
        UniversalHash::update_padded(self, data);
        Ok(())
    }
    fn finalize_with(mut self, lengths: &Block) -> Result<Block> {
        self.update(core::slice::from_ref(lengths));
        Ok(self.finalize())
    }
}

impl Uhf for scalar_poly::Poly1305 {
    fn update_padded(&mut self, data: &[u8]) -> Result<()> {
        self.update(data).map_err(|_| Error::InternalError)?;
        let rem = data.len() & 15;
        if rem != 0 {
            let pad = ZEROS.get(rem..).ok_or(Error::InternalError)?;
            self.update(pad).map_err(|_| Error::InternalError)?;
        }
        Ok(())
    }
    fn finalize_with(mut self, lengths: &Block) -> Result<Block> {
        self.update(lengths).map_err(|_| Error::InternalError)?;
        let tag = self.finalize().map_err(|_| Error::InternalError)?;
        let bytes: &[u8] = tag.unprotected_as_ref();
        Block::try_from(bytes).map_err(|_| Error::InternalError)
    }
}

/// Work on one message that needs its universal hash (AD already absorbed). Generic over the
/// hash, so each runs on its own type rather than through one enum as large as the largest.
trait MessageJob {
    fn run<U: Uhf>(self, st: &AeadState, mac: U) -> Result<Block>;
}

/// Encrypts and hashes the ciphertext as it is written; returns the tag.
struct SealJob<'a> {
    head: Option<&'a HeadKeystream>,
    data: &'a [u8],
    out: &'a mut [u8],
}

impl MessageJob for SealJob<'_> {
    fn run<U: Uhf>(self, st: &AeadState, mut mac: U) -> Result<Block> {
        st.apply_keystream(self.head, self.data, self.out, &mut MacSink(&mut mac))?;
        st.finish_tag(mac, self.data.len())
    }
}

/// The tag of a ciphertext.
struct TagJob<'a> {
    ct: &'a [u8],
}

impl MessageJob for TagJob<'_> {
    fn run<U: Uhf>(self, st: &AeadState, mut mac: U) -> Result<Block> {
        mac.update_padded(self.ct)?;
        st.finish_tag(mac, self.ct.len())
    }
}

/// An open AEAD state.
pub(crate) struct AeadState {
    engine: Engine,
    /// The nonce in use (given or drawn), `nonce_len` bytes, as `option(nonce)` reports it.
    nonce: [u8; MAX_NONCE_LEN],
    nonce_len: usize,
    /// AD bytes not yet hashed (less than a block); the universal hash holds the rest.
    pending: [u8; 16],
    pending_len: usize,
    /// Total AD bytes absorbed.
    ad_len: u64,
    /// Whether the nonce is still unused for encryption (see the module docs).
    can_encrypt: bool,
    /// Whether a message was processed (no more AD after that).
    message_seen: bool,
}

impl Drop for AeadState {
    fn drop(&mut self) {
        self.nonce.as_mut_slice().zeroize();
        self.pending.as_mut_slice().zeroize();
        #[cfg(test)]
        crate::zeroize_tests::wiped_all(&[("nonce", &self.nonce), ("pending AD", &self.pending)]);
    }
}

/// The block `J0 = nonce ‖ 0x00000001` shifted to counter `ctr`: `nonce ‖ ctr` (big-endian).
fn counter_block(nonce: &[u8; 12], ctr: u32) -> Block {
    let mut b = Block::default();
    if let Some(head) = b.first_chunk_mut::<12>() {
        *head = *nonce;
    }
    if let Some(tail) = b.last_chunk_mut::<4>() {
        *tail = ctr.to_be_bytes();
    }
    b
}

/// `out = input ⊕ stream` for equal-length slices, 16 bytes at a time where it can.
fn xor_into(out: &mut [u8], input: &[u8], stream: &[u8]) -> Result<()> {
    let whole = input.len() & !15;
    let (in_w, in_t) = input.split_at_checked(whole).ok_or(Error::InternalError)?;
    let (out_w, out_t) = out
        .split_at_mut_checked(whole)
        .ok_or(Error::InternalError)?;
    let (ks_w, ks_t) = stream.split_at_checked(whole).ok_or(Error::InternalError)?;
    let (out_b, _) = out_w.as_chunks_mut::<16>();
    let (in_b, _) = in_w.as_chunks::<16>();
    let (ks_b, _) = ks_w.as_chunks::<16>();
    for ((o, i), k) in out_b.iter_mut().zip(in_b).zip(ks_b) {
        *o = (u128::from_ne_bytes(*i) ^ u128::from_ne_bytes(*k)).to_ne_bytes();
    }
    for ((o, i), k) in out_t.iter_mut().zip(in_t).zip(ks_t) {
        *o = i ^ k;
    }
    Ok(())
}

/// Receives each finished output chunk of an encryption or decryption (whole 16-byte blocks
/// but the last).
trait Sink {
    /// Whether the chunks are ciphertext being authenticated (encryption). When they are
    /// plaintext (decryption, whose tag was checked before), nothing is hashed and scratch
    /// copies are wiped.
    const HASHES: bool;
    /// `reversed`: for GCM, the chunk's blocks zero-padded and byte-reversed (see [`GHash`]);
    /// empty for ChaCha20.
    fn chunk(&mut self, out: &[u8], reversed: &[Block]) -> Result<()>;
}

/// Decryption: the tag was checked first; nothing to hash.
struct NoSink;

impl Sink for NoSink {
    const HASHES: bool = false;
    fn chunk(&mut self, _: &[u8], _: &[Block]) -> Result<()> {
        Ok(())
    }
}

/// Encryption: each ciphertext chunk into the message's universal hash, while it is hot.
struct MacSink<'a, U>(&'a mut U);

impl<U: Uhf> Sink for MacSink<'_, U> {
    const HASHES: bool = true;
    fn chunk(&mut self, out: &[u8], reversed: &[Block]) -> Result<()> {
        self.0.update_chunk(out, reversed)
    }
}

/// GCM's CTR mode (`GCTR` from `inc32(J0)`): `out = input ⊕ E(nonce ‖ 2), E(nonce ‖ 3), …`,
/// handing each finished output chunk to `sink`. When encrypting, each keystream block is
/// overwritten in place by the byte-reversed ciphertext block GHASH needs, in the same pass as
/// the XOR, so no keystream outlives its chunk; when decrypting, the keystream is wiped at the
/// end. The caller bounds the length to 2^32 − 2 blocks, so the counter never wraps.
fn gcm_ctr<C, S>(
    aes: &C,
    nonce: &[u8; 12],
    input: &[u8],
    out: &mut [u8],
    sink: &mut S,
) -> Result<()>
where
    C: BlockCipherEncrypt<BlockSize = U16>,
    S: Sink,
{
    // Short messages get a small keystream buffer: filling (and, decrypting, wiping) the bulk
    // one would cost more than the message.
    if input.len() <= GCM_SHORT_PAR * 16 {
        gcm_ctr_with::<C, S, GCM_SHORT_PAR>(aes, nonce, input, out, sink)
    } else {
        gcm_ctr_with::<C, S, CTR_PAR>(aes, nonce, input, out, sink)
    }
}

/// [`gcm_ctr`] with a keystream buffer of `N` blocks (chunks of `16 N` bytes).
fn gcm_ctr_with<C, S, const N: usize>(
    aes: &C,
    nonce: &[u8; 12],
    input: &[u8],
    out: &mut [u8],
    sink: &mut S,
) -> Result<()>
where
    C: BlockCipherEncrypt<BlockSize = U16>,
    S: Sink,
{
    if input.len() != out.len() {
        return Err(Error::InternalError);
    }
    let base = u128::from_be_bytes(counter_block(nonce, 0).into());
    let mut ks = [Block::default(); N];
    let mut ctr: u32 = 2;
    let mut touched = 0;
    let mut r = Ok(());
    let chunk = N.saturating_mul(16);
    for (inc, outc) in input.chunks(chunk).zip(out.chunks_mut(chunk)) {
        let n = inc.len().div_ceil(16);
        touched = touched.max(n);
        let Some(used) = ks.get_mut(..n) else {
            r = Err(Error::InternalError);
            break;
        };
        for b in used.iter_mut() {
            *b = Block::from((base | u128::from(ctr)).to_be_bytes());
            ctr = ctr.wrapping_add(1);
        }
        aes.encrypt_blocks(used);
        r = if S::HASHES {
            xor_reversing(outc, inc, used).and_then(|()| sink.chunk(outc, used))
        } else {
            xor_into(outc, inc, Block::slice_as_flattened(used))
        };
        if r.is_err() {
            break;
        }
    }
    if (!S::HASHES || r.is_err())
        && let Some(used) = ks.get_mut(..touched)
    {
        for b in used.iter_mut() {
            b.as_mut_slice().zeroize();
        }
    }
    r
}

/// `out = input ⊕ ks`, and each `ks` block replaced by the (zero-padded) output block with its
/// bytes reversed.
fn xor_reversing(out: &mut [u8], input: &[u8], ks: &mut [Block]) -> Result<()> {
    let (out_b, out_t) = out.as_chunks_mut::<16>();
    let (in_b, in_t) = input.as_chunks::<16>();
    let (ks_b, ks_t) = ks
        .split_at_mut_checked(in_b.len())
        .ok_or(Error::InternalError)?;
    for ((o, i), k) in out_b.iter_mut().zip(in_b).zip(ks_b.iter_mut()) {
        let c = u128::from_ne_bytes(*i) ^ u128::from_ne_bytes((*k).into());
        *o = c.to_ne_bytes();
        *k = Block::from(c.swap_bytes().to_ne_bytes());
    }
    if !in_t.is_empty() {
        let k = ks_t.first_mut().ok_or(Error::InternalError)?;
        let mut last = [0u8; 16];
        for ((l, i), x) in last.iter_mut().zip(in_t).zip(k.iter()) {
            *l = i ^ x;
        }
        out_t.copy_from_slice(last.get(..in_t.len()).ok_or(Error::InternalError)?);
        *k = byte_reverse(&Block::from(last));
    }
    Ok(())
}

/// A ChaCha20 instance positioned at `block` (IETF: 32-bit counter, 96-bit nonce).
fn chacha_at(key: &[u8; 32], nonce: &[u8; 12], block: u64) -> Result<ChaCha20> {
    let mut c = ChaCha20::new_from_slices(key, nonce).map_err(|_| Error::InternalError)?;
    let pos = block
        .checked_mul(CHACHA_BLOCK as u64)
        .ok_or(Error::InternalError)?;
    c.try_seek(pos).map_err(|_| Error::InvalidLength)?;
    Ok(c)
}

/// RFC 8439 encryption: `out = input ⊕ ChaCha20(key, nonce)` from block `from`, handing each
/// finished output chunk to `sink`. Only whole blocks are taken from the stream wrapper (the
/// tail goes through a local block wiped after use), so the wrapper never buffers keystream.
fn chacha_xor<S: Sink>(
    key: &[u8; 32],
    nonce: &[u8; 12],
    from: u64,
    input: &[u8],
    out: &mut [u8],
    sink: &mut S,
) -> Result<()> {
    if input.len() != out.len() {
        return Err(Error::InternalError);
    }
    let mut c = chacha_at(key, nonce, from)?;
    for (inc, outc) in input.chunks(CHUNK).zip(out.chunks_mut(CHUNK)) {
        let full = inc.len() & !(CHACHA_BLOCK - 1);
        let (in_full, in_tail) = inc.split_at_checked(full).ok_or(Error::InternalError)?;
        let (out_full, out_tail) = outc
            .split_at_mut_checked(full)
            .ok_or(Error::InternalError)?;
        c.try_apply_keystream_b2b(in_full, out_full)
            .map_err(|_| Error::InvalidLength)?;
        if !in_tail.is_empty() {
            let mut ks = [0u8; CHACHA_BLOCK];
            let r = c
                .try_write_keystream(&mut ks)
                .map_err(|_| Error::InvalidLength)
                .and_then(|()| xor_into(out_tail, in_tail, &ks));
            ks.as_mut_slice().zeroize();
            r?;
        }
        sink.chunk(outc, &[])?;
    }
    Ok(())
}

/// Whether `out_len` is exactly `want`: smaller `overflow`, larger `invalid_length`.
fn check_out(out_len: usize, want: usize) -> Result<()> {
    match out_len.cmp(&want) {
        core::cmp::Ordering::Less => Err(Error::Overflow),
        core::cmp::Ordering::Greater => Err(Error::InvalidLength),
        core::cmp::Ordering::Equal => Ok(()),
    }
}

/// Message bytes encrypted with the keystream computed together with the Poly1305 key.
const CHACHA_HEAD: usize = 3 * CHACHA_BLOCK;
/// The first block after the head.
const CHACHA_AFTER_HEAD: u64 = ((CHACHA_BLOCK + CHACHA_HEAD) / CHACHA_BLOCK) as u64;

/// ChaCha20 blocks 0..=3, one batch of the 4-way SIMD backends (which take a single block at
/// about the same cost as four): block 0 is the Poly1305 one-time key (RFC 8439 §2.6), blocks
/// 1..=3 the first [`CHACHA_HEAD`] bytes of the message's keystream. Wiped on drop.
struct HeadKeystream([u8; CHACHA_BLOCK + CHACHA_HEAD]);

impl HeadKeystream {
    fn new(key: &[u8; 32], nonce: &[u8; 12]) -> Result<Self> {
        let mut head = HeadKeystream([0u8; CHACHA_BLOCK + CHACHA_HEAD]);
        chacha_at(key, nonce, 0)?
            .try_write_keystream(&mut head.0)
            .map_err(|_| Error::InternalError)?;
        Ok(head)
    }

    fn otk(&self) -> Result<&[u8; 32]> {
        self.0.first_chunk::<32>().ok_or(Error::InternalError)
    }

    /// The message's keystream from block 1, `len` bytes (at most [`CHACHA_HEAD`]).
    fn stream(&self, len: usize) -> Result<&[u8]> {
        let end = CHACHA_BLOCK.checked_add(len).ok_or(Error::InternalError)?;
        self.0.get(CHACHA_BLOCK..end).ok_or(Error::InternalError)
    }
}

impl Drop for HeadKeystream {
    fn drop(&mut self) {
        self.0.as_mut_slice().zeroize();
        #[cfg(test)]
        crate::zeroize_tests::wiped("chacha head keystream", &self.0);
    }
}

impl AeadState {
    pub(crate) fn open(alg: AeadAlg, key: Option<&[u8]>, env: &mut OpenEnv<'_>) -> Result<Self> {
        let key = key.ok_or(Error::KeyRequired)?;
        let given = match env.options {
            Some(o) => match o.get(OptionName::Nonce) {
                Ok(n) => Some(n),
                Err(Error::OptionNotSet) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let nonce_len = alg.nonce_len();
        let mut nonce = [0u8; MAX_NONCE_LEN];
        let slot = nonce.get_mut(..nonce_len).ok_or(Error::InternalError)?;
        match given {
            Some(n) if n.len() == nonce_len => slot.copy_from_slice(n),
            Some(_) => return Err(Error::InvalidNonce),
            // Only XChaCha20's 192-bit nonces are safe to draw at random.
            None if alg == AeadAlg::XChaCha20Poly1305 => {
                if let Err(e) = (env.random)(slot) {
                    nonce.as_mut_slice().zeroize();
                    return Err(e);
                }
            }
            None => return Err(Error::NonceRequired),
        }
        let engine = Self::engine(alg, key, &nonce);
        match engine {
            Ok(engine) => Ok(AeadState {
                engine,
                nonce,
                nonce_len,
                pending: [0u8; 16],
                pending_len: 0,
                ad_len: 0,
                can_encrypt: true,
                message_seen: false,
            }),
            Err(e) => {
                nonce.as_mut_slice().zeroize();
                Err(e)
            }
        }
    }

    fn engine(alg: AeadAlg, key: &[u8], nonce: &[u8; MAX_NONCE_LEN]) -> Result<Engine> {
        match alg {
            AeadAlg::Aes128Gcm => {
                let aes = Aes128Enc::new_from_slice(key).map_err(|_| Error::InvalidKey)?;
                let ghash = Self::ghash_key(&aes);
                Ok(Engine::Gcm128 { aes, ghash })
            }
            AeadAlg::Aes256Gcm => {
                let aes = Aes256Enc::new_from_slice(key).map_err(|_| Error::InvalidKey)?;
                let ghash = Self::ghash_key(&aes);
                Ok(Engine::Gcm256 { aes, ghash })
            }
            AeadAlg::ChaCha20Poly1305 => {
                let n12 = nonce.first_chunk::<12>().ok_or(Error::InternalError)?;
                let key = key.first_chunk::<32>().filter(|_| key.len() == 32);
                Self::chacha_engine(key.ok_or(Error::InvalidKey)?, n12)
            }
            AeadAlg::XChaCha20Poly1305 => {
                // draft-irtf-cfrg-xchacha-03 §2.3: subkey = HChaCha20(key, n[0..16]),
                // ChaCha20-Poly1305 under the subkey with the nonce 0^4 ‖ n[16..24].
                if key.len() != 32 {
                    return Err(Error::InvalidKey);
                }
                let mut k = chacha20::Key::try_from(key).map_err(|_| Error::InvalidKey)?;
                let (n16, rest) = nonce
                    .split_first_chunk::<16>()
                    .ok_or(Error::InternalError)?;
                let n8 = rest.first_chunk::<8>().ok_or(Error::InternalError)?;
                let mut subkey = chacha20::hchacha::<chacha20::R20>(&k, &(*n16).into());
                k.as_mut_slice().zeroize();
                let mut sk: [u8; 32] = subkey.into();
                subkey.as_mut_slice().zeroize();
                let mut n12 = [0u8; 12];
                if let Some(tail) = n12.last_chunk_mut::<8>() {
                    *tail = *n8;
                }
                let engine = Self::chacha_engine(&sk, &n12);
                sk.as_mut_slice().zeroize();
                n12.as_mut_slice().zeroize();
                engine
            }
        }
    }

    /// GHASH keyed with `H = E_K(0^128)`.
    fn ghash_key<C: BlockCipherEncrypt<BlockSize = U16>>(aes: &C) -> GHash {
        let mut h = Block::default();
        aes.encrypt_block(&mut h);
        let ghash = GHash::new(&h);
        h.as_mut_slice().zeroize();
        ghash
    }

    /// ChaCha20 key and nonce, nothing hashed yet.
    fn chacha_engine(key: &[u8; 32], nonce: &[u8; 12]) -> Result<Engine> {
        Ok(Engine::ChaCha {
            key: *key,
            nonce: *nonce,
            ad: ChaChaAd::Buffered {
                buf: [0u8; AD_BUF],
                len: 0,
            },
        })
    }

    fn gcm_nonce(&self) -> Result<&[u8; 12]> {
        self.nonce.first_chunk::<12>().ok_or(Error::InternalError)
    }

    /// Checks the message length against the algorithm's bound: `invalid_length` past it.
    fn check_msg_len(&self, len: usize) -> Result<()> {
        let len = u64::try_from(len).map_err(|_| Error::InvalidLength)?;
        let max = match self.engine {
            Engine::Gcm128 { .. } | Engine::Gcm256 { .. } => GCM_MAX_MSG,
            Engine::ChaCha { .. } => CHACHA_MAX_MSG,
        };
        if len > max {
            Err(Error::InvalidLength)
        } else {
            Ok(())
        }
    }

    /// ChaCha20 states: blocks 0..=3 of the keystream, for one message.
    fn head_keystream(&self) -> Result<Option<HeadKeystream>> {
        match &self.engine {
            Engine::ChaCha { key, nonce, .. } => HeadKeystream::new(key, nonce).map(Some),
            Engine::Gcm128 { .. } | Engine::Gcm256 { .. } => Ok(None),
        }
    }

    /// Runs `job` with the universal hash for a message of `ct_len` bytes, all AD absorbed so
    /// far in it. `head`: a ChaCha20 message's first keystream blocks, with the Poly1305 key.
    fn with_mac<J: MessageJob>(
        &self,
        ct_len: usize,
        head: Option<&HeadKeystream>,
        job: J,
    ) -> Result<Block> {
        match &self.engine {
            Engine::Gcm128 { ghash, .. } | Engine::Gcm256 { ghash, .. } => {
                job.run(self, self.with_ad(ghash.clone(), &[])?)
            }
            Engine::ChaCha {
                ad: ChaChaAd::Streaming(poly),
                ..
            } => job.run(self, self.with_ad(poly.get()?.clone(), &[])?),
            Engine::ChaCha {
                ad: ChaChaAd::Buffered { buf, len },
                ..
            } => {
                let ad = buf.get(..*len).ok_or(Error::InternalError)?;
                let otk = head.ok_or(Error::InternalError)?.otk()?;
                if ad.len().saturating_add(ct_len) <= SHORT_MAX {
                    let key = scalar_poly::OneTimeKey::from(*otk);
                    job.run(self, self.with_ad(scalar_poly::Poly1305::new(&key), ad)?)
                } else {
                    let poly = Poly1305::new_from_slice(otk).map_err(|_| Error::InternalError)?;
                    job.run(self, self.with_ad(poly, ad)?)
                }
            }
        }
    }

    /// `mac` with the buffered AD and then the pending AD block in it (at most one of the two
    /// is non-empty).
    fn with_ad<U: Uhf>(&self, mut mac: U, buffered: &[u8]) -> Result<U> {
        mac.update_padded(buffered)?;
        let pending = self
            .pending
            .get(..self.pending_len)
            .ok_or(Error::InternalError)?;
        mac.update_padded(pending)?;
        Ok(mac)
    }

    /// The tag from a message's hash: the length block in, and for GCM `⊕ E_K(J0)` with
    /// `J0 = nonce ‖ 0x00000001`.
    fn finish_tag<U: Uhf>(&self, mac: U, ct_len: usize) -> Result<Block> {
        let ct_len = u64::try_from(ct_len).map_err(|_| Error::InvalidLength)?;
        let mut lengths = Block::default();
        let (a, c) = match self.engine {
            Engine::Gcm128 { .. } | Engine::Gcm256 { .. } => (
                self.ad_len
                    .checked_mul(8)
                    .ok_or(Error::InternalError)?
                    .to_be_bytes(),
                ct_len
                    .checked_mul(8)
                    .ok_or(Error::InvalidLength)?
                    .to_be_bytes(),
            ),
            Engine::ChaCha { .. } => (self.ad_len.to_le_bytes(), ct_len.to_le_bytes()),
        };
        if let Some(x) = lengths.first_chunk_mut::<8>() {
            *x = a;
        }
        if let Some(x) = lengths.last_chunk_mut::<8>() {
            *x = c;
        }
        let mut s = mac.finalize_with(&lengths)?;
        let mut ek_j0 = match &self.engine {
            Engine::Gcm128 { aes, .. } => Self::ek_j0(aes, self.gcm_nonce()?),
            Engine::Gcm256 { aes, .. } => Self::ek_j0(aes, self.gcm_nonce()?),
            Engine::ChaCha { .. } => return Ok(s),
        };
        for (t, k) in s.iter_mut().zip(ek_j0.iter()) {
            *t ^= k;
        }
        ek_j0.as_mut_slice().zeroize();
        Ok(s)
    }

    fn ek_j0<C: BlockCipherEncrypt<BlockSize = U16>>(aes: &C, nonce: &[u8; 12]) -> Block {
        let mut b = counter_block(nonce, 1);
        aes.encrypt_block(&mut b);
        b
    }

    /// `out = data ⊕ keystream` (disjoint buffers of equal length), each output chunk handed
    /// to `sink` once written (chunks are whole blocks of 16 bytes but the last).
    fn apply_keystream<S: Sink>(
        &self,
        head: Option<&HeadKeystream>,
        data: &[u8],
        out: &mut [u8],
        sink: &mut S,
    ) -> Result<()> {
        match &self.engine {
            Engine::Gcm128 { aes, .. } => gcm_ctr(aes, self.gcm_nonce()?, data, out, sink),
            Engine::Gcm256 { aes, .. } => gcm_ctr(aes, self.gcm_nonce()?, data, out, sink),
            Engine::ChaCha { key, nonce, .. } => {
                let head = head.ok_or(Error::InternalError)?;
                let n = data.len().min(CHACHA_HEAD);
                let (d0, d1) = data.split_at_checked(n).ok_or(Error::InternalError)?;
                let (o0, o1) = out.split_at_mut_checked(n).ok_or(Error::InternalError)?;
                xor_into(o0, d0, head.stream(n)?)?;
                if !o0.is_empty() {
                    sink.chunk(o0, &[])?;
                }
                chacha_xor(key, nonce, CHACHA_AFTER_HEAD, d1, o1, sink)
            }
        }
    }

    /// Encrypts `data` into `out` (same length) and returns the tag, hashing the ciphertext
    /// chunk by chunk as it is written. Uses up the nonce.
    fn seal(&mut self, out: &mut [u8], data: &[u8]) -> Result<Block> {
        if !self.can_encrypt {
            return Err(Error::NonceRequired);
        }
        check_out(out.len(), data.len())?;
        self.check_msg_len(data.len())?;
        // From here on the nonce counts as used, whatever happens.
        self.can_encrypt = false;
        self.message_seen = true;
        let r = self.seal_into(out, data);
        if r.is_err() {
            out.zeroize();
        }
        r
    }

    fn seal_into(&self, out: &mut [u8], data: &[u8]) -> Result<Block> {
        let head = self.head_keystream()?;
        let job = SealJob {
            head: head.as_ref(),
            data,
            out,
        };
        self.with_mac(data.len(), head.as_ref(), job)
    }

    /// Checks `tag` over `ct`, then decrypts `ct` into `out`. The caller zeroes `out` on
    /// `invalid_tag`.
    fn open_detached(&mut self, out: &mut [u8], ct: &[u8], tag: &[u8]) -> Result<usize> {
        if tag.len() != TAG_LEN {
            return Err(Error::InvalidTag);
        }
        check_out(out.len(), ct.len())?;
        self.check_msg_len(ct.len())?;
        self.can_encrypt = false;
        self.message_seen = true;
        let head = self.head_keystream()?;
        let mut expected = self.with_mac(ct.len(), head.as_ref(), TagJob { ct })?;
        let ok = bool::from(expected.as_slice().ct_eq(tag));
        expected.as_mut_slice().zeroize();
        if !ok {
            return Err(Error::InvalidTag);
        }
        self.apply_keystream(head.as_ref(), ct, out, &mut NoSink)?;
        Ok(ct.len())
    }

    /// Streams AD into the universal hash: completes the pending block, hashes whole blocks,
    /// keeps the tail pending.
    fn stream_ad(&mut self, mut data: &[u8]) -> Result<()> {
        if self.pending_len > 0 {
            let free = self
                .pending
                .get_mut(self.pending_len..)
                .ok_or(Error::InternalError)?;
            let take = free.len().min(data.len());
            let (head, rest) = data.split_at_checked(take).ok_or(Error::InternalError)?;
            free.get_mut(..take)
                .ok_or(Error::InternalError)?
                .copy_from_slice(head);
            self.pending_len = self
                .pending_len
                .checked_add(take)
                .ok_or(Error::InternalError)?;
            data = rest;
            if self.pending_len < self.pending.len() {
                return Ok(());
            }
            let block = Block::from(self.pending);
            self.hash_ad_blocks(core::slice::from_ref(&block))?;
            self.pending.as_mut_slice().zeroize();
            self.pending_len = 0;
        }
        let (blocks, tail) = Block::slice_as_chunks(data);
        self.hash_ad_blocks(blocks)?;
        self.pending
            .get_mut(..tail.len())
            .ok_or(Error::InternalError)?
            .copy_from_slice(tail);
        self.pending_len = tail.len();
        Ok(())
    }

    /// Adds AD blocks to the universal hash.
    fn hash_ad_blocks(&mut self, blocks: &[Block]) -> Result<()> {
        match &mut self.engine {
            Engine::Gcm128 { ghash, .. } | Engine::Gcm256 { ghash, .. } => {
                ghash.update_blocks(blocks)
            }
            Engine::ChaCha {
                ad: ChaChaAd::Streaming(poly),
                ..
            } => poly.get_mut()?.update(blocks),
            Engine::ChaCha {
                ad: ChaChaAd::Buffered { .. },
                ..
            } => return Err(Error::InternalError),
        }
        Ok(())
    }

    /// ChaCha20 states: keeps `data` in the AD buffer if it fits (`true`). Otherwise, the first
    /// time, moves the buffered AD into a `poly1305` state, after which all AD streams.
    /// The box is allocated (within `limits.room`, else `overflow`) before the buffered AD
    /// moves, so a refused allocation leaves the state as it was.
    fn buffer_ad(&mut self, data: &[u8], limits: &Limits) -> Result<bool> {
        let Engine::ChaCha {
            key,
            nonce,
            ad: ad @ ChaChaAd::Buffered { .. },
        } = &mut self.engine
        else {
            return Ok(false);
        };
        let ChaChaAd::Buffered { buf, len } = ad else {
            return Err(Error::InternalError);
        };
        let end = len.checked_add(data.len()).ok_or(Error::Overflow)?;
        if let Some(dst) = buf.get_mut(*len..end) {
            dst.copy_from_slice(data);
            *len = end;
            return Ok(true);
        }
        limits.admit(core::mem::size_of::<Poly1305>())?;
        let head = HeadKeystream::new(key, nonce)?;
        let poly = Poly1305::new_from_slice(head.otk()?).map_err(|_| Error::InternalError)?;
        let boxed = TryBox::new(poly)?;
        let n = *len;
        let mut held = [0u8; AD_BUF];
        let (Some(from), Some(to)) = (buf.get_mut(..n), held.get_mut(..n)) else {
            return Err(Error::InternalError);
        };
        to.copy_from_slice(from);
        from.zeroize();
        *ad = ChaChaAd::Streaming(boxed);
        let r = self.stream_ad(held.get(..n).ok_or(Error::InternalError)?);
        if let Some(used) = held.get_mut(..n) {
            used.zeroize();
        }
        r.map(|()| false)
    }
}

/// Runs a decryption and zeroes the whole output buffer if it fails with `invalid_tag`.
fn zero_on_invalid_tag(out: &mut [u8], r: Result<usize>) -> Result<usize> {
    if r == Err(Error::InvalidTag) {
        out.zeroize();
    }
    r
}

impl StateOps for AeadState {
    /// Additional data, streamed into the universal hash (see the module docs: only before the
    /// message; past the algorithm's AD bound `overflow`).
    fn heap_bytes(&self) -> usize {
        match &self.engine {
            Engine::ChaCha {
                ad: ChaChaAd::Streaming(b),
                ..
            } => b.heap_bytes(),
            _ => 0,
        }
    }

    fn absorb(&mut self, data: &[u8], limits: &Limits) -> Result<()> {
        if self.message_seen {
            return Err(Error::InvalidOperation);
        }
        let added = u64::try_from(data.len()).map_err(|_| Error::Overflow)?;
        let total = self.ad_len.checked_add(added).ok_or(Error::Overflow)?;
        if matches!(self.engine, Engine::Gcm128 { .. } | Engine::Gcm256 { .. })
            && total > GCM_MAX_AD
        {
            return Err(Error::Overflow);
        }
        // The length counts only once the AD is kept: a refused allocation changes nothing.
        let buffered = self.buffer_ad(data, limits)?;
        self.ad_len = total;
        if buffered {
            return Ok(());
        }
        self.stream_ad(data)
    }

    fn max_tag_len(&self) -> Result<usize> {
        Ok(TAG_LEN)
    }

    fn encrypt(&mut self, out: &mut [u8], data: &[u8]) -> Result<usize> {
        if !self.can_encrypt {
            return Err(Error::NonceRequired);
        }
        let total = data
            .len()
            .checked_add(TAG_LEN)
            .ok_or(Error::InvalidLength)?;
        check_out(out.len(), total)?;
        let (ct, tag_out) = out
            .split_at_mut_checked(data.len())
            .ok_or(Error::InternalError)?;
        let mut tag = self.seal(ct, data)?;
        tag_out.copy_from_slice(tag.as_slice());
        tag.as_mut_slice().zeroize();
        Ok(total)
    }

    fn encrypt_detached(&mut self, out: &mut [u8], data: &[u8]) -> Result<SecretBytes> {
        let mut tag = self.seal(out, data)?;
        let r = SecretBytes::copy_from(tag.as_slice());
        tag.as_mut_slice().zeroize();
        if r.is_err() {
            // No tag to hand out: do not leave an unauthenticated ciphertext either.
            out.zeroize();
        }
        r
    }

    fn decrypt(&mut self, out: &mut [u8], data: &[u8]) -> Result<usize> {
        let r = match data.len().checked_sub(TAG_LEN) {
            None => Err(Error::InvalidTag),
            Some(ct_len) => match data.split_at_checked(ct_len) {
                Some((ct, tag)) => self.open_detached(out, ct, tag),
                None => Err(Error::InternalError),
            },
        };
        zero_on_invalid_tag(out, r)
    }

    fn decrypt_detached(&mut self, out: &mut [u8], data: &[u8], tag: &[u8]) -> Result<usize> {
        let r = self.open_detached(out, data, tag);
        zero_on_invalid_tag(out, r)
    }

    fn option(&self, name: OptionName) -> Result<&[u8]> {
        match name {
            OptionName::Nonce => self.nonce.get(..self.nonce_len).ok_or(Error::InternalError),
            OptionName::Expiration => Err(Error::UnsupportedOption),
        }
    }

    fn try_clone(&self) -> Result<Self> {
        if self.can_encrypt {
            Err(Error::ProhibitedOperation)
        } else {
            Ok(AeadState {
                engine: self.engine.try_clone()?,
                nonce: self.nonce,
                nonce_len: self.nonce_len,
                pending: self.pending,
                pending_len: self.pending_len,
                ad_len: self.ad_len,
                can_encrypt: self.can_encrypt,
                message_seen: self.message_seen,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::OptionsObject;
    use crate::symmetric::hex;
    use crate::types::AlgorithmType;
    use alloc::vec;
    use alloc::vec::Vec;

    fn open_with(alg: AeadAlg, key: &[u8], nonce: Option<&[u8]>) -> Result<AeadState> {
        let mut opts = OptionsObject::new(AlgorithmType::Symmetric);
        if let Some(n) = nonce {
            opts.set(b"nonce", n, &Limits::of(&crate::Config::default()))
                .unwrap();
        }
        let mut random = |buf: &mut [u8]| {
            for (i, b) in buf.iter_mut().enumerate() {
                *b = i as u8 ^ 0x5a;
            }
            Ok(())
        };
        let mut env = OpenEnv {
            options: Some(&opts),
            random: &mut random,
        };
        AeadState::open(alg, Some(key), &mut env)
    }

    fn seal(alg: AeadAlg, key: &[u8], nonce: &[u8], ad: &[u8], pt: &[u8]) -> Vec<u8> {
        let mut st = open_with(alg, key, Some(nonce)).unwrap();
        st.absorb(ad, &Limits::of(&crate::Config::default()))
            .unwrap();
        let mut out = vec![0u8; pt.len() + TAG_LEN];
        assert_eq!(st.encrypt(&mut out, pt), Ok(pt.len() + TAG_LEN));
        out
    }

    fn open(alg: AeadAlg, key: &[u8], nonce: &[u8], ad: &[u8], ct: &[u8]) -> Result<Vec<u8>> {
        let mut st = open_with(alg, key, Some(nonce)).unwrap();
        st.absorb(ad, &Limits::of(&crate::Config::default()))
            .unwrap();
        let mut out = vec![0xa5u8; ct.len().saturating_sub(TAG_LEN)];
        st.decrypt(&mut out, ct).map(|n| {
            assert_eq!(n, out.len());
            out
        })
    }

    /// Seals `pt` to exactly `want`, and opens `want` back to `pt`.
    fn known_answer(alg: AeadAlg, key: &[u8], nonce: &[u8], ad: &[u8], pt: &[u8], want: &[u8]) {
        assert_eq!(seal(alg, key, nonce, ad, pt), want, "{alg:?}");
        assert_eq!(open(alg, key, nonce, ad, want).unwrap(), pt, "{alg:?}");
    }

    /// The same encryption by an independent AEAD implementation.
    fn oracle<A: aes_gcm::aead::Aead + aes_gcm::aead::KeyInit>(
        key: &[u8],
        nonce: &[u8],
        payload: aes_gcm::aead::Payload<'_, '_>,
    ) -> Vec<u8> {
        A::new_from_slice(key)
            .unwrap()
            .encrypt(nonce.try_into().unwrap(), payload)
            .unwrap()
    }

    // McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 4 and 16.
    const GCM_PT: &str = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
                          1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    const GCM_AD: &str = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    const GCM_IV: &str = "cafebabefacedbaddecaf888";

    #[test]
    fn aes128_gcm_known_answer() {
        let key = hex("feffe9928665731c6d6a8f9467308308");
        let want = hex(
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e\
             21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091\
             5bc94fbc3221a5db94fae95ae7121a47",
        );
        known_answer(
            AeadAlg::Aes128Gcm,
            &key,
            &hex(GCM_IV),
            &hex(GCM_AD),
            &hex(GCM_PT),
            &want,
        );
    }

    #[test]
    fn aes256_gcm_known_answer() {
        let key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        let want = hex(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
             8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662\
             76fc6ece0f4e1768cddf8853bb2d551b",
        );
        known_answer(
            AeadAlg::Aes256Gcm,
            &key,
            &hex(GCM_IV),
            &hex(GCM_AD),
            &hex(GCM_PT),
            &want,
        );
    }

    // RFC 8439 §2.8.2.
    const SUNSCREEN: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer you \
        only one tip for the future, sunscreen would be it.";
    const RFC_KEY: &str = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    const RFC_AD: &str = "50515253c0c1c2c3c4c5c6c7";

    #[test]
    fn chacha20_poly1305_rfc8439() {
        let want = hex(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6\
             3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36\
             92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc\
             3ff4def08e4b7a9de576d26586cec64b6116\
             1ae10b594f09e26a7e902ecbd0600691",
        );
        let key = hex(RFC_KEY);
        let nonce = hex("070000004041424344454647");
        known_answer(
            AeadAlg::ChaCha20Poly1305,
            &key,
            &nonce,
            &hex(RFC_AD),
            SUNSCREEN,
            &want,
        );
    }

    #[test]
    fn xchacha20_poly1305_draft_a_3_1() {
        let want = hex(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb\
             731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452\
             2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9\
             21f9664c97637da9768812f615c68b13b52e\
             c0875924c1c7987947deafd8780acf49",
        );
        let key = hex(RFC_KEY);
        let nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
        known_answer(
            AeadAlg::XChaCha20Poly1305,
            &key,
            &nonce,
            &hex(RFC_AD),
            SUNSCREEN,
            &want,
        );
    }

    const ALGS: [(AeadAlg, usize, usize); 4] = [
        (AeadAlg::Aes128Gcm, 16, 12),
        (AeadAlg::Aes256Gcm, 32, 12),
        (AeadAlg::ChaCha20Poly1305, 32, 12),
        (AeadAlg::XChaCha20Poly1305, 32, 24),
    ];

    #[test]
    fn ad_in_pieces_equals_ad_in_one_and_lengths_cover_block_edges() {
        let config = Limits::of(&crate::Config::default());
        let ad: Vec<u8> = (0..100u8).collect();
        for (alg, klen, nlen) in ALGS {
            let key = vec![7u8; klen];
            let nonce = vec![9u8; nlen];
            for msg_len in [0usize, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200] {
                let pt: Vec<u8> = (0..msg_len).map(|i| i as u8).collect();
                let whole = seal(alg, &key, &nonce, &ad, &pt);
                for split in [[0usize, 0], [1, 2], [5, 16], [15, 17], [16, 32], [40, 99]] {
                    let mut st = open_with(alg, &key, Some(&nonce)).unwrap();
                    st.absorb(&ad[..split[0]], &config).unwrap();
                    st.absorb(&ad[split[0]..split[1]], &config).unwrap();
                    st.absorb(&[], &config).unwrap();
                    st.absorb(&ad[split[1]..], &config).unwrap();
                    let mut out = vec![0u8; msg_len + 16];
                    st.encrypt(&mut out, &pt).unwrap();
                    assert_eq!(out, whole, "{alg:?} {msg_len} {split:?}");
                }
                // Detached gives the same ciphertext and tag.
                let mut st = open_with(alg, &key, Some(&nonce)).unwrap();
                st.absorb(&ad, &config).unwrap();
                let mut ct = vec![0u8; msg_len];
                let tag = st.encrypt_detached(&mut ct, &pt).unwrap();
                assert_eq!(ct, whole[..msg_len]);
                assert_eq!(tag.expose(), &whole[msg_len..]);
                // Decrypt back, detached and attached.
                let mut pt2 = vec![0u8; msg_len];
                assert_eq!(
                    st.decrypt_detached(&mut pt2, &ct, tag.expose()),
                    Ok(msg_len)
                );
                assert_eq!(pt2, pt);
                assert_eq!(open(alg, &key, &nonce, &ad, &whole).unwrap(), pt);
            }
        }
    }

    /// Every size class of both Poly1305 implementations and of the chunked one-pass
    /// encryption (AD buffered or streamed, around `AD_BUF`, `SHORT_MAX` and `CHUNK`, AD in
    /// one piece or several), checked against the `aes-gcm` / `chacha20poly1305` crates: public
    /// vectors stop at 513-byte messages, before the bulk paths start.
    #[test]
    fn size_classes_agree_with_independent_implementations() {
        use aes_gcm::aead::Payload;
        let config = Limits::of(&crate::Config::default());
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut bytes = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect()
        };
        let ad_lens = [0usize, 15, 255, 256, 257, 600, SHORT_MAX + 10];
        let msg_lens = [
            0usize,
            1,
            63,
            64,
            65,
            CHACHA_HEAD - 1,
            CHACHA_HEAD,
            CHACHA_HEAD + 1,
            GCM_SHORT_PAR * 16,
            GCM_SHORT_PAR * 16 + 1,
            1000,
            CHUNK - 1,
            CHUNK,
            CHUNK + 17,
            SHORT_MAX - 256,
            SHORT_MAX - 255,
            SHORT_MAX,
            SHORT_MAX + 1,
            3 * CHUNK + 100,
        ];
        for (alg, klen, nlen) in ALGS {
            for &ad_len in &ad_lens {
                for &msg_len in &msg_lens {
                    let key = bytes(klen);
                    let nonce = bytes(nlen);
                    let ad = bytes(ad_len);
                    let pt = bytes(msg_len);
                    let payload = Payload { msg: &pt, aad: &ad };
                    let want = match alg {
                        AeadAlg::Aes128Gcm => oracle::<aes_gcm::Aes128Gcm>(&key, &nonce, payload),
                        AeadAlg::Aes256Gcm => oracle::<aes_gcm::Aes256Gcm>(&key, &nonce, payload),
                        AeadAlg::ChaCha20Poly1305 => {
                            oracle::<chacha20poly1305::ChaCha20Poly1305>(&key, &nonce, payload)
                        }
                        AeadAlg::XChaCha20Poly1305 => {
                            oracle::<chacha20poly1305::XChaCha20Poly1305>(&key, &nonce, payload)
                        }
                    };
                    let ctx = alloc::format!("{alg:?} ad {ad_len} msg {msg_len}");
                    assert_eq!(seal(alg, &key, &nonce, &ad, &pt), want, "{ctx}");
                    // AD in three pieces (crossing the buffer at different points).
                    let mut st = open_with(alg, &key, Some(&nonce)).unwrap();
                    let (a, rest) = ad.split_at(ad_len / 3);
                    let (b, c) = rest.split_at(rest.len() / 2);
                    for piece in [a, b, c] {
                        st.absorb(piece, &config).unwrap();
                    }
                    let mut ct = vec![0u8; msg_len];
                    let tag = st.encrypt_detached(&mut ct, &pt).unwrap();
                    assert_eq!([ct.as_slice(), tag.expose()].concat(), want, "{ctx} pieces");
                    // Decryption takes the same paths, and a flipped tag bit fails.
                    assert_eq!(open(alg, &key, &nonce, &ad, &want).unwrap(), pt, "{ctx}");
                    let mut bad = want.clone();
                    if let Some(last) = bad.last_mut() {
                        *last ^= 0x80;
                    }
                    assert_eq!(
                        open(alg, &key, &nonce, &ad, &bad),
                        Err(Error::InvalidTag),
                        "{ctx}"
                    );
                }
            }
        }
    }

    /// A ChaCha20 state whose AD outgrew the buffer (its Poly1305 on the heap) clones into an
    /// independent state that decrypts the same messages, short and long.
    #[test]
    fn streaming_ad_states_clone_and_decrypt_repeatedly() {
        let config = Limits::of(&crate::Config::default());
        for alg in [AeadAlg::ChaCha20Poly1305, AeadAlg::XChaCha20Poly1305] {
            let nonce = vec![3u8; alg.nonce_len()];
            let ad = vec![0x61u8; AD_BUF + 44];
            for msg_len in [5usize, SHORT_MAX + 3] {
                let pt = vec![0x7au8; msg_len];
                let sealed = seal(alg, &[9u8; 32], &nonce, &ad, &pt);
                let mut st = open_with(alg, &[9u8; 32], Some(&nonce)).unwrap();
                st.absorb(&ad, &config).unwrap();
                let mut out = vec![0u8; msg_len];
                assert_eq!(st.decrypt(&mut out, &sealed), Ok(msg_len));
                assert_eq!(out, pt);
                let mut copy = st.try_clone().unwrap();
                drop(st);
                for _ in 0..2 {
                    let mut out = vec![0u8; msg_len];
                    assert_eq!(copy.decrypt(&mut out, &sealed), Ok(msg_len));
                    assert_eq!(out, pt, "{alg:?} {msg_len}");
                }
            }
        }
    }

    #[test]
    fn nonce_rules() {
        for (alg, klen, nlen) in ALGS {
            let key = vec![1u8; klen];
            for bad in [0usize, 8, 11, 13, 16, 23, 25, 32] {
                if bad != nlen {
                    assert_eq!(
                        open_with(alg, &key, Some(&vec![0u8; bad])).err(),
                        Some(Error::InvalidNonce),
                        "{alg:?} {bad}"
                    );
                }
            }
            let missing = open_with(alg, &key, None);
            if alg == AeadAlg::XChaCha20Poly1305 {
                let st = missing.unwrap();
                assert_eq!(st.option(OptionName::Nonce).unwrap().len(), 24);
            } else {
                assert_eq!(missing.err(), Some(Error::NonceRequired));
            }
            let st = open_with(alg, &key, Some(&vec![3u8; nlen])).unwrap();
            assert_eq!(st.option(OptionName::Nonce).unwrap(), vec![3u8; nlen]);
            // Wrong key sizes never panic (import checks them first anyway).
            assert_eq!(
                open_with(alg, &vec![0u8; klen + 1], Some(&vec![0u8; nlen])).err(),
                Some(Error::InvalidKey)
            );
        }
    }

    #[test]
    fn no_options_and_deterministic_context() {
        let mut random = |_: &mut [u8]| Err(Error::UnsupportedFeature);
        let mut env = OpenEnv {
            options: None,
            random: &mut random,
        };
        let key = [0u8; 32];
        assert_eq!(
            AeadState::open(AeadAlg::ChaCha20Poly1305, Some(&key), &mut env).err(),
            Some(Error::NonceRequired)
        );
        assert_eq!(
            AeadState::open(AeadAlg::XChaCha20Poly1305, Some(&key), &mut env).err(),
            Some(Error::UnsupportedFeature)
        );
        assert_eq!(
            AeadState::open(AeadAlg::Aes256Gcm, None, &mut env).err(),
            Some(Error::KeyRequired)
        );
    }

    #[test]
    fn one_encryption_per_nonce_absorb_order_and_clone() {
        let config = Limits::of(&crate::Config::default());
        for (alg, klen, nlen) in ALGS {
            let key = vec![2u8; klen];
            let mut st = open_with(alg, &key, Some(&vec![4u8; nlen])).unwrap();
            assert_eq!(st.max_tag_len(), Ok(16));
            assert_eq!(st.try_clone().err(), Some(Error::ProhibitedOperation));
            st.absorb(b"ad", &config).unwrap();
            // Size errors do not use the nonce up.
            assert_eq!(st.encrypt(&mut [0u8; 20], b"hello"), Err(Error::Overflow));
            assert_eq!(
                st.encrypt(&mut [0u8; 22], b"hello"),
                Err(Error::InvalidLength)
            );
            assert_eq!(
                st.encrypt_detached(&mut [0u8; 4], b"hello").err(),
                Some(Error::Overflow)
            );
            let mut ct = [0u8; 21];
            assert_eq!(st.encrypt(&mut ct, b"hello"), Ok(21));
            assert_eq!(
                st.encrypt(&mut [0u8; 21], b"hello"),
                Err(Error::NonceRequired)
            );
            assert_eq!(
                st.encrypt_detached(&mut [0u8; 5], b"hello").err(),
                Some(Error::NonceRequired)
            );
            assert_eq!(st.absorb(b"more", &config), Err(Error::InvalidOperation));
            // Decryption repeats with the same AD; clones decrypt independently.
            let mut clone = st.try_clone().unwrap();
            for s in [&mut st, &mut clone] {
                for _ in 0..2 {
                    let mut pt = [0u8; 5];
                    assert_eq!(s.decrypt(&mut pt, &ct), Ok(5));
                    assert_eq!(&pt, b"hello");
                }
            }
            assert_eq!(st.squeeze(&mut [0u8; 4]), Err(Error::InvalidOperation));
            assert_eq!(st.squeeze_tag().err(), Some(Error::InvalidOperation));
            assert_eq!(st.ratchet(), Err(Error::InvalidOperation));
        }
    }

    #[test]
    fn decryption_failures_zero_the_output_and_disable_encryption() {
        for (alg, klen, nlen) in ALGS {
            let key = vec![5u8; klen];
            let nonce = vec![6u8; nlen];
            let good = seal(alg, &key, &nonce, b"", b"secret message");
            let mut st = open_with(alg, &key, Some(&nonce)).unwrap();
            // Too short for a tag, and wrong detached tag lengths.
            let mut out = [0xffu8; 8];
            assert_eq!(st.decrypt(&mut out, &good[..15]), Err(Error::InvalidTag));
            assert_eq!(out, [0u8; 8]);
            for tag_len in [0usize, 15, 17, 65] {
                let mut out = [0xffu8; 14];
                assert_eq!(
                    st.decrypt_detached(&mut out, &good[..14], &vec![0u8; tag_len]),
                    Err(Error::InvalidTag)
                );
                assert_eq!(out, [0u8; 14]);
            }
            // Output size errors.
            assert_eq!(st.decrypt(&mut [0u8; 13], &good), Err(Error::Overflow));
            assert_eq!(st.decrypt(&mut [0u8; 15], &good), Err(Error::InvalidLength));
            // Every flipped bit is caught, and the output is zeroed.
            for i in 0..good.len() * 8 {
                let mut bad = good.clone();
                bad[i / 8] ^= 1 << (i % 8);
                let mut out = [0xffu8; 14];
                assert_eq!(st.decrypt(&mut out, &bad), Err(Error::InvalidTag));
                assert_eq!(out, [0u8; 14]);
            }
            let mut out = [0u8; 14];
            assert_eq!(st.decrypt(&mut out, &good), Ok(14));
            assert_eq!(&out, b"secret message");
            // A state that decrypted never encrypts under the peer's nonce.
            assert_eq!(st.encrypt(&mut [0u8; 16], b""), Err(Error::NonceRequired));
            assert!(st.try_clone().is_ok());
        }
    }

    /// The AEAD message limits (2^36 - 32 and 2^38 - 64 bytes) exceed a 32-bit `usize`.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn message_bounds() {
        let st = open_with(AeadAlg::Aes128Gcm, &[0u8; 16], Some(&[0u8; 12])).unwrap();
        assert_eq!(st.check_msg_len(0xF_FFFF_FFE0), Ok(()));
        assert_eq!(st.check_msg_len(0xF_FFFF_FFE1), Err(Error::InvalidLength));
        let st = open_with(AeadAlg::ChaCha20Poly1305, &[0u8; 32], Some(&[0u8; 12])).unwrap();
        assert_eq!(st.check_msg_len(0x3F_FFFF_FFC0), Ok(()));
        assert_eq!(st.check_msg_len(0x3F_FFFF_FFC1), Err(Error::InvalidLength));
        let mut st = open_with(AeadAlg::Aes128Gcm, &[0u8; 16], Some(&[0u8; 12])).unwrap();
        st.ad_len = GCM_MAX_AD - 1;
        assert_eq!(
            st.absorb(b"a", &Limits::of(&crate::Config::default())),
            Ok(())
        );
        assert_eq!(
            st.absorb(b"a", &Limits::of(&crate::Config::default())),
            Err(Error::Overflow),
            "past GCM's AD bound"
        );
        let mut st = open_with(AeadAlg::ChaCha20Poly1305, &[0u8; 32], Some(&[0u8; 12])).unwrap();
        st.ad_len = u64::MAX;
        assert_eq!(
            st.absorb(b"a", &Limits::of(&crate::Config::default())),
            Err(Error::Overflow)
        );
    }

    #[test]
    fn gcm_counter_blocks() {
        assert_eq!(
            counter_block(&[0xab; 12], 0x0102_0304).as_slice(),
            hex("abababababababababababab01020304")
        );
    }
}
