//! `wasmcrypt`: run a WASI preview 1 command with wasi-crypto linked, or print random bytes.
//!
//! ```text
//! wasmcrypt run [--engine wasmtime|wasm3] [--deterministic]
//!               [--keystore DIR [--namespace NAME] [--master-key-file PATH]] MODULE [ARGS...]
//! wasmcrypt random [-n BYTES] [--hex] [--source PATH]... [--plugin MODULE]...
//! wasmcrypt keys init|generate|import|list|rotate|revoke --keystore DIR [OPTIONS]
//! ```
//! The key store's master key comes from `--master-key-file` or `WASMCRYPT_MASTER_KEY`.
//! `run` exits with the guest's exit code. Host-side failures print one line to stderr and
//! exit 2 (usage, unreadable or invalid module, unknown import) or 134 (the guest trapped).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod keys_cli;

use wasmcrypt_wasmtime::command::{self, Options, RunError, Stdio};
use wasmcrypt_wasmtime::core::rng::InstanceRng;
use wasmcrypt_wasmtime::wasm3::command::KeyStoreOption;
use wasmcrypt_wasmtime::{entropy, os_base};

const USAGE: &str = "usage: wasmcrypt run [--engine wasmtime|wasm3] [--deterministic] [--keystore DIR [--namespace NAME] [--master-key-file PATH]] MODULE.{wasm,wat} [ARGS...]
       wasmcrypt random [-n BYTES] [--hex] [--source PATH]... [--plugin MODULE]...
       wasmcrypt keys init|list --keystore DIR [--namespace NAME] [--master-key-file PATH]
       wasmcrypt keys generate --keystore DIR --alg NAME [--type symmetric|signatures|key_exchange]
       wasmcrypt keys import --keystore DIR --alg NAME [--type TYPE] [--encoding raw|pkcs8|pem] FILE
       wasmcrypt keys rotate|revoke --keystore DIR ID [--version N|latest|all]
   (the master key: --master-key-file PATH or WASMCRYPT_MASTER_KEY, 64 hex digits)";
/// Each engine's runner; they share options, outcome and errors.
type Runner = fn(&Path, &[String], Options) -> Result<command::Outcome, RunError>;
const ENGINES: &[(&str, Runner)] = &[
    ("wasmtime", command::run_file),
    ("wasm3", wasmcrypt_wasmtime::wasm3::command::run_file),
];

fn fail(msg: &str, code: u8) -> ExitCode {
    #[allow(clippy::print_stderr, reason = "the CLI reports errors on stderr")]
    {
        eprintln!("wasmcrypt: {msg}");
    }
    ExitCode::from(code)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("run") => run(args),
        Some("random") => random(args),
        Some("keys") => match keys_cli::keys(args) {
            Ok(lines) => {
                for l in lines {
                    println!("{l}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e, 1),
        },
        Some("-h" | "--help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("wasmcrypt {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => fail(&format!("unknown command `{other}`\n{USAGE}"), 2),
        None => fail(USAGE, 2),
    }
}

fn run(mut args: impl Iterator<Item = String>) -> ExitCode {
    let mut engine = String::from("wasmtime");
    let mut deterministic = false;
    let mut module: Option<PathBuf> = None;
    let mut guest_args = Vec::new();
    let mut store = keys_cli::StoreArgs::default();
    while let Some(a) = args.next() {
        if module.is_some() {
            guest_args.push(a);
            continue;
        }
        match store.take(&a, &mut args) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => return fail(&e, 2),
        }
        match a.as_str() {
            "--engine" => match args.next() {
                Some(e) => engine = e,
                None => return fail("--engine needs a value", 2),
            },
            s if s.starts_with("--engine=") => engine = s["--engine=".len()..].to_string(),
            "--deterministic" => deterministic = true,
            s if s.starts_with('-') && s.len() > 1 => {
                return fail(&format!("unknown option `{s}`\n{USAGE}"), 2);
            }
            _ => {
                guest_args.push(a.clone());
                module = Some(PathBuf::from(a));
            }
        }
    }
    let Some(module) = module else {
        return fail(&format!("no module given\n{USAGE}"), 2);
    };
    let Some(&(_, run_file)) = ENGINES.iter().find(|(name, _)| *name == engine) else {
        let names: Vec<&str> = ENGINES.iter().map(|(name, _)| *name).collect();
        return fail(
            &format!(
                "unknown engine `{engine}` (available: {})",
                names.join(", ")
            ),
            2,
        );
    };
    let keys = match &store.dir {
        None => None,
        Some(_) => match store.open(false) {
            Ok(s) => Some(KeyStoreOption {
                store: std::sync::Arc::new(s),
                namespace: store.namespace().as_bytes().to_vec(),
            }),
            Err(e) => return fail(&e, 2),
        },
    };
    let opts = Options {
        stdio: Stdio::Inherit,
        deterministic,
        stdin: None,
        keys,
    };
    match run_file(&module, &guest_args, opts) {
        Ok(outcome) => ExitCode::from(u8::try_from(outcome.exit_code & 0xff).unwrap_or(1)),
        Err(e @ RunError::Trap { .. }) => fail(&e.to_string(), 134),
        Err(e) => fail(&e.to_string(), 2),
    }
}

fn random(mut args: impl Iterator<Item = String>) -> ExitCode {
    let mut n: u64 = 32;
    let mut hex = false;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut plugins: Vec<PathBuf> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "-n" | "--bytes" => match args.next().map(|v| v.parse::<u64>()) {
                Some(Ok(v)) => n = v,
                _ => return fail("-n needs a byte count", 2),
            },
            "--hex" => hex = true,
            "--source" => match args.next() {
                Some(p) => files.push(p.into()),
                None => return fail("--source needs a path", 2),
            },
            "--plugin" => match args.next() {
                Some(p) => plugins.push(p.into()),
                None => return fail("--plugin needs a module", 2),
            },
            other => return fail(&format!("unknown option `{other}`\n{USAGE}"), 2),
        }
    }
    let base = match os_base() {
        Ok(b) => b,
        Err(e) => return fail(&e.to_string(), 1),
    };
    let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let plugins: Vec<&Path> = plugins.iter().map(PathBuf::as_path).collect();
    if let Err(e) = entropy::mix_inputs(&base, &files, &plugins) {
        return fail(&e, 1);
    }
    let mut rng = InstanceRng::new(&base);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut buf = vec![0u8; 64 * 1024];
    let mut text = Vec::with_capacity(buf.len() * 2);
    let mut left = n;
    while left > 0 {
        let k = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
        let chunk = &mut buf[..k];
        rng.fill(chunk);
        let written = if hex {
            text.clear();
            for b in chunk.iter() {
                text.extend_from_slice(format!("{b:02x}").as_bytes());
            }
            out.write_all(&text)
        } else {
            out.write_all(chunk)
        };
        if written.is_err() {
            // The reader went away (a closed pipe): stop quietly, like `head`.
            return ExitCode::SUCCESS;
        }
        left -= k as u64;
    }
    if hex && out.write_all(b"\n").is_err() {
        return ExitCode::SUCCESS;
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}
