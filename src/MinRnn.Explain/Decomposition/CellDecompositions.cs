using MinRnn.Cells;
using static TorchSharp.torch;

namespace MinRnn.Explain.Decomposition;

/// <summary>The kinds whose cells unroll exactly, one line per kind: c_{t,j} (B, T, T, d), what the cell's input j
/// contributes to its output t, with Σ_j c_{t,j} the output. Min cells: Out(α_{t,j} ⊙ h̃_j) (CellDecomposition); Mamba:
/// out_proj(C_t · (Π Ā) B̄_j x_j ⊙ SiLU(z_t)) (SelectiveDecomposition). A kind not listed has no exact decomposition.</summary>
public static class CellDecompositions
{
    private static readonly Dictionary<string, Func<RecurrentCell, Tensor, Tensor>> ByKind = new()
    {
        ["mingru"] = MinCell,
        ["minlstm"] = MinCell,
        ["mamba"] = (cell, x) => SelectiveDecomposition.CellContributions((Mamba)cell, x),
    };

    public static bool Has(CellKind kind) => ByKind.ContainsKey(kind.Name);

    /// <summary>c_{t,j} of a cell of kind <paramref name="kind"/> for its input x (B, T, d).</summary>
    public static Tensor Contributions(string kind, RecurrentCell cell, Tensor x) =>
        ByKind.TryGetValue(kind, out var contributions) ? contributions(cell, x)
            : throw new ArgumentException($"decomposition: a {kind} cell does not unroll exactly ({string.Join("|", ByKind.Keys)} do)");

    private static Tensor MinCell(RecurrentCell cell, Tensor x)
    {
        var min = (IMinCell)cell;
        return min.Output(CellDecomposition.Of(min, x).Contributions());
    }
}
