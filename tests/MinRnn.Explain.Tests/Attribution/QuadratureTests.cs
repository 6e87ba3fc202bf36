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
}
