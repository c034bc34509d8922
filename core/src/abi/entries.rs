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

// ---- wasi_ephemeral_crypto_common -----------------------------------------------------------

#[inline]
pub(super) fn options_open(ctx: &mut Ctx, m: &mut [u8], [t, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let t = AlgorithmType::from_raw(lo32(t))?;
    let h = ctx.options_open(t)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn options_close(ctx: &mut Ctx, _m: &mut [u8], [h]: A<1>) -> Result<()> {
    ctx.options_close(handle(Options::from_raw, h))
}

#[inline]
pub(super) fn options_set(ctx: &mut Ctx, m: &mut [u8], [h, np, nl, vp, vl]: A<5>) -> Result<()> {
    let (n, v) = (sp(m, np, nl)?, sp(m, vp, vl)?);
    ctx.options_set(handle(Options::from_raw, h), read(m, n)?, read(m, v)?)
}

#[inline]
pub(super) fn options_set_u64(ctx: &mut Ctx, m: &mut [u8], [h, np, nl, v]: A<4>) -> Result<()> {
    let n = sp(m, np, nl)?;
    ctx.options_set_u64(handle(Options::from_raw, h), read(m, n)?, v)
}

#[inline]
pub(super) fn options_set_guest_buffer(
    ctx: &mut Ctx,
    m: &mut [u8],
    [h, np, nl, bp, bl]: A<5>,
) -> Result<()> {
    let n = sp(m, np, nl)?;
    sp(m, bp, bl)?;
    ctx.options_set_guest_buffer(handle(Options::from_raw, h), read(m, n)?)
}

#[inline]
pub(super) fn array_output_len(ctx: &mut Ctx, m: &mut [u8], [h, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let n = ctx.array_output_len(handle(ArrayOutput::from_raw, h))?;
    put_size(m, o, n)
}

#[inline]
pub(super) fn array_output_pull(ctx: &mut Ctx, m: &mut [u8], [h, bp, bl, o]: A<4>) -> Result<()> {
    let (b, o) = (sp(m, bp, bl)?, o32(m, o)?);
    let n = ctx.array_output_pull(handle(ArrayOutput::from_raw, h), mem::write(m, b)?)?;
    put_size(m, o, n)
}

#[inline]
pub(super) fn secrets_manager_open(ctx: &mut Ctx, m: &mut [u8], [op, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let opts = opt_options(m, op)?;
    let h = ctx.secrets_manager_open(opts)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn secrets_manager_close(ctx: &mut Ctx, _m: &mut [u8], [h]: A<1>) -> Result<()> {
    ctx.secrets_manager_close(handle(SecretsManager::from_raw, h))
}

#[inline]
pub(super) fn secrets_manager_invalidate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [h, ip, il, v]: A<4>,
) -> Result<()> {
    let id = sp(m, ip, il)?;
    ctx.secrets_manager_invalidate(
        handle(SecretsManager::from_raw, h),
        read(m, id)?,
        Version(v),
    )
}

// ---- wasi_ephemeral_crypto_asymmetric_common ------------------------------------------------

#[inline]
pub(super) fn keypair_generate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [t, ap, al, op, o]: A<5>,
) -> Result<()> {
    let (a, o) = (sp(m, ap, al)?, o32(m, o)?);
    let opts = opt_options(m, op)?;
    let t = AlgorithmType::from_raw(lo32(t))?;
    let h = ctx.keypair_generate(t, read(m, a)?, opts)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn keypair_import(
    ctx: &mut Ctx,
    m: &mut [u8],
    [t, ap, al, ep, el, enc, o]: A<7>,
) -> Result<()> {
    let (a, e, o) = (sp(m, ap, al)?, sp(m, ep, el)?, o32(m, o)?);
    let t = AlgorithmType::from_raw(lo32(t))?;
    let enc = KeypairEncoding::from_raw(lo32(enc))?;
    let h = ctx.keypair_import(t, read(m, a)?, read(m, e)?, enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn keypair_generate_managed(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, t, ap, al, op, o]: A<6>,
) -> Result<()> {
    let (a, o) = (sp(m, ap, al)?, o32(m, o)?);
    let opts = opt_options(m, op)?;
    let t = AlgorithmType::from_raw(lo32(t))?;
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.keypair_generate_managed(sm, t, read(m, a)?, opts)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn keypair_store_managed(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, kp, ip, il]: A<4>,
) -> Result<()> {
    let id = sp(m, ip, il)?;
    ctx.keypair_store_managed(
        handle(SecretsManager::from_raw, sm),
        handle(Keypair::from_raw, kp),
        mem::write(m, id)?,
    )
}

#[inline]
pub(super) fn keypair_replace_managed(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, old, new, o]: A<4>,
) -> Result<()> {
    let o = o64(m, o)?;
    let v = ctx.keypair_replace_managed(
        handle(SecretsManager::from_raw, sm),
        handle(Keypair::from_raw, old),
        handle(Keypair::from_raw, new),
    )?;
    put_u64(m, o, v.0)
}

#[inline]
pub(super) fn keypair_id(ctx: &mut Ctx, m: &mut [u8], [kp, ip, il, o1, o2]: A<5>) -> Result<()> {
    let (id, o1, o2) = (sp(m, ip, il)?, o32(m, o1)?, o64(m, o2)?);
    let (n, v) = ctx.keypair_id(handle(Keypair::from_raw, kp), mem::write(m, id)?)?;
    put_size(m, o1, n)?;
    put_u64(m, o2, v.0)
}

#[inline]
pub(super) fn keypair_from_id(ctx: &mut Ctx, m: &mut [u8], [sm, ip, il, v, o]: A<5>) -> Result<()> {
    let (id, o) = (sp(m, ip, il)?, o32(m, o)?);
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.keypair_from_id(sm, read(m, id)?, Version(v))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn keypair_from_pk_and_sk(ctx: &mut Ctx, m: &mut [u8], [pk, sk, o]: A<3>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.keypair_from_pk_and_sk(
        handle(Publickey::from_raw, pk),
        handle(Secretkey::from_raw, sk),
    )?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn keypair_export(ctx: &mut Ctx, m: &mut [u8], [kp, enc, o]: A<3>) -> Result<()> {
    let o = o32(m, o)?;
    let enc = KeypairEncoding::from_raw(lo32(enc))?;
    let h = ctx.keypair_export(handle(Keypair::from_raw, kp), enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn keypair_publickey(ctx: &mut Ctx, m: &mut [u8], [kp, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.keypair_publickey(handle(Keypair::from_raw, kp))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn keypair_secretkey(ctx: &mut Ctx, m: &mut [u8], [kp, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.keypair_secretkey(handle(Keypair::from_raw, kp))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn keypair_close(ctx: &mut Ctx, _m: &mut [u8], [kp]: A<1>) -> Result<()> {
    ctx.keypair_close(handle(Keypair::from_raw, kp))
}

#[inline]
pub(super) fn publickey_import(
    ctx: &mut Ctx,
    m: &mut [u8],
    [t, ap, al, ep, el, enc, o]: A<7>,
) -> Result<()> {
    let (a, e, o) = (sp(m, ap, al)?, sp(m, ep, el)?, o32(m, o)?);
    let t = AlgorithmType::from_raw(lo32(t))?;
    let enc = PublickeyEncoding::from_raw(lo32(enc))?;
    let h = ctx.publickey_import(t, read(m, a)?, read(m, e)?, enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn publickey_export(ctx: &mut Ctx, m: &mut [u8], [pk, enc, o]: A<3>) -> Result<()> {
    let o = o32(m, o)?;
    let enc = PublickeyEncoding::from_raw(lo32(enc))?;
    let h = ctx.publickey_export(handle(Publickey::from_raw, pk), enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn publickey_verify(ctx: &mut Ctx, _m: &mut [u8], [pk]: A<1>) -> Result<()> {
    ctx.publickey_verify(handle(Publickey::from_raw, pk))
}

#[inline]
pub(super) fn publickey_from_secretkey(ctx: &mut Ctx, m: &mut [u8], [sk, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.publickey_from_secretkey(handle(Secretkey::from_raw, sk))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn publickey_close(ctx: &mut Ctx, _m: &mut [u8], [pk]: A<1>) -> Result<()> {
    ctx.publickey_close(handle(Publickey::from_raw, pk))
}

#[inline]
pub(super) fn secretkey_import(
    ctx: &mut Ctx,
    m: &mut [u8],
    [t, ap, al, ep, el, enc, o]: A<7>,
) -> Result<()> {
    let (a, e, o) = (sp(m, ap, al)?, sp(m, ep, el)?, o32(m, o)?);
    let t = AlgorithmType::from_raw(lo32(t))?;
    let enc = SecretkeyEncoding::from_raw(lo32(enc))?;
    let h = ctx.secretkey_import(t, read(m, a)?, read(m, e)?, enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn secretkey_export(ctx: &mut Ctx, m: &mut [u8], [sk, enc, o]: A<3>) -> Result<()> {
    let o = o32(m, o)?;
    let enc = SecretkeyEncoding::from_raw(lo32(enc))?;
    let h = ctx.secretkey_export(handle(Secretkey::from_raw, sk), enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn secretkey_close(ctx: &mut Ctx, _m: &mut [u8], [sk]: A<1>) -> Result<()> {
    ctx.secretkey_close(handle(Secretkey::from_raw, sk))
}

// ---- wasi_ephemeral_crypto_signatures -------------------------------------------------------

#[inline]
pub(super) fn signature_export(ctx: &mut Ctx, m: &mut [u8], [s, enc, o]: A<3>) -> Result<()> {
    let o = o32(m, o)?;
    let enc = SignatureEncoding::from_raw(lo32(enc))?;
    let h = ctx.signature_export(handle(Signature::from_raw, s), enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn signature_import(
    ctx: &mut Ctx,
    m: &mut [u8],
    [ap, al, ep, el, enc, o]: A<6>,
) -> Result<()> {
    let (a, e, o) = (sp(m, ap, al)?, sp(m, ep, el)?, o32(m, o)?);
    let enc = SignatureEncoding::from_raw(lo32(enc))?;
    let h = ctx.signature_import(read(m, a)?, read(m, e)?, enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn signature_state_open(ctx: &mut Ctx, m: &mut [u8], [kp, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.signature_state_open(handle(Keypair::from_raw, kp))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn signature_state_update(ctx: &mut Ctx, m: &mut [u8], [s, ip, il]: A<3>) -> Result<()> {
    let i = sp(m, ip, il)?;
    ctx.signature_state_update(handle(SignatureState::from_raw, s), read(m, i)?)
}

#[inline]
pub(super) fn signature_state_sign(ctx: &mut Ctx, m: &mut [u8], [s, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.signature_state_sign(handle(SignatureState::from_raw, s))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn signature_state_close(ctx: &mut Ctx, _m: &mut [u8], [s]: A<1>) -> Result<()> {
    ctx.signature_state_close(handle(SignatureState::from_raw, s))
}

#[inline]
pub(super) fn signature_verification_state_open(
    ctx: &mut Ctx,
    m: &mut [u8],
    [pk, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.signature_verification_state_open(handle(Publickey::from_raw, pk))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn signature_verification_state_update(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, ip, il]: A<3>,
) -> Result<()> {
    let i = sp(m, ip, il)?;
    let s = handle(SignatureVerificationState::from_raw, s);
    ctx.signature_verification_state_update(s, read(m, i)?)
}

#[inline]
pub(super) fn signature_verification_state_verify(
    ctx: &mut Ctx,
    _m: &mut [u8],
    [s, sig]: A<2>,
) -> Result<()> {
    ctx.signature_verification_state_verify(
        handle(SignatureVerificationState::from_raw, s),
        handle(Signature::from_raw, sig),
    )
}

#[inline]
pub(super) fn signature_verification_state_close(
    ctx: &mut Ctx,
    _m: &mut [u8],
    [s]: A<1>,
) -> Result<()> {
    ctx.signature_verification_state_close(handle(SignatureVerificationState::from_raw, s))
}

#[inline]
pub(super) fn signature_close(ctx: &mut Ctx, _m: &mut [u8], [s]: A<1>) -> Result<()> {
    ctx.signature_close(handle(Signature::from_raw, s))
}

// ---- wasi_ephemeral_crypto_kx ---------------------------------------------------------------

#[inline]
pub(super) fn kx_dh(ctx: &mut Ctx, m: &mut [u8], [pk, sk, o]: A<3>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.kx_dh(
        handle(Publickey::from_raw, pk),
        handle(Secretkey::from_raw, sk),
    )?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn kx_encapsulate(ctx: &mut Ctx, m: &mut [u8], [pk, o1, o2]: A<3>) -> Result<()> {
    let (o1, o2) = (o32(m, o1)?, o32(m, o2)?);
    let (secret, enc) = ctx.kx_encapsulate(handle(Publickey::from_raw, pk))?;
    put_u32(m, o1, secret.raw())?;
    put_u32(m, o2, enc.raw())
}

#[inline]
pub(super) fn kx_decapsulate(ctx: &mut Ctx, m: &mut [u8], [sk, ep, el, o]: A<4>) -> Result<()> {
    let (e, o) = (sp(m, ep, el)?, o32(m, o)?);
    let h = ctx.kx_decapsulate(handle(Secretkey::from_raw, sk), read(m, e)?)?;
    put_u32(m, o, h.raw())
}

// ---- wasi_ephemeral_crypto_external_secrets -------------------------------------------------

#[inline]
pub(super) fn external_secret_store(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, sp_, sl, exp, ip, il]: A<6>,
) -> Result<()> {
    let (s, id) = (sp(m, sp_, sl)?, sp(m, ip, il)?);
    let sm = handle(SecretsManager::from_raw, sm);
    mem::with_in_out(m, id, s, |id, s| ctx.external_secret_store(sm, s, exp, id))
}

#[inline]
pub(super) fn external_secret_replace(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, sp_, sl, exp, ip, il, o]: A<7>,
) -> Result<()> {
    let (s, id, o) = (sp(m, sp_, sl)?, sp(m, ip, il)?, o64(m, o)?);
    let sm = handle(SecretsManager::from_raw, sm);
    let v = ctx.external_secret_replace(sm, read(m, s)?, exp, read(m, id)?)?;
    put_u64(m, o, v.0)
}

#[inline]
pub(super) fn external_secret_from_id(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, ip, il, v, o]: A<5>,
) -> Result<()> {
    let (id, o) = (sp(m, ip, il)?, o32(m, o)?);
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.external_secret_from_id(sm, read(m, id)?, Version(v))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn external_secret_invalidate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, ip, il, v]: A<4>,
) -> Result<()> {
    let id = sp(m, ip, il)?;
    let sm = handle(SecretsManager::from_raw, sm);
    ctx.external_secret_invalidate(sm, read(m, id)?, Version(v))
}

#[inline]
pub(super) fn external_secret_encapsulate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, sp_, sl, exp, o]: A<5>,
) -> Result<()> {
    let (s, o) = (sp(m, sp_, sl)?, o32(m, o)?);
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.external_secret_encapsulate(sm, read(m, s)?, exp)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn external_secret_decapsulate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, ep, el, o]: A<4>,
) -> Result<()> {
    let (e, o) = (sp(m, ep, el)?, o32(m, o)?);
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.external_secret_decapsulate(sm, read(m, e)?)?;
    put_u32(m, o, h.raw())
}

// ---- wasi_ephemeral_crypto_symmetric --------------------------------------------------------

#[inline]
pub(super) fn symmetric_key_generate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [ap, al, op, o]: A<4>,
) -> Result<()> {
    let (a, o) = (sp(m, ap, al)?, o32(m, o)?);
    let opts = opt_options(m, op)?;
    let h = ctx.symmetric_key_generate(read(m, a)?, opts)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_key_import(
    ctx: &mut Ctx,
    m: &mut [u8],
    [ap, al, rp, rl, o]: A<5>,
) -> Result<()> {
    let (a, r, o) = (sp(m, ap, al)?, sp(m, rp, rl)?, o32(m, o)?);
    let h = ctx.symmetric_key_import(read(m, a)?, read(m, r)?)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_key_export(ctx: &mut Ctx, m: &mut [u8], [k, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.symmetric_key_export(handle(SymmetricKey::from_raw, k))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_key_close(ctx: &mut Ctx, _m: &mut [u8], [k]: A<1>) -> Result<()> {
    ctx.symmetric_key_close(handle(SymmetricKey::from_raw, k))
}

#[inline]
pub(super) fn symmetric_key_generate_managed(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, ap, al, op, o]: A<5>,
) -> Result<()> {
    let (a, o) = (sp(m, ap, al)?, o32(m, o)?);
    let opts = opt_options(m, op)?;
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.symmetric_key_generate_managed(sm, read(m, a)?, opts)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_key_store_managed(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, k, ip, il]: A<4>,
) -> Result<()> {
    let id = sp(m, ip, il)?;
    ctx.symmetric_key_store_managed(
        handle(SecretsManager::from_raw, sm),
        handle(SymmetricKey::from_raw, k),
        mem::write(m, id)?,
    )
}

#[inline]
pub(super) fn symmetric_key_replace_managed(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, old, new, o]: A<4>,
) -> Result<()> {
    let o = o64(m, o)?;
    let v = ctx.symmetric_key_replace_managed(
        handle(SecretsManager::from_raw, sm),
        handle(SymmetricKey::from_raw, old),
        handle(SymmetricKey::from_raw, new),
    )?;
    put_u64(m, o, v.0)
}

#[inline]
pub(super) fn symmetric_key_id(
    ctx: &mut Ctx,
    m: &mut [u8],
    [k, ip, il, o1, o2]: A<5>,
) -> Result<()> {
    let (id, o1, o2) = (sp(m, ip, il)?, o32(m, o1)?, o64(m, o2)?);
    let (n, v) = ctx.symmetric_key_id(handle(SymmetricKey::from_raw, k), mem::write(m, id)?)?;
    put_size(m, o1, n)?;
    put_u64(m, o2, v.0)
}

#[inline]
pub(super) fn symmetric_key_from_id(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, ip, il, v, o]: A<5>,
) -> Result<()> {
    let (id, o) = (sp(m, ip, il)?, o32(m, o)?);
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.symmetric_key_from_id(sm, read(m, id)?, Version(v))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_state_open(
    ctx: &mut Ctx,
    m: &mut [u8],
    [ap, al, kp, op, o]: A<5>,
) -> Result<()> {
    let (a, o) = (sp(m, ap, al)?, o32(m, o)?);
    let key = opt_handle(m, kp)?.map(SymmetricKey::from_raw);
    let opts = opt_options(m, op)?;
    let h = ctx.symmetric_state_open(read(m, a)?, key, opts)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_state_options_get(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, np, nl, vp, vl, o]: A<6>,
) -> Result<()> {
    let (n, v, o) = (sp(m, np, nl)?, sp(m, vp, vl)?, o32(m, o)?);
    let name = Name::copy(m, n)?;
    let s = handle(SymmetricState::from_raw, s);
    let len = ctx.symmetric_state_options_get(s, name.as_bytes(), mem::write(m, v)?)?;
    put_size(m, o, len)
}

#[inline]
pub(super) fn symmetric_state_options_get_u64(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, np, nl, o]: A<4>,
) -> Result<()> {
    let (n, o) = (sp(m, np, nl)?, o64(m, o)?);
    let v =
        ctx.symmetric_state_options_get_u64(handle(SymmetricState::from_raw, s), read(m, n)?)?;
    put_u64(m, o, v)
}

#[inline]
pub(super) fn symmetric_state_clone(ctx: &mut Ctx, m: &mut [u8], [s, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.symmetric_state_clone(handle(SymmetricState::from_raw, s))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_state_close(ctx: &mut Ctx, _m: &mut [u8], [s]: A<1>) -> Result<()> {
    ctx.symmetric_state_close(handle(SymmetricState::from_raw, s))
}

#[inline]
pub(super) fn symmetric_state_absorb(ctx: &mut Ctx, m: &mut [u8], [s, dp, dl]: A<3>) -> Result<()> {
    let d = sp(m, dp, dl)?;
    ctx.symmetric_state_absorb(handle(SymmetricState::from_raw, s), read(m, d)?)
}

#[inline]
pub(super) fn symmetric_state_squeeze(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol]: A<3>,
) -> Result<()> {
    let out = sp(m, op, ol)?;
    ctx.symmetric_state_squeeze(handle(SymmetricState::from_raw, s), mem::write(m, out)?)
}

#[inline]
pub(super) fn symmetric_state_squeeze_tag(ctx: &mut Ctx, m: &mut [u8], [s, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.symmetric_state_squeeze_tag(handle(SymmetricState::from_raw, s))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_state_squeeze_key(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, ap, al, o]: A<4>,
) -> Result<()> {
    let (a, o) = (sp(m, ap, al)?, o32(m, o)?);
    let h = ctx.symmetric_state_squeeze_key(handle(SymmetricState::from_raw, s), read(m, a)?)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(super) fn symmetric_state_max_tag_len(ctx: &mut Ctx, m: &mut [u8], [s, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let n = ctx.symmetric_state_max_tag_len(handle(SymmetricState::from_raw, s))?;
    put_size(m, o, n)
}

#[inline]
pub(super) fn symmetric_state_encrypt(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol, dp, dl, o]: A<6>,
) -> Result<()> {
    let (out, d, o) = (sp(m, op, ol)?, sp(m, dp, dl)?, o32(m, o)?);
    let s = handle(SymmetricState::from_raw, s);
    let n = mem::with_in_out(m, out, d, |out, d| ctx.symmetric_state_encrypt(s, out, d))?;
    put_size(m, o, n)
}

#[inline]
pub(super) fn symmetric_state_encrypt_detached(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol, dp, dl, o]: A<6>,
) -> Result<()> {
    let (out, d, o) = (sp(m, op, ol)?, sp(m, dp, dl)?, o32(m, o)?);
    let s = handle(SymmetricState::from_raw, s);
    let t = mem::with_in_out(m, out, d, |out, d| {
        ctx.symmetric_state_encrypt_detached(s, out, d)
    })?;
    put_u32(m, o, t.raw())
}

#[inline]
pub(super) fn symmetric_state_decrypt(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol, dp, dl, o]: A<6>,
) -> Result<()> {
    let (out, d, o) = (sp(m, op, ol)?, sp(m, dp, dl)?, o32(m, o)?);
    let s = handle(SymmetricState::from_raw, s);
    let n = mem::with_in_out(m, out, d, |out, d| ctx.symmetric_state_decrypt(s, out, d))?;
    put_size(m, o, n)
}

#[inline]
pub(super) fn symmetric_state_decrypt_detached(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol, dp, dl, tp, tl, o]: A<8>,
) -> Result<()> {
    let (out, d, t, o) = (sp(m, op, ol)?, sp(m, dp, dl)?, sp(m, tp, tl)?, o32(m, o)?);
    let s = handle(SymmetricState::from_raw, s);
    // Tags are short: a copy keeps the tag readable while `out` is borrowed mutably. A tag
    // longer than any algorithm's is cut to 65 bytes, which is still the wrong length for all
    // of them (`invalid_tag`).
    let mut tag_buf = [0u8; 65];
    let tag_len = t.len().min(tag_buf.len());
    if let (Some(dst), Some(src)) = (tag_buf.get_mut(..tag_len), read(m, t)?.get(..tag_len)) {
        dst.copy_from_slice(src);
    }
    let tag = tag_buf.get(..tag_len).unwrap_or(&[]);
    let n = mem::with_in_out(m, out, d, |out, d| {
        ctx.symmetric_state_decrypt_detached(s, out, d, tag)
    })?;
    put_size(m, o, n)
}

#[inline]
pub(super) fn symmetric_state_ratchet(ctx: &mut Ctx, _m: &mut [u8], [s]: A<1>) -> Result<()> {
    ctx.symmetric_state_ratchet(handle(SymmetricState::from_raw, s))
}

#[inline]
pub(super) fn symmetric_tag_len(ctx: &mut Ctx, m: &mut [u8], [t, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let n = ctx.symmetric_tag_len(handle(SymmetricTag::from_raw, t))?;
    put_size(m, o, n)
}

#[inline]
pub(super) fn symmetric_tag_pull(ctx: &mut Ctx, m: &mut [u8], [t, bp, bl, o]: A<4>) -> Result<()> {
    let (b, o) = (sp(m, bp, bl)?, o32(m, o)?);
    let n = ctx.symmetric_tag_pull(handle(SymmetricTag::from_raw, t), mem::write(m, b)?)?;
    put_size(m, o, n)
}

#[inline]
pub(super) fn symmetric_tag_verify(ctx: &mut Ctx, m: &mut [u8], [t, ep, el]: A<3>) -> Result<()> {
    let e = sp(m, ep, el)?;
    ctx.symmetric_tag_verify(handle(SymmetricTag::from_raw, t), read(m, e)?)
}

#[inline]
pub(super) fn symmetric_tag_close(ctx: &mut Ctx, _m: &mut [u8], [t]: A<1>) -> Result<()> {
    ctx.symmetric_tag_close(handle(SymmetricTag::from_raw, t))
}
