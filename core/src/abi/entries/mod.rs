//! One entry point per witx function. Each first turns every pointer/length pair and
//! out-pointer into a checked span (`guest_error`), then decodes enums and unions, then calls
//! the typed [`Ctx`] method, and writes out-values only once it succeeded.

use super::mem::{self, Name, Span, lo32, opt_handle, out, put_size, put_u32, put_u64, read, span};
use crate::Ctx;
use crate::errno::Result;
use crate::types::{
    AlgorithmType, ArrayOutput, Keypair, KeypairEncoding, Options, Publickey, PublickeyEncoding,
    Secretkey, SecretkeyEncoding, SecretsManager, Signature, SignatureEncoding, SignatureState,
    SignatureVerificationState, SymmetricKey, SymmetricState, SymmetricTag, Version,
};

type A<const N: usize> = [u64; N];

#[inline]
fn handle<T>(from_raw: fn(u32) -> T, v: u64) -> T {
    from_raw(lo32(v))
}

#[inline]
fn sp(mem: &[u8], ptr: u64, len: u64) -> Result<Span> {
    span(mem.len(), ptr, len)
}

#[inline]
fn o32(mem: &[u8], ptr: u64) -> Result<Span> {
    out(mem.len(), ptr, 4)
}

#[inline]
fn o64(mem: &[u8], ptr: u64) -> Result<Span> {
    out(mem.len(), ptr, 8)
}

#[inline]
fn opt_options(mem: &[u8], ptr: u64) -> Result<Option<Options>> {
    Ok(opt_handle(mem, ptr)?.map(Options::from_raw))
}

mod asymmetric_common;
mod common;
mod external_secrets;
mod kx;
mod signatures;
mod symmetric;

pub(super) use asymmetric_common::*;
pub(super) use common::*;
pub(super) use external_secrets::*;
pub(super) use kx::*;
pub(super) use signatures::*;
pub(super) use symmetric::*;
