//! `wasmcrypt keys` and `wasmcrypt run --keystore`: an operator creates a store, a guest on
//! each engine creates a managed key in it, and the operator lists, imports, rotates and
//! revokes; wrong master keys, missing stores and damaged files give one-line errors.

use std::path::{Path, PathBuf};
use std::process::Command;

const KEY: &str = "4242424242424242424242424242424242424242424242424242424242424242";

/// A WASI command that opens the secrets manager and generates a managed HMAC key; its exit
/// code is 0, or 100 + the errno of `secrets_manager_open`, or the errno of the generation.
const GUEST: &str = r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_ephemeral_crypto_common" "secrets_manager_open" (func $open (param i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_key_generate_managed"
    (func $gen (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "HMAC/SHA-256")
  (data (i32.const 16) "\01\00\00\00\00\00\00\00")
  (func (export "_start")
    (local $e i32)
    (local.set $e (call $open (i32.const 16) (i32.const 32)))
    (if (local.get $e) (then (call $exit (i32.add (i32.const 100) (local.get $e)))))
    (call $exit (call $gen (i32.load (i32.const 32)) (i32.const 0) (i32.const 12) (i32.const 16) (i32.const 36)))))"#;

fn wasmcrypt(args: &[&str], key: Option<&str>) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"));
    c.args(args).env_remove("WASMCRYPT_MASTER_KEY");
    if let Some(k) = key {
        c.env("WASMCRYPT_MASTER_KEY", k);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("wasmcrypt-keys-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

fn ok(args: &[&str]) -> Vec<String> {
    let (code, out, err) = wasmcrypt(args, Some(KEY));
    assert_eq!(code, 0, "{args:?}: {err}");
    out.lines().map(str::to_string).collect()
}

fn entry_file(dir: &Path) -> PathBuf {
    for ns in std::fs::read_dir(dir).unwrap().flatten() {
        if ns.path().is_dir() {
            for id in std::fs::read_dir(ns.path()).unwrap().flatten() {
                let f = id.path().join("1.entry");
                if f.exists() {
                    return f;
                }
            }
        }
    }
    panic!("no entry");
}

#[test]
fn operator_and_guests_share_a_persistent_store() {
    let dir = temp("store");
    let d = dir.display().to_string();
    let guest = temp("guest.wat");
    std::fs::write(&guest, GUEST).unwrap();
    let g = guest.display().to_string();

    // No store: the guest's secrets_manager_open is unsupported_feature (3).
    let (code, _, _) = wasmcrypt(&["run", &g], None);
    assert_eq!(code, 103);
    // A store that does not exist yet, and one without a master key.
    let (code, _, err) = wasmcrypt(&["run", "--keystore", &d, &g], Some(KEY));
    assert_eq!(
        (code, err),
        (2, format!("wasmcrypt: no key store at {d}\n"))
    );
    let (code, _, err) = wasmcrypt(&["keys", "init", "--keystore", &d], None);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("wasmcrypt: no master key: set WASMCRYPT_MASTER_KEY"),
        "{err}"
    );

    assert_eq!(
        ok(&["keys", "init", "--keystore", &d]),
        [format!("created key store {d}")]
    );
    // A guest on each engine creates a managed key in the tenant's namespace.
    for engine in ["wasmtime", "wasm3"] {
        let (code, _, err) = wasmcrypt(
            &[
                "run",
                "--engine",
                engine,
                "--keystore",
                &d,
                "--namespace",
                "tenant",
                &g,
            ],
            Some(KEY),
        );
        assert_eq!(code, 0, "{engine}: {err}");
    }
    let listed = ok(&["keys", "list", "--keystore", &d, "--namespace", "tenant"]);
    assert_eq!(listed.len(), 2, "{listed:?}");
    for l in &listed {
        assert!(l.ends_with(" symmetric HMAC/SHA-256 v1"), "{l}");
        assert_eq!(l.len(), 64 + " symmetric HMAC/SHA-256 v1".len());
    }
    // Other namespaces see nothing.
    assert!(ok(&["keys", "list", "--keystore", &d]).is_empty());

    // Operator commands: generate, import, rotate, revoke.
    let generated = ok(&[
        "keys",
        "generate",
        "--keystore",
        &d,
        "--type",
        "signatures",
        "--alg",
        "Ed25519",
    ]);
    let (id, v) = generated[0].split_once(' ').unwrap();
    assert_eq!(v, "1");
    let rotated = ok(&["keys", "rotate", "--keystore", &d, id]);
    assert_eq!(rotated, [format!("{id} 2")]);
    let keyfile = temp("hmac.key");
    std::fs::write(&keyfile, [0x0b; 20]).unwrap();
    let imported = ok(&[
        "keys",
        "import",
        "--keystore",
        &d,
        "--alg",
        "HMAC/SHA-256",
        &keyfile.display().to_string(),
    ]);
    let (hid, hv) = imported[0].split_once(' ').unwrap();
    assert_eq!(hv, "1");
    let all = ok(&["keys", "list", "--keystore", &d]);
    assert!(
        all.contains(&format!("{id} keypair Ed25519 v1,v2")),
        "{all:?}"
    );
    assert!(
        all.contains(&format!("{hid} symmetric HMAC/SHA-256 v1")),
        "{all:?}"
    );
    ok(&["keys", "revoke", "--keystore", &d, id, "--version", "1"]);
    assert!(ok(&["keys", "list", "--keystore", &d]).contains(&format!("{id} keypair Ed25519 v2")));
    ok(&["keys", "revoke", "--keystore", &d, hid]);
    assert!(
        !ok(&["keys", "list", "--keystore", &d])
            .iter()
            .any(|l| l.starts_with(hid))
    );
    let (code, _, err) = wasmcrypt(&["keys", "revoke", "--keystore", &d, hid], Some(KEY));
    assert_eq!(
        (code, err.as_str()),
        (1, "wasmcrypt: no such id in this namespace\n")
    );

    // A wrong master key, and a damaged entry: one line each.
    let other = "43".repeat(32);
    let (code, _, err) = wasmcrypt(&["keys", "list", "--keystore", &d], Some(&other));
    assert_eq!(
        (code, err.as_str()),
        (1, "wasmcrypt: wrong master key for this key store\n")
    );
    let f = entry_file(&dir);
    let mut bytes = std::fs::read(&f).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&f, &bytes).unwrap();
    let (code, _, err) = wasmcrypt(
        &["keys", "list", "--keystore", &d, "--namespace", "tenant"],
        Some(KEY),
    );
    assert_eq!(
        (code, err.as_str()),
        (1, "wasmcrypt: list: verification_failed\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&guest);
    let _ = std::fs::remove_file(&keyfile);
}
