"""Prints the reference values that the MinRnn.Analysis tests hold as literals.

Run with Debian's SciPy (apt-get install python3-scipy python3-statsmodels):
    /usr/bin/python3 tests/MinRnn.Analysis.Tests/Reference/scipy_reference.py
The tests never run this script; it documents where every expected number came from.
Generated with SciPy 1.10.1, NumPy 1.24.2, statsmodels 0.13.5 (Debian 12).
"""
from fractions import Fraction
import numpy as np
import scipy
import scipy.stats as st
from scipy.optimize import brentq
from scipy.stats._resampling import _bca_interval
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestIndPower
from statsmodels.stats.weightstats import ttest_ind as sm_ttest_ind

print("versions", scipy.__version__, np.__version__)
A = [0.912, 0.897, 0.925, 0.884, 0.931, 0.902, 0.918, 0.889, 0.927, 0.909]
B = [0.871, 0.894, 0.866, 0.904, 0.879, 0.858, 0.887, 0.893, 0.875, 0.869, 0.881, 0.9]
TIES_A = [1, 2, 2, 3, 4, 4, 4, 5]
TIES_B = [2, 3, 3, 4, 5, 6, 6, 7, 7]
DYADIC = [0.5, 1.25, 2.0, 0.75, 3.5, 1.0, 2.25, 0.125, 4.0, 1.5]
rng = np.random.default_rng(7)
LARGE_A = [round(float(x), 4) for x in rng.normal(0.80, 0.05, 25)]
LARGE_B = [round(float(x), 4) for x in rng.normal(0.77, 0.06, 25)]
EXACT20_A = [round(float(x), 4) for x in rng.normal(0.0, 1.0, 20)]
EXACT20_B = [round(float(x), 4) for x in rng.normal(0.6, 1.0, 20)]
print("LARGE_A", LARGE_A); print("LARGE_B", LARGE_B)
print("EXACT20_A", EXACT20_A); print("EXACT20_B", EXACT20_B)
r = lambda x: repr(float(x))

print("\n# 1. descriptive")
for name, x in [("A", A), ("B", B), ("DYADIC", DYADIC), ("TIES_B", TIES_B)]:
    x = np.array(x, float); n = len(x)
    lo, hi = st.t.interval(0.95, n - 1, loc=x.mean(), scale=x.std(ddof=1) / np.sqrt(n))
    print(name, "mean", r(x.mean()), "sd", r(x.std(ddof=1)), "median", r(np.median(x)),
          "iqm", r(st.trim_mean(x, 0.25)), "min", r(x.min()), "max", r(x.max()), "t95", r(lo), r(hi))
for n in range(1, 9):
    x = [float(v) for v in [5, 1, 9, 3, 7, 2, 8, 4][:n]]
    print("iqm n=%d" % n, r(st.trim_mean(x, 0.25)))
print("t.interval 0.90 A", [r(v) for v in st.t.interval(0.90, 9, loc=np.mean(A), scale=np.std(A, ddof=1) / np.sqrt(10))])

print("\n# 2. bootstrap: replay SplitMix64 and hand the replicates to scipy's own BCa code")
def splitmix(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & (2**64 - 1)
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        yield z ^ (z >> 31)
def seq_mean(x):
    s = 0.0
    for v in x: s += v
    return s / len(x)
def seq_iqm(x):
    x = sorted(x); cut = len(x) // 4
    return seq_mean(x[cut:len(x) - cut])
gen = splitmix(12345)
print("splitmix64(12345) first three", [next(gen) for _ in range(3)])
for label, data, stat, seed, alpha in [("mean", DYADIC, seq_mean, 2024, 0.025), ("iqm", DYADIC, seq_iqm, 2024, 0.025),
                                      ("mean of A, 90%", A, seq_mean, 99, 0.05)]:
    gen = splitmix(seed); n = len(data); B_ = 10000
    reps = np.array([stat([data[(next(gen) * n) >> 64] for _ in range(n)]) for _ in range(B_)])
    def statistic(x, axis=-1):
        x = np.asarray(x)
        return np.apply_along_axis(stat, axis, x) if x.ndim > 1 else stat(list(x))
    a1, a2, ahat = _bca_interval((np.array(data),), statistic, -1, alpha, reps, None)
    print(label, "seed", seed, "estimate", r(stat(data)), "percentile", r(np.percentile(reps, alpha * 100)), r(np.percentile(reps, 100 - alpha * 100)),
          "bca", r(np.percentile(reps, a1 * 100)), r(np.percentile(reps, a2 * 100)), "a_hat", r(ahat))
print("np.percentile(B, [2.5, 31.4, 50, 97.5, 100])", [r(v) for v in np.percentile(B, [2.5, 31.4, 50, 97.5, 100])])

print("\n# 3. Welch")
for (x, y, name) in [(A, B, "A,B"), (TIES_A, TIES_B, "TIES_A,TIES_B"), ([1.0, 2.0], [3.0, 3.0, 3.0], "[1,2],[3,3,3]")]:
    res = st.ttest_ind(x, y, equal_var=False); t, p, df = sm_ttest_ind(x, y, usevar="unequal")
    print(name, "t", r(res.statistic), "p", r(res.pvalue), "df(statsmodels)", r(df), "t,p(statsmodels)", r(t), r(p))

print("\n# 4. Mann-Whitney")
males, females = [19, 22, 16, 29, 24], [20, 11, 17, 12]
for m in ["exact", "asymptotic"]:
    print("males/females", m, st.mannwhitneyu(males, females, method=m))
print("A,B exact", st.mannwhitneyu(A, B, method="exact"), "asymptotic", st.mannwhitneyu(A, B, method="asymptotic"))
print("B,A exact", st.mannwhitneyu(B, A, method="exact"))
print("TIES asymptotic", st.mannwhitneyu(TIES_A, TIES_B, method="asymptotic"))
print("LARGE asymptotic", st.mannwhitneyu(LARGE_A, LARGE_B, method="asymptotic"))
print("EXACT20 exact", st.mannwhitneyu(EXACT20_A, EXACT20_B, method="exact"))
print("[1,2,3],[4,5,6] exact", st.mannwhitneyu([1, 2, 3], [4, 5, 6], method="exact"))
print("all ties asymptotic", st.mannwhitneyu([1, 1, 1], [1, 1], method="asymptotic"))

print("\n# 5. effect sizes")
def hedges(x, y):
    x, y = np.array(x, float), np.array(y, float); n1, n2 = len(x), len(y)
    sp = np.sqrt(((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / (n1 + n2 - 2))
    d = (x.mean() - y.mean()) / sp; J = 1 - 3 / (4 * (n1 + n2) - 9); g = J * d
    V = J**2 * ((n1 + n2) / (n1 * n2) + d**2 / (2 * (n1 + n2))); z = st.norm.ppf(0.975)
    return d, J, g, V, g - z * np.sqrt(V), g + z * np.sqrt(V)
print("hedges A,B d J g V lo hi", [r(v) for v in hedges(A, B)])
sp = np.sqrt((49 * 5.5**2 + 49 * 4.5**2) / 98); d = 3 / sp; J = 1 - 3 / (4 * 98 - 1)
print("Borenstein 4.x: S_within", sp, "d", d, "V_d", 100 / 2500 + d**2 / 200, "J", J, "g", J * d, "V_g", J**2 * (100 / 2500 + d**2 / 200))
for x, y, name in [(A, B, "A,B"), (TIES_A, TIES_B, "TIES")]:
    U1 = st.mannwhitneyu(x, y).statistic; pi = U1 / (len(x) * len(y))
    print(name, "U1", r(U1), "P(X>Y)+.5P(=)", r(pi), "cliff", r(2 * pi - 1))

print("\n# 6. ASO: exact integral with fractions, and deep-significance's Riemann sum for comparison")
def q(x, p):  # deep-significance get_quantile_function
    x = sorted(x); i = int(np.ceil(len(x) * p)); return x[min(len(x) - 1, max(0, i - 1))]
def eps_exact(a, b):
    a = [Fraction(v).limit_denominator(10**9) for v in a]; b = [Fraction(v).limit_denominator(10**9) for v in b]
    cuts = sorted({Fraction(i, len(a)) for i in range(len(a) + 1)} | {Fraction(j, len(b)) for j in range(len(b) + 1)})
    viol = dist = Fraction(0)
    for lo, hi in zip(cuts, cuts[1:]):
        mid = (lo + hi) / 2; diff = q(b, mid) - q(a, mid)
        dist += (hi - lo) * diff**2; viol += (hi - lo) * max(diff, 0)**2
    return viol / dist
def eps_deepsig(a, b, dt):
    v = w = 0.0
    for p in np.arange(0, 1, dt):
        diff = q(b, p) - q(a, p); w += diff**2 * dt; v += max(diff, 0)**2 * dt
    return v / w
for x, y, name in [(A, B, "A,B"), (LARGE_A, LARGE_B, "LARGE"), (LARGE_B, LARGE_A, "LARGE reversed"), (EXACT20_A, EXACT20_B, "EXACT20"), (TIES_A, TIES_B, "TIES"), ([1, 2, 3], [2.5], "[1,2,3],[2.5]"), ([0, 4], [1, 2, 3], "[0,4],[1,2,3]")]:
    e = eps_exact(x, y)
    print(name, "exact", e, r(float(e)), "deepsig dt=.005", r(eps_deepsig(x, y, 0.005)), "dt=1e-4", r(eps_deepsig(x, y, 1e-4)))

print("\n# 7. Holm")
P = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04]
print("holm", [r(v) for v in multipletests(P, method="holm")[1]])
P2 = [0.3, 0.6, 0.02]
print("holm P2", [r(v) for v in multipletests(P2, method="holm")[1]])

print("\n# 8. Friedman")
DEMSAR = np.array([[0.763, 0.768, 0.771, 0.798], [0.599, 0.591, 0.590, 0.569], [0.954, 0.971, 0.968, 0.967],
    [0.628, 0.661, 0.654, 0.657], [0.882, 0.888, 0.886, 0.898], [0.936, 0.931, 0.916, 0.931],
    [0.661, 0.668, 0.609, 0.685], [0.583, 0.583, 0.563, 0.625], [0.775, 0.838, 0.866, 0.875],
    [1.000, 1.000, 1.000, 1.000], [0.940, 0.962, 0.965, 0.962], [0.619, 0.666, 0.614, 0.669],
    [0.972, 0.981, 0.975, 0.975], [0.957, 0.978, 0.946, 0.970]])
for label, T in [("printed", DEMSAR), ("voting nudged", np.where(np.arange(56).reshape(14, 4) == 50, 0.97501, DEMSAR))]:
    res = st.friedmanchisquare(*T.T); ranks = np.array([st.rankdata(-row) for row in T]).mean(0)
    N, k = T.shape; chi_uncorrected = 12 * N / (k * (k + 1)) * (np.sum(ranks**2) - k * (k + 1)**2 / 4)
    print(label, "chi2", r(res.statistic), "p", r(res.pvalue), "avg ranks", [r(v) for v in ranks], "Demsar chi2_F", chi_uncorrected)
SMALL = np.array([[0.81, 0.79, 0.80], [0.75, 0.75, 0.70], [0.90, 0.88, 0.89], [0.66, 0.69, 0.60], [0.72, 0.71, 0.71]])
res = st.friedmanchisquare(*SMALL.T)
print("SMALL chi2", r(res.statistic), "p", r(res.pvalue), "avg ranks (higher better)", [r(v) for v in np.array([st.rankdata(-row) for row in SMALL]).mean(0)],
      "(lower better)", [r(v) for v in np.array([st.rankdata(row) for row in SMALL]).mean(0)])
TWO = np.array([[1.0, 2.0], [3.0, 2.5], [0.5, 0.7], [4.0, 4.5], [2.0, 2.0]])
R = np.array([st.rankdata(row) for row in TWO]); N, k = TWO.shape
ties = sum(t**3 - t for row in TWO for t in np.unique(row, return_counts=True)[1])
chi = (12 / (N * k * (k + 1)) * np.sum(R.sum(0)**2) - 3 * N * (k + 1)) / (1 - ties / (N * k * (k * k - 1)))
print("TWO (scipy's formula by hand, k=2) chi2", r(chi), "p", r(st.chi2.sf(chi, 1)))
print("q_0.05/sqrt2", [round(st.studentized_range.ppf(0.95, k, np.inf) / np.sqrt(2), 3) for k in range(2, 11)])

print("\n# 9. power")
def power(d, n, alpha=0.05):
    df = 2 * n - 2; c = st.t.ppf(1 - alpha / 2, df); nc = d * np.sqrt(n / 2)
    return st.nct.sf(c, df, nc) + st.nct.cdf(-c, df, nc)
for n in [2, 3, 5, 10, 20, 64]:
    d = brentq(lambda d: power(d, n) - 0.8, 1e-6, 50, xtol=1e-15, rtol=1e-15)
    print("n=%d mde" % n, r(d), "statsmodels", r(TTestIndPower().solve_power(nobs1=n, alpha=0.05, power=0.8)), "normal approx", r((st.norm.ppf(.975) + st.norm.ppf(.8)) * np.sqrt(2 / n)))
print("power(0.5, 10)", r(power(0.5, 10)), "power(1.2, 5)", r(power(1.2, 5)), "statsmodels", r(TTestIndPower().power(0.5, 10, 0.05)))
for d0, nn in [(0.2, 393), (0.5, 64), (0.8, 26)]:
    print("Cohen table d=%.1f n=%d:" % (d0, nn), "power(n-1)", power(d0, nn - 1), "power(n)", power(d0, nn))
