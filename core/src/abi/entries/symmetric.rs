//! Entry points of `wasi_ephemeral_crypto_symmetric`.

use super::*;

#[inline]
pub(in crate::abi) fn symmetric_key_generate(
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
pub(in crate::abi) fn symmetric_key_import(
    ctx: &mut Ctx,
    m: &mut [u8],
    [ap, al, rp, rl, o]: A<5>,
) -> Result<()> {
    let (a, r, o) = (sp(m, ap, al)?, sp(m, rp, rl)?, o32(m, o)?);
    let h = ctx.symmetric_key_import(read(m, a)?, read(m, r)?)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn symmetric_key_export(
    ctx: &mut Ctx,
    m: &mut [u8],
    [k, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.symmetric_key_export(handle(SymmetricKey::from_raw, k))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn symmetric_key_close(ctx: &mut Ctx, _m: &mut [u8], [k]: A<1>) -> Result<()> {
    ctx.symmetric_key_close(handle(SymmetricKey::from_raw, k))
}

#[inline]
pub(in crate::abi) fn symmetric_key_generate_managed(
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
pub(in crate::abi) fn symmetric_key_store_managed(
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
pub(in crate::abi) fn symmetric_key_replace_managed(
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
pub(in crate::abi) fn symmetric_key_id(
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
pub(in crate::abi) fn symmetric_key_from_id(
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
pub(in crate::abi) fn symmetric_state_open(
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
pub(in crate::abi) fn symmetric_state_options_get(
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
pub(in crate::abi) fn symmetric_state_options_get_u64(
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
pub(in crate::abi) fn symmetric_state_clone(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.symmetric_state_clone(handle(SymmetricState::from_raw, s))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn symmetric_state_close(ctx: &mut Ctx, _m: &mut [u8], [s]: A<1>) -> Result<()> {
    ctx.symmetric_state_close(handle(SymmetricState::from_raw, s))
}

#[inline]
pub(in crate::abi) fn symmetric_state_absorb(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, dp, dl]: A<3>,
) -> Result<()> {
    let d = sp(m, dp, dl)?;
    ctx.symmetric_state_absorb(handle(SymmetricState::from_raw, s), read(m, d)?)
}

#[inline]
pub(in crate::abi) fn symmetric_state_squeeze(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol]: A<3>,
) -> Result<()> {
    let out = sp(m, op, ol)?;
    ctx.symmetric_state_squeeze(handle(SymmetricState::from_raw, s), mem::write(m, out)?)
}

#[inline]
pub(in crate::abi) fn symmetric_state_squeeze_tag(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let h = ctx.symmetric_state_squeeze_tag(handle(SymmetricState::from_raw, s))?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn symmetric_state_squeeze_key(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, ap, al, o]: A<4>,
) -> Result<()> {
    let (a, o) = (sp(m, ap, al)?, o32(m, o)?);
    let h = ctx.symmetric_state_squeeze_key(handle(SymmetricState::from_raw, s), read(m, a)?)?;
    put_u32(m, o, h.raw())
}

#[inline]
pub(in crate::abi) fn symmetric_state_max_tag_len(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, o]: A<2>,
) -> Result<()> {
    let o = o32(m, o)?;
    let n = ctx.symmetric_state_max_tag_len(handle(SymmetricState::from_raw, s))?;
    put_size(m, o, n)
}

#[inline]
pub(in crate::abi) fn symmetric_state_encrypt(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol, dp, dl, o]: A<6>,
) -> Result<()> {
    let (out, d, o) = (sp(m, op, ol)?, sp(m, dp, dl)?, o32(m, o)?);
    let s = handle(SymmetricState::from_raw, s);
    let n = mem::with_in_out(m, out, d, ctx.scratch_room(), |out, d| {
        ctx.symmetric_state_encrypt(s, out, d)
    })?;
    put_size(m, o, n)
}

#[inline]
pub(in crate::abi) fn symmetric_state_encrypt_detached(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol, dp, dl, o]: A<6>,
) -> Result<()> {
    let (out, d, o) = (sp(m, op, ol)?, sp(m, dp, dl)?, o32(m, o)?);
    let s = handle(SymmetricState::from_raw, s);
    let t = mem::with_in_out(m, out, d, ctx.scratch_room(), |out, d| {
        ctx.symmetric_state_encrypt_detached(s, out, d)
    })?;
    put_u32(m, o, t.raw())
}

#[inline]
pub(in crate::abi) fn symmetric_state_decrypt(
    ctx: &mut Ctx,
    m: &mut [u8],
    [s, op, ol, dp, dl, o]: A<6>,
) -> Result<()> {
    let (out, d, o) = (sp(m, op, ol)?, sp(m, dp, dl)?, o32(m, o)?);
    let s = handle(SymmetricState::from_raw, s);
    let n = mem::with_in_out(m, out, d, ctx.scratch_room(), |out, d| {
        ctx.symmetric_state_decrypt(s, out, d)
    })?;
    put_size(m, o, n)
}

#[inline]
pub(in crate::abi) fn symmetric_state_decrypt_detached(
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
    let n = mem::with_in_out(m, out, d, ctx.scratch_room(), |out, d| {
        ctx.symmetric_state_decrypt_detached(s, out, d, tag)
    })?;
    put_size(m, o, n)
}

#[inline]
pub(in crate::abi) fn symmetric_state_ratchet(
    ctx: &mut Ctx,
    _m: &mut [u8],
    [s]: A<1>,
) -> Result<()> {
    ctx.symmetric_state_ratchet(handle(SymmetricState::from_raw, s))
}

#[inline]
pub(in crate::abi) fn symmetric_tag_len(ctx: &mut Ctx, m: &mut [u8], [t, o]: A<2>) -> Result<()> {
    let o = o32(m, o)?;
    let n = ctx.symmetric_tag_len(handle(SymmetricTag::from_raw, t))?;
    put_size(m, o, n)
}

#[inline]
pub(in crate::abi) fn symmetric_tag_pull(
    ctx: &mut Ctx,
    m: &mut [u8],
    [t, bp, bl, o]: A<4>,
) -> Result<()> {
    let (b, o) = (sp(m, bp, bl)?, o32(m, o)?);
    let n = ctx.symmetric_tag_pull(handle(SymmetricTag::from_raw, t), mem::write(m, b)?)?;
    put_size(m, o, n)
}

#[inline]
pub(in crate::abi) fn symmetric_tag_verify(
    ctx: &mut Ctx,
    m: &mut [u8],
    [t, ep, el]: A<3>,
) -> Result<()> {
    let e = sp(m, ep, el)?;
    ctx.symmetric_tag_verify(handle(SymmetricTag::from_raw, t), read(m, e)?)
}

#[inline]
pub(in crate::abi) fn symmetric_tag_close(ctx: &mut Ctx, _m: &mut [u8], [t]: A<1>) -> Result<()> {
    ctx.symmetric_tag_close(handle(SymmetricTag::from_raw, t))
}
