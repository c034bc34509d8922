//! XOODYAK-128: the Cyclist mode over the Xoodoo\[12\] permutation, as specified in "Xoodyak, a
//! lightweight cryptographic scheme" (Daemen, Hoffert, Mella, Peeters, Van Assche, Van Keer;
//! NIST LWC round 3 finalist). One algorithm name, two modes:
//!
//! - **keyed** (a 16-byte key given at open): `Cyclist(K, ID = nonce, counter = ε)`, i.e.
//!   `AbsorbKey(K ‖ ID ‖ enc8(|ID|))` with the nonce option as the Cyclist ID — the round-3
//!   LWC AEAD is `Cyclist(K, N, ε) · Absorb(AD) · Encrypt(P) · Squeeze(16)`;
//! - **unkeyed** (hash mode, no key): `Cyclist(ε, ε, ε)`; the LWC hash is
//!   `Absorb(M) · Squeeze(32)`.
//!
//! # Operations (the set the spec's "Session authenticated modes" asks implementers to document)
//!
//! | operation                       | keyed                                  | unkeyed             |
//! | ------------------------------- | -------------------------------------- | ------------------- |
//! | `absorb`                        | Cyclist `Absorb` (one per call)        | same                |
//! | `squeeze`                       | Cyclist `Squeeze` (any length)         | same                |
//! | `squeeze_tag`                   | `Squeeze(16)` as a tag                 | `invalid_operation` |
//! | `squeeze_key("XOODYAK-128")`    | `SqueezeKey(16)`                       | `invalid_operation` |
//! | `ratchet`                       | Cyclist `Ratchet`                      | `invalid_operation` |
//! | `max_tag_len`                   | 16                                     | `invalid_operation` |
//! | `encrypt`, `encrypt_detached`   | `Encrypt(P)` then `Squeeze(16)` as tag; `nonce_required` without a nonce | `invalid_operation` |
//! | `decrypt`, `decrypt_detached`   | `Decrypt(C)`, `Squeeze(16)`, verify    | `invalid_operation` |
//! | `clone`                         | `prohibited_operation`                 | deep copy           |
//!
//! Choices where the spec leaves room:
//!
//! - Every call is one step of the transcript: two `absorb` calls are `Absorb(X) · Absorb(Y)`,
//!   not `Absorb(X ‖ Y)` (Cyclist frames each absorb), and `squeeze` is *not* idempotent:
//!   repeated squeezes continue the output (the spec's XOF rule "repeated calls to `squeeze()`
//!   MUST produce different outputs"). Nothing is buffered; every input is processed at once.
//! - Unkeyed `squeeze_tag` is `invalid_operation`, as for the SHA-2 hashes: a tag here means
//!   authentication, and an unkeyed state authenticates nothing (use `squeeze` for a digest).
//! - Several `encrypt` calls on one keyed state are allowed: each advances the transcript, so
//!   no keystream is ever reused. Cloning a keyed state would fork the transcript (two
//!   messages under one keystream), so it is `prohibited_operation`.
//! - The `nonce` option is optional at open (no nonce is generated, since both peers must agree
//!   on the ID), but a keyed state opened without one may not encrypt: `encrypt` and
//!   `encrypt_detached` answer `nonce_required`, checked before anything else is looked at
//!   (after `invalid_operation` in hash mode and `prohibited_operation` once failed), so
//!   nothing is written and the transcript does not move. Without an ID, two states opened under
//!   one key start from the same Cyclist state and would encrypt two messages under one
//!   keystream. Such a state may still `absorb`, `squeeze`, `squeeze_tag`, `squeeze_key`,
//!   `ratchet` and `decrypt*` (a MAC, a KDF, or the receiving side of a session whose sender
//!   is another implementation). An empty nonce is a nonce the guest chose and set; it allows
//!   encryption (the ID is then ε, as in the LWC AEAD with an empty nonce).
//!   AbsorbKey requires `|K| + |ID| ≤ Rkin − 1`, so with the 16-byte key the nonce has at most
//!   27 bytes; longer: `invalid_nonce`. A nonce given to an unkeyed state, where Cyclist
//!   ignores the ID, is `invalid_nonce` too rather than silently dropped.
//! - Decryption writes the plaintext, then checks the tag in constant time (`subtle`). On a
//!   mismatch the whole output is zeroed, the Cyclist state is wiped and the state is
//!   *failed*: every later operation that would touch the transcript (`absorb`, `squeeze*`,
//!   `ratchet`, `encrypt*`, `decrypt*`) is `prohibited_operation`, so nothing derived from a
//!   forged transcript ever leaves the host and a state allows one forgery attempt. Malformed
//!   input detected before any processing (a detached tag of the wrong length, a ciphertext
//!   shorter than a tag) is `invalid_tag` too, with the output zeroed, but leaves the state as
//!   it was. Wrong output sizes are `overflow` (too small) / `invalid_length` (too large) and
//!   change nothing.
//!
//! The permutation has no secret-dependent branches or indexing; every secret buffer (state,
//! key block, squeezed tags and ratchet bytes) is zeroized after use or on drop.

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::{Family, KeyRule, OpenEnv, StateOps, SymmetricAlgorithm};
use crate::budget::Limits;
use crate::errno::{Error, Result};
use crate::options::OptionName;
use crate::secret::SecretBytes;

/// The algorithms of this family.
pub(crate) static ALL: &[&SymmetricAlgorithm] = &[&XOODYAK_128];

pub(crate) static XOODYAK_128: SymmetricAlgorithm = SymmetricAlgorithm {
    name: "XOODYAK-128",
    key: KeyRule::Optional { len: KEY_LEN },
    family: Family::Xoodyak,
    options: &[OptionName::Nonce],
};

/// Key length of XOODYAK-128 (also the length of generated and squeezed keys).
const KEY_LEN: usize = 16;
/// Tag length of the AEAD use (`max_tag_len`, `squeeze_tag`).
const TAG_LEN: usize = 16;
/// Width of the Xoodoo state, b' in bytes.
const STATE_LEN: usize = 48;
/// Hash-mode absorb and squeeze rate.
const R_HASH: usize = 16;
/// Keyed-mode absorb rate.
const R_KIN: usize = 44;
/// Keyed-mode squeeze (and crypt) rate.
const R_KOUT: usize = 24;
/// Length of the value squeezed and re-absorbed by `Ratchet`.
const L_RATCHET: usize = 16;
/// Longest Cyclist ID with a 16-byte key: AbsorbKey requires `|K| + |ID| ≤ Rkin − 1`.
const MAX_ID_LEN: usize = R_KIN - 1 - KEY_LEN;

// Colors (domain-separation bytes) of the Cyclist calls.
const C_ZERO: u8 = 0x00;
const C_ABSORB_KEY: u8 = 0x02;
const C_ABSORB: u8 = 0x03;
const C_RATCHET: u8 = 0x10;
const C_SQUEEZE_KEY: u8 = 0x20;
const C_SQUEEZE: u8 = 0x40;
const C_CRYPT: u8 = 0x80;

/// The Xoodoo\[12\] permutation on a 48-byte state of 12 little-endian 32-bit lanes
/// (lane `x + 4y` is column `x` of plane `y`). Straight-line lane arithmetic only: no branch
/// and no table index depends on the state.
mod xoodoo {
    use zeroize::Zeroize;

    /// Round constants of Xoodoo\[12\], rounds −11 to 0.
    const ROUND_CONSTANTS: [u32; 12] = [
        0x0000_0058,
        0x0000_0038,
        0x0000_03C0,
        0x0000_00D0,
        0x0000_0120,
        0x0000_0014,
        0x0000_0060,
        0x0000_002C,
        0x0000_0380,
        0x0000_00F0,
        0x0000_01A0,
        0x0000_0012,
    ];

    type Plane = [u32; 4];

    /// Lane-wise combination of two planes.
    #[inline(always)]
    fn zip(a: Plane, b: Plane, f: impl Fn(u32, u32) -> u32) -> Plane {
        let [a0, a1, a2, a3] = a;
        let [b0, b1, b2, b3] = b;
        [f(a0, b0), f(a1, b1), f(a2, b2), f(a3, b3)]
    }

    #[inline(always)]
    fn xor(a: Plane, b: Plane) -> Plane {
        zip(a, b, |x, y| x ^ y)
    }

    /// `!a & b`, the χ term.
    #[inline(always)]
    fn andn(a: Plane, b: Plane) -> Plane {
        zip(a, b, |x, y| !x & y)
    }

    #[inline(always)]
    fn rotl(p: Plane, v: u32) -> Plane {
        p.map(|x| x.rotate_left(v))
    }

    /// `P <<< (1, 0)`: plane shifted by one column (`P[x] ← P[x − 1]`).
    #[inline(always)]
    fn shift1(p: Plane) -> Plane {
        let [p0, p1, p2, p3] = p;
        [p3, p0, p1, p2]
    }

    /// `P <<< (2, 0)`: plane shifted by two columns.
    #[inline(always)]
    fn shift2(p: Plane) -> Plane {
        let [p0, p1, p2, p3] = p;
        [p2, p3, p0, p1]
    }

    #[inline(always)]
    fn round(planes: [Plane; 3], rc: u32) -> [Plane; 3] {
        let [a0, a1, a2] = planes;
        // θ: column parity folded back with offsets (1, 5) and (1, 14).
        let p = shift1(xor(xor(a0, a1), a2));
        let e = xor(rotl(p, 5), rotl(p, 14));
        let (a0, a1, a2) = (xor(a0, e), xor(a1, e), xor(a2, e));
        // ρ-west.
        let a1 = shift1(a1);
        let a2 = rotl(a2, 11);
        // ι.
        let [x0, x1, x2, x3] = a0;
        let a0 = [x0 ^ rc, x1, x2, x3];
        // χ.
        let b0 = andn(a1, a2);
        let b1 = andn(a2, a0);
        let b2 = andn(a0, a1);
        let (a0, a1, a2) = (xor(a0, b0), xor(a1, b1), xor(a2, b2));
        // ρ-east.
        [a0, rotl(a1, 1), rotl(shift2(a2), 8)]
    }

    /// Applies Xoodoo\[12\] to `state` in place.
    pub(super) fn permute(state: &mut [u8; super::STATE_LEN]) {
        let mut planes = [[0u32; 4]; 3];
        let (words, _) = state.as_chunks::<4>();
        for (lane, w) in planes.iter_mut().flatten().zip(words) {
            *lane = u32::from_le_bytes(*w);
        }
        for rc in ROUND_CONSTANTS {
            planes = round(planes, rc);
        }
        let (words, _) = state.as_chunks_mut::<4>();
        for (w, lane) in words.iter_mut().zip(planes.iter().flatten()) {
            *w = lane.to_le_bytes();
        }
        planes.zeroize();
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn lanes(state: &[u8; 48]) -> [u32; 12] {
            let mut out = [0u32; 12];
            for (o, w) in out.iter_mut().zip(state.as_chunks::<4>().0) {
                *o = u32::from_le_bytes(*w);
            }
            out
        }

        /// Xoodoo[12] of the all-zero state, the XKCP reference value (as quoted by the
        /// `permutation-xoodoo` crate's tests, "XKCP rev 2a8d2311").
        #[test]
        fn zero_state() {
            let mut s = [0u8; 48];
            permute(&mut s);
            assert_eq!(
                lanes(&s),
                [
                    0x89D5_D88D,
                    0xA963_FCBF,
                    0x1B23_2D19,
                    0xFFA5_A014,
                    0x36B1_8106,
                    0xAFC7_C1FE,
                    0xAEE5_7CBE,
                    0xA775_40BD,
                    0x2E86_E870,
                    0xFEF5_B7C9,
                    0x8B4F_ADF2,
                    0x5E4F_4062,
                ]
            );
        }

        /// 384 iterations from the zero state (the XKCP Xoodoo self-test value, as used by
        /// the Swift `Xoodoo` package's tests).
        #[test]
        fn iterated_384_times() {
            let mut s = [0u8; 48];
            for _ in 0..384 {
                permute(&mut s);
            }
            assert_eq!(
                lanes(&s),
                [
                    0xfe04_fab0,
                    0x42d5_d8ce,
                    0x29c6_2ee7,
                    0x2a7a_e5cf,
                    0xea36_eba3,
                    0x1464_9e0a,
                    0xfe12_521b,
                    0xfe2e_ff69,
                    0xf182_6ca5,
                    0xfc4c_41e0,
                    0x1597_394f,
                    0xeb09_2faf,
                ]
            );
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Hash,
    Keyed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Up,
    Down,
}

/// The Cyclist object of Xoodyak. `mode` and `phase` are public facts of the call sequence;
/// only `s` is secret.
struct Cyclist {
    s: [u8; STATE_LEN],
    mode: Mode,
    phase: Phase,
}

impl Drop for Cyclist {
    fn drop(&mut self) {
        self.s.zeroize();
    }
}

impl Cyclist {
    /// `Cyclist(ε, ε, ε)`: hash mode.
    fn hash() -> Self {
        Cyclist {
            s: [0; STATE_LEN],
            mode: Mode::Hash,
            phase: Phase::Up,
        }
    }

    /// `Cyclist(K, ID, ε)` for a non-empty key: `AbsorbKey(K, ID, ε)`.
    fn keyed(key: &[u8], id: &[u8]) -> Result<Self> {
        // |K| + |ID| ≤ Rkin − 1, so K ‖ ID ‖ enc8(|ID|) is one block.
        let len = key
            .len()
            .checked_add(id.len())
            .and_then(|n| n.checked_add(1))
            .filter(|&n| n <= R_KIN && !key.is_empty())
            .ok_or(Error::InternalError)?;
        let id_len = u8::try_from(id.len()).map_err(|_| Error::InternalError)?;
        let mut kid = [0u8; R_KIN];
        for (d, b) in kid
            .iter_mut()
            .zip(key.iter().chain(id).chain(core::iter::once(&id_len)))
        {
            *d = *b;
        }
        let mut c = Self::hash();
        c.mode = Mode::Keyed;
        c.absorb_any(kid.get(..len).unwrap_or(&[]), R_KIN, C_ABSORB_KEY);
        kid.zeroize();
        Ok(c)
    }

    fn absorb_rate(&self) -> usize {
        match self.mode {
            Mode::Hash => R_HASH,
            Mode::Keyed => R_KIN,
        }
    }

    fn squeeze_rate(&self) -> usize {
        match self.mode {
            Mode::Hash => R_HASH,
            Mode::Keyed => R_KOUT,
        }
    }

    /// `Up(cU)`: adds the color (keyed mode), permutes. The caller reads the output from `s`.
    fn up(&mut self, cu: u8) {
        if self.mode == Mode::Keyed
            && let Some(last) = self.s.last_mut()
        {
            *last ^= cu;
        }
        xoodoo::permute(&mut self.s);
        self.phase = Phase::Up;
    }

    /// `Down(X, cD)`: adds `X ‖ 0x01 ‖ 0* ‖ cD` (hash mode: `cD & 0x01`). `X` is at most a rate.
    fn down(&mut self, block: &[u8], cd: u8) {
        for (s, b) in self.s.iter_mut().zip(block) {
            *s ^= b;
        }
        if let Some(pad) = self.s.get_mut(block.len()) {
            *pad ^= 0x01;
        }
        let cd = match self.mode {
            Mode::Hash => cd & 0x01,
            Mode::Keyed => cd,
        };
        if let Some(last) = self.s.last_mut() {
            *last ^= cd;
        }
        self.phase = Phase::Down;
    }

    /// `AbsorbAny(X, r, cD)`: `X` split in blocks of `r` bytes, at least one (maybe empty).
    fn absorb_any(&mut self, x: &[u8], rate: usize, cd: u8) {
        let mut blocks = x.chunks(rate);
        let first = blocks.next().unwrap_or(&[]);
        self.absorb_block(first, cd);
        for block in blocks {
            self.absorb_block(block, C_ZERO);
        }
    }

    fn absorb_block(&mut self, block: &[u8], cd: u8) {
        if self.phase != Phase::Up {
            self.up(C_ZERO);
        }
        self.down(block, cd);
    }

    /// `SqueezeAny(ℓ, cU)` into `out` (`ℓ = out.len()`; an empty `out` still runs one `Up`).
    fn squeeze_any(&mut self, out: &mut [u8], cu: u8) {
        let rate = self.squeeze_rate();
        let mut blocks = out.chunks_mut(rate);
        self.up(cu);
        if let Some(first) = blocks.next() {
            self.copy_out(first);
        }
        for block in blocks {
            self.down(&[], C_ZERO);
            self.up(C_ZERO);
            self.copy_out(block);
        }
    }

    fn copy_out(&self, out: &mut [u8]) {
        for (o, s) in out.iter_mut().zip(self.s.iter()) {
            *o = *s;
        }
    }

    /// `Crypt(I, decrypt)` from `input` into `out` (same length, checked by the caller).
    fn crypt(&mut self, input: &[u8], out: &mut [u8], decrypt: bool) {
        if input.is_empty() {
            // Split(ε) is one empty block.
            self.up(C_CRYPT);
            self.down(&[], C_ZERO);
            return;
        }
        let mut cu = C_CRYPT;
        for (inp, outp) in input.chunks(R_KOUT).zip(out.chunks_mut(R_KOUT)) {
            self.up(cu);
            cu = C_ZERO;
            for ((o, i), s) in outp.iter_mut().zip(inp).zip(self.s.iter()) {
                *o = i ^ s;
            }
            // The plaintext goes down: the input when encrypting, the output when decrypting.
            self.down(if decrypt { outp } else { inp }, C_ZERO);
        }
    }

    fn absorb(&mut self, x: &[u8]) {
        self.absorb_any(x, self.absorb_rate(), C_ABSORB);
    }

    fn squeeze(&mut self, out: &mut [u8]) {
        self.squeeze_any(out, C_SQUEEZE);
    }

    /// Keyed mode only (checked by the caller).
    fn squeeze_key(&mut self, out: &mut [u8]) {
        self.squeeze_any(out, C_SQUEEZE_KEY);
    }

    /// Keyed mode only (checked by the caller).
    fn ratchet(&mut self) {
        let mut r = [0u8; L_RATCHET];
        self.squeeze_any(&mut r, C_RATCHET);
        self.absorb_any(&r, self.absorb_rate(), C_ZERO);
        r.zeroize();
    }

    /// A deep copy (hash mode only; the caller refuses keyed states).
    fn duplicate(&self) -> Self {
        Cyclist {
            s: self.s,
            mode: self.mode,
            phase: self.phase,
        }
    }
}

/// An open XOODYAK-128 state.
pub(crate) struct XoodyakState {
    cyclist: Cyclist,
    /// The nonce (Cyclist ID) given at open, for `option(nonce)`; `None` if none was set.
    nonce: Option<([u8; MAX_ID_LEN], usize)>,
    /// Set by a tag mismatch: the Cyclist state is wiped and the transcript is dead.
    failed: bool,
}

impl Drop for XoodyakState {
    fn drop(&mut self) {
        if let Some((n, _)) = &mut self.nonce {
            n.zeroize();
        }
    }
}

impl XoodyakState {
    /// Opens a keyed state (16-byte `key`) or a hash-mode one (no key), reading the `nonce`
    /// option as the Cyclist ID.
    pub(crate) fn open(key: Option<&[u8]>, env: &mut OpenEnv<'_>) -> Result<Self> {
        let nonce = match env.options.map(|o| o.get(OptionName::Nonce)) {
            None | Some(Err(Error::OptionNotSet)) => None,
            Some(Err(e)) => return Err(e),
            Some(Ok(n)) => Some(n),
        };
        let (cyclist, nonce) = match key {
            None => {
                if nonce.is_some() {
                    // Hash mode has no ID: refuse rather than ignore a nonce.
                    return Err(Error::InvalidNonce);
                }
                (Cyclist::hash(), None)
            }
            Some(k) => {
                if k.len() != KEY_LEN {
                    return Err(Error::InvalidKey);
                }
                let stored = match nonce {
                    None => None,
                    Some(n) => {
                        let mut buf = [0u8; MAX_ID_LEN];
                        buf.get_mut(..n.len())
                            .ok_or(Error::InvalidNonce)?
                            .copy_from_slice(n);
                        Some((buf, n.len()))
                    }
                };
                (Cyclist::keyed(k, nonce.unwrap_or(&[]))?, stored)
            }
        };
        Ok(XoodyakState {
            cyclist,
            nonce,
            failed: false,
        })
    }

    /// The Cyclist state, unless a failed decryption killed the transcript.
    fn live(&mut self) -> Result<&mut Cyclist> {
        if self.failed {
            Err(Error::ProhibitedOperation)
        } else {
            Ok(&mut self.cyclist)
        }
    }

    /// The Cyclist state for a keyed-only operation: `invalid_operation` in hash mode.
    fn keyed(&mut self) -> Result<&mut Cyclist> {
        if self.cyclist.mode != Mode::Keyed {
            return Err(Error::InvalidOperation);
        }
        self.live()
    }

    /// The Cyclist state for `encrypt*`: as [`keyed`](Self::keyed), and `nonce_required` when
    /// the state was opened without a `nonce` option. Without an ID, every state opened under
    /// one key starts from the same Cyclist state, so two of them would encrypt under one
    /// keystream; with a nonce, reuse is the guest's explicit choice of a repeated nonce.
    fn encrypting(&mut self) -> Result<&mut Cyclist> {
        if self.cyclist.mode == Mode::Keyed && !self.failed && self.nonce.is_none() {
            return Err(Error::NonceRequired);
        }
        self.keyed()
    }

    /// Kills the transcript after a tag mismatch.
    fn fail(&mut self) {
        self.cyclist.s.zeroize();
        self.failed = true;
    }

    /// Decrypts `ct` into `out` (same length) and checks `tag`; on a mismatch zeroes `out`
    /// and fails the state.
    fn open_sealed(&mut self, out: &mut [u8], ct: &[u8], tag: &[u8]) -> Result<()> {
        let c = self.keyed()?;
        c.crypt(ct, out, true);
        let mut expected = [0u8; TAG_LEN];
        c.squeeze(&mut expected);
        let ok = bool::from(expected.as_slice().ct_eq(tag));
        expected.zeroize();
        if ok {
            Ok(())
        } else {
            out.zeroize();
            self.fail();
            Err(Error::InvalidTag)
        }
    }
}

/// `overflow` when `out` is shorter than `want`, `invalid_length` when longer.
fn check_out(out: &[u8], want: usize) -> Result<()> {
    match out.len().cmp(&want) {
        core::cmp::Ordering::Less => Err(Error::Overflow),
        core::cmp::Ordering::Greater => Err(Error::InvalidLength),
        core::cmp::Ordering::Equal => Ok(()),
    }
}

impl StateOps for XoodyakState {
    fn absorb(&mut self, data: &[u8], _limits: &Limits) -> Result<()> {
        self.live()?.absorb(data);
        Ok(())
    }

    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        self.live()?.squeeze(out);
        Ok(())
    }

    fn squeeze_tag(&mut self) -> Result<SecretBytes> {
        let c = self.keyed()?;
        let mut tag = [0u8; TAG_LEN];
        c.squeeze(&mut tag);
        let r = SecretBytes::copy_from(&tag);
        tag.zeroize();
        r
    }

    fn squeeze_key(&mut self, target: Result<&'static SymmetricAlgorithm>) -> Result<SecretBytes> {
        let c = self.keyed()?;
        if !core::ptr::eq(target?, &XOODYAK_128) {
            return Err(Error::UnsupportedAlgorithm);
        }
        let mut key = [0u8; KEY_LEN];
        c.squeeze_key(&mut key);
        let r = SecretBytes::copy_from(&key);
        key.zeroize();
        r
    }

    fn max_tag_len(&self) -> Result<usize> {
        match self.cyclist.mode {
            Mode::Keyed => Ok(TAG_LEN),
            Mode::Hash => Err(Error::InvalidOperation),
        }
    }

    fn encrypt(&mut self, out: &mut [u8], data: &[u8]) -> Result<usize> {
        let c = self.encrypting()?;
        let want = data.len().checked_add(TAG_LEN).ok_or(Error::Overflow)?;
        check_out(out, want)?;
        let (ct, tag) = out
            .split_at_mut_checked(data.len())
            .ok_or(Error::InternalError)?;
        c.crypt(data, ct, false);
        c.squeeze(tag);
        Ok(want)
    }

    fn encrypt_detached(&mut self, out: &mut [u8], data: &[u8]) -> Result<SecretBytes> {
        let c = self.encrypting()?;
        check_out(out, data.len())?;
        c.crypt(data, out, false);
        let mut tag = [0u8; TAG_LEN];
        c.squeeze(&mut tag);
        let r = SecretBytes::copy_from(&tag);
        tag.zeroize();
        r
    }

    fn decrypt(&mut self, out: &mut [u8], data: &[u8]) -> Result<usize> {
        self.keyed()?;
        let Some(ct_len) = data.len().checked_sub(TAG_LEN) else {
            // Too short to hold a tag: cannot verify; nothing processed.
            out.zeroize();
            return Err(Error::InvalidTag);
        };
        check_out(out, ct_len)?;
        let (ct, tag) = data.split_at_checked(ct_len).ok_or(Error::InternalError)?;
        self.open_sealed(out, ct, tag)?;
        Ok(ct_len)
    }

    fn decrypt_detached(&mut self, out: &mut [u8], data: &[u8], tag: &[u8]) -> Result<usize> {
        self.keyed()?;
        check_out(out, data.len())?;
        if tag.len() != TAG_LEN {
            out.zeroize();
            return Err(Error::InvalidTag);
        }
        self.open_sealed(out, data, tag)?;
        Ok(data.len())
    }

    fn ratchet(&mut self) -> Result<()> {
        self.keyed()?.ratchet();
        Ok(())
    }

    fn option(&self, name: OptionName) -> Result<&[u8]> {
        if name != OptionName::Nonce {
            return Err(Error::UnsupportedOption);
        }
        self.nonce
            .as_ref()
            .and_then(|(n, len)| n.get(..*len))
            .ok_or(Error::OptionNotSet)
    }

    fn try_clone(&self) -> Result<Self> {
        match self.cyclist.mode {
            // Two copies could encrypt two messages under one keystream.
            Mode::Keyed => Err(Error::ProhibitedOperation),
            Mode::Hash => Ok(XoodyakState {
                cyclist: self.cyclist.duplicate(),
                nonce: None,
                failed: self.failed,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symmetric::hex;
    use alloc::vec;
    use alloc::vec::Vec;

    fn pattern(n: usize) -> Vec<u8> {
        (0..n).map(|i| i as u8).collect()
    }

    fn keyed() -> Cyclist {
        Cyclist::keyed(&pattern(16), &pattern(16)).unwrap()
    }

    fn aead(pt: &[u8], ad: &[u8]) -> Vec<u8> {
        let mut c = keyed();
        c.absorb(ad);
        let mut out = vec![0u8; pt.len() + TAG_LEN];
        let (ct, tag) = out.split_at_mut(pt.len());
        c.crypt(pt, ct, false);
        c.squeeze(tag);
        out
    }

    fn hash(msg: &[u8]) -> Vec<u8> {
        let mut c = Cyclist::hash();
        c.absorb(msg);
        let mut out = vec![0u8; 32];
        c.squeeze(&mut out);
        out
    }

    // A few cases of the NIST LWC round-3 KATs (LWC_AEAD_KAT_128_128.txt Count 1, 2, and
    // LWC_HASH_KAT_256.txt Count 1, 2, 3); the full sets run in testvectors/tests/xoodyak_kats.rs.
    #[test]
    fn lwc_kat_samples() {
        assert_eq!(aead(&[], &[]), hex("4968DC9C714B06A98D1905C6447B4939"));
        assert_eq!(aead(&[], &[0]), hex("25966DD6AF69A7AA336D13DD35E9DC64"));
        assert_eq!(
            hash(&[]),
            hex("EA152F2B47BCE24EFB66C479D4ADF17BD324D806E85FF75EE369EE50DC8F8BD1")
        );
        assert_eq!(
            hash(&[0]),
            hex("27921F8DDF392894460B70B3ED6C091E6421B7D2147DCD6031D7EFEBAD3030CC")
        );
        assert_eq!(
            hash(&[0, 1]),
            hex("DD3F12E89DB41C61D3C05779705FA946A8C69C79EEFDC1B4A966A5F1AB35073D")
        );
    }

    #[test]
    fn decrypt_inverts_encrypt_across_block_boundaries() {
        for n in [0, 1, 23, 24, 25, 47, 48, 49, 100] {
            let pt = pattern(n);
            let sealed = aead(&pt, b"ad");
            let mut c = keyed();
            c.absorb(b"ad");
            let mut back = vec![0u8; n];
            c.crypt(&sealed[..n], &mut back, true);
            let mut tag = [0u8; TAG_LEN];
            c.squeeze(&mut tag);
            assert_eq!(back, pt, "{n}");
            assert_eq!(tag, sealed[n..], "{n}");
        }
    }

    #[test]
    fn squeeze_continues_and_splits_consistently() {
        let mut a = keyed();
        let mut one = [0u8; 60];
        a.squeeze(&mut one);
        // A shorter squeeze is a prefix of a longer one (SqueezeAny), but a second squeeze is
        // a new Squeeze call (its own Up with the color), not the continuation of the first.
        let mut b = keyed();
        let (mut x, mut y) = ([0u8; 30], [0u8; 30]);
        b.squeeze(&mut x);
        b.squeeze(&mut y);
        assert_ne!(x, y);
        assert_eq!(one[..30], x[..]);
        assert_ne!(one[30..], y[..]);
    }

    #[test]
    fn ratchet_and_squeeze_key_change_the_transcript() {
        let mut a = keyed();
        let mut b = keyed();
        b.ratchet();
        let (mut x, mut y) = ([0u8; 16], [0u8; 16]);
        a.squeeze(&mut x);
        b.squeeze(&mut y);
        assert_ne!(x, y);
        let (mut k1, mut k2) = ([0u8; 16], [0u8; 16]);
        keyed().squeeze_key(&mut k1);
        keyed().squeeze(&mut k2);
        assert_ne!(k1, k2, "squeeze_key has its own color");
    }

    #[test]
    fn longest_id_fits_and_id_is_bound() {
        assert!(Cyclist::keyed(&pattern(16), &pattern(MAX_ID_LEN)).is_ok());
        assert!(Cyclist::keyed(&pattern(16), &pattern(MAX_ID_LEN + 1)).is_err());
        let mut a = Cyclist::keyed(&pattern(16), &[]).unwrap();
        let mut b = Cyclist::keyed(&pattern(16), &[0]).unwrap();
        let (mut x, mut y) = ([0u8; 16], [0u8; 16]);
        a.squeeze(&mut x);
        b.squeeze(&mut y);
        assert_ne!(x, y);
    }

    #[test]
    fn failed_state_refuses_everything_and_is_wiped() {
        let mut st = XoodyakState {
            cyclist: keyed(),
            nonce: None,
            failed: false,
        };
        let mut out = [0xaau8; 4];
        assert_eq!(st.decrypt(&mut out, &[0u8; 20]), Err(Error::InvalidTag));
        assert_eq!(out, [0u8; 4]);
        assert_eq!(st.cyclist.s, [0u8; STATE_LEN]);
        let cfg = Limits::of(&crate::Config::default());
        assert_eq!(st.absorb(b"x", &cfg), Err(Error::ProhibitedOperation));
        assert_eq!(st.squeeze(&mut [0u8; 4]), Err(Error::ProhibitedOperation));
        assert_eq!(st.ratchet(), Err(Error::ProhibitedOperation));
        assert_eq!(
            st.encrypt(&mut [0u8; 16], &[]).map(|_| ()),
            Err(Error::ProhibitedOperation)
        );
        assert_eq!(st.max_tag_len(), Ok(TAG_LEN));
    }

    #[test]
    fn hash_state_is_small_enough() {
        assert!(core::mem::size_of::<XoodyakState>() <= 128);
    }
}
