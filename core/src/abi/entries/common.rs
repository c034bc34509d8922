//! Entry points of `wasi_ephemeral_crypto_common`.

use super::*;

#[inline]
pub(in crate::abi) fn options_open(ctx: &mut Ctx, m: &mut [u8], [t, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let t = AlgorithmType::from_raw(lo32(t))?;
    let h = ctx.options_open(t)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn options_close(ctx: &mut Ctx, _m: &mut [u8], [h]: A<1>) -> Result<()> {
    ctx.options_close(handle(Options::from_raw, h))
}

#[inline]
pub(in crate::abi) fn options_set(
    ctx: &mut Ctx,
    m: &mut [u8],
    [h, np, nl, vp, vl]: A<5>,
) -> Result<()> {
    let (n, v) = (sp(m, np, nl)?, sp(m, vp, vl)?);
    ctx.options_set(handle(Options::from_raw, h), read(m, n)?, read(m, v)?)
}

#[inline]
pub(in crate::abi) fn options_set_u64(
    ctx: &mut Ctx,
    m: &mut [u8],
    [h, np, nl, v]: A<4>,
) -> Result<()> {
    let n = sp(m, np, nl)?;
    ctx.options_set_u64(handle(Options::from_raw, h), read(m, n)?, v)
}

#[inline]
pub(in crate::abi) fn options_set_guest_buffer(
    ctx: &mut Ctx,
    m: &mut [u8],
    [h, np, nl, bp, bl]: A<5>,
) -> Result<()> {
    let n = sp(m, np, nl)?;
    sp(m, bp, bl)?;
    ctx.options_set_guest_buffer(handle(Options::from_raw, h), read(m, n)?)
}

#[inline]
pub(in crate::abi) fn array_output_len(ctx: &mut Ctx, m: &mut [u8], [h, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let n = ctx.array_output_len(handle(ArrayOutput::from_raw, h))?;
    put_size(m, o, n)
}

#[inline]
pub(in crate::abi) fn array_output_pull(
    ctx: &mut Ctx,
    m: &mut [u8],
    [h, bp, bl, o]: A<4>,
) -> Result<()> {
    let (b, o) = (sp(m, bp, bl)?, o32(m, o)?);
    let n = ctx.array_output_pull(handle(ArrayOutput::from_raw, h), mem::write(m, b)?)?;
    put_size(m, o, n)
}

#[inline]
pub(in crate::abi) fn secrets_manager_open(
    ctx: &mut Ctx,
    m: &mut [u8],
    [op, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let opts = opt_options(m, op)?;
    let h = ctx.secrets_manager_open(opts)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn secrets_manager_close(ctx: &mut Ctx, _m: &mut [u8], [h]: A<1>) -> Result<()> {
    ctx.secrets_manager_close(handle(SecretsManager::from_raw, h))
}

#[inline]
pub(in crate::abi) fn secrets_manager_invalidate(
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
