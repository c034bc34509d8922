//! The secrets manager, managed keys and external secrets, rule by rule, through the Rust API
//! with the in-memory store. Expected values come from RFC 4231 (HMAC-SHA-256) and RFC 8032
//! (Ed25519), or from the same key's unmanaged handle.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use wasmcrypt_core::keystore::{MemoryStore, StoreLimits, WallClock};
use wasmcrypt_core::rng::InstanceRng;
use wasmcrypt_core::{
    AlgorithmType, ArrayOutput, Config, Ctx, Error, Keypair, KeypairEncoding, PublickeyEncoding,
    SecretsManager, SignatureEncoding, SymmetricKey, Version,
};

use support::hex;

/// A clock the test moves.
#[derive(Default)]
struct TestClock(AtomicU64);

impl WallClock for TestClock {
    fn unix_secs(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

const NOW: u64 = 1_700_000_000;

fn store() -> Arc<MemoryStore> {
    Arc::new(MemoryStore::new(StoreLimits::default(), [7; 32]))
}

fn ctx_with(store: &Arc<MemoryStore>, ns: &[u8], clock: &Arc<TestClock>) -> Ctx {
    let mut c = Ctx::with_rng(Config::default(), InstanceRng::new(&support::test_base()));
    c.set_key_store(store.clone(), ns, clock.clone()).unwrap();
    c
}

fn clock() -> Arc<TestClock> {
    let c = Arc::new(TestClock::default());
    c.0.store(NOW, Ordering::SeqCst);
    c
}

fn pull(c: &mut Ctx, a: ArrayOutput) -> Vec<u8> {
    let mut v = vec![0u8; c.array_output_len(a).unwrap()];
    c.array_output_pull(a, &mut v).unwrap();
    v
}

fn hmac_tag(c: &mut Ctx, key: SymmetricKey, msg: &[u8]) -> Vec<u8> {
    let s = c
        .symmetric_state_open(b"HMAC/SHA-256", Some(key), None)
        .unwrap();
    c.symmetric_state_absorb(s, msg).unwrap();
    let t = c.symmetric_state_squeeze_tag(s).unwrap();
    let mut out = [0u8; 32];
    c.symmetric_tag_pull(t, &mut out).unwrap();
    c.symmetric_state_close(s).unwrap();
    out.to_vec()
}

/// RFC 4231 test case 1.
const RFC4231_KEY: [u8; 20] = [0x0b; 20];
const RFC4231_TAG: &str = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";

#[test]
fn without_a_store_everything_is_unsupported_or_invalid_handle() {
    let mut c = Ctx::with_rng(Config::default(), InstanceRng::new(&support::test_base()));
    assert_eq!(c.secrets_manager_open(None), Err(Error::UnsupportedFeature));
    let bogus = SecretsManager::from_raw(0x3000_0000);
    assert_eq!(
        c.symmetric_key_generate_managed(bogus, b"HMAC/SHA-256", None),
        Err(Error::InvalidHandle)
    );
    assert_eq!(
        c.external_secret_encapsulate(bogus, b"s", u64::MAX),
        Err(Error::InvalidHandle)
    );
    let k = c
        .symmetric_key_import(b"HMAC/SHA-256", &RFC4231_KEY)
        .unwrap();
    assert_eq!(
        c.symmetric_key_id(k, &mut [0; 32]),
        Err(Error::UnsupportedFeature)
    );
}

#[test]
fn managed_symmetric_keys_rotate_and_never_leave() {
    let (st, ck) = (store(), clock());
    let mut c = ctx_with(&st, b"tenant-a", &ck);
    let sm = c.secrets_manager_open(None).unwrap();
    assert_eq!(
        c.symmetric_key_generate_managed(sm, b"SHA-256", None),
        Err(Error::KeyNotSupported)
    );
    let k1 = c
        .symmetric_key_generate_managed(sm, b"HMAC/SHA-256", None)
        .unwrap();
    assert_eq!(c.symmetric_key_export(k1), Err(Error::ProhibitedOperation));
    // The id: 32 bytes, version 1; a short buffer is overflow and stays untouched.
    let mut short = [0xaa; 31];
    assert_eq!(c.symmetric_key_id(k1, &mut short), Err(Error::Overflow));
    assert_eq!(short, [0xaa; 31]);
    let mut id = [0u8; 40];
    assert_eq!(c.symmetric_key_id(k1, &mut id), Ok((32, Version(1))));
    assert_eq!(id[32..], [0u8; 8], "nothing past the id is written");
    let id: [u8; 32] = id[..32].try_into().unwrap();
    let tag1 = hmac_tag(&mut c, k1, b"Hi There");

    // By id: the same key (same tags), still not exportable.
    let again = c.symmetric_key_from_id(sm, &id, Version::LATEST).unwrap();
    assert_eq!(hmac_tag(&mut c, again, b"Hi There"), tag1);
    assert_eq!(
        c.symmetric_key_export(again),
        Err(Error::ProhibitedOperation)
    );

    // Replace with a known key: version 2; the old handle is closed.
    let known = c
        .symmetric_key_import(b"HMAC/SHA-256", &RFC4231_KEY)
        .unwrap();
    let other = c
        .symmetric_key_import(b"HMAC/SHA-512", &RFC4231_KEY)
        .unwrap();
    assert_eq!(
        c.symmetric_key_replace_managed(sm, k1, other),
        Err(Error::IncompatibleKeys)
    );
    assert_eq!(
        c.symmetric_key_replace_managed(sm, k1, known),
        Ok(Version(2))
    );
    assert_eq!(
        c.symmetric_key_id(k1, &mut [0; 32]),
        Err(Error::InvalidHandle)
    );
    assert_eq!(c.symmetric_key_close(k1), Err(Error::Closed));
    assert_eq!(
        c.symmetric_key_export(known),
        Err(Error::ProhibitedOperation)
    );
    let mut id2 = [0u8; 32];
    assert_eq!(c.symmetric_key_id(known, &mut id2), Ok((32, Version(2))));
    assert_eq!(id2, id);
    let latest = c.symmetric_key_from_id(sm, &id, Version::LATEST).unwrap();
    assert_eq!(hmac_tag(&mut c, latest, b"Hi There"), hex(RFC4231_TAG));
    let v1 = c.symmetric_key_from_id(sm, &id, Version(1)).unwrap();
    assert_eq!(hmac_tag(&mut c, v1, b"Hi There"), tag1);

    // Version selectors.
    for v in [Version::UNSPECIFIED, Version::ALL] {
        assert_eq!(
            c.symmetric_key_from_id(sm, &id, v),
            Err(Error::InvalidOperation)
        );
    }
    assert_eq!(
        c.secrets_manager_invalidate(sm, &id, Version::UNSPECIFIED),
        Err(Error::InvalidOperation)
    );
    assert_eq!(
        c.symmetric_key_from_id(sm, &id, Version(3)),
        Err(Error::NotFound)
    );
    assert_eq!(
        c.symmetric_key_from_id(sm, &id[..31], Version::LATEST),
        Err(Error::NotFound)
    );
    assert_eq!(
        c.symmetric_key_from_id(sm, &[0u8; 32], Version::LATEST),
        Err(Error::NotFound)
    );

    // Invalidation: one version, then the latest; numbers are never reused.
    c.secrets_manager_invalidate(sm, &id, Version(1)).unwrap();
    assert_eq!(
        c.symmetric_key_from_id(sm, &id, Version(1)),
        Err(Error::NotFound)
    );
    c.secrets_manager_invalidate(sm, &id, Version::LATEST)
        .unwrap();
    assert_eq!(
        c.symmetric_key_from_id(sm, &id, Version::LATEST),
        Err(Error::NotFound)
    );
    let fresh = c.symmetric_key_import(b"HMAC/SHA-256", &[1; 32]).unwrap();
    assert_eq!(
        c.symmetric_key_replace_managed(sm, known, fresh),
        Ok(Version(3))
    );
    // A handle opened on an invalidated version keeps working.
    assert_eq!(hmac_tag(&mut c, latest, b"Hi There"), hex(RFC4231_TAG));

    // store_managed copies an unmanaged key under a new id; the handle stays unmanaged.
    let plain = c
        .symmetric_key_import(b"HMAC/SHA-256", &RFC4231_KEY)
        .unwrap();
    let mut sid = [0u8; 32];
    c.symmetric_key_store_managed(sm, plain, &mut sid).unwrap();
    assert_ne!(sid, id);
    assert_eq!(
        c.symmetric_key_id(plain, &mut [0; 32]),
        Err(Error::UnsupportedFeature)
    );
    let stored = c.symmetric_key_from_id(sm, &sid, Version(1)).unwrap();
    assert_eq!(hmac_tag(&mut c, stored, b"Hi There"), hex(RFC4231_TAG));
    assert_eq!(
        c.symmetric_key_store_managed(sm, plain, &mut [0; 31]),
        Err(Error::Overflow)
    );
}

#[test]
fn namespaces_never_see_each_other() {
    let (st, ck) = (store(), clock());
    let mut a = ctx_with(&st, b"tenant-a", &ck);
    let mut a2 = ctx_with(&st, b"tenant-a", &ck);
    let mut b = ctx_with(&st, b"tenant-b", &ck);
    let (sa, sa2, sb) = (
        a.secrets_manager_open(None).unwrap(),
        a2.secrets_manager_open(None).unwrap(),
        b.secrets_manager_open(None).unwrap(),
    );
    let k = a
        .symmetric_key_generate_managed(sa, b"HMAC/SHA-256", None)
        .unwrap();
    let mut id = [0u8; 32];
    a.symmetric_key_id(k, &mut id).unwrap();
    assert!(a2.symmetric_key_from_id(sa2, &id, Version::LATEST).is_ok());
    assert_eq!(
        b.symmetric_key_from_id(sb, &id, Version::LATEST),
        Err(Error::NotFound)
    );
    assert_eq!(
        b.secrets_manager_invalidate(sb, &id, Version::ALL),
        Err(Error::NotFound)
    );
    let mut sid = [0u8; 32];
    a.external_secret_store(sa, b"secret", NOW + 60, &mut sid)
        .unwrap();
    assert_eq!(
        b.external_secret_from_id(sb, &sid, Version::LATEST),
        Err(Error::NotFound)
    );
    // A sealed secret opens only in its namespace.
    let sealed = a
        .external_secret_encapsulate(sa, b"secret", NOW + 60)
        .unwrap();
    let sealed = pull(&mut a, sealed);
    assert_eq!(
        b.external_secret_decapsulate(sb, &sealed),
        Err(Error::VerificationFailed)
    );
    let opened = a2.external_secret_decapsulate(sa2, &sealed).unwrap();
    assert_eq!(pull(&mut a2, opened), b"secret");
}

/// RFC 8032 section 7.1, TEST 1.
const ED_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const ED_PK: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const ED_SIG: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

fn sign_empty(c: &mut Ctx, kp: Keypair) -> Vec<u8> {
    let st = c.signature_state_open(kp).unwrap();
    let sig = c.signature_state_sign(st).unwrap();
    let out = c.signature_export(sig, SignatureEncoding::Raw).unwrap();
    pull(c, out)
}

#[test]
fn managed_key_pairs_sign_but_never_export_their_secret() {
    let (st, ck) = (store(), clock());
    let mut c = ctx_with(&st, b"ns", &ck);
    let sm = c.secrets_manager_open(None).unwrap();
    let mut raw = hex(ED_SEED);
    raw.extend(hex(ED_PK));
    let kp = c
        .keypair_import(
            AlgorithmType::Signatures,
            b"Ed25519",
            &raw,
            KeypairEncoding::Raw,
        )
        .unwrap();
    let mut id = [0u8; 32];
    c.keypair_store_managed(sm, kp, &mut id).unwrap();
    let m = c.keypair_from_id(sm, &id, Version::LATEST).unwrap();
    assert_eq!(sign_empty(&mut c, m), hex(ED_SIG));
    assert_eq!(
        c.keypair_export(m, KeypairEncoding::Raw),
        Err(Error::ProhibitedOperation)
    );
    assert_eq!(c.keypair_secretkey(m), Err(Error::ProhibitedOperation));
    let pk = c.keypair_publickey(m).unwrap();
    let pk_raw = c.publickey_export(pk, PublickeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut c, pk_raw), hex(ED_PK));
    assert_eq!(c.keypair_id(m, &mut [0; 32]), Ok((32, Version(1))));

    // Generated inside the store, replaced, and each version still signs as before.
    let g = c
        .keypair_generate_managed(sm, AlgorithmType::Signatures, b"Ed25519", None)
        .unwrap();
    let sig_g = sign_empty(&mut c, g);
    let mut gid = [0u8; 32];
    assert_eq!(c.keypair_id(g, &mut gid), Ok((32, Version(1))));
    let x = c
        .keypair_generate(AlgorithmType::KeyExchange, b"X25519", None)
        .unwrap();
    assert_eq!(
        c.keypair_replace_managed(sm, g, x),
        Err(Error::IncompatibleKeys)
    );
    assert_eq!(c.keypair_replace_managed(sm, g, kp), Ok(Version(2)));
    assert_eq!(c.keypair_close(g), Err(Error::Closed));
    let v1 = c.keypair_from_id(sm, &gid, Version(1)).unwrap();
    assert_eq!(sign_empty(&mut c, v1), sig_g);
    let v2 = c.keypair_from_id(sm, &gid, Version::LATEST).unwrap();
    assert_eq!(sign_empty(&mut c, v2), hex(ED_SIG));
    // An id of a symmetric key or an external secret is not a key pair's.
    let mut sid = [0u8; 32];
    c.external_secret_store(sm, b"s", NOW + 1, &mut sid)
        .unwrap();
    assert_eq!(
        c.keypair_from_id(sm, &sid, Version::LATEST),
        Err(Error::NotFound)
    );
    assert_eq!(
        c.secrets_manager_invalidate(sm, &sid, Version::ALL),
        Err(Error::NotFound)
    );
    c.secrets_manager_invalidate(sm, &gid, Version::ALL)
        .unwrap();
    assert_eq!(
        c.keypair_from_id(sm, &gid, Version(2)),
        Err(Error::NotFound)
    );
}

#[test]
fn external_secrets_store_replace_expire_and_invalidate() {
    let (st, ck) = (store(), clock());
    let mut c = ctx_with(&st, b"ns", &ck);
    let sm = c.secrets_manager_open(None).unwrap();
    let mut id = [0u8; 32];
    assert_eq!(
        c.external_secret_store(sm, b"one", NOW, &mut id),
        Err(Error::InvalidOperation)
    );
    assert_eq!(
        c.external_secret_store(sm, b"one", NOW + 10, &mut [0; 31]),
        Err(Error::Overflow)
    );
    c.external_secret_store(sm, b"one", NOW + 10, &mut id)
        .unwrap();
    assert_eq!(
        c.external_secret_replace(sm, b"two", NOW + 100, &id),
        Ok(Version(2))
    );
    assert_eq!(
        c.external_secret_replace(sm, b"two", NOW - 1, &id),
        Err(Error::InvalidOperation)
    );
    let one = c.external_secret_from_id(sm, &id, Version(1)).unwrap();
    assert_eq!(pull(&mut c, one), b"one");
    let two = c.external_secret_from_id(sm, &id, Version::LATEST).unwrap();
    assert_eq!(pull(&mut c, two), b"two");
    // Version 1 expires at NOW + 10; version 2 is still good.
    ck.0.store(NOW + 11, Ordering::SeqCst);
    assert_eq!(
        c.external_secret_from_id(sm, &id, Version(1)),
        Err(Error::Expired)
    );
    let two = c.external_secret_from_id(sm, &id, Version(2)).unwrap();
    assert_eq!(pull(&mut c, two), b"two");
    assert_eq!(
        c.external_secret_from_id(sm, &id, Version::ALL),
        Err(Error::InvalidOperation)
    );
    c.external_secret_invalidate(sm, &id, Version::ALL).unwrap();
    assert_eq!(
        c.external_secret_from_id(sm, &id, Version::LATEST),
        Err(Error::NotFound)
    );
    assert_eq!(
        c.external_secret_invalidate(sm, &id, Version::ALL),
        Err(Error::NotFound)
    );
    assert_eq!(
        c.external_secret_replace(sm, b"x", NOW + 100, &[9; 32]),
        Err(Error::NotFound)
    );
}

#[test]
fn encapsulated_secrets_are_authenticated_then_checked_for_expiry() {
    let (st, ck) = (store(), clock());
    let mut c = ctx_with(&st, b"ns", &ck);
    let sm = c.secrets_manager_open(None).unwrap();
    assert_eq!(
        c.external_secret_encapsulate(sm, b"k", NOW),
        Err(Error::InvalidOperation)
    );
    let secret = b"a secret the guest keeps only sealed";
    let sealed = c.external_secret_encapsulate(sm, secret, NOW + 5).unwrap();
    let sealed = pull(&mut c, sealed);
    assert_eq!(sealed.len(), 1 + 8 + 24 + secret.len() + 16);
    assert_eq!(sealed[0], 1, "format version");
    assert_eq!(sealed[1..9], (NOW + 5).to_be_bytes(), "expiration");
    assert!(
        !sealed.windows(secret.len()).any(|w| w == secret),
        "never in clear"
    );
    let opened = c.external_secret_decapsulate(sm, &sealed).unwrap();
    assert_eq!(pull(&mut c, opened), secret);
    // Every byte flipped, truncation, extension: verification_failed.
    for i in 0..sealed.len() {
        let mut bad = sealed.clone();
        bad[i] ^= 0x01;
        assert_eq!(
            c.external_secret_decapsulate(sm, &bad),
            Err(Error::VerificationFailed),
            "byte {i}"
        );
    }
    for bad in [&sealed[..sealed.len() - 1], &sealed[..33], &[][..]] {
        assert_eq!(
            c.external_secret_decapsulate(sm, bad),
            Err(Error::VerificationFailed)
        );
    }
    let mut longer = sealed.clone();
    longer.push(0);
    assert_eq!(
        c.external_secret_decapsulate(sm, &longer),
        Err(Error::VerificationFailed)
    );
    // Another store's key: verification_failed.
    let other = Arc::new(MemoryStore::new(StoreLimits::default(), [8; 32]));
    let mut o = ctx_with(&other, b"ns", &ck);
    let osm = o.secrets_manager_open(None).unwrap();
    assert_eq!(
        o.external_secret_decapsulate(osm, &sealed),
        Err(Error::VerificationFailed)
    );
    // Past its expiration: expired (authentic, so checked second).
    ck.0.store(NOW + 6, Ordering::SeqCst);
    assert_eq!(
        c.external_secret_decapsulate(sm, &sealed),
        Err(Error::Expired)
    );
    let mut bad = sealed.clone();
    bad[40] ^= 1;
    assert_eq!(
        c.external_secret_decapsulate(sm, &bad),
        Err(Error::VerificationFailed)
    );
}

#[test]
fn store_limits_are_overflow() {
    let st = Arc::new(MemoryStore::new(
        StoreLimits {
            max_ids: 2,
            max_versions: 2,
            max_bytes: 4096,
        },
        [1; 32],
    ));
    let ck = clock();
    let mut c = ctx_with(&st, b"ns", &ck);
    let sm = c.secrets_manager_open(None).unwrap();
    let mut id = [0u8; 32];
    c.external_secret_store(sm, b"a", NOW + 9, &mut id).unwrap();
    c.external_secret_replace(sm, b"b", NOW + 9, &id).unwrap();
    assert_eq!(
        c.external_secret_replace(sm, b"c", NOW + 9, &id),
        Err(Error::Overflow)
    );
    c.external_secret_store(sm, b"x", NOW + 9, &mut [0; 32])
        .unwrap();
    assert_eq!(
        c.external_secret_store(sm, b"y", NOW + 9, &mut [0; 32]),
        Err(Error::Overflow)
    );
    let mut big = [0u8; 32];
    assert_eq!(
        c.external_secret_store(sm, &[0; 5000], NOW + 9, &mut big),
        Err(Error::Overflow)
    );
    assert_eq!(big, [0; 32]);
}

#[test]
fn a_deterministic_context_cannot_make_ids() {
    let (st, ck) = (store(), clock());
    let mut c = Ctx::new(Config::default());
    c.set_key_store(st, b"ns", ck).unwrap();
    let sm = c.secrets_manager_open(None).unwrap();
    let k = c.symmetric_key_import(b"HMAC/SHA-256", &[1; 32]).unwrap();
    assert_eq!(
        c.symmetric_key_store_managed(sm, k, &mut [0; 32]),
        Err(Error::UnsupportedFeature)
    );
    assert_eq!(
        c.external_secret_encapsulate(sm, b"s", NOW + 1),
        Err(Error::UnsupportedFeature)
    );
}

#[test]
fn managed_keys_expire_with_their_expiration_option() {
    let (st, ck) = (store(), clock());
    let mut c = ctx_with(&st, b"ns", &ck);
    let sm = c.secrets_manager_open(None).unwrap();
    let o = c.options_open(AlgorithmType::Symmetric).unwrap();
    assert_eq!(
        c.options_set_u64(o, b"memory_limit", 1),
        Err(Error::UnsupportedOption)
    );
    c.options_set_u64(o, b"expiration", NOW).unwrap();
    assert_eq!(
        c.symmetric_key_generate_managed(sm, b"HMAC/SHA-256", Some(o)),
        Err(Error::InvalidOperation),
        "an expiration not in the future"
    );
    c.options_set_u64(o, b"expiration", NOW + 10).unwrap();
    let k = c
        .symmetric_key_generate_managed(sm, b"HMAC/SHA-256", Some(o))
        .unwrap();
    let mut id = [0u8; 32];
    c.symmetric_key_id(k, &mut id).unwrap();
    hmac_tag(&mut c, k, b"usable until it expires");
    // Options of another type are invalid_handle, as everywhere.
    let so = c.options_open(AlgorithmType::Signatures).unwrap();
    c.options_set_u64(so, b"expiration", NOW + 10).unwrap();
    assert_eq!(
        c.symmetric_key_generate_managed(sm, b"HMAC/SHA-256", Some(so)),
        Err(Error::InvalidHandle)
    );
    let kp = c
        .keypair_generate_managed(sm, AlgorithmType::Signatures, b"Ed25519", Some(so))
        .unwrap();
    let mut kid = [0u8; 32];
    c.keypair_id(kp, &mut kid).unwrap();
    sign_empty(&mut c, kp);

    ck.0.store(NOW + 11, Ordering::SeqCst);
    assert_eq!(
        c.symmetric_state_open(b"HMAC/SHA-256", Some(k), None),
        Err(Error::Expired)
    );
    assert_eq!(
        c.symmetric_key_from_id(sm, &id, Version::LATEST),
        Err(Error::Expired)
    );
    assert_eq!(c.signature_state_open(kp), Err(Error::Expired));
    assert_eq!(
        c.keypair_from_id(sm, &kid, Version::LATEST),
        Err(Error::Expired)
    );
}
