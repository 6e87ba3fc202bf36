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

    /// <summary>The kinds that mix positions this way, as error messages list them (a|b|c).</summary>
    public static string Named(PositionMixing mixing) => string.Join("|", CellKinds.All.Where(k => k.Mixing == mixing).Select(k => k.Name));

    /// <summary>`message` with {kinds} replaced by every kind and {heads}, {state_size} by the kinds that take the option,
    /// as the registry lists them: expected error texts that stay true when a kind joins.</summary>
    public static string WithKinds(string message) => message.Replace("{kinds}", string.Join("|", CellKinds.Names))
        .Replace("{heads}", CellKinds.Taking(CellOption.Heads)).Replace("{state_size}", CellKinds.Taking(CellOption.StateSize));
}
