//! NIST CAVP SHA-2 vectors (FIPS 180-4, "SHA Test Vectors for Hashing Byte-Oriented
//! Messages") through wasmcrypt's Rust API: `symmetric_state_open` / `absorb` / `squeeze` /
//! `close` on a [`Ctx`]. Files and provenance: `data/nist-sha2/`, `SOURCES.md`.

use wasmcrypt_core::Ctx;
use wasmcrypt_testvectors::rsp::{self, Fields, Schema, Section};

macro_rules! vector_file {
    ($name:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/nist-sha2/", $name)
    };
}

const MSG_SCHEMA: Schema<'static> = Schema {
    section_keys: &["L"],
    record_keys: &["Len", "Msg", "MD"],
};

const MONTE_SCHEMA: Schema<'static> = Schema {
    section_keys: &["L"],
    record_keys: &["Seed", "COUNT", "MD"],
};

fn load(path: &str, schema: &Schema<'_>) -> Section {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut sections = rsp::parse(&text, schema).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(sections.len(), 1, "{path}: expected exactly one section");
    sections.remove(0)
}

/// Checks the section header `[L = digest_len]`.
fn check_l(path: &str, section: &Section, digest_len: usize) {
    section.params.require_exactly(&["L"]).unwrap();
    let l = section.params.uint("L").unwrap();
    assert_eq!(l, digest_len as u64, "{path}: [L] is not the digest length");
}

/// One digest through the API, absorbing `pieces` in order.
fn digest(ctx: &mut Ctx, alg: &str, pieces: &[&[u8]], digest_len: usize) -> Vec<u8> {
    let st = ctx
        .symmetric_state_open(alg.as_bytes(), None, None)
        .unwrap();
    for piece in pieces {
        ctx.symmetric_state_absorb(st, piece).unwrap();
    }
    let mut out = vec![0u8; digest_len];
    ctx.symmetric_state_squeeze(st, &mut out).unwrap();
    ctx.symmetric_state_close(st).unwrap();
    out
}

/// ShortMsg / LongMsg: every case one-shot and in two pieces split at the middle.
fn run_msg_file(alg: &str, path: &str, digest_len: usize, expected_cases: usize) {
    let section = load(path, &MSG_SCHEMA);
    check_l(path, &section, digest_len);
    assert_eq!(
        section.records.len(),
        expected_cases,
        "{path}: wrong number of cases (truncated or changed file?)"
    );
    let mut ctx = Ctx::default();
    for rec in &section.records {
        rec.require_exactly(&["Len", "Msg", "MD"]).unwrap();
        let msg = rec.message("Len", "Msg").unwrap();
        let md = rec.hex("MD").unwrap();
        assert_eq!(md.len(), digest_len, "{path} line {}", rec.line());

        let one_shot = digest(&mut ctx, alg, &[&msg], digest_len);
        assert_eq!(one_shot, md, "{alg} one-shot, {path} line {}", rec.line());

        let (a, b) = msg.split_at(msg.len() / 2);
        let two_pieces = digest(&mut ctx, alg, &[a, b], digest_len);
        assert_eq!(
            two_pieces,
            md,
            "{alg} two pieces, {path} line {}",
            rec.line()
        );
    }
}

/// Monte Carlo test (SHAVS section 6.4, FIPS 180-4 hashes): 100 checkpoints of 1000 chained
/// digests each, every digest through the API.
fn run_monte_file(alg: &str, path: &str, digest_len: usize) {
    let section = load(path, &MONTE_SCHEMA);
    check_l(path, &section, digest_len);
    assert_eq!(
        section.records.len(),
        101,
        "{path}: expected Seed + 100 checkpoints"
    );
    let (seed_rec, checkpoints): (&Fields, &[Fields]) = section.records.split_first().unwrap();
    seed_rec.require_exactly(&["Seed"]).unwrap();
    let mut seed = seed_rec.hex("Seed").unwrap();
    assert_eq!(seed.len(), digest_len, "{path}: Seed length");

    let mut ctx = Ctx::default();
    for (j, rec) in checkpoints.iter().enumerate() {
        rec.require_exactly(&["COUNT", "MD"]).unwrap();
        assert_eq!(
            rec.uint("COUNT").unwrap(),
            j as u64,
            "{path} line {}",
            rec.line()
        );
        let expected = rec.hex("MD").unwrap();

        // MD0 = MD1 = MD2 = Seed; for i in 3..1003: MDi = SHA(MD(i-3) || MD(i-2) || MD(i-1)).
        let mut window = [seed.clone(), seed.clone(), seed.clone()];
        for _ in 3..1003 {
            let next = digest(
                &mut ctx,
                alg,
                &[&window[0], &window[1], &window[2]],
                digest_len,
            );
            window.rotate_left(1);
            window[2] = next;
        }
        // MDj = Seed = MD1002.
        seed = window[2].clone();
        assert_eq!(
            seed,
            expected,
            "{alg} Monte COUNT = {j}, {path} line {}",
            rec.line()
        );
    }
}

// Case counts are those of the files in cryptography-vectors 50.0.2 (see SOURCES.md); a
// truncated or altered file fails here instead of passing with fewer cases.

#[test]
fn sha256_short_msg() {
    run_msg_file("SHA-256", vector_file!("SHA256ShortMsg.rsp"), 32, 65);
}

#[test]
fn sha256_long_msg() {
    run_msg_file("SHA-256", vector_file!("SHA256LongMsg.rsp"), 32, 64);
}

#[test]
fn sha256_monte() {
    run_monte_file("SHA-256", vector_file!("SHA256Monte.rsp"), 32);
}

#[test]
fn sha384_short_msg() {
    run_msg_file("SHA-384", vector_file!("SHA384ShortMsg.rsp"), 48, 129);
}

#[test]
fn sha384_long_msg() {
    run_msg_file("SHA-384", vector_file!("SHA384LongMsg.rsp"), 48, 128);
}

#[test]
fn sha384_monte() {
    run_monte_file("SHA-384", vector_file!("SHA384Monte.rsp"), 48);
}

#[test]
fn sha512_short_msg() {
    run_msg_file("SHA-512", vector_file!("SHA512ShortMsg.rsp"), 64, 129);
}

#[test]
fn sha512_long_msg() {
    run_msg_file("SHA-512", vector_file!("SHA512LongMsg.rsp"), 64, 128);
}

#[test]
fn sha512_monte() {
    run_monte_file("SHA-512", vector_file!("SHA512Monte.rsp"), 64);
}

#[test]
fn sha512_256_short_msg() {
    run_msg_file(
        "SHA-512/256",
        vector_file!("SHA512_256ShortMsg.rsp"),
        32,
        129,
    );
}

#[test]
fn sha512_256_long_msg() {
    run_msg_file(
        "SHA-512/256",
        vector_file!("SHA512_256LongMsg.rsp"),
        32,
        128,
    );
}

#[test]
fn sha512_256_monte() {
    run_monte_file("SHA-512/256", vector_file!("SHA512_256Monte.rsp"), 32);
}

// ---- the parser's strictness: a changed format must fail, not skip cases -------------------

const GOOD: &str = "# c\r\n\r\n[L = 32]\r\n\r\nLen = 0\r\nMsg = 00\r\nMD = ab\r\n\r\nLen = 8\r\nMsg = d3\r\nMD = cd\r\n";

#[test]
fn parser_accepts_the_cavp_layout() {
    let sections = rsp::parse(GOOD, &MSG_SCHEMA).unwrap();
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].params.get("L").unwrap(), "32");
    assert_eq!(sections[0].records.len(), 2);
    let empty = &sections[0].records[0];
    assert_eq!(empty.message("Len", "Msg").unwrap(), Vec::<u8>::new());
    assert_eq!(
        sections[0].records[1].message("Len", "Msg").unwrap(),
        [0xd3]
    );
    assert_eq!(sections[0].records[1].hex("MD").unwrap(), [0xcd]);
}

#[test]
fn parser_rejects_unknown_record_key() {
    let text = GOOD.replace("Msg = d3", "Msg = d3\r\nIV = 00");
    let err = rsp::parse(&text, &MSG_SCHEMA).unwrap_err();
    assert!(err.msg.contains("unknown record key"), "{err}");
}

#[test]
fn parser_rejects_unknown_section_key_repeats_and_junk() {
    assert!(rsp::parse(&GOOD.replace("[L = 32]", "[N = 32]"), &MSG_SCHEMA).is_err());
    assert!(rsp::parse(&GOOD.replace("MD = cd", "MD = cd\nMD = cd"), &MSG_SCHEMA).is_err());
    assert!(rsp::parse(&GOOD.replace("Msg = d3", "Msg d3"), &MSG_SCHEMA).is_err());
    assert!(rsp::parse("Len = 0\nMsg = 00\nMD = 00\n", &MSG_SCHEMA).is_err());
    assert!(rsp::parse("[L = 32\n", &MSG_SCHEMA).is_err());
}

#[test]
fn parser_rejects_bad_hex_and_lengths() {
    let sections = rsp::parse(GOOD, &MSG_SCHEMA).unwrap();
    let rec = &sections[0].records[1];
    assert!(rec.hex("Len").is_err(), "\"8\" is odd-length hex");
    for (from, to) in [
        ("Msg = d3", "Msg = d"),    // odd length
        ("Msg = d3", "Msg = g3"),   // not hex
        ("Msg = d3", "Msg = d3d3"), // longer than Len
        ("Len = 8", "Len = 12"),    // not whole bytes
        ("Len = 8", "Len = x"),     // not a number
        ("Msg = 00", "Msg = "),     // Len = 0 without the 00 placeholder
    ] {
        let text = GOOD.replace(from, to);
        let sections = rsp::parse(&text, &MSG_SCHEMA).unwrap();
        let bad = sections[0]
            .records
            .iter()
            .any(|r| r.message("Len", "Msg").is_err());
        assert!(bad, "{from} -> {to} accepted");
    }
    assert!(rsp::decode_hex("0aFf").unwrap() == [0x0a, 0xff]);
}
