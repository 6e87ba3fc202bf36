"""The Results tables of docs/FORECAST.md from the runs train.sh writes: per kind, test MAE, RMSE, sMAPE and MASE as
mean ± the half-width of the 95% t-interval over the seeds, the naive and seasonal naive forecasts of the same windows,
and the training seconds. Python 3 standard library only. Usage: python3 docs/forecast/table.py OUT_DIR/co2"""
import json, math, os, statistics, sys

T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776}          # Student's t, two-sided 95%, by degrees of freedom
METRICS = ["mae", "rmse", "smape", "mase"]

def cell(values):
    mean = statistics.mean(values)
    if len(values) < 2: return f"{mean:.3g}"
    half = T95[len(values) - 1] * statistics.stdev(values) / math.sqrt(len(values))
    return f"{mean:.3g} ± {half:.2g}"

def main(folder):
    runs = [json.load(open(os.path.join(folder, d, "summary.json"))) for d in sorted(os.listdir(folder))
            if os.path.exists(os.path.join(folder, d, "summary.json"))]
    print("| kind | seeds | " + " | ".join(METRICS) + " | train s |")
    print("|---|---|" + "---|" * (len(METRICS) + 1))
    for kind in ["mingru", "minlstm", "gru", "lstm", "mamba", "transformer"]:
        mine = [r for r in runs if r["model"] == kind]
        if mine:
            print(f"| {kind} | {len(mine)} | " + " | ".join(cell([r['test_' + m] for r in mine]) for m in METRICS)
                  + f" | {statistics.mean(r['train_seconds'] for r in mine):.1f} |")
    for prefix, name in (("naive_", "naive"), ("seasonal_naive_", "seasonal naive")):
        print(f"| {name} | – | " + " | ".join(f"{runs[0]['test_' + prefix + m]:.3g}" for m in METRICS) + " | – |")
    print(f"\n{runs[0]['test_windows']} evaluation windows")

if __name__ == "__main__":
    main(sys.argv[1])
