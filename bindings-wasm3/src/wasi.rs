//! WASI preview 1 for the runner, per instance, over the names of wasm3's built-in list.
//!
//! wasm3's own implementation (`m3_LinkWASI`) is not used: it keeps argv and the exit code in
//! process-wide globals, acts on host descriptors with the guest's numbers, and opens two
//! descriptors on the host's working directory at every call without closing the previous
//! ones (a leak of two descriptors per instance in a long-running host). Here:
//!
//! - `args_get`, `args_sizes_get`, `proc_exit`: argv and the exit status live in the instance.
//! - `fd_write`, `fd_read`: stdout captured into a buffer or passed to the host's, stdin fed
//!   from a buffer or the host's, stderr passed through; any other descriptor is `badf`.
//! - `fd_close` closes the guest's view of 0–2; `fd_fdstat_get` describes them (character
//!   devices, read or write rights).
//! - `fd_seek`, `fd_datasync`, `fd_fdstat_set_flags`, `fd_prestat_get`,
//!   `fd_prestat_dir_name`, `path_open`: the runner grants no files (like the Wasmtime
//!   runner), so these are `badf`.
//! - `clock_time_get`, `clock_res_get`: the realtime and monotonic clocks (nanoseconds); the
//!   CPU-time clocks are `inval`.
//! - `environ_get`, `environ_sizes_get`: an empty environment. `sched_yield`: a no-op.
//! - `random_get` is the core's, linked by [`Instance::link_random_get`].

use std::ffi::c_void;
use std::io::{Read, Write};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use wasm3x_sys as sys;

use crate::{Error, Instance, RawFn, State, guarded, memory, set_result, signature, slot};
use wasmcrypt_core::abi::{ValType, WASI_EFAULT, WASI_PREVIEW1};

/// Every `wasi_snapshot_preview1` function the runner provides: wasm3's list.
pub(crate) const PREVIEW1: &[&str] = &[
    "args_get",
    "args_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "environ_get",
    "environ_sizes_get",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_read",
    "fd_seek",
    "fd_write",
    "path_open",
    "proc_exit",
    "random_get",
    "sched_yield",
];

const BADF: i32 = 8;
const INVAL: i32 = 28;
const EIO: i32 = 29;
const FAULT: i32 = WASI_EFAULT;

/// The most a guest may write to a captured stdout (as the Wasmtime runner's pipe).
const CAPTURE_LIMIT: usize = 256 * 1024 * 1024;

/// Per-instance WASI state.
#[derive(Debug, Default)]
pub(crate) struct Wasi {
    /// argv, without the NULs.
    pub(crate) args: Vec<Vec<u8>>,
    /// `Some`: stdout is captured here; `None`: it goes to the host's.
    pub(crate) stdout: Option<Vec<u8>>,
    /// `Some`: stdin is read from here (and the read position); `None`: from the host's.
    pub(crate) stdin: Option<(Vec<u8>, usize)>,
    /// Which of 0, 1, 2 the guest closed.
    closed: [bool; 3],
    /// The status passed to `proc_exit`.
    pub(crate) exit: Option<u32>,
}

fn get_u32(mem: &[u8], at: u32) -> Option<u32> {
    let at = usize::try_from(at).ok()?;
    let b = mem.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

fn put_u32(mem: &mut [u8], at: u32, v: u32) -> Option<()> {
    put_bytes(mem, at, &v.to_le_bytes())
}

fn put_bytes(mem: &mut [u8], at: u32, bytes: &[u8]) -> Option<()> {
    let at = usize::try_from(at).ok()?;
    mem.get_mut(at..at.checked_add(bytes.len())?)?
        .copy_from_slice(bytes);
    Some(())
}

/// `clock_time_get` / `clock_res_get`: realtime (0) since the Unix epoch and monotonic (1) since
/// the first reading in this process, in nanoseconds; other clocks `inval`.
fn clock_ns(id: u32, resolution: bool) -> Result<u64, i32> {
    static MONOTONIC_BASE: OnceLock<Instant> = OnceLock::new();
    match (id, resolution) {
        (0 | 1, true) => Ok(1),
        (0, false) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| EIO)
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)),
        (1, false) => {
            let base = MONOTONIC_BASE.get_or_init(Instant::now);
            Ok(u64::try_from(base.elapsed().as_nanos()).unwrap_or(u64::MAX))
        }
        _ => Err(INVAL),
    }
}

fn put_clock(mem: &mut [u8], id: u32, resolution: bool, out: u32) -> i32 {
    match clock_ns(id, resolution) {
        Ok(ns) => put_bytes(mem, out, &ns.to_le_bytes()).map_or(FAULT, |()| 0),
        Err(e) => e,
    }
}

/// `(offset, len)` of iovec `i` of the array at `iovs`, if it lies in memory.
fn iovec(mem: &[u8], iovs: u32, i: u32) -> Option<(usize, usize)> {
    let at = iovs.checked_add(i.checked_mul(8)?)?;
    let base = usize::try_from(get_u32(mem, at)?).ok()?;
    let len = usize::try_from(get_u32(mem, at.checked_add(4)?)?).ok()?;
    base.checked_add(len).filter(|end| *end <= mem.len())?;
    Some((base, len))
}

impl Wasi {
    fn is_open(&self, fd: u32) -> bool {
        usize::try_from(fd)
            .ok()
            .and_then(|i| self.closed.get(i))
            .is_some_and(|c| !c)
    }

    fn args_sizes_get(&self, mem: &mut [u8], argc: u32, size: u32) -> i32 {
        let total = self.args.iter().try_fold(0u32, |acc, a| {
            acc.checked_add(u32::try_from(a.len()).ok()?.checked_add(1)?)
        });
        let (Some(total), Ok(n)) = (total, u32::try_from(self.args.len())) else {
            return EIO;
        };
        match put_u32(mem, argc, n).and_then(|()| put_u32(mem, size, total)) {
            Some(()) => 0,
            None => FAULT,
        }
    }

    fn args_get(&self, mem: &mut [u8], argv: u32, buf: u32) -> i32 {
        let (mut ptr, mut at) = (argv, buf);
        for a in &self.args {
            let written = (|| {
                put_u32(mem, ptr, at)?;
                let start = usize::try_from(at).ok()?;
                let end = start.checked_add(a.len())?;
                mem.get_mut(start..end)?.copy_from_slice(a);
                *mem.get_mut(end)? = 0;
                ptr = ptr.checked_add(4)?;
                at = at.checked_add(u32::try_from(a.len()).ok()?.checked_add(1)?)?;
                Some(())
            })();
            if written.is_none() {
                return FAULT;
            }
        }
        0
    }

    fn fd_write(&mut self, mem: &mut [u8], fd: u32, iovs: u32, n: u32, out: u32) -> i32 {
        if !(fd == 1 || fd == 2) || !self.is_open(fd) {
            return BADF;
        }
        let mut total = 0usize;
        for i in 0..n {
            let Some((base, len)) = iovec(mem, iovs, i) else {
                return FAULT;
            };
            let Some(bytes) = mem.get(base..base.saturating_add(len)) else {
                return FAULT;
            };
            let ok = match (fd, self.stdout.as_mut()) {
                (1, Some(buf)) => {
                    if buf.len().saturating_add(len) > CAPTURE_LIMIT {
                        false
                    } else {
                        buf.extend_from_slice(bytes);
                        true
                    }
                }
                (1, None) => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(bytes).and_then(|()| out.flush()).is_ok()
                }
                _ => std::io::stderr().write_all(bytes).is_ok(),
            };
            if !ok {
                return EIO;
            }
            total = total.saturating_add(len);
        }
        match put_u32(mem, out, u32::try_from(total).unwrap_or(u32::MAX)) {
            Some(()) => 0,
            None => FAULT,
        }
    }

    fn fd_read(&mut self, mem: &mut [u8], fd: u32, iovs: u32, n: u32, out: u32) -> i32 {
        if fd != 0 || !self.is_open(fd) {
            return BADF;
        }
        let mut total = 0usize;
        for i in 0..n {
            let Some((base, len)) = iovec(mem, iovs, i) else {
                return FAULT;
            };
            let Some(dest) = mem.get_mut(base..base.saturating_add(len)) else {
                return FAULT;
            };
            let got = match self.stdin.as_mut() {
                Some((data, pos)) => {
                    let src = data.get(*pos..).unwrap_or_default();
                    let k = src.len().min(dest.len());
                    if let (Some(d), Some(s)) = (dest.get_mut(..k), src.get(..k)) {
                        d.copy_from_slice(s);
                    }
                    *pos = pos.saturating_add(k);
                    k
                }
                None => match std::io::stdin().lock().read(dest) {
                    Ok(k) => k,
                    Err(_) => return EIO,
                },
            };
            total = total.saturating_add(got);
            if got < len {
                break;
            }
        }
        match put_u32(mem, out, u32::try_from(total).unwrap_or(u32::MAX)) {
            Some(()) => 0,
            None => FAULT,
        }
    }

    /// `fd_fdstat_get`: 0–2 while open are character devices, 0 readable, 1 and 2 writable.
    fn fd_fdstat_get(&self, mem: &mut [u8], fd: u32, out: u32) -> i32 {
        const CHARACTER_DEVICE: u8 = 2;
        const RIGHT_FD_READ: u64 = 1 << 1;
        const RIGHT_FD_WRITE: u64 = 1 << 6;
        if fd > 2 || !self.is_open(fd) {
            return BADF;
        }
        let rights = if fd == 0 {
            RIGHT_FD_READ
        } else {
            RIGHT_FD_WRITE
        };
        // fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.
        let mut stat = [0u8; 24];
        if let Some(([filetype, ..], rest)) = stat.split_first_chunk_mut::<8>()
            && let Some(base) = rest.first_chunk_mut::<8>()
        {
            *filetype = CHARACTER_DEVICE;
            *base = rights.to_le_bytes();
        }
        put_bytes(mem, out, &stat).map_or(FAULT, |()| 0)
    }

    fn fd_close(&mut self, fd: u32) -> i32 {
        match usize::try_from(fd)
            .ok()
            .and_then(|i| self.closed.get_mut(i))
        {
            Some(c) if !*c => {
                *c = true;
                0
            }
            _ => BADF,
        }
    }
}

/// Runs a WASI function of `N` parameters returning an `i32` errno. Each parameter is read as
/// an `i32` (an `i64` one as its low half: wasm3 keeps every value in an 8-byte slot).
///
/// # Safety
/// `runtime` and `sp` are those wasm3 passed to a host function linked with `N` parameters
/// and an `i32` result.
#[inline(always)]
unsafe fn host<const N: usize>(
    runtime: sys::IM3Runtime,
    sp: *mut u64,
    body: impl FnOnce(&mut Wasi, &mut [u8], [u32; N]) -> i32,
) -> *const c_void {
    guarded(|| {
        let mut args = [0u32; N];
        for (i, a) in args.iter_mut().enumerate() {
            // SAFETY: one return slot, then `N` parameter slots (the caller's signature). The
            // value is read from the slot's low 32 bits, so the cast is exact.
            *a = unsafe { slot(sp, i + 1, ValType::I32) } as u32;
        }
        // SAFETY: the runtime's user data is the instance's `State`, untouched elsewhere
        // while wasm3 runs this call.
        let state = unsafe { &mut *sys::m3_GetUserData(runtime).cast::<State>() };
        // SAFETY: wasm3 is suspended in this call; nothing else borrows its memory.
        let mem = unsafe { memory(runtime) };
        let errno = body(&mut state.wasi, mem, args);
        // SAFETY: the signature returns one `i32` in slot 0.
        unsafe { set_result(sp, errno) };
        std::ptr::null()
    })
}

macro_rules! wasi_fns {
    ($($name:ident($n:literal) = $body:expr;)*) => {$(
        unsafe extern "C" fn $name(
            runtime: sys::IM3Runtime,
            _import: sys::IM3ImportContext,
            sp: *mut u64,
            _mem: *mut c_void,
        ) -> *const c_void {
            // SAFETY: `link_wasi` links this function with `$n` parameters and an `i32`
            // result.
            unsafe { host::<$n>(runtime, sp, $body) }
        }
    )*};
}

wasi_fns! {
    args_sizes_get(2) = |w, m, [a, b]| w.args_sizes_get(m, a, b);
    args_get(2) = |w, m, [a, b]| w.args_get(m, a, b);
    fd_write(4) = |w, m, [fd, iovs, n, out]| w.fd_write(m, fd, iovs, n, out);
    fd_read(4) = |w, m, [fd, iovs, n, out]| w.fd_read(m, fd, iovs, n, out);
    fd_close(1) = |w, _, [fd]| w.fd_close(fd);
    fd_fdstat_get(2) = |w, m, [fd, out]| w.fd_fdstat_get(m, fd, out);
    clock_res_get(2) = |_, m, [id, out]| put_clock(m, id, true, out);
    environ_sizes_get(2) = |_, m, [count, size]| {
        put_u32(m, count, 0).and_then(|()| put_u32(m, size, 0)).map_or(FAULT, |()| 0)
    };
    environ_get(2) = |_, _, [_, _]| 0;
    sched_yield(0) = |_, _, []| 0;
    // `precision` is an i64 the runner ignores; only its low half is read.
    clock_time_get(3) = |_, m, [id, _precision, out]| put_clock(m, id, false, out);
}

/// `badf` for any signature returning an `i32`, reading no argument.
unsafe extern "C" fn badf(
    _runtime: sys::IM3Runtime,
    _import: sys::IM3ImportContext,
    sp: *mut u64,
    _mem: *mut c_void,
) -> *const c_void {
    // SAFETY: linked only with signatures returning one `i32` (slot 0).
    unsafe { set_result(sp, BADF) };
    std::ptr::null()
}

/// `proc_exit(status)`: records the status and stops the guest with wasm3's exit trap.
unsafe extern "C" fn proc_exit(
    runtime: sys::IM3Runtime,
    _import: sys::IM3ImportContext,
    sp: *mut u64,
    _mem: *mut c_void,
) -> *const c_void {
    guarded(|| {
        // SAFETY: linked as `v(i)`: no return slot, the status in slot 0.
        let status = unsafe { slot(sp, 0, ValType::I32) } as u32;
        // SAFETY: as in `host`.
        let state = unsafe { &mut *sys::m3_GetUserData(runtime).cast::<State>() };
        state.wasi.exit = Some(status);
        // SAFETY: reading a constant wasm3 defines.
        unsafe { sys::m3Err_trapExit }
    })
}

impl Instance {
    /// Links WASI preview 1 (see the module docs) with this instance's argv and stdio: every
    /// name of [`PREVIEW1`] but `random_get`.
    pub(crate) fn link_wasi(
        &mut self,
        args: &[String],
        capture_stdout: bool,
        stdin: Option<Vec<u8>>,
    ) -> Result<(), Error> {
        let wasi = &mut self.state().wasi;
        wasi.args = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        wasi.stdout = capture_stdout.then(Vec::new);
        wasi.stdin = stdin.map(|s| (s, 0));
        use ValType::{I32, I64};
        let ours: [(&str, &[ValType], bool, RawFn); 18] = [
            ("args_get", &[I32, I32], true, args_get),
            ("args_sizes_get", &[I32, I32], true, args_sizes_get),
            ("fd_write", &[I32; 4], true, fd_write),
            ("fd_read", &[I32; 4], true, fd_read),
            ("fd_close", &[I32], true, fd_close),
            ("fd_fdstat_get", &[I32, I32], true, fd_fdstat_get),
            ("clock_res_get", &[I32, I32], true, clock_res_get),
            ("clock_time_get", &[I32, I64, I32], true, clock_time_get),
            ("environ_get", &[I32, I32], true, environ_get),
            ("environ_sizes_get", &[I32, I32], true, environ_sizes_get),
            ("sched_yield", &[], true, sched_yield),
            ("proc_exit", &[I32], false, proc_exit),
            ("fd_seek", &[I32, I64, I32, I32], true, badf),
            ("fd_datasync", &[I32], true, badf),
            ("fd_fdstat_set_flags", &[I32, I32], true, badf),
            ("fd_prestat_get", &[I32, I32], true, badf),
            ("fd_prestat_dir_name", &[I32, I32, I32], true, badf),
            (
                "path_open",
                &[I32, I32, I32, I32, I32, I64, I64, I32, I32],
                true,
                badf,
            ),
        ];
        for (name, params, returns, f) in ours {
            let sig = signature(params, returns);
            self.link_raw(WASI_PREVIEW1, name, &sig, Some(f), std::ptr::null())?;
        }
        Ok(())
    }

    /// The status the guest passed to `proc_exit`, if it did.
    pub(crate) fn exit_status(&mut self) -> Option<u32> {
        self.state().wasi.exit
    }

    /// The captured stdout (empty when not capturing).
    pub(crate) fn take_stdout(&mut self) -> Vec<u8> {
        self.state().wasi.stdout.take().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_round_trip_and_fault() {
        let w = Wasi {
            args: vec![b"prog".to_vec(), b"x".to_vec()],
            ..Wasi::default()
        };
        let mut mem = vec![0u8; 64];
        assert_eq!(w.args_sizes_get(&mut mem, 0, 4), 0);
        assert_eq!(get_u32(&mem, 0), Some(2));
        assert_eq!(get_u32(&mem, 4), Some(7));
        assert_eq!(w.args_get(&mut mem, 8, 16), 0);
        assert_eq!(get_u32(&mem, 8), Some(16));
        assert_eq!(get_u32(&mem, 12), Some(21));
        assert_eq!(&mem[16..23], b"prog\0x\0");
        assert_eq!(w.args_get(&mut mem, 8, 60), FAULT);
        assert_eq!(w.args_sizes_get(&mut mem, 62, 0), FAULT);
    }

    #[test]
    fn capture_and_feed() {
        let mut w = Wasi {
            stdout: Some(Vec::new()),
            stdin: Some((b"hello".to_vec(), 0)),
            ..Wasi::default()
        };
        let mut mem = vec![0u8; 64];
        mem[32..35].copy_from_slice(b"abc");
        // iovec at 0: (32, 3)
        put_u32(&mut mem, 0, 32).unwrap();
        put_u32(&mut mem, 4, 3).unwrap();
        assert_eq!(w.fd_write(&mut mem, 1, 0, 1, 8), 0);
        assert_eq!(get_u32(&mem, 8), Some(3));
        assert_eq!(w.stdout.as_deref(), Some(&b"abc"[..]));
        assert_eq!(w.fd_write(&mut mem, 5, 0, 1, 8), BADF);
        assert_eq!(w.fd_write(&mut mem, 1, 60, 1, 8), FAULT);
        assert_eq!(w.fd_read(&mut mem, 0, 0, 1, 8), 0);
        assert_eq!(get_u32(&mem, 8), Some(3));
        assert_eq!(&mem[32..35], b"hel");
        assert_eq!(w.fd_read(&mut mem, 0, 0, 1, 8), 0);
        assert_eq!(get_u32(&mem, 8), Some(2));
        assert_eq!(w.fd_read(&mut mem, 0, 0, 1, 8), 0);
        assert_eq!(get_u32(&mem, 8), Some(0));
        assert_eq!(w.fd_close(1), 0);
        assert_eq!(w.fd_close(1), BADF);
        assert_eq!(w.fd_write(&mut mem, 1, 0, 1, 8), BADF);
    }
}
