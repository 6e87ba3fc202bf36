using MinRnn.Cells;

namespace MinRnn.Tests;

/// <summary>Theory cases from the cell registry: a new cell kind joins every test that covers all kinds (or all min
/// kinds) without editing it.</summary>
public static class CellCases
{
    public static TheoryData<string> All => new(CellKinds.Names);

    public static TheoryData<string> Min => new(CellKinds.All.Where(k => k.IsMin).Select(k => k.Name));

    /// <summary>The kinds whose recurrence unrolls exactly (min cells, Mamba): explain's decomposition.</summary>
    public static TheoryData<string> Unrolling => new(CellKinds.All.Where(k => k.Mixing == PositionMixing.LinearRecurrence).Select(k => k.Name));
}
