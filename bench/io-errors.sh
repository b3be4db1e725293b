#!/usr/bin/env bash
# I/O errors at build time: the output on a full disk (a small tmpfs; needs root), on a
# read-only file system (the same tmpfs remounted read-only: root ignores file modes), content that
# cannot be read (a report that disappeared: a dangling link). Each must fail with a clear
# error naming what it could not do, and leave the previous output as it was, with nothing
# left beside it.
#
#   sudo bench/io-errors.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DOSSIER_BIN:-}" ]; then cargo build --release --quiet; fi
bin=${DOSSIER_BIN:-${CARGO_TARGET_DIR:-target}/release/dossier}
work=$(mktemp -d)
trap 'umount "$work/disk" "$work/ro" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r content site.toml "$work/"
tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
fails=0
expect_failure() { # name, expected text in stderr, output folder, previous hash
  local name=$1 text=$2 out=$3 before=$4
  if "$bin" build --root "$work" --output "$out" >"$work/stdout" 2>"$work/stderr"; then
    echo "FAIL $name: the build succeeded"; fails=$((fails+1)); return
  fi
  grep -q "$text" "$work/stderr" || { echo "FAIL $name: no clear error"; cat "$work/stderr"; fails=$((fails+1)); }
  [ "$(tree_hash "$out")" = "$before" ] || { echo "FAIL $name: the previous output changed"; fails=$((fails+1)); }
  local left; left=$(find "$(dirname "$out")" -maxdepth 1 -name '.dossier-*' | wc -l)
  [ "$left" -eq 0 ] || { echo "FAIL $name: $left folder(s) left beside the output"; fails=$((fails+1)); }
  echo "ok   $name: $(grep -m1 '^error' "$work/stderr" | cut -c1-150)"
}

# A full disk: the first build fits, then the disk is filled and the dossier grows.
mkdir -p "$work/disk"
mount -t tmpfs -o size=8m tmpfs "$work/disk"
"$bin" build --root "$work" --output "$work/disk/public" >/dev/null
before=$(tree_hash "$work/disk/public")
free_kb=$(df -k --output=avail "$work/disk" | tail -1)
dd if=/dev/zero of="$work/disk/filler" bs=1k count=$(( free_kb - 200 )) status=none || true
sed -i 's/^title = .*/title = "Dossier on a full disk"/' "$work/site.toml"
expect_failure "full disk" "No space left" "$work/disk/public" "$before"
rm -f "$work/disk/filler"

# A read-only output folder: built once, then its file system remounted read-only.
mkdir -p "$work/ro"
mount -t tmpfs -o size=8m tmpfs "$work/ro"
"$bin" build --root "$work" --output "$work/ro/public" >/dev/null
before=$(tree_hash "$work/ro/public")
mount -o remount,ro "$work/ro"
expect_failure "read-only output" "Read-only file system" "$work/ro/public" "$before"

# A report that disappears between the listing of content/ and its reading.
"$bin" build --root "$work" --output "$work/public" >/dev/null
before=$(tree_hash "$work/public")
ln -s /nonexistent/gone.md "$work/content/reports/gone.md"
expect_failure "content gone mid-build" "gone.md: cannot read" "$work/public" "$before"
rm -f "$work/content/reports/gone.md"

[ "$fails" -eq 0 ] && echo "all I/O error cases: a clear error, the previous output intact"
