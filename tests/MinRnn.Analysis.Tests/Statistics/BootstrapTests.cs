using MinRnn.Analysis.Statistics;
using static MinRnn.Analysis.Tests.Statistics.ReferenceData;

namespace MinRnn.Analysis.Tests.Statistics;

public class BootstrapTests
{
    [Fact]
    public void GeneratorIsSplitMix64()
    {
        // Rosetta Code, "Pseudo-random numbers/Splitmix64": the first outputs for seed 1234567.
        var generator = new SplitMix64(1234567);
        Assert.Equal(6457827717110365317UL, generator.Next());
        Assert.Equal(3203168211198807973UL, generator.Next());
        Assert.Equal(9817491932198370423UL, generator.Next());
    }

    // Reference: the 10,000 resamples replayed in Python with the same SplitMix64 stream (seed 2024), the
    // percentile interval from numpy.percentile and the BCa levels from SciPy 1.10.1's own
    // scipy.stats._resampling._bca_interval (the code behind scipy.stats.bootstrap(method='BCa')).
    [Fact]
    public void MeanIntervalMatchesSciPyOnReplayedResamples()
    {
        var interval = Bootstrap.MeanInterval(Dyadic, seed: 2024);
        Assert.Equal(10_000, interval.Resamples);
        Assert.Equal(2024UL, interval.Seed);
        Check.Relative(1.6875, interval.Estimate);
        Check.Relative(0.975, interval.Percentile.Lower);
        Check.Relative(2.45, interval.Percentile.Upper);
        Check.Relative(1.0375, interval.BiasCorrectedAccelerated.Lower);
        Check.Relative(2.525, interval.BiasCorrectedAccelerated.Upper);
    }

    [Fact]
    public void InterquartileMeanIntervalMatchesSciPyOnReplayedResamples()
    {
        var interval = Bootstrap.Interval(Dyadic, Descriptive.InterquartileMean, seed: 2024);
        Check.Relative(1.4583333333333333, interval.Estimate);
        Check.Relative(0.7916666666666666, interval.Percentile.Lower);
        Check.Relative(2.5416666666666665, interval.Percentile.Upper);
        Check.Relative(0.75, interval.BiasCorrectedAccelerated.Lower);
        Check.Relative(2.4583333333333335, interval.BiasCorrectedAccelerated.Upper);
    }

    [Fact]
    public void NinetyPercentIntervalOfAMatchesSciPyOnReplayedResamples()
    {
        var interval = Bootstrap.MeanInterval(A, seed: 99, confidence: 0.90);
        Check.Relative(0.9013000000000002, interval.Percentile.Lower);
        Check.Relative(0.9174000000000001, interval.Percentile.Upper);
        Check.Relative(0.9010000000000001, interval.BiasCorrectedAccelerated.Lower);
        Check.Relative(0.9172, interval.BiasCorrectedAccelerated.Upper);
        Check.Relative(-0.010411146233913376, Bootstrap.JackknifeAcceleration(A, Descriptive.Mean));
    }

    [Fact]
    public void PercentilesInterpolateLikeNumPy()
    {
        // numpy.percentile(B, [2.5, 31.4, 50, 97.5, 100]) with the default linear method; NumPy 1.24.2
        var sorted = B.Order().ToArray();
        double[] levels = [0.025, 0.314, 0.5, 0.975, 1.0];
        Check.Relative([0.8602, 0.872816, 0.88, 0.9029, 0.904], levels.Select(q => Samples.LinearQuantile(sorted, q)).ToArray(), 1e-12);
    }

    [Fact]
    public void JackknifeAccelerationMatchesSciPy()
    {
        // a_hat returned by scipy.stats._resampling._bca_interval; SciPy 1.10.1
        Check.Relative(0.035707655412159, Bootstrap.JackknifeAcceleration(Dyadic, Descriptive.Mean));
        Check.Relative(0.0059736571867442575, Bootstrap.JackknifeAcceleration(Dyadic, Descriptive.InterquartileMean));
    }

    [Fact]
    public void SeedDeterminesTheInterval()
    {
        var first = Bootstrap.MeanInterval(A, seed: 1);
        var again = Bootstrap.MeanInterval(A, seed: 1);
        var other = Bootstrap.MeanInterval(A, seed: 2);
        Assert.Equal(first, again with { });
        Assert.Equal(first.Percentile, again.Percentile);
        Assert.NotEqual(first.Percentile, other.Percentile);
    }

    [Fact]
    public void PercentileIntervalIsCloseToTheTIntervalForASymmetricSample()
    {
        // Not a reference check, a sanity one: for n = 25 the bootstrap and t intervals for the mean nearly agree.
        var bootstrap = Bootstrap.MeanInterval(LargeA, seed: 7).Percentile;
        var t = Descriptive.MeanConfidenceInterval(LargeA);
        Assert.InRange(bootstrap.Lower - t.Lower, -0.004, 0.004);
        Assert.InRange(bootstrap.Upper - t.Upper, -0.004, 0.004);
    }

    [Fact]
    public void SingleValueOrNaNGivesNaNIntervals()
    {
        foreach (var values in new[] { new[] { 0.5 }, new[] { 0.5, double.NaN, 0.7 }, Array.Empty<double>() })
        {
            var interval = Bootstrap.MeanInterval(values, seed: 3);
            Assert.True(double.IsNaN(interval.Percentile.Lower) && double.IsNaN(interval.Percentile.Upper));
            Assert.True(double.IsNaN(interval.BiasCorrectedAccelerated.Lower) && double.IsNaN(interval.BiasCorrectedAccelerated.Upper));
        }
    }

    [Fact]
    public void ConstantSampleGivesAPointInterval()
    {
        var interval = Bootstrap.MeanInterval([0.25, 0.25, 0.25, 0.25], seed: 3);
        Assert.Equal((0.25, 0.25), interval.Percentile);
        Assert.Equal((0.25, 0.25), interval.BiasCorrectedAccelerated);
    }

    [Fact]
    public void InvalidSettingsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanInterval(A, seed: 1, resamples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.MeanInterval(A, seed: 1, confidence: 1.0));
    }
}
