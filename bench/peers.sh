#!/usr/bin/env bash
# Runs the side-by-side benchmarks of ../shared/bench-peers with asyncc as
# one more column (bench/README.md, "Side by side with the peers").
#
#   bench/peers.sh [run.sh options...]      e.g. --quick, --reps 3, --no-w5
#
# Builds build/bench/asyncc_workloads and build/bench/asyncc_echo (target
# bench_workloads) in the build directory $BUILD (default build/), then
# runs the peers' run.sh with PEERS_BUILD=$BUILD/bench-peers, where its
# results land: results/table.txt is the table, results/raw.txt every
# line.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD:-build}
peers=${PEERS_DIR:-../shared/bench-peers}
if [ ! -x "$peers/run.sh" ]; then
  echo "bench/peers.sh: no $peers/run.sh (set PEERS_DIR)" >&2
  exit 1
fi
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -G Ninja
cmake --build "$build" --target bench_workloads

out=$(cd "$build" && pwd)
PEERS_BUILD=$out/bench-peers "$peers/run.sh" \
  --peer asyncc="$out/bench/asyncc_workloads" \
  --echo-peer asyncc="$out/bench/asyncc_echo" "$@"
