using MinRnn.Cells;
using MinRnn.Cells.Unrolling;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cells.Unrolling;

/// <summary>A min cell unrolled into α_{t,j} ⊙ h̃_j: the sum reproduces the cell's scan output and final state with and
/// without h_0 (float64), and α matches the product formula b_j ⊙ Π a_k entry by entry.</summary>
public class CellDecompositionTests
{
    public static TheoryData<string, bool, double> Cells => new()
    {
        { "mingru", true, 1.0 }, { "minlstm", true, 1.0 }, { "minlstm", false, 1.0 }, { "mingru", true, 2.0 }, { "minlstm", true, 1.5 },
    };

    private static RecurrentCell Cell(string kind, bool normalize, double expansion)
    {
        random.manual_seed(3);
        var options = new CellOptions(Dim: 8, Expansion: expansion, NormalizeGates: normalize, ForgetBias: kind == "minlstm" ? 1.0 : 0);
        RecurrentCell cell = kind == "mingru" ? new MinGru(options) : new MinLstm(options);
        cell.to(float64);
        return cell;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void ReproducesTheCellOutputWithAndWithoutH0(string kind, bool normalize, double expansion)
    {
        using var cell = Cell(kind, normalize, expansion);
        random.manual_seed(4);
        var x = randn(3, 25, 8, dtype: float64) * 2;
        var h0 = randn(3, cell.StateSize, dtype: float64);                  // any sign
        foreach (var state in new[] { null, new CellState(h0) })
        {
            var (y, final) = cell.call(x, state);
            var d = CellDecomposition.Of((IMinCell)cell, x);
            var h = d.Hidden(state?.H);
            var output = ((IMinCell)cell).Output(h);
            var err = (output - y).abs().max().item<double>();
            Assert.True(err <= 1e-6 * Math.Max(1, y.abs().max().item<double>()), $"{kind} h0={state is not null}: output error {err:E2}");
            Assert.True((h.select(1, -1) - final.H).abs().max().item<double>() <= 1e-6, "final state");
            Assert.True(err < 1e-12, $"float64 should be exact to rounding: {err:E2}");
        }
    }

    [Fact]
    public void AlphaIsCausalAndMatchesTheProductFormula()
    {
        using var cell = Cell("mingru", true, 1.0);
        var x = randn(1, 6, 8, dtype: float64);
        var g = ((IMinCell)cell).Gates(x);
        var d = CellDecomposition.Of(g);
        // α_{4,1} = b_1 ⊙ a_2 ⊙ a_3 ⊙ a_4
        var expected = g.B[0, 1] * g.A[0, 2] * g.A[0, 3] * g.A[0, 4];
        Assert.True((d.Alpha[0, 4, 1] - expected).abs().max().item<double>() < 1e-14);
        Assert.Equal(0.0, d.Alpha[0, 1, 4].abs().max().item<double>());
        Assert.True((d.Alpha[0, 3, 3] - g.B[0, 3]).abs().max().item<double>() < 1e-15);   // empty product = 1
        Assert.True((d.H0Weight[0, 2] - g.A[0, 0] * g.A[0, 1] * g.A[0, 2]).abs().max().item<double>() < 1e-14);
    }
}
