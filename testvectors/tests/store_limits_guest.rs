//! A guest fills the host's key store through the secrets manager until it refuses, on
//! Wasmtime and on wasm3: past the store's limits (ids, live versions per id, bytes) every
//! call is `overflow`, and a refused replacement leaves the latest version as it was.
//!
//! Expected counts follow from the limits alone: a store of 4 ids and 3 live versions per id
//! takes a managed key, 2 replacements (versions 2 and 3) and 3 more ids; a 2,000-byte store
//! takes three 512-byte external secrets (each charged 512 + 32 for its id + 6 for the
//! namespace `tenant` = 550 bytes), not a fourth.

use std::sync::Arc;

use wasmcrypt_core::keystore::{KeyStore, MemoryStore, StoreLimits, SystemWallClock};
use wasmcrypt_core::rng::InstanceRng;
use wasmcrypt_core::{Config, Ctx};
use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker, instantiate, wasm3};

const GUEST: &str = include_str!("../guests/wat/store-limits.wat");
const OVERFLOW: u32 = 16;

fn small_store() -> Arc<dyn KeyStore> {
    let limits = StoreLimits {
        max_ids: 4,
        max_versions: 3,
        ..StoreLimits::default()
    };
    Arc::new(MemoryStore::new(limits, [5; 32]))
}

fn byte_store() -> Arc<dyn KeyStore> {
    let limits = StoreLimits {
        max_bytes: 2000,
        ..StoreLimits::default()
    };
    Arc::new(MemoryStore::new(limits, [6; 32]))
}

/// One engine: call an export with no arguments, or `load(address)`.
trait Guest {
    fn call(&mut self, name: &str) -> u32;
    fn load(&mut self, at: u32) -> u32;
}

fn check(engine: &str, mut ids_and_versions: impl Guest, mut bytes: impl Guest) {
    assert_eq!(
        ids_and_versions.call("versions"),
        OVERFLOW,
        "{engine}: versions"
    );
    assert_eq!(
        ids_and_versions.load(200),
        2,
        "{engine}: replacements accepted"
    );
    assert_eq!(
        ids_and_versions.load(208),
        3,
        "{engine}: latest version after the refusal"
    );
    assert_eq!(
        ids_and_versions.load(212),
        0,
        "{engine}: version's high word"
    );
    assert_eq!(ids_and_versions.call("ids"), OVERFLOW, "{engine}: ids");
    assert_eq!(
        ids_and_versions.load(216),
        3,
        "{engine}: further ids accepted"
    );
    assert_eq!(bytes.call("bytes"), OVERFLOW, "{engine}: bytes");
    assert_eq!(bytes.load(220), 3, "{engine}: secrets accepted");
}

struct WasmtimeGuest {
    store: wasmtime::Store<WasmCryptoCtx>,
    instance: wasmtime::Instance,
}

impl WasmtimeGuest {
    fn new(key_store: Arc<dyn KeyStore>) -> Self {
        let engine = wasmtime::Engine::default();
        let module = wasmtime::Module::new(&engine, GUEST).unwrap();
        let mut linker: wasmtime::Linker<WasmCryptoCtx> = wasmtime::Linker::new(&engine);
        add_to_linker(&mut linker, |h: &mut WasmCryptoCtx| h).unwrap();
        let crypto = WasmCryptoCtx::new(Config::default())
            .unwrap()
            .with_key_store(key_store, b"tenant", Arc::new(SystemWallClock))
            .unwrap();
        let mut store = wasmtime::Store::new(&engine, crypto);
        let instance =
            instantiate(&linker, &mut store, &module, |h: &mut WasmCryptoCtx| h).unwrap();
        WasmtimeGuest { store, instance }
    }
}

impl Guest for WasmtimeGuest {
    fn call(&mut self, name: &str) -> u32 {
        let f = self
            .instance
            .get_typed_func::<(), i32>(&mut self.store, name)
            .unwrap();
        f.call(&mut self.store, ()).unwrap() as u32
    }

    fn load(&mut self, at: u32) -> u32 {
        let f = self
            .instance
            .get_typed_func::<i32, i32>(&mut self.store, "load")
            .unwrap();
        f.call(&mut self.store, at as i32).unwrap() as u32
    }
}

struct Wasm3Guest(wasm3::Instance);

impl Wasm3Guest {
    fn new(key_store: Arc<dyn KeyStore>) -> Self {
        let base = wasm3::command::os_base().unwrap();
        let mut ctx = Ctx::with_rng(Config::default(), InstanceRng::new(&base));
        ctx.set_key_store(key_store, b"tenant", Arc::new(SystemWallClock))
            .unwrap();
        let wasm = wat::parse_str(GUEST).unwrap();
        let mut instance = wasm3::Instance::new(&wasm, ctx, 64 * 1024).unwrap();
        instance.link_crypto().unwrap();
        instance.compile().unwrap();
        Wasm3Guest(instance)
    }
}

impl Guest for Wasm3Guest {
    fn call(&mut self, name: &str) -> u32 {
        self.0.call(name, &[]).unwrap()[0] as u32
    }

    fn load(&mut self, at: u32) -> u32 {
        self.0.call("load", &[u64::from(at)]).unwrap()[0] as u32
    }
}

#[test]
fn store_limits_through_wasmtime() {
    check(
        "wasmtime",
        WasmtimeGuest::new(small_store()),
        WasmtimeGuest::new(byte_store()),
    );
}

#[test]
fn store_limits_through_wasm3() {
    check(
        "wasm3",
        Wasm3Guest::new(small_store()),
        Wasm3Guest::new(byte_store()),
    );
}
