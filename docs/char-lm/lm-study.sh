#!/usr/bin/env bash
# The language-modelling study of docs/LM.md: the whole King James Version (public domain; Debian package bible-kjv-text,
# read with bible-kjv's `bible`, 4.1 MB, 63 characters) as one plain text, then `minrnn study --suite lm` on it: six kinds ×
# 3 seeds on the lm preset, the last 10% of the text held out. Genesis and Exodus alone (docs/char-lm/kjv.sh, 366 kB) are
# learnt by heart within the lm preset's budget (docs/LM.md, "Why the whole Bible").
# Usage: docs/char-lm/lm-study.sh [OUT]   (default OUT: runs/lm; the text goes there, the study into OUT/study)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$repo/runs/lm}"
mkdir -p "$out"
command -v bible >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bible-kjv; }

# -f turns pretty-printing off: one verse per line as "Ge1:1 text"; the reference is cut off, the verse text kept.
bible -f gen1:1-rev22:21 | sed -E 's/^[0-9A-Za-z]+[0-9]+:[0-9]+ //' > "$out/kjv-bible.txt"
echo "text: $(wc -c < "$out/kjv-bible.txt") bytes, sha256 $(sha256sum "$out/kjv-bible.txt" | cut -d' ' -f1)"

dotnet build "$repo/src/MinRnn.Cli" -c Release -v q -nologo >/dev/null
start=$(date +%s)
dotnet "$repo/src/MinRnn.Cli/bin/Release/net10.0/minrnn.dll" study --suite lm --data "$out/kjv-bible.txt" --out "$out/study"
echo "study wall time: $(( $(date +%s) - start )) s"
