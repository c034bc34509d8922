#!/usr/bin/env bash
# Builds every fuzz target and runs each for N seconds (default 20). Exits non-zero if the
# target list cannot be read, is empty or differs from fuzz_targets/*.rs, if the build fails,
# if any target finds a crash, a leak, a timeout or an out-of-memory input, or if a target
# did not run (no executions reported).
#
#   ./smoke.sh        # 20 s per target
#   ./smoke.sh 300    # 5 min per target
set -euo pipefail

secs="${1:-20}"
case "$secs" in
  '' | *[!0-9]* | 0) echo "usage: $0 [seconds-per-target, > 0]" >&2; exit 2 ;;
esac

cd "$(dirname "$0")"

# An assignment, not a `for ... in $(...)`: a failing `cargo fuzz list` stops the script.
targets=$(cargo +nightly fuzz list)
if [ -z "$targets" ]; then
  echo "FAILED: cargo fuzz list found no fuzz targets" >&2
  exit 1
fi
expected=$(for f in fuzz_targets/*.rs; do basename "$f" .rs; done | sort)
if [ "$(sort <<<"$targets")" != "$expected" ]; then
  printf 'FAILED: cargo fuzz list (%s) differs from fuzz_targets/*.rs (%s)\n' \
    "$(echo $targets)" "$(echo $expected)" >&2
  exit 1
fi

cargo +nightly fuzz build

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
for target in $targets; do
  echo "==> $target: ${secs}s"
  corpus=("corpus/$target")
  mkdir -p "corpus/$target"
  # Checked-in seeds (read only; new inputs go to corpus/).
  [ -d "seeds/$target" ] && corpus+=("seeds/$target")
  if ! cargo +nightly fuzz run "$target" "${corpus[@]}" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      2>&1 | tee "$logs/$target.log"; then
    echo "FAILED: $target (reproducer in fuzz/artifacts/$target/)" >&2
    status=1
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$target.log" | tail -n 1)
  if [ -z "$runs" ] || [ "$runs" -eq 0 ]; then
    echo "FAILED: $target reported no executions" >&2
    status=1
    continue
  fi
  echo "==> $target: $runs executions in ${secs}s"
done
exit "$status"
