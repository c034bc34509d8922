//! Entry points of `wasi_ephemeral_crypto_asymmetric_common`.

use super::*;

#[inline]
pub(in crate::abi) fn keypair_generate(
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
pub(in crate::abi) fn keypair_import(
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
pub(in crate::abi) fn keypair_generate_managed(
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
pub(in crate::abi) fn keypair_store_managed(
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
pub(in crate::abi) fn keypair_replace_managed(
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
pub(in crate::abi) fn keypair_id(
    ctx: &mut Ctx,
    m: &mut [u8],
    [kp, ip, il, o1, o2]: A<5>,
) -> Result<()> {
    let (id, o1, o2) = (sp(m, ip, il)?, o32(m, o1)?, o64(m, o2)?);
    let (n, v) = ctx.keypair_id(handle(Keypair::from_raw, kp), mem::write(m, id)?)?;
    put_size(m, o1, n)?;
    put_u64(m, o2, v.0)
}

#[inline]
pub(in crate::abi) fn keypair_from_id(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sm, ip, il, v, o]: A<5>,
) -> Result<()> {
    let (id, o) = (sp(m, ip, il)?, o32(m, o)?);
    let sm = handle(SecretsManager::from_raw, sm);
    let h = ctx.keypair_from_id(sm, read(m, id)?, Version(v))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn keypair_from_pk_and_sk(
    ctx: &mut Ctx,
    m: &mut [u8],
    [pk, sk, o]: A<3>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.keypair_from_pk_and_sk(
        handle(Publickey::from_raw, pk),
        handle(Secretkey::from_raw, sk),
    )?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn keypair_export(
    ctx: &mut Ctx,
    m: &mut [u8],
    [kp, enc, o]: A<3>,
) -> Result<()> {
    let o = o32(m, o)?;
    let enc = KeypairEncoding::from_raw(lo32(enc))?;
    let h = ctx.keypair_export(handle(Keypair::from_raw, kp), enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn keypair_publickey(ctx: &mut Ctx, m: &mut [u8], [kp, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.keypair_publickey(handle(Keypair::from_raw, kp))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn keypair_secretkey(ctx: &mut Ctx, m: &mut [u8], [kp, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.keypair_secretkey(handle(Keypair::from_raw, kp))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn keypair_close(ctx: &mut Ctx, _m: &mut [u8], [kp]: A<1>) -> Result<()> {
    ctx.keypair_close(handle(Keypair::from_raw, kp))
}

#[inline]
pub(in crate::abi) fn publickey_import(
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
pub(in crate::abi) fn publickey_export(
    ctx: &mut Ctx,
    m: &mut [u8],
    [pk, enc, o]: A<3>,
) -> Result<()> {
    let o = o32(m, o)?;
    let enc = PublickeyEncoding::from_raw(lo32(enc))?;
    let h = ctx.publickey_export(handle(Publickey::from_raw, pk), enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn publickey_verify(ctx: &mut Ctx, _m: &mut [u8], [pk]: A<1>) -> Result<()> {
    ctx.publickey_verify(handle(Publickey::from_raw, pk))
}

#[inline]
pub(in crate::abi) fn publickey_from_secretkey(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sk, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.publickey_from_secretkey(handle(Secretkey::from_raw, sk))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn publickey_close(ctx: &mut Ctx, _m: &mut [u8], [pk]: A<1>) -> Result<()> {
    ctx.publickey_close(handle(Publickey::from_raw, pk))
}

#[inline]
pub(in crate::abi) fn secretkey_import(
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
pub(in crate::abi) fn secretkey_export(
    ctx: &mut Ctx,
    m: &mut [u8],
    [sk, enc, o]: A<3>,
) -> Result<()> {
    let o = o32(m, o)?;
    let enc = SecretkeyEncoding::from_raw(lo32(enc))?;
    let h = ctx.secretkey_export(handle(Secretkey::from_raw, sk), enc)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn secretkey_close(ctx: &mut Ctx, _m: &mut [u8], [sk]: A<1>) -> Result<()> {
    ctx.secretkey_close(handle(Secretkey::from_raw, sk))
}
