//! Whatever the guest is, the wasm3 runner answers with an `Outcome` or a `RunError`, never a
//! crash of the host: malformed modules, unknown imports, traps, stack exhaustion, exits.

use wasmcrypt_wasm3::command::{Options, RunError, Stdio, run_bytes};

fn run(wat: &str) -> Result<wasmcrypt_wasm3::command::Outcome, RunError> {
    run_bytes(wat.as_bytes(), &["prog".into()], Stdio::Capture)
}

fn trap(wat: &str) -> String {
    match run(wat) {
        Err(RunError::Trap { trap }) => trap,
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_modules_are_compile_errors() {
    for bytes in [
        &b"\0asm\x01\0\0\0\xff\xff"[..],
        b"\0asm\x02\0\0\0",
        b"\0asm",
        b"(module (func (export \"_start\") (i32.add)))",
        b"(module",
        b"\xff\xfe garbage",
    ] {
        assert!(
            matches!(
                run_bytes(bytes, &[], Options::default()),
                Err(RunError::Compile { .. })
            ),
            "{bytes:?}"
        );
    }
}

#[test]
fn unknown_imports_are_named() {
    for (module, name, ty) in [
        ("env", "host_thing", "(func)"),
        (
            "wasi_snapshot_preview1",
            "sock_accept",
            "(func (param i32 i32 i32) (result i32))",
        ),
        (
            "wasi_unstable",
            "fd_write",
            "(func (param i32 i32 i32 i32) (result i32))",
        ),
        (
            "wasi_ephemeral_crypto_symmetric",
            "no_such_function",
            "(func)",
        ),
        ("env", "memory", "(memory 1)"),
    ] {
        let wat = format!(r#"(module (import "{module}" "{name}" {ty}) (func (export "_start")))"#);
        assert_eq!(
            run(&wat),
            Err(RunError::UnknownImport {
                module: module.into(),
                name: name.into()
            })
        );
    }
}

#[test]
fn traps_say_which() {
    assert_eq!(
        trap(r#"(module (func (export "_start") unreachable))"#),
        "unreachable executed"
    );
    assert_eq!(
        trap(r#"(module (func (export "_start") (drop (i32.div_u (i32.const 1) (i32.const 0)))))"#),
        "integer divide by zero"
    );
    assert_eq!(
        trap(r#"(module (memory 1) (func (export "_start") (drop (i32.load (i32.const 65535)))))"#),
        "out of bounds memory access"
    );
}

#[test]
fn stack_exhaustion_is_a_trap() {
    // Plain recursion, recursion with big frames, and recursion through a host call each level.
    for wat in [
        r#"(module (func $f (call $f)) (func (export "_start") (call $f)))"#,
        r#"(module (func $f (param i64) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
             (call $f (i64.add (local.get 0) (i64.const 1))))
           (func (export "_start") (call $f (i64.const 0))))"#,
        r#"(module
             (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close" (func $c (param i32) (result i32)))
             (func $f (drop (call $c (i32.const 0))) (call $f))
             (func (export "_start") (call $f)))"#,
    ] {
        assert_eq!(trap(wat), "stack overflow", "{wat}");
    }
}

#[test]
fn exit_codes_come_from_proc_exit() {
    let exit = |code: i32| {
        run(&format!(
            r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $e (param i32)))
                 (func (export "_start") (call $e (i32.const {code})) unreachable))"#
        ))
    };
    assert_eq!(exit(0).unwrap().exit_code, 0);
    assert_eq!(exit(3).unwrap().exit_code, 3);
    assert_eq!(exit(125).unwrap().exit_code, 125);
    assert!(matches!(exit(126), Err(RunError::Engine { .. })));
    assert!(matches!(exit(-1), Err(RunError::Engine { .. })));
}

#[test]
fn a_module_without_start_is_refused() {
    for wat in [
        "(module)",
        r#"(module (func (export "main")))"#,
        r#"(module (func (export "_start") (param i32)))"#,
        r#"(module (global (export "_start") i32 (i32.const 0)))"#,
        // A function named `_start` in the name section but not exported.
        r#"(module (func $_start))"#,
    ] {
        assert_eq!(run(wat), Err(RunError::NoStart), "{wat}");
    }
}

#[test]
fn deterministic_hosts_refuse_random_get() {
    let wat = r#"(module (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
                   (func (export "_start")))"#;
    let opts = Options {
        stdio: Stdio::Capture,
        deterministic: true,
        stdin: None,
        keys: None,
    };
    assert_eq!(
        run_bytes(wat.as_bytes(), &[], opts),
        Err(RunError::RandomInDeterministicHost {
            module: "wasi_snapshot_preview1".into(),
            name: "random_get".into()
        })
    );
}

/// Echoes argv[1] and then stdin to stdout: args, fd_read and fd_write are the instance's.
#[test]
fn args_stdin_and_stdout_are_per_instance() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start") (local $n i32)
        (drop (call $sizes (i32.const 0) (i32.const 4)))
        (drop (call $args (i32.const 16) (i32.const 256)))
        ;; iovec at 8: argv[1], up to its NUL (length = buffer size - 5 - 1 for "prog\0")
        (i32.store (i32.const 8) (i32.load (i32.const 20)))
        (i32.store (i32.const 12) (i32.sub (i32.load (i32.const 4)) (i32.const 6)))
        (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 100)))
        ;; stdin into 1024..2048, then out again
        (i32.store (i32.const 8) (i32.const 1024))
        (i32.store (i32.const 12) (i32.const 1024))
        (drop (call $read (i32.const 0) (i32.const 8) (i32.const 1) (i32.const 104)))
        (i32.store (i32.const 12) (i32.load (i32.const 104)))
        (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 100)))
        ;; fd 5 is not the host's fd 5
        (i32.store (i32.const 200) (call $write (i32.const 5) (i32.const 8) (i32.const 1) (i32.const 100)))
        (i32.store8 (i32.const 300) (i32.add (i32.const 48) (i32.load (i32.const 200))))
        (i32.store (i32.const 8) (i32.const 300))
        (i32.store (i32.const 12) (i32.const 1))
        (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 100)))))"#;
    let threads: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                let opts = Options {
                    stdio: Stdio::Capture,
                    deterministic: false,
                    stdin: Some(format!("input {i}").into_bytes()),
                    keys: None,
                };
                run_bytes(wat.as_bytes(), &["prog".into(), format!("arg{i}|")], opts)
            })
        })
        .collect();
    for (i, t) in threads.into_iter().enumerate() {
        let out = t.join().unwrap().unwrap();
        // errno 8 (badf) for fd 5
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            format!("arg{i}|input {i}8")
        );
    }
}

#[test]
fn unreadable_files_are_read_errors() {
    let e = wasmcrypt_wasm3::command::run_file(
        std::path::Path::new("/nonexistent/guest.wasm"),
        &[],
        Options::default(),
    );
    assert!(matches!(e, Err(RunError::Read { .. })));
}
