//! The persistent key store: the same contract as the in-memory one, encryption at rest
//! (a wrong master key, a flipped byte, a truncated or moved file are refused), crash safety
//! under an injected failure at every file-system step (1,200 iterations) and under 1,000
//! writer processes killed (SIGKILL) at random moments, and writers in several threads
//! through two store values on one directory.
#![cfg(feature = "std")]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use wasmcrypt_core::Error;
use wasmcrypt_core::keystore::dir::{DirStore, DirStoreError};
use wasmcrypt_core::keystore::{Entry, EntryKind, KeyStore, MemoryStore, StoreLimits, Versions};
use zeroize::Zeroizing;

const MASTER: [u8; 32] = [0x42; 32];

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wasmcrypt-dirstore-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn limits() -> StoreLimits {
    StoreLimits {
        max_ids: 64,
        max_versions: 1000,
        max_bytes: 1 << 20,
    }
}

fn create(dir: &Path) -> DirStore {
    DirStore::create(dir, &MASTER, limits(), Box::new(support::DevUrandom)).unwrap()
}

fn open(dir: &Path) -> DirStore {
    DirStore::open(dir, &MASTER, limits(), Box::new(support::DevUrandom)).unwrap()
}

fn secret(bytes: &[u8], exp: Option<u64>) -> Entry {
    Entry {
        kind: EntryKind::ExternalSecret,
        alg: vec![],
        encoding: 0,
        bytes: Zeroizing::new(bytes.to_vec()),
        expiration: exp,
    }
}

fn key(bytes: &[u8]) -> Entry {
    Entry {
        kind: EntryKind::SymmetricKey,
        alg: b"HMAC/SHA-256".to_vec(),
        encoding: 0,
        bytes: Zeroizing::new(bytes.to_vec()),
        expiration: None,
    }
}

/// The store contract, run against any store.
fn contract(s: &dyn KeyStore) {
    let (ns, other) = (&b"tenant-a"[..], &b"tenant-b"[..]);
    let id = [1u8; 32];
    s.create(ns, &id, key(b"v1")).unwrap();
    assert_eq!(
        s.create(ns, &id, key(b"again")).err(),
        Some(Error::InternalError)
    );
    assert_eq!(s.add_version(ns, &id, key(b"v2")), Ok(2));
    assert_eq!(
        s.add_version(ns, &id, secret(b"x", None)).err(),
        Some(Error::IncompatibleKeys)
    );
    let (v, e) = s.get(ns, &id, Versions::Latest).unwrap();
    assert_eq!((v, e.bytes.as_slice()), (2, &b"v2"[..]));
    assert_eq!(
        s.get(ns, &id, Versions::Exact(1))
            .unwrap()
            .1
            .bytes
            .as_slice(),
        b"v1"
    );
    assert_eq!(
        s.get(other, &id, Versions::Latest).err(),
        Some(Error::NotFound)
    );
    assert_eq!(s.kind(ns, &id), Some(EntryKind::SymmetricKey));
    s.invalidate(ns, &id, Versions::Latest).unwrap();
    assert_eq!(s.get(ns, &id, Versions::Latest).unwrap().0, 1);
    s.invalidate(ns, &id, Versions::All).unwrap();
    assert_eq!(
        s.get(ns, &id, Versions::Latest).err(),
        Some(Error::NotFound)
    );
    assert_eq!(
        s.invalidate(ns, &id, Versions::All).err(),
        Some(Error::NotFound)
    );
    assert_eq!(s.kind(ns, &id), None);
    // Numbers are never reused.
    assert_eq!(s.add_version(ns, &id, key(b"v3")), Ok(3));
    let sid = [2u8; 32];
    s.create(ns, &sid, secret(b"s", Some(99))).unwrap();
    assert_eq!(
        s.get(ns, &sid, Versions::Exact(1)).unwrap().1.expiration,
        Some(99)
    );
    assert_eq!(
        s.get(ns, &[9u8; 32], Versions::Latest).err(),
        Some(Error::NotFound)
    );
}

#[test]
fn both_stores_keep_the_same_contract() {
    contract(&MemoryStore::new(StoreLimits::default(), [0; 32]));
    let dir = temp_dir("contract");
    contract(&create(&dir));
    // Everything is still there after reopening.
    let s = open(&dir);
    assert_eq!(
        s.get(b"tenant-a", &[1u8; 32], Versions::Latest).unwrap().0,
        3
    );
    let listing = s.list(b"tenant-a").unwrap();
    assert_eq!(listing.len(), 2);
    assert_eq!(listing[0].versions, [(3, None)]);
    assert_eq!(listing[1].versions, [(1, Some(99))]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn opening_errors_are_one_clear_line() {
    let dir = temp_dir("errors");
    let missing = DirStore::open(&dir, &MASTER, limits(), Box::new(support::DevUrandom));
    assert!(matches!(missing, Err(DirStoreError::Missing(_))));
    create(&dir);
    let again = DirStore::create(&dir, &MASTER, limits(), Box::new(support::DevUrandom));
    assert!(matches!(again, Err(DirStoreError::Exists(_))));
    let wrong = DirStore::open(&dir, &[0x43; 32], limits(), Box::new(support::DevUrandom));
    let err = wrong.unwrap_err();
    assert!(matches!(err, DirStoreError::WrongMasterKey));
    assert_eq!(err.to_string(), "wrong master key for this key store");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every file of an entry's version directory, for tampering.
fn entry_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for ns in std::fs::read_dir(dir).unwrap().flatten() {
        if !ns.path().is_dir() {
            continue;
        }
        for id in std::fs::read_dir(ns.path()).unwrap().flatten() {
            for f in std::fs::read_dir(id.path()).unwrap().flatten() {
                if f.file_name().to_string_lossy().ends_with(".entry") {
                    out.push(f.path());
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn entries_are_encrypted_and_tampering_is_refused() {
    let dir = temp_dir("tamper");
    let s = create(&dir);
    let id = [7u8; 32];
    let plain = b"a very recognisable secret value";
    s.create(b"ns", &id, secret(plain, None)).unwrap();
    s.add_version(b"ns", &id, secret(b"second", None)).unwrap();
    let files = entry_files(&dir);
    assert_eq!(files.len(), 2);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain),
            "encrypted at rest"
        );
    }
    let original = std::fs::read(&files[0]).unwrap();
    for i in 0..original.len() {
        let mut bad = original.clone();
        bad[i] ^= 0x80;
        std::fs::write(&files[0], &bad).unwrap();
        assert_eq!(
            s.get(b"ns", &id, Versions::Exact(1)).err(),
            Some(Error::VerificationFailed),
            "byte {i}"
        );
    }
    std::fs::write(&files[0], &original[..original.len() - 1]).unwrap();
    assert_eq!(
        s.get(b"ns", &id, Versions::Exact(1)).err(),
        Some(Error::VerificationFailed)
    );
    // Version 2's file renamed to version 1's name: its place does not match.
    std::fs::copy(&files[1], &files[0]).unwrap();
    assert_eq!(
        s.get(b"ns", &id, Versions::Exact(1)).err(),
        Some(Error::VerificationFailed)
    );
    std::fs::write(&files[0], &original).unwrap();
    assert_eq!(
        s.get(b"ns", &id, Versions::Exact(1))
            .unwrap()
            .1
            .bytes
            .as_slice(),
        plain
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn hexs(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A tiny deterministic generator for the crash loop's choices.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn a_crash_at_any_step_loses_no_committed_version_and_shows_no_torn_one() {
    const ITERATIONS: usize = 1200;
    let dir = temp_dir("crash");
    create(&dir);
    let ns = b"ns";
    let ids = [[1u8; 32], [2u8; 32], [3u8; 32]];
    // The model: per id, the live versions with their bytes, and whether the id exists.
    let mut live: Vec<Vec<(u64, Vec<u8>)>> = vec![vec![]; ids.len()];
    let mut created = [false; 3];
    let mut rng = Lcg(0x5eed);
    let (mut crashed, mut committed) = (0, 0);
    for i in 0..ITERATIONS {
        let mut s = open(&dir);
        let fail_after = rng.next(12);
        s.inject_failure_after(fail_after);
        let which = rng.next(ids.len() as u64) as usize;
        let id = &ids[which];
        let value = format!("value {i}").into_bytes();
        let op = rng.next(4);
        // An id is created once (a create interrupted after its directory exists leaves an
        // id that `add_version` continues); then versions are added or invalidated.
        let result = if !created[which] {
            created[which] = true;
            s.create(ns, id, secret(&value, None)).map(|()| 1)
        } else if op == 3 && !live[which].is_empty() {
            s.invalidate(ns, id, Versions::Latest).map(|()| 0)
        } else {
            s.add_version(ns, id, secret(&value, None))
        };
        drop(s);
        // Restart: what is on disk now must be the model, plus at most the one operation
        // that was in flight, entirely or not at all.
        let s = open(&dir);
        match result {
            Ok(0) => {
                live[which].pop();
                committed += 1;
            }
            Ok(v) => {
                live[which].push((v, value.clone()));
                committed += 1;
            }
            Err(_) => {
                crashed += 1;
                // A create interrupted before its meta file was committed is swept at the
                // next open; the id can be created again.
                let id_dir = dir.join(hexs(&Sha256::digest(ns))).join(hexs(id));
                if created[which] && live[which].is_empty() && !id_dir.join("meta").exists() {
                    assert!(
                        !id_dir.exists(),
                        "iteration {i}: half-created id left behind"
                    );
                    created[which] = false;
                }
            }
        }
        for (k, id) in ids.iter().enumerate() {
            for (v, bytes) in &live[k] {
                if result.is_err()
                    && k == which
                    && op == 3
                    && Some(v) == live[k].last().map(|x| &x.0)
                {
                    // An interrupted invalidation of this version: either outcome is whole.
                    match s.get(ns, id, Versions::Exact(*v)) {
                        Ok((_, e)) => assert_eq!(e.bytes.as_slice(), bytes.as_slice()),
                        Err(e) => assert_eq!(e, Error::NotFound),
                    }
                    continue;
                }
                let (_, e) = s
                    .get(ns, id, Versions::Exact(*v))
                    .unwrap_or_else(|e| panic!("iteration {i}: committed v{v} of id {k}: {e:?}"));
                assert_eq!(e.bytes.as_slice(), bytes.as_slice(), "iteration {i}");
            }
            // Whatever else is visible reads whole (never a torn or undecryptable file).
            match s.get(ns, id, Versions::Latest) {
                Ok((v, e)) => {
                    if !live[k].iter().any(|(w, _)| *w == v) {
                        // The interrupted write committed after all: adopt it.
                        assert!(result.is_err() && k == which, "iteration {i}: stray v{v}");
                        assert_eq!(e.bytes.as_slice(), value.as_slice());
                        live[k].push((v, e.bytes.to_vec()));
                    }
                }
                Err(e) => assert_eq!(e, Error::NotFound, "iteration {i}"),
            }
            if result.is_err() && k == which && op == 3 {
                // Re-sync the model with an interrupted invalidation's outcome.
                live[k].retain(|(v, _)| s.get(ns, id, Versions::Exact(*v)).is_ok());
            }
        }
    }
    println!("{ITERATIONS} iterations: {committed} committed, {crashed} interrupted");
    assert!(crashed > 300 && committed > 300, "{crashed} {committed}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_writers_never_share_a_version() {
    let dir = temp_dir("concurrent");
    let a = Arc::new(create(&dir));
    let b = Arc::new(open(&dir));
    let id = [5u8; 32];
    a.create(b"ns", &id, key(b"start")).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let s = if t % 2 == 0 { a.clone() } else { b.clone() };
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| {
                        s.add_version(b"ns", &id, key(format!("{t}-{i}").as_bytes()))
                            .unwrap()
                    })
                    .collect::<Vec<u64>>()
            })
        })
        .collect();
    let mut all: Vec<u64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (2..=41).collect::<Vec<u64>>());
    for v in 1..=41 {
        a.get(b"ns", &id, Versions::Exact(v)).unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The writer half of [`a_killed_writer_loses_no_committed_version`]: adds versions forever,
/// printing `ok VERSION VALUE` after each one is committed.
fn writer(dir: &Path, round: &str) -> ! {
    use std::io::Write;
    let s = open(dir);
    let id = [9u8; 32];
    let mut out = std::io::stdout().lock();
    for n in 0.. {
        let value = format!("round {round} write {n}");
        let v = s
            .add_version(b"ns", &id, secret(value.as_bytes(), None))
            .unwrap();
        writeln!(out, "ok {v} {value}").unwrap();
        out.flush().unwrap();
    }
    unreachable!()
}

#[test]
fn a_killed_writer_loses_no_committed_version() {
    const ROUNDS: usize = 1000;
    if let (Ok(dir), Ok(round)) = (
        std::env::var("WASMCRYPT_TEST_WRITER_DIR"),
        std::env::var("WASMCRYPT_TEST_WRITER_ROUND"),
    ) {
        writer(Path::new(&dir), &round);
    }
    let dir = temp_dir("killed");
    let s = create(&dir);
    let id = [9u8; 32];
    s.create(b"ns", &id, secret(b"start", None)).unwrap();
    drop(s);
    let mut committed: Vec<(u64, String)> = vec![(1, "start".into())];
    let mut rng = Lcg(0xdead);
    for round in 0..ROUNDS {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "a_killed_writer_loses_no_committed_version",
                "--exact",
                "--nocapture",
            ])
            .env("WASMCRYPT_TEST_WRITER_DIR", &dir)
            .env("WASMCRYPT_TEST_WRITER_ROUND", round.to_string())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(5_000 + rng.next(35_000)));
        child.kill().unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        // Only whole lines: the last one may have been cut by the kill.
        let whole = text.rsplit_once('\n').map_or("", |(w, _)| w);
        for line in whole.lines().filter_map(|l| l.strip_prefix("ok ")) {
            let (v, value) = line.split_once(' ').unwrap();
            committed.push((v.parse().unwrap(), value.to_string()));
        }
        // After the kill, every version the writer saw committed is there, whole.
        let s = open(&dir);
        if round % 50 == 49 || round == ROUNDS - 1 {
            for (v, value) in &committed {
                let (_, e) = s
                    .get(b"ns", &id, Versions::Exact(*v))
                    .unwrap_or_else(|e| panic!("round {round}: committed v{v} lost: {e:?}"));
                assert_eq!(e.bytes.as_slice(), value.as_bytes(), "round {round}");
            }
        }
        // The newest version on disk reads whole (never torn), and is at least the last one
        // the writer reported.
        let (latest, _) = s.get(b"ns", &id, Versions::Latest).unwrap();
        assert!(latest >= committed.last().unwrap().0, "round {round}");
    }
    println!(
        "{ROUNDS} writers killed; {} committed versions all intact",
        committed.len()
    );
    // Each write syncs twice, so a writer commits about one version before its kill: most
    // kills land in the middle of a write.
    assert!(
        committed.len() > ROUNDS / 2,
        "the writers did write: {}",
        committed.len()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
