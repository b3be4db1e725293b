#!/usr/bin/env bash
# Builds killed half-way (kill -9 at random moments): the output folder must always be one
# whole site, the previous build's or the new one's, never a mix, and the next build must
# clean up what a killed one left beside it.
#
#   bench/kill.sh [REPORTS] [KILLS] [BUILD FLAGS...]    # default 10000 reports, 50 kills
#   bench/kill.sh 10000 50 --no-search                 # quicker builds, more kills inside the swap
#
# Two versions of the dossier (site titles A and B) alternate, so the build in progress is
# always of the version the output does not hold; after each kill the output's content hash
# must be A's or B's.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
kills=${2:-50}
shift $(( $# > 2 ? 2 : $# )) || true
flags=("$@")
gen=../shared/bench/gen_corpus.py
work=/dev/shm/dossier-kill-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-kill-$n
rm -rf "$work"; mkdir -p "$work"
python3 "$gen" --reports "$n" --format dossier --out "$work/d" >/dev/null
# DOSSIER_BIN: a dossier binary to test instead of this checkout's release build.
if [ -z "${DOSSIER_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${DOSSIER_BIN:-${CARGO_TARGET_DIR:-target}/release/dossier}

title() { sed -i "s/^title = .*/title = \"Dossier $1\"/" "$work/d/site.toml"; }
tree_hash() { # the site's files and their bytes, as one hash
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}
build() { "$bin" build --root "$work/d" --output "$1" "${flags[@]}" >/dev/null 2>&1; }

title A; build "$work/a"; ha=$(tree_hash "$work/a")
title B; start=$(date +%s%N); build "$work/b"; hb=$(tree_hash "$work/b")
took=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$n reports: a build takes ${took} ms; A=$ha B=$hb"
[ "$ha" != "$hb" ] || { echo "the two versions build the same site"; exit 1; }

out="$work/out"
title A; build "$out"
current=A; as_a=0; as_b=0; mixed=0
for i in $(seq 1 "$kills"); do
  next=$([ "$current" = A ] && echo B || echo A)
  title "$next"
  "$bin" build --root "$work/d" --output "$out" "${flags[@]}" >/dev/null 2>&1 &
  pid=$!
  # A moment anywhere from the start to a little past the end of a build.
  sleep "$(awk -v t="$took" -v r="$RANDOM" 'BEGIN{printf "%.3f", (r/32767)*t*1.1/1000}')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  h=$(tree_hash "$out" 2>/dev/null || echo missing)
  case "$h" in
    "$ha") as_a=$((as_a+1)); current=A ;;
    "$hb") as_b=$((as_b+1)); current=B ;;
    *) mixed=$((mixed+1)); echo "kill $i: the output is neither A nor B ($h)"; current=$next ;;
  esac
done
left_before=$(find "$work" -maxdepth 1 -name '.dossier-*' | wc -l)
title A; build "$out"
left_after=$(find "$work" -maxdepth 1 -name '.dossier-*' | wc -l)
[ "$(tree_hash "$out")" = "$ha" ] || { echo "the build after the kills is not A"; mixed=$((mixed+1)); }
echo "$kills kills: output was the previous or the new site every time: $((kills - mixed))/$kills (A $as_a, B $as_b), mixed or missing: $mixed"
echo "folders left beside the output by killed builds: $left_before; after the next build: $left_after"
[ "$mixed" -eq 0 ] && [ "$left_after" -eq 0 ]
