#!/usr/bin/env bash
# Benchmark: search on a synthetic dossier. The build time with and without the search index
# (alternating pairs, medians), then the time a query takes in headless Chromium (tests/it/search.rs, `search_query_time`),
# the site served over loopback under a sub-path. Everything on tmpfs.
#
#   bench/search.sh [REPORTS]     # default 10000; PAIRS=N for N pairs of builds (default 6)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=/dev/shm/dossier-search-bench-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-search-bench-$n
rm -rf "$work"; mkdir -p "$work"
python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --out "$work/dossier" >/dev/null
cargo build --release --quiet
bin=target/release/dossier
# Builds alternate with and without the index, $pairs of each (default 6): on a shared or noisy
# machine the same build varies by a third from one minute to the next, so one pair says little.
pairs=${PAIRS:-6}
for i in $(seq "$pairs"); do
  for flag in --no-search ""; do
    /usr/bin/time -o "$work/time" -f "%e %M" "$bin" build --root "$work/dossier" --output "$work/public" $flag >/dev/null
    echo "${flag:-search} $(cat "$work/time")"
  done
done | python3 -c '
import sys, statistics as st
runs = {}
for line in sys.stdin:
    kind, wall, kb = line.split()
    runs.setdefault(kind, []).append((float(wall), int(kb)))
for kind, r in runs.items():
    w = [x[0] for x in r]
    print(f"build {kind:>11}: median {st.median(w):.2f} s, fastest {min(w):.2f} s, peak {max(x[1] for x in r) // 1024} MiB ({len(w)} runs)")
s, n = [[x[0] for x in runs[k]] for k in ("search", "--no-search")]
print(f"with the index / without: {st.median(s) / st.median(n):.2f} (medians), {min(s) / min(n):.2f} (fastest)")
'
echo "search index: $(find "$work/public/pagefind" -type f | wc -l) files, $(du -sh "$work/public/pagefind" | cut -f1)"
DOSSIER_BENCH_SITE="$work/public" cargo test --quiet --test it search_query_time -- --ignored --nocapture
rm -rf "$work"
