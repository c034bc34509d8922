//! The ABI edge: one table describing all 78 witx functions (module, name, core-Wasm signature,
//! entry point), and the entry points that turn raw arguments and guest memory into typed calls
//! on [`Ctx`].
//!
//! A binding walks [`FUNCTIONS`] and registers each entry with its engine; it adds no
//! cryptography and no semantics. Each entry point receives the instance's [`Ctx`], its linear
//! memory as `&mut [u8]`, and its arguments as `u64`s (an `i32` zero-extended, an `i64` as is),
//! and returns the `crypto_errno` as `i32`. Every pointer/length pair is bounds-checked, every
//! union tag and enum decoded, and out-pointers are checked before and written only after the
//! operation succeeds. Nothing here panics on any input.

mod entries;
pub(crate) mod mem;

use crate::Ctx;
use crate::errno::{CryptoErrno, Result};

/// A core-Wasm value type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValType {
    /// `i32`: handles, enums, pointers, sizes.
    I32,
    /// `i64`: `u64` values, versions, timestamps.
    I64,
}

/// An entry point: `(ctx, linear memory, arguments) -> crypto_errno`.
pub type EntryPoint = fn(&mut Ctx, &mut [u8], &[u64]) -> i32;

/// One witx function as a core-Wasm import. Every function returns one `i32` (the errno).
#[derive(Clone, Copy)]
pub struct Function {
    /// Import module, e.g. `wasi_ephemeral_crypto_symmetric`.
    pub module: &'static str,
    /// Import name, e.g. `symmetric_state_absorb`.
    pub name: &'static str,
    /// Parameter types, in order (results are always `[i32]`).
    pub params: &'static [ValType],
    /// The entry point. `args.len()` must equal `params.len()`; otherwise it returns
    /// `internal_error` without doing anything.
    pub call: EntryPoint,
}

impl core::fmt::Debug for Function {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Function")
            .field("module", &self.module)
            .field("name", &self.name)
            .field("params", &self.params)
            .finish()
    }
}

/// `wasi_ephemeral_crypto_common`
pub const COMMON: &str = "wasi_ephemeral_crypto_common";
/// `wasi_ephemeral_crypto_asymmetric_common`
pub const ASYMMETRIC_COMMON: &str = "wasi_ephemeral_crypto_asymmetric_common";
/// `wasi_ephemeral_crypto_signatures`
pub const SIGNATURES: &str = "wasi_ephemeral_crypto_signatures";
/// `wasi_ephemeral_crypto_kx`
pub const KX: &str = "wasi_ephemeral_crypto_kx";
/// `wasi_ephemeral_crypto_symmetric`
pub const SYMMETRIC: &str = "wasi_ephemeral_crypto_symmetric";
/// `wasi_ephemeral_crypto_external_secrets`
pub const EXTERNAL_SECRETS: &str = "wasi_ephemeral_crypto_external_secrets";

#[inline]
fn errno(r: Result<()>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => i32::from(CryptoErrno::from(e).raw()),
    }
}

const INTERNAL_ERROR: i32 = CryptoErrno::InternalError as i32;

macro_rules! table {
    ($($module:ident { $($name:ident($($t:ident),*);)* })*) => {
        /// All 78 functions, grouped by module in witx order.
        pub static FUNCTIONS: &[Function] = &[$($(
            Function {
                module: $module,
                name: stringify!($name),
                params: &[$(ValType::$t),*],
                call: |ctx, mem, args| match args.try_into() {
                    Ok(a) => errno(entries::$name(ctx, mem, a)),
                    Err(_) => INTERNAL_ERROR,
                },
            },
        )*)*];
    };
}

table! {
    COMMON {
        options_open(I32, I32);
        options_close(I32);
        options_set(I32, I32, I32, I32, I32);
        options_set_u64(I32, I32, I32, I64);
        options_set_guest_buffer(I32, I32, I32, I32, I32);
        array_output_len(I32, I32);
        array_output_pull(I32, I32, I32, I32);
        secrets_manager_open(I32, I32);
        secrets_manager_close(I32);
        secrets_manager_invalidate(I32, I32, I32, I64);
    }
    ASYMMETRIC_COMMON {
        keypair_generate(I32, I32, I32, I32, I32);
        keypair_import(I32, I32, I32, I32, I32, I32, I32);
        keypair_generate_managed(I32, I32, I32, I32, I32, I32);
        keypair_store_managed(I32, I32, I32, I32);
        keypair_replace_managed(I32, I32, I32, I32);
        keypair_id(I32, I32, I32, I32, I32);
        keypair_from_id(I32, I32, I32, I64, I32);
        keypair_from_pk_and_sk(I32, I32, I32);
        keypair_export(I32, I32, I32);
        keypair_publickey(I32, I32);
        keypair_secretkey(I32, I32);
        keypair_close(I32);
        publickey_import(I32, I32, I32, I32, I32, I32, I32);
        publickey_export(I32, I32, I32);
        publickey_verify(I32);
        publickey_from_secretkey(I32, I32);
        publickey_close(I32);
        secretkey_import(I32, I32, I32, I32, I32, I32, I32);
        secretkey_export(I32, I32, I32);
        secretkey_close(I32);
    }
    SYMMETRIC {
        symmetric_key_generate(I32, I32, I32, I32);
        symmetric_key_import(I32, I32, I32, I32, I32);
        symmetric_key_export(I32, I32);
        symmetric_key_close(I32);
        symmetric_key_generate_managed(I32, I32, I32, I32, I32);
        symmetric_key_store_managed(I32, I32, I32, I32);
        symmetric_key_replace_managed(I32, I32, I32, I32);
        symmetric_key_id(I32, I32, I32, I32, I32);
        symmetric_key_from_id(I32, I32, I32, I64, I32);
        symmetric_state_open(I32, I32, I32, I32, I32);
        symmetric_state_options_get(I32, I32, I32, I32, I32, I32);
        symmetric_state_options_get_u64(I32, I32, I32, I32);
        symmetric_state_clone(I32, I32);
        symmetric_state_close(I32);
        symmetric_state_absorb(I32, I32, I32);
        symmetric_state_squeeze(I32, I32, I32);
        symmetric_state_squeeze_tag(I32, I32);
        symmetric_state_squeeze_key(I32, I32, I32, I32);
        symmetric_state_max_tag_len(I32, I32);
        symmetric_state_encrypt(I32, I32, I32, I32, I32, I32);
        symmetric_state_encrypt_detached(I32, I32, I32, I32, I32, I32);
        symmetric_state_decrypt(I32, I32, I32, I32, I32, I32);
        symmetric_state_decrypt_detached(I32, I32, I32, I32, I32, I32, I32, I32);
        symmetric_state_ratchet(I32);
        symmetric_tag_len(I32, I32);
        symmetric_tag_pull(I32, I32, I32, I32);
        symmetric_tag_verify(I32, I32, I32);
        symmetric_tag_close(I32);
    }
    SIGNATURES {
        signature_export(I32, I32, I32);
        signature_import(I32, I32, I32, I32, I32, I32);
        signature_state_open(I32, I32);
        signature_state_update(I32, I32, I32);
        signature_state_sign(I32, I32);
        signature_state_close(I32);
        signature_verification_state_open(I32, I32);
        signature_verification_state_update(I32, I32, I32);
        signature_verification_state_verify(I32, I32);
        signature_verification_state_close(I32);
        signature_close(I32);
    }
    KX {
        kx_dh(I32, I32, I32);
        kx_encapsulate(I32, I32, I32);
        kx_decapsulate(I32, I32, I32, I32);
    }
    EXTERNAL_SECRETS {
        external_secret_store(I32, I32, I32, I64, I32, I32);
        external_secret_replace(I32, I32, I32, I64, I32, I32, I32);
        external_secret_from_id(I32, I32, I32, I64, I32);
        external_secret_invalidate(I32, I32, I32, I64);
        external_secret_encapsulate(I32, I32, I32, I64, I32);
        external_secret_decapsulate(I32, I32, I32, I32);
    }
}

/// `wasi_snapshot_preview1`, for `random_get`.
pub const WASI_PREVIEW1: &str = "wasi_snapshot_preview1";

/// WASI preview 1 errno `fault`: a buffer outside linear memory.
pub const WASI_EFAULT: i32 = 21;
/// WASI preview 1 errno `nosys`: a deterministic context has no randomness.
pub const WASI_ENOSYS: i32 = 52;

/// `wasi_snapshot_preview1.random_get(buf: i32, buf_len: i32) -> errno`, served by the
/// context's own generator. Unlike the table's functions it returns a WASI errno: 0, `fault`
/// for a buffer outside memory (nothing written), `nosys` for a deterministic context (whose
/// binding should not have linked it).
pub static RANDOM_GET: Function = Function {
    module: WASI_PREVIEW1,
    name: "random_get",
    params: &[ValType::I32, ValType::I32],
    call: |ctx, mem, args| match <[u64; 2]>::try_from(args) {
        Ok([p, l]) => random_get(ctx, mem, mem::lo32(p), mem::lo32(l)),
        Err(_) => INTERNAL_ERROR,
    },
};

/// The typed entry point behind [`RANDOM_GET`], for bindings that call it directly (it is the
/// hottest import a guest has).
#[inline]
pub fn random_get(ctx: &mut Ctx, memory: &mut [u8], buf: u32, buf_len: u32) -> i32 {
    match mem::span(memory.len(), buf.into(), buf_len.into()).and_then(|s| mem::write(memory, s)) {
        Ok(dest) => match ctx.random_fill(dest) {
            Ok(()) => 0,
            Err(_) => WASI_ENOSYS,
        },
        Err(_) => WASI_EFAULT,
    }
}

/// Finds a function by import module and name.
pub fn find(module: &str, name: &str) -> Option<&'static Function> {
    FUNCTIONS
        .iter()
        .find(|f| f.module == module && f.name == name)
}

/// Calls the function at `index` of [`FUNCTIONS`]: what a binding does on each host call.
/// An index past the table is `internal_error`.
#[inline]
pub fn call(index: usize, ctx: &mut Ctx, memory: &mut [u8], args: &[u64]) -> i32 {
    match FUNCTIONS.get(index) {
        Some(f) => (f.call)(ctx, memory, args),
        None => INTERNAL_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventy_eight_unique_functions() {
        assert_eq!(FUNCTIONS.len(), 78);
        for (i, f) in FUNCTIONS.iter().enumerate() {
            for g in &FUNCTIONS[i + 1..] {
                assert!(f.module != g.module || f.name != g.name, "{} twice", f.name);
            }
        }
    }

    #[test]
    fn wrong_arity_is_internal_error() {
        let mut ctx = Ctx::default();
        let mut mem = [0u8; 16];
        let f = find(COMMON, "options_open").unwrap();
        assert_eq!((f.call)(&mut ctx, &mut mem, &[1]), INTERNAL_ERROR);
        assert_eq!(call(78, &mut ctx, &mut mem, &[]), INTERNAL_ERROR);
    }
}
