#!/usr/bin/env bash
# The pictures at scale: a synthetic dossier of REPORTS reports (default 10,000) built by two
# binaries in turns (before and after a change: the build-time cost of the charts), then the
# size of every chart of the site (the largest of each kind; each must stay under 100 KB) and
# every chart parsed as XML by xmllint.
#
#   bench/charts.sh BEFORE_BINARY AFTER_BINARY [REPORTS] [RUNS]
#
# Corpus and output on tmpfs; prints the best and median wall time of RUNS (default 5) runs of
# each binary, with and without the search index, alternating so that both see the same load.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 n=${3:-10000} runs=${4:-5}
work=/dev/shm/dossier-charts-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-charts-$n
rm -rf "$work"; mkdir -p "$work"
python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --out "$work/dossier" >/dev/null

stats() { sort -n | awk '{a[NR]=$1} END {printf "best %.2f s, median %.2f s", a[1], a[int((NR+1)/2)]}'; }
for flags in "--no-search" ""; do
  : >"$work/t-before"; : >"$work/t-after"
  for _ in $(seq "$runs"); do
    for which in before after; do
      bin=$before; [ "$which" = after ] && bin=$after
      /usr/bin/time -f "%e" -a -o "$work/t-$which" "$bin" build --root "$work/dossier" --output "$work/out-$which" $flags >/dev/null 2>&1
    done
  done
  b=$(stats <"$work/t-before"); a=$(stats <"$work/t-after")
  echo "build ${flags:-with search}: before $b; after $a"
done

python3 - "$work/out-after" <<'PY'
import pathlib, re, subprocess, sys
site = pathlib.Path(sys.argv[1])
svg = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg".*?</svg>', re.S)
kinds, bad, count = {}, 0, 0
for page in sorted(site.rglob("*.html")):
    for m in svg.finditer(page.read_text()):
        count += 1
        s = m.group(0)
        ident = re.search(r'aria-labelledby="(\S+)-t ', s)
        ident = ident.group(1) if ident else "?"
        known = {"chart-timeline", "coverage", "chart-coverage", "chart-agreement"}
        kind = ident if ident in known else "briefing-agreement"
        if "briefing" in str(page) and ident == "chart-timeline":
            kind = "briefing-timeline"
        size = len(s.encode())
        if size > kinds.get(kind, (0, ""))[0]:
            kinds[kind] = (size, str(page.relative_to(site)))
        if count <= 2000 or size > 20000:
            r = subprocess.run(["xmllint", "--noout", "-"], input=s.encode(), capture_output=True)
            bad += r.returncode != 0
print(f"{count} charts; not well-formed (xmllint, first 2000 and every one over 20 KB): {bad}")
for k, (size, page) in sorted(kinds.items()):
    print(f"  largest {k:16} {size/1024:7.1f} KB  {page}")
over = [k for k, (s, _) in kinds.items() if s >= 100 * 1024]
sys.exit(1 if over or bad else 0)
PY
rm -rf "$work"
