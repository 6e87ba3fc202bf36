using MinRnn.Cells;
using MinRnn.Cells.Unrolling;
using MinRnn.Scans;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cells.Unrolling;

/// <summary>Mamba's S6 unrolled into per-source contributions: they sum to the sequential reference scan's output and
/// final state in float64, one entry equals the product formula, and the cell's output is their sum (the rollout over them: MinRnn.Explain.Tests' DecompositionTests).</summary>
public class SelectiveDecompositionTests
{
    private static SelectiveScanInputs Inputs(long batch = 2, long steps = 9, long width = 5, long n = 3)
    {
        random.manual_seed(11);
        return new SelectiveScanInputs(
            randn(batch, steps, width, dtype: float64),                                  // x: any sign
            nn.functional.softplus(randn(batch, steps, width, dtype: float64)),          // Δ > 0
            -(rand(width, n, dtype: float64) * 3 + 0.1),                                 // A < 0
            randn(batch, steps, n, dtype: float64), randn(batch, steps, n, dtype: float64),
            randn(width, dtype: float64));
    }

    private static void Close(Tensor actual, Tensor expected, double tolerance, string what) =>
        RelativeError.AssertWithin(actual.contiguous().to_type(float64).data<double>().ToArray(),
            expected.contiguous().to_type(float64).data<double>().ToArray(), tolerance, RelativeError.Float64Floor, what);

    [Fact]
    public void ContributionsSumToTheSequentialScanWithAndWithoutH0()
    {
        var s = Inputs();
        random.manual_seed(12);
        var h0 = randn(2, 5, 3, dtype: float64);                                        // any sign
        foreach (var start in new[] { null, h0 })
        {
            var (y, final) = SelectiveScan.Sequential(s, start);
            var d = SelectiveDecomposition.Of(s, start);
            Assert.Equal(new long[] { 2, 9, 9, 5 }, d.Contributions.shape);
            Close(d.Output(), y, 1e-12, $"y, h0 = {start is not null}");
            Close(d.FinalState(), final, 1e-12, $"h_T, h0 = {start is not null}");
            Assert.Equal(start is null, d.H0Output.abs().max().item<double>() == 0);
        }
    }

    [Fact]
    public void AContributionIsTheProductFormulaAndLaterInputsGiveNothing()
    {
        var s = Inputs();
        var d = SelectiveDecomposition.Of(s);
        var decay = (s.Delta.unsqueeze(-1) * s.A).exp();                                 // Ā_k (B, T, E, N)
        Tensor Written(int j) => s.Delta[0, j].unsqueeze(-1) * s.U[0, j].unsqueeze(-1) * s.B[0, j];   // Δ_j B_j x_j (E, N)
        // c_{6,2} = C_6 · (Ā_3 ⊙ Ā_4 ⊙ Ā_5 ⊙ Ā_6 ⊙ Δ_2 B_2 x_2), per channel
        var state = decay[0, 3] * decay[0, 4] * decay[0, 5] * decay[0, 6] * Written(2);
        Close(d.Contributions[0, 6, 2], (state * s.C[0, 6]).sum(-1), 1e-13, "c_{6,2}");
        // the diagonal adds the skip: c_{4,4} = C_4 · Δ_4 B_4 x_4 + D ⊙ x_4
        Close(d.Contributions[0, 4, 4], (Written(4) * s.C[0, 4]).sum(-1) + s.D * s.U[0, 4], 1e-13, "c_{4,4}");
        Assert.Equal(0.0, d.Contributions[0, 3, 5].abs().max().item<double>());
        Close(d.State[0, 8], Written(8), 1e-15, "the last input in h_T");
        Close(d.State[0, 6], decay[0, 7] * decay[0, 8] * Written(6), 1e-13, "input 6 in h_T");
    }

    [Fact]
    public void CellContributionsSumToTheMambaCellsOutput()
    {
        random.manual_seed(3);
        using var cell = new Mamba(new CellOptions(Dim: 8, Expansion: 1.5, StateSize: 4));
        cell.to(float64);
        random.manual_seed(4);
        var x = randn(3, 11, 8, dtype: float64);
        var (y, _) = cell.call(x, null);                                                 // the fused scan on CPU
        var c = cell.Contributions(x);
        Assert.Equal(new long[] { 3, 11, 11, 8 }, c.shape);
        Close(c.sum(2), y, 1e-10, "Σ_j c_{t,j} vs the cell's output");
    }
}
