using MinRnn.Cells;
using MinRnn.Explain.Decomposition;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Decomposition;

/// <summary>The registry of exact decompositions covers every kind whose recurrence is linear in its state (the min
/// cells, Mamba's S6) and no other; asking it for another kind names the problem.</summary>
public class CellDecompositionsTests
{
    [Fact]
    public void EveryLinearRecurrenceKindAndNoOtherHasAnExactDecomposition() =>
        Assert.Equal(CellKinds.All.Where(k => k.Mixing == PositionMixing.LinearRecurrence).Select(k => k.Name),
            CellKinds.All.Where(CellDecompositions.Has).Select(k => k.Name));

    [Fact]
    public void AKindWithoutOneIsAnErrorNamingTheKind()
    {
        using var cell = CellKinds.Get("gru").Create(new CellOptions(8));
        var e = Assert.Throws<ArgumentException>(() => CellDecompositions.Contributions("gru", cell, zeros(1, 3, 8)));
        Assert.Contains("a gru cell does not unroll exactly (mingru|minlstm|mamba do)", e.Message);
    }
}
