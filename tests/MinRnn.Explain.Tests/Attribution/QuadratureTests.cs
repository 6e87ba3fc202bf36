using MinRnn.Explain.Attribution;

namespace MinRnn.Explain.Tests.Attribution;

public class QuadratureTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(64)]
    public void GaussLegendreIsExactForPolynomialsOfDegree2nMinus1(int n)
    {
        var (nodes, weights) = Quadrature.GaussLegendre(n);
        Assert.All(nodes, a => Assert.InRange(a, 0, 1));
        for (var degree = 0; degree <= 2 * n - 1; degree += Math.Max(1, n / 4))
        {
            var sum = nodes.Select((a, i) => weights[i] * Math.Pow(a, degree)).Sum();
            Assert.Equal(1.0 / (degree + 1), sum, 1e-13);                 // ∫₀¹ α^p dα = 1/(p + 1)
        }
    }

    [Fact]
    public void FiveNodeValuesMatchTheTable()
    {
        // Abramowitz & Stegun 25.4.29 (n = 5 on [−1, 1]): ±0.906179845938664, weight 0.236926885056189
        var (nodes, weights) = Quadrature.GaussLegendre(5);
        Assert.Equal((1 - 0.906179845938664) / 2, nodes[0], 1e-14);
        Assert.Equal(0.236926885056189 / 2, weights[0], 1e-14);
        Assert.Equal(0.5, nodes[2], 1e-15);
    }

    private static double Integrate((double[] Nodes, double[] Weights) rule, Func<double, double> f) =>
        rule.Nodes.Select((a, i) => rule.Weights[i] * f(a)).Sum();

    /// <summary>A cubic on each of [0, c₁), [c₁, c₂), [c₂, 1] that jumps at both breakpoints (like IG's integrand at
    /// the kinks of g), with the exact integral from the antiderivatives.</summary>
    private const double C1 = 0.3141592653589793, C2 = 0.7071067811865476;

    private static double Jumpy(double a) => a < C1 ? 1 + a * a * a : a < C2 ? -2 + 3 * a : 0.5 - a * a;

    private static readonly double JumpyIntegral =
        (C1 + Math.Pow(C1, 4) / 4) + (-2 * (C2 - C1) + 1.5 * (C2 * C2 - C1 * C1)) + (0.5 * (1 - C2) - (1 - Math.Pow(C2, 3)) / 3);

    [Fact]
    public void PiecewiseIsExactOnAFunctionThatJumpsAtTheBreakpoints()
    {
        var piecewise = Integrate(Quadrature.Piecewise([0, C1, C2, 1], 8), Jumpy);
        Assert.Equal(JumpyIntegral, piecewise, 1e-14);
        // Gauss–Legendre with the same function: first order in n only
        var (at64, at256) = (Math.Abs(Integrate(Quadrature.GaussLegendre(64), Jumpy) - JumpyIntegral),
                             Math.Abs(Integrate(Quadrature.GaussLegendre(256), Jumpy) - JumpyIntegral));
        Assert.True(at64 > 1e-4 && at256 > 1e-5, $"Gauss–Legendre errors {at64:E2} (64), {at256:E2} (256)");
    }

    [Fact]
    public void PiecewiseIsExactOnAKink()
    {
        double Abs(double a) => Math.Abs(a - C1);                               // ∫₀¹ |α − c| dα = (c² + (1 − c)²)/2
        var exact = (C1 * C1 + (1 - C1) * (1 - C1)) / 2;
        Assert.Equal(exact, Integrate(Quadrature.Piecewise([0, C1, 1], 4), Abs), 1e-15);
        Assert.True(Math.Abs(Integrate(Quadrature.GaussLegendre(64), Abs) - exact) > 1e-7);
    }

    [Fact]
    public void PiecewiseGivesEachPieceTwoNodesPlusTheDensityOfGaussLegendre()
    {
        // 2 + round(nℓ) nodes: without inner breakpoints Gauss–Legendre with n + 2 nodes
        var (nodes, weights) = Quadrature.Piecewise([0, 1], 64);
        var (gl, glWeights) = Quadrature.GaussLegendre(66);
        Assert.Equal(gl, nodes);
        Assert.Equal(glWeights, weights);
        var pieces = Quadrature.Piecewise([0, 0.001, 0.5, 1], 64);             // 2 + round(0.064), 2 + round(31.9), 2 + 32
        Assert.Equal(2 + 34 + 34, pieces.Nodes.Length);
        Assert.Equal(1.0, pieces.Weights.Sum(), 1e-14);
        Assert.Equal(0.001, pieces.Weights.Take(2).Sum(), 1e-15);
        Assert.True(pieces.Nodes.Zip(pieces.Nodes.Skip(1)).All(p => p.First < p.Second), "ascending nodes");
    }

    [Theory]
    [InlineData(new[] { 0.0, 0.5 })]
    [InlineData(new[] { 0.1, 1.0 })]
    [InlineData(new[] { 0.0, 0.6, 0.4, 1.0 })]
    [InlineData(new[] { 0.0, 0.5, 0.5, 1.0 })]
    public void BadBreakpointsAreAClearError(double[] breakpoints)
    {
        var e = Assert.Throws<ArgumentException>(() => Quadrature.Piecewise(breakpoints, 8));
        Assert.StartsWith("breakpoints: must", e.Message);
    }
}
