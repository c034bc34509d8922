//! Entry points of `wasi_ephemeral_crypto_external_secrets`.

use super::*;

#[inline]
pub(in crate::abi) fn external_secret_store(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, sp_, sl, exp, ip, il]: A<6>,
) -> Result<()> {
    let (s, id) = (sp(m, sp_, sl)?, sp(m, ip, il)?);
    let sm = handle(SecretsManager::from_raw, sm);
    mem::with_in_out(m, id, s, ctx.scratch_room(), |id, s| {
        ctx.external_secret_store(sm, s, exp, id)
    })
}

#[inline]
pub(in crate::abi) fn external_secret_replace(
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
pub(in crate::abi) fn external_secret_from_id(
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
pub(in crate::abi) fn external_secret_invalidate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, ip, il, v]: A<4>,
) -> Result<()> {
    let id = sp(m, ip, il)?;
    let sm = handle(SecretsManager::from_raw, sm);
    ctx.external_secret_invalidate(sm, read(m, id)?, Version(v))
}

#[inline]
pub(in crate::abi) fn external_secret_encapsulate(
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
pub(in crate::abi) fn external_secret_decapsulate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, ep, el, o]: A<4>,
) -> Result<()> {
    let (e, o) = (sp(m, ep, el)?, o32(m, o)?);
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.external_secret_decapsulate(sm, read(m, e)?)?;
    put_u32(m, o, h.raw())
}
