namespace MinRnn.Tests;

/// <summary>The repository the tests run from: the folder above the test binaries that holds MinRnn.sln.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MinRnn.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no MinRnn.sln above {AppContext.BaseDirectory}");
    }
}
