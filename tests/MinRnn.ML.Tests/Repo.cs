namespace MinRnn.ML.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static readonly string[] Cells = ["mingru", "minlstm", "gru", "lstm"];

    /// <summary>The shipped models and the transformer fixtures, whose states include a growing one (the KV cache).</summary>
    public static readonly string[] Exported = [.. Cells, Transformer, TransformerExplicit];

    /// <summary>A small trained transformer in the default, fused attention form (Data/transformer.onnx: ONNX Runtime's
    /// com.microsoft MultiHeadAttention; Data/README.md says how it was made).</summary>
    public const string Transformer = "transformer";

    /// <summary>The same weights in the explicit attention form, standard ops only (Data/transformer-explicit.onnx).</summary>
    public const string TransformerExplicit = "transformer-explicit";

    public static string Model(string cell) => cell is Transformer or TransformerExplicit
        ? Path.Combine(Root, "tests", "MinRnn.ML.Tests", "Data", cell + ".onnx")
        : Path.Combine(Root, "models", cell + ".onnx");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MinRnn.sln"))) return dir.FullName;
        throw new InvalidOperationException("MinRnn.sln not found above " + AppContext.BaseDirectory);
    }
}
