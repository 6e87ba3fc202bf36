namespace MinRnn.ML.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static readonly string[] Cells = ["mingru", "minlstm", "gru", "lstm"];

    /// <summary>The shipped models and the transformer fixture, whose states include a growing one (the KV cache).</summary>
    public static readonly string[] Exported = [.. Cells, Transformer];

    /// <summary>A small trained transformer (Data/transformer.onnx; Data/README.md says how it was made).</summary>
    public const string Transformer = "transformer";

    public static string Model(string cell) => cell == Transformer
        ? Path.Combine(Root, "tests", "MinRnn.ML.Tests", "Data", "transformer.onnx")
        : Path.Combine(Root, "models", cell + ".onnx");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MinRnn.sln"))) return dir.FullName;
        throw new InvalidOperationException("MinRnn.sln not found above " + AppContext.BaseDirectory);
    }
}
