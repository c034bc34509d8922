#!/usr/bin/env bash
# Statistical sanity of `wasmcrypt random`, next to /dev/urandom run the same way.
#
#   benches/rng-stats.sh [MiB]      (default 64)
#
# Needs rngtest (rng-tools5), ent and dieharder (Debian packages; installed if missing and
# running as root). rngtest exits 1 on any single failed 20000-bit block, which happens to any
# good generator now and then, so this script reports failure *rates* side by side rather than
# exit codes, and a dieharder subset's verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."

mib="${1:-64}"
bytes=$((mib * 1024 * 1024))

if ! command -v rngtest >/dev/null || ! command -v ent >/dev/null || ! command -v dieharder >/dev/null; then
  apt-get update -qq && apt-get install -y -qq rng-tools5 ent dieharder >/dev/null
fi

cargo build --release -q -p wasmcrypt-wasmtime --features cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target/release/wasmcrypt random -n "$bytes" >"$tmp/wasmcrypt.bin"
head -c "$bytes" /dev/urandom >"$tmp/urandom.bin"

# dieharder tests that finish in seconds on a file of this size.
DIEHARDER_TESTS=(0 2 3 8 15 100 101)

for src in wasmcrypt urandom; do
  f="$tmp/$src.bin"
  echo "=== $src: $mib MiB"
  # rngtest: FIPS 140-2 on 20000-bit blocks.
  r=$(rngtest <"$f" 2>&1 || true)
  ok=$(sed -n 's/.*FIPS 140-2 successes: \([0-9]*\).*/\1/p' <<<"$r")
  bad=$(sed -n 's/.*FIPS 140-2 failures: \([0-9]*\).*/\1/p' <<<"$r")
  awk -v ok="$ok" -v bad="$bad" 'BEGIN { printf "rngtest FIPS 140-2: %d blocks, %d failures (%.4f%%)\n", ok + bad, bad, 100 * bad / (ok + bad) }'
  grep -E 'Monobit|Poker|Runs|Long run|Continuous run' <<<"$r" | sed 's/^rngtest: /  /'
  # ent: entropy per byte, chi-square, mean, pi, serial correlation.
  ent "$f" | grep -E 'Entropy|chi square|would exceed|Arithmetic mean|Monte Carlo|Serial correlation' | sed 's/^/  ent: /'
  # dieharder: a subset, from the file.
  for t in "${DIEHARDER_TESTS[@]}"; do
    dieharder -g 201 -f "$f" -d "$t" 2>/dev/null | grep -E '^\s+[a-z_0-9]+\|' | grep -v file_input | sed 's/^ */  dieharder: /'
  done
done
