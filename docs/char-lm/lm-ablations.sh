#!/usr/bin/env bash
# The ablations of docs/LM.md ("What the gap is made of"): minGRU and GRU, seed 0, on the lm preset with one thing
# changed each — the budget (2,800 steps), the depth (6 blocks at the same 400 k parameters), no feed-forward (--ff 0)
# and no conv (--conv 0) — two runs at a time with one thread each, as the study runs them. The unchanged runs are the
# study's seed-0 runs (docs/char-lm/lm-study.sh). Finished runs are skipped, interrupted ones resumed.
# Usage: docs/char-lm/lm-ablations.sh TEXT [OUT]   (TEXT: kjv-bible.txt as lm-study.sh writes it; default OUT: runs/lm-ablations)
# MINRNN overrides the command (default: build the repo's CLI and run it with dotnet).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
text="${1:?usage: lm-ablations.sh TEXT [OUT]}"
out="${2:-$repo/runs/lm-ablations}"
[ -f "$text" ] || { echo "lm-ablations.sh: no such text file: $text" >&2; exit 2; }
if [ -z "${MINRNN:-}" ]; then
  dotnet build "$repo/src/MinRnn.Cli" -c Release -v q -nologo >/dev/null
  MINRNN="dotnet $repo/src/MinRnn.Cli/bin/Release/net10.0/minrnn.dll"
fi
mkdir -p "$out"
export MINRNN text out

# name kind options — longest first, so that the two jobs finish close together
runs='budget2800 gru --steps 2800
budget2800 mingru --steps 2800
depth6 gru --layers 6
depth6 mingru --layers 6
ff0 gru --ff 0
ff0 mingru --ff 0
conv0 gru --conv 0
conv0 mingru --conv 0'

one() {
  local name=$1 kind=$2; shift 2
  local dir="$out/$name-$kind" resume=()
  if [ -f "$dir/summary.json" ]; then echo "$name $kind: done before"; return 0; fi
  [ -d "$dir" ] && resume=(--resume)
  local start; start=$(date +%s)
  $MINRNN train --preset lm --data "$text" --model "$kind" --seed 0 --threads 1 --device cpu "$@" "${resume[@]}" \
    --out "$dir" > "$dir.log" 2>&1 || { echo "$name $kind: failed, see $dir.log" >&2; return 1; }
  echo "$name $kind: $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
export -f one
echo "start $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$runs" | xargs -P 2 -L 1 bash -c 'one "$@"' _
echo "end $(date -u +%FT%TZ)"
for s in "$out"/*/summary.json; do
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sys.argv[1].split("/")[-2], d["dim"], d["parameters"], round(d["test_bpc"],4))' "$s"
done
