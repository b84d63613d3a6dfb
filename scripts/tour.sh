#!/usr/bin/env bash
# The README's "Tour" screenshots, taken from the demo so that they show the
# pages as they are: builds pendopo, runs scripts/tour (the demo on a new
# data directory and a free port, Chromium headless), writes
# docs/tour/<page>-phone.png (390x844) and -desktop.png (1280x800), first
# screen only, then shrinks them to 256 colours with pngquant.
#
#   bash scripts/tour.sh                   # every page
#   ONLY=landing,search bash scripts/tour.sh
#
# Needs Chromium (PENDOPO_TEST_BROWSER, default /usr/bin/chromium) and
# pngquant (apt-get install -y pngquant; without it the PNGs stay large).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-docs/tour}
BIN=$(mktemp -d)/pendopo
trap 'rm -rf "$(dirname "$BIN")"' EXIT
go build -o "$BIN" ./cmd/pendopo
go run ./scripts/tour -bin "$BIN" -out "$OUT" -only "${ONLY:-}"
if command -v pngquant >/dev/null; then
  # 98 and 99: a file kept as it was, as quantising would not shrink it
  rc=0; pngquant --force --skip-if-larger --strip --quality 70-95 --speed 1 --ext .png "$OUT"/*.png || rc=$?
  case $rc in 0|98|99) ;; *) exit $rc ;; esac
else
  echo "pngquant is missing (apt-get install -y pngquant): the PNGs are not shrunk" >&2
fi
du -ch "$OUT"/*.png | tail -1
