//! The wasm3 runner's own WASI preview 1 (wasm3's built-in one is not linked): clocks,
//! environment, descriptor status, and no host descriptors opened or leaked per instance.

use wasmcrypt_wasm3::command::{Stdio, run_bytes};

/// Checks each function's result; exits with the number of the first failed check (0: all
/// passed). Memory: 0 out (u64), 16 second out (u64), 32 fdstat (24 bytes).
const GUEST: &str = r#"
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func $res (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $check (param $n i32) (param $ok i32)
    (if (i32.eqz (local.get $ok)) (then (call $exit (local.get $n)))))
  (func (export "_start")
    ;; 1-2: realtime succeeds and is after 2020-01-01 (1577836800 s).
    (call $check (i32.const 1) (i32.eqz (call $time (i32.const 0) (i64.const 1) (i32.const 0))))
    (call $check (i32.const 2) (i64.gt_u (i64.load (i32.const 0)) (i64.const 1577836800000000000)))
    ;; 3-5: monotonic twice, never backwards.
    (call $check (i32.const 3) (i32.eqz (call $time (i32.const 1) (i64.const 1) (i32.const 0))))
    (call $check (i32.const 4) (i32.eqz (call $time (i32.const 1) (i64.const 1) (i32.const 16))))
    (call $check (i32.const 5) (i64.ge_u (i64.load (i32.const 16)) (i64.load (i32.const 0))))
    ;; 6-7: CPU-time clocks are inval (28); 8: an out-pointer past memory is fault (21).
    (call $check (i32.const 6) (i32.eq (call $time (i32.const 2) (i64.const 1) (i32.const 0)) (i32.const 28)))
    (call $check (i32.const 7) (i32.eq (call $res (i32.const 3) (i32.const 0)) (i32.const 28)))
    (call $check (i32.const 8) (i32.eq (call $time (i32.const 0) (i64.const 1) (i32.const 65532)) (i32.const 21)))
    ;; 9-10: resolution 1 ns.
    (call $check (i32.const 9) (i32.eqz (call $res (i32.const 1) (i32.const 0))))
    (call $check (i32.const 10) (i64.eq (i64.load (i32.const 0)) (i64.const 1)))
    ;; 11-13: an empty environment.
    (i64.store (i32.const 0) (i64.const -1))
    (call $check (i32.const 11) (i32.eqz (call $env_sizes (i32.const 0) (i32.const 4))))
    (call $check (i32.const 12) (i64.eqz (i64.load (i32.const 0))))
    (call $check (i32.const 13) (i32.eqz (call $env (i32.const 0) (i32.const 16))))
    ;; 14-17: stdout is a writable character device; fd 5 is badf (8).
    (call $check (i32.const 14) (i32.eqz (call $fdstat (i32.const 1) (i32.const 32))))
    (call $check (i32.const 15) (i32.eq (i32.load8_u (i32.const 32)) (i32.const 2)))
    (call $check (i32.const 16) (i64.eq (i64.load (i32.const 40)) (i64.const 64)))
    (call $check (i32.const 17) (i32.eq (call $fdstat (i32.const 5) (i32.const 32)) (i32.const 8)))
    ;; 18-19: a closed descriptor has no status; 20: yield.
    (call $check (i32.const 18) (i32.eqz (call $close (i32.const 0))))
    (call $check (i32.const 19) (i32.eq (call $fdstat (i32.const 0) (i32.const 32)) (i32.const 8)))
    (call $check (i32.const 20) (i32.eqz (call $yield))))
)
"#;

#[test]
fn clocks_environment_and_descriptor_status() {
    let out = run_bytes(GUEST.as_bytes(), &["prog".into()], Stdio::Capture).expect("runs");
    assert_eq!(out.exit_code, 0, "first failed check");
}

/// Host descriptors this process has open.
#[cfg(target_os = "linux")]
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").expect("procfs").count()
}

/// wasm3's built-in WASI opened two descriptors on the working directory per instance and never
/// closed them; 200 instances would leave 400 behind.
#[cfg(target_os = "linux")]
#[test]
fn instances_leave_no_descriptors_behind() {
    let hello = r#"(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "hi")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 2))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;
    let before = open_fds();
    for _ in 0..200 {
        let out = run_bytes(hello.as_bytes(), &[], Stdio::Capture).expect("runs");
        assert_eq!(out.stdout, b"hi");
    }
    let after = open_fds();
    assert!(
        after < before + 20,
        "{before} descriptors before, {after} after 200 instances"
    );
}
