"""Holt-Winters reference on the split MinRnn uses (docs/FORECAST.md, "Results"): a classical number to read the kinds
against, not a test dependency. Needs statsmodels (Debian: python3-statsmodels).

For every evaluation window of `minrnn train --task forecast` (origins C + T - 1 ... N - 1 - H, C = N - ceil(N/10) or
--eval-from - 1), Holt-Winters (additive season S, an additive trend on CO2; statsmodels' ExponentialSmoothing) is fitted to
every row up to the origin and forecasts H values; MAE, RMSE, sMAPE and MASE over all windows x H values as MinRnn
computes them (MASE scaled by the training part's in-sample seasonal naive MAE), with the seasonal naive forecast
beside them as a cross-check of MinRnn's own seasonal_naive_* numbers.
Usage: python3 docs/forecast/holt_winters.py co2|sunspots"""
import csv, math, os, sys, warnings
from statsmodels.tsa.holtwinters import ExponentialSmoothing

SERIES = {  # file, column, T, H, S, --eval-from (0: the last 10%), trend
    "co2": ("co2.csv", "co2", 64, 52, 52, 0, "add"),
    "sunspots": ("sunspots.csv", "sunspots", 22, 11, 11, 260, None),
}

def read(path, column):
    y, last = [], None
    for row in csv.DictReader(open(path, newline="")):
        cell = row[column].strip()
        last = float(cell) if cell not in ("", "NA", "NaN") else last   # --fill previous
        y.append(last)
    return y

def errors(actual, predicted, scale):
    n = len(actual)
    mae = sum(abs(a - p) for a, p in zip(actual, predicted)) / n
    rmse = math.sqrt(sum((a - p) ** 2 for a, p in zip(actual, predicted)) / n)
    smape = 200 / n * sum(abs(a - p) / (abs(a) + abs(p)) if a or p else 0 for a, p in zip(actual, predicted))
    return dict(mae=mae, rmse=rmse, smape=smape, mase=mae / scale)

def main(name):
    file, column, t, h, s, eval_from, trend = SERIES[name]
    y = read(os.path.join(os.path.dirname(os.path.abspath(__file__)), file), column)
    n = len(y)
    cut = eval_from - 1 if eval_from else n - math.ceil(n / 10)
    scale = sum(abs(y[i] - y[i - s]) for i in range(s, cut)) / (cut - s)
    origins = range(cut + t - 1, n - h)
    actual, hw, seasonal = [], [], []
    warnings.simplefilter("ignore")
    for o in origins:
        fit = ExponentialSmoothing(y[:o + 1], trend=trend, seasonal="add", seasonal_periods=s, initialization_method="estimated").fit()
        hw += list(fit.forecast(h))
        seasonal += [y[o + k - s * math.ceil(k / s)] for k in range(1, h + 1)]
        actual += y[o + 1:o + h + 1]
    print(f"{name}: {len(origins)} windows (origins {origins[0]} ... {origins[-1]}), H = {h}, S = {s}, MASE scale {scale:.6g}")
    for label, predicted in (("holt-winters", hw), ("seasonal naive", seasonal)):
        print(label, " ".join(f"{k} {v:.4g}" for k, v in errors(actual, predicted, scale).items()))

if __name__ == "__main__":
    main(sys.argv[1])
