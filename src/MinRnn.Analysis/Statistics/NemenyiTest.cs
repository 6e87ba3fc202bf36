namespace MinRnn.Analysis.Statistics;

/// <summary>
/// The Nemenyi post-hoc test after a Friedman test (Demšar 2006, §3.2.2): two methods differ at α = 0.05 when their
/// average ranks differ by at least the critical difference CD = q_α √(k(k+1)/(6N)).
/// </summary>
public static class NemenyiTest
{
    // Demšar (2006) Table 5(a): studentized range q_0.05(k, ∞) / √2 for k = 2 … 10.
    private static readonly double[] CriticalValues005 = [1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164];

    /// <summary>q_0.05 for k methods from Demšar's Table 5(a); NaN outside k = 2 … 10.</summary>
    public static double CriticalValue(int methods) =>
        methods is >= 2 and <= 10 ? CriticalValues005[methods - 2] : double.NaN;

    /// <summary>CD = q_0.05 √(k(k+1)/(6N)) for k methods over N blocks; NaN for k outside 2 … 10 or N &lt; 1.</summary>
    public static double CriticalDifference(int methods, int blocks) =>
        blocks < 1 ? double.NaN : CriticalValue(methods) * Math.Sqrt(methods * (methods + 1) / (6.0 * blocks));
}
