//! PKCS#8, SubjectPublicKeyInfo and PEM key files from `cryptography-vectors` (RFC 8410 forms of
//! Ed25519 and X25519 keys): each imports, exports back to exactly the same bytes, and its raw
//! key is the one inside the file. The Ed25519 pair is RFC 8032 §7.1 TEST 1.

use wasmcrypt_core::{
    AlgorithmType, ArrayOutput, Config, Ctx, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding,
};
use wasmcrypt_testvectors::suites::data;

fn file(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("asym/{name}"))).unwrap()
}

fn pull(ctx: &mut Ctx, a: ArrayOutput) -> Vec<u8> {
    let mut v = vec![0; ctx.array_output_len(a).unwrap()];
    ctx.array_output_pull(a, &mut v).unwrap();
    v
}

fn check(t: AlgorithmType, alg: &str, stem: &str) {
    let mut ctx = Ctx::new(Config::default());
    let a = alg.as_bytes();
    let (der, pem) = (
        file(&format!("{stem}-pkcs8.der")),
        file(&format!("{stem}-pkcs8.pem")),
    );
    let (pub_der, pub_pem) = (
        file(&format!("{stem}-pub.der")),
        file(&format!("{stem}-pub.pem")),
    );
    // The raw secret is the last 32 bytes of the 48-byte v1 OneAsymmetricKey.
    assert_eq!(der.len(), 48);
    let raw_secret = der[16..].to_vec();
    let raw_public = pub_der[12..].to_vec();
    for (bytes, enc) in [
        (&der, SecretkeyEncoding::Pkcs8),
        (&pem, SecretkeyEncoding::Pem),
    ] {
        let sk = ctx.secretkey_import(t, a, bytes, enc).unwrap();
        let out = ctx.secretkey_export(sk, enc).unwrap();
        assert_eq!(&pull(&mut ctx, out), bytes, "{alg} {enc:?} round trip");
        let out = ctx.secretkey_export(sk, SecretkeyEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, out), raw_secret, "{alg} {enc:?} raw");
    }
    for (bytes, enc) in [
        (&pub_der, PublickeyEncoding::Pkcs8),
        (&pub_pem, PublickeyEncoding::Pem),
    ] {
        let pk = ctx.publickey_import(t, a, bytes, enc).unwrap();
        let out = ctx.publickey_export(pk, enc).unwrap();
        assert_eq!(&pull(&mut ctx, out), bytes, "{alg} {enc:?} round trip");
        let out = ctx.publickey_export(pk, PublickeyEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, out), raw_public, "{alg} {enc:?} raw");
    }
    // The private key file as a key pair: its public half is the public key file's.
    let kp = ctx
        .keypair_import(t, a, &der, KeypairEncoding::Pkcs8)
        .unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let out = ctx.publickey_export(pk, PublickeyEncoding::Pkcs8).unwrap();
    assert_eq!(
        pull(&mut ctx, out),
        pub_der,
        "{alg}: the files are one key pair"
    );
    // Another algorithm's file is refused.
    let other = if alg == "X25519" { "ed25519" } else { "x25519" };
    let t_other = file(&format!("{other}-pub.der"));
    assert_eq!(
        ctx.publickey_import(t, a, &t_other, PublickeyEncoding::Pkcs8),
        Err(wasmcrypt_core::Error::InvalidKey)
    );
}

#[test]
fn ed25519_key_files() {
    check(AlgorithmType::Signatures, "Ed25519", "ed25519");
}

#[test]
fn x25519_key_files() {
    check(AlgorithmType::KeyExchange, "X25519", "x25519");
}
