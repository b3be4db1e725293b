#!/usr/bin/env bash
# The browser and validator checks of every page type (tests/it/pages.rs) on a synthetic dossier
# of REPORTS reports instead of the bundled one: built under its base_url's sub-path, one page per
# type (the biggest) in headless Chromium at 375 and 1280 px, light and dark, axe-core, and the
# W3C Nu validator over every HTML file. Corpus and the site written for the validator on tmpfs.
#
#   bench/pages.sh [REPORTS]     # default 1000; needs the tools .ci/setup installs
#
# Screenshots: target/screenshots/synthetic-REPORTS/.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
work=/dev/shm/dossier-pages-$n
[ -d /dev/shm ] || work=$(mktemp -d)/dossier-pages-$n
rm -rf "$work"; mkdir -p "$work"
python3 ../shared/bench/gen_corpus.py --reports "$n" --format dossier --out "$work/synthetic-$n" >/dev/null
echo "$n reports in $work/synthetic-$n"
TMPDIR=$work DOSSIER_PAGES_DIR=$work/synthetic-$n \
  cargo test --quiet --test it every_page_type -- --nocapture
rm -rf "$work"
