using MinRnn.Cells;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>Where the integrand of integrated gradients jumps. A min cell's candidate h̃ = g(k_h) has
/// g(k) = k + ½ for k ≥ 0 and σ(k) below ("Were RNNs All We Needed?", §3): g' jumps from ¼ to 1 at 0, so
/// α ↦ ∂F(x' + α(x − x'))/∂x jumps wherever a candidate pre-activation k_h (any layer, position, channel) changes
/// sign on the path. Found with forward passes only, layer by layer: k_h on the grid α_i = i/M plus the kinks of
/// the layers below (where k_h itself has a kink), a sign change between neighbouring points located by linear
/// interpolation of k_h, which is smooth between them, and refined by one more forward pass (Crossings). A k_h
/// that leaves and re-crosses 0 between two points is missed. GRU and LSTM are smooth: no kinks.</summary>
public static class PathKinks
{
    /// <summary>Breakpoints 0 = b₀ &lt; b₁ &lt; … &lt; 1 for the path baseline + α·dx of one example (each (L, d)):
    /// 0, the ascending kinks (closer ones than 1e-9 merged), 1. At most pointsPerPass points per forward pass.</summary>
    public static List<double> Breakpoints(SequenceModel model, Tensor baseline, Tensor dx, int grid, long pointsPerPass)
    {
        if (grid < 1) throw new ArgumentException($"kink grid: must be ≥ 1, got {grid}");
        if (model.Blocks.Any(b => b.Cell is not IMinCell)) return [0.0, 1.0];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var points = Enumerable.Range(0, grid + 1).Select(i => (double)i / grid).ToList();
        var kinks = new List<double>();
        for (var layer = 0; layer < model.Blocks.Count; layer++)
        {
            var found = Crossings(model, layer, baseline, dx, points, Math.Max(2, pointsPerPass));
            kinks.AddRange(found);
            points = [.. points.Concat(found).Order()];
        }
        kinks.Sort();
        var breakpoints = new List<double> { 0.0 };
        foreach (var a in kinks)
            if (a - breakpoints[^1] > 1e-9 && 1 - a > 1e-9) breakpoints.Add(a);
        breakpoints.Add(1.0);
        return breakpoints;
    }

    /// <summary>The α where a candidate pre-activation of `layer` changes sign between neighbouring (ascending)
    /// points: linear interpolation between them gives r₀; one more forward pass at every r₀ and inverse quadratic
    /// interpolation through the three points (kept inside the bracket that holds the sign change) make the error
    /// O(M⁻⁴) instead of O(M⁻²). Chunks of points overlap by one, so every neighbouring pair lies in one chunk.</summary>
    private static List<double> Crossings(SequenceModel model, int layer, Tensor baseline, Tensor dx, List<double> points, long chunk)
    {
        var brackets = new List<(long[] Unit, double[] A, double[] B, double[] KA, double[] KB)>();
        for (var start = 0; start < points.Count - 1; start += (int)chunk - 1)
        {
            using var pass = NewDisposeScope();
            var alpha = points.GetRange(start, Math.Min((int)chunk, points.Count - start)).ToArray();
            var k = Preactivations(model, layer, baseline, dx, alpha);        // (P, units)
            var (before, after) = (k.narrow(0, 0, k.shape[0] - 1), k.narrow(0, 1, k.shape[0] - 1));
            var change = before.ge(0).ne(after.ge(0)).nonzero();                // (n, 2): step i, unit; k ≥ 0 as in g
            if (change.shape[0] == 0) continue;
            var (step, unit) = (change.select(1, 0), change.select(1, 1));
            var flat = step * k.shape[1] + unit;
            var steps = step.data<long>().ToArray();
            brackets.Add((unit.data<long>().ToArray(), [.. steps.Select(i => alpha[i])], [.. steps.Select(i => alpha[i + 1])],
                Values(before.reshape(-1).index_select(0, flat)), Values(after.reshape(-1).index_select(0, flat))));
        }
        var (units, a, b, ka, kb) = (brackets.SelectMany(x => x.Unit).ToArray(), brackets.SelectMany(x => x.A).ToArray(),
            brackets.SelectMany(x => x.B).ToArray(), brackets.SelectMany(x => x.KA).ToArray(), brackets.SelectMany(x => x.KB).ToArray());
        var r = a.Select((ai, i) => ai + (b[i] - ai) * ka[i] / (ka[i] - kb[i])).ToArray();
        var kr = new double[r.Length];
        for (var start = 0; start < r.Length; start += (int)chunk)
        {
            using var pass = NewDisposeScope();
            var count = Math.Min((int)chunk, r.Length - start);
            var k = Preactivations(model, layer, baseline, dx, r[start..(start + count)]);
            var flat = arange(count, dtype: int64) * k.shape[1] + tensor(units[start..(start + count)]);
            Values(k.reshape(-1).index_select(0, flat.to(k.device))).CopyTo(kr, start);
        }
        return [.. r.Select((_, i) => Refine(a[i], r[i], b[i], ka[i], kr[i], kb[i]))];
    }

    /// <summary>The zero of the quadratic α(k) through (k_a, a), (k_r, r), (k_b, b), if it lies in the half of
    /// [a, b] where k changes sign; otherwise linear interpolation in that half.</summary>
    private static double Refine(double a, double r, double b, double ka, double kr, double kb)
    {
        if (kr == 0) return r;
        var (lo, hi, klo, khi) = (kr >= 0) == (ka >= 0) ? (r, b, kr, kb) : (a, r, ka, kr);
        var root = a * kr * kb / ((ka - kr) * (ka - kb)) + r * ka * kb / ((kr - ka) * (kr - kb)) + b * ka * kr / ((kb - ka) * (kb - kr));
        return root > lo && root < hi ? root : lo + (hi - lo) * klo / (klo - khi);
    }

    /// <summary>Candidate pre-activations k_h of `layer` (P, L·inner) at the points baseline + α·dx.</summary>
    private static Tensor Preactivations(SequenceModel model, int layer, Tensor baseline, Tensor dx, double[] alpha)
    {
        var x = baseline.unsqueeze(0) + tensor(alpha, dtype: dx.dtype, device: dx.device).view(-1, 1, 1) * dx.unsqueeze(0);
        for (var l = 0; l < layer; l++)
            x = model.Blocks[l].call(x, null).Output;
        var u = model.Blocks[layer].Trace(x, null).CellInput;
        return ((IMinCell)model.Blocks[layer].Cell).CandidatePreactivation(u).to_type(float64).flatten(1);
    }

    private static double[] Values(Tensor t) => t.cpu().data<double>().ToArray();
}
