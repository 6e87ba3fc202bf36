using MinRnn.Cells;
using MinRnn.Explain.Attribution;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Attribution;

public class PathKinksTests
{
    /// <summary>Every candidate pre-activation k_h of every layer at the points baseline + α·dx: (P, layers·L·inner).</summary>
    private static Tensor Preactivations(SequenceModel model, Tensor baseline, Tensor dx, Tensor alpha)
    {
        using var _ = no_grad();
        var x = baseline.unsqueeze(0) + alpha.view(-1, 1, 1) * dx.unsqueeze(0);
        var all = new List<Tensor>();
        foreach (var block in model.Blocks)
        {
            var (y, _, u) = block.Trace(x, null);
            all.Add(((IMinCell)block.Cell).CandidatePreactivation(u).flatten(1));
            x = y;
        }
        return cat(all, 1);
    }

    [Theory]
    [InlineData("mingru", true)]
    [InlineData("minlstm", true)]
    [InlineData("minlstm", false)]
    public void FindsEverySignChangeOfAFineGridAndPutsItAtAZero(string cell, bool normalize)
    {
        using var model = Tiny.Model(cell, float64, normalizeGates: normalize);
        using var batch = Tiny.Batch(2);
        var x = model.Embed(batch.Inputs).detach();
        var baseline = model.Embed(full_like(batch.Inputs, Tiny.Task.Vocab - 1)).detach();
        for (var b = 0; b < 2; b++)
        {
            var kinks = PathKinks.Breakpoints(model, baseline[b], x[b] - baseline[b], grid: 64, pointsPerPass: 50);
            Assert.Equal(0.0, kinks[0]);
            Assert.Equal(1.0, kinks[^1]);
            Assert.True(kinks.Zip(kinks.Skip(1)).All(p => p.First < p.Second), "ascending");
            kinks = kinks[1..^1];

            // reference: the steps of a grid 256 times finer in which some unit changes sign (coinciding kinks, e.g.
            // of equal tokens at two positions, are one breakpoint)
            var fine = Preactivations(model, baseline[b], x[b] - baseline[b], linspace(0, 1, 16385, dtype: float64)).ge(0);
            var steps = fine.narrow(0, 1, 16384).ne(fine.narrow(0, 0, 16384)).any(1).nonzero().squeeze(1).data<long>().ToArray();
            Assert.True(steps.Length > 5, $"{cell}: the path should cross some kinks, found {steps.Length}");
            Assert.Equal(steps, kinks.Select(a => (long)Math.Floor(a * 16384)).Distinct());

            // at each kink some unit's pre-activation is 0, to the accuracy of the refined interpolation
            var atKinks = Preactivations(model, baseline[b], x[b] - baseline[b], tensor(kinks.ToArray(), dtype: float64));
            var nearest = atKinks.abs().min(1).values.max().item<double>();
            Assert.True(nearest < 1e-6, $"{cell}: |k_h| at a located kink up to {nearest:E2}");
        }
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void SmoothCellsHaveNoKinks(string cell)
    {
        using var model = Tiny.Model(cell, float64);
        var x = randn(12, 8, dtype: float64);
        Assert.Equal([0.0, 1.0], PathKinks.Breakpoints(model, zeros_like(x), x, grid: 16, pointsPerPass: 8));
    }
}
