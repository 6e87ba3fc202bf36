#!/usr/bin/env bash
# The digits data sets of docs/REAL_DATA.md: UCI optical recognition of handwritten digits (CC BY 4.0), in the copy
# Debian's python3-sklearn ships, as classify rows, row by row and pixel by pixel, with a seeded stratified 80/20 split.
# Usage: docs/own-data/digits.sh [DIGITS.csv.gz] [OUT] [SEED]
#   (defaults: python3-sklearn's digits.csv.gz, runs/real-data/data, 0)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source="${1:-/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz}"
out="${2:-$here/../../runs/real-data/data}"
[ -r "$source" ] || { echo "digits.sh: $source is not readable (sudo apt-get install python3-sklearn, or give the path of digits.csv.gz)" >&2; exit 2; }
python3 -B "$here/digits.py" "$source" "$out" "${3:-0}"
(cd "$out" && sha256sum digits-*.jsonl)
