#!/usr/bin/env bash
# Benchmark: `dossier import` of N raw pages (default 10,000), made from a synthetic corpus
# wrapped in real outlets' chrome (bench/make_raw.py), on tmpfs; best of 3, each into a fresh
# dossier. Then scores the import against the reports the pages came from (bench/score_import.py).
#
#   bench/import.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=/dev/shm/dossier-import-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-import-$n
rm -rf "$work"; mkdir -p "$work"
python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --out "$work/corpus" >/dev/null
python3 bench/make_raw.py "$work/corpus" "$work/raw"
cargo build --release --quiet
bin=$PWD/target/release/dossier
best=""; mem=""
for _ in 1 2 3; do
  rm -rf "$work/d"; "$bin" init "$work/d" >/dev/null
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" import --root "$work/d" "$work/raw" >"$work/out" 2>"$work/err" || true
  read -r t m < <(tail -1 "$work/time")
  if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
done
tail -1 "$work/out"
printf "import of %d raw pages: %.2f s, %.0f MiB peak (best of 3)\n" "$n" "$best" "$(awk "BEGIN{print $mem/1024}")"
python3 bench/score_import.py "$work/raw/gold" "$work/d/content/reports"
