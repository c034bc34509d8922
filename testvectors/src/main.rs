//! `cargo run -p wasmcrypt-testvectors --release -- report`: every vector source through the
//! Rust API and through the runner guest on every engine, as a table. Exits 1 on any failure.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cmd = std::env::args().nth(1);
    if cmd.as_deref() != Some("report") {
        println!("usage: wasmcrypt-testvectors report");
        return ExitCode::from(2);
    }
    let rows = match wasmcrypt_testvectors::report::run_all() {
        Ok(r) => r,
        Err(e) => {
            println!("error: {e}");
            return ExitCode::from(1);
        }
    };
    print!("{}", wasmcrypt_testvectors::report::table(&rows));
    let mut bad = false;
    for r in rows.iter().filter(|r| r.failed() > 0) {
        bad = true;
        for (line, want, got) in &r.first_failures {
            println!(
                "FAIL {} {} {}: {line}\n  want {want}\n  got  {got}",
                r.algorithm, r.source, r.path
            );
        }
    }
    if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
