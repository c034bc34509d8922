//! Entry points of `wasi_ephemeral_crypto_kx`.

use super::*;

#[inline]
pub(in crate::abi) fn kx_dh(ctx: &mut Ctx, m: &mut [u8], [pk, sk, o]: A<3>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.kx_dh(
        handle(Publickey::from_raw, pk),
        handle(Secretkey::from_raw, sk),
    )?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn kx_encapsulate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [pk, o1, o2]: A<3>,
) -> Result<()> {
    let (o1, o2) = (o32(m, o1)?, o32(m, o2)?);
    let (secret, enc) = ctx.kx_encapsulate(handle(Publickey::from_raw, pk))?;
    put_u32(m, o1, secret.raw())?;
    put_u32(m, o2, enc.raw())
}

#[inline]
pub(in crate::abi) fn kx_decapsulate(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sk, ep, el, o]: A<4>,
) -> Result<()> {
    let (e, o) = (sp(m, ep, el)?, o32(m, o)?);
    let h = ctx.kx_decapsulate(handle(Secretkey::from_raw, sk), read(m, e)?)?;
    put_u32(m, o, h.raw())
}
