//! Shared pieces of the benchmarks in `benches/`.

use std::time::{Duration, Instant};

/// The host-call benchmark guest (WAT), one for every engine.
pub const HOST_CALLS_WAT: &str = include_str!("host_calls.wat");

/// How long `f` takes (for `iter_custom`).
pub fn timed(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}
