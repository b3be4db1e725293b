#!/usr/bin/env bash
# Benchmark: event grouping of N synthetic reports with no `event:` key (default 10,000), scored
# by B-cubed F1 against the generator's gold events, with the time to load and group them.
#
#   bench/events.sh [N] [--hard]     # --hard: the traps of real coverage (gen_corpus.py's README)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
hard=${2:-}
work=/dev/shm/dossier-events-$n$hard
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-events-$n$hard
if [ ! -f "$work/gold_events.tsv" ]; then
  rm -rf "$work"
  python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --unassigned 1.0 $hard --out "$work" >/dev/null
  # The analyst's notes would name the events.
  find "$work/content/events" -name '*.md' -delete
fi
cargo build --release --quiet
/usr/bin/time -f "%e s wall, %M KB peak" target/release/dossier events --root "$work" --tsv >"$work/predicted.tsv"
python3 bench/bcubed.py "$work/gold_events.tsv" "$work/predicted.tsv"
