//! A benchmark guest instantiated through Wasmtime with its own crypto context, shared by the
//! `asymmetric`, `kem` and `rsa` benches (each includes this file as a module).
#![allow(dead_code, reason = "each bench uses a different subset")]

use wasmcrypt_wasmtime::{WasmCryptoCtx, add_to_linker};
use wasmtime::{Engine, Instance, Linker, Module, Store, TypedFunc};

pub(crate) struct Host {
    crypto: WasmCryptoCtx,
}

pub(crate) struct Guest {
    pub(crate) store: Store<Host>,
    inst: Instance,
}

impl Guest {
    /// `module` instantiated with the crypto imports, on a context seeded from the OS.
    pub(crate) fn new(engine: &Engine, module: &Module) -> Self {
        let mut linker: Linker<Host> = Linker::new(engine);
        add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).expect("link");
        let mut store = Store::new(
            engine,
            Host {
                crypto: WasmCryptoCtx::new(Default::default()).expect("OS entropy"),
            },
        );
        // Each instance's own functions: no per-call lookup of the caller's memory.
        let inst = wasmcrypt_wasmtime::instantiate(&linker, &mut store, module, |h: &mut Host| {
            &mut h.crypto
        })
        .expect("instantiate");
        Guest { store, inst }
    }

    pub(crate) fn func<P: wasmtime::WasmParams, R: wasmtime::WasmResults>(
        &mut self,
        name: &str,
    ) -> TypedFunc<P, R> {
        self.inst.get_typed_func(&mut self.store, name).expect(name)
    }

    /// Copies `bytes` into the guest's memory at `at`.
    pub(crate) fn write(&mut self, at: usize, bytes: &[u8]) {
        let mem = self
            .inst
            .get_memory(&mut self.store, "memory")
            .expect("memory");
        mem.data_mut(&mut self.store)[at..at + bytes.len()].copy_from_slice(bytes);
    }

    pub(crate) fn call1(&mut self, name: &str, a: i32) -> i32 {
        let f = self.func::<i32, i32>(name);
        f.call(&mut self.store, a).expect("no trap")
    }
}
