using MinRnn.Cells;
using MinRnn.Cells.Unrolling;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cells.Unrolling;

/// <summary>The mixing capabilities against the cell registry: exactly the kinds registered as a linear recurrence unroll
/// (IUnrollingCell) and exactly the attention kinds give their weights (IAttentionCell), since explain's methods apply by
/// the registry and read the capability, and for each of them the
/// contributions c_{t,j} are causal and sum over j to the cell's own forward output (float64, the kind's default scan).</summary>
public class UnrollingCellTests
{
    private static RecurrentCell Cell(CellKind kind)
    {
        random.manual_seed(5);
        var cell = kind.Create(new CellOptions(6, Expansion: 2, StateSize: 3, Heads: 2));
        cell.to(float64);
        return cell;
    }

    [Theory]
    [MemberData(nameof(CellCases.All), MemberType = typeof(CellCases))]
    public void TheRegisteredMixingIsTheCellsCapability(string name)
    {
        var kind = CellKinds.Get(name);
        using var cell = Cell(kind);
        Assert.Equal(kind.Mixing == PositionMixing.LinearRecurrence, cell is IUnrollingCell);
        Assert.Equal(kind.Mixing == PositionMixing.Attention, cell is IAttentionCell);
    }

    [Theory]
    [MemberData(nameof(CellCases.Unrolling), MemberType = typeof(CellCases))]
    public void ContributionsAreCausalAndSumToTheOutput(string name)
    {
        using var cell = Cell(CellKinds.Get(name));
        random.manual_seed(6);
        var x = randn(2, 7, 6, dtype: float64);
        var (y, _) = cell.call(x, null);
        var c = ((IUnrollingCell)cell).Contributions(x);
        Assert.Equal(new long[] { 2, 7, 7, 6 }, c.shape);
        RelativeError.AssertWithin(c.sum(2).contiguous().data<double>().ToArray(), y.contiguous().data<double>().ToArray(), 1e-10,
            RelativeError.Float64Floor, $"{name}: Σ_j c_t,j vs the output");
        var future = c.masked_select(ones(7, 7, dtype: @bool).triu(1).view(1, 7, 7, 1).expand_as(c));
        Assert.Equal(0.0, future.abs().max().item<double>());
        Assert.False(string.IsNullOrWhiteSpace(((IUnrollingCell)cell).Unrolling));
    }
}
