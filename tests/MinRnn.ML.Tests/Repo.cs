namespace MinRnn.ML.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static readonly string[] Cells = ["mingru", "minlstm", "gru", "lstm"];

    public static string Model(string cell) => Path.Combine(Root, "models", cell + ".onnx");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MinRnn.sln"))) return dir.FullName;
        throw new InvalidOperationException("MinRnn.sln not found above " + AppContext.BaseDirectory);
    }
}
