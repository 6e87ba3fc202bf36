#!/bin/sh
# The six kinds × 3 seeds on co2.csv and sunspots.csv (docs/FORECAST.md, "Results"), once forecasting levels (OUT/co2,
# OUT/sunspots) and once changes from the window's last value (--predict change: OUT/co2-change, OUT/sunspots-change), one
# `minrnn train` a run, then `minrnn compare --metric test_mase` per folder. One run a call, so each run can take a lock of
# its own (`minrnn sweep --tasks forecast` passes the forecast options to its runs too). Finished runs are skipped. Usage:
# sh docs/forecast/train.sh OUT_DIR; MINRNN (default: minrnn) names the CLI and RUN (default: empty) a prefix for every
# run, e.g. a lock or `nice`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: train.sh OUT_DIR}
minrnn=${MINRNN:-minrnn}
run=${RUN:-}
common="--layers 2 --dim 64 --steps 500 --batch 32 --lr 3e-3 --eval-every 500 --device cpu --threads 2 --quiet"
for predict in level change; do
  suffix=$([ $predict = level ] && echo "" || echo "-$predict")
  for seed in 0 1 2; do
    for kind in mingru minlstm gru lstm mamba transformer; do
      dir=$out/co2$suffix/$kind-s$seed
      [ -f "$dir/summary.json" ] || $run $minrnn train --model $kind --seed $seed $common --task forecast --data "$here/co2.csv" \
        --target co2 --time date --fill previous --horizon 52 --seq-len 64 --season 52 --predict $predict --out "$dir" --force
      dir=$out/sunspots$suffix/$kind-s$seed
      [ -f "$dir/summary.json" ] || $run $minrnn train --model $kind --seed $seed $common --task forecast --data "$here/sunspots.csv" \
        --target sunspots --time year --horizon 11 --seq-len 22 --season 11 --eval-from 260 --predict $predict --out "$dir" --force
    done
  done
done
for series in co2 sunspots co2-change sunspots-change; do
  $run $minrnn compare --runs "$out/$series" --metric test_mase --by model --force --out "$out/compare-$series"
done
