using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Onnx.Graph;

namespace MinRnn.Onnx.Export;

/// <summary>What a cell's exporter gets for one block: the graph, the weights, the cell's parameter prefix
/// (`blocks.L.cell.`), the model and options, the tokens (T, B; null for a numeric model), and the block's normalised input x (T, B, d) —
/// null when the first block is tabulated per token (FirstBlockTables) — and each row's length (LengthsExport; null: every
/// row is full): the final states must be each row's after its own last real token.</summary>
internal sealed record CellExportInput(GraphBuilder G, Weights W, string Prefix, SequenceModel Model, OnnxExportOptions Options, string? Tokens, string? X,
    SequenceLengths? Lengths = null)
{
    public ModelConfig Config => Model.Config;

    /// <summary>The tokens (T, B) a tabulated first block gathers its rows by: only token models are tabulated
    /// (FirstBlockTables.Apply).</summary>
    public string TabulatedTokens => Tokens ?? throw new InvalidOperationException("a numeric model's first block is computed, not tabulated");
}

/// <summary>One cell kind as ONNX nodes: y (T, B, d) and its final states from its initial states, in the order and
/// shapes its States declares (by default h (B, inner), then c (B, inner) for a cell that carries one).</summary>
internal interface ICellExporter
{
    /// <summary>The cell kind it exports (Cells/CellKinds.cs).</summary>
    string Kind { get; }

    /// <summary>The form written to the metadata: scan | chunked for min cells, native for ONNX's own RNN ops, attention
    /// for the transformer.</summary>
    string Form(OnnxExportOptions options);

    /// <summary>Whether the first block may read per-token tables in this form.</summary>
    bool Tabulates(OnnxExportOptions options);

    /// <summary>One layer's cell states in graph order: their kind and shape without the batch dimension (an entry of
    /// Signature.GrowingDim: a dimension that grows with the sequence, the transformer's cache length).</summary>
    IReadOnlyList<(StateKind Kind, long[] Tail)> States(ModelConfig config) => CellKinds.Get(config.Cell).CarriesCellState
        ? [(StateKind.H, [config.CellOptions.Inner]), (StateKind.C, [config.CellOptions.Inner])]
        : [(StateKind.H, [config.CellOptions.Inner])];

    (string Y, string[] States) Export(CellExportInput input, string[] initial);
}

/// <summary>A cell exported as ONNX's own RNN op (GRU, LSTM): one form, and a first block that reads one-hot tokens.</summary>
internal abstract class NativeCellExport : ICellExporter
{
    public abstract string Kind { get; }

    public string Form(OnnxExportOptions options) => "native";

    public bool Tabulates(OnnxExportOptions options) => true;

    public abstract (string Y, string[] States) Export(CellExportInput input, string[] initial);
}

/// <summary>The exporters in this assembly, found by their kind: adding a cell kind adds its exporter class, no list.</summary>
internal static class CellExporters
{
    private static readonly Dictionary<string, ICellExporter> ByKind = typeof(ICellExporter).Assembly.GetTypes()
        .Where(t => typeof(ICellExporter).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (ICellExporter)Activator.CreateInstance(t, nonPublic: true)!)
        .ToDictionary(e => e.Kind);

    public static ICellExporter For(string kind) =>
        Find(CellKinds.Get(kind).Name) ?? throw new NotSupportedException($"cell '{kind}' has no ONNX exporter");

    /// <summary>The exporter of `kind`, or null when it has none.</summary>
    public static ICellExporter? Find(string kind) => ByKind.GetValueOrDefault(kind);
}
