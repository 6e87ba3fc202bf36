#!/usr/bin/env bash
# The KJV book data set of docs/REAL_DATA.md: which of five books of distinct style a verse comes from (Genesis:
# narrative, Leviticus: law, Psalms: poetry, Proverbs: sayings, Matthew: gospel), 850 verses of each, the verse text
# without its reference, seeded stratified 80/20 split. The King James Version is public domain (Debian package
# bible-kjv-text, read with bible-kjv's `bible`, as docs/char-lm/kjv.sh reads it).
# Usage: docs/own-data/kjv-books.sh [OUT] [SEED]   (defaults: runs/real-data/data, 0)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../runs/real-data/data}"
seed="${2:-0}"
command -v bible >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bible-kjv; }
mkdir -p "$out"
books=()
for book in Genesis=gen1:1-50:26 Leviticus=lev1:1-27:34 Psalms=ps1:1-150:6 Proverbs=pr1:1-31:31 Matthew=mt1:1-28:20; do
  name="${book%%=*}"
  # -f: one verse a line as "Ge1:1 text"; the reference is cut off, the verse text kept
  bible -f "${book#*=}" | sed -E 's/^[0-9A-Za-z]+[0-9]+:[0-9]+ //' > "$out/kjv-$name.txt"
  books+=("$name=$out/kjv-$name.txt")
done
python3 -B "$here/kjv_books.py" "$out" "$seed" 850 "${books[@]}"
(cd "$out" && sha256sum kjv-books-*.jsonl)
