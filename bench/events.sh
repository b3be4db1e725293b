#!/usr/bin/env bash
# Benchmark: event grouping of N synthetic reports with no `event:` key (default 10,000), scored
# by B-cubed F1 against the generator's gold events, with the time to load and group them.
#
#   bench/events.sh [N]          # HARD=1 bench/events.sh 10000: the --hard corpus
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=/dev/shm/dossier-events-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-events-$n
if [ ! -f "$work/gold_events.tsv" ]; then
  rm -rf "$work"
  python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --unassigned 1.0 ${HARD:+--hard} --out "$work" >/dev/null
  rm -f "$work"/content/events/*.md   # the analyst's notes would name the events
fi
cargo build --release --quiet
/usr/bin/time -f "%e s wall, %M KB peak" target/release/dossier events --root "$work" --tsv >"$work/predicted.tsv"
python3 bench/bcubed.py "$work/gold_events.tsv" "$work/predicted.tsv"
# With the analyst's notes (gen_corpus writes one per event): they take part in detection.
notes=/dev/shm/dossier-events-notes-$n
if [ ! -f "$notes/gold_events.tsv" ]; then
  rm -rf "$notes"
  python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --unassigned 1.0 ${HARD:+--hard} --out "$notes" >/dev/null
fi
/usr/bin/time -f "%e s wall, %U s user, %M KB peak (with notes)" target/release/dossier events --root "$notes" --tsv >"$notes/predicted.tsv"
python3 bench/bcubed.py "$notes/gold_events.tsv" "$notes/predicted.tsv"
