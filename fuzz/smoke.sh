#!/usr/bin/env bash
# Builds every fuzz target and runs each for N seconds (default 30). Exits non-zero if the
# build fails or any target finds a crash, a leak, a timeout or an out-of-memory input.
#
#   ./smoke.sh        # 30 s per target
#   ./smoke.sh 300    # 5 min per target
set -euo pipefail

secs="${1:-30}"
case "$secs" in
  '' | *[!0-9]*) echo "usage: $0 [seconds-per-target]" >&2; exit 2 ;;
esac

cd "$(dirname "$0")"

cargo +nightly fuzz build

status=0
for target in $(cargo +nightly fuzz list); do
  echo "==> $target: ${secs}s"
  if ! cargo +nightly fuzz run "$target" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1; then
    echo "FAILED: $target (reproducer in artifacts/$target/)" >&2
    status=1
  fi
done
exit "$status"
