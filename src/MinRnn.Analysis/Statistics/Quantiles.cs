using System.Collections.Concurrent;
using MathNet.Numerics.Distributions;

namespace MinRnn.Analysis.Statistics;

/// <summary>Distribution quantiles and tail probabilities used by the tests and intervals.</summary>
internal static class Quantiles
{
    // StudentT.InvCDF is a Brent root-finder over the CDF; each (ν, p) is solved once per process.
    private static readonly ConcurrentDictionary<(double Freedom, double Probability), double> StudentTCache = new();

    /// <summary>The p-quantile of Student's t with ν degrees of freedom (scipy.stats.t.ppf).</summary>
    public static double StudentT(double probability, double freedom)
    {
        if (double.IsNaN(freedom) || freedom <= 0 || double.IsNaN(probability)) return double.NaN;
        return StudentTCache.GetOrAdd((freedom, probability),
            key => MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, key.Freedom, key.Probability));
    }

    /// <summary>2·P(T ≤ −|t|) for T ~ t(ν), computed in the lower tail so small p keep their digits.</summary>
    public static double StudentTTwoSidedP(double t, double freedom)
    {
        if (double.IsNaN(t) || double.IsNaN(freedom) || freedom <= 0) return double.NaN;
        return Math.Min(1.0, 2 * MathNet.Numerics.Distributions.StudentT.CDF(0, 1, freedom, -Math.Abs(t)));
    }

    public static double Normal(double probability) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, probability);

    public static double NormalCdf(double x) => MathNet.Numerics.Distributions.Normal.CDF(0, 1, x);
}
