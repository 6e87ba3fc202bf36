#!/usr/bin/env bash
# Trains and exports this sample's classify model, models/classify/mingru-languages.onnx, from data/train.jsonl:
# a 2-layer minGRU (d = 64), 1000 steps, seed 0; the export is checked against TorchSharp (--verify).
# Usage: samples/MinRnn.Samples.TextClassification/train-model.sh   (the run goes to runs/models/languages, ignored by git)
set -euo pipefail
cd "$(dirname "$0")/../.."

dotnet build src/MinRnn.Cli -c Release -v q -nologo >/dev/null
minrnn() { dotnet src/MinRnn.Cli/bin/Release/net10.0/minrnn.dll "$@"; }
# The run (and the exported file's task_options) record the training file's full path: train from a neutral copy.
work="${TMPDIR:-/tmp}/minrnn-text-classification"
mkdir -p "$work"
cp samples/MinRnn.Samples.TextClassification/data/train.jsonl "$work/train.jsonl"
minrnn train --task classify --data "$work/train.jsonl" --model mingru --layers 2 --dim 64 --steps 1000 --batch 32 \
  --eval-every 250 --device cpu --seed 0 --out runs/models/languages --force
minrnn export --run runs/models/languages --out models/classify/mingru-languages.onnx --verify --force
