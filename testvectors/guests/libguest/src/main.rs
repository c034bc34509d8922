//! A guest written against the published `wasi-crypto-guest` 0.1.7 library, as any client of
//! the API would use it: signatures (Ed25519, ECDSA P-256 and secp256k1) and key exchange
//! (X25519, P-256 ECDH). It prints one line per check; randomness (generated keys, hedged
//! ECDSA nonces) never reaches the output, so the transcript is the same on every engine.

use wasi_crypto_guest::kx::{KxKeyPair, KxPublicKey, KxSecretKey};
use wasi_crypto_guest::signatures::{Signature, SignatureKeyPair, SignaturePublicKey};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn sign_verify(alg: &'static str) -> String {
    let kp = SignatureKeyPair::generate(alg).unwrap();
    let pk = kp.publickey().unwrap();
    let sig = kp.sign(b"a message").unwrap();
    let ok = pk.signature_verify(b"a message", &sig).is_ok();
    let tampered = pk.signature_verify(b"a massage", &sig).is_err();
    // Through the raw encoding and back, and a public key through its own raw form.
    let again = Signature::from_raw(alg, sig.raw().unwrap()).unwrap();
    let pk2 = SignaturePublicKey::from_raw(alg, pk.raw().unwrap()).unwrap();
    let raw_ok = pk2.signature_verify(b"a message", &again).is_ok();
    // Streaming: two updates, one signature over both.
    let mut st = kp.multipart_signature().unwrap();
    st.update(b"a ").unwrap();
    st.update(b"message").unwrap();
    let multi = st.sign().unwrap();
    let multi_ok = pk.signature_verify(b"a message", &multi).is_ok();
    format!("{alg}: verify {ok}, tampered rejected {tampered}, raw round trip {raw_ok}, multipart {multi_ok}")
}

fn agree(alg: &'static str) -> String {
    let (a, b) = (KxKeyPair::generate(alg).unwrap(), KxKeyPair::generate(alg).unwrap());
    let ab = a.publickey().unwrap().dh(&b.secretkey().unwrap()).unwrap();
    let ba = b.publickey().unwrap().dh(&a.secretkey().unwrap()).unwrap();
    format!("{alg}: {} byte secret, both sides agree {}", ab.len(), ab == ba)
}

fn main() {
    // RFC 8032 §7.1 TEST 1: the key pair as seed ‖ public key, the empty message.
    let kp = SignatureKeyPair::from_raw(
        "Ed25519",
        unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
    )
    .unwrap();
    println!("Ed25519 RFC 8032 test 1: {}", hex(&kp.sign(b"").unwrap().raw().unwrap()));
    for alg in ["Ed25519", "ECDSA_P256_SHA256", "ECDSA_K256_SHA256"] {
        println!("{}", sign_verify(alg));
    }
    let der = {
        let kp = SignatureKeyPair::generate("ECDSA_P256_SHA256").unwrap();
        let sig = kp.sign(b"der").unwrap();
        let back = Signature::from_der("ECDSA_P256_SHA256", sig.der().unwrap()).unwrap();
        kp.publickey().unwrap().signature_verify(b"der", &back).is_ok()
    };
    println!("ECDSA_P256_SHA256 DER round trip verifies: {der}");
    // RFC 7748 §6.1: Bob's public key with Alice's secret key.
    let alice = KxSecretKey::from_raw(
        "X25519",
        unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
    )
    .unwrap();
    let bob = KxPublicKey::from_raw(
        "X25519",
        unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
    )
    .unwrap();
    println!("X25519 RFC 7748 6.1: {}", hex(&bob.dh(&alice).unwrap()));
    for alg in ["X25519", "P256-SHA256"] {
        println!("{}", agree(alg));
    }
}
