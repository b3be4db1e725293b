#!/usr/bin/env bash
# Benchmark: what stories and provenance cost a build. Builds the commit before that work
# (BASE, default 4e97837) in a worktree beside this one, then times both binaries in turn on
# one synthetic 10,000-report dossier (pages only, everything on tmpfs) and prints the medians
# and their ratio. Then scores the `story` grouping on the --hard corpus against the
# generator's gold_origins.tsv (pairwise F1, bench/score_stories.py).
#
#   bench/provenance.sh [RUNS] [REPORTS]     # default 9 runs of each, 10000 reports
#
# The machine is shared: medians of runs taken in turn hold better than any one run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
n=${2:-10000}
base=${BASE:-4e97837}
gen=../shared/bench/gen_corpus.py
work=/dev/shm/dossier-prov-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-prov-$n
rm -rf "$work"; mkdir -p "$work"

cargo build --release --quiet
cp target/release/dossier "$work/dossier-head"
tree=$work/base-src
git worktree add --detach --force "$tree" "$base" >/dev/null 2>&1
# Its own target folder: two checkouts of one package in one folder confuse cargo's freshness.
(cd "$tree" && cargo build --release --quiet --target-dir "$work/base-target")
cp "$work/base-target/release/dossier" "$work/dossier-base"
git worktree remove --force "$tree"

python3 "$gen" --reports "$n" --format dossier --out "$work/plain" >/dev/null
for b in base head; do # a first build, so that every timed one replaces an output
  (cd "$work/plain" && "$work/dossier-$b" build --no-search -o "$work/out-$b" >/dev/null)
done
for _ in $(seq "$runs"); do
  for b in base head; do
    (cd "$work/plain" && /usr/bin/time -f "$b %e %U %S %M" -a -o "$work/times" \
      "$work/dossier-$b" build --no-search -o "$work/out-$b" >/dev/null)
  done
done
python3 - "$work/times" "$n" "$base" <<'EOF'
import statistics as st, sys
rows = {}
for line in open(sys.argv[1]):
    b, *v = line.split()
    rows.setdefault(b, []).append([float(x) for x in v])
med = {b: [st.median(c) for c in zip(*v)] for b, v in rows.items()}
print(f"{sys.argv[2]} reports, pages only, medians of {len(rows['head'])} runs in turn:")
for b, label in (("base", f"before stories and provenance ({sys.argv[3]})"), ("head", "this build")):
    w, u, s, m = med[b]
    print(f"  {label:45} {w:5.2f} s wall  {u + s:5.2f} s CPU  {m / 1024:4.0f} MiB peak")
print(f"  ratio: wall {med['head'][0] / med['base'][0]:.3f}, CPU "
      f"{(med['head'][1] + med['head'][2]) / (med['base'][1] + med['base'][2]):.3f}")
EOF

python3 "$gen" --hard --reports "$n" --format dossier --out "$work/hard" >/dev/null
(cd "$work/hard" && "$work/dossier-head" build --no-search -o "$work/out-hard" >/dev/null)
echo -n "stories on --hard $n: "
python3 bench/score_stories.py "$work/out-hard/dossier.json" "$work/hard/gold_origins.tsv" | grep F1
rm -rf "$work"
