namespace MinRnn.Explain.Attribution;

/// <summary>How integrated gradients approximates ∫₀¹ ∂F(x' + α(x − x'))/∂x dα.</summary>
public enum IntegrationRule
{
    /// <summary>Gauss–Legendre: n nodes integrate polynomials of degree 2n − 1 exactly.</summary>
    GaussLegendre,
    /// <summary>Riemann midpoint sum: α_m = (m + ½)/n, weight 1/n (Captum's riemann_middle).</summary>
    Riemann,
    /// <summary>Gauss–Legendre between the kinks: [0, 1] is cut at every α where a min cell's candidate
    /// pre-activation changes sign on the path (PathKinks), where the integrand jumps, and each piece of length ℓ
    /// gets 2 + round(nℓ) nodes (Quadrature.Piecewise). Without kinks (GRU, LSTM) it is Gauss–Legendre with n + 2 nodes.</summary>
    KinkAware,
}

/// <summary>Nodes α_m ∈ (0, 1) and weights w_m with Σ_m w_m f(α_m) ≈ ∫₀¹ f(α) dα.</summary>
public static class Quadrature
{
    public static (double[] Nodes, double[] Weights) Rule(IntegrationRule rule, int n)
    {
        if (n < 1) throw new ArgumentException($"integration steps: must be ≥ 1, got {n}");
        return rule switch
        {
            IntegrationRule.GaussLegendre => GaussLegendre(n),
            IntegrationRule.Riemann => (Enumerable.Range(0, n).Select(m => (m + 0.5) / n).ToArray(), Enumerable.Repeat(1.0 / n, n).ToArray()),
            _ => throw new ArgumentException($"integration rule: {rule} has no fixed nodes"),
        };
    }

    /// <summary>Composite Gauss–Legendre over the pieces between ascending breakpoints 0 = b₀ &lt; … &lt; b_K = 1:
    /// 2 + round(nℓ) nodes on a piece of length ℓ — the density of n-node Gauss–Legendre plus two, so a short piece
    /// is integrated exactly if the function is a cubic there and a long one as well as Gauss–Legendre resolves a
    /// smooth function (n + 2 nodes on [0, 1] without inner breakpoints). Exact for every function that is a cubic
    /// on each piece, whatever it does at the breakpoints; a fixed rule on a function that jumps is accurate to first
    /// order only.</summary>
    public static (double[] Nodes, double[] Weights) Piecewise(IReadOnlyList<double> breakpoints, int n)
    {
        if (n < 1) throw new ArgumentException($"integration steps: must be ≥ 1, got {n}");
        if (breakpoints.Count < 2 || breakpoints[0] != 0 || breakpoints[^1] != 1)
            throw new ArgumentException("breakpoints: must run from 0 to 1");
        var (nodes, weights) = (new List<double>(), new List<double>());
        for (var i = 0; i + 1 < breakpoints.Count; i++)
        {
            var (a, length) = (breakpoints[i], breakpoints[i + 1] - breakpoints[i]);
            if (length <= 0) throw new ArgumentException($"breakpoints: must ascend, got {a} then {breakpoints[i + 1]}");
            var (t, w) = GaussLegendre(2 + (int)Math.Round(n * length, MidpointRounding.AwayFromZero));
            nodes.AddRange(t.Select(ti => a + length * ti));
            weights.AddRange(w.Select(wi => length * wi));
        }
        return ([.. nodes], [.. weights]);
    }

    /// <summary>Gauss–Legendre on [0, 1]: the roots z_i of the Legendre polynomial P_n by Newton's method from
    /// z ≈ cos(π(i + 0.75)/(n + 0.5)), weights 2/((1 − z²) P_n'(z)²), then mapped α = (1 + z)/2, w/2.</summary>
    public static (double[] Nodes, double[] Weights) GaussLegendre(int n)
    {
        var (nodes, weights) = (new double[n], new double[n]);
        for (var i = 0; i < (n + 1) / 2; i++)
        {
            var z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative;
            while (true)
            {
                var (p, pPrev) = Legendre(n, z);
                derivative = n * (z * p - pPrev) / (z * z - 1);              // P_n'(z) = n(z P_n − P_{n−1})/(z² − 1)
                var step = p / derivative;
                z -= step;
                if (Math.Abs(step) < 1e-15) break;
            }
            var w = 2 / ((1 - z * z) * derivative * derivative);
            (nodes[i], weights[i]) = ((1 - z) / 2, w / 2);                  // ascending α
            (nodes[n - 1 - i], weights[n - 1 - i]) = ((1 + z) / 2, w / 2);
        }
        return (nodes, weights);
    }

    /// <summary>(P_n(z), P_{n−1}(z)) by the recurrence j P_j = (2j − 1) z P_{j−1} − (j − 1) P_{j−2}.</summary>
    private static (double P, double PPrev) Legendre(int n, double z)
    {
        double p = 1, pPrev = 0;
        for (var j = 1; j <= n; j++)
            (p, pPrev) = (((2 * j - 1) * z * p - (j - 1) * pPrev) / j, p);
        return (p, pPrev);
    }
}
