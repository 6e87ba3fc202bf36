#!/bin/sh
# Writes co2.csv and sunspots.csv beside this script from Debian's python3-statsmodels data sets (both public domain;
# see PROVENANCE.md). Python 3 standard library only. Usage: sh docs/forecast/series.sh [STATSMODELS_DATASETS_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-/usr/lib/python3/dist-packages/statsmodels/datasets}   # where Debian's python3-statsmodels puts them
python3 - "$src" "$here" <<'PY'
import csv, datetime, sys
src, out = sys.argv[1], sys.argv[2]

# Weekly Mauna Loa CO2, 1958-03-29 ... 2001-12-29, every row 7 days after the last. A week without data stays an empty
# cell (train with --fill previous); dates become ISO dates so MinRnn reads the time column as evenly spaced.
with open(f"{src}/co2/co2.csv", newline="") as f, open(f"{out}/co2.csv", "w", newline="") as g:
    rows = list(csv.DictReader(f))
    days = [datetime.datetime.strptime(r["date"], "%Y%m%d").date() for r in rows]
    assert all((b - a).days == 7 for a, b in zip(days, days[1:])), "co2: weeks are not evenly spaced"
    g.write("date,co2\n")
    for d, r in zip(days, rows):
        g.write(f"{d.isoformat()},{r['co2']}\n")

# Yearly sunspot numbers, 1700 ... 2008.
with open(f"{src}/sunspots/sunspots.csv", newline="") as f, open(f"{out}/sunspots.csv", "w", newline="") as g:
    g.write("year,sunspots\n")
    for r in csv.DictReader(f):
        g.write(f"{int(float(r['YEAR']))},{r['SUNACTIVITY']}\n")
PY
