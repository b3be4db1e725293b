#!/usr/bin/env bash
# Benchmark: `dossier import` of N saved HTML pages (default 1,000), made by copying the 39
# real saved news pages of ../shared/html-pages/ round-robin (each copy given one distinct byte
# at its end, so that every file is a new page to import), on tmpfs; best of 3, each into a
# fresh dossier.
#
#   bench/import-html.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
pages=../shared/html-pages
[ -d "$pages" ] || { echo "needs $pages (the shared folder beside the repository)" >&2; exit 1; }
work=/dev/shm/dossier-import-html-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-import-html-$n
rm -rf "$work"; mkdir -p "$work/raw"
mapfile -t sources < <(ls -d "$pages"/*/source.html)
for ((i = 0; i < n; i++)); do
  src=${sources[i % ${#sources[@]}]}
  name=$(basename "$(dirname "$src")")
  { cat "$src"; printf '\n<!-- copy %d -->\n' "$i"; } > "$work/raw/$(printf %05d "$i")-$name.html"
done
echo "$n pages, $(du -sh "$work/raw" | cut -f1) of HTML, on $(dirname "$work")"
cargo build --release --quiet
bin=$(realpath "${CARGO_TARGET_DIR:-target}")/release/dossier
best=""; mem=""
for _ in 1 2 3; do
  rm -rf "$work/d"; "$bin" init "$work/d" >/dev/null
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" import --root "$work/d" "$work/raw" >"$work/out" 2>"$work/err" || true
  read -r t m < <(tail -1 "$work/time")
  if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
done
tail -1 "$work/out"
printf "import of %d saved pages: %.2f s, %.0f MiB peak (best of 3)\n" "$n" "$best" "$(awk "BEGIN{print $mem/1024}")"
