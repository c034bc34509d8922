//! Guest linear memory as `&mut [u8]`: every pointer/length pair becomes a checked [`Span`]
//! before anything is read or written, so a bad pointer is `guest_error` with no side effect.

use alloc::vec::Vec;

use crate::errno::{Error, Result};

/// A checked range of linear memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

impl Span {
    pub(crate) fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The low 32 bits of an argument: how every `i32` parameter is passed (as Wasm's own raw
/// values are).
#[inline]
pub(crate) fn lo32(v: u64) -> u32 {
    // Truncation intended: i32 parameters travel zero-extended in a u64.
    (v & 0xffff_ffff) as u32
}

#[inline]
fn usize_of(v: u32) -> Result<usize> {
    usize::try_from(v).map_err(|_| Error::GuestError)
}

/// `ptr..ptr+len` inside memory of `mem_len` bytes, or `guest_error`.
#[inline]
pub(crate) fn span(mem_len: usize, ptr: u64, len: u64) -> Result<Span> {
    let start = usize_of(lo32(ptr))?;
    let len = usize_of(lo32(len))?;
    let end = start.checked_add(len).ok_or(Error::GuestError)?;
    if end > mem_len {
        return Err(Error::GuestError);
    }
    Ok(Span { start, end })
}

/// An out-pointer for a value of `size` bytes.
#[inline]
pub(crate) fn out(mem_len: usize, ptr: u64, size: u64) -> Result<Span> {
    span(mem_len, ptr, size)
}

#[inline]
pub(crate) fn read(mem: &[u8], s: Span) -> Result<&[u8]> {
    mem.get(s.start..s.end).ok_or(Error::GuestError)
}

#[inline]
pub(crate) fn write(mem: &mut [u8], s: Span) -> Result<&mut [u8]> {
    mem.get_mut(s.start..s.end).ok_or(Error::GuestError)
}

#[inline]
pub(crate) fn put_u32(mem: &mut [u8], s: Span, v: u32) -> Result<()> {
    write(mem, s)?.copy_from_slice(&v.to_le_bytes());
    Ok(())
}

#[inline]
pub(crate) fn put_u64(mem: &mut [u8], s: Span, v: u64) -> Result<()> {
    write(mem, s)?.copy_from_slice(&v.to_le_bytes());
    Ok(())
}

/// Writes a `size` output (u32) after checking it fits.
#[inline]
pub(crate) fn put_size(mem: &mut [u8], s: Span, v: usize) -> Result<()> {
    put_u32(mem, s, u32::try_from(v).map_err(|_| Error::Overflow)?)
}

/// Decodes an `opt_options`/`opt_symmetric_key` union: 8 bytes, u8 tag at 0 (0 = some,
/// 1 = none), u32 handle at 4. Any other tag: `guest_error`.
#[inline]
pub(crate) fn opt_handle(mem: &[u8], ptr: u64) -> Result<Option<u32>> {
    let s = span(mem.len(), ptr, 8)?;
    let b = read(mem, s)?;
    let (tag, handle) = match (b.first(), b.get(4..8)) {
        (Some(t), Some(h)) => (*t, h),
        _ => return Err(Error::GuestError),
    };
    let mut raw = [0u8; 4];
    raw.copy_from_slice(handle);
    match tag {
        0 => Ok(Some(u32::from_le_bytes(raw))),
        1 => Ok(None),
        _ => Err(Error::GuestError),
    }
}

/// A short name copied out of guest memory, so it can be used while an output span of the same
/// memory is borrowed. Longer names than any known one become a name that matches nothing.
pub(crate) struct Name {
    buf: [u8; 64],
    len: usize,
}

impl Name {
    pub(crate) fn copy(mem: &[u8], s: Span) -> Result<Self> {
        let src = read(mem, s)?;
        let mut buf = [0u8; 64];
        match buf.get_mut(..src.len()) {
            Some(dst) => {
                dst.copy_from_slice(src);
                Ok(Name {
                    buf,
                    len: src.len(),
                })
            }
            // 0xff is never part of a valid name.
            None => Ok(Name {
                buf: [0xff; 64],
                len: 1,
            }),
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

/// Runs `f(out, input)` on an output span and an input span of the same memory. When they
/// overlap, the input is copied first, so results are as if all input was read before any
/// output was written (the spec allows overlapping buffers). The copy must fit `room`, the
/// context's remaining budget (else `overflow`, nothing done).
#[inline]
pub(crate) fn with_in_out<R>(
    mem: &mut [u8],
    out: Span,
    input: Span,
    room: usize,
    f: impl FnOnce(&mut [u8], &[u8]) -> Result<R>,
) -> Result<R> {
    if out.overlaps(input) {
        if input.len() > room {
            return Err(Error::Overflow);
        }
        let mut copy = Vec::new();
        copy.try_reserve_exact(input.len())
            .map_err(|_| Error::Overflow)?;
        copy.extend_from_slice(read(mem, input)?);
        let r = f(write(mem, out)?, &copy);
        zeroize::Zeroize::zeroize(&mut copy);
        r
    } else if out.start >= input.end {
        let (lo, hi) = mem.split_at_mut(out.start);
        let input = lo.get(input.start..input.end).ok_or(Error::GuestError)?;
        let out = hi.get_mut(..out.len()).ok_or(Error::GuestError)?;
        f(out, input)
    } else {
        let (lo, hi) = mem.split_at_mut(input.start);
        let out = lo.get_mut(out.start..out.end).ok_or(Error::GuestError)?;
        let input = hi.get(..input.len()).ok_or(Error::GuestError)?;
        f(out, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_checked() {
        assert!(span(16, 0, 16).is_ok());
        assert!(span(16, 16, 0).is_ok());
        assert_eq!(span(16, 17, 0), Err(Error::GuestError));
        assert_eq!(span(16, 1, 16), Err(Error::GuestError));
        assert_eq!(span(16, 0xffff_ffff, 2), Err(Error::GuestError));
        // High bits of an i32 argument are ignored, as Wasm's raw values do.
        assert_eq!(span(16, 0xdead_0000_0000_0004, 4).unwrap().len(), 4);
    }

    #[test]
    fn union_tags() {
        let mut m = [0u8; 12];
        m[4..8].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(opt_handle(&m, 0), Ok(Some(7)));
        m[0] = 1;
        assert_eq!(opt_handle(&m, 0), Ok(None));
        m[0] = 2;
        assert_eq!(opt_handle(&m, 0), Err(Error::GuestError));
        assert_eq!(opt_handle(&m, 5), Err(Error::GuestError));
    }

    #[test]
    fn overlapping_in_out() {
        let mut m: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
        let out = span(8, 2, 4).unwrap();
        let inp = span(8, 0, 4).unwrap();
        with_in_out(&mut m, out, inp, usize::MAX, |o, i| {
            o.copy_from_slice(i);
            Ok(())
        })
        .unwrap();
        assert_eq!(m, [1, 2, 1, 2, 3, 4, 7, 8]);
        let mut m: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
        with_in_out(
            &mut m,
            span(8, 0, 2).unwrap(),
            span(8, 4, 2).unwrap(),
            0,
            |o, i| {
                o.copy_from_slice(i);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(m, [5, 6, 3, 4, 5, 6, 7, 8]);
        // An overlapping copy must fit the budget's room: one byte short is `overflow`, and
        // nothing is written.
        let mut m: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
        let r = with_in_out(
            &mut m,
            span(8, 0, 4).unwrap(),
            span(8, 0, 4).unwrap(),
            3,
            |o, i| {
                o.copy_from_slice(i);
                Ok(())
            },
        );
        assert_eq!(r, Err(Error::Overflow));
        assert_eq!(m, [1, 2, 3, 4, 5, 6, 7, 8]);
    }
}
