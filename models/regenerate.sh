#!/usr/bin/env bash
# Retrains and re-exports the shipped models: quick preset, seed 0, one model per cell, 2 layers.
# Usage: models/regenerate.sh [CELL ...]   (default: every cell kind `minrnn train --help` lists)
# Training runs go to runs/models/ (ignored by git); each export is checked against TorchSharp (--verify).
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/MinRnn.Cli -c Release -v q -nologo >/dev/null
minrnn() { dotnet src/MinRnn.Cli/bin/Release/net10.0/minrnn.dll "$@"; }
cells=("$@"); [ ${#cells[@]} -gt 0 ] || read -ra cells <<< "$(minrnn train --help | sed -n 's/.*--model \([a-z0-9|]*\).*/\1/p' | head -1 | tr '|' ' ')"

for cell in "${cells[@]}"; do
  run="runs/models/$cell"
  minrnn train --model "$cell" --layers 2 --preset quick --seed 0 --out "$run" --force
  minrnn export --run "$run" --out "models/$cell.onnx" --verify --force
  python3 - "$run/summary.json" "models/$cell.onnx" <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1]))
print(f"{s['model']}: steps {s['steps']}, parameters {s['parameters']}, test accuracy {s['test_accuracy']:.4f}, "
      f"{s['train_seconds']:.0f} s, {os.path.getsize(sys.argv[2])} bytes")
PY
done
