#!/usr/bin/env bash
# Benchmark: event grouping of N synthetic reports with no `event:` key (default 10,000), scored
# by B-cubed F1 against the generator's gold events, with the time to load and group them.
#
#   bench/events.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=/dev/shm/dossier-events-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-events-$n
if [ ! -f "$work/gold_events.tsv" ]; then
  rm -rf "$work"
  python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --unassigned 1.0 --out "$work" >/dev/null
  rm -f "$work"/content/events/*.md   # the analyst's notes would name the events
fi
cargo build --release --quiet
/usr/bin/time -f "%e s wall, %M KB peak" target/release/dossier events --root "$work" --tsv >"$work/predicted.tsv"
python3 bench/bcubed.py "$work/gold_events.tsv" "$work/predicted.tsv"
