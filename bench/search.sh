#!/usr/bin/env bash
# Benchmark: search on a synthetic dossier. The build time with and without the search index,
# then the time a query takes in headless Chromium (tests/it/search.rs, `search_query_time`),
# the site served over loopback under a sub-path. Everything on tmpfs.
#
#   bench/search.sh [REPORTS]     # default 10000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=/dev/shm/dossier-search-bench-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-search-bench-$n
rm -rf "$work"; mkdir -p "$work"
python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --out "$work/dossier" >/dev/null
cargo build --release --quiet
bin=target/release/dossier
for flag in --no-search "" --no-search ""; do
  /usr/bin/time -f "build ${flag:-with search}: %e s, %M KB peak" \
    "$bin" build --root "$work/dossier" --output "$work/public" $flag >/dev/null
done
echo "search index: $(find "$work/public/pagefind" -type f | wc -l) files, $(du -sh "$work/public/pagefind" | cut -f1)"
DOSSIER_BENCH_SITE="$work/public" cargo test --quiet --test it search_query_time -- --ignored --nocapture
rm -rf "$work"
