//! Entry points of `wasi_ephemeral_crypto_signatures`.

use super::*;

#[inline]
pub(in crate::abi) fn signature_export(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, enc, o]: A<3>,
) -> Result<()> {
    let o = o32(m, o)?;
    let enc = SignatureEncoding::from_raw(lo32(enc))?;
    let h = ctx.signature_export(handle(Signature::from_raw, s), enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn signature_import(
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
pub(in crate::abi) fn signature_state_open(
    ctx: &mut Ctx,
    m: &mut [u8],
    [kp, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.signature_state_open(handle(Keypair::from_raw, kp))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn signature_state_update(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, ip, il]: A<3>,
) -> Result<()> {
    let i = sp(m, ip, il)?;
    ctx.signature_state_update(handle(SignatureState::from_raw, s), read(m, i)?)
}

#[inline]
pub(in crate::abi) fn signature_state_sign(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.signature_state_sign(handle(SignatureState::from_raw, s))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn signature_state_close(ctx: &mut Ctx, _m: &mut [u8], [s]: A<1>) -> Result<()> {
    ctx.signature_state_close(handle(SignatureState::from_raw, s))
}

#[inline]
pub(in crate::abi) fn signature_verification_state_open(
    ctx: &mut Ctx,
    m: &mut [u8],
    [pk, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.signature_verification_state_open(handle(Publickey::from_raw, pk))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn signature_verification_state_update(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, ip, il]: A<3>,
) -> Result<()> {
    let i = sp(m, ip, il)?;
    let s = handle(SignatureVerificationState::from_raw, s);
    ctx.signature_verification_state_update(s, read(m, i)?)
}

#[inline]
pub(in crate::abi) fn signature_verification_state_verify(
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
pub(in crate::abi) fn signature_verification_state_close(
    ctx: &mut Ctx,
    _m: &mut [u8],
    [s]: A<1>,
) -> Result<()> {
    ctx.signature_verification_state_close(handle(SignatureVerificationState::from_raw, s))
}

#[inline]
pub(in crate::abi) fn signature_close(ctx: &mut Ctx, _m: &mut [u8], [s]: A<1>) -> Result<()> {
    ctx.signature_close(handle(Signature::from_raw, s))
}
