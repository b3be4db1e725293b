#!/usr/bin/env bash
# The long fuzz campaign: the properties of src/fuzz.rs (report files and their front matter,
# markdown with links of every scheme, site.toml, import.yaml, saved HTML pages) and of
# src/import/proptests.rs (raw page text), in a release build, with many inputs each; no input
# may panic or take a second.
#
#   bench/fuzz.sh [INPUTS PER PROPERTY]    # default 200000 (7 properties: 1,400,000 inputs)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export PROPTEST_CASES=$n DOSSIER_FUZZ_LIMIT_MS=1000
/usr/bin/time -f "peak memory %M KB, %e s" cargo test --release --locked --lib -- fuzz:: import::proptests \
  --test-threads 1 --nocapture 2>&1 | tee "$log" \
  | grep -aoE 'fuzz [^:]+: [0-9]+ inputs, slowest [0-9.]+ ms|peak memory.*|test result.*|panicked.*|FAILED' || true
# (A property's line follows the test's name on the same line: each is cut out of it.)
echo "inputs in all: $(grep -aoE 'fuzz [^:]+: [0-9]+ inputs' "$log" | grep -oE '[0-9]+ inputs' | awk '{s+=$1} END {print s}')"
grep -q 'test result: ok' "$log" && ! grep -q FAILED "$log"
