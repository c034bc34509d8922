//! A guest simulated without an engine: a context, a linear memory, and calls through the ABI
//! table exactly as a binding makes them.
#![allow(unreachable_pub, reason = "shared by test crates, not a public API")]
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::sync::Arc;

use wasmcrypt_core::rng::{BaseRng, EntropyError, EntropySource, InstanceRng};
use wasmcrypt_core::{
    ArrayOutput, Config, CryptoErrno, Ctx, Error, Keypair, Publickey, Signature, SignatureEncoding,
    abi,
};

/// The OS generator read through std, as a trusted source for tests that need randomness.
pub struct DevUrandom;

impl EntropySource for DevUrandom {
    fn fill(&self, dest: &mut [u8]) -> Result<(), EntropyError> {
        use std::io::Read;
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(dest))
            .map_err(|_| EntropyError)
    }
}

/// A base generator seeded from the OS, shared by the tests of one binary.
pub fn test_base() -> Arc<BaseRng> {
    static BASE: std::sync::OnceLock<Arc<BaseRng>> = std::sync::OnceLock::new();
    BASE.get_or_init(|| BaseRng::new(Box::new(DevUrandom)).expect("seed"))
        .clone()
}

pub const MEM: usize = 64 * 1024;
/// Scratch area for call arguments; tests place data at fixed addresses below it.
pub const ARGS: u32 = 0x8000;

pub struct Guest {
    pub ctx: Ctx,
    pub mem: Vec<u8>,
    next: u32,
}

impl Guest {
    pub fn new() -> Self {
        Self::with_config(Config::default())
    }

    /// A deterministic context (no randomness).
    pub fn with_config(config: Config) -> Self {
        Guest {
            ctx: Ctx::new(config),
            mem: vec![0; MEM],
            next: ARGS,
        }
    }

    /// A context with its own generator (key generation, automatic nonces).
    pub fn with_rng(config: Config) -> Self {
        Guest {
            ctx: Ctx::with_rng(config, InstanceRng::new(&test_base())),
            mem: vec![0; MEM],
            next: ARGS,
        }
    }

    /// Calls `name` (in any module) with raw arguments.
    pub fn call(&mut self, name: &str, args: &[u64]) -> CryptoErrno {
        let f = abi::FUNCTIONS
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no function {name}"));
        assert_eq!(f.params.len(), args.len(), "{name} arity");
        let r = (f.call)(&mut self.ctx, &mut self.mem, args);
        CryptoErrno::from_raw(u16::try_from(r).expect("errno fits u16")).expect("a witx errno")
    }

    /// Copies `bytes` into memory and returns (ptr, len).
    pub fn put(&mut self, bytes: &[u8]) -> (u64, u64) {
        let p = self.next;
        let end = p as usize + bytes.len();
        self.mem[p as usize..end].copy_from_slice(bytes);
        self.next = (end as u32 + 7) & !7;
        (u64::from(p), bytes.len() as u64)
    }

    /// Reserves `n` zeroed bytes and returns their address.
    pub fn alloc(&mut self, n: usize) -> u64 {
        let (p, _) = self.put(&vec![0; n]);
        p
    }

    /// An 8-byte `opt_*` union: tag 0 = some(handle), 1 = none.
    pub fn opt(&mut self, handle: Option<u32>) -> u64 {
        let mut u = [0u8; 8];
        match handle {
            Some(h) => u[4..].copy_from_slice(&h.to_le_bytes()),
            None => u[0] = 1,
        }
        self.put(&u).0
    }

    pub fn u32_at(&self, p: u64) -> u32 {
        let p = p as usize;
        u32::from_le_bytes(self.mem[p..p + 4].try_into().unwrap())
    }

    pub fn bytes_at(&self, p: u64, n: usize) -> Vec<u8> {
        self.mem[p as usize..p as usize + n].to_vec()
    }

    /// Opens a symmetric state for `alg` with no key and no options.
    pub fn open_state(&mut self, alg: &str) -> Result<u32, CryptoErrno> {
        let (ap, al) = self.put(alg.as_bytes());
        let none = self.opt(None);
        let out = self.alloc(4);
        match self.call("symmetric_state_open", &[ap, al, none, none, out]) {
            CryptoErrno::Success => Ok(self.u32_at(out)),
            e => Err(e),
        }
    }

    pub fn absorb(&mut self, st: u32, data: &[u8]) -> CryptoErrno {
        let (p, l) = self.put(data);
        self.call("symmetric_state_absorb", &[st.into(), p, l])
    }

    pub fn squeeze(&mut self, st: u32, n: usize) -> Result<Vec<u8>, CryptoErrno> {
        let p = self.alloc(n);
        match self.call("symmetric_state_squeeze", &[st.into(), p, n as u64]) {
            CryptoErrno::Success => Ok(self.bytes_at(p, n)),
            e => Err(e),
        }
    }

    pub fn options_open(&mut self, alg_type: u64) -> Result<u32, CryptoErrno> {
        let out = self.alloc(4);
        match self.call("options_open", &[alg_type, out]) {
            CryptoErrno::Success => Ok(self.u32_at(out)),
            e => Err(e),
        }
    }
}

pub fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A context with its own generator, through the Rust API (the contract tests).
pub fn ctx() -> Ctx {
    Ctx::with_rng(Config::default(), InstanceRng::new(&test_base()))
}

/// The whole content of an array output.
pub fn pull(ctx: &mut Ctx, a: ArrayOutput) -> Vec<u8> {
    let mut v = vec![0; ctx.array_output_len(a).unwrap()];
    ctx.array_output_pull(a, &mut v).unwrap();
    v
}

/// A signature over `parts`, absorbed in turn.
pub fn sign(ctx: &mut Ctx, kp: Keypair, parts: &[&[u8]]) -> Signature {
    let st = ctx.signature_state_open(kp).unwrap();
    for p in parts {
        ctx.signature_state_update(st, p).unwrap();
    }
    let sig = ctx.signature_state_sign(st).unwrap();
    ctx.signature_state_close(st).unwrap();
    sig
}

/// The verification of `sig` over `msg`.
pub fn verify(ctx: &mut Ctx, pk: Publickey, msg: &[u8], sig: Signature) -> Result<(), Error> {
    let st = ctx.signature_verification_state_open(pk).unwrap();
    ctx.signature_verification_state_update(st, msg).unwrap();
    let r = ctx.signature_verification_state_verify(st, sig);
    ctx.signature_verification_state_close(st).unwrap();
    r
}

/// A signature's `raw` encoding.
pub fn raw_sig(ctx: &mut Ctx, sig: Signature) -> Vec<u8> {
    let a = ctx.signature_export(sig, SignatureEncoding::Raw).unwrap();
    pull(ctx, a)
}
