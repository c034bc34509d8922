//! A guest generates a managed key, uses it, rotates it to a known key, uses the latest and
//! the old version by id, invalidates every version and then finds nothing, on Wasmtime and
//! on wasm3 with the in-memory key store; a managed key generated with an `expiration`
//! option is `expired` once the host's clock passes it. Expected tags: RFC 4231 test case 1
//! for the known key; the generated key's own tag for version 1.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use wasmcrypt_core::keystore::{KeyStore, MemoryStore, StoreLimits, WallClock};
use wasmcrypt_core::rng::InstanceRng;
use wasmcrypt_core::{Config, Ctx};
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker, instantiate, wasm3};

const GUEST: &str = include_str!("../guests/wat/managed-keys.wat");
const RFC4231_TAG: &str = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
const NOT_FOUND: u32 = 26;
const PROHIBITED_OPERATION: u32 = 4;
const EXPIRED: i32 = 30;
const NOW: u64 = 1_700_000_000;

/// The host's clock, moved by the test.
struct TestClock(AtomicU64);

impl WallClock for TestClock {
    fn unix_secs(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn clock() -> Arc<TestClock> {
    Arc::new(TestClock(AtomicU64::new(NOW)))
}

fn store() -> Arc<dyn KeyStore> {
    Arc::new(MemoryStore::new(StoreLimits::default(), [3; 32]))
}

/// What the guest left in memory, read through its `load` export.
struct Results {
    id: Vec<u8>,
    id_version: u64,
    tag_generated: Vec<u8>,
    tag_latest: Vec<u8>,
    tag_v1: Vec<u8>,
    replaced: u64,
    after_invalidate: u32,
    export: u32,
}

fn collect(load: &mut dyn FnMut(u32) -> u32) -> Results {
    let mut bytes = |at: u32, n: u32| -> Vec<u8> {
        (0..n / 4)
            .flat_map(|i| load(at + 4 * i).to_le_bytes())
            .collect()
    };
    let u64_at = |b: Vec<u8>| u64::from_le_bytes(b.try_into().unwrap());
    Results {
        id: bytes(128, 32),
        id_version: u64_at(bytes(168, 8)),
        tag_generated: bytes(256, 32),
        tag_latest: bytes(288, 32),
        tag_v1: bytes(320, 32),
        replaced: u64_at(bytes(400, 8)),
        after_invalidate: load(420),
        export: load(424),
    }
}

fn check(engine: &str, run: i32, r: &Results) {
    assert_eq!(run, 0, "{engine}: step {run} failed");
    assert!(r.id.iter().any(|&b| b != 0), "{engine}: an id was written");
    assert_eq!(r.id_version, 1, "{engine}");
    assert_eq!(r.replaced, 2, "{engine}");
    let hex: String = r.tag_latest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex, RFC4231_TAG,
        "{engine}: latest version is the known key"
    );
    assert_eq!(
        r.tag_v1, r.tag_generated,
        "{engine}: version 1 is the generated key"
    );
    assert_ne!(r.tag_v1, r.tag_latest, "{engine}");
    assert_eq!(r.after_invalidate, NOT_FOUND, "{engine}");
    assert_eq!(r.export, PROHIBITED_OPERATION, "{engine}");
}

#[test]
fn managed_key_lifecycle_on_wasmtime() {
    struct Host {
        crypto: WasmCryptoCtx,
    }
    let engine = wasmtime::Engine::default();
    let module = wasmtime::Module::new(&engine, GUEST).unwrap();
    let mut linker: wasmtime::Linker<Host> = wasmtime::Linker::new(&engine);
    add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    let ck = clock();
    let crypto = WasmCryptoCtx::new(Config::default())
        .unwrap()
        .with_key_store(store(), b"tenant", ck.clone())
        .unwrap();
    let mut store = wasmtime::Store::new(&engine, Host { crypto });
    let instance = instantiate(&linker, &mut store, &module, |h: &mut Host| &mut h.crypto).unwrap();
    let run = instance
        .get_typed_func::<i64, i32>(&mut store, "run")
        .unwrap()
        .call(&mut store, NOW as i64)
        .unwrap();
    let late = instance
        .get_typed_func::<(), i32>(&mut store, "late")
        .unwrap();
    assert_eq!(late.call(&mut store, ()).unwrap(), 0, "not expired yet");
    ck.0.store(NOW + 11, Ordering::SeqCst);
    assert_eq!(late.call(&mut store, ()).unwrap(), EXPIRED);
    let load = instance
        .get_typed_func::<i32, i32>(&mut store, "load")
        .unwrap();
    let r = collect(&mut |at| load.call(&mut store, at as i32).unwrap() as u32);
    check("wasmtime", run, &r);
}

#[test]
fn managed_key_lifecycle_on_wasm3() {
    let base = wasm3::command::os_base().unwrap();
    let mut ctx = Ctx::with_rng(Config::default(), InstanceRng::new(&base));
    let ck = clock();
    ctx.set_key_store(store(), b"tenant", ck.clone()).unwrap();
    let wasm = wat::parse_str(GUEST).unwrap();
    let mut instance = wasm3::Instance::new(&wasm, ctx, 64 * 1024).unwrap();
    instance.link_crypto().unwrap();
    instance.compile().unwrap();
    let run = instance.call("run", &[NOW]).unwrap()[0] as u32 as i32;
    assert_eq!(instance.call("late", &[]).unwrap()[0], 0, "not expired yet");
    ck.0.store(NOW + 11, Ordering::SeqCst);
    assert_eq!(instance.call("late", &[]).unwrap()[0] as i32, EXPIRED);
    let r = collect(&mut |at| instance.call("load", &[u64::from(at)]).unwrap()[0] as u32);
    check("wasm3", run, &r);
}
