#!/usr/bin/env bash
# The char-lm table of docs/TASKS.md: Genesis and Exodus of the King James Version (public domain; Debian package
# bible-kjv-text, read with bible-kjv's `bible`) as one plain text, the four models trained on it with the char preset
# two at a time, and `compare` over held-out bits per character.
# Usage: docs/char-lm/kjv.sh [OUT]   (default OUT: runs/char-kjv; text, runs and comparison go there)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$repo/runs/char-kjv}"
mkdir -p "$out"
command -v bible >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bible-kjv; }

# -f turns pretty-printing off: one verse per line as "Ge1:1 text"; the reference is cut off, the verse text kept.
bible -f gen1:1-50:26 ex1:1-40:38 | sed -E 's/^[0-9A-Za-z]+[0-9]+:[0-9]+ //' > "$out/kjv.txt"
echo "text: $(wc -c < "$out/kjv.txt") bytes, sha256 $(sha256sum "$out/kjv.txt" | cut -d' ' -f1)"

dotnet build "$repo/src/MinRnn.Cli" -c Release -v q -nologo >/dev/null
minrnn() { dotnet "$repo/src/MinRnn.Cli/bin/Release/net10.0/minrnn.dll" "$@"; }
train() { minrnn train --preset char --data "$out/kjv.txt" --model "$1" --threads 1 --force --out "$out/runs/$1" > "$out/$1.log" 2>&1; }
train mingru & train minlstm & wait
train gru & train lstm & wait
minrnn compare --runs "$out"/runs/{mingru,minlstm,gru,lstm} --metric test_bpc --by model --force --out "$out/compare"
