#!/usr/bin/env bash
# The three tables of docs/REAL_DATA.md: minGRU, minLSTM, GRU, LSTM, Mamba and the transformer × 3 seeds (2 layers,
# the quick preset's d = 64, batch 64, lr 3e-3) on the KJV books, the digits row by row and the digits pixel by pixel,
# then `compare` on test accuracy, test macro-F1 and training seconds. Resumable: run it again to finish a grid.
# Usage: docs/own-data/runs.sh [OUT]   (default OUT: runs/real-data; data, runs and comparisons go there)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-$repo/runs/real-data}"
"$here/kjv-books.sh" "$out/data" 0
"$here/digits.sh" "" "$out/data" 0

dotnet build "$repo/src/MinRnn.Cli" -c Release -v q -nologo >/dev/null
minrnn() { dotnet "$repo/src/MinRnn.Cli/bin/Release/net10.0/minrnn.dll" "$@"; }
sweep() {
  local name=$1; shift
  minrnn sweep --out "$out/runs/$name" --models mingru,minlstm,gru,lstm,mamba,transformer --layers 2 --seeds 3 \
    --tasks classify --data "$out/data/$name-train.jsonl" --eval-data "$out/data/$name-test.jsonl" --jobs 1 "$@"
}
sweep kjv-books --steps 600 --eval-every 200 --eval-size 850
sweep digits-rows --steps 1000 --eval-every 250 --eval-size 400
sweep digits-pixels --steps 1000 --eval-every 250 --eval-size 400
for name in kjv-books digits-rows digits-pixels; do
  for metric in test_accuracy test_macro_f1 train_seconds; do
    minrnn compare --runs "$out/runs/$name" --metric "$metric" --by model --force --out "$out/compare/$name-$metric"
  done
done
