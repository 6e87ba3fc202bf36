using MinRnn.Cells;

namespace MinRnn.Tests;

/// <summary>Theory cases from the cell registry: a new cell kind joins every test that covers all kinds (or all min
/// kinds) without editing it.</summary>
public static class CellCases
{
    public static TheoryData<string> All => new(CellKinds.Names);

    public static TheoryData<string> Min => new(CellKinds.All.Where(k => k.IsMin).Select(k => k.Name));
}
