#!/usr/bin/env bash
# Trains and exports this sample's forecast model, models/forecast/gru-sunspots.onnx, from docs/forecast/sunspots.csv
# (yearly sunspot numbers; source in docs/FORECAST.md): a 1-layer GRU (d = 32), T = 24 years, H = 4, 400 steps, seed 0,
# the last 10% of the years held out; the export is checked against TorchSharp (--verify).
# Usage: samples/MinRnn.Samples.Forecast/train-model.sh   (the run goes to runs/models/sunspots, ignored by git)
set -euo pipefail
cd "$(dirname "$0")/../.."

dotnet build src/MinRnn.Cli -c Release -v q -nologo >/dev/null
minrnn() { dotnet src/MinRnn.Cli/bin/Release/net10.0/minrnn.dll "$@"; }
# The run (and the exported file's task_options) record the training file's full path: train from a neutral copy.
work="${TMPDIR:-/tmp}/minrnn-forecast-sample"
mkdir -p "$work"
cp docs/forecast/sunspots.csv "$work/sunspots.csv"
minrnn train --task forecast --data "$work/sunspots.csv" --target sunspots --time year --horizon 4 --seq-len 24 \
  --model gru --layers 1 --dim 32 --steps 400 --batch 32 --eval-every 200 --device cpu --seed 0 --quiet --out runs/models/sunspots --force
minrnn export --run runs/models/sunspots --out models/forecast/gru-sunspots.onnx --verify --force
