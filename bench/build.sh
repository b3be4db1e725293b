#!/usr/bin/env bash
# Benchmark: a full build of a synthetic 10,000-report dossier, beside Hugo (and Zola, if
# installed) building the equivalent site from the same corpus, all on tmpfs, in one run.
#
#   bench/build.sh [REPORTS]     # default 10000
#
# Prints wall time and peak memory (from /usr/bin/time) for each. Hugo: apt-get install hugo.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
gen=../shared/bench/gen_corpus.py
work=/dev/shm/dossier-bench-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-bench-$n
rm -rf "$work"; mkdir -p "$work"
python3 "$gen" --reports "$n" --format dossier --out "$work/dossier" >/dev/null
python3 "$gen" --reports "$n" --format hugo --out "$work/hugo" >/dev/null
python3 "$gen" --reports "$n" --format zola --out "$work/zola" >/dev/null
cargo build --release --quiet
bin=target/release/dossier

measure() { # name, command...
  local name=$1; shift
  local best="" mem=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; return 1; }
    read -r t m < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
  done
  printf "%-8s %6.2f s  %6.0f MiB peak  (best of 3)\n" "$name" "$best" "$(awk "BEGIN{print $mem/1024}")"
}

echo "$n reports, corpus and output on $(dirname "$work")"
measure dossier "$bin" build --root "$work/dossier" --output "$work/dossier-public"
measure no-search "$bin" build --root "$work/dossier" --output "$work/dossier-public" --no-search
if command -v hugo >/dev/null; then
  measure hugo hugo --quiet --source "$work/hugo" --destination "$work/hugo-public"
fi
if command -v zola >/dev/null; then
  measure zola zola --root "$work/zola" build --force --output-dir "$work/zola-public"
fi
"$bin" build --root "$work/dossier" --output "$work/dossier-public" >/dev/null
echo "search index: $(find "$work/dossier-public/pagefind" -type f | wc -l) files, $(du -sh "$work/dossier-public/pagefind" | cut -f1)"
echo "dossier wrote $(find "$work/dossier-public" -type f | wc -l) files, $(du -sh "$work/dossier-public" | cut -f1)"
rm -rf "$work"
